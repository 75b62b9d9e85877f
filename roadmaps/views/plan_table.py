"""The plan table shared by the roadmap pages: its columns, the cells of its rows, edit
controls rendered once per page, and the responses that re-render one row or the whole
table after an inline edit."""

from __future__ import annotations

from html import escape

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django_htmx.http import reswap, retarget

from core.params import id_param, text_param
from schools.access import FORBIDDEN_MESSAGE, get_object_for_user, object_grants

from .. import extensions, selectors, services
from ..actions import plan_actions
from ..constants import COLUMNS, ScheduleKind
from ..models import Roadmap

COLUMN_LABELS = dict(COLUMNS)


# A position among siblings; larger values mean "at the end", as the service clamps them.
MAX_POSITION = 10**6


def plan_columns(roadmap: Roadmap) -> list[tuple[str, str]]:
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
            times = ngettext("%(count)s раз", "%(count)s раз", row.window_count) % {
                "count": row.window_count
            }
            parts.append(f'<span class="text-body-secondary">{times}:</span>')
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


ACTIONS_CELL = '<td class="d-print-none text-nowrap row-actions"></td>'


def with_cells(
    rows: list,
    columns: list[tuple[str, str]],
    *,
    print_view: bool = False,
    can_edit: bool = False,
    extra_cells: list[dict] = (),
):
    """Give each row its HTML as the table writes it: a section's heading row, a
    measure's cells in column order (the schedule cell after the deadline), with the text
    escaped and its line breaks made once here — for thousands of rows the template
    engine's per-row partials, per-cell filters and ``if`` chains were most of the page's
    time. The edit controls are not in the rows: ``data-actions`` asks static/js/app.js
    to copy them in from the page's one ``<template>``. The printed plan gets the texts.
    ``extra_cells``: the columns extensions add (``roadmaps.extensions``), a cell's HTML
    per measure id each, after the document's columns."""
    keys = [key for key, _ in columns]
    column_count = len(columns) + 1 + len(extra_cells) + (1 if can_edit else 0)
    actions_cell = ACTIONS_CELL if can_edit else ""
    for row in rows:
        obj = row.obj
        row.key = key = str(obj.pk)
        row.level = str(row.depth)
        if row.kind != "measure":
            if print_view:
                continue
            group = " plan-group" if obj.is_group else ""
            data = f' data-id="{key}" data-actions="section"' if can_edit else ""
            span = column_count - 1 if can_edit else column_count
            row.html = mark_safe(  # noqa: S308 - every text escaped
                f'<tr id="section-{key}" class="plan-section depth-{row.level}{group}"{data}>'
                f'<th scope="rowgroup" colspan="{span}">{escape(obj.number)} '
                f"{_text_html(obj.title)}</th>{actions_cell}</tr>"
            )
            continue
        texts = [_text_html(getattr(obj, key)) for key in keys]
        if print_view:
            row.cells = [mark_safe(text) for text in texts]  # noqa: S308 - escaped above
            continue
        cells: list[str] = []
        for column, text in zip(keys, texts, strict=True):
            if column == "number":
                cells.append(f'<td class="text-nowrap">{text}</td>')
            elif column == "result" and obj.indicator_id:
                indicator = escape(str(obj.indicator))
                cells.append(
                    f'<td>{text}<div class="small text-body-secondary mt-1">Показатель: '
                    f"{indicator}</div></td>"
                )
            else:
                cells.append(f"<td>{text}</td>")
            if column == "deadline_text":
                cells.append(f'<td class="small schedule-cell">{_schedule_html(row)}</td>')
        for extra in extra_cells:
            cells.append(f'<td class="small extra-cell">{extra.get(obj.pk, "")}</td>')
        data = f' data-id="{key}" data-actions="measure"' if can_edit else ""
        row.html = mark_safe(  # noqa: S308 - every text escaped above
            f'<tr id="measure-{key}" class="plan-measure depth-{row.level}" tabindex="0"{data}>'
            f"{''.join(cells)}{actions_cell}</tr>"
        )
    return rows


def plan_context(request, roadmap: Roadmap, *, print_view: bool = False) -> dict:
    due = request.GET.get("due", "")
    filters = selectors.PlanFilters(
        section=id_param(request.GET.get("section")),
        responsible=text_param(request.GET.get("responsible")),
        due_this_month=due == "month",
        overdue=due == "overdue",
        unscheduled=due == "unscheduled",
    )
    # The buttons this person may use; the print view shows none.
    grants = set() if print_view else object_grants(request.user, roadmap)
    actions = {} if print_view else plan_actions(request.user, roadmap, visible=True, grants=grants)
    can_edit = bool(actions.get("edit"))
    columns = plan_columns(roadmap)
    sections = selectors.plan_sections(roadmap)
    # What other apps add (execution: a column, a summary, buttons); not in print.
    extras = [] if print_view else extensions.plan_page(request, roadmap, actions)
    extra_columns = [page for page in extras if page.column_label]
    return {
        "roadmap": roadmap,
        "rows": with_cells(
            selectors.plan_rows(roadmap, filters, sections=sections),
            columns,
            print_view=print_view,
            can_edit=can_edit,
            extra_cells=[page.cells for page in extra_columns],
        ),
        "columns": columns,
        "extra_columns": [page.column_label for page in extra_columns],
        "extra_buttons": [button for page in extras for button in page.buttons],
        "extra_summaries": [page.summary for page in extras if page.summary],
        # number column + schedule column + extensions' columns + actions
        "column_count": len(columns) + 1 + len(extra_columns) + (1 if can_edit else 0),
        "filters": filters,
        "due": due,
        "sections": sections,
        "can_edit": can_edit,
        "actions": actions,
        "row_urls": _row_urls(roadmap) if can_edit else {},
        "print_view": print_view,
        "grants": grants,
    }


def load_for_change(model, user, pk: int, *, select_related: tuple[str, ...] = ()):
    """A part of a plan the person may change, in one query: loaded and decided by the
    verb's scope (``selectors.part_for_change``: the check the write needs), not loaded as
    visible and then checked again. Only a refusal asks once more, to answer 404 (not even
    visible) or 403 (visible, not changeable)."""
    obj = selectors.part_for_change(model, user, pk, select_related=select_related)
    if obj is None:
        get_object_for_user(model, user, pk)  # 404 when it is not even visible
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    # The proof the service takes instead of checking the plan again before its write.
    return services.mark_change_checked(obj, user)


def row_response(request, roadmap: Roadmap, kind: str, obj) -> HttpResponse:
    """Re-render one row of the plan table after an inline edit. A measure is the one the
    view holds (saved by the service, or just loaded), not loaded again; a section is read
    afresh (a move in the same request may have changed its parent)."""
    row = selectors.plan_row(roadmap, kind, obj.pk, obj=obj if kind == "measure" else None)
    columns = plan_columns(roadmap)
    if row is not None:
        with_cells([row], columns, can_edit=True)
    context = {
        "roadmap": roadmap,
        "row": row,
        "columns": columns,
        "column_count": len(columns) + 2,
        "can_edit": True,
    }
    return render(request, f"roadmaps/roadmap_detail.html#{kind}-row", context)


def table_response(request, roadmap: Roadmap) -> HttpResponse:
    """The whole plan table, swapped in place of #plan-table (after adding a row)."""
    response = render(
        request, "roadmaps/roadmap_detail.html#plan-table", plan_context(request, roadmap)
    )
    return reswap(retarget(response, "#plan-table"), "outerHTML")
