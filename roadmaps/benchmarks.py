"""Benchmarks on generated data of realistic size, run by ``manage.py bench``.

Each benchmark builds its data inside a transaction that is rolled back at the end, so
it can run against any database (the numbers that count are on PostgreSQL)."""

from __future__ import annotations

import datetime
import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.constants import OrganisationKind, Role
from schools.models import Membership, Municipality, Organisation, Region, User

from .constants import AssignmentMode
from .models import Measure, MeasureWindow, Roadmap, Section
from .schedules import derive

DEADLINES = [
    "Сентябрь 2021",
    "Ежегодно июнь - сентябрь",
    "2 раза в год",
    "В течение периода",
    "1 раз в квартал",
    "по отдельному плану",
    "Март-май",
    "до 1 октября 2021 года",
]


class _Rollback(Exception):
    pass


def _measure(fn, repeat: int) -> tuple[float, int]:
    """Median milliseconds and the query count of one call."""
    timings = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = fn()
            timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"unexpected status {response.status_code}")
        queries = len(captured.captured_queries)
    return round(statistics.median(timings), 1), queries


def bench_roadmaps(
    *, measures: int = 300, sections: int = 12, schools: int = 30, repeat: int = 7
) -> dict:
    result: dict = {}
    try:
        with transaction.atomic():
            region = Region.objects.create(name="Бенчмарк-регион")
            municipality = Municipality.objects.create(region=region, name="Бенчмарк-район")
            authority = Organisation.objects.create(
                region=region,
                municipality=municipality,
                kind=OrganisationKind.MUNICIPAL_AUTHORITY,
                full_name="Управление образования (бенчмарк)",
                short_name="УО (бенчмарк)",
            )
            school_rows = Organisation.objects.bulk_create(
                Organisation(
                    region=region,
                    municipality=municipality,
                    kind=OrganisationKind.SCHOOL,
                    full_name=f"Школа № {n} (бенчмарк)",
                    short_name=f"СОШ № {n}",
                    is_low_results=n % 2 == 0,
                )
                for n in range(1, schools + 1)
            )
            user = User.objects.create_user(username="bench-coordinator", password=None)
            Membership.objects.create(
                user=user, organisation=authority, role=Role.MUNICIPAL_COORDINATOR
            )
            period = (datetime.date(2020, 1, 1), datetime.date(2022, 12, 31))
            roadmap = Roadmap.objects.create(
                owner=authority, title="Бенчмарк-план", period_start=period[0], period_end=period[1]
            )
            roadmap.school_group.set(school_rows)
            section_rows = Section.objects.bulk_create(
                Section(roadmap=roadmap, number=f"{n}.", title=f"Раздел {n}", order=n)
                for n in range(1, sections + 1)
            )
            per_section = measures // sections
            measure_rows = []
            for s_index, section in enumerate(section_rows):
                for m in range(per_section):
                    deadline = DEADLINES[(s_index + m) % len(DEADLINES)]
                    derived = derive(deadline, *period)
                    measure = Measure(
                        roadmap=roadmap,
                        section=section,
                        number=f"{s_index + 1}.{m + 1}.",
                        title=f"Мероприятие {s_index + 1}.{m + 1}: семинар для заместителей директоров по качеству образования",
                        deadline_text=deadline,
                        schedule_kind=derived.kind,
                        audience="Заместители директоров",
                        responsible_text="МБУ «ЦРО», руководители ОО",
                        result="Повышение качества образования",
                        assignment_mode=AssignmentMode.PLAN_GROUP,
                        order=m + 1,
                    )
                    measure._derived = derived
                    measure_rows.append(measure)
            Measure.objects.bulk_create(measure_rows)
            MeasureWindow.objects.bulk_create(
                MeasureWindow(measure=m, starts_on=start, due_on=end)
                for m in measure_rows
                for start, end in m._derived.windows
            )
            host = next(
                (h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))),
                "localhost",
            )
            client = Client(HTTP_HOST=host)
            client.force_login(user)
            page_url = reverse("roadmap_detail", kwargs={"pk": roadmap.pk})
            client.get(page_url)  # warm up template loading and caches
            page_ms, page_queries = _measure(lambda: client.get(page_url), repeat)

            target = measure_rows[len(measure_rows) // 2]
            edit_url = reverse("measure_edit", kwargs={"pk": target.pk})
            counter = {"n": 0}

            def edit():
                counter["n"] += 1
                version = Measure.objects.get(pk=target.pk).version
                return client.post(
                    edit_url,
                    {
                        "version": version,
                        "number": target.number,
                        "title": f"{target.title} ({counter['n']})",
                        "deadline_text": "Ежегодно июнь - сентябрь",
                        "audience": target.audience,
                        "responsible_text": target.responsible_text,
                        "result": target.result,
                        "indicator_text": "",
                        "status_text": "",
                    },
                    headers={"HX-Request": "true"},
                )

            edit()
            edit_ms, edit_queries = _measure(edit, repeat)
            result = {
                "vendor": connection.vendor,
                "data": {
                    "measures": len(measure_rows),
                    "sections": sections,
                    "schools": schools,
                    "windows": MeasureWindow.objects.filter(measure__roadmap=roadmap).count(),
                },
                "plan_page": {"median_ms": page_ms, "queries": page_queries, "budget_ms": 300},
                "inline_edit": {
                    "median_ms": edit_ms,
                    "queries": edit_queries,
                    "budget_ms": 50,
                    "note": "server time of the POST incl. re-deriving the schedule and rendering the row",
                },
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


BENCHMARKS = {"roadmaps": bench_roadmaps}


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

    from .importing import parse_bounded
    from .importing.model import ParsedPlan
    from .importing_service import roadmap_import, with_schedules

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
            raise _Rollback
    except _Rollback:
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
            raise _Rollback
    except _Rollback:
        pass
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["budget"] = {"docx_2000_s": 20, "xlsx_10000_s": 60, "memory_mb": 500}
    return result


BENCHMARKS["import"] = bench_import
