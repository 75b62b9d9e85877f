"""The dashboards as files (through the reports: ``reports.services.dashboard_report_request``
makes the job, its worker calls ``dashboard_file``): a PDF laid out by
``templates/reports/pdf/dashboard.html`` with the same SVG charts as the page, and an .xlsx
with the same tables. The figures are the cached ones (``dashboard.cache``); their data,
as JSON, is attached to the PDF and digested into the report's fingerprint."""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import Decimal

from django.template.loader import render_to_string

from core.cells import escape_cell
from core.timezones import today_in
from monitoring.constants import Exam, school_year_label
from schools.models import Municipality, Region

from . import cache, pages
from .figures import Dashboard, SchoolDashboard

DATA_FORMAT = "roadmaps-edu/dashboard"


def _figures(target, school_year: int | None):
    if isinstance(target, Region):
        return cache.regional(target, today_in(target), school_year)
    if isinstance(target, Municipality):
        return cache.municipal(target, today_in(target.region), school_year)
    return cache.school(target, today_in(target.region))


def dashboard_title(target) -> str:
    if isinstance(target, Region):
        return f"Сводка по региону: {target.name}"
    if isinstance(target, Municipality):
        return f"Сводка по муниципалитету: {target.name}"
    return f"Сводка по школе: {target.short_name}"


def _plain(value):
    """Figures as JSON values (dict keys as text, numbers as numbers)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {
            ":".join(map(str, key)) if isinstance(key, tuple) else str(key): _plain(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def dashboard_data(target, school_year: int | None) -> dict:
    figures = _figures(target, school_year)
    return {"format": DATA_FORMAT, "version": 1, "figures": _plain(figures)}


def dashboard_file(target, school_year: int | None, fmt: str) -> tuple[bytes, int | None, dict]:
    """The file's bytes, its pages (PDF) and the data it is made of."""
    figures = _figures(target, school_year)
    data = {"format": DATA_FORMAT, "version": 1, "figures": _plain(figures)}
    title = dashboard_title(target)
    if fmt == "xlsx":
        return dashboard_xlsx(figures, title), None, data
    from reports.rendering import json_attachment, render_pdf

    if isinstance(figures, SchoolDashboard):
        context = pages.school_page(figures)
    else:
        context = pages.area_page(figures, sorted(figures.rows, key=lambda row: row.name))
    html = render_to_string("reports/pdf/dashboard.html", {**context, "title": title})
    rendered = render_pdf(
        html, attachments=[json_attachment("dashboard.json", data, "Данные сводки (JSON)")]
    )
    return rendered.data, rendered.pages, data


def dashboard_xlsx(figures, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Сводка"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"На {figures.today:%d.%m.%Y}"])
    sheet.append([])
    if isinstance(figures, Dashboard):
        _area_sheet(sheet, figures)
    else:
        _school_sheets(book, sheet, figures)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet, values) -> None:
    from openpyxl.styles import Font

    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _area_sheet(sheet, figures: Dashboard) -> None:
    years = figures.exam_years
    first = "Муниципалитет" if figures.kind == "region" else "Школа"
    _header(
        sheet,
        [
            first,
            "Школ",
            "ШНОР",
            "ШНСУ",
            "Планов",
            "Выполнено из наступивших сроков, %",
            "Выполнено в срок",
            "Выполнено с опозданием",
            "Просрочено",
            "Всего отметок",
            f"Значений за {school_year_label(figures.school_year)}",
            "С целевым значением",
            "Цель достигнута",
            *(f"ЕГЭ {year}" for year in years),
            *(f"ОГЭ {year}" for year in years),
        ],
    )
    for row in [*sorted(figures.rows, key=lambda r: r.name), figures.total]:
        sheet.append(
            [
                escape_cell(row.name),
                row.schools,
                row.low,
                row.unfavourable,
                row.plans_total,
                row.rollup.progress_percent,
                row.rollup.done,
                row.rollup.done_late,
                row.rollup.overdue,
                row.rollup.total,
                row.targets.reported,
                row.targets.with_target,
                row.targets.met,
                *(_average(row, Exam.EGE, year) for year in years),
                *(_average(row, Exam.OGE, year) for year in years),
            ]
        )
    sheet.column_dimensions["A"].width = 40
    if figures.curators:
        sheet.append([])
        _header(sheet, ["Куратор", "Школ", "Отметок ждут проверки", "Школы"])
        for name, schools, waiting, names in figures.curators:
            sheet.append([escape_cell(name), schools, waiting, escape_cell(", ".join(names))])
    if figures.campaigns:
        sheet.append([])
        _header(sheet, ["Мониторинг", "Срок", "Школ", "Ответили", "На уточнении", "Ждём"])
        for campaign in figures.campaigns:
            sheet.append(
                [
                    escape_cell(campaign["title"]),
                    campaign["due_on"],
                    campaign["total"],
                    campaign["submitted"],
                    campaign["reopened"],
                    campaign["pending"],
                ]
            )


def _average(row, exam, year):
    found = row.exam(exam, year)
    return found.average if found else None


def _school_sheets(book, sheet, figures: SchoolDashboard) -> None:
    _header(
        sheet,
        ["План", "Состояние", "Выполнено, %", "В срок", "С опозданием", "Просрочено", "Всего"],
    )
    for _, title, state, value in figures.plans:
        sheet.append(
            [
                escape_cell(title),
                state,
                value.progress_percent,
                value.done,
                value.done_late,
                value.overdue,
                value.total,
            ]
        )
    sheet.column_dimensions["A"].width = 60
    indicators = book.create_sheet("Показатели")
    years = [school_year_label(year) for year in figures.years]
    _header(
        indicators,
        ["Показатель", "Единица", *(f"{y} факт" for y in years), *(f"{y} цель" for y in years)],
    )
    for line in figures.indicators:
        indicators.append(
            [
                escape_cell(line.name),
                line.unit,
                *(line.values[y][0] if y in line.values else None for y in figures.years),
                *(line.targets.get(y) for y in figures.years),
            ]
        )
    indicators.column_dimensions["A"].width = 70
    exams = book.create_sheet("Экзамены")
    _header(
        exams,
        [
            "Экзамен",
            "Год",
            "Предмет",
            "Участников",
            "Не преодолели",
            "Группа 1",
            "Группа 2",
            "Группа 3",
            "Средний балл",
            "80 и выше",
        ],
    )
    for exam, by_year in figures.exams.items():
        for year in sorted(by_year, reverse=True):
            for row in by_year[year]:
                exams.append(
                    [
                        Exam(exam).label,
                        year,
                        escape_cell(row["subject__name"]),
                        row["participants"],
                        row["not_passed"],
                        row["band_low"],
                        row["band_mid"],
                        row["band_high"],
                        row["average"],
                        row["high_scorers"],
                    ]
                )
    exams.column_dimensions["C"].width = 34
