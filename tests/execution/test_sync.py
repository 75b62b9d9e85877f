"""Records follow the schedules and assignments of a plan in execution (sync_records and
the roadmaps.signals.schedule_changed hook)."""

import datetime

import pytest
from django.db import transaction

from execution import services as execution
from execution.models import ExecutionRecord, MarkState
from execution.services import reporting_periods
from roadmaps import services
from roadmaps.constants import AssignmentMode, RoadmapStatus
from roadmaps.models import Measure, MeasureWindow, Roadmap
from roadmaps.windows import sync_windows

D = datetime.date


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


def plan_with(world, coordinator, deadline: str, mode: str, organisations=(), start=True):
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="План",
        period_start=D(2020, 1, 1),
        period_end=D(2021, 12, 31),
    )
    measure = services.measure_create(
        roadmap=plan, acting_user=coordinator, title="Семинар", deadline_text=deadline
    )
    services.measure_assign(
        measure=measure, acting_user=coordinator, mode=mode, organisations=organisations
    )
    if start:
        execution.start_execution(roadmap=plan, acting_user=coordinator)
    return Roadmap.objects.get(pk=plan.pk), Measure.objects.get(pk=measure.pk)


def rows(measure):
    """(organisation, window, starts_on, due_on, state) of the measure's records."""
    return sorted(
        ExecutionRecord.objects.filter(measure=measure).values_list(
            "organisation__short_name", "window_id", "starts_on", "due_on", "state"
        ),
        key=lambda row: (row[0], row[3] or D.min),
    )


def window_ids(measure):
    return list(
        MeasureWindow.objects.filter(measure=measure, schedule_changed=False)
        .order_by("position")
        .values_list("pk", flat=True)
    )


@pytest.fixture
def seminar(world, coordinator):
    """A seminar in March and September 2020 for both home schools, in execution."""
    return plan_with(
        world,
        coordinator,
        "март, сентябрь 2020",
        AssignmentMode.ORGANISATIONS,
        [world.school, world.second_school],
    )


def test_a_schedule_change_keeps_marked_records_and_their_window_drops_unmarked(world, seminar):
    _, measure = seminar
    march, september = window_ids(measure)
    marked = ExecutionRecord.objects.get(
        measure=measure, organisation=world.school, window_id=september
    )
    execution.mark(records=marked, acting_user=world.user("school_deputy"), state=MarkState.DONE)

    # «май 2020»: the first window moves to May in place, September leaves the schedule.
    with transaction.atomic():
        sync_windows({measure.pk: ((D(2020, 5, 1), D(2020, 5, 31)),)})

    assert window_ids(measure) == [march]
    flagged = MeasureWindow.objects.get(pk=september)
    assert flagged.schedule_changed  # «срок изменён»: the school's mark hangs on it
    school, second = world.school.short_name, world.second_school.short_name
    assert rows(measure) == [
        (school, march, D(2020, 5, 1), D(2020, 5, 31), "pending"),
        (school, september, D(2020, 9, 1), D(2020, 9, 30), "done"),
        (second, march, D(2020, 5, 1), D(2020, 5, 31), "pending"),
    ]
    moved = ExecutionRecord.objects.get(measure=measure, organisation=world.school, window_id=march)
    assert moved.history.first().history_change_reason == "Срок изменён в плане"


def test_a_schedule_that_grows_adds_records_for_every_organisation(world, seminar):
    _, measure = seminar
    with transaction.atomic():
        sync_windows(
            {
                measure.pk: (
                    (D(2020, 3, 1), D(2020, 3, 31)),
                    (D(2020, 9, 1), D(2020, 9, 30)),
                    (D(2021, 3, 1), D(2021, 3, 31)),
                )
            }
        )
    third = window_ids(measure)[2]
    assert set(
        ExecutionRecord.objects.filter(window_id=third).values_list("organisation_id", "due_on")
    ) == {(world.school.pk, D(2021, 3, 31)), (world.second_school.pk, D(2021, 3, 31))}
    assert ExecutionRecord.objects.filter(measure=measure).count() == 6


def test_a_window_whose_records_nobody_marked_goes_with_them(world, seminar):
    _, measure = seminar
    march, september = window_ids(measure)
    with transaction.atomic():
        sync_windows({measure.pk: ((D(2020, 3, 1), D(2020, 3, 31)),)})
    assert not MeasureWindow.objects.filter(pk=september).exists()
    assert set(
        ExecutionRecord.objects.filter(measure=measure).values_list("window_id", flat=True)
    ) == {march}


def test_evidence_keeps_a_record_like_a_mark(world, seminar):
    from execution.models import Evidence

    _, measure = seminar
    march, september = window_ids(measure)
    record = ExecutionRecord.objects.get(
        measure=measure, organisation=world.school, window_id=september
    )
    Evidence.objects.create(record=record, kind="link", url="https://school3.ru/news/seminar")
    with transaction.atomic():
        sync_windows({measure.pk: ((D(2020, 3, 1), D(2020, 3, 31)),)})
    assert MeasureWindow.objects.get(pk=september).schedule_changed
    assert ExecutionRecord.objects.filter(pk=record.pk).exists()


def test_continuous_measure_follows_its_span_by_reporting_period(world, coordinator):
    plan, measure = plan_with(world, coordinator, "В течение периода", AssignmentMode.NONE)
    assert ExecutionRecord.objects.filter(measure=measure).count() == 8
    last = ExecutionRecord.objects.get(measure=measure, starts_on=D(2021, 10, 1))
    execution.mark(records=last, acting_user=coordinator, state=MarkState.NOT_DONE)
    # «с сентября 2020» until the end of 2020: from the third quarter of 2020 on, clipped.
    (span,) = window_ids(measure)
    with transaction.atomic():
        sync_windows({measure.pk: ((D(2020, 8, 15), D(2020, 12, 31)),)})
    authority = world.authority.short_name
    assert rows(measure) == [
        (authority, None, D(2020, 8, 15), D(2020, 9, 30), "pending"),
        (authority, None, D(2020, 10, 1), D(2020, 12, 31), "pending"),
        # marked before the change: kept, outside the new span
        (authority, None, D(2021, 10, 1), D(2021, 12, 31), "not_done"),
    ]
    assert window_ids(measure) == [span]


def test_a_measure_that_becomes_unscheduled_gets_one_undated_record(world, seminar):
    _, measure = seminar
    Measure.objects.filter(pk=measure.pk).update(schedule_kind="unscheduled")
    with transaction.atomic():
        sync_windows({measure.pk: ()})
    assert [(r[0], r[1], r[3]) for r in rows(measure)] == [
        (world.school.short_name, None, None),
        (world.second_school.short_name, None, None),
    ]


def test_the_plans_group_of_schools_changes_through_a_correction(world, coordinator):
    """The group of a plan in execution is part of its approved text: it changes in a
    correction, which takes the records over when it starts (a school that left keeps
    what it marked, one that came in owes the measure)."""
    from django.core.exceptions import ValidationError

    plan, measure = plan_with(world, coordinator, "Сентябрь 2020", AssignmentMode.PLAN_GROUP)
    # An empty group: the plan's owner owes it.
    assert [r[0] for r in rows(measure)] == [world.authority.short_name]
    with pytest.raises(ValidationError, match="не редактируется"):
        services.roadmap_set_school_group(
            roadmap=plan, acting_user=coordinator, schools=[world.school]
        )
    record = ExecutionRecord.objects.get(measure=measure)
    execution.mark(records=record, acting_user=coordinator, state=MarkState.DONE)
    copy = services.roadmap_correct(roadmap=plan, acting_user=coordinator)
    services.roadmap_set_school_group(roadmap=copy, acting_user=coordinator, schools=[world.school])
    services.roadmap_submit(roadmap=copy, acting_user=coordinator, organisations=[])
    services.roadmap_approve(
        roadmap=copy, acting_user=world.user("head"), approval_date=D(2020, 8, 1), order_number="3"
    )
    execution.start_execution(roadmap=copy, acting_user=coordinator)
    new_measure = Measure.objects.get(roadmap=copy)
    # The authority's marked record moved to the correction and stays; СОШ № 3 now owes it.
    assert [(r[0], r[4]) for r in rows(new_measure)] == [
        (world.school.short_name, "pending"),
        (world.authority.short_name, "done"),
    ]
    assert Roadmap.objects.get(pk=plan.pk).status == RoadmapStatus.REPLACED


def test_chosen_organisations_changed_are_synced(world, seminar):
    _, measure = seminar
    record = ExecutionRecord.objects.filter(
        measure=measure, organisation=world.second_school
    ).first()
    execution.mark(
        records=record, acting_user=world.user("municipal_coordinator"), state=MarkState.DONE
    )
    measure.assigned_organisations.set([world.school, world.centre])
    with transaction.atomic():
        result = execution.sync_records(measure_ids=[measure.pk])
    assert (result.created, result.deleted, result.kept_marked) == (2, 1, 1)
    assert {(r[0], r[4]) for r in rows(measure)} == {
        (world.school.short_name, "pending"),
        (world.centre.short_name, "pending"),
        (world.second_school.short_name, "done"),
    }
    # Nothing changes on a second run.
    with transaction.atomic():
        again = execution.sync_records(measure_ids=[measure.pk])
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)


def test_plans_not_in_execution_get_no_records(world, coordinator):
    plan, measure = plan_with(
        world, coordinator, "Сентябрь 2020", AssignmentMode.LOW_RESULTS, start=False
    )
    with transaction.atomic():
        execution.sync_records(measure_ids=[measure.pk])
    services.roadmap_set_school_group(roadmap=plan, acting_user=coordinator, schools=[world.school])
    assert not ExecutionRecord.objects.exists()
    Roadmap.objects.filter(pk=plan.pk).update(status=RoadmapStatus.CLOSED)
    with transaction.atomic():
        sync_windows({measure.pk: ((D(2020, 5, 1), D(2020, 5, 31)),)})
    assert not ExecutionRecord.objects.exists()


def test_a_person_syncing_records_must_reach_the_plan(world, seminar):
    from django.core.exceptions import PermissionDenied

    _, measure = seminar
    measure.assigned_organisations.set([world.school])
    with pytest.raises(PermissionDenied), transaction.atomic():
        execution.sync_records(measure_ids=[measure.pk], acting_user=world.user("school_deputy"))
    assert ExecutionRecord.objects.filter(
        measure=measure, organisation=world.second_school
    ).exists()


@pytest.mark.parametrize(
    ("start", "end", "months", "expected"),
    [
        (
            D(2020, 1, 1),
            D(2020, 12, 31),
            3,
            [
                (D(2020, 1, 1), D(2020, 3, 31)),
                (D(2020, 4, 1), D(2020, 6, 30)),
                (D(2020, 7, 1), D(2020, 9, 30)),
                (D(2020, 10, 1), D(2020, 12, 31)),
            ],
        ),
        # A school year: quarters of the calendar, clipped at both ends.
        (
            D(2020, 9, 1),
            D(2021, 5, 31),
            3,
            [
                (D(2020, 9, 1), D(2020, 9, 30)),
                (D(2020, 10, 1), D(2020, 12, 31)),
                (D(2021, 1, 1), D(2021, 3, 31)),
                (D(2021, 4, 1), D(2021, 5, 31)),
            ],
        ),
        (D(2020, 2, 10), D(2020, 2, 20), 1, [(D(2020, 2, 10), D(2020, 2, 20))]),
        (
            D(2020, 3, 1),
            D(2021, 8, 31),
            12,
            [(D(2020, 3, 1), D(2020, 12, 31)), (D(2021, 1, 1), D(2021, 8, 31))],
        ),
        (
            D(2020, 11, 1),
            D(2021, 2, 28),
            2,
            [(D(2020, 11, 1), D(2020, 12, 31)), (D(2021, 1, 1), D(2021, 2, 28))],
        ),
        (D(2020, 5, 1), D(2020, 4, 30), 3, []),
    ],
)
def test_reporting_periods(start, end, months, expected):
    assert reporting_periods(start, end, months) == expected


@pytest.mark.parametrize("months", [0, 5, 7, 24])
def test_reporting_periods_must_divide_the_year(months):
    with pytest.raises(ValueError, match="divide the year"):
        reporting_periods(D(2020, 1, 1), D(2020, 12, 31), months)


def test_an_approved_plan_starts_execution_too(world, coordinator):
    plan, measure = plan_with(
        world, coordinator, "Сентябрь 2020", AssignmentMode.LOW_RESULTS, start=False
    )
    Roadmap.objects.filter(pk=plan.pk).update(status=RoadmapStatus.APPROVED)
    result = execution.start_execution(roadmap=plan, acting_user=coordinator)
    assert result.created == 1
    assert [r[0] for r in rows(measure)] == [world.school.short_name]
    assert Roadmap.objects.get(pk=plan.pk).status == RoadmapStatus.EXECUTION


def test_records_of_all_low_results_follow_the_school_flag(world, coordinator):
    """A school that becomes ШНОР owes the «все ШНОР» measures of plans in execution; one
    that stops owes them no more, unless it already marked something (kept)."""
    from schools.services import organisation_update

    _, measure = plan_with(world, coordinator, "март 2020", AssignmentMode.LOW_RESULTS)
    owed = lambda: set(  # noqa: E731
        ExecutionRecord.objects.filter(measure=measure).values_list("organisation_id", flat=True)
    )
    assert owed() == {world.school.pk}
    organisation_update(
        organisation=world.second_school, acting_user=coordinator, data={"is_low_results": True}
    )
    assert owed() == {world.school.pk, world.second_school.pk}
    second = ExecutionRecord.objects.get(measure=measure, organisation=world.second_school)
    execution.mark(records=[second], acting_user=coordinator, state=MarkState.DONE)
    for school in (world.school, world.second_school):
        organisation_update(
            organisation=school, acting_user=coordinator, data={"is_low_results": False}
        )
    # The first school's unmarked record went; the second's marked one stays; with no ШНОР
    # left, the plan's owner owes the measure (as for a measure assigned to nobody).
    assert owed() == {world.second_school.pk, world.authority.pk}
    assert ExecutionRecord.objects.get(measure=measure, organisation=world.second_school) == second
