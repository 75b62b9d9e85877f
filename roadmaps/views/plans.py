"""Plan pages: the list, a new plan, the plan with its table, print view, header, next
period, history, review of imported schedules, Word/Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.params import page_param, text_param
from schools.access import get_object_for_user, has_verb

from .. import extensions, selectors, services
from ..actions import list_actions, plan_actions
from ..constants import ROADMAP_HEADER_FIELDS, RoadmapStatus
from ..forms import (
    DuplicateForm,
    RoadmapCreateForm,
    RoadmapHeaderForm,
)
from ..models import Roadmap
from ..periods import next_period
from .plan_table import plan_context

# The stepper of the plan page: the states in the order a plan goes through them.
WORKFLOW_STATES = [
    (status.value, status.label)
    for status in (
        RoadmapStatus.DRAFT,
        RoadmapStatus.CONCURRENCE,
        RoadmapStatus.APPROVED,
        RoadmapStatus.EXECUTION,
        RoadmapStatus.CLOSED,
    )
]

# --- plans -------------------------------------------------------------------------------


@login_required
def roadmap_list(request):
    search = text_param(request.GET.get("q"))
    page = Paginator(selectors.roadmap_list(request.user, search=search), 50).get_page(
        page_param(request.GET.get("page"))
    )
    page.object_list = list(page.object_list)
    # What other apps show per plan (execution: its progress), by plan id.
    extra = extensions.plan_list(request.user, page.object_list)
    for roadmap in page.object_list:
        roadmap.extra_cells = extra.get(roadmap.pk, [])
    return render(
        request,
        "roadmaps/roadmap_list.html",
        {
            "page": page,
            "search": search,
            "editable": selectors.editable_roadmap_ids(request.user, page.object_list),
            "extra_column": bool(extra),
            "actions": list_actions(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_create(request):
    if not has_verb(request.user, "roadmaps.add_roadmap"):
        raise PermissionDenied("Создавать планы могут координаторы и методисты.")
    form = RoadmapCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roadmap = services.roadmap_create(
                acting_user=request.user,
                owner=data["owner"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                level=data["level"],
                subtitle=data["subtitle"],
                period_text=data["period_text"],
                is_template=data["is_template"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "План создан. Добавьте разделы и мероприятия.")
            return redirect("roadmap_detail", pk=roadmap.pk)
    return render(request, "roadmaps/roadmap_form.html", {"form": form})


@login_required
def roadmap_detail(request, pk: int):
    roadmap = selectors.plan_for_view(request.user, pk)
    context = plan_context(request, roadmap)
    if request.htmx and request.htmx.target == "plan-table":
        return render(request, "roadmaps/roadmap_detail.html#plan-table", context)
    context["review_count"] = selectors.review_list(roadmap).count() if context["can_edit"] else 0
    # The plan's life: parties, timeline, revisions, the steps this person may take.
    context["workflow"] = selectors.workflow_panel(request.user, roadmap, context["grants"])
    context["workflow_states"] = WORKFLOW_STATES
    return render(request, "roadmaps/roadmap_detail.html", context)


@login_required
def roadmap_print(request, pk: int):
    roadmap = selectors.plan_for_view(request.user, pk)
    context = plan_context(request, roadmap, print_view=True)
    context["concurrences"] = selectors.printed_concurrences(roadmap)
    return render(request, "roadmaps/roadmap_print.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_edit(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    form = RoadmapHeaderForm(
        request.POST or None, instance=roadmap, initial={"version": roadmap.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ROADMAP_HEADER_FIELDS
            if name in form.cleaned_data
        }
        try:
            services.roadmap_update(
                roadmap=Roadmap.objects.for_user(request.user, "change").get(pk=pk),
                acting_user=request.user,
                data=data,
                expected_version=form.cleaned_data.get("version"),
            )
        except services.EditConflict as error:
            conflict = error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Шапка плана сохранена.")
            return redirect("roadmap_detail", pk=pk)
    return render(
        request,
        "roadmaps/roadmap_edit.html",
        {"form": form, "roadmap": roadmap, "conflict": conflict},
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_duplicate(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk)
    if not plan_actions(request.user, roadmap)["duplicate"]:
        raise PermissionDenied(
            "Сделать план на следующий период может тот, кто вправе создавать планы "
            "организации-владельца (координатор муниципалитета или методист своего центра)."
        )
    initial = {"title": roadmap.title}
    if roadmap.period_start and roadmap.period_end:
        initial["period_start"], initial["period_end"] = next_period(
            roadmap.period_start, roadmap.period_end
        )
    form = DuplicateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.roadmap_duplicate(
                roadmap=roadmap, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Создан новый план на основе прежнего. Сроки пересчитаны под новый период."
            )
            return redirect("roadmap_detail", pk=copy.pk)
    return render(request, "roadmaps/roadmap_duplicate.html", {"form": form, "roadmap": roadmap})


@login_required
def roadmap_history(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk)
    return render(
        request,
        "roadmaps/roadmap_history.html",
        {"roadmap": roadmap, "records": selectors.plan_history(roadmap)},
    )


@login_required
def roadmap_review(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    return render(
        request,
        "roadmaps/roadmap_review.html",
        {"roadmap": roadmap, "measures": selectors.review_list(roadmap)},
    )


@login_required
def roadmap_export(request, pk: int, fmt: str):
    """The plan as .xlsx or .docx in the document's layout; ``?execution=1`` adds the
    marks per organisation (columns offered by other apps: ``roadmaps.extensions``)."""
    from django.http import Http404

    from .. import exports

    roadmap = get_object_for_user(
        Roadmap, request.user, pk, "roadmaps.export_roadmap", select_related=("owner__region",)
    )
    if fmt == "xlsx":
        build = exports.roadmap_xlsx
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "docx":
        build = exports.roadmap_docx
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404("Неизвестный формат.")
    data = build(roadmap, exports.extra_columns(roadmap, request.user, request.GET))
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="roadmap-{roadmap.pk}.{fmt}"'
    return response
