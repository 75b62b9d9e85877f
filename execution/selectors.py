"""Reads of the execution pages: already scoped, with a number of queries that does not
depend on how many records there are.

Statuses come from ``execution.status`` (one record, in Python) or from the same rules as
a SQL ``CASE`` (``status_case``, for roll-ups aggregated in the database). "Today" is a
day of the calendar of the plan's region (``core.timezones.today_in``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from core.timezones import today_in
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Measure, Roadmap
from schools.access import member_organisations, scope_for
from schools.models import Organisation

from .models import Evidence, ExecutionRecord, ReviewState
from .querysets import MARK, REVIEW, VIEW
from .rollups import Rollup, fold_status_counts, status_lookups
from .status import Field, RecordFacts, Status, status, status_text

# --- Status in SQL ----------------------------------------------------------------------


def status_case(today: datetime.date, fields: Mapping[str, str] | None = None) -> Case:
    """A record's status value as a Django ``Case``: the rules of ``status.status``, in
    their order, for the day ``today`` (``rollups.status_lookups``)."""
    whens = []
    for value, alternatives in status_lookups(today, fields):
        if not alternatives:
            return Case(*whens, default=Value(value.value), output_field=CharField())
        condition = Q()
        for alternative in alternatives:
            condition |= Q(
                **{
                    key: F(item.name) if isinstance(item, Field) else item
                    for key, item in alternative.items()
                }
            )
        whens.append(When(condition, then=Value(value.value)))
    raise AssertionError("STATUS_RULES end with the ELSE rule")  # pragma: no cover


def rollups_by(records: QuerySet, key: str, today: datetime.date) -> dict:
    """Roll-ups of ``records`` per value of ``key`` (an ORM path), aggregated in the
    database: ``GROUP BY key, status, state`` folded by ``rollups.fold_status_counts``.
    One query."""
    rows = (
        records.order_by()
        .annotate(_status=status_case(today))
        .values_list(key, "_status", "state")
        .annotate(n=Count("pk"))
    )
    return fold_status_counts(rows)


def rollups_by_region(records: QuerySet, key: str, todays: Mapping[int, datetime.date]) -> dict:
    """``rollups_by`` for records of plans of several regions, each judged by its own
    region's today (``todays``: region id → day). One query per region of the list."""
    result: dict = {}
    for region_id, today in todays.items():
        part = rollups_by(records.filter(measure__roadmap__owner__region_id=region_id), key, today)
        for group, value in part.items():
            result[group] = result[group] + value if group in result else value
    return result


# --- One record as the pages show it --------------------------------------------------------


@dataclass
class RecordRow:
    """A record with what its line on a page says: status, badge text, the window."""

    record: ExecutionRecord
    status: Status
    today: datetime.date
    evidence: list[Evidence] = field(default_factory=list)
    # Set by pages that list records of several people's reach: may this person mark it.
    may_mark: bool | None = None

    @property
    def badge(self) -> str:
        return status_text(self.status, self.record.due_on)

    @property
    def badge_class(self) -> str:
        return self.status.badge_class

    @property
    def window_text(self) -> str:
        record = self.record
        if record.due_on is None:
            return "без срока"
        if record.starts_on and record.starts_on != record.due_on:
            return f"{record.starts_on:%d.%m.%Y} – {record.due_on:%d.%m.%Y}"
        return f"до {record.due_on:%d.%m.%Y}"

    @property
    def days_overdue(self) -> int:
        if self.status != Status.OVERDUE or self.record.due_on is None:
            return 0
        return (self.today - self.record.due_on).days

    @property
    def can_change_mark(self) -> bool:
        """The organisation may (re)mark it: nothing accepted by a curator is reopened."""
        record = self.record
        return not (
            record.review == ReviewState.ACCEPTED and record.measure.roadmap.marks_need_acceptance
        )


def facts(record: ExecutionRecord) -> RecordFacts:
    return RecordFacts(record.due_on, record.starts_on, record.state, record.done_on, record.review)


def _today_of(record: ExecutionRecord, cache: dict[int, datetime.date]) -> datetime.date:
    region = record.measure.roadmap.owner.region
    if region.pk not in cache:
        cache[region.pk] = today_in(region)
    return cache[region.pk]


def record_rows(records: Iterable[ExecutionRecord], *, with_evidence: bool = True) -> list:
    """Rows of loaded records (with ``measure__roadmap__owner__region`` selected), each
    with its status on its plan region's today and, if asked, its evidence (one query)."""
    records = list(records)
    todays: dict[int, datetime.date] = {}
    rows = []
    for record in records:
        today = _today_of(record, todays)
        rows.append(RecordRow(record, status(facts(record), today), today))
    if with_evidence and records:
        by_record: dict[int, list[Evidence]] = defaultdict(list)
        for item in Evidence.objects.filter(record_id__in=[r.pk for r in records]).order_by(
            "uploaded_at", "pk"
        ):
            by_record[item.record_id].append(item)
        for row in rows:
            row.evidence = by_record.get(row.record.pk, [])
    return rows


RECORD_RELATED = (
    "measure__roadmap__owner__region",
    "measure__section",
    "organisation",
    "marked_by",
    "reviewed_by",
)


# What the lines of a list show, joined to each record; the plans (with owner and region)
# are a handful per list, loaded once by ``listed`` rather than joined to every row.
LIST_RELATED = ("measure", "organisation", "marked_by", "reviewed_by")


def listed(
    records: Iterable[ExecutionRecord], *, roadmap: Roadmap | None = None
) -> list[ExecutionRecord]:
    """Records loaded with ``LIST_RELATED`` given their plans, owners and regions: one
    query for every plan of the list (none for an empty list, nor when the records are
    all of the ``roadmap`` the page already has)."""
    records = list(records)
    if roadmap is not None:
        plans = {roadmap.pk: roadmap}
    else:
        plan_ids = {record.measure.roadmap_id for record in records}
        plans = (
            Roadmap.objects.order_by().select_related("owner__region").in_bulk(plan_ids)
            if plan_ids
            else {}
        )
    for record in records:
        record.measure.roadmap = plans[record.measure.roadmap_id]
    return records


def record_for_page(user, pk: int) -> RecordRow:
    """One record the person may see, for its page (404 otherwise)."""
    from schools.access import get_object_for_user

    record = get_object_for_user(ExecutionRecord, user, pk, select_related=RECORD_RELATED)
    (row,) = record_rows([record])
    return row


def record_history(record: ExecutionRecord) -> list:
    """Who did what to the record and when, newest first (marks, reviews, dates), each
    version with its ``changes``; and the evidence added or removed. Queries: 2 + names."""
    from core import history

    records = list(
        ExecutionRecord.history.filter(id=record.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    history.attach_changes(ExecutionRecord, records)
    return records


def evidence_history(record: ExecutionRecord) -> list:
    """Files and links added to the record or removed from it, newest first."""
    return list(
        Evidence.history.filter(record_id=record.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


# --- «Мои мероприятия» -----------------------------------------------------------------------

# The tabs of the page, in order: what is to be done now, what waits for the curator,
# what comes later, what is done.
TABS = (
    ("todo", "Нужно сделать"),
    ("waiting", "На проверке"),
    ("later", "Позже"),
    ("done", "Выполнено"),
)
TODO = (Status.RETURNED, Status.OVERDUE, Status.DUE, Status.UNSCHEDULED)
DONE = (Status.DONE, Status.DONE_LATE, Status.PARTLY, Status.NOT_DONE)
TAB_STATUSES = {
    "todo": TODO,
    "waiting": (Status.WAITING,),
    "later": (Status.NOT_DUE,),
    "done": DONE,
}
# Groups of the «Нужно сделать» tab, in the order a person deals with them.
TODO_GROUPS = (
    (Status.RETURNED, "Вернули на доработку"),
    (Status.OVERDUE, "Просрочено"),
    (Status.DUE, "На этой неделе и в открытых окнах"),
    (Status.UNSCHEDULED, "Без срока"),
)
# The «Позже» and «Выполнено» tabs list this many rows at most (the nearest, the latest).
TAB_LIMIT = 200


@dataclass
class MyWork:
    """What the person's organisations owe: rows per tab, counts per tab."""

    organisations: list[Organisation]
    organisation: Organisation | None
    tab: str
    rows: list[RecordRow]
    counts: dict[str, int]
    groups: list[tuple[str, list[RecordRow]]]
    more: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def my_organisations(user) -> list[Organisation]:
    """The organisations whose work the person marks as their own (their memberships
    with the verb to mark), by name."""
    ids = member_organisations(user, MARK)
    if not ids:
        return []
    return list(Organisation.objects.filter(pk__in=ids).order_by("short_name"))


def my_work(
    user,
    *,
    tab: str = "todo",
    organisation_id: int | None = None,
    organisations: list[Organisation] | None = None,
    verb: str = MARK,
) -> MyWork:
    """The records the person's organisations owe on plans in execution, by tab.

    ``verb``: the records the person may mark (their own work), or view (an
    organisation's page). Queries: organisations (unless given), the facts of every
    record (dates, mark, review, the time zone of the plan's region), the whole records of
    the tab shown and their plans (``listed``), their evidence (5). A school owes hundreds
    of records, not thousands: each is judged in Python on its plan region's today from
    its facts alone, and only the rows shown are loaded as records."""
    if tab not in TAB_STATUSES:
        tab = "todo"
    if organisations is None:
        organisations = my_organisations(user)
    chosen = next((o for o in organisations if o.pk == organisation_id), None)
    ids = [chosen.pk] if chosen else [o.pk for o in organisations]
    empty = dict.fromkeys(TAB_STATUSES, 0)
    if not ids:
        return MyWork(organisations, chosen, tab, [], empty, [])
    owed = (
        ExecutionRecord.objects.for_user(user, verb)
        .filter(organisation_id__in=ids, measure__roadmap__status=RoadmapStatus.EXECUTION)
        .order_by("due_on", "measure__roadmap_id", "measure__order", "pk")
        .values_list(
            "pk",
            "due_on",
            "starts_on",
            "state",
            "done_on",
            "review",
            "marked_at",
            "reviewed_at",
            "measure__roadmap__owner__region__time_zone",
        )
    )
    todays: dict[str, datetime.date] = {}
    counts = dict(empty)
    wanted = TAB_STATUSES[tab]
    # (pk, status, today, sort key of the «done» tab) of the records of the tab shown.
    shown: list[tuple[int, Status, datetime.date, object]] = []
    for pk, due_on, starts_on, state, done_on, review, marked_at, reviewed_at, zone in owed:
        if zone not in todays:
            todays[zone] = today_in(zone)
        today = todays[zone]
        value = status(RecordFacts(due_on, starts_on, state, done_on, review), today)
        for name, statuses in TAB_STATUSES.items():
            if value in statuses:
                counts[name] += 1
                break
        if value in wanted:
            shown.append((pk, value, today, marked_at or reviewed_at))
    if tab == "done":
        shown.sort(key=lambda item: item[3], reverse=True)
    more = max(0, len(shown) - TAB_LIMIT) if tab in {"later", "done"} else 0
    if more:
        shown = shown[:TAB_LIMIT]
    loaded = {record.pk: record for record in records_by_ids([pk for pk, *_ in shown])}
    rows = [RecordRow(loaded[pk], value, today) for pk, value, today, _ in shown if pk in loaded]
    _attach_evidence(rows)
    groups: list[tuple[str, list[RecordRow]]] = []
    if tab == "todo":
        for value, label in TODO_GROUPS:
            members = [row for row in rows if row.status == value]
            if value == Status.OVERDUE:
                members.sort(key=lambda r: r.record.due_on)
            if members:
                groups.append((label, members))
    return MyWork(organisations, chosen, tab, rows, counts, groups, more)


def _attach_evidence(rows: list[RecordRow]) -> None:
    if not rows:
        return
    by_record: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(record_id__in=[r.record.pk for r in rows]).order_by(
        "uploaded_at", "pk"
    ):
        by_record[item.record_id].append(item)
    for row in rows:
        row.evidence = by_record.get(row.record.pk, [])


# --- The curator's queue ------------------------------------------------------------------

QUEUE_PAGE = 100


@dataclass
class ReviewQueue:
    rows: list[RecordRow]
    total: int
    schools: list[tuple[int, str, int]]  # (id, name, waiting) of every school in the queue
    plans: list[tuple[int, str, int]]
    school_id: int | None
    plan_id: int | None


def review_queue(
    user, *, school_id: int | None = None, plan_id: int | None = None, limit: int = QUEUE_PAGE
) -> ReviewQueue:
    """Marks waiting for the person's acceptance (curated schools; a coordinator's
    municipality), oldest first, with the filters' choices and counts.

    Queries: the counts per school and plan, the page of records and their plans
    (``listed``), their evidence (4)."""
    waiting = ExecutionRecord.objects.for_user(user, REVIEW).filter(
        review=ReviewState.WAITING,
        state__in=("done", "partly"),
        measure__roadmap__status=RoadmapStatus.EXECUTION,
    )
    counts = list(
        waiting.order_by()
        .values_list(
            "organisation_id",
            "organisation__short_name",
            "measure__roadmap_id",
            "measure__roadmap__title",
        )
        .annotate(n=Count("pk"))
    )
    schools: dict[int, list] = {}
    plans: dict[int, list] = {}
    for org_id, org_name, plan_pk, plan_title, n in counts:
        schools.setdefault(org_id, [org_id, org_name, 0])[2] += n
        plans.setdefault(plan_pk, [plan_pk, plan_title, 0])[2] += n
    filtered = waiting
    if school_id:
        filtered = filtered.filter(organisation_id=school_id)
    if plan_id:
        filtered = filtered.filter(measure__roadmap_id=plan_id)
    total = sum(
        n
        for org_id, _, plan_pk, _, n in counts
        if (not school_id or org_id == school_id) and (not plan_id or plan_pk == plan_id)
    )
    records = filtered.select_related(*LIST_RELATED).order_by("marked_at", "pk")[:limit]
    rows = record_rows(listed(records))
    return ReviewQueue(
        rows=rows,
        total=total,
        schools=sorted((tuple(v) for v in schools.values()), key=lambda v: v[1]),
        plans=sorted((tuple(v) for v in plans.values()), key=lambda v: v[1]),
        school_id=school_id,
        plan_id=plan_id,
    )


def waiting_count(user) -> int:
    """How many marks wait for the person's acceptance (for menus and the home page)."""
    if scope_for(user, REVIEW).is_empty:
        return 0
    return (
        ExecutionRecord.objects.for_user(user, REVIEW)
        .filter(
            review=ReviewState.WAITING,
            state__in=("done", "partly"),
            measure__roadmap__status=RoadmapStatus.EXECUTION,
        )
        .count()
    )


# --- A plan's execution ---------------------------------------------------------------------


def plan_today(roadmap: Roadmap) -> datetime.date:
    return today_in(roadmap.owner.region)


def plan_records(user, roadmap: Roadmap) -> QuerySet:
    """The plan's records the person may see (all of them for whoever reaches the plan;
    an organisation's own for those who see the plan because they owe some of it)."""
    return ExecutionRecord.objects.for_user(user, VIEW).filter(measure__roadmap=roadmap)


@dataclass
class PlanExecution:
    roadmap: Roadmap
    today: datetime.date
    total: Rollup
    by_measure: dict[int, Rollup]
    by_organisation: list[tuple[Organisation, Rollup]]
    # Set when every visible record is owed by one organisation: its records per measure.
    own_rows: dict[int, list[RecordRow]] | None = None


def plan_execution(user, roadmap: Roadmap, *, own_rows: bool = True) -> PlanExecution:
    """Roll-ups of the plan's visible records: per measure, per organisation, in all.
    When the person sees only one organisation's records (a school on a municipal plan),
    those records themselves, per measure.

    Queries: per measure, per organisation, the organisations (3) — plus the records and
    their evidence when they are one organisation's (2)."""
    today = plan_today(roadmap)
    records = plan_records(user, roadmap)
    by_measure = rollups_by(records, "measure_id", today)
    by_org = rollups_by(records, "organisation_id", today)
    organisations = Organisation.objects.in_bulk(list(by_org))
    ordered = sorted(
        ((organisations[pk], value) for pk, value in by_org.items() if pk in organisations),
        key=lambda pair: pair[0].short_name,
    )
    total = Rollup()
    for value in by_org.values():
        total = total + value
    result = PlanExecution(roadmap, today, total, by_measure, ordered)
    if own_rows and len(ordered) == 1:
        loaded = listed(
            records.select_related(*LIST_RELATED).order_by("due_on", "pk"), roadmap=roadmap
        )
        per_measure: dict[int, list[RecordRow]] = defaultdict(list)
        for row in record_rows(loaded):
            per_measure[row.record.measure_id].append(row)
        result.own_rows = dict(per_measure)
    return result


@dataclass
class RecordFilters:
    organisation_id: int | None = None
    measure_id: int | None = None
    status: str = ""


RECORDS_PAGE = 100
STATUS_VALUES = frozenset(s.value for s in Status)


def plan_record_list(
    user,
    roadmap: Roadmap,
    filters: RecordFilters,
    today: datetime.date,
    measures: list[Measure],
) -> list[int]:
    """Ids of the plan's visible records, filtered (organisation, measure, status), in
    the order of the document (``measures``, from ``plan_measures``), then by
    organisation and due date: ids and sort keys are read (one query), whole rows only
    for the page shown (``records_by_ids``)."""
    records = plan_records(user, roadmap).order_by()
    if filters.organisation_id:
        records = records.filter(organisation_id=filters.organisation_id)
    if filters.measure_id:
        records = records.filter(measure_id=filters.measure_id)
    if filters.status in STATUS_VALUES:
        records = records.annotate(_status=status_case(today)).filter(_status=filters.status)
    rank = {measure.pk: n for n, measure in enumerate(measures)}
    rows = records.values_list("pk", "measure_id", "organisation__short_name", "due_on")
    far = datetime.date.max
    ordered = sorted(rows, key=lambda r: (rank.get(r[1], len(rank)), r[2], r[3] or far, r[0]))
    return [row[0] for row in ordered]


def records_by_ids(ids: list[int], *, roadmap: Roadmap | None = None) -> list[ExecutionRecord]:
    """Whole records (with what their lines show, ``listed``; all of ``roadmap`` if
    given) in the order of ``ids``."""
    found = (
        ExecutionRecord.objects.filter(pk__in=ids)
        .select_related(*LIST_RELATED)
        .order_by()
        .in_bulk()
    )
    return listed((found[pk] for pk in ids if pk in found), roadmap=roadmap)


def markable_ids(user, ids: Iterable[int]) -> set[int]:
    """Which of these records the person may mark (one query)."""
    ids = list(ids)
    if not ids:
        return set()
    return set(
        ExecutionRecord.objects.for_user(user, MARK).filter(pk__in=ids).values_list("pk", flat=True)
    )


def reviewable_ids(user, ids: Iterable[int]) -> set[int]:
    ids = list(ids)
    if not ids or scope_for(user, REVIEW).is_empty:
        return set()
    return set(
        ExecutionRecord.objects.for_user(user, REVIEW)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )


def plan_measures(roadmap: Roadmap) -> list[Measure]:
    """The plan's measures (number, title) in the order of the document (3 queries)."""
    from roadmaps.selectors import measure_order

    rank = {pk: n for n, pk in enumerate(measure_order(roadmap))}
    measures = Measure.objects.filter(roadmap=roadmap).only("pk", "number", "title", "roadmap_id")
    return sorted(measures, key=lambda m: rank.get(m.pk, len(rank)))


# --- Lists of plans and the overview ----------------------------------------------------------


def plans_progress(user, roadmaps: Iterable[Roadmap]) -> dict[int, Rollup]:
    """Roll-ups of the listed plans that are (or were) in execution, over the records the
    person sees; one query per region of the listed plans (usually one)."""
    plans = [r for r in roadmaps if r.status in {RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED}]
    if not plans:
        return {}
    todays = {r.owner.region_id: None for r in plans}
    from schools.models import Region

    for region in Region.objects.filter(pk__in=list(todays)):
        todays[region.pk] = today_in(region)
    records = ExecutionRecord.objects.for_user(user, VIEW).filter(
        measure__roadmap_id__in=[r.pk for r in plans]
    )
    return rollups_by_region(records, "measure__roadmap_id", todays)


@dataclass
class Overview:
    """Schools × plans of one municipality: a roll-up per cell, per school, per plan."""

    municipality: object
    today: datetime.date
    plans: list[tuple[Roadmap, Rollup]]
    schools: list[tuple[Organisation, Rollup, dict[int, Rollup]]]
    total: Rollup


def municipal_overview(user, municipality) -> Overview:
    """Every organisation of the municipality that owes records × every plan in
    execution (or closed) it owes them on, over the records the person sees. Schools are
    listed most overdue first.

    Queries: the region's today, the roll-ups per (organisation, plan), the plans, the
    organisations (4 at most)."""
    today = today_in(municipality.region)
    records = ExecutionRecord.objects.for_user(user, VIEW).filter(
        organisation__municipality=municipality,
        measure__roadmap__status__in=(RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED),
    )
    cells = rollups_by_pair(records, today)
    plan_ids = sorted({plan for _, plan in cells})
    org_ids = sorted({org for org, _ in cells})
    plans = Roadmap.objects.in_bulk(plan_ids) if plan_ids else {}
    organisations = Organisation.objects.in_bulk(org_ids) if org_ids else {}
    per_plan: dict[int, Rollup] = {}
    per_org: dict[int, dict[int, Rollup]] = defaultdict(dict)
    for (org, plan), value in cells.items():
        per_plan[plan] = per_plan.get(plan, Rollup()) + value
        per_org[org][plan] = value
    schools = []
    for org_id, by_plan in per_org.items():
        total = Rollup()
        for value in by_plan.values():
            total = total + value
        schools.append((organisations[org_id], total, by_plan))
    schools.sort(key=lambda item: (-item[1].overdue, -item[1].returned, item[0].short_name))
    ordered_plans = sorted(((plans[pk], per_plan[pk]) for pk in plan_ids), key=lambda p: p[0].title)
    total = Rollup()
    for _, value in ordered_plans:
        total = total + value
    return Overview(municipality, today, ordered_plans, schools, total)


def rollups_by_pair(records: QuerySet, today: datetime.date) -> dict[tuple[int, int], Rollup]:
    """Roll-ups per (organisation id, plan id), in one query."""
    rows = (
        records.order_by()
        .annotate(_status=status_case(today))
        .values_list("organisation_id", "measure__roadmap_id", "_status", "state")
        .annotate(n=Count("pk"))
    )
    return fold_status_counts(((org, plan), value, state, n) for org, plan, value, state, n in rows)


@dataclass
class RegionOverview:
    region: object
    today: datetime.date
    municipalities: list[tuple[object, Rollup]]
    total: Rollup


def regional_overview(user, region) -> RegionOverview:
    """The region's municipalities with the roll-up of the records the person sees,
    most overdue first. Queries: roll-ups per municipality, the municipalities (2)."""
    from schools.models import Municipality

    today = today_in(region)
    records = ExecutionRecord.objects.for_user(user, VIEW).filter(
        organisation__region=region,
        measure__roadmap__status__in=(RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED),
    )
    by_municipality = rollups_by(records, "organisation__municipality_id", today)
    municipalities = Municipality.objects.in_bulk([pk for pk in by_municipality if pk])
    rows = [
        (municipalities[pk], value) for pk, value in by_municipality.items() if pk in municipalities
    ]
    rows.sort(key=lambda item: (-item[1].overdue, -item[1].share(Status.OVERDUE), item[0].name))
    total = Rollup()
    for _, value in rows:
        total = total + value
    return RegionOverview(region, today, rows, total)


@dataclass
class StartPreview:
    """What «Начать исполнение» will create, before it does."""

    measures: int
    unassigned: int  # owed by the plan's owner itself
    unscheduled: int
    organisations: int
    records: int


def start_preview(roadmap: Roadmap) -> StartPreview:
    """Counts of what the start would create (the service's own computation, read only).
    Queries do not depend on the size of the plan."""
    from roadmaps.constants import AssignmentMode, ScheduleKind

    from .services import planned_records

    measures = list(
        Measure.objects.filter(roadmap=roadmap).select_related("roadmap__owner").order_by("pk")
    )
    desired = planned_records(measures)
    return StartPreview(
        measures=len(measures),
        unassigned=sum(1 for m in measures if m.assignment_mode == AssignmentMode.NONE),
        unscheduled=sum(1 for m in measures if m.schedule_kind == ScheduleKind.UNSCHEDULED),
        organisations=len({key[2] for key in desired}),
        records=len(desired),
    )


def organisation_rollup(user, organisation: Organisation) -> Rollup:
    """The roll-up of what the organisation owes on plans in execution, over the records
    the person sees (one query; today of the organisation's region)."""
    records = ExecutionRecord.objects.for_user(user, VIEW).filter(
        organisation=organisation, measure__roadmap__status=RoadmapStatus.EXECUTION
    )
    found = rollups_by(records, "organisation_id", today_in(organisation.region))
    return found.get(organisation.pk, Rollup())
