"""The reads of the daily job: everybody who may get a digest and everything their digests
of a day may report, in a constant number of queries whatever the number of records or
people (the grouping per person is ``notifications.planner``, pure Python).

Queries: regions, organisations, memberships (with the people), curators, preferences,
reminder settings (6, once per run); then per day being sent: the people's latest digests,
the unmarked records due on the days that matter, the returned marks, the marks waiting
for review and their counts per organisation, the events waiting for a digest (6), and
the constant number of each registered item source (``notifications.sources``).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from core.timezones import DEFAULT_TIME_ZONE, zone
from execution.models import ExecutionRecord, MarkState, ReviewState
from roadmaps.constants import RoadmapStatus
from schools.constants import OrganisationKind, Role
from schools.models import CuratorAssignment, Membership, Organisation, Region
from schools.roles import EXECUTION_MARK, ROLE_PERMISSIONS

from . import planner, sources
from .constants import (
    CATCH_UP_DAYS,
    DEFAULT_DIGEST_HOUR,
    DEFAULT_GRACE_DAYS,
    DEFAULT_OFFSETS,
    EVENT_KINDS,
    DigestState,
    Kind,
)
from .models import Digest, Notification, NotificationPreference, ReminderSettings

DAY = datetime.timedelta(days=1)

ROLES = planner.Roles(
    deputy=Role.SCHOOL_DEPUTY,
    director=Role.SCHOOL_DIRECTOR,
    head=Role.HEAD,
    coordinator=Role.MUNICIPAL_COORDINATOR,
    marking=frozenset(role for role, perms in ROLE_PERMISSIONS.items() if EXECUTION_MARK in perms),
)


@dataclass
class Person:
    """Someone who may get a digest: their home region (of their first membership), the
    e-mail address and their preferences."""

    pk: int
    email: str
    region: int
    hour: int = DEFAULT_DIGEST_HOUR
    email_enabled: bool = True
    kinds: frozenset[str] = frozenset(Kind.values)


@dataclass
class World:
    """Who is who, loaded once per run."""

    regions: dict[int, str]  # id → time zone
    organisations: dict[int, planner.Org]
    people: dict[int, Person]
    audience: planner.Audience
    settings: dict[int, tuple[tuple[int, ...], int]]  # municipality → (offsets, grace)
    offsets: set[int] = field(default_factory=set)
    graces: set[int] = field(default_factory=set)

    def rules(self, municipality: int | None) -> tuple[tuple[int, ...], int]:
        default = (tuple(DEFAULT_OFFSETS), DEFAULT_GRACE_DAYS)
        return self.settings.get(municipality, default) if municipality else default


def load_world() -> World:
    """Regions, organisations, people and their preferences, curators, reminder settings
    (6 queries)."""
    regions = dict(Region.objects.values_list("pk", "time_zone"))
    organisations = {
        pk: planner.Org(pk, name, kind == OrganisationKind.SCHOOL, municipality)
        for pk, name, kind, municipality in Organisation.objects.filter(is_active=True)
        .order_by()
        .values_list("pk", "short_name", "kind", "municipality_id")
    }
    members: list[planner.Member] = []
    people: dict[int, Person] = {}
    methodologists: set[int] = set()
    rows = (
        Membership.objects.filter(
            is_active=True, user__is_active=True, organisation__is_active=True
        )
        .order_by("pk")
        .values_list("user_id", "role", "organisation_id", "organisation__region_id", "user__email")
    )
    for person_id, role, org_id, region_id, email in rows:
        members.append(planner.Member(person_id, role, org_id))
        if person_id not in people:
            people[person_id] = Person(person_id, (email or "").strip(), region_id)
        if role == Role.METHODOLOGIST:
            methodologists.add(person_id)
    # A curator reaches the school only while they are a methodologist somewhere.
    curators = [
        (curator, school)
        for curator, school in CuratorAssignment.objects.filter(
            school__is_active=True, curator__is_active=True
        ).values_list("curator_id", "school_id")
        if curator in methodologists
    ]
    for person_id, enabled, hour, muted in NotificationPreference.objects.values_list(
        "person_id", "email_enabled", "digest_hour", "muted_kinds"
    ):
        person = people.get(person_id)
        if person is not None:
            person.email_enabled = enabled
            person.hour = hour
            person.kinds = frozenset(Kind.values) - frozenset(muted or ())
    settings: dict[int, tuple[tuple[int, ...], int]] = {}
    offsets, graces = set(DEFAULT_OFFSETS), {DEFAULT_GRACE_DAYS}
    for municipality, values, grace in ReminderSettings.objects.values_list(
        "municipality_id", "offsets", "grace_days"
    ):
        values = tuple(sorted({int(v) for v in values or DEFAULT_OFFSETS}, reverse=True))
        settings[municipality] = (values, grace)
        offsets.update(values)
        graces.add(grace)
    return World(
        regions=regions,
        organisations=organisations,
        people=people,
        audience=planner.audience(members, organisations, curators, ROLES),
        settings=settings,
        offsets=offsets,
        graces=graces,
    )


def region_zone(world: World, region_id: int) -> zoneinfo.ZoneInfo:
    return zone(world.regions.get(region_id) or DEFAULT_TIME_ZONE)


@dataclass
class Previous:
    """A person's digests around the day: the last day before it, whether one exists for
    the day or later, and whether that one had something to tell."""

    last_before: datetime.date | None = None
    has_day: bool = False
    told: bool = False


def previous_digests(day: datetime.date) -> dict[int, Previous]:
    """Per person, their digests of the last ``CATCH_UP_DAYS`` days and later (1 query)."""
    rows = (
        Digest.objects.filter(day__gte=day - DAY * CATCH_UP_DAYS)
        .order_by()
        .values("person_id")
        .annotate(
            last_before=Max("day", filter=Q(day__lt=day)),
            latest=Max("day"),
            told=Count("pk", filter=Q(day__gte=day) & ~Q(state=DigestState.EMPTY)),
        )
        .values_list("person_id", "last_before", "latest", "told")
    )
    return {
        person: Previous(last_before, latest is not None and latest >= day, told > 0)
        for person, last_before, latest, told in rows
    }


def since_of(day: datetime.date, previous: Previous | None) -> datetime.date:
    """The last day already reported to the person (exclusive start of the new digest)."""
    floor = day - DAY * CATCH_UP_DAYS
    if previous is None or previous.last_before is None:
        return day - DAY
    return max(previous.last_before, floor)


IN_EXECUTION = Q(measure__roadmap__status=RoadmapStatus.EXECUTION, organisation__is_active=True)
RECORD_FIELDS = (
    "pk",
    "organisation_id",
    "due_on",
    "measure__roadmap_id",
    "measure__roadmap__title",
    "measure__number",
    "measure__title",
)


def _records(queryset, *extra: str):
    for row in queryset.order_by().values_list(*RECORD_FIELDS, *extra):
        pk, org, due, roadmap, roadmap_title, number, title, *rest = row
        yield pk, org, due, roadmap, roadmap_title, number or "", title, rest


@dataclass
class DayFacts:
    unmarked: list[planner.Record]
    returned: list[planner.Record]
    waiting: list[planner.Record]
    waiting_counts: dict[int, int]
    events: dict[int, list[int]]  # person → ids of their events without a digest
    notices: list[planner.Notice] = field(default_factory=list)  # of the item sources


def day_facts(world: World, day: datetime.date, earliest_since: datetime.date) -> DayFacts:
    """Everything the digests of ``day`` may report when the earliest of them starts after
    ``earliest_since`` (5 queries, over all records, and those of the item sources)."""
    dates = planner.due_dates(day, earliest_since, world.offsets, world.graces)
    unmarked = [
        planner.Record(pk, org, due, roadmap, roadmap_title, number, title)
        for pk, org, due, roadmap, roadmap_title, number, title, _ in _records(
            ExecutionRecord.objects.filter(IN_EXECUTION, marked_at__isnull=True, due_on__in=dates)
            .exclude(review=ReviewState.RETURNED)
            .filter(state=MarkState.PENDING)
        )
    ]
    # Moments of the days after ``earliest_since`` in any zone (the planner takes each in
    # the person's own zone).
    lower = datetime.datetime.combine(earliest_since - DAY, datetime.time.min, tzinfo=datetime.UTC)
    returned = [
        planner.Record(
            pk,
            org,
            due,
            roadmap,
            roadmap_title,
            number,
            title,
            reviewed_at=reviewed,
            review_comment=comment,
        )
        for pk, org, due, roadmap, roadmap_title, number, title, (reviewed, comment) in _records(
            ExecutionRecord.objects.filter(
                IN_EXECUTION, review=ReviewState.RETURNED, reviewed_at__gte=lower
            ),
            "reviewed_at",
            "review_comment",
        )
    ]
    waiting_q = Q(
        IN_EXECUTION,
        review=ReviewState.WAITING,
        state__in=(MarkState.DONE, MarkState.PARTLY),
    )
    waiting = [
        planner.Record(pk, org, due, roadmap, roadmap_title, number, title, marked_at=marked)
        for pk, org, due, roadmap, roadmap_title, number, title, (marked,) in _records(
            ExecutionRecord.objects.filter(waiting_q, marked_at__gte=lower), "marked_at"
        )
    ]
    waiting_counts = dict(
        ExecutionRecord.objects.filter(waiting_q)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    events: dict[int, list[int]] = defaultdict(list)
    for person, pk in (
        Notification.objects.filter(
            digest__isnull=True, kind__in=EVENT_KINDS, created_at__gte=events_since(day)
        )
        .order_by("pk")
        .values_list("person_id", "pk")
    ):
        events[person].append(pk)
    notices = sources.collect(
        sources.SourceQuery(
            day=day, since=earliest_since, rules=world.rules, offsets=frozenset(world.offsets)
        )
    )
    return DayFacts(unmarked, returned, waiting, waiting_counts, dict(events), notices)


def events_since(day: datetime.date) -> datetime.datetime:
    """Events older than the catch-up horizon are not mailed any more (they stay under the
    bell): a digest never reports more than ``CATCH_UP_DAYS`` of the past."""
    return datetime.datetime.combine(
        day - DAY * CATCH_UP_DAYS, datetime.time.min, tzinfo=datetime.UTC
    )


def local_now(world: World, region_id: int, now: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(now, region_zone(world, region_id))
