"""Execution reports: where a plan's measures stand, for the municipality (schools ×
measures) or one school, and a school over all its plans — as PDF and .xlsx.

The records are those the person sees (``ExecutionRecord.objects.for_user``); statuses and
roll-ups follow ``execution.status`` and ``execution.rollups`` on the day of the plan's
region. Colour is never the only signal: every mark is a word, every bar has its legend.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.cells import escape_cell
from core.timezones import today_in
from execution.models import ExecutionRecord
from execution.querysets import VIEW
from execution.rollups import Rollup, progress_bar, rollup
from execution.status import LABELS, RecordFacts, Status, status
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Roadmap
from roadmaps.selectors import plan_rows

from .constants import ReportFormat, ReportKind

# Short words of a status in a cell of the schools × measures table.
SHORT = {
    Status.DONE: "вып.",
    Status.DONE_LATE: "вып. с опозд.",
    Status.PARTLY: "частично",
    Status.NOT_DONE: "не вып.",
    Status.WAITING: "на пров.",
    Status.RETURNED: "возвр.",
    Status.OVERDUE: "просроч.",
    Status.DUE: "к вып.",
    Status.NOT_DUE: "срок не наст.",
    Status.UNSCHEDULED: "без срока",
}
# Fills of the bar segments in print (the same hues as the pages').
FILLS = {
    Status.DONE: "#198754",
    Status.DONE_LATE: "#0dcaf0",
    Status.WAITING: "#0d6efd",
    Status.PARTLY: "#ffc107",
    Status.RETURNED: "#e8a33a",
    Status.NOT_DONE: "#212529",
    Status.OVERDUE: "#dc3545",
    Status.DUE: "#6c757d",
    Status.NOT_DUE: "#c9d1da",
    Status.UNSCHEDULED: "#e3e6ea",
}
BAD = frozenset({Status.OVERDUE, Status.NOT_DONE, Status.RETURNED})


def bar_svg(value: Rollup, width_mm: int = 120) -> SafeString:
    """A stacked bar with explicit fills (no stylesheet classes: the same SVG in any PDF)."""
    segments = progress_bar(value)
    if not segments:
        return mark_safe("")  # noqa: S308 - constant
    parts, x = [], 0
    for segment in segments:
        if segment.percent:
            parts.append(
                f'<rect x="{x}" y="0" width="{segment.percent}" height="10" '
                f'fill="{FILLS[segment.status]}"/>'
            )
        x += segment.percent
    return mark_safe(  # noqa: S308 - numbers and constants
        f'<svg class="bar" style="width:{width_mm}mm;height:4mm" viewBox="0 0 100 10" '
        f'preserveAspectRatio="none"><rect width="100" height="10" fill="#eeeeee"/>'
        f"{''.join(parts)}</svg>"
    )


def legend(value: Rollup) -> list[tuple[str, str, int, int]]:
    """(fill, label, count, percent) of each status present."""
    return [(FILLS[s.status], LABELS[s.status], s.count, s.percent) for s in progress_bar(value)]


def percent_text(value: Rollup) -> str:
    percent = value.progress_percent
    if percent is None:
        return "сроки не наступили"
    return f"{value.completed} из {value.owed} · {percent} %"


@dataclass
class Line:
    """A measure of a school's list: its windows with statuses."""

    number: str
    title: str
    windows: list[dict] = field(default_factory=list)


@dataclass
class Block:
    """One plan of a school's report, or the one plan of a school's plan report."""

    roadmap: Roadmap
    total: Rollup
    lines: list[Line]


@dataclass
class ExecutionReport:
    kind: str
    title: str
    subtitle: str
    today: datetime.date
    total: Rollup
    data: dict
    # Municipality: measures (and section rows) × organisations.
    organisations: list = field(default_factory=list)
    matrix: list[dict] = field(default_factory=list)
    per_organisation: list[Rollup] = field(default_factory=list)
    # One school / a school over its plans.
    blocks: list[Block] = field(default_factory=list)

    @property
    def is_matrix(self) -> bool:
        return bool(self.organisations) and len(self.organisations) > 1 or bool(self.matrix)


def _records(user, **filters):
    return (
        ExecutionRecord.objects.for_user(user, VIEW)
        .filter(**filters)
        .order_by("due_on", "pk")
        .values_list(
            "measure_id",
            "organisation_id",
            "organisation__short_name",
            "due_on",
            "starts_on",
            "state",
            "done_on",
            "review",
            "note",
            "measure__roadmap_id",
        )
    )


def _window(row, today) -> tuple[Status, dict]:
    facts = RecordFacts(row[3], row[4], row[5], row[6], row[7])
    value = status(facts, today)
    return value, {
        "due": row[3].isoformat() if row[3] else None,
        "status": value.value,
        "label": LABELS[value],
        "done_on": row[6].isoformat() if row[6] else None,
        "note": row[8],
    }


def execution_report(user, *, kind: str, roadmap=None, organisation=None) -> ExecutionReport:
    if kind == ReportKind.PLAN_EXECUTION:
        if organisation is not None:
            return _plan_for_school(user, roadmap, organisation)
        return _plan_matrix(user, roadmap)
    return _school(user, organisation)


def _measure_rows(roadmap: Roadmap):
    return [(row.kind, row.obj, row.depth) for row in plan_rows(roadmap)]


def _plan_matrix(user, roadmap: Roadmap) -> ExecutionReport:
    today = today_in(roadmap.owner.region)
    records = list(_records(user, measure__roadmap=roadmap))
    organisations = sorted({(r[2], r[1]) for r in records})
    cells: dict[tuple[int, int], list[Status]] = defaultdict(list)
    facts_by_org: dict[int, list[RecordFacts]] = defaultdict(list)
    facts_by_measure: dict[int, list[RecordFacts]] = defaultdict(list)
    for row in records:
        value, _ = _window(row, today)
        cells[(row[0], row[1])].append(value)
        facts = RecordFacts(row[3], row[4], row[5], row[6], row[7])
        facts_by_org[row[1]].append(facts)
        facts_by_measure[row[0]].append(facts)
    matrix = []
    for kind, obj, _depth in _measure_rows(roadmap):
        if kind == "section":
            matrix.append({"kind": "section", "text": f"{obj.number} {obj.title}".strip()})
            continue
        row_cells = []
        for _, org_id in organisations:
            statuses = cells.get((obj.pk, org_id), [])
            row_cells.append(_cell(statuses))
        value = rollup(facts_by_measure.get(obj.pk, []), today)
        matrix.append(
            {
                "kind": "measure",
                "number": obj.number,
                "title": obj.title,
                "cells": row_cells,
                "total": percent_text(value) if value.total else "—",
            }
        )
    per_org = [rollup(facts_by_org[pk], today) for _, pk in organisations]
    total = rollup([f for facts in facts_by_org.values() for f in facts], today)
    data = {
        "format": "roadmaps-edu/plan-execution",
        "today": today.isoformat(),
        "roadmap": {"id": roadmap.pk, "revision": roadmap.revision, "title": roadmap.title},
        "organisations": [name for name, _ in organisations],
        "rows": [
            {k: v for k, v in row.items() if k != "cells"}
            | {"cells": [c["text"] for c in row.get("cells", [])]}
            for row in matrix
        ],
        "total": _rollup_data(total),
    }
    return ExecutionReport(
        kind=ReportKind.PLAN_EXECUTION,
        title=roadmap.title,
        subtitle="Исполнение плана по организациям-исполнителям",
        today=today,
        total=total,
        data=data,
        organisations=[name for name, _ in organisations],
        matrix=matrix,
        per_organisation=per_org,
    )


def _cell(statuses: list[Status]) -> dict:
    """A schools × measures cell: the statuses of its windows, counted («вып. 2 · просроч.
    1»); empty when the organisation owes nothing there."""
    if not statuses:
        return {"text": "", "bad": False}
    counts: dict[Status, int] = defaultdict(int)
    for value in statuses:
        counts[value] += 1
    parts = [
        SHORT[value] if count == 1 else f"{SHORT[value]} {count}" for value, count in counts.items()
    ]
    return {"text": " · ".join(parts), "bad": any(value in BAD for value in counts)}


def _rollup_data(value: Rollup) -> dict:
    return {s.value: getattr(value, s.value) for s in Status} | {
        "progress_percent": value.progress_percent
    }


def _lines(roadmap: Roadmap, records, today) -> tuple[list[Line], list[RecordFacts]]:
    by_measure: dict[int, list] = defaultdict(list)
    facts = []
    for row in records:
        by_measure[row[0]].append(row)
        facts.append(RecordFacts(row[3], row[4], row[5], row[6], row[7]))
    lines = []
    for kind, obj, _ in _measure_rows(roadmap):
        if kind != "measure" or obj.pk not in by_measure:
            continue
        line = Line(obj.number, obj.title)
        for row in by_measure[obj.pk]:
            value, window = _window(row, today)
            window["bad"] = value in BAD
            line.windows.append(window)
        lines.append(line)
    return lines, facts


def _plan_for_school(user, roadmap: Roadmap, organisation) -> ExecutionReport:
    today = today_in(roadmap.owner.region)
    records = list(_records(user, measure__roadmap=roadmap, organisation=organisation))
    lines, facts = _lines(roadmap, records, today)
    total = rollup(facts, today)
    data = {
        "format": "roadmaps-edu/plan-execution",
        "today": today.isoformat(),
        "roadmap": {"id": roadmap.pk, "revision": roadmap.revision, "title": roadmap.title},
        "organisation": organisation.short_name,
        "lines": [line.__dict__ for line in lines],
        "total": _rollup_data(total),
    }
    return ExecutionReport(
        kind=ReportKind.PLAN_EXECUTION,
        title=roadmap.title,
        subtitle=f"Исполнение плана: {organisation.full_name}",
        today=today,
        total=total,
        data=data,
        blocks=[Block(roadmap, total, lines)],
    )


def _school(user, organisation) -> ExecutionReport:
    today = today_in(organisation.region)
    records = list(
        _records(
            user,
            organisation=organisation,
            measure__roadmap__status__in=(RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED),
        )
    )
    by_plan: dict[int, list] = defaultdict(list)
    for row in records:
        by_plan[row[9]].append(row)
    plans = Roadmap.objects.select_related("owner__region").in_bulk(list(by_plan))
    blocks, all_facts = [], []
    for plan in sorted(
        plans.values(), key=lambda p: (p.status != RoadmapStatus.EXECUTION, p.title)
    ):
        plan_today = today_in(plan.owner.region)
        lines, facts = _lines(plan, by_plan[plan.pk], plan_today)
        all_facts.extend(facts)
        blocks.append(Block(plan, rollup(facts, plan_today), lines))
    total = Rollup()
    for block in blocks:
        total = total + block.total
    data = {
        "format": "roadmaps-edu/school-execution",
        "today": today.isoformat(),
        "organisation": organisation.short_name,
        "plans": [
            {
                "id": block.roadmap.pk,
                "title": block.roadmap.title,
                "status": block.roadmap.status,
                "total": _rollup_data(block.total),
                "lines": [line.__dict__ for line in block.lines],
            }
            for block in blocks
        ],
        "total": _rollup_data(total),
    }
    return ExecutionReport(
        kind=ReportKind.SCHOOL_EXECUTION,
        title=organisation.full_name,
        subtitle="Исполнение планов мероприятий",
        today=today,
        total=total,
        data=data,
        blocks=blocks,
    )


# --- Files ----------------------------------------------------------------------------------


def render_execution(report: ExecutionReport, fmt: str) -> tuple[bytes, int | None]:
    if fmt == ReportFormat.XLSX:
        return execution_xlsx(report), None
    from .rendering import json_attachment, render_pdf

    html = render_to_string(
        "reports/pdf/execution.html",
        {
            "report": report,
            "bar": bar_svg(report.total),
            "legend": legend(report.total),
            "progress": percent_text(report.total),
            "per_organisation": [
                (name, percent_text(value), bar_svg(value, 20))
                for name, value in zip(report.organisations, report.per_organisation, strict=True)
            ],
            "blocks": [
                (block, percent_text(block.total), bar_svg(block.total, 80))
                for block in report.blocks
            ],
        },
    )
    rendered = render_pdf(
        html, attachments=[json_attachment("execution.json", report.data, "Данные отчёта")]
    )
    return rendered.data, rendered.pages


def execution_xlsx(report: ExecutionReport) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Исполнение"
    bold = Font(bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    bad_fill = PatternFill("solid", fgColor="F8D7DA")
    sheet.append([escape_cell(report.title)])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.append([escape_cell(report.subtitle)])
    sheet.append([f"По состоянию на {report.today:%d.%m.%Y}"])
    sheet.append([f"Выполнено: {percent_text(report.total)}"])
    sheet.append([", ".join(f"{label}: {count}" for _, label, count, _ in legend(report.total))])
    sheet.append([])

    def header(values):
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
            cell.border = border
            cell.alignment = wrap

    if report.matrix:
        header(["№ п/п", "Мероприятие", *report.organisations, "Итого по мероприятию"])
        width = 3 + len(report.organisations)
        for row in report.matrix:
            if row["kind"] == "section":
                sheet.append([escape_cell(row["text"])])
                current = sheet.max_row
                sheet.merge_cells(
                    start_row=current, start_column=1, end_row=current, end_column=width
                )
                sheet.cell(row=current, column=1).font = bold
                continue
            sheet.append(
                [
                    escape_cell(row["number"]),
                    escape_cell(row["title"]),
                    *[cell["text"] for cell in row["cells"]],
                    row["total"],
                ]
            )
            current = sheet.max_row
            for n, cell in enumerate(row["cells"], start=3):
                if cell["bad"]:
                    sheet.cell(row=current, column=n).fill = bad_fill
            for cell in sheet[current]:
                cell.border = border
                cell.alignment = wrap
        header(
            [
                "",
                "Итого по организации",
                *[percent_text(value) for value in report.per_organisation],
                percent_text(report.total),
            ]
        )
        sheet.column_dimensions["A"].width = 8
        sheet.column_dimensions["B"].width = 50
        for index in range(3, width + 1):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 16
    else:
        for block in report.blocks:
            sheet.append([escape_cell(block.roadmap.title)])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            sheet.append([f"Выполнено: {percent_text(block.total)}"])
            header(["№ п/п", "Мероприятие", "Срок", "Состояние", "Дата выполнения", "Комментарий"])
            for line in block.lines:
                for n, window in enumerate(line.windows):
                    due = datetime.date.fromisoformat(window["due"]) if window["due"] else None
                    done = (
                        datetime.date.fromisoformat(window["done_on"])
                        if window["done_on"]
                        else None
                    )
                    sheet.append(
                        [
                            escape_cell(line.number) if n == 0 else "",
                            escape_cell(line.title) if n == 0 else "",
                            f"{due:%d.%m.%Y}" if due else "без срока",
                            window["label"],
                            f"{done:%d.%m.%Y}" if done else "",
                            escape_cell(window["note"]),
                        ]
                    )
                    current = sheet.max_row
                    if window["bad"]:
                        sheet.cell(row=current, column=4).fill = bad_fill
                    for cell in sheet[current]:
                        cell.border = border
                        cell.alignment = wrap
            sheet.append([])
        for letter, width in zip("ABCDEF", (8, 50, 12, 22, 14, 40), strict=True):
            sheet.column_dimensions[letter].width = width
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
