"""What execution adds to the roadmap pages (``roadmaps.extensions``; registered in
``ExecutionConfig.ready``): the plans an organisation owes work on become visible to its
people; the plan page gets the «Исполнение» column, a summary and its buttons; the plan
list gets a progress bar per plan."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import mark_safe

from roadmaps.constants import RoadmapStatus
from roadmaps.extensions import PlanExtension, PlanPage

from .exports import OPTION as EXPORT_OPTION
from .exports import export_columns
from .html import bar_html, progress_html
from .models import ExecutionRecord
from .selectors import plan_execution, plans_progress
from .services import STARTABLE_STATUSES

TRACKED = {RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED}


def visible_plans(user):
    return ExecutionRecord.objects.owed_plan_ids(user)


def may_start(roadmap, actions) -> bool:
    """«Начать исполнение»: a plan the person may change that can enter execution (the
    checks the service makes). A draft is offered only when its document says it was
    approved outside this product (an imported «УТВЕРЖДЕНО» with an order or a name):
    every other draft goes through agreement and approval first."""
    if roadmap.is_template or roadmap.status not in STARTABLE_STATUSES:
        return False
    if roadmap.status == RoadmapStatus.DRAFT and not (
        roadmap.approval_order or roadmap.approval_name
    ):
        return False
    return bool(actions.get("change"))


def start_label(roadmap) -> str:
    if roadmap.status == RoadmapStatus.DRAFT:
        return "Начать исполнение (утверждён вне системы)"
    return "Начать исполнение"


def _own_cell(rows, mark_url: str) -> str:
    """The cell of a measure for the organisation that owes it: a badge per window, each
    a link to its record."""
    parts = []
    for row in rows:
        record = row.record
        when = f"{record.due_on:%d.%m.%Y}" if record.due_on else "без срока"
        href = f"{mark_url}{record.pk}/"
        parts.append(
            f'<div class="mb-1"><a class="badge text-decoration-none {row.badge_class}" '
            f'href="{href}" title="{escape(row.status.label)} — срок {when}">{escape(row.badge)}</a></div>'
        )
    return "".join(parts)


def plan_page(request, roadmap, actions):
    user = request.user
    if roadmap.status not in TRACKED:
        if may_start(roadmap, actions):
            return PlanPage(
                buttons=[
                    (
                        start_label(roadmap),
                        reverse("roadmap_start_execution", kwargs={"pk": roadmap.pk}),
                        "btn-success",
                    )
                ]
            )
        return None
    execution = plan_execution(user, roadmap)
    page = PlanPage(column_label="Исполнение")
    execution_url = reverse("roadmap_execution", kwargs={"pk": roadmap.pk})
    record_url = reverse("record_detail", kwargs={"pk": 1}).rsplit("1/", 1)[0]
    if execution.own_rows is not None:
        for measure_id, own in execution.own_rows.items():
            page.cells[measure_id] = mark_safe(_own_cell(own, record_url))  # noqa: S308
    else:
        for measure_id, value in execution.by_measure.items():
            percent = value.progress_percent
            figures = f"{percent} %" if percent is not None else "—"
            overdue = (
                f' <span class="text-danger">просрочено {value.overdue}</span>'
                if value.overdue
                else ""
            )
            page.cells[measure_id] = mark_safe(  # noqa: S308 - numbers, escaped URL
                f'<a class="text-decoration-none d-block" href="{execution_url}?measure={measure_id}">'
                f'<span class="small text-nowrap">{figures}{overdue}</span>'
                f"{bar_html(value, height=6)}</a>"
            )
    if execution.total.total:
        who = (
            escape(execution.by_organisation[0][0].short_name)
            if execution.own_rows is not None
            else f"{len(execution.by_organisation)} организаций"
        )
        page.summary = mark_safe(  # noqa: S308 - escaped
            '<div class="card mb-3 d-print-none"><div class="card-body py-2">'
            f'<div class="d-flex flex-wrap gap-2 align-items-baseline mb-1"><strong>Исполнение</strong>'
            f'<span class="small text-body-secondary">{who}</span>'
            f'<a class="small ms-auto" href="{execution_url}">Подробно по школам и мероприятиям</a></div>'
            f"{bar_html(execution.total, height=12, legend=True)}</div></div>"
        )
    page.buttons.append(("Исполнение", execution_url, "btn-outline-success"))
    if actions.get("export"):
        for fmt, label in (("xlsx", "Excel с отметками"), ("docx", "Word с отметками")):
            url = reverse("roadmap_export", kwargs={"pk": roadmap.pk, "fmt": fmt})
            page.buttons.append((label, f"{url}?{EXPORT_OPTION}=1", "btn-outline-secondary"))
    return page


def plan_list(user, roadmaps):
    return {pk: progress_html(value) for pk, value in plans_progress(user, roadmaps).items()}


def overdue_measures(roadmap, today):
    """Measures of a plan in execution with a record overdue (nothing marked, due day
    passed, not returned: the status OVERDUE of ``execution.status``)."""
    if roadmap.status not in TRACKED:
        return None
    return (
        ExecutionRecord.objects.filter(measure__roadmap=roadmap, state="pending", due_on__lt=today)
        .exclude(review="returned")
        .order_by()
        .values("measure_id")
    )


EXTENSION = PlanExtension(
    name="execution",
    export_columns=export_columns,
    export_option=EXPORT_OPTION,
    visible_plans=visible_plans,
    plan_page=plan_page,
    plan_list=plan_list,
    overdue_measures=overdue_measures,
)
