from django.urls import path

from . import views

urlpatterns = [
    path("partnerships/", views.agreement_list, name="agreement_list"),
    path("partnerships/new/", views.agreement_create, name="agreement_create"),
    path("partnerships/import/", views.agreement_import, name="agreement_import"),
    path("partnerships/<id:pk>/", views.agreement_detail, name="agreement_detail"),
    path("partnerships/<id:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("partnerships/<id:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("partnerships/<id:pk>/scan/", views.agreement_scan, name="agreement_scan"),
    path(
        "partnerships/<id:pk>/scan/file/",
        views.agreement_scan_download,
        name="agreement_scan_download",
    ),
    path("partnerships/<id:pk>/terminate/", views.agreement_terminate, name="agreement_terminate"),
    path("partnerships/<id:pk>/delete/", views.agreement_delete, name="agreement_delete"),
    # The network of a municipality or of a network plan: scope is "municipality" or "plan".
    path("partnerships/network/<str:scope>/<id:pk>/", views.network, name="network"),
    path(
        "partnerships/network/<str:scope>/<id:pk>/list.xlsx",
        views.network_export,
        name="network_export",
    ),
    path("partnerships/network/<str:scope>/<id:pk>/pdf/", views.network_pdf, name="network_pdf"),
    path("partnerships/exports/<uuid:pk>/", views.network_pdf_detail, name="network_pdf_detail"),
    path(
        "partnerships/exports/<uuid:pk>/file/",
        views.network_pdf_download,
        name="network_pdf_download",
    ),
]
