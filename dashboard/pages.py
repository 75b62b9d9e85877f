"""What a dashboard page (and its PDF and .xlsx) shows, from the cached figures: the rows
with their cells, the charts. Plain Python over ``dashboard.figures``; no query."""

from __future__ import annotations

from dataclasses import dataclass

from monitoring.constants import EXAM_BANDS, Exam, IndicatorCategory, school_year_label
from roadmaps.constants import RoadmapStatus

from . import charts
from .figures import PLAN_STATES, AreaRow, Dashboard, SchoolDashboard

EXAM_ORDER = (Exam.EGE, Exam.OGE, Exam.VPR)
EXAM_SCALES = {Exam.EGE: (0, 100), Exam.OGE: (2, 5), Exam.VPR: (2, 5)}
STATE_LABELS = {state: RoadmapStatus(state).label for state in PLAN_STATES}
STATE_SHORT = {
    RoadmapStatus.DRAFT: "черн.",
    RoadmapStatus.CONCURRENCE: "согл.",
    RoadmapStatus.APPROVED: "утв.",
    RoadmapStatus.EXECUTION: "исп.",
    RoadmapStatus.CLOSED: "закр.",
}


def _num(value) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    return text.replace(".", ",")


@dataclass
class ExamCell:
    text: str
    trend: str  # "↑", "↓", "" — against the year before
    trend_word: str  # for screen readers and print: «выше, чем в 2024»


def exam_cells(row: AreaRow, exam: str, years: list[int]) -> list[ExamCell]:
    cells, previous = [], None
    for year in years:
        found = row.exam(exam, year)
        value = found.average if found else None
        trend = word = ""
        if value is not None and previous is not None and value != previous:
            trend = "↑" if value > previous else "↓"
            word = f"{'выше' if value > previous else 'ниже'}, чем годом раньше"
        cells.append(ExamCell(_num(value), trend, word))
        if value is not None:
            previous = value
    return cells


def plans_text(plans: dict[str, int]) -> str:
    """«2 исп., 1 утв., 1 черн.» — the plans by state, most advanced first."""
    parts = [
        f"{plans[state]} {STATE_SHORT[state]}"
        for state in reversed(PLAN_STATES)
        if plans.get(state)
    ]
    return ", ".join(parts) or "—"


def progress_text(row: AreaRow) -> str:
    value = row.rollup
    percent = value.progress_percent
    if percent is None:
        return "сроки не наступили" if value.total else "нет планов на исполнении"
    return f"{percent} % · {value.completed} из {value.owed}"


def targets_text(row: AreaRow) -> str:
    targets = row.targets
    if not targets.with_target:
        return f"нет целевых ({targets.reported} знач.)" if targets.reported else "—"
    return f"{targets.met} из {targets.with_target} · {targets.percent} %"


def area_page(dashboard: Dashboard, rows: list[AreaRow]) -> dict:
    """Rows and charts of a regional or municipal dashboard (``rows``: sorted)."""
    years = dashboard.exam_years
    table = [
        {
            "row": row,
            "plans": plans_text(row.plans),
            "progress": progress_text(row),
            "targets": targets_text(row),
            "ege": exam_cells(row, Exam.EGE, years),
            "oge": exam_cells(row, Exam.OGE, years),
            "bar": charts.status_bar(row.rollup, width=160, height=10, label=row.name),
        }
        for row in rows
    ]
    total = dashboard.total
    progress = charts.bars(
        [
            charts.BarItem(
                row.name,
                row.rollup.progress_percent,
                progress_text(row)
                + (f" · просрочено {row.rollup.overdue}" if row.rollup.overdue else ""),
                warn=bool(row.rollup.owed) and row.rollup.overdue * 5 > row.rollup.owed,
            )
            for row in rows
        ],
        title="Выполнено из наступивших сроков (красным и «!» — просрочено больше пятой части)",
    )
    exam_charts = []
    for exam in (Exam.EGE, Exam.OGE):
        low, high = EXAM_SCALES[exam]
        series = [
            (
                "В среднем" if dashboard.kind == "region" else dashboard.name,
                {year: total.exam(exam, year).average for year in years if total.exam(exam, year)},
            )
        ]
        chart = charts.lines(
            series,
            years,
            title=f"Средний балл {Exam(exam).label} по годам ({dashboard.name})",
            low=low,
            high=high,
        )
        if chart:
            exam_charts.append((Exam(exam).label, chart))
    return {
        "dashboard": dashboard,
        "table": table,
        "total": {
            "row": total,
            "plans": plans_text(total.plans),
            "progress": progress_text(total),
            "targets": targets_text(total),
            "ege": exam_cells(total, Exam.EGE, years),
            "oge": exam_cells(total, Exam.OGE, years),
            "bar": charts.status_bar(total.rollup, width=400, height=14, label=dashboard.name),
        },
        "plan_states": [(STATE_LABELS[state], total.plans.get(state, 0)) for state in PLAN_STATES],
        "progress_chart": progress,
        "exam_charts": exam_charts,
        "school_year_text": school_year_label(dashboard.school_year),
    }


def school_page(data: SchoolDashboard) -> dict:
    """Plans, marks, the indicator tables by category, the exam tables and trends."""
    categories = []
    for value, label in IndicatorCategory.choices:
        lines = [line for line in data.indicators if line.category == value]
        if lines:
            categories.append(
                (
                    label,
                    [
                        {
                            "line": line,
                            "cells": [
                                {
                                    "value": line.values.get(year),
                                    "target": line.targets.get(year),
                                    "met": line.met(year),
                                }
                                for year in data.years
                            ],
                        }
                        for line in lines
                    ],
                )
            )
    exams = []
    for exam in EXAM_ORDER:
        by_year = data.exams.get(exam)
        if not by_year:
            continue
        latest = max(by_year)
        low, high = EXAM_SCALES[exam]
        trend = data.exam_trend.get(exam, {})
        chart = charts.lines(
            [("Средний балл школы", {year: trend[year].average for year in trend})],
            sorted(by_year),
            title=f"Средний балл {Exam(exam).label} по годам",
            low=low,
            high=high,
        )
        exams.append(
            {
                "exam": exam,
                "label": Exam(exam).label,
                "bands": EXAM_BANDS[exam],
                "latest": latest,
                "rows": by_year[latest],
                "years": sorted(by_year, reverse=True),
                "by_year": by_year,
                "chart": chart,
                "high_scores": exam == Exam.EGE,
            }
        )
    return {
        "school": data,
        "bar": charts.status_bar(data.total, width=400, height=14, label=data.name),
        "plans": [
            (pk, title, state, value, charts.status_bar(value, width=160, height=10, label=title))
            for pk, title, state, value in data.plans
        ],
        "years_text": [school_year_label(year) for year in data.years],
        "categories": categories,
        "exams": exams,
    }
