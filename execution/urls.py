from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.my_measures, name="my_measures"),
    path("execution/review/", views.review_queue, name="review_queue"),
    path("execution/review/accept/", views.records_review, name="records_review"),
    path("execution/mark/", views.records_mark, name="records_mark"),
    path("execution/overview/", views.execution_overview, name="execution_overview"),
    path("execution/records/<id:pk>/", views.record_detail, name="record_detail"),
    path("execution/records/<id:pk>/mark/", views.record_mark, name="record_mark"),
    path("execution/records/<id:pk>/review/", views.record_review, name="record_review"),
    path("execution/records/<id:pk>/evidence/", views.record_evidence, name="record_evidence"),
    path("execution/evidence/<id:pk>/", views.evidence_download, name="evidence_download"),
    path("execution/evidence/<id:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path(
        "execution/organisations/<id:pk>/",
        views.organisation_execution,
        name="organisation_execution",
    ),
    path("roadmaps/<id:pk>/start/", views.roadmap_start_execution, name="roadmap_start_execution"),
    path("roadmaps/<id:pk>/execution/", views.roadmap_execution, name="roadmap_execution"),
]
