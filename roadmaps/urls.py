from django.urls import path

from .importing import views as imports
from .views import measures, moves, plans, sections, templates, workflow

urlpatterns = [
    path("", plans.roadmap_list, name="roadmap_list"),
    path("new/", plans.roadmap_create, name="roadmap_create"),
    path("import/", imports.roadmap_import_start, name="roadmap_import_start"),
    path("import/<uuid:pk>/", imports.roadmap_import_preview, name="roadmap_import_preview"),
    path("import/<uuid:pk>/status/", imports.roadmap_import_status, name="roadmap_import_status"),
    path("import/<uuid:pk>/cancel/", imports.roadmap_import_cancel, name="roadmap_import_cancel"),
    path("<id:pk>/", plans.roadmap_detail, name="roadmap_detail"),
    path("<id:pk>/print/", plans.roadmap_print, name="roadmap_print"),
    path("<id:pk>/export.<str:fmt>", plans.roadmap_export, name="roadmap_export"),
    path("<id:pk>/edit/", plans.roadmap_edit, name="roadmap_edit"),
    path("<id:pk>/duplicate/", plans.roadmap_duplicate, name="roadmap_duplicate"),
    path("<id:pk>/history/", plans.roadmap_history, name="roadmap_history"),
    path("<id:pk>/review/", plans.roadmap_review, name="roadmap_review"),
    path("<id:pk>/move/", moves.item_move, name="item_move"),
    path("<id:pk>/sections/new/", sections.section_create, name="section_create"),
    path("<id:pk>/measures/new/", measures.measure_create, name="measure_create"),
    path("<id:pk>/distribute/", templates.roadmap_distribute, name="roadmap_distribute"),
    path("<id:pk>/copies/", templates.roadmap_copies, name="roadmap_copies"),
    path("<id:pk>/group/", templates.roadmap_group, name="roadmap_group"),
    path("sections/<id:pk>/edit/", sections.section_edit, name="section_edit"),
    path("sections/<id:pk>/delete/", sections.section_delete, name="section_delete"),
    path("measures/<id:pk>/", measures.measure_row, name="measure_row"),
    path("measures/<id:pk>/edit/", measures.measure_edit, name="measure_edit"),
    path("measures/<id:pk>/delete/", measures.measure_delete, name="measure_delete"),
    path("measures/<id:pk>/schedule/", measures.measure_schedule, name="measure_schedule"),
    path("measures/<id:pk>/history/", measures.measure_history, name="measure_history"),
    path("measures/<id:pk>/assign/", measures.measure_assign, name="measure_assign"),
]

urlpatterns += [
    path("<id:pk>/submit/", workflow.roadmap_submit, name="roadmap_submit"),
    path("<id:pk>/withdraw/", workflow.roadmap_withdraw, name="roadmap_withdraw"),
    path("<id:pk>/answer/", workflow.roadmap_answer, name="roadmap_answer"),
    path("<id:pk>/approve/", workflow.roadmap_approve, name="roadmap_approve"),
    path("<id:pk>/reject/", workflow.roadmap_reject, name="roadmap_reject"),
    path("<id:pk>/close/", workflow.roadmap_close, name="roadmap_close"),
    path("<id:pk>/correct/", workflow.roadmap_correct, name="roadmap_correct"),
    path("<id:pk>/publish/", workflow.roadmap_publish, name="roadmap_publish"),
    path("<id:pk>/compare/", workflow.roadmap_compare, name="roadmap_compare"),
]
