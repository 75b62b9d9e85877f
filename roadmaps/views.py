"""Roadmap pages. Objects come only through ``get_object_for_user`` and lists through
selectors; every write goes through ``roadmaps.services``."""

from __future__ import annotations

from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from core.params import id_param, int_param, page_param, text_param
from schools.access import FORBIDDEN_MESSAGE, get_object_for_user, has_verb

from . import selectors, services
from .constants import COLUMNS, ScheduleKind
from .forms import (
    AssignForm,
    DuplicateForm,
    MeasureForm,
    RoadmapCreateForm,
    RoadmapHeaderForm,
    ScheduleForm,
    SchoolsForm,
    SectionForm,
)
from .models import Measure, Roadmap, Section
from .periods import next_period

COLUMN_LABELS = dict(COLUMNS)


# A position among siblings; larger values mean "at the end", as the service clamps them.
MAX_POSITION = 10**6


def _int(value) -> int | None:
    """An id from a query string or a form: positive and within the database's range, else
    None (never an overflowing integer sent to the ORM)."""
    return id_param(value)


def _can_edit(user, roadmap: Roadmap) -> bool:
    return (
        roadmap.status in services.EDITABLE_STATUSES
        and Roadmap.objects.for_user(user, "change").filter(pk=roadmap.pk).exists()
    )


def _columns(roadmap: Roadmap) -> list[tuple[str, str]]:
    return [(key, COLUMN_LABELS[key]) for key in roadmap.columns if key in COLUMN_LABELS]


# Stands for a row's id in the edit controls rendered once per page (static/js/app.js puts
# each row's id in its place); a number the id converter accepts, so reverse() builds it.
_ROW_ID = 987654321987654321


def _row_urls(roadmap: Roadmap) -> dict[str, str]:
    """The URLs of a row's edit controls with ``__id__`` for the row's id."""
    urls = {
        name: reverse(name, kwargs={"pk": _ROW_ID}).replace(str(_ROW_ID), "__id__")
        for name in (
            "section_edit",
            "measure_edit",
            "measure_schedule",
            "measure_assign",
            "measure_history",
        )
    }
    for name in ("item_move", "measure_create", "section_create"):
        urls[name] = reverse(name, kwargs={"pk": roadmap.pk})
    return urls


def _text_html(value: str) -> str:
    """Escaped text with its line breaks as ``<br>``: what ``|linebreaksbr`` writes, without
    the template filter machinery (called for every cell of thousands of rows)."""
    if not value:
        return ""
    text = escape(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "<br>")


# A due date whose window left the schedule but is kept for what is recorded against it.
CHANGED_BADGE = (
    ' <span class="badge text-bg-warning" title="Окна больше нет в графике: '
    'срок изменён после того, как по нему были отметки">срок изменён</span>'
)


def _schedule_html(row) -> str:
    """The «Срок исполнения» cell's content: the due dates derived from the deadline."""
    measure = row.obj
    if measure.schedule_kind == ScheduleKind.UNSCHEDULED:
        parts = ['<span class="badge text-bg-warning">без срока</span>']
    else:
        parts = []
        if measure.schedule_kind == ScheduleKind.CONTINUOUS:
            parts.append('<span class="text-body-secondary">постоянно:</span>')
        elif measure.schedule_kind == ScheduleKind.RECURRING:
            parts.append(f'<span class="text-body-secondary">{row.window_count} раз(а):</span>')
        parts.extend(
            f'<div class="text-nowrap">до {due}{CHANGED_BADGE if changed else ""}</div>'
            for due, changed in zip(row.dates, row.changed, strict=True)
        )
        if row.more:
            parts.append(f'<div class="text-body-secondary">… ещё {row.more}</div>')
    if measure.schedule_overridden:
        parts.append(
            '<div><span class="badge text-bg-light" title="Срок задан вручную">вручную</span></div>'
        )
    return "".join(parts)


def _with_cells(rows: list, columns: list[tuple[str, str]], *, print_view: bool = False):
    """Give each row what the table writes as it is: the id and depth as text, and a
    measure's cells in column order with the text escaped and its line breaks made once
    here — for thousands of rows the template engine's per-cell filters, ``if`` chains and
    includes were three quarters of the page's time. The page gets the row's ``<td>`` run
    (with the schedule cell after the deadline); the printed plan gets the texts."""
    keys = [key for key, _ in columns]
    for row in rows:
        row.key = str(row.obj.pk)
        row.level = str(row.depth)
        if row.kind != "measure":
            continue
        obj = row.obj
        texts = [_text_html(getattr(obj, key)) for key in keys]
        if print_view:
            row.cells = [mark_safe(text) for text in texts]  # noqa: S308 - escaped above
            continue
        cells: list[str] = []
        for key, text in zip(keys, texts, strict=True):
            if key == "number":
                cells.append(f'<td class="text-nowrap">{text}</td>')
            elif key == "result" and obj.indicator_id:
                indicator = escape(str(obj.indicator))
                cells.append(
                    f'<td>{text}<div class="small text-body-secondary mt-1">Показатель: '
                    f"{indicator}</div></td>"
                )
            else:
                cells.append(f"<td>{text}</td>")
            if key == "deadline_text":
                cells.append(f'<td class="small schedule-cell">{_schedule_html(row)}</td>')
        row.cells = mark_safe("".join(cells))  # noqa: S308 - every text escaped above
    return rows


def _plan_context(request, roadmap: Roadmap, *, print_view: bool = False) -> dict:
    due = request.GET.get("due", "")
    filters = selectors.PlanFilters(
        section=_int(request.GET.get("section")),
        responsible=text_param(request.GET.get("responsible")),
        due_this_month=due == "month",
        overdue=due == "overdue",
        unscheduled=due == "unscheduled",
    )
    can_edit = not print_view and _can_edit(request.user, roadmap)
    columns = _columns(roadmap)
    sections = selectors.plan_sections(roadmap)
    return {
        "roadmap": roadmap,
        "rows": _with_cells(
            selectors.plan_rows(roadmap, filters, sections=sections),
            columns,
            print_view=print_view,
        ),
        "columns": columns,
        # number column + schedule column + actions
        "column_count": len(columns) + 1 + (1 if can_edit else 0),
        "filters": filters,
        "due": due,
        "sections": sections,
        "can_edit": can_edit,
        "row_urls": _row_urls(roadmap) if can_edit else {},
        "print_view": print_view,
    }


# --- plans -------------------------------------------------------------------------------


@login_required
def roadmap_list(request):
    search = text_param(request.GET.get("q"))
    page = Paginator(selectors.roadmap_list(request.user, search=search), 50).get_page(
        page_param(request.GET.get("page"))
    )
    return render(
        request,
        "roadmaps/roadmap_list.html",
        {
            "page": page,
            "search": search,
            "editable": selectors.editable_roadmap_ids(request.user, page.object_list),
            "can_add": has_verb(request.user, "roadmaps.add_roadmap"),
            "can_import": has_verb(request.user, "roadmaps.import_roadmap"),
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
    roadmap = get_object_for_user(Roadmap, request.user, pk, select_related=("owner",))
    context = _plan_context(request, roadmap)
    if request.htmx and request.htmx.target == "plan-table":
        return render(request, "roadmaps/roadmap_detail.html#plan-table", context)
    context["review_count"] = selectors.review_list(roadmap).count() if context["can_edit"] else 0
    return render(request, "roadmaps/roadmap_detail.html", context)


@login_required
def roadmap_print(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk, select_related=("owner",))
    context = _plan_context(request, roadmap, print_view=True)
    context["concurrences"] = roadmap.concurrences.all()
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
            for name in services.ROADMAP_HEADER_FIELDS
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
    if not has_verb(request.user, "roadmaps.add_roadmap"):
        raise PermissionDenied("Копировать планы могут координаторы и методисты.")
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


# --- sections ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    if request.htmx and request.GET.get("cancel"):
        return HttpResponse("")
    form = SectionForm(
        request.POST or None, roadmap=roadmap, initial={"parent": _int(request.GET.get("parent"))}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(
                roadmap=roadmap,
                acting_user=request.user,
                title=form.cleaned_data["title"],
                number=form.cleaned_data["number"],
                is_group=form.cleaned_data["is_group"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return _table_response(request, roadmap)
            messages.success(request, "Раздел добавлен.")
            return redirect("roadmap_detail", pk=roadmap.pk)
    context = {"form": form, "roadmap": roadmap}
    if request.htmx:
        context["column_count"] = len(_columns(roadmap)) + 2
        return render(request, "roadmaps/roadmap_detail.html#section-new-row", context)
    return render(request, "roadmaps/section_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int):
    section = get_object_for_user(Section, request.user, pk, "change", select_related=("roadmap",))
    roadmap = section.roadmap
    form = SectionForm(
        request.POST or None,
        instance=section,
        roadmap=roadmap,
        initial={"version": section.version, "parent": section.parent_id},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.SECTION_FIELDS}
        try:
            section = services.section_update(
                section=section,
                acting_user=request.user,
                data=data,
                expected_version=form.cleaned_data.get("version"),
                parent=form.cleaned_data["parent"],
            )
        except services.EditConflict as error:
            conflict = error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return _row_response(request, roadmap, "section", section)
            return redirect("roadmap_detail", pk=roadmap.pk)
    template = "roadmaps/section_form.html"
    if request.htmx:
        template = "roadmaps/roadmap_detail.html#section-edit-row"
    context = {
        "form": form,
        "roadmap": roadmap,
        "section": section,
        "conflict": conflict,
        "columns": _columns(roadmap),
    }
    context["column_count"] = len(context["columns"]) + 2
    return render(request, template, context)


@login_required
@require_POST
def section_delete(request, pk: int):
    section = get_object_for_user(Section, request.user, pk, "delete", select_related=("roadmap",))
    roadmap = section.roadmap
    try:
        services.section_delete(section=section, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Раздел удалён; его мероприятия перенесены в вышестоящий раздел.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("roadmap_detail", kwargs={"pk": roadmap.pk}))
    return redirect("roadmap_detail", pk=roadmap.pk)


# --- measures ----------------------------------------------------------------------------


def _load_for_change(model, user, pk: int, *, select_related: tuple[str, ...] = ()):
    """An object the person may change, in one query: loaded through the verb's scope (the
    check the write needs), not loaded as visible and then checked again. Only a refusal
    asks once more, to answer 404 (not even visible) or 403 (visible, not changeable)."""
    try:
        obj = model.objects.for_user(user, "change").select_related(*select_related).get(pk=pk)
    except model.DoesNotExist:
        get_object_for_user(model, user, pk)  # 404 when it is not even visible
        raise PermissionDenied(FORBIDDEN_MESSAGE) from None
    # The proof the service takes instead of checking the plan again before its write.
    return services.mark_change_checked(obj, user)


def _row_response(request, roadmap: Roadmap, kind: str, obj) -> HttpResponse:
    """Re-render one row of the plan table after an inline edit. A measure is the one the
    view holds (saved by the service, or just loaded), not loaded again; a section is read
    afresh (a move in the same request may have changed its parent)."""
    row = selectors.plan_row(roadmap, kind, obj.pk, obj=obj if kind == "measure" else None)
    columns = _columns(roadmap)
    if row is not None:
        _with_cells([row], columns)
    context = {
        "roadmap": roadmap,
        "row": row,
        "columns": columns,
        "column_count": len(columns) + 2,
        "can_edit": True,
    }
    return render(request, f"roadmaps/roadmap_detail.html#{kind}-row", context)


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request, pk: int):
    """A new measure: inline in the plan table (htmx: a form row, then the whole table
    re-rendered in place) or on its own page without JavaScript."""
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    if request.htmx and request.GET.get("cancel"):
        return HttpResponse("")
    section = None
    section_id = _int(request.GET.get("section") or request.POST.get("section"))
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
                return _table_response(request, roadmap)
            messages.success(request, f"Мероприятие {measure.number} добавлено.".replace("  ", " "))
            return redirect(
                f"{reverse('roadmap_detail', kwargs={'pk': roadmap.pk})}#measure-{measure.pk}"
            )
    context = {"form": form, "roadmap": roadmap, "section": section}
    if request.htmx:
        context["column_count"] = len(_columns(roadmap)) + 2
        return render(request, "roadmaps/roadmap_detail.html#measure-new-row", context)
    return render(request, "roadmaps/measure_form.html", context)


def _table_response(request, roadmap: Roadmap) -> HttpResponse:
    """The whole plan table, swapped in place of #plan-table (after adding a row)."""
    response = render(
        request, "roadmaps/roadmap_detail.html#plan-table", _plan_context(request, roadmap)
    )
    return reswap(retarget(response, "#plan-table"), "outerHTML")


@login_required
def measure_row(request, pk: int):
    """The display row of a measure (cancel of an inline edit)."""
    measure = get_object_for_user(Measure, request.user, pk, select_related=("roadmap",))
    return _row_response(request, measure.roadmap, "measure", measure)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk: int):
    measure = _load_for_change(Measure, request.user, pk, select_related=("roadmap",))
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
                return _table_response(request, roadmap)
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
                return _row_response(request, roadmap, "measure", measure)
            messages.success(request, "Мероприятие сохранено.")
            return redirect(
                f"{reverse('roadmap_detail', kwargs={'pk': roadmap.pk})}#measure-{measure.pk}"
            )
    columns = _columns(roadmap)
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


@login_required
@require_POST
def item_move(request, pk: int):
    """Move a section or measure up/down among its siblings, or into another section."""
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    kind = request.POST.get("kind")
    model = {"section": Section, "measure": Measure}.get(kind)
    item_id = _int(request.POST.get("id"))
    if model is None or item_id is None:
        messages.error(request, "Не указано, что перемещать.")
        return redirect("roadmap_detail", pk=roadmap.pk)
    item = get_object_for_user(model, request.user, item_id, "change")
    if item.roadmap_id != roadmap.pk:
        messages.error(request, "Эта строка относится к другому плану.")
        return redirect("roadmap_detail", pk=roadmap.pk)
    parent = services.KEEP
    if "parent" in request.POST:
        parent_id = _int(request.POST.get("parent"))
        parent = (
            get_object_for_user(Section, request.user, parent_id, "change") if parent_id else None
        )
    try:
        services.item_move(
            item=item,
            acting_user=request.user,
            parent=parent,
            direction=request.POST.get("direction"),
            position=int_param(request.POST.get("position"), min=0, max=MAX_POSITION),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        context = _plan_context(request, roadmap)
        return render(request, "roadmaps/roadmap_detail.html#plan-table", context)
    return redirect(f"{reverse('roadmap_detail', kwargs={'pk': roadmap.pk})}#{kind}-{item.pk}")


# --- templates handed to schools ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_distribute(request, pk: int):
    template = get_object_for_user(Roadmap, request.user, pk, "change")
    form = SchoolsForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            copies = services.template_distribute(
                template=template, acting_user=request.user, schools=form.cleaned_data["schools"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            # Refused after the write (the copies would be plans the person may not
            # create): the form again with the reason; nothing was written.
            form.add_error(None, str(error))
            status = 403
        else:
            messages.success(
                request,
                f"Шаблон передан школам: {len(copies)}. Школы, у которых уже есть копия, пропущены.",
            )
            return redirect("roadmap_copies", pk=template.pk)
    return render(
        request,
        "roadmaps/roadmap_distribute.html",
        {"form": form, "roadmap": template},
        status=status,
    )


@login_required
def roadmap_copies(request, pk: int):
    template = get_object_for_user(Roadmap, request.user, pk)
    return render(
        request,
        "roadmaps/roadmap_copies.html",
        {"roadmap": template, "copies": selectors.template_copies(template, request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_group(request, pk: int):
    """The plan's school group: measures assigned to «группа школ плана» apply to it."""
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    form = SchoolsForm(
        request.POST or None,
        user=request.user,
        initial={"schools": list(roadmap.school_group.all())},
    )
    form.fields["schools"].required = False
    if request.method == "POST" and form.is_valid():
        services.roadmap_set_school_group(
            roadmap=roadmap, acting_user=request.user, schools=form.cleaned_data["schools"]
        )
        messages.success(request, "Группа школ плана сохранена.")
        return redirect("roadmap_detail", pk=roadmap.pk)
    return render(request, "roadmaps/roadmap_group.html", {"form": form, "roadmap": roadmap})


@login_required
def roadmap_export(request, pk: int, fmt: str):
    """The plan as .xlsx or .docx in the document's layout."""
    from django.http import Http404

    from . import exports

    roadmap = get_object_for_user(
        Roadmap, request.user, pk, "roadmaps.export_roadmap", select_related=("owner",)
    )
    if fmt == "xlsx":
        data = exports.roadmap_xlsx(roadmap)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "docx":
        data = exports.roadmap_docx(roadmap)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404("Неизвестный формат.")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="roadmap-{roadmap.pk}.{fmt}"'
    return response
