"""Measures of a plan: add, inline edit with optimistic locking, delete, the schedule
corrected by hand, history, assignment to organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.params import id_param
from schools.access import get_object_for_user

from .. import selectors, services
from ..forms import (
    AssignForm,
    MeasureForm,
    ScheduleForm,
)
from ..models import Measure, Roadmap, Section
from .plan_table import load_for_change, plan_columns, row_response, table_response


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request, pk: int):
    """A new measure: inline in the plan table (htmx: a form row, then the whole table
    re-rendered in place) or on its own page without JavaScript."""
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    if request.htmx and request.GET.get("cancel"):
        return HttpResponse("")
    section = None
    section_id = id_param(request.GET.get("section") or request.POST.get("section"))
    if section_id:
        section = get_object_for_user(Section, request.user, section_id, "change")
        if section.roadmap_id != roadmap.pk:
            messages.error(request, "Раздел относится к другому плану.")
            return redirect("roadmap_detail", pk=roadmap.pk)
    form = MeasureForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEASURE_FIELDS}
        try:
            measure = services.measure_create(
                roadmap=roadmap, acting_user=request.user, section=section, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return table_response(request, roadmap)
            messages.success(request, f"Мероприятие {measure.number} добавлено.".replace("  ", " "))
            return redirect(
                f"{reverse('roadmap_detail', kwargs={'pk': roadmap.pk})}#measure-{measure.pk}"
            )
    context = {"form": form, "roadmap": roadmap, "section": section}
    if request.htmx:
        context["column_count"] = len(plan_columns(roadmap)) + 2
        return render(request, "roadmaps/roadmap_detail.html#measure-new-row", context)
    return render(request, "roadmaps/measure_form.html", context)


@login_required
def measure_row(request, pk: int):
    """The display row of a measure (cancel of an inline edit)."""
    measure = get_object_for_user(Measure, request.user, pk, select_related=("roadmap",))
    return row_response(request, measure.roadmap, "measure", measure)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk: int):
    measure = load_for_change(Measure, request.user, pk, select_related=("roadmap", "section"))
    roadmap = measure.roadmap
    form = MeasureForm(
        request.POST or None,
        instance=measure,
        initial={"version": measure.version},
        user=request.user,
        roadmap=roadmap,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEASURE_FIELDS}
        target = form.cleaned_data.get("move_to") if "move_to" in request.POST else services.KEEP
        moves = target is not services.KEEP and getattr(target, "pk", None) != measure.section_id
        try:
            measure = services.measure_update(
                measure=measure,
                acting_user=request.user,
                data=data,
                expected_version=form.cleaned_data.get("version"),
                section=target,
            )
            if moves and request.htmx:
                # The row now stands elsewhere: show the table as it is.
                return table_response(request, roadmap)
        except services.EditConflict as error:
            conflict = error
            # Offer the current version as the base of the next save.
            form = MeasureForm(
                request.POST,
                instance=measure,
                initial={"version": measure.version},
                user=request.user,
                roadmap=roadmap,
            )
            form.data = form.data.copy()
            form.data["version"] = (
                Measure.objects.for_user(request.user, "change").get(pk=pk).version
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return row_response(request, roadmap, "measure", measure)
            messages.success(request, "Мероприятие сохранено.")
            return redirect(
                f"{reverse('roadmap_detail', kwargs={'pk': roadmap.pk})}#measure-{measure.pk}"
            )
    columns = plan_columns(roadmap)
    context = {
        "form": form,
        "roadmap": roadmap,
        "measure": measure,
        "conflict": conflict,
        "conflict_rows": _conflict_rows(conflict),
        "columns": columns,
        "column_count": len(columns) + 2,
    }
    template = (
        "roadmaps/roadmap_detail.html#measure-edit-row"
        if request.htmx
        else "roadmaps/measure_form.html"
    )
    return render(request, template, context)


def _conflict_rows(conflict) -> list[tuple[str, str, str]]:
    if conflict is None:
        return []
    labels = {
        "number": "№",
        "title": "Мероприятие",
        "deadline_text": "Сроки",
        "audience": "Целевая аудитория",
        "responsible_text": "Ответственные",
        "result": "Результат",
        "indicator_text": "Индикатор",
        "indicator": "Целевой показатель",
        "status_text": "Отметка об исполнении",
    }
    rows = []
    for name, label in labels.items():
        theirs = conflict.current.get(name, "")
        mine = conflict.submitted.get(name, "")
        if theirs != mine:
            rows.append((label, theirs, mine))
    return rows


@login_required
@require_POST
def measure_delete(request, pk: int):
    measure = get_object_for_user(Measure, request.user, pk, "delete", select_related=("roadmap",))
    roadmap = measure.roadmap
    try:
        services.measure_delete(measure=measure, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Мероприятие удалено. Его история сохранена.")
    if request.htmx:
        return HttpResponse("")
    return redirect("roadmap_detail", pk=roadmap.pk)


@login_required
@require_http_methods(["GET", "POST"])
def measure_schedule(request, pk: int):
    measure = get_object_for_user(Measure, request.user, pk, "change", select_related=("roadmap",))
    roadmap = measure.roadmap
    windows = measure.windows.all()
    initial = {
        "kind": measure.schedule_kind,
        "version": measure.version,
        "windows": "\n".join(
            f"{w.starts_on:%d.%m.%Y} – {w.due_on:%d.%m.%Y}"
            for w in windows
            if not w.schedule_changed
        ),
    }
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_set_schedule(
                measure=measure,
                acting_user=request.user,
                kind=None if data["reset"] else (data["kind"] or "unscheduled"),
                windows=data["windows"],
                expected_version=data.get("version"),
            )
        except services.EditConflict as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Срок мероприятия сохранён. Текст в столбце «Сроки» остался как написан."
            )
            return redirect(
                f"{reverse('roadmap_detail', kwargs={'pk': roadmap.pk})}#measure-{measure.pk}"
            )
    return render(
        request,
        "roadmaps/measure_schedule.html",
        {"form": form, "measure": measure, "roadmap": roadmap, "windows": windows},
    )


@login_required
def measure_history(request, pk: int):
    measure = get_object_for_user(Measure, request.user, pk, select_related=("roadmap",))
    return render(
        request,
        "roadmaps/measure_history.html",
        {
            "measure": measure,
            "roadmap": measure.roadmap,
            "records": selectors.measure_history(measure),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_assign(request, pk: int):
    measure = get_object_for_user(Measure, request.user, pk, "change", select_related=("roadmap",))
    form = AssignForm(
        request.POST or None,
        user=request.user,
        initial={
            "mode": measure.assignment_mode,
            "organisations": list(measure.assigned_organisations.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_assign(
                measure=measure,
                acting_user=request.user,
                mode=form.cleaned_data["mode"],
                organisations=form.cleaned_data["organisations"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Назначение сохранено.")
            return redirect(
                f"{reverse('roadmap_detail', kwargs={'pk': measure.roadmap_id})}#measure-{measure.pk}"
            )
    return render(
        request,
        "roadmaps/measure_assign.html",
        {
            "form": form,
            "measure": measure,
            "roadmap": measure.roadmap,
            "assigned": services.assigned_organisations(measure),
        },
    )
