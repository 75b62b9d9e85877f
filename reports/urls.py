from django.urls import path

from . import views

urlpatterns = [
    path("reports/roadmaps/<id:pk>/", views.roadmap_reports, name="roadmap_reports"),
    path(
        "reports/roadmaps/<id:pk>/new/", views.roadmap_report_create, name="roadmap_report_create"
    ),
    path("reports/organisations/<id:pk>/", views.organisation_reports, name="organisation_reports"),
    path(
        "reports/organisations/<id:pk>/new/",
        views.organisation_report_create,
        name="organisation_report_create",
    ),
    path("reports/<uuid:pk>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:pk>/file/", views.report_download, name="report_download"),
    # Public: no login (a document's QR code leads here).
    path("verify/", views.report_verify, name="report_verify"),
    path("verify/<str:token>/", views.report_verify_token, name="report_verify_token"),
    # Public: the PDF of a published revision (its public page links it).
    path("public/<str:token>/plan.pdf", views.public_pdf, name="public_pdf"),
]
