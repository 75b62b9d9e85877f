"""``manage.py bench execution``: the execution pages on generated data of realistic size.

A region of municipalities, each with its authority, its centre and its schools; plans of
80 measures in execution (sections, windows around today, continuous and unscheduled
measures, some owed by the plan's owner) owed by a group of the municipality's schools;
a record per measure × organisation × window with a realistic mix of marks and reviews,
links as evidence on some. Four people look at it: a deputy of one school (in every plan of
its municipality), a methodologist curating ten schools, the municipal coordinator.

Everything is written with ``bulk_create`` (services would take minutes and are not what
is measured), committed — so that the tables can be analysed as in production — under a
region name no one else has, and deleted afterwards whatever happens, without loading the
rows and without leaving history behind. The pages are read with the test client logged in
as the right person: the median of ``repeat`` runs in ms and the number of queries."""

from __future__ import annotations

import datetime
import random
import secrets
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.timezones import today_in
from roadmaps.constants import AssignmentMode, RoadmapLevel, RoadmapStatus, ScheduleKind
from roadmaps.models import Measure, MeasureWindow, Roadmap, Section
from schools.constants import OrganisationKind, Role
from schools.models import CuratorAssignment, Membership, Municipality, Organisation, Region, User
from schools.services import user_sync_groups

from .models import Evidence, EvidenceKind, ExecutionRecord, MarkState, ReviewState
from .services import reporting_periods

BUDGET_MS = 150
BATCH = 5000


@dataclass(frozen=True)
class Size:
    """How much to generate: ``municipalities`` × ``schools`` schools, ``plans`` plans per
    municipality of ``measures`` measures, each owed by ``group`` of its schools."""

    municipalities: int
    schools: int
    plans: int
    group: int
    measures: int = 80
    curated: int = 10


# The large size: 1,500 schools, 150 plans, about 300,000 records; the small one a tenth.
SIZES = {
    "small": Size(municipalities=5, schools=30, plans=3, group=19),
    "large": Size(municipalities=30, schools=50, plans=5, group=19),
}
PAGES = ("my_measures", "review_queue", "plan_page", "municipal_overview", "roadmap_execution")


@dataclass
class Cast:
    region: Region
    deputy: User
    curator: User
    coordinator: User
    municipality: Municipality
    roadmap: Roadmap
    counts: dict


# --- Data ---------------------------------------------------------------------------------


def _schedule(index: int) -> tuple[str, str]:
    """A measure's schedule kind and assignment by its place in the plan: mostly once,
    every tenth recurring (two windows) or unscheduled, two continuous, every twentieth
    owed by the plan's owner itself."""
    if index % 10 == 9:
        return ScheduleKind.UNSCHEDULED, AssignmentMode.PLAN_GROUP
    if index % 40 == 4:
        return ScheduleKind.CONTINUOUS, AssignmentMode.PLAN_GROUP
    if index % 10 == 5:
        return ScheduleKind.RECURRING, AssignmentMode.PLAN_GROUP
    if index % 20 == 7:
        return ScheduleKind.ONCE, AssignmentMode.NONE
    return ScheduleKind.ONCE, AssignmentMode.PLAN_GROUP


# The share of records of each kind that ends in each outcome (cumulative, the rest is
# left unmarked): most past windows done and accepted, some waiting, returned, partly or
# not done, a quarter overdue; open windows partly marked; future ones seldom; unscheduled
# ones now and then.
OUTCOMES = {
    "undated": (("accepted", 0.30), ("waiting", 0.35)),
    "past": (
        ("accepted", 0.55),
        ("waiting", 0.63),
        ("returned", 0.67),
        ("partly", 0.72),
        ("not_done", 0.75),
    ),
    "open": (("accepted", 0.15), ("waiting", 0.30)),
    "future": (("waiting", 0.03),),
}


def _mark(record: ExecutionRecord, rng: random.Random, today: datetime.date, who, now) -> None:
    """A mark for the record's dates, drawn by ``OUTCOMES``."""
    due, starts = record.due_on, record.starts_on
    if due is None:
        kind = "undated"
    elif due < today:
        kind = "past"
    elif starts is not None and starts <= today:
        kind = "open"
    else:
        kind = "future"
    roll = rng.random()
    outcome = next((name for name, bound in OUTCOMES[kind] if roll < bound), "pending")
    if outcome == "pending":
        return
    done_on = (
        today if due is None or due > today else due - datetime.timedelta(days=rng.randint(-5, 20))
    )
    record.done_on = min(done_on, today)
    record.marked_by = who
    record.marked_at = now - datetime.timedelta(
        days=(today - record.done_on).days, hours=rng.randint(0, 72)
    )
    record.note = "Проведено, протокол приложен."
    if outcome in {"accepted", "waiting", "returned"}:
        record.state = MarkState.DONE
    else:
        record.state = MarkState.PARTLY if outcome == "partly" else MarkState.NOT_DONE
    if outcome == "waiting":
        record.review = ReviewState.WAITING
    elif outcome == "returned":
        record.review = ReviewState.RETURNED
        record.review_comment = "Приложите протокол с подписями."
        record.reviewed_at = record.marked_at + datetime.timedelta(days=2)
    elif outcome in {"accepted", "partly"}:
        record.review = ReviewState.ACCEPTED
        record.reviewed_at = record.marked_at + datetime.timedelta(days=3)


def generate_directory(region, *, municipalities: int, schools: int, label: str):
    """A generated region's directory, written in bulk: ``municipalities`` municipalities
    with an authority, a methodological centre and ``schools`` schools each (every third
    ШНОР, every fifth ШНСУ, every eleventh a leader school), and the regional authority.
    Returns (municipalities, regional, authorities, centres, schools per municipality)."""
    areas = Municipality.objects.bulk_create(
        Municipality(region=region, name=f"Район № {m + 1:02d}") for m in range(municipalities)
    )
    regional = Organisation(
        region=region,
        kind=OrganisationKind.REGIONAL_AUTHORITY,
        full_name=f"Министерство образования (бенчмарк {label})",
        short_name="Минобр (бенчмарк)",
    )
    authorities, centres, by_area = [], [], []
    for m, municipality in enumerate(areas, start=1):
        common = {"region": region, "municipality": municipality}
        authorities.append(
            Organisation(
                **common,
                kind=OrganisationKind.MUNICIPAL_AUTHORITY,
                full_name=f"Управление образования района № {m} (бенчмарк)",
                short_name=f"УО района № {m}",
            )
        )
        centres.append(
            Organisation(
                **common,
                kind=OrganisationKind.METHOD_CENTRE,
                full_name=f"Центр развития образования района № {m} (бенчмарк)",
                short_name=f"ЦРО района № {m}",
            )
        )
        by_area.append(
            [
                Organisation(
                    **common,
                    kind=OrganisationKind.SCHOOL,
                    level="secondary",
                    full_name=f"Средняя общеобразовательная школа № {n} района № {m} (бенчмарк)",
                    short_name=f"СОШ № {n} р-на № {m}",
                    is_low_results=n % 3 == 0,
                    is_unfavourable=n % 5 == 0,
                    is_leader=n % 11 == 1,
                )
                for n in range(1, schools + 1)
            ]
        )
    Organisation.objects.bulk_create(
        [regional, *authorities, *centres, *(s for per in by_area for s in per)], batch_size=BATCH
    )
    return areas, regional, authorities, centres, by_area


def build(size: Size, *, seed: int = 2026) -> Cast:
    """Generate the data of ``size`` in one transaction; return who looks at it."""
    rng = random.Random(seed)  # noqa: S311 - generated data, not secrets
    run = secrets.token_hex(4)  # the data lives beside whatever is there: names are unique
    region = Region.objects.bulk_create([Region(name=f"Бенчмарк исполнения {run}")])[0]
    today = today_in(region)
    now = timezone.now()
    municipalities, regional, authorities, centres, schools = generate_directory(
        region, municipalities=size.municipalities, schools=size.schools, label=run
    )

    home, home_schools = municipalities[0], schools[0]
    deputy_school = home_schools[0]
    users = User.objects.bulk_create(
        User(username=f"bench-{role}-{run}", last_name=last, first_name="Бенчмарк")
        for role, last in (
            ("deputy", "Заместитель"),
            ("curator", "Методист"),
            ("coordinator", "Координатор"),
        )
    )
    deputy, curator, coordinator = users
    Membership.objects.bulk_create(
        [
            Membership(user=deputy, organisation=deputy_school, role=Role.SCHOOL_DEPUTY),
            Membership(user=curator, organisation=centres[0], role=Role.METHODOLOGIST),
            Membership(
                user=coordinator, organisation=authorities[0], role=Role.MUNICIPAL_COORDINATOR
            ),
        ]
    )
    CuratorAssignment.objects.bulk_create(
        CuratorAssignment(curator=curator, school=school) for school in home_schools[: size.curated]
    )
    for user in users:
        user_sync_groups(user=user)

    start = datetime.date(today.year - 1, 1, 1)
    end = datetime.date(today.year + 1, 12, 31)
    span = (end - start).days
    roadmaps, groups = [], []
    for m in range(len(municipalities)):
        for p in range(size.plans):
            owner = centres[m] if p == size.plans - 1 else authorities[m]
            roadmaps.append(
                Roadmap(
                    owner=owner,
                    level=RoadmapLevel.CENTRE if owner is centres[m] else RoadmapLevel.MUNICIPAL,
                    title=f"Дорожная карта № {p + 1} по поддержке школ района № {m + 1} на {start.year}–{end.year} годы",
                    period_start=start,
                    period_end=end,
                    status=RoadmapStatus.EXECUTION,
                    created_by=coordinator,
                )
            )
            # The deputy's school is in every plan of its municipality; the rest by lot.
            others = rng.sample(schools[m][1:], min(size.group, size.schools) - 1)
            groups.append([schools[m][0], *others])
    Roadmap.objects.bulk_create(roadmaps, batch_size=BATCH)
    Through = Roadmap.school_group.through
    Through.objects.bulk_create(
        (
            Through(roadmap=r, organisation=s)
            for r, group in zip(roadmaps, groups, strict=True)
            for s in group
        ),
        batch_size=BATCH,
    )

    sections_per_plan = 4
    sections = Section.objects.bulk_create(
        (
            Section(
                roadmap=r, number=f"{n}.", title=f"Раздел {n}. Методическое сопровождение", order=n
            )
            for r in roadmaps
            for n in range(1, sections_per_plan + 1)
        ),
        batch_size=BATCH,
    )
    measures = []
    for r_index, roadmap in enumerate(roadmaps):
        plan_sections = sections[r_index * sections_per_plan : (r_index + 1) * sections_per_plan]
        for i in range(size.measures):
            kind, mode = _schedule(i)
            section = plan_sections[i * sections_per_plan // size.measures]
            measure = Measure(
                roadmap=roadmap,
                section=section,
                number=f"{section.order}.{i + 1}.",
                title=f"Мероприятие {i + 1}: семинар для заместителей директоров по качеству образования и объективности оценивания",
                deadline_text="по графику",
                schedule_kind=kind,
                audience="Заместители директоров",
                responsible_text="ЦРО, руководители ОО",
                result="Повышение качества образования",
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
        for position, due in enumerate(dues):
            windows.append(
                MeasureWindow(
                    measure=measure,
                    position=position,
                    starts_on=due - datetime.timedelta(days=29),
                    due_on=due,
                )
            )
    MeasureWindow.objects.bulk_create(windows, batch_size=BATCH)
    slots: dict[int, list] = {}
    for window in windows:
        slots.setdefault(window.measure_id, []).append((window, window.starts_on, window.due_on))
    # Continuous measures: a record per quarter of the plan (the plans' default period).
    periods = [(None, a, b) for a, b in reporting_periods(start, end, 3)]

    records = []
    for measure in measures:
        roadmap = roadmaps[measure._plan_index]
        if measure.assignment_mode == AssignmentMode.NONE:
            owing = [roadmap.owner]
        else:
            owing = groups[measure._plan_index]
        if measure.schedule_kind == ScheduleKind.CONTINUOUS:
            measure_slots = periods
        else:
            measure_slots = slots.get(measure.pk, [(None, None, None)])
        for organisation in owing:
            who = deputy if organisation is deputy_school else None
            for window, starts_on, due_on in measure_slots:
                record = ExecutionRecord(
                    measure=measure,
                    window=window,
                    organisation=organisation,
                    starts_on=starts_on,
                    due_on=due_on,
                )
                _mark(record, rng, today, who, now)
                if record.reviewed_at:
                    record.reviewed_by = curator
                records.append(record)
    ExecutionRecord.objects.bulk_create(records, batch_size=BATCH)
    marked = [r for r in records if r.marked_at is not None]
    evidence = [
        Evidence(
            record=record,
            kind=EvidenceKind.LINK,
            url=f"https://disk.example.ru/bench/{run}/{record.pk}",
            uploaded_by=record.marked_by,
        )
        for record in marked
        if rng.random() < 0.25
    ]
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)
    counts = {
        "municipalities": len(municipalities),
        "schools": sum(len(per) for per in schools),
        "plans": len(roadmaps),
        "measures": len(measures),
        "windows": len(windows),
        "records": len(records),
        "evidence": len(evidence),
        "deputy_records": sum(1 for r in records if r.organisation is deputy_school),
        "waiting_for_curator": sum(
            1
            for r in records
            if r.review == ReviewState.WAITING and r.organisation in home_schools[: size.curated]
        ),
        "plan_records": sum(1 for r in records if r.measure.roadmap is roadmaps[0]),
    }
    return Cast(region, deputy, curator, coordinator, home, roadmaps[0], counts)


def _raw_delete(queryset) -> None:
    """Delete the rows in one statement, as Django's own fast delete does: no rows loaded,
    no signals — and so no history rows written for what only the benchmark made."""
    queryset._raw_delete(queryset.db)


def drop(region_id: int) -> None:
    """Delete everything ``build`` made in this region (and the users' history rows)."""
    with transaction.atomic():
        user_ids = list(
            User.objects.filter(memberships__organisation__region_id=region_id)
            .distinct()
            .values_list("pk", flat=True)
        )
        plans = Roadmap.objects.filter(owner__region_id=region_id)
        _raw_delete(Evidence.objects.filter(record__organisation__region_id=region_id))
        _raw_delete(ExecutionRecord.objects.filter(organisation__region_id=region_id))
        _raw_delete(ExecutionRecord.objects.filter(measure__roadmap__in=plans))
        _raw_delete(MeasureWindow._base_manager.filter(measure__roadmap__in=plans))
        for through in (
            Measure.assigned_organisations.through,
            Measure.responsible_organisations.through,
        ):
            _raw_delete(through.objects.filter(measure__roadmap__in=plans))
        _raw_delete(Measure.objects.filter(roadmap__in=plans))
        _raw_delete(Section.objects.filter(roadmap__in=plans))
        _raw_delete(Roadmap.school_group.through.objects.filter(roadmap__in=plans))
        _raw_delete(plans)
        _raw_delete(CuratorAssignment.objects.filter(school__region_id=region_id))
        _raw_delete(Membership.objects.filter(organisation__region_id=region_id))
        User.objects.filter(pk__in=user_ids).delete()  # their role groups with them
        _raw_delete(Organisation.objects.filter(region_id=region_id))
        _raw_delete(Municipality.objects.filter(region_id=region_id))
        _raw_delete(Region.objects.filter(pk=region_id))
        User.history.filter(id__in=user_ids).delete()


def _analyse() -> None:
    """Fresh planner statistics for the tables just filled, as production would have."""
    tables = [
        model._meta.db_table
        for model in (
            ExecutionRecord,
            Evidence,
            Measure,
            MeasureWindow,
            Section,
            Roadmap,
            Organisation,
        )
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


# --- Pages --------------------------------------------------------------------------------


def _time(client: Client, url: str, repeat: int) -> dict:
    """Median server time of ``repeat`` GETs (after a warm-up) and the queries of one."""
    client.get(url)  # templates, caches, the session's activity stamp
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: unexpected status {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {"ms": round(statistics.median(timings), 1), "queries": len(captured.captured_queries)}


def _pages(cast: Cast) -> dict[str, tuple[User, str]]:
    plan = cast.roadmap.pk
    return {
        "my_measures": (cast.deputy, reverse("my_measures")),
        "review_queue": (cast.curator, reverse("review_queue")),
        "plan_page": (cast.coordinator, reverse("roadmap_detail", kwargs={"pk": plan})),
        "municipal_overview": (
            cast.coordinator,
            f"{reverse('execution_overview')}?municipality={cast.municipality.pk}",
        ),
        "roadmap_execution": (cast.coordinator, reverse("roadmap_execution", kwargs={"pk": plan})),
    }


def _bench_size(size: Size, repeat: int) -> tuple[dict, dict]:
    started = time.perf_counter()
    with transaction.atomic():
        cast = build(size)
    built = time.perf_counter() - started
    host = next(
        (h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))), "localhost"
    )
    try:
        _analyse()
        figures = {}
        for name, (user, url) in _pages(cast).items():
            client = Client(HTTP_HOST=host)
            client.force_login(user)
            try:
                figures[name] = _time(client, url, repeat)
            finally:
                client.logout()  # its session goes with it
        return figures, {**cast.counts, "build_s": round(built, 1)}
    finally:
        drop(cast.region.pk)


def bench_execution(*, sizes: dict[str, Size] | None = None, repeat: int = 7) -> dict:
    """Each page at each size: ``{page: {size: {"ms", "queries"}}, "data": {...}}``."""
    sizes = SIZES if sizes is None else sizes
    result: dict = {page: {} for page in PAGES}
    data: dict = {"vendor": connection.vendor, "budget_ms": BUDGET_MS}
    for label, size in sizes.items():
        figures, counts = _bench_size(size, repeat)
        for page, value in figures.items():
            result[page][label] = value
        data[label] = counts
    result["data"] = data
    return result
