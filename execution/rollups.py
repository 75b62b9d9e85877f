"""Roll-ups of execution records: per measure, school, plan, municipality. Pure Python.

A roll-up counts records by status (``execution.status``): done on time, done late, partly,
not done, waiting for acceptance, returned, overdue, due, not due yet, unscheduled, and the
total. Every record is in exactly one status, so the counts add up to the total and the
shares (count / total) add up to 1.

Progress is the share completed of what is owed now::

    completed = done + done late + waiting marks that say «выполнено»
    owed      = total − due − not due yet − unscheduled
              = every record whose due day has passed, and every record marked already
    progress  = completed / owed            (None while nothing is owed: shown «—»)

A record due later that a school has already done is both owed and completed, so progress
never exceeds 1; a partly done, not done or returned mark is owed and not completed.

Group keys are whatever the caller groups by (a measure id, a school id, a plan id, a
municipality id, or a tuple such as ``(school_id, plan_id)`` for the overview table);
``rollup_by`` takes ``(group_key, RecordFacts)`` pairs, ``Rollup.__add__`` combines
roll-ups (a municipality from its plans). One million records roll up in about half a
second with plain loops (see the test of speed).

The same roll-up in SQL (lists)
===============================

Lists (plans with a progress bar, the municipal overview) aggregate in the database. The
status is the CASE expression below — ``sql_status_case()`` renders it from
``status.STATUS_RULES``, the same rules ``status.status`` follows, in the same order, and
the tests run it (SQLite) against ``status.status``. Parameters: ``today`` (the region's
day, ``core.timezones.today_in``) and ``week_end`` (``status.week_end(today)``, the
Sunday of today's week)::

    CASE
      WHEN review = 'returned' THEN 'returned'
      WHEN review = 'waiting' AND state IN ('done', 'partly') THEN 'waiting'
      WHEN state = 'not_done' THEN 'not_done'
      WHEN state = 'partly' THEN 'partly'
      WHEN state = 'done' AND done_on IS NOT NULL AND due_on IS NOT NULL
           AND done_on > due_on THEN 'done_late'
      WHEN state = 'done' THEN 'done'
      WHEN due_on IS NULL THEN 'unscheduled'
      WHEN due_on < %(today)s THEN 'overdue'
      WHEN (starts_on IS NOT NULL AND starts_on <= %(today)s)
           OR (due_on <= %(week_end)s) THEN 'due'
      ELSE 'not_due'
    END

and the roll-up per group (``sql_rollup_columns()`` gives the select list)::

    SELECT group_key,
           COUNT(*) AS total,
           COUNT(*) FILTER (WHERE status = 'done') AS done,
           ... one column per status ...
           COUNT(*) FILTER (WHERE review = 'waiting' AND state = 'done') AS waiting_done
    FROM (SELECT <group_key>, state, review, <the CASE above> AS status
          FROM execution records JOIN windows …) AS records
    GROUP BY group_key

or, computing the CASE once per record (Django repeats it inside every ``FILTER``)::

    SELECT group_key, status, state, COUNT(*) FROM (…) AS records
    GROUP BY group_key, status, state

folded into roll-ups by ``fold_status_counts(rows)``.

``Rollup.from_counts(row)`` turns a row of the first form (a dict, as ``.values().annotate()`` gives)
into a ``Rollup``, so shares, progress and the bar are computed by the same code for both.
Column names default to the field names; pass ``columns={"due_on": "w.due_on", …}`` for a
join. The rule order matters (first match wins), as in ``status``.

With the ORM, the rules become a ``Case`` (``status_lookups`` resolves the parameters;
``Field`` values become ``F``; ``fields`` maps the fact fields to ORM paths, e.g.
``{"due_on": "window__due_on", "starts_on": "window__starts_on"}``)::

    from django.db.models import Case, CharField, Count, F, Q, Value, When

    def status_case(today, fields=None):
        whens = []
        for status, alternatives in status_lookups(today, fields):
            if not alternatives:  # the ELSE branch
                return Case(*whens, default=Value(status.value), output_field=CharField())
            condition = Q()
            for alternative in alternatives:
                condition |= Q(**{
                    key: F(value.name) if isinstance(value, Field) else value
                    for key, value in alternative.items()
                })
            whens.append(When(condition, then=Value(status.value)))

    rows = (records.annotate(status=status_case(today))
            .values("school_id")
            .annotate(total=Count("pk"),
                      **{s.value: Count("pk", filter=Q(status=s.value)) for s in Status},
                      waiting_done=Count("pk", filter=Q(**waiting_done_lookups()))))
    rollups = {row["school_id"]: Rollup.from_counts(row) for row in rows}
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import NamedTuple

from .status import (
    LABELS,
    STATUS_RULES,
    WAITING_DONE,
    Alternative,
    Field,
    Param,
    RecordFacts,
    State,
    Status,
    status_in_week,
    week_end,
)

# Every status, in the order of the progress bar: completed first, then marks that need
# something, then what is still ahead.
BAR_ORDER: tuple[Status, ...] = (
    Status.DONE,
    Status.DONE_LATE,
    Status.WAITING,
    Status.PARTLY,
    Status.RETURNED,
    Status.NOT_DONE,
    Status.OVERDUE,
    Status.DUE,
    Status.NOT_DUE,
    Status.UNSCHEDULED,
)

# Bootstrap 5.3 classes of the progress bar segments (inside ``.progress-stacked``). Each
# segment also carries its label and count as text (``BarSegment.title``): colour is never
# the only signal.
BAR_CLASSES: dict[Status, str] = {
    Status.DONE: "bg-success",
    Status.DONE_LATE: "bg-info",
    Status.WAITING: "bg-primary",
    Status.PARTLY: "bg-warning",
    Status.RETURNED: "bg-warning progress-bar-striped",
    Status.NOT_DONE: "bg-dark",
    Status.OVERDUE: "bg-danger",
    Status.DUE: "bg-secondary",
    Status.NOT_DUE: "bg-secondary-subtle",
    Status.UNSCHEDULED: "bg-body-secondary",
}

_STATUSES = tuple(Status)
_INDEX = {status: i for i, status in enumerate(_STATUSES)}
_WAITING_INDEX = _INDEX[Status.WAITING]
_WAITING_DONE_INDEX = len(_STATUSES)


@dataclass(slots=True)
class Rollup:
    """Counts of records by status (field names are the status values), and
    ``waiting_done``: how many of the waiting marks say «выполнено»."""

    not_due: int = 0
    due: int = 0
    overdue: int = 0
    done: int = 0
    done_late: int = 0
    partly: int = 0
    not_done: int = 0
    waiting: int = 0
    returned: int = 0
    unscheduled: int = 0
    waiting_done: int = 0

    @classmethod
    def from_counts(cls, counts: Mapping[str, int | None]) -> Rollup:
        """A roll-up from counts by status value (a row of the SQL aggregation; missing or
        NULL counts are 0). A ``total`` in the row, if any, must equal the sum."""
        values = {status.value: int(counts.get(status.value) or 0) for status in Status}
        rollup = cls(**values, waiting_done=int(counts.get("waiting_done") or 0))
        if any(value < 0 for value in (*values.values(), rollup.waiting_done)):
            raise ValueError("Число отметок не может быть отрицательным.")
        if rollup.waiting_done > rollup.waiting:
            raise ValueError("Отметок «выполнено» на проверке больше, чем отметок на проверке.")
        total = counts.get("total")
        if total is not None and int(total) != rollup.total:
            raise ValueError(
                f"Сумма отметок по статусам ({rollup.total}) не равна их числу ({total})."
            )
        return rollup

    def count(self, status: Status | str) -> int:
        return getattr(self, Status(status).value)

    @property
    def total(self) -> int:
        return (
            self.not_due
            + self.due
            + self.overdue
            + self.done
            + self.done_late
            + self.partly
            + self.not_done
            + self.waiting
            + self.returned
            + self.unscheduled
        )

    @property
    def done_on_time(self) -> int:
        return self.done

    @property
    def completed(self) -> int:
        """Done, on time or late, or waiting for acceptance of a «выполнено» mark."""
        return self.done + self.done_late + self.waiting_done

    @property
    def owed(self) -> int:
        """Records whose due day has passed, and records marked already."""
        return self.total - self.due - self.not_due - self.unscheduled

    @property
    def progress(self) -> float | None:
        """The share completed of what is owed; None while nothing is owed."""
        owed = self.owed
        return self.completed / owed if owed else None

    @property
    def progress_percent(self) -> int | None:
        """Progress in whole percent, rounded down, so 100 % means everything owed is
        completed (99.6 % is not 100 %)."""
        owed = self.owed
        return self.completed * 100 // owed if owed else None

    def share(self, status: Status | str) -> float:
        """The share of the records that have the status (0 when there are none)."""
        total = self.total
        return self.count(status) / total if total else 0.0

    @property
    def shares(self) -> dict[Status, float]:
        total = self.total
        return {s: (getattr(self, s.value) / total if total else 0.0) for s in _STATUSES}

    def __add__(self, other: Rollup) -> Rollup:
        if not isinstance(other, Rollup):
            return NotImplemented
        return Rollup(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def _from_list(counts: list[int]) -> Rollup:
    return Rollup(*counts[:_WAITING_DONE_INDEX], waiting_done=counts[_WAITING_DONE_INDEX])


def rollup(facts: Iterable[RecordFacts], today: datetime.date) -> Rollup:
    """One roll-up of all ``facts`` on the day ``today`` (the plan region's calendar)."""
    return rollup_by(((None, f) for f in facts), today).get(None, Rollup())


def rollup_by[K: Hashable](
    items: Iterable[tuple[K, RecordFacts]], today: datetime.date
) -> dict[K, Rollup]:
    """Roll-ups per group key, in the order the keys first appear."""
    sunday = week_end(today)
    index = _INDEX
    waiting = Status.WAITING
    done = State.DONE
    size = _WAITING_DONE_INDEX + 1
    counters: dict[K, list[int]] = {}
    for key, facts in items:
        value = status_in_week(facts, today, sunday)
        counts = counters.get(key)
        if counts is None:
            counts = counters[key] = [0] * size
        counts[index[value]] += 1
        if value is waiting and facts[2] == done:
            counts[_WAITING_DONE_INDEX] += 1
    return {key: _from_list(counts) for key, counts in counters.items()}


def fold_status_counts[K: Hashable](rows: Iterable[tuple[K, str, str, int]]) -> dict[K, Rollup]:
    """Roll-ups from rows ``(group_key, status value, mark state, count)``: the result of
    ``GROUP BY group_key, status, state`` (the CASE expression computed once per record,
    instead of once per ``FILTER`` column), in the order the keys first appear."""
    index = _INDEX
    counters: dict[K, list[int]] = {}
    for key, value, state, number in rows:
        try:
            value = Status(value)
        except ValueError:
            raise ValueError(f"Неизвестный статус отметки «{value}».") from None
        if number < 0:
            raise ValueError("Число отметок не может быть отрицательным.")
        counts = counters.get(key)
        if counts is None:
            counts = counters[key] = [0] * (_WAITING_DONE_INDEX + 1)
        counts[index[value]] += number
        if value is Status.WAITING and state == State.DONE:
            counts[_WAITING_DONE_INDEX] += number
    return {key: _from_list(counts) for key, counts in counters.items()}


def combine(rollups: Iterable[Rollup]) -> Rollup:
    """The sum of roll-ups (a municipality from its plans, a plan from its schools)."""
    total = Rollup()
    for item in rollups:
        total = total + item
    return total


def most_overdue_first[K: Hashable](
    rollups: Mapping[K, Rollup] | Iterable[tuple[K, Rollup]],
) -> list[tuple[K, Rollup]]:
    """Groups ordered by the number of overdue records, then by their share of overdue
    records, then by the number of returned marks (most first). Ties keep the order given,
    so pass the groups in name order."""
    pairs = list(rollups.items() if isinstance(rollups, Mapping) else rollups)
    return sorted(
        pairs,
        key=lambda pair: (-pair[1].overdue, -pair[1].share(Status.OVERDUE), -pair[1].returned),
    )


def largest_remainder(counts: Sequence[int], whole: int = 100) -> list[int]:
    """Integer parts of ``whole`` proportional to ``counts`` that add up to exactly
    ``whole`` (Hamilton's method: round down, then give the units left to the largest
    remainders; equal remainders go to the earlier count). All zeros when the counts sum to
    zero."""
    if any(count < 0 for count in counts):
        raise ValueError("Доли считаются только по неотрицательным числам.")
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    parts = [count * whole // total for count in counts]
    left = whole - sum(parts)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(counts[i] * whole % total), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


class BarSegment(NamedTuple):
    """One segment of a stacked progress bar."""

    status: Status
    count: int
    percent: int  # of the whole bar; the segments of a bar add up to exactly 100
    css_class: str  # Bootstrap classes of the ``.progress-bar`` inside the segment

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def title(self) -> str:
        """The text of the segment (tooltip and screen readers): «Выполнено: 12 (40 %)»."""
        return f"{self.label}: {self.count} ({self.percent} %)"


def progress_bar(value: Rollup) -> list[BarSegment]:
    """The segments of a stacked progress bar in ``BAR_ORDER``, one per status that has
    records (a status with records keeps its segment even if it rounds to 0 %, so the
    legend can list it). No segments when there are no records."""
    present = [s for s in BAR_ORDER if getattr(value, s.value)]
    counts = [getattr(value, s.value) for s in present]
    return [
        BarSegment(s, count, percent, BAR_CLASSES[s])
        for s, count, percent in zip(present, counts, largest_remainder(counts), strict=True)
    ]


# --- SQL ------------------------------------------------------------------------------------

FACT_FIELDS = ("due_on", "starts_on", "state", "done_on", "review")
_OPERATORS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


class SqlCase(NamedTuple):
    """The status CASE expression: ``whens`` are (status, condition) in order, ``default``
    the ELSE status, ``sql`` the whole expression. Placeholders ``%(today)s`` and
    ``%(week_end)s`` (psycopg's named style)."""

    whens: tuple[tuple[Status, str], ...]
    default: Status
    sql: str


def _literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"No SQL literal for {value!r}")


def _condition(alternative: Alternative, columns: Mapping[str, str]) -> str:
    parts = []
    for lookup, value in alternative.items():
        name, _, op = lookup.partition("__")
        column = columns[name]
        if op == "isnull":
            parts.append(f"{column} IS NULL" if value else f"{column} IS NOT NULL")
        elif op == "in":
            values = ", ".join(_literal(v) for v in value)  # type: ignore[attr-defined]
            parts.append(f"{column} IN ({values})")
        else:
            if isinstance(value, Field):
                right = columns[value.name]
            elif isinstance(value, Param):
                right = f"%({value.name})s"
            else:
                right = _literal(value)
            parts.append(f"{column} {_OPERATORS[op] if op else '='} {right}")
    return " AND ".join(parts)


def _columns(columns: Mapping[str, str] | None) -> dict[str, str]:
    names = {name: name for name in FACT_FIELDS}
    if columns:
        unknown = set(columns) - set(FACT_FIELDS)
        if unknown:
            raise ValueError(f"Unknown fact fields: {', '.join(sorted(unknown))}")
        names.update(columns)
    return names


def _alternatives(alternatives: Sequence[Alternative], columns: Mapping[str, str]) -> str:
    if len(alternatives) == 1:
        return _condition(alternatives[0], columns)
    return " OR ".join(f"({_condition(a, columns)})" for a in alternatives)


def sql_status_case(columns: Mapping[str, str] | None = None) -> SqlCase:
    """The CASE expression giving a record's status value in SQL, from the same rules as
    ``status.status``. ``columns`` maps fact fields to SQL columns (default: same name)."""
    names = _columns(columns)
    whens = []
    default = None
    for status, alternatives in STATUS_RULES:
        if not alternatives:
            default = status
            break
        whens.append((status, _alternatives(alternatives, names)))
    assert default is not None  # noqa: S101 - STATUS_RULES ends with the ELSE rule
    body = " ".join(f"WHEN {condition} THEN {_literal(s.value)}" for s, condition in whens)
    return SqlCase(tuple(whens), default, f"CASE {body} ELSE {_literal(default.value)} END")


def sql_rollup_columns(
    status_column: str = "status", columns: Mapping[str, str] | None = None
) -> str:
    """The select list of a roll-up: ``total``, one count per status and ``waiting_done``,
    over rows whose status (the CASE expression) is in ``status_column``. The aliases are
    what ``Rollup.from_counts`` reads."""
    names = _columns(columns)
    items = ["COUNT(*) AS total"]
    items += [
        f"COUNT(*) FILTER (WHERE {status_column} = {_literal(s.value)}) AS {s.value}"
        for s in Status
    ]
    items.append(f"COUNT(*) FILTER (WHERE {_condition(WAITING_DONE, names)}) AS waiting_done")
    return ",\n".join(items)


def _lookups(
    alternative: Alternative, names: Mapping[str, str], params: Mapping[str, object]
) -> dict[str, object]:
    resolved = {}
    for lookup, value in alternative.items():
        name, _, op = lookup.partition("__")
        if isinstance(value, Param):
            value = params[value.name]
        elif isinstance(value, Field):
            value = Field(names[value.name])
        resolved[names[name] + (f"__{op}" if op else "")] = value
    return resolved


def status_lookups(
    today: datetime.date, fields: Mapping[str, str] | None = None
) -> list[tuple[Status, list[dict[str, object]]]]:
    """``STATUS_RULES`` with the parameters resolved for ``today`` and the fact fields
    renamed to ORM paths (``fields={"due_on": "window__due_on", …}``): the input of a
    Django ``Case`` (see the module docstring). The last rule has no alternatives: the
    default. ``Field`` values name another field (``F``)."""
    names = _columns(fields)
    params = {"today": today, "week_end": week_end(today)}
    return [
        (status, [_lookups(alt, names, params) for alt in alternatives])
        for status, alternatives in STATUS_RULES
    ]


def waiting_done_lookups(fields: Mapping[str, str] | None = None) -> dict[str, object]:
    """``WAITING_DONE`` with the fact fields renamed to ORM paths: the filter of the
    ``waiting_done`` count."""
    return _lookups(WAITING_DONE, _columns(fields), {})
