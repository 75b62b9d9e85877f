"""Roll-ups of execution records: counts, shares, progress, ordering, the progress bar, and
the SQL aggregation agreeing with the Python one."""

import datetime
import math
import random
import re
import sqlite3
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execution import rollups
from execution.rollups import (
    BAR_CLASSES,
    BAR_ORDER,
    Rollup,
    combine,
    fold_status_counts,
    largest_remainder,
    most_overdue_first,
    progress_bar,
    rollup,
    rollup_by,
    sql_rollup_columns,
    sql_status_case,
    status_lookups,
    waiting_done_lookups,
)
from execution.status import Field, RecordFacts, Review, State, Status, status, week_end

D = datetime.date
TODAY = D(2020, 11, 25)  # Wednesday


def f(due_on, starts_on=None, state=State.PENDING, done_on=None, review=Review.NONE):
    return RecordFacts(due_on, starts_on, state, done_on, review)


# One record of each kind, as of TODAY.
ON_TIME = f(D(2020, 10, 31), state=State.DONE, done_on=D(2020, 10, 30))
LATE = f(D(2020, 10, 31), state=State.DONE, done_on=D(2020, 11, 2), review=Review.ACCEPTED)
PARTLY = f(D(2020, 10, 31), state=State.PARTLY, done_on=D(2020, 10, 30))
NOT_DONE = f(D(2020, 10, 31), state=State.NOT_DONE)
WAITING_DONE = f(D(2020, 10, 31), state=State.DONE, done_on=D(2020, 10, 30), review=Review.WAITING)
WAITING_PARTLY = f(D(2020, 10, 31), state=State.PARTLY, review=Review.WAITING)
RETURNED = f(D(2020, 10, 31), state=State.DONE, review=Review.RETURNED)
OVERDUE = f(D(2020, 11, 24))
DUE = f(D(2020, 11, 29))
NOT_DUE = f(D(2020, 12, 31), D(2020, 12, 1))
UNSCHEDULED = f(None)
EARLY = f(D(2020, 12, 31), D(2020, 12, 1), State.DONE, D(2020, 11, 20))  # done ahead


def test_one_of_each():
    result = rollup(
        [ON_TIME, LATE, PARTLY, NOT_DONE, WAITING_DONE, WAITING_PARTLY, RETURNED]
        + [OVERDUE, DUE, NOT_DUE, UNSCHEDULED],
        TODAY,
    )
    assert result == Rollup(
        not_due=1,
        due=1,
        overdue=1,
        done=1,
        done_late=1,
        partly=1,
        not_done=1,
        waiting=2,
        returned=1,
        unscheduled=1,
        waiting_done=1,
    )
    assert result.total == 11
    assert result.done_on_time == 1
    # completed: on time, late, waiting «выполнено»; owed: everything but due, not due yet
    # and unscheduled.
    assert (result.completed, result.owed) == (3, 8)
    assert result.progress == pytest.approx(3 / 8)
    assert result.progress_percent == 37
    assert result.share(Status.WAITING) == pytest.approx(2 / 11)
    assert result.share("overdue") == pytest.approx(1 / 11)
    assert math.fsum(result.shares.values()) == pytest.approx(1)


@pytest.mark.parametrize(
    ("facts", "completed", "owed", "progress"),
    [
        ([], 0, 0, None),
        ([DUE, NOT_DUE, UNSCHEDULED], 0, 0, None),  # nothing owed yet: no progress
        ([ON_TIME, LATE], 2, 2, 1.0),
        ([ON_TIME, OVERDUE], 1, 2, 0.5),
        ([EARLY, DUE], 1, 1, 1.0),  # done ahead of the due day counts, and is owed
        ([WAITING_DONE, WAITING_PARTLY], 1, 2, 0.5),  # a waiting partly mark is not completed
        ([PARTLY, NOT_DONE, RETURNED], 0, 3, 0.0),
        ([f(None, state=State.DONE), UNSCHEDULED], 1, 1, 1.0),  # unscheduled, done
        ([ON_TIME, OVERDUE, OVERDUE], 1, 3, 1 / 3),
    ],
    ids=[
        "empty",
        "nothing_owed",
        "all_done",
        "half",
        "done_ahead",
        "waiting_partly",
        "nothing_completed",
        "unscheduled_done",
        "a_third",
    ],
)
def test_progress_is_completed_of_owed(facts, completed, owed, progress):
    result = rollup(facts, TODAY)
    assert (result.completed, result.owed) == (completed, owed)
    assert result.progress == (pytest.approx(progress) if progress is not None else None)


@pytest.mark.parametrize(
    ("completed", "owed", "percent"),
    [(0, 3, 0), (1, 3, 33), (2, 3, 66), (199, 200, 99), (200, 200, 100), (1, 1000, 0)],
)
def test_progress_percent_rounds_down_so_100_means_all(completed, owed, percent):
    assert Rollup(done=completed, overdue=owed - completed).progress_percent == percent


def test_rollup_by_groups_in_the_order_keys_appear():
    items = [
        ("СОШ № 3", ON_TIME),
        ("СОШ № 1", OVERDUE),
        ("СОШ № 3", OVERDUE),
        ("СОШ № 1", OVERDUE),
        ("СОШ № 3", WAITING_DONE),
    ]
    result = rollup_by(items, TODAY)
    assert list(result) == ["СОШ № 3", "СОШ № 1"]
    assert result["СОШ № 3"] == Rollup(done=1, overdue=1, waiting=1, waiting_done=1)
    assert result["СОШ № 1"] == Rollup(overdue=2)
    assert rollup_by([], TODAY) == {}


def test_the_day_changes_the_rollup():
    facts = [DUE, NOT_DUE, ON_TIME]
    assert rollup(facts, D(2020, 11, 25)) == Rollup(due=1, not_due=1, done=1)
    assert rollup(facts, D(2020, 11, 30)) == Rollup(overdue=1, not_due=1, done=1)
    assert rollup(facts, D(2021, 1, 1)) == Rollup(overdue=2, done=1)


def test_tuple_keys_make_the_overview_table():
    items = [((school, plan), OVERDUE) for school in (1, 2) for plan in ("A", "B")]
    items.append(((1, "A"), ON_TIME))
    result = rollup_by(items, TODAY)
    assert result[(1, "A")] == Rollup(overdue=1, done=1)
    assert result[(2, "B")] == Rollup(overdue=1)


def test_roll_ups_add_up():
    first = Rollup(done=2, overdue=1, waiting=1, waiting_done=1)
    second = Rollup(overdue=3, not_due=4)
    assert first + second == Rollup(done=2, overdue=4, waiting=1, waiting_done=1, not_due=4)
    assert combine([first, second, Rollup()]) == first + second
    assert combine([]) == Rollup()


def test_from_counts_reads_an_sql_row():
    row = {"total": 7, "done": 3, "overdue": 2, "waiting": 2, "waiting_done": 1, "due": None}
    result = Rollup.from_counts(row)
    assert result == Rollup(done=3, overdue=2, waiting=2, waiting_done=1)
    assert Rollup.from_counts({}) == Rollup()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"total": 5, "done": 3}, r"Сумма отметок по статусам \(3\) не равна их числу \(5\)"),
        ({"done": -1}, "не может быть отрицательным"),
        ({"waiting": 1, "waiting_done": 2}, "на проверке больше"),
    ],
)
def test_from_counts_refuses_counts_that_do_not_add_up(row, message):
    with pytest.raises(ValueError, match=message):
        Rollup.from_counts(row)


def test_most_overdue_first():
    groups = {
        "Алексеевская ОШ": Rollup(overdue=2, done=8),  # 2 of 10
        "Гимназия № 2": Rollup(overdue=5, done=95),  # 5 of 100
        "СОШ № 3": Rollup(overdue=2, done=2),  # 2 of 4: same count, larger share
        "СОШ № 1": Rollup(done=3, returned=1),
        "СОШ № 7": Rollup(done=3, returned=2),
        "ООШ № 4": Rollup(overdue=2, done=2),  # ties with СОШ № 3: keeps the given order
        "Пустая": Rollup(),
    }
    ordered = [name for name, _ in most_overdue_first(groups)]
    assert ordered == [
        "Гимназия № 2",
        "СОШ № 3",
        "ООШ № 4",
        "Алексеевская ОШ",
        "СОШ № 7",
        "СОШ № 1",
        "Пустая",
    ]
    assert most_overdue_first(list(groups.items())) == most_overdue_first(groups)


@pytest.mark.parametrize(
    ("counts", "parts"),
    [
        ([1, 1, 1], [34, 33, 33]),
        ([1, 2], [33, 67]),
        ([2, 1, 1], [50, 25, 25]),
        ([1], [100]),
        ([0, 5], [0, 100]),
        ([0, 0], [0, 0]),
        ([], []),
        ([1, 1, 1, 1, 1, 1], [17, 17, 17, 17, 16, 16]),
        ([1, 998, 1], [0, 100, 0]),
        ([1, 199], [1, 99]),  # 0.5 and 99.5: equal remainders, the earlier gets the unit
        ([3, 3, 1], [43, 43, 14]),
    ],
)
def test_largest_remainder(counts, parts):
    assert largest_remainder(counts) == parts


def test_largest_remainder_refuses_negative_counts():
    with pytest.raises(ValueError, match="неотрицательным"):
        largest_remainder([1, -1])


def test_progress_bar():
    bar = progress_bar(Rollup(done=1, overdue=1, not_due=1))
    assert [(s.status, s.count, s.percent, s.css_class) for s in bar] == [
        (Status.DONE, 1, 34, "bg-success"),
        (Status.OVERDUE, 1, 33, "bg-danger"),
        (Status.NOT_DUE, 1, 33, "bg-secondary-subtle"),
    ]
    assert bar[0].label == "Выполнено"
    assert bar[1].title == "Просрочено: 1 (33 %)"


def test_progress_bar_keeps_a_tiny_segment_and_has_none_for_nothing():
    bar = progress_bar(Rollup(done=998, overdue=1, returned=1))
    assert [(s.status, s.percent) for s in bar] == [
        (Status.DONE, 100),
        (Status.RETURNED, 0),
        (Status.OVERDUE, 0),
    ]
    assert progress_bar(Rollup()) == []


def test_every_status_has_a_bar_segment():
    assert sorted(BAR_ORDER) == sorted(Status)
    assert set(BAR_CLASSES) == set(Status)


# --- properties -------------------------------------------------------------------------

DAYS = st.dates(D(2024, 2, 19), D(2024, 3, 12))
FACTS = st.builds(
    RecordFacts,
    st.none() | DAYS,
    st.none() | DAYS,
    st.sampled_from(sorted(State.ALL)),
    st.none() | DAYS,
    st.sampled_from(sorted(Review.ALL)),
)
ITEMS = st.lists(st.tuples(st.integers(0, 3), FACTS), max_size=60)


@given(ITEMS, DAYS)
def test_shares_counts_and_bar_add_up(items, today):
    by_group = rollup_by(items, today)
    whole = rollup((facts for _, facts in items), today)
    assert combine(by_group.values()) == whole
    for key, result in [*by_group.items(), (None, whole)]:
        facts = [x for k, x in items if key is None or k == key]
        assert result.total == len(facts)
        assert sum(result.count(s) for s in Status) == result.total
        for s in Status:
            assert result.count(s) == sum(1 for x in facts if status(x, today) == s)
        assert result.waiting_done == sum(
            1 for x in facts if status(x, today) == Status.WAITING and x.state == State.DONE
        )
        bar = progress_bar(result)
        if result.total:
            assert math.isclose(math.fsum(result.shares.values()), 1.0)
            assert sum(segment.percent for segment in bar) == 100
            assert sum(segment.count for segment in bar) == result.total
        else:
            assert bar == []
            assert set(result.shares.values()) == {0.0}
        if result.progress is not None:
            assert 0 <= result.progress <= 1
            assert 0 <= result.progress_percent <= 100


@given(st.lists(st.integers(0, 10**6), max_size=12), st.sampled_from([100, 1000, 7]))
def test_largest_remainder_always_adds_up(counts, whole):
    parts = largest_remainder(counts, whole)
    assert len(parts) == len(counts)
    if sum(counts):
        assert sum(parts) == whole
        # Each part is its exact share rounded down or up.
        for count, part in zip(counts, parts, strict=True):
            assert abs(part - count * whole / sum(counts)) < 1
    else:
        assert parts == [0] * len(counts)


# --- SQL --------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def rollups_in_sqlite(items, today):
    """The SQL roll-up from the module docstring, run in SQLite (FILTER and CASE as in
    PostgreSQL; ISO dates as text compare as dates do)."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE r (g, due_on, starts_on, state, done_on, review)")
    connection.executemany(
        "INSERT INTO r VALUES (?, ?, ?, ?, ?, ?)",
        [
            (g, _iso(x.due_on), _iso(x.starts_on), x.state, _iso(x.done_on), x.review)
            for g, x in items
        ],
    )
    sql = (
        f"SELECT g, {sql_rollup_columns()} FROM "  # noqa: S608 - rendered from constants
        f"(SELECT g, state, review, {sql_status_case().sql} AS status FROM r) AS records "
        "GROUP BY g ORDER BY g"
    )
    sql = re.sub(r"%\((\w+)\)s", r":\1", sql)
    cursor = connection.execute(
        sql, {"today": today.isoformat(), "week_end": week_end(today).isoformat()}
    )
    names = [column[0] for column in cursor.description]
    result = {row[0]: Rollup.from_counts(dict(zip(names, row, strict=True))) for row in cursor}
    connection.close()
    return result


def grouped_rows_in_sqlite(items, today):
    """The GROUP BY (group, status, state) form, run in SQLite."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE r (g, due_on, starts_on, state, done_on, review)")
    connection.executemany(
        "INSERT INTO r VALUES (?, ?, ?, ?, ?, ?)",
        [
            (g, _iso(x.due_on), _iso(x.starts_on), x.state, _iso(x.done_on), x.review)
            for g, x in items
        ],
    )
    sql = (
        "SELECT g, status, state, COUNT(*) FROM "  # noqa: S608 - rendered from constants
        f"(SELECT g, state, {sql_status_case().sql} AS status FROM r) AS records "
        "GROUP BY g, status, state ORDER BY g"
    )
    sql = re.sub(r"%\((\w+)\)s", r":\1", sql)
    rows = connection.execute(
        sql, {"today": today.isoformat(), "week_end": week_end(today).isoformat()}
    ).fetchall()
    connection.close()
    return rows


@given(ITEMS, DAYS)
def test_the_sql_rollup_agrees_with_python(items, today):
    expected = dict(sorted(rollup_by(items, today).items()))
    assert rollups_in_sqlite(items, today) == expected
    assert fold_status_counts(grouped_rows_in_sqlite(items, today)) == expected


def test_fold_status_counts():
    rows = [("A", "done", "done", 2), ("B", "overdue", "pending", 1), ("A", "waiting", "done", 3)]
    rows.append(("A", "waiting", "partly", 1))
    assert fold_status_counts(rows) == {
        "A": Rollup(done=2, waiting=4, waiting_done=3),
        "B": Rollup(overdue=1),
    }
    with pytest.raises(ValueError, match="Неизвестный статус отметки «finished»"):
        fold_status_counts([("A", "finished", "done", 1)])


def test_the_sql_in_the_docstring_is_the_sql_of_the_code():
    doc = rollups.__doc__
    written = doc[doc.index("    CASE\n") : doc.index("    END\n") + len("    END")]
    assert " ".join(written.split()) == " ".join(sql_status_case().sql.split())


def test_sql_columns_can_be_renamed_for_a_join():
    case = sql_status_case({"due_on": "w.due_on", "starts_on": "w.starts_on"})
    assert "w.due_on < %(today)s" in case.sql
    assert "done_on > w.due_on" in case.sql
    assert case.default == Status.NOT_DUE
    assert [s for s, _ in case.whens][:2] == [Status.RETURNED, Status.WAITING]
    with pytest.raises(ValueError, match="Unknown fact fields: due"):
        sql_status_case({"due": "w.due_on"})


def test_status_lookups_for_the_orm():
    lookups = dict(status_lookups(D(2024, 2, 29), {"due_on": "window__due_on"}))
    assert lookups[Status.OVERDUE] == [{"window__due_on__lt": D(2024, 2, 29)}]
    assert lookups[Status.DUE][1] == {"window__due_on__lte": D(2024, 3, 3)}
    assert lookups[Status.DONE_LATE][0]["done_on__gt"] == Field("window__due_on")
    assert lookups[Status.NOT_DUE] == []
    assert waiting_done_lookups() == {"review": "waiting", "state": "done"}


# --- speed ------------------------------------------------------------------------------


def test_a_million_records_roll_up_fast():
    rng = random.Random(10)  # noqa: S311 - test data, not secrets
    days = [D(2020, 1, 1) + datetime.timedelta(days=i) for i in range(900)]
    states = sorted(State.ALL)
    reviews = sorted(Review.ALL)
    pool = [
        RecordFacts(
            due,
            due - datetime.timedelta(days=30),
            rng.choice(states),
            rng.choice(days),
            rng.choice(reviews),
        )
        for due in days
    ] + [RecordFacts(None, None, state, None, Review.NONE) for state in states]
    items = [(i % 1500, pool[i % len(pool)]) for i in range(1_000_000)]
    started = time.perf_counter()
    result = rollup_by(items, D(2021, 3, 1))
    elapsed = time.perf_counter() - started
    assert sum(r.total for r in result.values()) == 1_000_000
    # About 0.4 s on the development machine; the bound leaves room for a busy CI runner.
    assert elapsed < 3, f"1,000,000 records took {elapsed:.2f} s"
