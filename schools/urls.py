from django.urls import path

from . import directory_io, views

urlpatterns = [
    path("me/", views.my_access, name="my_access"),
    path("directory/", views.region_list, name="region_list"),
    path("directory/regions/<id:pk>/", views.region_detail, name="region_detail"),
    path(
        "directory/municipalities/<id:pk>/", views.municipality_detail, name="municipality_detail"
    ),
    path("directory/organisations/", views.organisation_list, name="organisation_list"),
    path("directory/organisations/<id:pk>/", views.organisation_detail, name="organisation_detail"),
    path(
        "directory/organisations/<id:pk>/edit/", views.organisation_edit, name="organisation_edit"
    ),
    path("directory/people/", views.person_list, name="person_list"),
    path("directory/people/<id:pk>/", views.person_detail, name="person_detail"),
    path("directory/import/", directory_io.directory_import, name="directory_import"),
    path(
        "directory/export/<str:resource>.<str:fmt>",
        directory_io.directory_export,
        name="directory_export",
    ),
]
