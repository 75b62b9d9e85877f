from django.urls import path

from . import import_views, views

urlpatterns = [
    path("", views.roadmap_list, name="roadmap_list"),
    path("new/", views.roadmap_create, name="roadmap_create"),
    path("import/", import_views.roadmap_import_start, name="roadmap_import_start"),
    path("import/<uuid:pk>/", import_views.roadmap_import_preview, name="roadmap_import_preview"),
    path(
        "import/<uuid:pk>/status/", import_views.roadmap_import_status, name="roadmap_import_status"
    ),
    path(
        "import/<uuid:pk>/cancel/", import_views.roadmap_import_cancel, name="roadmap_import_cancel"
    ),
    path("<id:pk>/", views.roadmap_detail, name="roadmap_detail"),
    path("<id:pk>/print/", views.roadmap_print, name="roadmap_print"),
    path("<id:pk>/export.<str:fmt>", views.roadmap_export, name="roadmap_export"),
    path("<id:pk>/edit/", views.roadmap_edit, name="roadmap_edit"),
    path("<id:pk>/duplicate/", views.roadmap_duplicate, name="roadmap_duplicate"),
    path("<id:pk>/history/", views.roadmap_history, name="roadmap_history"),
    path("<id:pk>/review/", views.roadmap_review, name="roadmap_review"),
    path("<id:pk>/move/", views.item_move, name="item_move"),
    path("<id:pk>/sections/new/", views.section_create, name="section_create"),
    path("<id:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("<id:pk>/distribute/", views.roadmap_distribute, name="roadmap_distribute"),
    path("<id:pk>/copies/", views.roadmap_copies, name="roadmap_copies"),
    path("<id:pk>/group/", views.roadmap_group, name="roadmap_group"),
    path("sections/<id:pk>/edit/", views.section_edit, name="section_edit"),
    path("sections/<id:pk>/delete/", views.section_delete, name="section_delete"),
    path("measures/<id:pk>/", views.measure_row, name="measure_row"),
    path("measures/<id:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<id:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/<id:pk>/schedule/", views.measure_schedule, name="measure_schedule"),
    path("measures/<id:pk>/history/", views.measure_history, name="measure_history"),
    path("measures/<id:pk>/assign/", views.measure_assign, name="measure_assign"),
]
