"""The figures of the dashboards, computed in the database: a constant number of
aggregate queries per dashboard, whatever the number of schools, plans and records
(``tests/dashboard/test_query_counts.py``). Nothing here is scoped by a person: a
dashboard is shown only to those whose reach covers its whole region, municipality or
school (``dashboard.selectors``), so its figures are the same for all of them and are
cached once (``dashboard.cache``). The results are plain values (ids, names, numbers,
roll-ups) that pickle small.

Execution roll-ups follow ``execution.status`` through ``execution.selectors.status_case``
on the day of the region; «targets met» compares each school's value of a school year
with its own target, else its municipality's, in the indicator's direction; exam averages
are weighted by the participants of each subject.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    Sum,
)

from execution.models import ExecutionRecord
from execution.rollups import Rollup, combine
from execution.selectors import rollups_by, status_case
from monitoring.constants import Direction, ResponseState, TargetLevel, school_year_of
from monitoring.models import (
    Campaign,
    CampaignResponse,
    ExamResult,
    IndicatorTarget,
    IndicatorValue,
)
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Roadmap
from schools.constants import OrganisationKind
from schools.models import CuratorAssignment, Municipality, Organisation

EXECUTED = (RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED)
# Plan states shown on the dashboards, in the order of a plan's life.
PLAN_STATES = (
    RoadmapStatus.DRAFT,
    RoadmapStatus.CONCURRENCE,
    RoadmapStatus.APPROVED,
    RoadmapStatus.EXECUTION,
    RoadmapStatus.CLOSED,
)
EXAM_YEARS = 3


@dataclass
class ExamAverage:
    """A participant-weighted average score and the participants behind it."""

    average: float | None
    participants: int


@dataclass
class Targets:
    """Values of a school year compared with their targets."""

    reported: int = 0  # values reported
    with_target: int = 0
    met: int = 0

    @property
    def percent(self) -> int | None:
        return self.met * 100 // self.with_target if self.with_target else None

    def __add__(self, other: Targets) -> Targets:
        return Targets(
            self.reported + other.reported,
            self.with_target + other.with_target,
            self.met + other.met,
        )


@dataclass
class AreaRow:
    """One municipality of the regional dashboard, or one school of the municipal one."""

    pk: int
    name: str
    schools: int = 0
    low: int = 0  # ШНОР
    unfavourable: int = 0  # ШНСУ
    leader: bool = False
    growth: bool = False
    plans: dict[str, int] = field(default_factory=dict)
    rollup: Rollup = field(default_factory=Rollup)
    targets: Targets = field(default_factory=Targets)
    # (exam, year) → weighted average
    exams: dict[tuple[str, int], ExamAverage] = field(default_factory=dict)
    waiting_answers: int = 0  # campaigns not answered (a school's row)

    @property
    def plans_total(self) -> int:
        return sum(self.plans.values())

    def exam(self, exam: str, year: int) -> ExamAverage | None:
        return self.exams.get((exam, year))

    @property
    def latest_ege(self) -> float | None:
        """The ЕГЭ average of the latest year with one (for sorting)."""
        years = sorted((year for exam, year in self.exams if exam == "ege"), reverse=True)
        return self.exams[("ege", years[0])].average if years else None


@dataclass
class Dashboard:
    """What a regional or municipal dashboard shows."""

    kind: str  # "region" | "municipality"
    pk: int
    name: str
    parent: tuple[int, str] | None  # the region of a municipality
    today: datetime.date
    school_year: int
    exam_years: list[int]
    rows: list[AreaRow]
    total: AreaRow
    curators: list[tuple[str, int, int, list[str]]] = field(default_factory=list)
    campaigns: list[dict] = field(default_factory=list)


def exam_average(total_weighted, participants) -> ExamAverage:
    if not participants or total_weighted is None:
        return ExamAverage(None, int(participants or 0))
    return ExamAverage(round(float(total_weighted) / participants, 1), int(participants))


def _latest_year(values, today: datetime.date) -> int:
    """The school year of the latest values (none: the last finished school year)."""
    latest = values.aggregate(year=Max("school_year"))["year"]
    return latest if latest is not None else school_year_of(today) - 1


def _targets_by(values, key: str, school_year: int) -> dict:
    """Per ``key`` (an ORM path of the value): values of the year, those with a target
    (the school's own, else the municipality's), those meeting it. One query.

    The targets are joined to the values (each value meets at most one target of each
    level: ``target_unique_school``, ``target_unique_municipality``) rather than looked up
    per value by correlated subqueries: those were planned once per reference (four
    times), cost the whole region's values × 8 index probes and drew PostgreSQL's JIT
    (1.5 s of compiling at 1,500 schools, ``manage.py bench dashboards``)."""
    inner = (
        values.filter(school_year=school_year)
        .order_by()
        # Named columns (no column list after the derived table's alias: SQLite has none).
        .values(
            v_key=F(key),
            v_indicator=F("indicator_id"),
            v_organisation=F("organisation_id"),
            v_municipality=F("organisation__municipality_id"),
            v_value=F("value"),
            v_direction=F("indicator__direction"),
        )
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    table = connection.ops.quote_name(IndicatorTarget._meta.db_table)
    sql = f"""
        SELECT v.v_key, COUNT(*), COUNT(COALESCE(s.value, m.value)),
            SUM(CASE WHEN (v.v_direction = %s AND v.v_value >= COALESCE(s.value, m.value))
                       OR (v.v_direction = %s AND v.v_value <= COALESCE(s.value, m.value))
                THEN 1 ELSE 0 END)
        FROM ({inner_sql}) AS v
        LEFT JOIN {table} s ON s.level = %s AND s.school_year = %s
            AND s.indicator_id = v.v_indicator AND s.organisation_id = v.v_organisation
        LEFT JOIN {table} m ON m.level = %s AND m.school_year = %s
            AND m.indicator_id = v.v_indicator AND m.municipality_id = v.v_municipality
        GROUP BY v.v_key
    """  # noqa: S608 - table names from the models, values as parameters
    params = (
        Direction.HIGHER,
        Direction.LOWER,
        *inner_params,
        TargetLevel.SCHOOL,
        school_year,
        TargetLevel.MUNICIPALITY,
        school_year,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {pk: Targets(reported, with_target, met or 0) for pk, reported, with_target, met in rows}


def _exam_averages(results, key: str) -> tuple[dict, list[int]]:
    """Per ``key``: (exam, year) → weighted average, for the latest ``EXAM_YEARS`` years
    with results; and those years (oldest first). One query."""
    weighted = ExpressionWrapper(
        F("average") * F("participants"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )
    rows = list(
        results.filter(average__isnull=False, participants__gt=0)
        .order_by()
        .values(key, "exam", "year")
        .annotate(people=Sum("participants"), weighted=Sum(weighted))
        .values_list(key, "exam", "year", "people", "weighted")
    )
    years = sorted({year for _, _, year, _, _ in rows})[-EXAM_YEARS:]
    found: dict = defaultdict(dict)
    totals: dict = defaultdict(lambda: [0, Decimal(0)])
    for pk, exam, year, people, total in rows:
        if year not in years:
            continue
        found[pk][(exam, year)] = exam_average(total, people)
        totals[(exam, year)][0] += people
        totals[(exam, year)][1] += total
    found[None] = {key_: exam_average(t, p) for key_, (p, t) in totals.items()}
    return dict(found), years


def _plans_by(plans, key: str) -> dict:
    rows = (
        plans.filter(is_template=False, status__in=PLAN_STATES)
        .order_by()
        .values(key, "status")
        .annotate(n=Count("pk"))
        .values_list(key, "status", "n")
    )
    found: dict = defaultdict(dict)
    for pk, state, n in rows:
        found[pk][state] = n
    return found


def _add_plans(total: dict, more: dict) -> dict:
    return {state: total.get(state, 0) + more.get(state, 0) for state in {*total, *more}}


def regional(region, today: datetime.date, school_year: int | None = None) -> Dashboard:
    """Per municipality of the region: schools and flags, plans by state, execution,
    targets met, exam averages over the years. Queries: municipalities, schools, plans,
    execution, targets (with the latest year unless given), exams (6–7)."""
    rows = {
        pk: AreaRow(pk, name)
        for pk, name in Municipality.objects.filter(region=region)
        .order_by("name")
        .values_list("pk", "name")
    }
    for municipality_id, schools, low, unfavourable in (
        Organisation.objects.filter(
            region=region, kind=OrganisationKind.SCHOOL, is_active=True, municipality__isnull=False
        )
        .order_by()
        .values("municipality_id")
        .annotate(
            n=Count("pk"),
            low=Count("pk", filter=Q(is_low_results=True)),
            unf=Count("pk", filter=Q(is_unfavourable=True)),
        )
        .values_list("municipality_id", "n", "low", "unf")
    ):
        if municipality_id in rows:
            row = rows[municipality_id]
            row.schools, row.low, row.unfavourable = schools, low, unfavourable
    for municipality_id, states in _plans_by(
        Roadmap.objects.filter(owner__region=region), "owner__municipality_id"
    ).items():
        if municipality_id in rows:
            rows[municipality_id].plans = states
    records = ExecutionRecord.objects.filter(
        organisation__region=region, measure__roadmap__status__in=EXECUTED
    )
    for municipality_id, value in rollups_by(
        records, "organisation__municipality_id", today
    ).items():
        if municipality_id in rows:
            rows[municipality_id].rollup = value
    values = IndicatorValue.objects.filter(
        organisation__region=region, organisation__kind=OrganisationKind.SCHOOL
    )
    if school_year is None:
        school_year = _latest_year(values, today)
    for municipality_id, targets in _targets_by(
        values, "organisation__municipality_id", school_year
    ).items():
        if municipality_id in rows:
            rows[municipality_id].targets = targets
    exams, years = _exam_averages(
        ExamResult.objects.filter(organisation__region=region), "organisation__municipality_id"
    )
    for municipality_id, averages in exams.items():
        if municipality_id in rows:
            rows[municipality_id].exams = averages
    listed = list(rows.values())
    total = _total(listed, "Итого по региону", exams.get(None, {}))
    return Dashboard(
        kind="region",
        pk=region.pk,
        name=region.name,
        parent=None,
        today=today,
        school_year=school_year,
        exam_years=years,
        rows=listed,
        total=total,
    )


def _total(rows: list[AreaRow], name: str, exams: dict) -> AreaRow:
    total = AreaRow(0, name, exams=exams)
    for row in rows:
        total.schools += row.schools
        total.low += row.low
        total.unfavourable += row.unfavourable
        total.plans = _add_plans(total.plans, row.plans)
        total.rollup = total.rollup + row.rollup
        total.targets = total.targets + row.targets
        total.waiting_answers += row.waiting_answers
    return total


def municipal(municipality, today: datetime.date, school_year: int | None = None) -> Dashboard:
    """Schools × status of one municipality: flags, execution, targets met, exam averages,
    unanswered campaigns; plans by state; the curators' load; the campaigns and how far
    they are answered. Queries: schools, execution, plans, targets (+ the latest year),
    exams, unanswered campaigns per school, curators, campaigns, answers per campaign
    (9–10)."""
    schools = {
        pk: AreaRow(
            pk,
            name,
            schools=1,
            low=int(low),
            unfavourable=int(unfavourable),
            leader=leader,
            growth=growth is not None,
        )
        for pk, name, low, unfavourable, leader, growth in Organisation.objects.filter(
            municipality=municipality, kind=OrganisationKind.SCHOOL, is_active=True
        )
        .order_by("short_name")
        .values_list(
            "pk", "short_name", "is_low_results", "is_unfavourable", "is_leader", "growth_year_from"
        )
    }
    records = ExecutionRecord.objects.filter(
        organisation__municipality=municipality, measure__roadmap__status__in=EXECUTED
    )
    others = Rollup()
    for org_id, value in rollups_by(records, "organisation_id", today).items():
        if org_id in schools:
            schools[org_id].rollup = value
        else:
            others = others + value  # what the authority and the centre owe themselves
    plans = _plans_by(Roadmap.objects.filter(owner__municipality=municipality), "owner__kind")
    values = IndicatorValue.objects.filter(organisation__municipality=municipality)
    if school_year is None:
        school_year = _latest_year(values, today)
    for org_id, targets in _targets_by(values, "organisation_id", school_year).items():
        if org_id in schools:
            schools[org_id].targets = targets
    exams, years = _exam_averages(
        ExamResult.objects.filter(organisation__municipality=municipality), "organisation_id"
    )
    for org_id, averages in exams.items():
        if org_id in schools:
            schools[org_id].exams = averages
    for school_id, n in (
        CampaignResponse.objects.filter(
            school__municipality=municipality,
            campaign__closed_at__isnull=True,
            state__in=(ResponseState.PENDING, ResponseState.REOPENED),
        )
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    ):
        if school_id in schools:
            schools[school_id].waiting_answers = n
    # The curators' load: the schools of this municipality each curator looks after, and
    # the marks of those schools waiting for acceptance.
    load: dict[int, list] = {}
    for curator_id, last, first, middle, school_id in (
        CuratorAssignment.objects.filter(school__municipality=municipality, school__is_active=True)
        .order_by("curator__last_name", "curator__first_name", "school__short_name")
        .values_list(
            "curator_id",
            "curator__last_name",
            "curator__first_name",
            "curator__middle_name",
            "school_id",
        )
    ):
        name = " ".join(part for part in (last, first, middle) if part)
        entry = load.setdefault(curator_id, [name, 0, 0, []])
        entry[1] += 1
        row = schools.get(school_id)
        if row is not None:
            entry[2] += row.rollup.waiting
            entry[3].append(row.name)
    campaigns = _campaigns(
        Campaign.objects.filter(owner__municipality=municipality).order_by("-due_on", "-pk")[:20],
        today,
    )
    listed = list(schools.values())
    total = _total(listed, "Итого по школам", exams.get(None, {}))
    total.rollup = total.rollup + others
    total.plans = {}
    for states in plans.values():
        total.plans = _add_plans(total.plans, states)
    return Dashboard(
        kind="municipality",
        pk=municipality.pk,
        name=municipality.name,
        parent=(municipality.region_id, municipality.region.name),
        today=today,
        school_year=school_year,
        exam_years=years,
        rows=listed,
        total=total,
        curators=[tuple(entry) for entry in load.values()],
        campaigns=campaigns,
    )


def _campaigns(campaigns, today: datetime.date) -> list[dict]:
    """Campaigns with their answers counted by state (2 queries)."""
    listed = list(campaigns.values("pk", "title", "school_year", "due_on", "closed_at"))
    if not listed:
        return []
    counts: dict = defaultdict(dict)
    for campaign_id, state, n in (
        CampaignResponse.objects.filter(campaign_id__in=[c["pk"] for c in listed])
        .order_by()
        .values("campaign_id", "state")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "state", "n")
    ):
        counts[campaign_id][state] = n
    for campaign in listed:
        by_state = counts[campaign["pk"]]
        campaign["submitted"] = by_state.get(ResponseState.SUBMITTED, 0)
        campaign["reopened"] = by_state.get(ResponseState.REOPENED, 0)
        campaign["pending"] = by_state.get(ResponseState.PENDING, 0)
        campaign["total"] = sum(by_state.values())
        campaign["overdue"] = campaign["closed_at"] is None and campaign["due_on"] < today
    return listed


# --- A school --------------------------------------------------------------------------------


@dataclass
class IndicatorLine:
    pk: int
    name: str
    unit: str
    category: str
    direction: str
    is_share: bool
    values: dict[int, tuple[Decimal, int | None, int | None, str, datetime.datetime]]
    targets: dict[int, Decimal]  # the school's own target, else the municipality's
    order: int = 0

    def met(self, year: int) -> bool | None:
        value, target = self.values.get(year), self.targets.get(year)
        if value is None or target is None:
            return None
        return value[0] >= target if self.direction == Direction.HIGHER else value[0] <= target


@dataclass
class SchoolDashboard:
    pk: int
    name: str
    full_name: str
    municipality: tuple[int, str] | None
    region: tuple[int, str]
    flags: list[str]
    today: datetime.date
    total: Rollup
    plans: list[tuple[int, str, str, Rollup]]  # id, title, state label, roll-up
    marks: list[dict]
    years: list[int]  # school years of the indicator table (oldest first)
    indicators: list[IndicatorLine]
    exams: dict[str, dict[int, list[dict]]]  # exam → year → rows by subject
    exam_years: list[int]
    exam_trend: dict[str, dict[int, ExamAverage]]  # exam → year → average
    responses: list[dict]


def school(organisation, today: datetime.date) -> SchoolDashboard:
    """One school's own progress per plan, its latest marks, its indicators with targets
    over three school years, its exam results over the years, its campaigns. Queries:
    roll-ups per plan, plans, latest marks, values, targets, exam results, answers (7)."""
    records = ExecutionRecord.objects.filter(
        organisation=organisation, measure__roadmap__status__in=EXECUTED
    )
    per_plan = rollups_by(records, "measure__roadmap_id", today)
    plans = (
        Roadmap.objects.filter(pk__in=list(per_plan)).only("pk", "title", "status").in_bulk()
        if per_plan
        else {}
    )
    plan_rows = sorted(
        (
            (pk, plans[pk].title, plans[pk].get_status_display(), value)
            for pk, value in per_plan.items()
            if pk in plans
        ),
        key=lambda row: row[1],
    )
    marks = [
        {
            "pk": pk,
            "number": number,
            "title": title,
            "plan": plan,
            "state": state,
            "review": review,
            "marked_at": marked_at,
            "status": status_value,
        }
        for pk, number, title, plan, state, review, marked_at, status_value in records.filter(
            marked_at__isnull=False
        )
        .annotate(_status=status_case(today))
        .order_by("-marked_at", "-pk")
        .values_list(
            "pk",
            "measure__number",
            "measure__title",
            "measure__roadmap__title",
            "state",
            "review",
            "marked_at",
            "_status",
        )[:10]
    ]
    current = school_year_of(today)
    years = list(range(current - 2, current + 1))
    lines: dict[int, IndicatorLine] = {}

    def line(indicator) -> IndicatorLine:
        pk = indicator["pk"]
        if pk not in lines:
            lines[pk] = IndicatorLine(
                pk,
                indicator["name"],
                indicator["unit"],
                indicator["category"],
                indicator["direction"],
                indicator["is_share"],
                {},
                {},
            )
        return lines[pk]

    fields = ("pk", "name", "unit", "category", "direction", "is_share", "order")
    for row in (
        IndicatorValue.objects.filter(organisation=organisation, school_year__in=years)
        .order_by()
        .values(
            *(f"indicator__{name}" for name in fields),
            "school_year",
            "value",
            "numerator",
            "denominator",
            "reported_by__last_name",
            "reported_at",
        )
    ):
        target = line({name: row[f"indicator__{name}"] for name in fields})
        target.values[row["school_year"]] = (
            row["value"],
            row["numerator"],
            row["denominator"],
            row["reported_by__last_name"] or "",
            row["reported_at"],
        )
        target.order = row["indicator__order"]
    for row in (
        IndicatorTarget.objects.filter(school_year__in=years)
        .filter(
            Q(level=TargetLevel.SCHOOL, organisation=organisation)
            | Q(level=TargetLevel.MUNICIPALITY, municipality_id=organisation.municipality_id)
        )
        .order_by("level")  # "municipality" before "school": the school's own wins
        .values(*(f"indicator__{name}" for name in fields), "school_year", "value", "level")
    ):
        target = line({name: row[f"indicator__{name}"] for name in fields})
        target.targets[row["school_year"]] = row["value"]
        target.order = row["indicator__order"]
    from monitoring.constants import IndicatorCategory

    category_rank = {value: n for n, value in enumerate(IndicatorCategory.values)}
    indicators = sorted(
        lines.values(),
        key=lambda item: (
            category_rank.get(item.category, 9),
            getattr(item, "order", 0),
            item.name,
        ),
    )
    exams: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    trend: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    for row in (
        ExamResult.objects.filter(organisation=organisation)
        .order_by("-year", "exam", "subject__order", "subject__name")
        .values(
            "exam",
            "year",
            "subject__name",
            "participants",
            "not_passed",
            "band_low",
            "band_mid",
            "band_high",
            "average",
            "high_scorers",
        )
    ):
        exams[row["exam"]][row["year"]].append(row)
        if row["average"] is not None and row["participants"]:
            cell = trend[row["exam"]][row["year"]]
            cell[0] += row["participants"]
            cell[1] += row["average"] * row["participants"]
    exam_years = sorted({year for by_year in exams.values() for year in by_year})
    responses = list(
        CampaignResponse.objects.filter(school=organisation)
        .order_by("-campaign__due_on", "-pk")
        .values(
            "pk",
            "state",
            "submitted_at",
            "reopen_comment",
            "campaign__title",
            "campaign__due_on",
            "campaign__school_year",
            "campaign__closed_at",
        )[:10]
    )
    flags = []
    if organisation.is_low_results:
        flags.append("ШНОР")
    if organisation.is_unfavourable:
        flags.append("ШНСУ")
    if organisation.is_leader:
        flags.append("Школа-лидер")
    if organisation.growth_year_from:
        flags.append("Школа роста")
    return SchoolDashboard(
        pk=organisation.pk,
        name=organisation.short_name,
        full_name=organisation.full_name,
        municipality=(organisation.municipality_id, organisation.municipality.name)
        if organisation.municipality_id
        else None,
        region=(organisation.region_id, organisation.region.name),
        flags=flags,
        today=today,
        total=combine(value for *_, value in plan_rows),
        plans=plan_rows,
        marks=marks,
        years=years,
        indicators=indicators,
        exams={exam: dict(by_year) for exam, by_year in exams.items()},
        exam_years=exam_years,
        exam_trend={
            exam: {year: exam_average(t, p) for year, (p, t) in by_year.items()}
            for exam, by_year in trend.items()
        },
        responses=responses,
    )
