"""The import benchmark (``manage.py bench import``): a generated 2,000-measure .docx and a
10,000-row .xlsx parsed, previewed and committed inside a transaction that is rolled back."""

from __future__ import annotations

import time

from django.db import connection, transaction

from schools.constants import OrganisationKind
from schools.models import Municipality, Organisation, Region

from ..benchmarks import DEADLINES, Rollback


def _generated_docx(measures: int, sections: int) -> bytes:
    import io as _io

    import docx

    document = docx.Document()
    document.add_paragraph("УТВЕРЖДАЮ")
    document.add_paragraph("Начальник управления образования")
    document.add_paragraph("Н.А. Иванова")
    document.add_paragraph("01.09.2020")
    document.add_paragraph("ДОРОЖНАЯ КАРТА")
    document.add_paragraph("по повышению качества образования на 2020-2022 годы")
    per_section = measures // sections
    table = document.add_table(rows=1, cols=6)
    for cell, text in zip(
        table.rows[0].cells,
        [
            "№ п/п",
            "Мероприятия",
            "Сроки",
            "Целевая аудитория, исполнители",
            "Ответственные",
            "Предполагаемый результат",
        ],
        strict=True,
    ):
        cell.text = text
    for s in range(1, sections + 1):
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        merged.text = f"{s}. Раздел плана номер {s}"
        for m in range(1, per_section + 1):
            cells = table.add_row().cells
            values = [
                f"{s}.{m}.",
                f"Мероприятие {s}.{m}: семинар для заместителей директоров по качеству образования",
                DEADLINES[(s + m) % len(DEADLINES)],
                "Руководящие и педагогические работники ОО",
                "МБУ «ЦРО», руководители ОО",
                "Повышение качества образования в школах с низкими результатами",
            ]
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
    data = _io.BytesIO()
    document.save(data)
    return data.getvalue()


def _generated_xlsx(rows: int, sections: int) -> bytes:
    import io as _io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("План")
    sheet.append(["План мероприятий на 2020-2022 годы"])
    sheet.append(
        [
            "№ п/п",
            "Наименование мероприятия",
            "Срок проведения",
            "Ответственный исполнитель",
            "Ожидаемый результат",
        ]
    )
    per_section = rows // sections
    for s in range(1, sections + 1):
        sheet.append([f"{s}. Раздел {s}"])
        for m in range(1, per_section + 1):
            sheet.append(
                [
                    f"{s}.{m}.",
                    f"Мероприятие {s}.{m}",
                    DEADLINES[(s + m) % len(DEADLINES)],
                    "Отдел образования",
                    "Справка",
                ]
            )
    data = _io.BytesIO()
    book.save(data)
    return data.getvalue()


def _time_import(data: bytes, name: str, owner) -> dict:
    """The product's path: the bounded parse in its child process (as the worker runs it),
    the preview stored as JSON, then the commit from the stored preview."""
    import json
    import resource
    import tracemalloc

    from . import parse_bounded
    from .model import ParsedPlan
    from .service import roadmap_import, with_schedules

    tracemalloc.start()
    start = time.perf_counter()
    plan = with_schedules(parse_bounded(data, name))
    stored = json.dumps(plan.to_stored(), ensure_ascii=False)
    parsed = time.perf_counter()
    try:
        with transaction.atomic():
            roadmap_import(
                plan=ParsedPlan.from_stored(json.loads(stored)),
                owner=owner,
                file_name=name,
                data=data,
            )
            committed = time.perf_counter()
            raise Rollback
    except Rollback:
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "file_mb": round(len(data) / 1024 / 1024, 2),
        "measures": len(plan.all_measures()),
        "preview_json_mb": round(len(stored.encode()) / 1024 / 1024, 2),
        "parse_and_preview_s": round(parsed - start, 2),
        "commit_s": round(committed - parsed, 2),
        "total_s": round(committed - start, 2),
        "peak_python_mb": round(peak / 1024 / 1024, 1),
        "parse_child_max_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
    }


def bench_import(*, repeat: int = 1, **kwargs) -> dict:
    import resource

    result: dict = {"vendor": connection.vendor}
    try:
        with transaction.atomic():
            region = Region.objects.create(name="Бенчмарк-регион")
            municipality = Municipality.objects.create(region=region, name="Бенчмарк-район")
            owner = Organisation.objects.create(
                region=region,
                municipality=municipality,
                kind=OrganisationKind.METHOD_CENTRE,
                full_name="Центр (бенчмарк)",
                short_name="Центр (бенчмарк)",
            )
            started = time.perf_counter()
            docx_data = _generated_docx(2000, 40)
            xlsx_data = _generated_xlsx(10000, 100)
            result["generation_s"] = round(time.perf_counter() - started, 1)
            result["docx_2000_measures"] = _time_import(docx_data, "generated.docx", owner)
            result["xlsx_10000_rows"] = _time_import(xlsx_data, "generated.xlsx", owner)
            raise Rollback
    except Rollback:
        pass
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["budget"] = {"docx_2000_s": 20, "xlsx_10000_s": 60, "memory_mb": 500}
    return result
