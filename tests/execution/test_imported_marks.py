"""A plan that enters execution carries the marks its own column «Отметка об исполнении»
states (execution.services.start_execution with execution.imported)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.timezones import today_in
from execution import services as execution
from execution.models import ExecutionRecord, MarkState, ReviewState
from execution.services import IMPORTED_REASON
from execution.status import RecordFacts, Status, status
from roadmaps import services
from roadmaps.constants import AssignmentMode
from roadmaps.models import Measure, Roadmap

D = datetime.date


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


def build_plan(world, coordinator, texts, *, copies=1):
    """A municipal plan from 2020: per copy and per text, a seminar in March and
    September 2020 for both home schools with that text in «Отметка об исполнении»
    (as an import stores it), and an unscheduled consultation for the first school."""
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта Новокубанского района",
        period_start=D(2020, 1, 1),
        period_end=D(2021, 12, 31),
    )
    for n in range(copies):
        for text in texts:
            seminar = services.measure_create(
                roadmap=plan,
                acting_user=coordinator,
                title=f"Семинар {n} «{text}»",
                deadline_text="март, сентябрь 2020",
            )
            services.measure_assign(
                measure=seminar,
                acting_user=coordinator,
                mode=AssignmentMode.ORGANISATIONS,
                organisations=[world.school, world.second_school],
            )
            consultation = services.measure_create(
                roadmap=plan,
                acting_user=coordinator,
                title=f"Консультации {n} «{text}»",
                deadline_text="по отдельному плану",
            )
            services.measure_assign(
                measure=consultation,
                acting_user=coordinator,
                mode=AssignmentMode.ORGANISATIONS,
                organisations=[world.school],
            )
    # The importer stores the column as written; the form has no such field for new plans.
    for measure in Measure.objects.filter(roadmap=plan):
        text = measure.title.split("«", 1)[1].rstrip("»")
        Measure.objects.filter(pk=measure.pk).update(status_text=text)
    return Roadmap.objects.get(pk=plan.pk)


def rows(plan, title_start):
    return [
        (r.organisation.short_name, r.due_on, r.state, r.done_on, r.review, r.note)
        for r in ExecutionRecord.objects.filter(
            measure__roadmap=plan, measure__title__startswith=title_start
        )
        .select_related("organisation")
        .order_by("organisation__short_name", "due_on")
    ]


SCHOOL, SECOND = "МБОУ СОШ № 3", "МБОУ СОШ № 5"
MARCH, SEPTEMBER = D(2020, 3, 31), D(2020, 9, 30)
ACCEPTED, NONE = ReviewState.ACCEPTED, ReviewState.NONE


def test_a_done_text_marks_every_window_that_is_over_for_every_school(world, coordinator):
    plan = build_plan(world, coordinator, ["Выполнено"])
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    assert rows(plan, "Семинар") == [
        (SCHOOL, MARCH, "done", None, ACCEPTED, "Выполнено"),
        (SCHOOL, SEPTEMBER, "done", None, ACCEPTED, "Выполнено"),
        (SECOND, MARCH, "done", None, ACCEPTED, "Выполнено"),
        (SECOND, SEPTEMBER, "done", None, ACCEPTED, "Выполнено"),
    ]
    assert rows(plan, "Консультации") == [(SCHOOL, None, "done", None, ACCEPTED, "Выполнено")]


def test_a_dated_text_marks_the_window_of_its_date(world, coordinator):
    plan = build_plan(world, coordinator, ["Проведено 12.03.2020 (протокол № 2)"])
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    note = "Проведено 12.03.2020 (протокол № 2)"
    assert rows(plan, "Семинар") == [
        (SCHOOL, MARCH, "done", D(2020, 3, 12), ACCEPTED, note),
        (SCHOOL, SEPTEMBER, "pending", None, NONE, ""),
        (SECOND, MARCH, "done", D(2020, 3, 12), ACCEPTED, note),
        (SECOND, SEPTEMBER, "pending", None, NONE, ""),
    ]
    assert rows(plan, "Консультации") == [(SCHOOL, None, "done", D(2020, 3, 12), ACCEPTED, note)]


@pytest.mark.parametrize(
    ("text", "state", "done_on"),
    [
        ("выполнено частично 20.09.2020", MarkState.PARTLY, D(2020, 9, 20)),
        ("Не выполнено", MarkState.NOT_DONE, None),
    ],
)
def test_partly_and_not_done_texts_become_such_marks(world, coordinator, text, state, done_on):
    plan = build_plan(world, coordinator, [text])
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    marked = [row for row in rows(plan, "") if row[2] != "pending"]
    assert marked
    assert {(row[2], row[3], row[5]) for row in marked} == {(state, done_on, text)}


@pytest.mark.parametrize(
    "text", ["", "в работе", "Перенесено на 2021 год", "Выполнено в марте 2020", "Информация"]
)
def test_a_text_that_says_nothing_clearly_marks_nothing(world, coordinator, text):
    plan = build_plan(world, coordinator, [text])
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    assert {row[2:5] for row in rows(plan, "")} == {("pending", None, NONE)}


def test_the_marks_stand_accepted_and_history_says_where_they_come_from(world, coordinator):
    plan = build_plan(world, coordinator, ["Исполнено"])
    assert plan.marks_need_acceptance
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    record = ExecutionRecord.objects.get(
        measure__roadmap=plan, organisation=world.school, due_on=MARCH
    )
    assert (record.marked_by, record.reviewed_by) == (coordinator, coordinator)
    assert record.marked_at == record.reviewed_at is not None
    assert record.version == 2
    latest, created = record.history.order_by("-history_id")
    assert (created.history_change_reason, latest.history_change_reason) == (
        "Назначено к исполнению",
        IMPORTED_REASON,
    )
    assert latest.history_user == coordinator
    facts = RecordFacts(
        record.due_on, record.starts_on, record.state, record.done_on, record.review
    )
    assert status(facts, today_in(world.region)) == Status.DONE


def test_windows_not_over_yet_stay_open(world, coordinator):
    """«Выполнено» without a date speaks for the windows already over; a window due
    today or later is the school's to mark."""
    today = today_in(world.region)
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="План до следующего года",
        period_start=D(2020, 1, 1),
        period_end=D(today.year + 1, 12, 31),
    )
    measure = services.measure_create(
        roadmap=plan, acting_user=coordinator, title="Совещание", deadline_text="Ежегодно"
    )
    Measure.objects.filter(pk=measure.pk).update(status_text="Выполнено")
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    records = ExecutionRecord.objects.filter(measure=measure).order_by("due_on")
    assert [(r.due_on.year, r.state) for r in records] == [
        (year, "done" if year < today.year else "pending") for year in range(2020, today.year + 2)
    ]


def test_a_date_after_today_is_a_typo_and_marks_nothing(world, coordinator):
    plan = build_plan(world, coordinator, ["Проведено 12.03.2120"])
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    assert {row[2] for row in rows(plan, "")} == {"pending"}


def test_start_with_imported_marks_takes_as_many_queries_for_a_large_plan(world, coordinator):
    counts = []
    texts = ["Выполнено", "Проведено 12.03.2020", "не выполнено", "в работе"]
    for copies in (1, 5):
        plan = build_plan(world, coordinator, texts, copies=copies)
        with CaptureQueriesContext(connection) as queries:
            execution.start_execution(roadmap=plan, acting_user=coordinator)
        marked = ExecutionRecord.objects.filter(measure__roadmap=plan, marked_at__isnull=False)
        assert marked.count() == 13 * copies
        counts.append(len(queries))
    # 17: savepoint and release (the test's outer transaction), the plan in reach, lock the
    # plan, measures, plan save and its history, windows, chosen organisations, existing
    # records, records insert and their history; then the time zone, the unmarked records,
    # their update and its history; recheck. (A plan whose texts say nothing adds none:
    # test_services keeps that budget.)
    assert counts == [17, 17]
