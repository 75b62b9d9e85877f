"""The status of one execution record, table-driven; the rules kept as data and their SQL
rendering agree with ``status`` on the table and on generated facts."""

import datetime
import re
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execution import rollups
from execution.status import (
    BADGE_CLASSES,
    LABELS,
    STATUS_RULES,
    Field,
    Param,
    RecordFacts,
    Review,
    State,
    Status,
    badge_class,
    due_this_week,
    status,
    status_text,
    week_end,
)

D = datetime.date
WED = D(2020, 11, 25)  # today in most rows: Wednesday; the week is 23.11 (Mon) … 29.11 (Sun)
P, DONE, PARTLY, NOT_DONE = State.PENDING, State.DONE, State.PARTLY, State.NOT_DONE
NONE, WAITING, ACCEPTED, RETURNED = Review.NONE, Review.WAITING, Review.ACCEPTED, Review.RETURNED


def f(due_on, starts_on=None, state=P, done_on=None, review=NONE):
    return RecordFacts(due_on, starts_on, state, done_on, review)


# (id, facts, today, status)
CASES = [
    # --- nothing marked: the dates decide ---------------------------------------------------
    ("due_today_window_open", f(D(2020, 11, 25), D(2020, 11, 1)), WED, Status.DUE),
    ("due_today_no_window_start", f(D(2020, 11, 25)), WED, Status.DUE),
    ("due_yesterday", f(D(2020, 11, 24), D(2020, 11, 1)), WED, Status.OVERDUE),
    ("due_monday_of_this_week_passed", f(D(2020, 11, 23)), WED, Status.OVERDUE),
    ("due_long_ago", f(D(2019, 12, 31), D(2019, 1, 1)), WED, Status.OVERDUE),
    ("due_this_sunday", f(D(2020, 11, 29)), WED, Status.DUE),
    ("due_next_monday_no_window", f(D(2020, 11, 30)), WED, Status.NOT_DUE),
    ("due_next_monday_window_open", f(D(2020, 11, 30), D(2020, 11, 1)), WED, Status.DUE),
    ("window_opens_next_month", f(D(2020, 12, 31), D(2020, 12, 1)), WED, Status.NOT_DUE),
    ("window_opens_today", f(D(2020, 12, 31), D(2020, 11, 25)), WED, Status.DUE),
    ("window_opens_tomorrow", f(D(2020, 12, 31), D(2020, 11, 26)), WED, Status.NOT_DUE),
    ("window_of_three_years", f(D(2022, 12, 31), D(2020, 1, 1)), WED, Status.DUE),
    ("unscheduled", f(None), WED, Status.UNSCHEDULED),
    ("unscheduled_with_a_start", f(None, D(2020, 1, 1)), WED, Status.UNSCHEDULED),
    ("today_sunday_due_today", f(D(2020, 11, 29)), D(2020, 11, 29), Status.DUE),
    ("today_sunday_due_monday", f(D(2020, 11, 30)), D(2020, 11, 29), Status.NOT_DUE),
    ("today_monday_due_sunday", f(D(2020, 12, 6)), D(2020, 11, 30), Status.DUE),
    ("week_across_new_year", f(D(2021, 1, 3)), D(2020, 12, 31), Status.DUE),
    ("week_across_new_year_next", f(D(2021, 1, 4)), D(2020, 12, 31), Status.NOT_DUE),
    # --- review states without a mark -------------------------------------------------------
    ("pending_waiting_is_judged_by_dates", f(D(2020, 11, 24), review=WAITING), WED, Status.OVERDUE),
    ("pending_accepted_is_judged_by_dates", f(D(2020, 12, 31), D(2020, 12, 1), review=ACCEPTED), WED, Status.NOT_DUE),
    ("pending_returned", f(D(2020, 11, 24), review=RETURNED), WED, Status.RETURNED),
    ("pending_returned_unscheduled", f(None, review=RETURNED), WED, Status.RETURNED),
    # --- done -----------------------------------------------------------------------------
    ("done_on_the_due_day", f(D(2020, 11, 20), state=DONE, done_on=D(2020, 11, 20)), WED, Status.DONE),
    ("done_the_day_after", f(D(2020, 11, 20), state=DONE, done_on=D(2020, 11, 21)), WED, Status.DONE_LATE),
    ("done_before_the_window", f(D(2020, 12, 31), D(2020, 12, 1), DONE, D(2020, 11, 2)), WED, Status.DONE),
    ("done_ahead_of_the_due_day", f(D(2020, 12, 31), state=DONE, done_on=WED), WED, Status.DONE),
    ("done_without_a_date_past_due", f(D(2019, 5, 31), state=DONE), WED, Status.DONE),
    ("done_unscheduled", f(None, state=DONE, done_on=D(2020, 3, 1)), WED, Status.DONE),
    ("done_late_accepted", f(D(2020, 10, 31), state=DONE, done_on=D(2020, 11, 3), review=ACCEPTED), WED, Status.DONE_LATE),
    ("done_accepted", f(D(2020, 10, 31), state=DONE, done_on=D(2020, 10, 30), review=ACCEPTED), WED, Status.DONE),
    ("done_waiting", f(D(2020, 10, 31), state=DONE, done_on=D(2020, 10, 30), review=WAITING), WED, Status.WAITING),
    ("done_late_waiting", f(D(2020, 10, 31), state=DONE, done_on=D(2020, 11, 30), review=WAITING), WED, Status.WAITING),
    ("done_returned", f(D(2020, 10, 31), state=DONE, done_on=D(2020, 10, 30), review=RETURNED), WED, Status.RETURNED),
    ("done_returned_not_due", f(D(2021, 5, 31), D(2021, 5, 1), DONE, WED, RETURNED), WED, Status.RETURNED),
    # --- partly ---------------------------------------------------------------------------
    ("partly", f(D(2020, 10, 31), state=PARTLY, done_on=D(2020, 10, 30)), WED, Status.PARTLY),
    ("partly_late_accepted", f(D(2020, 10, 31), state=PARTLY, done_on=D(2020, 11, 5), review=ACCEPTED), WED, Status.PARTLY),
    ("partly_waiting", f(D(2020, 10, 31), state=PARTLY, done_on=D(2020, 10, 30), review=WAITING), WED, Status.WAITING),
    ("partly_returned", f(D(2020, 10, 31), state=PARTLY, review=RETURNED), WED, Status.RETURNED),
    ("partly_unscheduled", f(None, state=PARTLY), WED, Status.PARTLY),
    # --- not done -------------------------------------------------------------------------
    ("not_done", f(D(2020, 10, 31), state=NOT_DONE, done_on=D(2020, 11, 1)), WED, Status.NOT_DONE),
    ("not_done_waiting_has_nothing_to_accept", f(D(2020, 10, 31), state=NOT_DONE, review=WAITING), WED, Status.NOT_DONE),
    ("not_done_accepted", f(D(2020, 10, 31), state=NOT_DONE, review=ACCEPTED), WED, Status.NOT_DONE),
    ("not_done_returned", f(D(2020, 10, 31), state=NOT_DONE, review=RETURNED), WED, Status.RETURNED),
    ("not_done_unscheduled", f(None, state=NOT_DONE), WED, Status.NOT_DONE),
    ("not_done_before_the_due_day", f(D(2020, 12, 31), state=NOT_DONE), WED, Status.NOT_DONE),
    # --- 29 February ----------------------------------------------------------------------
    ("leap_due_today", f(D(2024, 2, 29), D(2024, 2, 1)), D(2024, 2, 29), Status.DUE),
    ("leap_due_yesterday", f(D(2024, 2, 29), D(2024, 2, 1)), D(2024, 3, 1), Status.OVERDUE),
    ("leap_day_overdue_on_28_02", f(D(2024, 2, 28)), D(2024, 2, 29), Status.OVERDUE),
    ("leap_done_on_the_due_day", f(D(2024, 2, 29), state=DONE, done_on=D(2024, 2, 29)), D(2024, 3, 1), Status.DONE),
    ("leap_done_the_day_after", f(D(2024, 2, 29), state=DONE, done_on=D(2024, 3, 1)), D(2024, 3, 1), Status.DONE_LATE),
    ("leap_week_to_sunday_03_03", f(D(2024, 3, 3)), D(2024, 2, 29), Status.DUE),
    ("leap_week_not_monday_04_03", f(D(2024, 3, 4)), D(2024, 2, 29), Status.NOT_DUE),
    ("leap_window_opens_29_02_seen_28_02", f(D(2024, 3, 31), D(2024, 2, 29)), D(2024, 2, 28), Status.NOT_DUE),
    ("leap_window_opens_29_02", f(D(2024, 3, 31), D(2024, 2, 29)), D(2024, 2, 29), Status.DUE),
]  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "today", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_status(facts, today, expected):
    assert status(facts, today) == expected


def test_the_table_covers_every_status_and_every_mark_and_review():
    assert len(CASES) >= 40
    assert {c[3] for c in CASES} == set(Status)
    assert {c[1].state for c in CASES} == State.ALL
    assert {c[1].review for c in CASES} == Review.ALL
    assert len({c[0] for c in CASES}) == len(CASES)


def test_a_database_row_is_a_record():
    row = (D(2020, 11, 20), D(2020, 11, 1), "done", D(2020, 11, 21), "accepted")
    assert status(RecordFacts(*row), WED) == Status.DONE_LATE
    assert status(RecordFacts(D(2020, 11, 24), None), WED) == Status.OVERDUE


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (f(D(2020, 11, 1), state="finished"), "Неизвестное состояние отметки «finished»"),
        (f(D(2020, 11, 1), review="maybe"), "Неизвестное состояние проверки «maybe»"),
        (f(D(2020, 11, 1), state=DONE, review="maybe"), "Неизвестное состояние проверки"),
        (f(D(2020, 11, 1), state=PARTLY, review=""), "Неизвестное состояние проверки"),
        (f(D(2020, 11, 1), state=NOT_DONE, review=None), "Неизвестное состояние проверки"),
    ],
)
def test_an_unknown_state_is_named_in_russian(facts, message):
    with pytest.raises(ValueError, match=message):
        status(facts, WED)


WEEK_CASES = [
    ("due_today", f(D(2020, 11, 25)), WED, True),
    ("due_sunday", f(D(2020, 11, 29), D(2020, 11, 1)), WED, True),
    ("due_next_monday", f(D(2020, 11, 30), D(2020, 11, 1)), WED, False),
    ("due_yesterday_is_overdue_not_this_week", f(D(2020, 11, 24)), WED, False),
    ("due_monday_passed", f(D(2020, 11, 23)), WED, False),
    ("unscheduled", f(None), WED, False),
    ("done", f(D(2020, 11, 27), state=DONE, done_on=WED), WED, False),
    ("partly", f(D(2020, 11, 27), state=PARTLY), WED, False),
    ("waiting", f(D(2020, 11, 27), state=DONE, review=WAITING), WED, False),
    ("returned_is_listed_as_returned", f(D(2020, 11, 27), review=RETURNED), WED, False),
    ("pending_with_a_stale_review", f(D(2020, 11, 27), review=ACCEPTED), WED, True),
    ("sunday_due_today", f(D(2020, 11, 29)), D(2020, 11, 29), True),
    ("sunday_due_tomorrow", f(D(2020, 11, 30)), D(2020, 11, 29), False),
    ("leap_thursday_to_sunday", f(D(2024, 3, 3)), D(2024, 2, 29), True),
    ("leap_due_on_the_leap_day", f(D(2024, 2, 29)), D(2024, 2, 26), True),
    ("leap_next_monday", f(D(2024, 3, 4)), D(2024, 2, 29), False),
    ("across_new_year", f(D(2021, 1, 2)), D(2020, 12, 30), True),
]


@pytest.mark.parametrize(
    ("facts", "today", "expected"), [c[1:] for c in WEEK_CASES], ids=[c[0] for c in WEEK_CASES]
)
def test_due_this_week(facts, today, expected):
    assert due_this_week(facts, today) is expected


@pytest.mark.parametrize(
    ("today", "sunday"),
    [
        (D(2020, 11, 23), D(2020, 11, 29)),
        (D(2020, 11, 29), D(2020, 11, 29)),
        (D(2024, 2, 29), D(2024, 3, 3)),
        (D(2020, 12, 28), D(2021, 1, 3)),
    ],
)
def test_week_end_is_the_sunday_of_the_week(today, sunday):
    assert week_end(today) == sunday


def test_every_status_has_a_russian_label_and_a_badge():
    assert set(LABELS) == set(BADGE_CLASSES) == set(Status)
    assert Status.OVERDUE.label == "Просрочено"
    assert Status.WAITING.label == "На проверке"
    assert Status.RETURNED.label == "Возвращено на доработку"
    assert Status.DONE_LATE.label == "Выполнено с опозданием"
    assert badge_class(Status.DONE) == "text-bg-success"
    assert badge_class("overdue") == "text-bg-danger"
    assert Status.DUE.badge_class == BADGE_CLASSES[Status.DUE]
    # Statuses a person must tell apart at a glance never share a badge.
    distinct = [Status.DONE, Status.DONE_LATE, Status.OVERDUE, Status.WAITING, Status.PARTLY]
    assert len({badge_class(s) for s in distinct}) == len(distinct)


def test_status_text_says_the_due_day():
    assert status_text(Status.DUE, D(2024, 2, 29)) == "Выполнить до 29.02.2024"
    assert status_text(Status.DUE) == "К выполнению"
    assert status_text(Status.OVERDUE, D(2024, 2, 29)) == "Просрочено"
    assert status_text("done") == "Выполнено"


# --- the rules as data, and their SQL --------------------------------------------------------


def _lookup(facts, lookup, value, params):
    """One condition in SQL's three-valued logic: a comparison with NULL is unknown (None)."""
    name, _, op = lookup.partition("__")
    left = getattr(facts, name)
    if op == "isnull":
        return (left is None) is value
    if isinstance(value, Param):
        value = params[value.name]
    elif isinstance(value, Field):
        value = getattr(facts, value.name)
    if left is None or value is None:
        return None
    if op == "in":
        return left in value
    return {
        "": left == value,
        "lt": left < value,
        "lte": left <= value,
        "gt": left > value,
        "gte": left >= value,
    }[op]


def _and(values):
    values = list(values)
    if False in values:
        return False
    return None if None in values else True


def status_by_rules(facts, today):
    """An interpreter of ``STATUS_RULES`` as SQL reads a CASE: the first WHEN that is true."""
    params = {"today": today, "week_end": week_end(today)}
    for result, alternatives in STATUS_RULES:
        if not alternatives:
            return result
        for alternative in alternatives:
            if _and(_lookup(facts, k, v, params) for k, v in alternative.items()) is True:
                return result
    raise AssertionError("STATUS_RULES has no ELSE rule")


def statuses_in_sqlite(rows, today):
    """Run ``sql_status_case()`` in SQLite over (facts) rows; dates as ISO text compare as
    dates do."""
    case = rollups.sql_status_case().sql
    case = re.sub(r"%\((\w+)\)s", r":\1", case)
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE r (n, due_on, starts_on, state, done_on, review)")

    def iso(value):
        return value.isoformat() if value else None

    connection.executemany(
        "INSERT INTO r VALUES (?, ?, ?, ?, ?, ?)",
        [
            (n, iso(x.due_on), iso(x.starts_on), x.state, iso(x.done_on), x.review)
            for n, x in enumerate(rows)
        ],
    )
    params = {"today": today.isoformat(), "week_end": week_end(today).isoformat()}
    result = [Status(s) for (s,) in connection.execute(f"SELECT {case} FROM r ORDER BY n", params)]  # noqa: S608
    connection.close()
    return result


@pytest.mark.parametrize(
    ("facts", "today", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_rules_as_data_agree_with_status(facts, today, expected):
    assert status_by_rules(facts, today) == expected


def test_the_sql_agrees_with_status_on_the_table():
    for today in sorted({c[2] for c in CASES}):
        rows = [c[1] for c in CASES if c[2] == today]
        assert statuses_in_sqlite(rows, today) == [status(r, today) for r in rows]


DAYS = st.dates(D(2024, 2, 19), D(2024, 3, 12))  # two weeks either side of 29 February
FACTS = st.builds(
    RecordFacts,
    st.none() | DAYS,
    st.none() | DAYS,
    st.sampled_from(sorted(State.ALL)),
    st.none() | DAYS,
    st.sampled_from(sorted(Review.ALL)),
)


@given(st.lists(FACTS, min_size=1, max_size=30), DAYS)
def test_status_the_rules_and_the_sql_agree_on_any_facts(rows, today):
    expected = [status(r, today) for r in rows]
    assert [status_by_rules(r, today) for r in rows] == expected
    assert statuses_in_sqlite(rows, today) == expected


@given(FACTS, DAYS)
def test_what_is_due_this_week_is_due(facts, today):
    if due_this_week(facts, today):
        assert status(facts, today) == Status.DUE


@given(FACTS, DAYS)
def test_unscheduled_is_never_overdue_nor_late(facts, today):
    facts = facts._replace(due_on=None)
    assert status(facts, today) not in {
        Status.OVERDUE,
        Status.DONE_LATE,
        Status.DUE,
        Status.NOT_DUE,
    }
