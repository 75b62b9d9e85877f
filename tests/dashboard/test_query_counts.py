"""Query budgets of the dashboards: the same number of queries for a small world and a
larger one (more municipalities, schools, plans, marks, values, exam results, campaigns
and curators), for a cold request (the dashboard's data just changed) and a cached one.
Timings are for ``manage.py bench dashboards``, never for tests."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.versions import version_key
from execution import services as execution
from execution.models import ExecutionRecord
from monitoring import services as monitoring
from monitoring.constants import Exam
from monitoring.models import ExamResult, IndicatorValue
from roadmaps.constants import RoadmapStatus
from tests.dashboard.conftest import YEAR, add_figures, build_figures
from tests.execution.conftest import build_live
from tests.factories import AuthorityFactory, CuratorAssignmentFactory, SchoolFactory, person
from tests.monitoring.factories import indicator, subject
from tests.roadmaps.factories import RoadmapFactory

pytestmark = pytest.mark.django_db

SIZES = ("small", "larger")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _grow(world) -> None:
    """The larger world: three more municipalities of two schools with values and results
    and a draft plan each; three more schools at home with values, results in more
    subjects, a curator; a second plan in execution with more measures; marks sent and one
    returned; a second campaign."""
    from schools.constants import Role

    coordinator = world.user("municipal_coordinator")
    far_schools = []
    for n in range(3):
        municipality = type(world.municipality).objects.create(
            region=world.region, name=f"Район № {n + 1}"
        )
        authority = AuthorityFactory(municipality=municipality)
        RoadmapFactory(owner=authority, status=RoadmapStatus.DRAFT)
        far_schools += [
            SchoolFactory(municipality=municipality, is_low_results=bool(k)) for k in range(2)
        ]
    home = [SchoolFactory(municipality=world.municipality) for _ in range(3)]
    add_figures(world, schools=home, extra_subjects=3)
    _far_figures(far_schools)
    curator = person("second-curator", world.centre, Role.METHODOLOGIST)
    for school in home:
        CuratorAssignmentFactory(curator=curator, school=school)
    second = build_live(world, title="Сетевой план", extra_measures=6)
    deputy = world.user("school_deputy")
    marked = list(
        ExecutionRecord.objects.filter(
            organisation=world.school, measure__roadmap=second.plan, due_on__isnull=False
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)[:4]
    )
    for pk in marked:
        execution.report(records=[pk], acting_user=deputy, state="done", note="Проведено")
    execution.review(
        records=marked[:1],
        acting_user=world.user("methodologist"),
        accept=False,
        comment="Приложите протокол",
    )
    monitoring.campaign_create(
        owner=world.authority,
        title="Кадры, второй срез",
        school_year=YEAR,
        due_on=second.today,
        indicators=[indicator("staff-training"), indicator("safe-offences")],
        schools=[world.school, world.second_school, *home],
        acting_user=coordinator,
    )


def _far_figures(schools) -> None:
    """Values and exam results of schools the home coordinator may not report for."""
    now = timezone.now()
    for n, school in enumerate(schools):
        IndicatorValue.objects.create(
            indicator=indicator("staff-training"),
            organisation=school,
            school_year=YEAR,
            value=Decimal(70 + n),
            numerator=7,
            denominator=10,
            reported_at=now,
        )
        for year in (YEAR - 1, YEAR):
            ExamResult.objects.create(
                organisation=school,
                exam=Exam.EGE,
                subject=subject("Русский язык"),
                year=year,
                participants=10 + n,
                average=Decimal(65),
                entered_at=now,
            )


def _build(world, size: str) -> None:
    build_figures(world)
    if size == "larger":
        _grow(world)


# Every page pays 3: user, the access version (the person's memberships and role
# permissions come from the cache under it), the unread notifications (the menu). The
# session comes from the cache; the first request after the login stamps its activity
# and is not counted.
FRAME = 3

# A cached dashboard adds 1 to the frame: the region, municipality or school asked for
# (visible to the person: one query with what the page names). The versions and the
# figures are two round trips to the cache, not to the database.
CACHED = 1

# Dashboard → (URL, the versions a write renews, queries of the figures beyond the
# frame and the object asked for, when cold).
DASHBOARDS = {
    # 7: municipalities of the region; schools and flags per municipality; plans by
    #    (municipality, state); execution roll-ups per municipality (status × state);
    #    the latest school year with values; values of that year against their targets
    #    per municipality; weighted exam averages per (municipality, exam, year).
    "regional": (
        lambda w: reverse("dashboard_region", args=[w.region.pk]),
        lambda w: [version_key("r", w.region.pk)],
        7,
    ),
    # 10: the schools with flags; roll-ups per organisation; plans by (owner kind, state);
    #     the latest school year with values; values against targets per school; exam
    #     averages per (school, exam, year); unanswered campaigns per school; the
    #     curators' schools; the latest campaigns; their answers by state.
    "municipal": (
        lambda w: reverse("dashboard_municipality", args=[w.municipality.pk]),
        lambda w: [version_key("m", w.municipality.pk)],
        10,
    ),
    # 7: roll-ups per plan; the plans' titles and states; the latest ten marks; values of
    #    three school years; the school's and the municipality's targets; exam results;
    #    the latest answers to campaigns.
    "school": (
        lambda w: reverse("dashboard_school", args=[w.school.pk]),
        lambda w: [version_key("o", w.school.pk), version_key("m", w.municipality.pk)],
        7,
    ),
}


def _tables(queries: list[dict]) -> str:
    """A readable list for a failing budget: the first table each query reads."""
    found = []
    for query in queries:
        match = re.search(r'FROM "(\w+)"', query["sql"])
        found.append(match.group(1) if match else query["sql"].split()[0])
    return " ".join(found)


def _count(client, url: str) -> list[dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return captured.captured_queries


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_query_budget_does_not_grow_with_the_data(world, client, dashboard, size):
    _build(world, size)
    url_of, keys_of, figures = DASHBOARDS[dashboard]
    client.force_login(world.user("regional_coordinator"))
    url = url_of(world)
    assert client.get(url).status_code == 200  # stamps the session's activity
    cache.delete_many(keys_of(world))  # as a write to the dashboard's data does
    cold = _count(client, url)
    cached = _count(client, url)
    assert len(cold) == FRAME + CACHED + figures, _tables(cold)
    assert len(cached) == FRAME + CACHED, _tables(cached)


def test_the_larger_size_shows_more(world, client):
    """The two sizes differ where it counts: municipalities, schools, plans, marks."""
    _build(world, "larger")
    client.force_login(world.user("regional_coordinator"))
    region = client.get(reverse("dashboard_region", args=[world.region.pk])).content.decode()
    for n in range(1, 4):
        assert f"Район № {n}" in region
    municipal = client.get(
        reverse("dashboard_municipality", args=[world.municipality.pk])
    ).content.decode()
    assert "Кадры, второй срез" in municipal
    school = client.get(reverse("dashboard_school", args=[world.school.pk])).content.decode()
    assert "Сетевой план" in school
