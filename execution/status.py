"""The status of one execution record (отметка об исполнении). Pure Python, no Django.

A record is what one organisation owes for one window of a measure: it has a due date
(the window's last day; none for an unscheduled measure), the first day of the window, the
state of the organisation's mark and the state of the curator's review of that mark. The
status is computed from these facts and "today" — a day of the calendar of the plan's
region, computed by the caller with ``core.timezones.today_in``.

How the mark and the review combine (first rule that applies wins)
==================================================================

======  =========================================================  ======================
rule    facts                                                      status
======  =========================================================  ======================
1       review returned (whatever the mark says)                   RETURNED
2       review waiting, mark done or partly                        WAITING
3       mark not done                                              NOT_DONE
4       mark partly                                                PARTLY
5       mark done, mark date and due date known, mark date > due   DONE_LATE
6       mark done (on or before the due day, or a date unknown)    DONE
7       no mark, no due date                                       UNSCHEDULED
8       no mark, due date before today                             OVERDUE
9       no mark, window open (starts on or before today) or due    DUE
        by the end of this week (Monday … Sunday of today)
10      no mark otherwise                                          NOT_DUE
======  =========================================================  ======================

Why:

* A returned mark is not done: the school has to act again, so the record is shown as
  returned, with the curator's comment, whatever the mark said and whatever the date (a
  returned record past its due date is still «Возвращено на доработку», not «Просрочено»:
  the curator's word is the more useful thing to show). A returned record that the school
  marks again goes back to waiting (rule 2).
* A mark waiting for acceptance counts as done for the school (it did its part; in the
  roll-up's progress a waiting *done* mark counts as completed) but is shown «На проверке»
  until the curator accepts it. A partly-done mark may wait for acceptance too (shown «На
  проверке», not counted as completed). A «не выполнено» mark is bad news already: there is
  nothing for the curator to accept, so it is shown as not done whatever the review says.
* An accepted mark, or a mark on a plan whose marks need no acceptance (review «none»), is
  shown by the mark: done, done late, partly, not done.
* Review states on a record without a mark (pending + waiting/accepted, left over after a
  mark was withdrawn) are ignored: the record is judged by its dates.
* Done late means the mark's date is after the due day; done on the due day is on time. A
  done mark without a date (an imported «Отметка об исполнении» may have none) is on time:
  nothing says it was late. Being done before the window opened is still done.
* Unscheduled records (no due date) are never overdue and never late; until marked they are
  «Без срока». ``starts_on`` without ``due_on`` is ignored.
* Overdue starts the day after the due day: a record due today is «Выполнить до …».
* «Выполнить до …» (DUE) covers the open window and anything due this week, so everything
  ``due_this_week`` lists is DUE; a window without a first day opens in the week it is due.

The same rules are kept as data in ``STATUS_RULES`` (in the order above); ``rollups``
turns them into SQL (``rollups.sql_status_case``) for lists aggregated in the database, and
the tests check that the data, the SQL and ``status`` agree.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import NamedTuple


class State:
    """The state of the organisation's own mark."""

    PENDING = "pending"  # nothing marked yet
    DONE = "done"  # «выполнено»
    PARTLY = "partly"  # «выполнено частично»
    NOT_DONE = "not_done"  # «не выполнено»

    ALL = frozenset({PENDING, DONE, PARTLY, NOT_DONE})


class Review:
    """The state of the curator's review of the mark."""

    NONE = "none"  # not reviewed (or the plan's marks need no acceptance)
    WAITING = "waiting"  # «на проверке»
    ACCEPTED = "accepted"  # «принято»
    RETURNED = "returned"  # «возвращено на доработку»

    ALL = frozenset({NONE, WAITING, ACCEPTED, RETURNED})


class Status(StrEnum):
    """What a record's badge says. The value is what SQL aggregation returns, too."""

    NOT_DUE = "not_due"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done_late"
    PARTLY = "partly"
    NOT_DONE = "not_done"
    WAITING = "waiting"
    RETURNED = "returned"
    UNSCHEDULED = "unscheduled"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def badge_class(self) -> str:
        return BADGE_CLASSES[self]


LABELS: dict[Status, str] = {
    Status.NOT_DUE: "Срок не наступил",
    # The badge of one record says «Выполнить до 25.11.2020» (``status_text``); this short
    # form names the status in legends, filters and roll-ups.
    Status.DUE: "К выполнению",
    Status.OVERDUE: "Просрочено",
    Status.DONE: "Выполнено",
    Status.DONE_LATE: "Выполнено с опозданием",
    Status.PARTLY: "Выполнено частично",
    Status.NOT_DONE: "Не выполнено",
    Status.WAITING: "На проверке",
    Status.RETURNED: "Возвращено на доработку",
    Status.UNSCHEDULED: "Без срока",
}

# Bootstrap 5.3 badge classes. Colour is never the only signal: the badge always carries
# its label.
BADGE_CLASSES: dict[Status, str] = {
    Status.NOT_DUE: "text-bg-light border",
    Status.DUE: "text-bg-secondary",
    Status.OVERDUE: "text-bg-danger",
    Status.DONE: "text-bg-success",
    Status.DONE_LATE: "text-bg-info",
    Status.PARTLY: "text-bg-warning",
    Status.NOT_DONE: "text-bg-dark",
    Status.WAITING: "text-bg-primary",
    Status.RETURNED: "text-bg-warning border border-danger",
    Status.UNSCHEDULED: "text-bg-light border",
}

# Statuses by what they mean for the organisation that owes the record.
COMPLETED = frozenset({Status.DONE, Status.DONE_LATE})
# Still to do by the organisation (what «Мои мероприятия» lists as its work).
OPEN = frozenset({Status.NOT_DUE, Status.DUE, Status.OVERDUE, Status.RETURNED, Status.UNSCHEDULED})
# Marked, whatever the outcome.
MARKED = frozenset(
    {
        Status.DONE,
        Status.DONE_LATE,
        Status.PARTLY,
        Status.NOT_DONE,
        Status.WAITING,
        Status.RETURNED,
    }
)


class RecordFacts(NamedTuple):
    """The facts a status is computed from. A tuple, so a database row
    ``(due_on, starts_on, state, done_on, review)`` is ``RecordFacts(*row)``."""

    due_on: datetime.date | None
    starts_on: datetime.date | None
    state: str = State.PENDING
    done_on: datetime.date | None = None
    review: str = Review.NONE


def week_end(today: datetime.date) -> datetime.date:
    """The Sunday of the week (Monday … Sunday) that ``today`` is in."""
    return today + datetime.timedelta(days=6 - today.weekday())


def status(facts: RecordFacts, today: datetime.date) -> Status:
    """The status of a record on the day ``today`` (in the plan region's calendar)."""
    return status_in_week(facts, today, week_end(today))


def status_in_week(facts: RecordFacts, today: datetime.date, sunday: datetime.date) -> Status:
    """``status`` with the week's Sunday given (roll-ups compute it once for many records).

    Raises ``ValueError`` (with a Russian message) for a mark or review state it does not
    know: the database constrains both, so that is a programming error, not user input."""
    due_on, starts_on, state, done_on, review = facts
    if review == "returned":
        return Status.RETURNED
    if state == "pending":
        if review not in Review.ALL:
            raise _unknown_review(review)
        if due_on is None:
            return Status.UNSCHEDULED
        if due_on < today:
            return Status.OVERDUE
        if (starts_on is not None and starts_on <= today) or due_on <= sunday:
            return Status.DUE
        return Status.NOT_DUE
    if state == "done":
        if review == "waiting":
            return Status.WAITING
        if review != "none" and review != "accepted":
            raise _unknown_review(review)
        if done_on is not None and due_on is not None and done_on > due_on:
            return Status.DONE_LATE
        return Status.DONE
    if state == "partly":
        if review == "waiting":
            return Status.WAITING
        if review != "none" and review != "accepted":
            raise _unknown_review(review)
        return Status.PARTLY
    if state == "not_done":
        if review not in Review.ALL:
            raise _unknown_review(review)
        return Status.NOT_DONE
    raise ValueError(
        f"Неизвестное состояние отметки «{state}»: ожидается одно из "
        f"{', '.join(sorted(State.ALL))}."
    )


def _unknown_review(review: object) -> ValueError:
    return ValueError(
        f"Неизвестное состояние проверки «{review}»: ожидается одно из "
        f"{', '.join(sorted(Review.ALL))}."
    )


def due_this_week(facts: RecordFacts, today: datetime.date) -> bool:
    """Nothing marked yet and due from today to the Sunday of this week: what «Мои
    мероприятия» lists under «на этой неделе». Every such record has the status DUE.

    A returned record is listed under «возвращено» instead, and one due before today under
    «просрочено», so the lists of that page do not repeat a record."""
    if facts.due_on is None or facts.state != State.PENDING or facts.review == Review.RETURNED:
        return False
    return today <= facts.due_on <= week_end(today)


def status_text(value: Status, due_on: datetime.date | None = None) -> str:
    """The badge text of one record: the label, and for DUE the day it is due by
    («Выполнить до 25.11.2020»)."""
    if value == Status.DUE and due_on is not None:
        return f"Выполнить до {due_on:%d.%m.%Y}"
    return LABELS[Status(value)]


def badge_class(value: Status | str) -> str:
    """The Bootstrap classes of the status badge («text-bg-success»)."""
    return BADGE_CLASSES[Status(value)]


# The rules above as data, in CASE WHEN order: each rule is a status and a list of
# alternatives (OR); an alternative is a dict of conditions (AND) in Django lookup style,
# ``{field}`` or ``{field}__{lookup}`` → value. A value ``Field("due_on")`` names another
# field, ``Param("today")`` a parameter of the query. The last rule has no conditions: the
# ELSE branch. ``rollups.sql_status_case`` renders them as SQL; the tests check they agree
# with ``status``.
class Field(NamedTuple):
    name: str


class Param(NamedTuple):
    name: str  # "today" or "week_end"


Alternative = dict[str, object]

STATUS_RULES: tuple[tuple[Status, tuple[Alternative, ...]], ...] = (
    (Status.RETURNED, ({"review": Review.RETURNED},)),
    (Status.WAITING, ({"review": Review.WAITING, "state__in": (State.DONE, State.PARTLY)},)),
    (Status.NOT_DONE, ({"state": State.NOT_DONE},)),
    (Status.PARTLY, ({"state": State.PARTLY},)),
    (
        Status.DONE_LATE,
        (
            {
                "state": State.DONE,
                "done_on__isnull": False,
                "due_on__isnull": False,
                "done_on__gt": Field("due_on"),
            },
        ),
    ),
    (Status.DONE, ({"state": State.DONE},)),
    (Status.UNSCHEDULED, ({"due_on__isnull": True},)),
    (Status.OVERDUE, ({"due_on__lt": Param("today")},)),
    (
        Status.DUE,
        (
            {"starts_on__isnull": False, "starts_on__lte": Param("today")},
            {"due_on__lte": Param("week_end")},
        ),
    ),
    (Status.NOT_DUE, ()),
)

# A waiting mark that says «выполнено»: counted as completed in the roll-up's progress.
WAITING_DONE: Alternative = {"review": Review.WAITING, "state": State.DONE}
