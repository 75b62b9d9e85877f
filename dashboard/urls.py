from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboards/", views.dashboards, name="dashboards"),
    path("dashboards/regions/<id:pk>/", views.dashboard_region, name="dashboard_region"),
    path(
        "dashboards/municipalities/<id:pk>/",
        views.dashboard_municipality,
        name="dashboard_municipality",
    ),
    path("dashboards/schools/<id:pk>/", views.dashboard_school, name="dashboard_school"),
    path("dashboards/<str:kind>/<id:pk>/export/", views.dashboard_export, name="dashboard_export"),
]
