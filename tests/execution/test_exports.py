"""Plan exports with the marks per organisation (``?execution=1``: execution.exports
through roadmaps.extensions (export_columns)), read back as a person opens them."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from execution import services as execution
from execution.exports import export_columns
from execution.models import ExecutionRecord
from roadmaps import exports, services
from roadmaps.constants import AssignmentMode
from roadmaps.models import Measure, Roadmap

D = datetime.date
SCHOOL, SECOND = "МБОУ СОШ № 3", "МБОУ СОШ № 5"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


def build_plan(world, coordinator, copies=1) -> Roadmap:
    """A municipal plan for 2020–2021 whose marks need no acceptance: per copy, a
    seminar in March and September 2020 for both home schools and consultations without
    a date for the first."""
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта Новокубанского района",
        period_start=D(2020, 1, 1),
        period_end=D(2021, 12, 31),
    )
    for n in range(copies):
        seminar = services.measure_create(
            roadmap=plan,
            acting_user=coordinator,
            title=f"Семинар {n}",
            deadline_text="март, сентябрь 2020",
        )
        services.measure_assign(
            measure=seminar,
            acting_user=coordinator,
            mode=AssignmentMode.ORGANISATIONS,
            organisations=[world.school, world.second_school],
        )
        consultations = services.measure_create(
            roadmap=plan,
            acting_user=coordinator,
            title=f"Консультации {n}",
            deadline_text="по отдельному плану",
        )
        services.measure_assign(
            measure=consultations,
            acting_user=coordinator,
            mode=AssignmentMode.ORGANISATIONS,
            organisations=[world.school],
        )
    return Roadmap.objects.get(pk=plan.pk)


def record(plan, organisation, due_on, title="Семинар 0"):
    return ExecutionRecord.objects.get(
        measure__roadmap=plan, measure__title=title, organisation=organisation, due_on=due_on
    )


@pytest.fixture
def plan(world, coordinator):
    """In execution, marked: the first school did March on time and owes September; the
    second did March late and did not do September."""
    plan = build_plan(world, coordinator)
    Roadmap.objects.filter(pk=plan.pk).update(marks_need_acceptance=False)
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    march, september = D(2020, 3, 31), D(2020, 9, 30)
    execution.mark(
        records=record(plan, world.school, march),
        acting_user=world.user("school_deputy"),
        state="done",
        done_on=D(2020, 3, 12),
    )
    execution.mark(
        records=record(plan, world.second_school, march),
        acting_user=coordinator,
        state="done",
        done_on=D(2020, 4, 5),
    )
    execution.mark(
        records=record(plan, world.second_school, september),
        acting_user=coordinator,
        state="not_done",
    )
    return Roadmap.objects.get(pk=plan.pk)


def download(client, user, plan, fmt, query="?execution=1"):
    client.force_login(user)
    url = reverse("roadmap_export", kwargs={"pk": plan.pk, "fmt": fmt}) + query
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def sheet_rows(data):
    """The table of the sheet from its header row on: {first cells' title: row}."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(rows) if "Мероприятие" in row)
    header = rows[start]
    title = header.index("Мероприятие")
    return header, {row[title]: row for row in rows[start + 1 :] if row[title]}


SEMINAR_SCHOOL = "до 31.03.2020: Выполнено 12.03.2020\nдо 30.09.2020: Просрочено"
SEMINAR_SECOND = "до 31.03.2020: Выполнено с опозданием 05.04.2020\nдо 30.09.2020: Не выполнено"


def test_xlsx_adds_a_column_per_school_with_its_windows(client, world, coordinator, plan):
    header, rows = sheet_rows(download(client, coordinator, plan, "xlsx"))
    assert header[-3:] == ["Предполагаемый результат", SCHOOL, SECOND]
    assert rows["Семинар 0"][-2:] == [SEMINAR_SCHOOL, SEMINAR_SECOND]
    assert rows["Консультации 0"][-2] == "Без срока"
    assert rows["Консультации 0"][-1] in {None, ""}


def test_docx_adds_one_column_listing_each_school(client, world, coordinator, plan):
    document = docx.Document(io.BytesIO(download(client, coordinator, plan, "docx")))
    (table,) = document.tables
    assert table.rows[0].cells[-1].text == "Отметка об исполнении"
    rows = {row.cells[1].text: row.cells[-1] for row in table.rows[1:]}
    cell = rows["Семинар 0"]
    assert cell.text == f"{SCHOOL}\n{SEMINAR_SCHOOL}\n{SECOND}\n{SEMINAR_SECOND}"
    names = [p.runs[0] for p in cell.paragraphs if p.text in {SCHOOL, SECOND}]
    assert [run.bold for run in names] == [True, True]
    assert rows["Консультации 0"].text == f"{SCHOOL}\nБез срока"


def test_the_documents_own_mark_column_stays_and_the_added_one_says_per_organisation(
    client, world, coordinator, plan
):
    Roadmap.objects.filter(pk=plan.pk).update(
        columns=["number", "title", "deadline_text", "status_text"]
    )
    Measure.objects.filter(roadmap=plan, title="Семинар 0").update(status_text="Проведено")
    document = docx.Document(io.BytesIO(download(client, coordinator, plan, "docx")))
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header == [
        "№ п/п",
        "Мероприятие",
        "Сроки",
        "Отметка об исполнении",
        "Отметка об исполнении (по организациям)",
    ]
    seminar = next(row for row in document.tables[0].rows if row.cells[1].text == "Семинар 0")
    assert seminar.cells[3].text == "Проведено"


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_without_the_option_the_export_is_the_document(client, world, coordinator, plan, fmt):
    data = download(client, coordinator, plan, fmt, query="")
    assert data_without_marks(data, fmt)


def data_without_marks(data, fmt) -> bool:
    if fmt == "xlsx":
        header, _ = sheet_rows(data)
        return SCHOOL not in header and header[-1] == "Предполагаемый результат"
    table = docx.Document(io.BytesIO(data)).tables[0]
    return table.rows[0].cells[-1].text == "Предполагаемый результат"


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_plan_not_in_execution_has_no_marks_to_add(client, world, coordinator, fmt):
    plan = build_plan(world, coordinator)
    assert data_without_marks(download(client, coordinator, plan, fmt), fmt)


def test_only_the_records_the_person_may_view(world, plan):
    """The Армавир curator of the first school sees its records, not the second's."""
    columns = export_columns(plan, world.user("foreign_curator"))
    assert [organisation.name for organisation in columns.organisations] == [SCHOOL]
    assert exports.extra_columns(plan, world.user("outsider"), {"execution": "1"}) == []


def test_names_that_look_like_formulas_are_escaped(client, world, coordinator, plan):
    type(world.second_school).objects.filter(pk=world.second_school.pk).update(
        short_name="=HYPERLINK(1)"
    )
    header, rows = sheet_rows(download(client, coordinator, plan, "xlsx"))
    # Organisations by name: the renamed one comes first.
    assert header[-2:] == ["'=HYPERLINK(1)", SCHOOL]
    assert rows["Семинар 0"][-2:] == [SEMINAR_SECOND, SEMINAR_SCHOOL]


def test_export_columns_take_as_many_queries_for_a_large_plan(world, coordinator):
    counts = []
    for copies in (1, 8):
        plan = build_plan(world, coordinator, copies=copies)
        execution.start_execution(roadmap=plan, acting_user=coordinator)
        plan = Roadmap.objects.select_related("owner__region").get(pk=plan.pk)
        export_columns(plan, coordinator)  # the person's scope, cached for the request
        with CaptureQueriesContext(connection) as queries:
            columns = export_columns(plan, coordinator)
        assert sum(len(o.lines) for o in columns.organisations) == 3 * copies
        counts.append(len(queries))
    # 1: the records with their organisations.
    assert counts == [1, 1]
