"""The execution script of the demo, checked for every day it may be seeded on.

The demo is seeded on any day and counts its dates from it. These tests play the script
on paper — windows from the real deadline parser, reporting periods from the execution
service, statuses from ``execution.status`` — for each day of two years (a leap day and
two New Years included), so that no day of the calendar leaves the deputy of СОШ № 3
without a status or puts a step in the future."""

import datetime
import zoneinfo
from collections import Counter

import pytest

from demo import scenario
from demo.documents import docx_document, pdf_document
from execution.services import reporting_periods
from execution.status import RecordFacts, Status, due_this_week, status
from roadmaps.deadlines import parse_deadline

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
DAY = datetime.timedelta(days=1)
FIRST = datetime.date(2027, 6, 1)
DAYS = [FIRST + n * DAY for n in range(2 * 366)]


def records_on_paper(plan: scenario.PlanScript) -> dict[tuple, RecordFacts]:
    """The records the plan gets when it starts (measure × organisation × slot) and their
    facts after every step of the script."""
    facts: dict[tuple, RecordFacts] = {}
    for section in plan.sections:
        for measure in section.measures:
            schedule = parse_deadline(measure.deadline, plan.period)
            if schedule.kind == "continuous":
                ((start, end),) = schedule.windows
                slots = reporting_periods(start, end, 3)
            elif schedule.kind == "unscheduled":
                assert measure.deadline == "по отдельному плану", measure.deadline
                slots = [(None, None)]
            else:
                slots = list(schedule.windows)
            for organisation in measure.assigned or (plan.owner,):
                for slot, (start, due) in enumerate(slots):
                    facts[(measure.number, organisation, slot)] = RecordFacts(due, start)
    for script in plan.records:
        key = (script.measure, script.organisation, script.slot)
        assert key in facts, key
        for step in script.steps:
            if isinstance(step, scenario.Mark):
                facts[key] = facts[key]._replace(
                    state=step.state, done_on=step.done_on, review="waiting"
                )
            elif isinstance(step, scenario.Review):
                facts[key] = facts[key]._replace(review="accepted" if step.accept else "returned")
    return facts


def check_steps(plan: scenario.PlanScript, today: datetime.date) -> None:
    """Every step in the past, after the plan started, in order; dates no later than the
    day they are written; evidence before the mark it supports."""
    midnight = datetime.datetime.combine(today, datetime.time(), tzinfo=MOSCOW)
    assert plan.created_at < (plan.started_at or midnight) <= midnight
    for script in plan.records:
        moments = [step.at for step in script.steps]
        assert moments == sorted(set(moments)), (today, script)
        assert plan.started_at < moments[0], (today, script)
        assert moments[-1] < min(midnight, plan.closed_at or midnight), (today, script)
        for step in script.steps:
            assert step.who, (today, script)
            if isinstance(step, scenario.Mark) and step.done_on:
                assert plan.period[0] <= step.done_on <= step.at.date(), (today, script)


def statuses(plan, today) -> dict[tuple, Status]:
    return {key: status(facts, today) for key, facts in records_on_paper(plan).items()}


def test_every_day_gives_the_deputy_a_record_in_every_status():
    for today in DAYS:
        plan = scenario.current_plan(today, MOSCOW)
        check_steps(plan, today)
        facts = records_on_paper(plan)
        found = {key: status(f, today) for key, f in facts.items()}
        deputy = Counter(value for key, value in found.items() if key[1] == scenario.S3)
        assert set(deputy) == set(Status), (today, deputy)
        assert deputy[Status.RETURNED] == 1, today
        assert any(due_this_week(f, today) for key, f in facts.items() if key[1] == scenario.S3), (
            today
        )
        waiting = [
            key
            for key, value in found.items()
            if value == Status.WAITING and key[1] in scenario.CURATOR
        ]
        assert 5 <= len(waiting) <= 7, (today, waiting)


def test_every_day_the_schools_progress_differs():
    for today in DAYS[::7]:
        found = statuses(scenario.current_plan(today, MOSCOW), today)
        completed = {
            school: sum(
                value in {Status.DONE, Status.DONE_LATE}
                for key, value in found.items()
                if key[1] == school
            )
            for school in scenario.SCHOOLS
        }
        assert len(set(completed.values())) >= 3, (today, completed)


def test_every_day_last_years_plan_is_all_marked_before_it_closed():
    for today in DAYS[::5]:
        plan = scenario.closed_plan(today, MOSCOW)
        check_steps(plan, today)
        assert plan.closed_at.date() < today - 90 * DAY
        found = Counter(statuses(plan, today).values())
        assert set(found) == {Status.DONE, Status.DONE_LATE, Status.PARTLY, Status.NOT_DONE}
        assert plan.period[1] < scenario.period_of_current_plan(today)[0]


def test_every_day_the_draft_is_for_a_school_year_to_come():
    for today in DAYS[::5]:
        plan = scenario.draft_plan(today, MOSCOW)
        assert today < plan.period[0]
        assert plan.started_at is None
        assert not plan.records
        for section in plan.sections:
            for measure in section.measures:
                schedule = parse_deadline(measure.deadline, plan.period)
                assert (schedule.kind == "unscheduled") == (
                    measure.deadline == "по отдельному плану"
                ), measure.deadline


@pytest.mark.parametrize("make", [pdf_document, docx_document])
def test_every_document_of_the_script_can_be_made(make):
    plan = scenario.current_plan(FIRST, MOSCOW)
    files = [
        step
        for script in plan.records
        for step in script.steps
        if isinstance(step, scenario.Attach) and step.name
    ]
    assert files
    for step in files:
        data = make(heading=step.heading, paragraphs=step.paragraphs, signature=step.signature)
        assert data.startswith(b"%PDF-1.4" if make is pdf_document else b"PK")
