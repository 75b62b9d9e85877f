"""What each person hears about in their digest of a day. Pure Python, no Django: the daily
job (``notifications.reminders``) reads the rows in a constant number of queries and this
module groups them per person.

Who hears about an organisation's records (``audience``)
========================================================

==============  ==============================================================================
list            who
==============  ==============================================================================
markers         members of the organisation whose role marks its measures: of a school its
                deputies (its director when it has no deputy); of an authority or a centre
                its coordinators and methodologists
reviewers       the school's curators (закреплённые кураторы); when it has none, and for
                authorities and centres, the municipal coordinators of its municipality
escalation      the school's director(s) (of an authority or a centre: its head), the
                school's curators and the municipal coordinators of its municipality
managers        the school's director(s) (of an authority or a centre: its head) and the
                municipal coordinators of its municipality
==============  ==============================================================================

What goes into the digest of day D (``plan_day``)
=================================================

A digest reports the events of the days ``since < d ≤ D`` — normally D alone (``since`` is
the day of the person's previous digest, or D − 1); more days when earlier digests were
missed (the job was down), so nothing is lost and nothing is told twice. The event day of
each item:

============  ===========================================================  ============  ===========
kind          records                                                      event day     to
============  ===========================================================  ============  ===========
due_soon      not marked, due in ``o`` days for an offset ``o`` of the      due − o       markers
              organisation's municipality (and not overdue yet)
overdue       not marked, not returned                                     due + 1       markers
returned      the curator's return, still returned                         return + 1    markers
waiting       a mark waiting for review (the day it was marked)            mark + 1      reviewers
              — and for every reviewer the count of all marks waiting
escalation    not marked, ``grace`` days overdue (the municipality's       due+grace+1   escalation
              grace period)
notices       computed by another app's item source (``sources``): each    its own       its own
              names its kind, event day, organisations and audience list
============  ===========================================================  ============  ===========

Days of marks and returns are days of the person's own time zone. A person who switched a
kind off does not get it; one record is told to one person once per kind.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from core.plurals import count_phrase

DUE_SOON = "due_soon"
OVERDUE = "overdue"
RETURNED = "returned"
WAITING = "waiting"
ESCALATION = "escalation"

DAY = datetime.timedelta(days=1)
TITLE_CHARS = 160
DAYS = ("день", "дня", "дней")
MARKS = ("отметка", "отметки", "отметок")


@dataclass(frozen=True)
class Roles:
    """The role values the rules name (``schools.constants.Role``), and those that mark."""

    deputy: str
    director: str
    head: str
    coordinator: str
    marking: frozenset[str]


@dataclass(frozen=True)
class Member:
    person: int
    role: str
    organisation: int


@dataclass(frozen=True)
class Org:
    pk: int
    name: str
    is_school: bool
    municipality: int | None


@dataclass(frozen=True)
class Record:
    pk: int
    organisation: int
    due_on: datetime.date | None
    roadmap: int
    roadmap_title: str
    number: str
    title: str
    marked_at: datetime.datetime | None = None
    reviewed_at: datetime.datetime | None = None
    review_comment: str = ""


@dataclass(frozen=True)
class Recipient:
    pk: int
    since: datetime.date  # exclusive: events of the days since < d ≤ the digest's day
    zone: datetime.tzinfo
    kinds: frozenset[str]


@dataclass(frozen=True)
class Item:
    kind: str
    text: str
    target: str  # "record" (the record's page), "queue" (the review queue) or "url"
    record: int | None
    roadmap: int | None
    plan_title: str
    url: str = ""  # the page of a notice (target "url")


@dataclass(frozen=True)
class Notice:
    """An item an app's source computes for the day (``notifications.sources``), told to
    the people of the ``audience`` list (``markers``, ``reviewers``, ``escalation``,
    ``managers``) of each of ``organisations`` whose digest covers ``event_day``. One
    notice (``key``) is told to one person once."""

    kind: str
    key: str
    event_day: datetime.date
    organisations: tuple[int, ...]
    audience: str
    text: str
    url: str
    roadmap: int | None = None
    plan_title: str = ""


@dataclass
class Audience:
    markers: dict[int, list[int]] = field(default_factory=dict)
    reviewers: dict[int, list[int]] = field(default_factory=dict)
    escalation: dict[int, list[int]] = field(default_factory=dict)
    managers: dict[int, list[int]] = field(default_factory=dict)


# A municipality's rules: (offsets, grace days) for a municipality id (None: defaults).
Rules = Callable[[int | None], tuple[tuple[int, ...], int]]


def _unique(values: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(values))


def audience(
    members: Iterable[Member],
    organisations: Mapping[int, Org],
    curators: Iterable[tuple[int, int]],
    roles: Roles,
) -> Audience:
    """Who hears about each organisation's records (the table of the module docstring).
    ``curators``: (curator person, school) pairs."""
    by_org: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    coordinators: dict[int, list[int]] = defaultdict(list)
    for member in members:
        by_org[member.organisation][member.role].append(member.person)
        org = organisations.get(member.organisation)
        if member.role == roles.coordinator and org is not None and org.municipality:
            coordinators[org.municipality].append(member.person)
    curated: dict[int, list[int]] = defaultdict(list)
    for person, school in curators:
        curated[school].append(person)
    result = Audience()
    for pk, org in organisations.items():
        staff = by_org.get(pk, {})
        local = coordinators.get(org.municipality, []) if org.municipality else []
        if org.is_school:
            markers = staff.get(roles.deputy) or staff.get(roles.director) or []
            leaders = staff.get(roles.director, [])
        else:
            markers = [p for role in sorted(roles.marking) for p in staff.get(role, [])]
            leaders = staff.get(roles.head, [])
        school_curators = curated.get(pk, [])
        if markers:
            result.markers[pk] = _unique(markers)
        reviewers = school_curators or local
        if reviewers:
            result.reviewers[pk] = _unique(reviewers)
        escalation = _unique([*leaders, *school_curators, *local])
        if escalation:
            result.escalation[pk] = escalation
        managers = _unique([*leaders, *local])
        if managers:
            result.managers[pk] = managers
    return result


def due_dates(
    day: datetime.date, since: datetime.date, offsets: Iterable[int], graces: Iterable[int]
) -> set[datetime.date]:
    """Every due date an unmarked record may have to be told about in a digest of the days
    ``since < d ≤ day`` under any of these offsets and grace periods (the job's query)."""
    days = [since + DAY * n for n in range(1, (day - since).days + 1)]
    found = set()
    for d in days:
        found.add(d - DAY)
        found.update(d + DAY * o for o in offsets)
        found.update(d - DAY * (g + 1) for g in graces)
    return found


def title_of(record: Record) -> str:
    title = " ".join(record.title.split())
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    return f"п. {record.number} «{title}»" if record.number else f"«{title}»"


def _in_window(event: datetime.date, person: Recipient, day: datetime.date) -> bool:
    return person.since < event <= day


def _local_day(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.date:
    return moment.astimezone(zone).date()


def _left(days: int) -> str:
    if days == 0:
        return "срок сегодня"
    if days == 1:
        return "срок завтра"
    return f"осталось {count_phrase(days, DAYS)}"


@dataclass
class DayPlan:
    """What the job found for a day: items per person, and the records escalated."""

    items: dict[int, list[Item]] = field(default_factory=dict)
    escalated: set[int] = field(default_factory=set)

    def count(self, kind: str | None = None) -> int:
        return sum(1 for items in self.items.values() for i in items if kind in (None, i.kind))


def plan_day(
    day: datetime.date,
    recipients: Mapping[int, Recipient],
    who: Audience,
    organisations: Mapping[int, Org],
    rules: Rules,
    *,
    unmarked: Iterable[Record] = (),
    returned: Iterable[Record] = (),
    waiting: Iterable[Record] = (),
    waiting_counts: Mapping[int, int] | None = None,
    notices: Iterable[Notice] = (),
) -> DayPlan:
    """The items of each recipient's digest of ``day`` (the module docstring's table).

    ``unmarked``: records with no mark due on the dates of ``due_dates``; ``returned``:
    records whose mark is returned (with the moment of the return); ``waiting``: marks
    waiting for review (with the moment of the mark); ``waiting_counts``: all marks waiting
    for review per organisation; ``notices``: the items of other apps' sources. Records of
    plans not in execution must not be given."""
    plan = DayPlan()
    seen: set[tuple[int, str, int | str | None]] = set()

    def tell(
        person_id: int,
        kind: str,
        record: Record | None,
        text: str,
        target: str,
        notice: Notice | None = None,
    ) -> bool:
        person = recipients.get(person_id)
        if person is None or kind not in person.kinds:
            return False
        key = (person_id, kind, notice.key if notice else record.pk if record else None)
        if key in seen:
            return False
        seen.add(key)
        if notice is not None:
            item = Item(kind, text, target, None, notice.roadmap, notice.plan_title, notice.url)
        else:
            item = Item(
                kind=kind,
                text=text,
                target=target,
                record=record.pk if record else None,
                roadmap=record.roadmap if record else None,
                plan_title=record.roadmap_title if record else "",
            )
        plan.items.setdefault(person_id, []).append(item)
        return True

    for record in unmarked:
        org = organisations.get(record.organisation)
        if org is None or record.due_on is None:
            continue
        offsets, grace = rules(org.municipality)
        due = record.due_on
        subject = f"{title_of(record)} — {org.name}"
        for person_id in who.markers.get(org.pk, ()):
            person = recipients.get(person_id)
            if person is None:
                continue
            if due >= day and any(_in_window(due - DAY * o, person, day) for o in offsets):
                left = (due - day).days
                tell(
                    person_id,
                    DUE_SOON,
                    record,
                    f"{subject}: {_left(left)} (до {due:%d.%m.%Y}).",
                    "record",
                )
            if _in_window(due + DAY, person, day):
                tell(
                    person_id,
                    OVERDUE,
                    record,
                    f"{subject}: срок прошёл {due:%d.%m.%Y}, отметки об исполнении нет.",
                    "record",
                )
        escalation_day = due + DAY * (grace + 1)
        for person_id in who.escalation.get(org.pk, ()):
            person = recipients.get(person_id)
            if person is None or not _in_window(escalation_day, person, day):
                continue
            late = (day - due).days
            if tell(
                person_id,
                ESCALATION,
                record,
                f"{subject}: просрочено на {count_phrase(late, DAYS)} (срок был {due:%d.%m.%Y}), "
                "отметки об исполнении нет.",
                "record",
            ):
                plan.escalated.add(record.pk)

    for record in returned:
        org = organisations.get(record.organisation)
        if org is None or record.reviewed_at is None:
            continue
        comment = " ".join(record.review_comment.split())
        if len(comment) > 300:
            comment = comment[:299].rstrip() + "…"
        note = f" Замечание: «{comment}»" if comment else ""
        for person_id in who.markers.get(org.pk, ()):
            person = recipients.get(person_id)
            if person is None:
                continue
            if _in_window(_local_day(record.reviewed_at, person.zone) + DAY, person, day):
                tell(
                    person_id,
                    RETURNED,
                    record,
                    f"{title_of(record)} — {org.name}: куратор вернул отметку на доработку.{note}",
                    "record",
                )

    for record in waiting:
        org = organisations.get(record.organisation)
        if org is None or record.marked_at is None:
            continue
        for person_id in who.reviewers.get(org.pk, ()):
            person = recipients.get(person_id)
            if person is None:
                continue
            marked = _local_day(record.marked_at, person.zone)
            if _in_window(marked + DAY, person, day):
                tell(
                    person_id,
                    WAITING,
                    record,
                    f"{title_of(record)} — {org.name}: отметка от {marked:%d.%m.%Y} ждёт "
                    "вашей проверки.",
                    "record",
                )

    totals: dict[int, int] = defaultdict(int)
    for org_id, count in (waiting_counts or {}).items():
        for person_id in who.reviewers.get(org_id, ()):
            totals[person_id] += count
    for person_id, total in totals.items():
        if total:
            tell(
                person_id,
                WAITING,
                None,
                f"Всего в очереди проверки: {count_phrase(total, MARKS)}.",
                "queue",
            )

    for notice in notices:
        lists = getattr(who, notice.audience)
        for org_id in notice.organisations:
            for person_id in lists.get(org_id, ()):
                person = recipients.get(person_id)
                if person is not None and _in_window(notice.event_day, person, day):
                    tell(person_id, notice.kind, None, notice.text, "url", notice)
    return plan
