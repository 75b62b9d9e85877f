"""``manage.py bench dashboards``: the regional, municipal and school dashboards on a
region of realistic size.

The large size is a region of 60 municipalities (an authority, a centre and 25 schools
each: 1,500 schools), 150 plans of 80 measures in execution spread over them (plus a draft
plan per municipality), each owed by 19 schools of its municipality — about 300,000
execution records with the mix of marks of ``execution.bench`` — three school years of
every indicator of the catalogue for every school with municipal and some school targets,
three years of ЕГЭ and ОГЭ results, two campaigns per municipality answered in part, and
three curators per municipality. The small size is a tenth of the region.

Everything is written with ``bulk_create`` inside one transaction that is rolled back at
the end (the planner's statistics are taken inside it, so the plans are those of a full
region), and the cache is a Redis cache under a prefix of this run, emptied afterwards:
the base database and the shared cache keep nothing.

Measured per dashboard and size, with the test client logged in as the regional
coordinator (who sees all three): the median of ``repeat`` full requests (view and
template) cold — the dashboard's version renewed before each, as a write would — and
cached, and the queries of each. ``regional_raw_sql_ms`` is the median time of the SQL
behind the regional figures (the statements ``dashboard.figures.regional`` sends, sent
again as they are) at the large size. Budget: the regional dashboard under 500 ms cold,
and within 1.5× of that SQL plus rendering (a cached request), under 50 ms cached; every
dashboard makes the same number of queries at both sizes."""

from __future__ import annotations

import datetime
import random
import secrets
import statistics
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.timezones import today_in
from execution import bench as execution_bench
from execution.models import ExecutionRecord
from execution.services import reporting_periods
from monitoring.constants import Exam, ResponseState, TargetLevel, school_year_of
from monitoring.models import (
    Campaign,
    CampaignResponse,
    ExamResult,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Subject,
)
from roadmaps.constants import AssignmentMode, RoadmapLevel, RoadmapStatus, ScheduleKind
from roadmaps.models import Measure, MeasureWindow, Roadmap, Section
from schools.constants import Role
from schools.models import CuratorAssignment, Membership, Municipality, Organisation, Region, User
from schools.services import user_sync_groups

from . import figures
from .versions import version_key

BATCH = 5000
BUDGET = {
    "regional_cold_ms": 500,
    "regional_cached_ms": 50,
    "regional_cold_over_raw_sql_plus_render": 1.5,
}
DASHBOARDS = ("regional", "municipal", "school")
EGE_SUBJECTS = (
    "Русский язык",
    "Математика (профильный уровень)",
    "Математика (базовый уровень)",
    "Физика",
    "Обществознание",
    "История",
)
OGE_SUBJECTS = ("Русский язык", "Математика", "Обществознание", "География")


@dataclass(frozen=True)
class Size:
    """``municipalities`` × ``schools`` schools; ``plans`` plans in execution in all (given
    to the municipalities in turn) of ``measures`` measures, each owed by ``group`` schools
    of its municipality; ``curators`` per municipality, each curating five schools."""

    municipalities: int
    schools: int
    plans: int
    group: int
    measures: int = 80
    curators: int = 3


SIZES = {
    "small": Size(municipalities=6, schools=25, plans=15, group=19),
    "large": Size(municipalities=60, schools=25, plans=150, group=19),
}


@dataclass
class Cast:
    region: Region
    municipality: Municipality
    school: Organisation
    coordinator: User
    counts: dict


# --- Data ---------------------------------------------------------------------------------


def _people(size: Size, run: str, regional, centres, schools) -> User:
    """The regional coordinator (who looks) and the curators of every municipality."""
    coordinator = User.objects.bulk_create(
        [User(username=f"bench-regional-{run}", last_name="Координатор", first_name="Бенчмарк")]
    )[0]
    Membership.objects.bulk_create(
        [Membership(user=coordinator, organisation=regional, role=Role.REGIONAL_COORDINATOR)]
    )
    user_sync_groups(user=coordinator)
    curators = User.objects.bulk_create(
        User(username=f"bench-curator-{run}-{m}-{c}", last_name=f"Методист {c + 1}")
        for m in range(len(centres))
        for c in range(size.curators)
    )
    Membership.objects.bulk_create(
        Membership(user=curator, organisation=centres[n // size.curators], role=Role.METHODOLOGIST)
        for n, curator in enumerate(curators)
    )
    CuratorAssignment.objects.bulk_create(
        CuratorAssignment(curator=curator, school=school)
        for n, curator in enumerate(curators)
        for school in schools[n // size.curators][
            (n % size.curators) * 5 : (n % size.curators) * 5 + 5
        ]
    )
    return coordinator


def _plans(size: Size, rng, today, coordinator, authorities, centres, schools) -> int:
    """The plans with their sections, measures, windows and records; returns how many
    records were written."""
    start = datetime.date(today.year - 1, 1, 1)
    end = datetime.date(today.year + 1, 12, 31)
    span = (end - start).days
    roadmaps, groups = [], []
    for p in range(size.plans):
        m = p % len(authorities)
        owner = centres[m] if p % 5 == 4 else authorities[m]
        roadmaps.append(
            Roadmap(
                owner=owner,
                level=RoadmapLevel.CENTRE if owner is centres[m] else RoadmapLevel.MUNICIPAL,
                title=f"Дорожная карта № {p + 1} по поддержке школ на {start.year}–{end.year} годы",
                period_start=start,
                period_end=end,
                status=RoadmapStatus.EXECUTION,
                created_by=coordinator,
            )
        )
        groups.append(rng.sample(schools[m], min(size.group, len(schools[m]))))
    drafts = [
        Roadmap(
            owner=authority,
            level=RoadmapLevel.MUNICIPAL,
            title="Проект дорожной карты на следующий год",
            period_start=end,
            period_end=end,
            status=RoadmapStatus.DRAFT,
            created_by=coordinator,
        )
        for authority in authorities
    ]
    Roadmap.objects.bulk_create([*roadmaps, *drafts], batch_size=BATCH)
    Through = Roadmap.school_group.through
    Through.objects.bulk_create(
        (
            Through(roadmap=r, organisation=s)
            for r, group in zip(roadmaps, groups, strict=True)
            for s in group
        ),
        batch_size=BATCH,
    )
    sections = Section.objects.bulk_create(
        (
            Section(roadmap=r, number=f"{n}.", title=f"Раздел {n}", order=n)
            for r in roadmaps
            for n in range(1, 5)
        ),
        batch_size=BATCH,
    )
    measures = []
    for r_index, roadmap in enumerate(roadmaps):
        for i in range(size.measures):
            kind, mode = execution_bench._schedule(i)
            section = sections[r_index * 4 + i * 4 // size.measures]
            measure = Measure(
                roadmap=roadmap,
                section=section,
                number=f"{section.order}.{i + 1}.",
                title=f"Мероприятие {i + 1}: семинар для заместителей директоров",
                deadline_text="по графику",
                schedule_kind=kind,
                assignment_mode=mode,
                order=i + 1,
            )
            measure._plan_index = r_index
            measures.append(measure)
    Measure.objects.bulk_create(measures, batch_size=BATCH)
    windows = []
    for measure in measures:
        if measure.schedule_kind in {ScheduleKind.UNSCHEDULED, ScheduleKind.CONTINUOUS}:
            continue
        count = 2 if measure.schedule_kind == ScheduleKind.RECURRING else 1
        dues = sorted(
            start + datetime.timedelta(days=rng.randrange(30, span)) for _ in range(count)
        )
        windows.extend(
            MeasureWindow(
                measure=measure,
                position=position,
                starts_on=due - datetime.timedelta(days=29),
                due_on=due,
            )
            for position, due in enumerate(dues)
        )
    MeasureWindow.objects.bulk_create(windows, batch_size=BATCH)
    slots: dict[int, list] = {}
    for window in windows:
        slots.setdefault(window.measure_id, []).append((window, window.starts_on, window.due_on))
    periods = [(None, a, b) for a, b in reporting_periods(start, end, 3)]
    now = timezone.now()
    written = 0
    records: list[ExecutionRecord] = []
    for measure in measures:
        plan = measure._plan_index
        owing = (
            [roadmaps[plan].owner]
            if measure.assignment_mode == AssignmentMode.NONE
            else groups[plan]
        )
        if measure.schedule_kind == ScheduleKind.CONTINUOUS:
            measure_slots = periods
        else:
            measure_slots = slots.get(measure.pk, [(None, None, None)])
        for organisation in owing:
            for window, starts_on, due_on in measure_slots:
                record = ExecutionRecord(
                    measure=measure,
                    window=window,
                    organisation=organisation,
                    starts_on=starts_on,
                    due_on=due_on,
                )
                execution_bench._mark(record, rng, today, coordinator, now)
                records.append(record)
        if len(records) >= 4 * BATCH:  # keep the memory of the large size flat
            ExecutionRecord.objects.bulk_create(records, batch_size=BATCH)
            written += len(records)
            records = []
    ExecutionRecord.objects.bulk_create(records, batch_size=BATCH)
    return written + len(records)


def _monitoring(rng, today, region, municipalities, authorities, schools, coordinator) -> dict:
    """Three school years of values of every active indicator of the catalogue (the current
    one from three schools of five), municipal targets and every fifth school's own,
    three years of ЕГЭ and ОГЭ, two campaigns per municipality."""
    now = timezone.now()
    indicators = list(
        Indicator.objects.filter(owner__isnull=True, is_active=True).values_list(
            "pk", "is_share", "min_value", "max_value"
        )
    )
    current = school_year_of(today)
    years = [current - 2, current - 1, current]
    values = []
    for per in schools:
        for n, school in enumerate(per):
            for year in years:
                if year == current and n % 5 >= 3:
                    continue
                for pk, is_share, low, high in indicators:
                    if is_share:
                        denominator = rng.randint(20, 60)
                        numerator = rng.randint(0, denominator)
                        value = Decimal(numerator * 100 / denominator).quantize(Decimal("0.01"))
                    else:
                        numerator = denominator = None
                        top = int(high) if high is not None else 40
                        value = Decimal(rng.randint(int(low or 0), top))
                    values.append(
                        IndicatorValue(
                            indicator_id=pk,
                            organisation=school,
                            school_year=year,
                            value=value,
                            numerator=numerator,
                            denominator=denominator,
                            reported_by=coordinator,
                            reported_at=now,
                        )
                    )
    IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
    targets = [
        IndicatorTarget(
            indicator_id=pk,
            school_year=year,
            level=TargetLevel.MUNICIPALITY,
            region=region,
            municipality=municipality,
            value=Decimal(50 if is_share else 10),
            set_by=coordinator,
        )
        for municipality in municipalities
        for year in years
        for pk, is_share, _, _ in indicators
    ]
    targets += [
        IndicatorTarget(
            indicator_id=pk,
            school_year=year,
            level=TargetLevel.SCHOOL,
            region=region,
            municipality_id=school.municipality_id,
            organisation=school,
            value=Decimal(60 if is_share else 12),
            set_by=coordinator,
        )
        for per in schools
        for school in per[::5]
        for year in years
        for pk, is_share, _, _ in indicators
    ]
    IndicatorTarget.objects.bulk_create(targets, batch_size=BATCH)
    subjects = dict(Subject.objects.values_list("name", "pk"))
    exams = [(Exam.EGE, subjects[name], (40, 80)) for name in EGE_SUBJECTS if name in subjects] + [
        (Exam.OGE, subjects[name], (3, 5)) for name in OGE_SUBJECTS if name in subjects
    ]
    results = []
    for per in schools:
        for school in per:
            for year in range(today.year - 3, today.year):
                for exam, subject, (low, high) in exams:
                    participants = rng.randint(5, 60)
                    results.append(
                        ExamResult(
                            organisation=school,
                            exam=exam,
                            subject_id=subject,
                            year=year,
                            participants=participants,
                            not_passed=rng.randint(0, participants // 10),
                            average=Decimal(rng.uniform(low, high)).quantize(Decimal("0.01")),
                            high_scorers=rng.randint(0, 5) if exam == Exam.EGE else None,
                            entered_by=coordinator,
                            entered_at=now,
                        )
                    )
    ExamResult.objects.bulk_create(results, batch_size=BATCH)
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            owner=authority,
            title=f"Мониторинг № {c + 1}",
            school_year=current - c,
            due_on=today + datetime.timedelta(days=10 - 30 * c),
            created_by=coordinator,
        )
        for authority in authorities
        for c in range(2)
    )
    states = (ResponseState.SUBMITTED, ResponseState.PENDING, ResponseState.REOPENED)
    responses = [
        CampaignResponse(campaign=campaign, school=school, state=states[n % 3])
        for c, campaign in enumerate(campaigns)
        for n, school in enumerate(schools[c // 2])
    ]
    CampaignResponse.objects.bulk_create(responses, batch_size=BATCH)
    return {
        "indicator_values": len(values),
        "targets": len(targets),
        "exam_results": len(results),
        "campaign_responses": len(responses),
    }


def build(size: Size, *, seed: int = 2026) -> Cast:
    """Generate the region of ``size`` (in the caller's transaction)."""
    rng = random.Random(seed)  # noqa: S311 - generated data, not secrets
    run = secrets.token_hex(4)
    region = Region.objects.bulk_create([Region(name=f"Бенчмарк сводок {run}")])[0]
    today = today_in(region)
    municipalities, regional, authorities, centres, schools = execution_bench.generate_directory(
        region, municipalities=size.municipalities, schools=size.schools, label=f"сводок {run}"
    )
    coordinator = _people(size, run, regional, centres, schools)
    records = _plans(size, rng, today, coordinator, authorities, centres, schools)
    counts = _monitoring(rng, today, region, municipalities, authorities, schools, coordinator)
    counts = {
        "municipalities": len(municipalities),
        "schools": sum(len(per) for per in schools),
        "plans": size.plans,
        "measures": size.plans * size.measures,
        "records": records,
        **counts,
    }
    return Cast(region, municipalities[0], schools[0][0], coordinator, counts)


def _analyse() -> None:
    """Planner statistics for the tables just filled (inside the transaction: they see its
    rows and go with it)."""
    models = (
        ExecutionRecord,
        Measure,
        MeasureWindow,
        Section,
        Roadmap,
        Organisation,
        Municipality,
        IndicatorValue,
        IndicatorTarget,
        ExamResult,
        Campaign,
        CampaignResponse,
        CuratorAssignment,
    )
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- Requests -----------------------------------------------------------------------------


def _median_ms(run, repeat: int, before=None) -> float:
    timings = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def _dashboards(cast: Cast) -> dict[str, tuple[str, list[str]]]:
    """Dashboard → (URL, the version keys a write to its data renews)."""
    school, municipality = cast.school, cast.municipality
    return {
        "regional": (
            reverse("dashboard_region", args=[cast.region.pk]),
            [version_key("r", cast.region.pk)],
        ),
        "municipal": (
            reverse("dashboard_municipality", args=[municipality.pk]),
            [version_key("m", municipality.pk)],
        ),
        "school": (
            reverse("dashboard_school", args=[school.pk]),
            [version_key("o", school.pk), version_key("m", school.municipality_id)],
        ),
    }


def _measure(client: Client, url: str, keys: list[str], repeat: int) -> dict:
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: unexpected status {response.status_code}")

    def renew():
        cache.delete_many(keys)  # a missing version is created anew: the figures miss

    get()  # templates, the person's reach, the session's activity stamp
    cold = _median_ms(get, repeat, before=renew)
    cached = _median_ms(get, repeat)
    renew()
    cold_queries = _queries(get)
    cached_queries = _queries(get)
    return {
        "cold_ms": cold,
        "cached_ms": cached,
        "queries": cold_queries,
        "cached_queries": cached_queries,
    }


def _raw_sql_ms(region, repeat: int) -> float:
    """The statements behind the regional figures, sent again as they were sent."""
    today = today_in(region)
    with CaptureQueriesContext(connection) as captured:
        figures.regional(region, today)
    statements = [query["sql"] for query in captured.captured_queries]

    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    run()
    return _median_ms(run, repeat)


class _Rollback(Exception):
    pass


def _bench_size(size: Size, repeat: int, *, raw: bool) -> tuple[dict, dict, float | None]:
    host = next(
        (h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))), "localhost"
    )
    result: dict = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            cast = build(size)
            _analyse()
            counts = {**cast.counts, "build_s": round(time.perf_counter() - started, 1)}
            client = Client(HTTP_HOST=host)
            client.force_login(cast.coordinator)
            for name, (url, keys) in _dashboards(cast).items():
                result[name] = _measure(client, url, keys, repeat)
            raw_ms = _raw_sql_ms(cast.region, repeat) if raw else None
            raise _Rollback
    except _Rollback:
        pass
    return result, counts, raw_ms


def _budget(result: dict, raw_ms: float) -> dict:
    large = result["regional"]["large"]
    bound = round(BUDGET["regional_cold_over_raw_sql_plus_render"] * (raw_ms + large["cached_ms"]))
    return {
        **BUDGET,
        "regional_cold_bound_ms": bound,
        "met": {
            "regional_cold": large["cold_ms"] < BUDGET["regional_cold_ms"],
            "regional_cold_vs_raw_sql": large["cold_ms"] <= bound,
            "regional_cached": large["cached_ms"] < BUDGET["regional_cached_ms"],
            "queries_constant": all(
                len({(f["queries"], f["cached_queries"]) for f in result[name].values()}) == 1
                for name in DASHBOARDS
            ),
        },
    }


def bench_dashboards(*, sizes: dict[str, Size] | None = None, repeat: int = 7) -> dict:
    """``{dashboard: {size: {cold_ms, cached_ms, queries, cached_queries}},
    "regional_raw_sql_ms", "budget", "data"}`` (see the module docstring)."""
    sizes = SIZES if sizes is None else sizes
    prefix = f"bench-dash-{secrets.token_hex(4)}"
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    result: dict = {name: {} for name in DASHBOARDS}
    data: dict = {"vendor": connection.vendor, "cache": "redis"}
    raw_ms = None
    with override_settings(CACHES=redis):
        try:
            labels = list(sizes)
            for label in labels:
                figures_, counts, raw = _bench_size(sizes[label], repeat, raw=label == labels[-1])
                for name, value in figures_.items():
                    result[name][label] = value
                data[label] = counts
                raw_ms = raw if raw is not None else raw_ms
        finally:
            client = cache._cache.get_client(write=True)
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
    result["regional_raw_sql_ms"] = raw_ms
    if "large" in result["regional"] and raw_ms is not None:
        result["budget"] = _budget(result, raw_ms)
    result["data"] = data
    return result
