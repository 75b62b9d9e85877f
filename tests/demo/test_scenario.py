"""The script of the demo, checked for every day it may be seeded on.

The demo is seeded on any day and counts its dates from it. These tests play the script
on paper — windows from the real deadline parser, reporting periods from the execution
service, statuses from ``execution.status`` — for each day of two years (a leap day and
two New Years included), so that no day of the calendar leaves the deputy of СОШ № 3
without a status, puts a step in the future, or has a plan approved after its start."""

import datetime
import zoneinfo
from collections import Counter
from dataclasses import replace

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


def test_every_day_the_centre_plan_is_approved_for_a_school_year_to_come():
    for today in DAYS[::5]:
        plan = scenario.centre_plan(today, MOSCOW)
        assert today < plan.period[0]
        assert plan.started_at is None
        assert not plan.records
        check_life(plan.life, written(plan), today)
        assert [type(act) for act in plan.life] == [
            scenario.Submit,
            scenario.Answer,
            scenario.Approve,
            scenario.Publish,
        ]
        for section in plan.sections:
            for measure in section.measures:
                check_deadline(measure, plan.period)


# --- Agreement and approval on paper ---------------------------------------------------


def written(plan: scenario.PlanScript) -> datetime.datetime:
    """When the author has typed the plan in (a minute per section and measure)."""
    items = sum(1 + len(section.measures) for section in plan.sections)
    return plan.created_at + (items + 1) * datetime.timedelta(minutes=1)


def check_deadline(measure: scenario.MeasureSpec, period) -> None:
    schedule = parse_deadline(measure.deadline, period)
    assert (schedule.kind == "unscheduled") == (measure.deadline == "по отдельному плану"), (
        measure.deadline
    )
    for start, due in schedule.windows:
        assert period[0] <= start <= due <= period[1], measure.deadline


def check_life(life, after: datetime.datetime, today: datetime.date) -> None:
    """Acts in order, after ``after`` and before today; every answer for a party the last
    sending asked, approval after every party agreed and on a day already past."""
    midnight = datetime.datetime.combine(today, datetime.time(), tzinfo=MOSCOW)
    moments = [act.at for act in life]
    assert moments == sorted(set(moments)), (today, life)
    assert not moments or after < moments[0], (today, after, moments[0])
    assert not moments or moments[-1] < midnight, (today, moments[-1])
    asked: dict[str, bool] = {}
    for act in life:
        assert act.who, act
        if isinstance(act, scenario.Submit):
            asked = dict.fromkeys(act.to, False)
        elif isinstance(act, scenario.Answer):
            assert asked.get(act.organisation) is False, (today, act)
            asked[act.organisation] = act.agree
            if not act.agree:
                assert act.comment, act
                asked = {}
        elif isinstance(act, scenario.Approve):
            assert asked, (today, act)
            assert all(asked.values()), (today, act)
            assert act.at.date() < today
            assert act.order_number


def test_every_day_the_municipal_plans_are_approved_before_they_start():
    for today in DAYS[::3]:
        for plan in (scenario.closed_plan(today, MOSCOW), scenario.current_plan(today, MOSCOW)):
            check_life(plan.life, written(plan), today)
            before = [act for act in plan.life if act.at < plan.started_at]
            assert [type(act) for act in before] == [
                scenario.Submit,
                scenario.Answer,
                scenario.Approve,
            ], today
            assert before[-1].at.date() < plan.started_at.date(), today
            assert {before[0].who, before[1].who, before[2].who} == {
                scenario.COORDINATOR,
                scenario.CENTRE_HEAD,
                scenario.CHIEF,
            }
        closed = scenario.closed_plan(today, MOSCOW)
        last_step = max(step.at for script in closed.records for step in script.steps)
        assert last_step < closed.closed_at, today


def test_every_day_the_correction_adds_one_measure_and_moves_one_deadline():
    for today in DAYS[::3]:
        plan = scenario.current_plan(today, MOSCOW)
        (correct,) = [act for act in plan.life if isinstance(act, scenario.Correct)]
        assert plan.started_at < correct.at
        measures = {m.number: m for section in plan.sections for m in section.measures}
        sections = {section.number for section in plan.sections}
        ((section, added),) = correct.added
        assert section in sections
        assert added.number not in measures
        check_deadline(added, plan.period)
        ((number, deadline),) = correct.deadlines
        assert measures[number].deadline != deadline
        check_deadline(replace(measures[number], deadline=deadline), plan.period)


def test_every_day_the_schools_complete_and_send_the_model_plan():
    for today in DAYS[::3]:
        template = scenario.school_template(today, MOSCOW)
        assert template.period == scenario.coming_school_year(today)
        for section in template.sections:
            for measure in section.measures:
                check_deadline(measure, template.period)
        numbers = {m.number for section in template.sections for m in section.measures}
        by_school = {copy.school: copy for copy in template.copies}
        assert set(by_school) <= set(template.schools)
        for copy in template.copies:
            assert template.imported_at < copy.edited_at, today
            for section, measure in copy.added:
                assert section in {s.number for s in template.sections}
                assert measure.number not in numbers
                check_deadline(measure, template.period)
            check_life(copy.life, copy.edited_at + datetime.timedelta(hours=1), today)
            assert copy.life[0].who == scenario.MARKER[copy.school]
        # СОШ № 3: one party agreed, one has not answered; СОШ № 5: returned.
        s3 = [(act.organisation, act.agree) for act in by_school[scenario.S3].life[1:]]
        assert s3 == [(scenario.CENTRE, True)]
        s5 = by_school[scenario.S5].life
        assert isinstance(s5[-1], scenario.Answer)
        assert not s5[-1].agree


def test_the_model_plan_reads_back_as_written():
    from demo.workflow import template_document
    from roadmaps.importing import parse_plan

    template = scenario.school_template(FIRST, MOSCOW)
    parsed = parse_plan(template_document(template), template.file_name)
    assert parsed.title.startswith(scenario.TEMPLATE_TITLE)
    assert parsed.period == template.period
    assert [(c.position, c.organisation) for c in parsed.concurrences] == [
        ("Начальник УО Новокубанского района", ""),
        ("Директор", "МБУ «ЦРО»"),
    ]
    assert [(m.number, m.title, m.deadline_text) for m in parsed.all_measures()] == [
        (m.number, m.title, m.deadline) for section in template.sections for m in section.measures
    ]
    assert not parsed.warnings


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
