from django.urls import path

from . import views

urlpatterns = [
    path("monitoring/indicators/", views.indicator_list, name="indicator_list"),
    path("monitoring/campaigns/", views.campaign_list, name="campaign_list"),
    path("monitoring/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("monitoring/campaigns/<id:pk>/", views.campaign_detail, name="campaign_detail"),
    path("monitoring/campaigns/<id:pk>/close/", views.campaign_close, name="campaign_close"),
    path("monitoring/responses/<id:pk>/", views.response_detail, name="response_detail"),
    path("monitoring/responses/<id:pk>/reopen/", views.response_reopen, name="response_reopen"),
    path("monitoring/schools/<id:pk>/values/", views.school_values, name="school_values"),
    path("monitoring/schools/<id:pk>/targets/", views.targets_school, name="targets_school"),
    path(
        "monitoring/municipalities/<id:pk>/targets/",
        views.targets_municipality,
        name="targets_municipality",
    ),
    path("monitoring/plans/<id:pk>/targets/", views.targets_plan, name="targets_plan"),
    path("monitoring/schools/<id:pk>/exams/", views.exam_results, name="exam_results"),
    path("monitoring/schools/<id:pk>/exams/import/", views.exam_import, name="exam_import"),
    path("monitoring/exams/template.xlsx", views.exam_template, name="exam_template"),
]
