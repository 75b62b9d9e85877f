from django.urls import path

from . import import_views, views

urlpatterns = [
    path("", views.roadmap_list, name="roadmap_list"),
    path("new/", views.roadmap_create, name="roadmap_create"),
    path("import/", import_views.roadmap_import_start, name="roadmap_import_start"),
    path("import/<str:token>/", import_views.roadmap_import_preview, name="roadmap_import_preview"),
    path("<int:pk>/", views.roadmap_detail, name="roadmap_detail"),
    path("<int:pk>/print/", views.roadmap_print, name="roadmap_print"),
    path("<int:pk>/export.<str:fmt>", views.roadmap_export, name="roadmap_export"),
    path("<int:pk>/edit/", views.roadmap_edit, name="roadmap_edit"),
    path("<int:pk>/duplicate/", views.roadmap_duplicate, name="roadmap_duplicate"),
    path("<int:pk>/history/", views.roadmap_history, name="roadmap_history"),
    path("<int:pk>/review/", views.roadmap_review, name="roadmap_review"),
    path("<int:pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/sections/new/", views.section_create, name="section_create"),
    path("<int:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("<int:pk>/distribute/", views.roadmap_distribute, name="roadmap_distribute"),
    path("<int:pk>/copies/", views.roadmap_copies, name="roadmap_copies"),
    path("<int:pk>/group/", views.roadmap_group, name="roadmap_group"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("measures/<int:pk>/", views.measure_row, name="measure_row"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/<int:pk>/schedule/", views.measure_schedule, name="measure_schedule"),
    path("measures/<int:pk>/history/", views.measure_history, name="measure_history"),
    path("measures/<int:pk>/assign/", views.measure_assign, name="measure_assign"),
]
