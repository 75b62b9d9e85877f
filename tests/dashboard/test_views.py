"""The dashboards: region → municipality → school in two clicks, their figures, who sees
which, sorting, the export."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_regional_reaches_a_school_in_two_clicks(world, figures, login):
    client = login(world.user("regional_coordinator"))
    region = client.get(reverse("dashboards"), follow=True)
    assert region.redirect_chain[-1][0] == reverse("dashboard_region", args=[world.region.pk])
    page = region.content.decode()
    assert "Новокубанский район" in page
    assert "Армавир" in page
    municipality_url = reverse("dashboard_municipality", args=[world.municipality.pk])
    assert municipality_url in page  # click 1
    page = client.get(municipality_url).content.decode()
    school_url = reverse("dashboard_school", args=[world.school.pk])
    assert school_url in page  # click 2
    page = client.get(school_url).content.decode()
    for text in ("Планы и исполнение", "Последние отметки", "Целевые показатели", "Итоги ЕГЭ"):
        assert text in page
    assert "Русский язык" in page
    assert "85,71" in page or "85.71" in page


def test_the_regional_table_shows_progress_targets_and_exam_averages(world, figures, login):
    page = (
        login(world.user("regional_coordinator"))
        .get(reverse("dashboard_region", args=[world.region.pk]))
        .content.decode()
    )
    assert "ЕГЭ 2024" in page
    assert "ЕГЭ 2025" in page
    assert "60,5" in page  # (60 + 61) / 2, weighted by 20 participants each
    assert (
        "3 из 4 · 75 %" in page
    )  # targets met: 80 % trained (18 and 19 of 21), offences ≤ 1 (0; not 2)
    assert "<svg" in page
    assert 'role="img"' in page
    assert 'style="' not in page.split("<main", 1)[1]  # the CSP forbids style attributes


def test_the_municipal_page_lists_schools_curators_and_campaigns(world, figures, login):
    page = (
        login(world.user("municipal_coordinator"))
        .get(reverse("dashboard_municipality", args=[world.municipality.pk]))
        .content.decode()
    )
    assert world.school.short_name in page
    assert world.second_school.short_name in page
    assert "Нагрузка кураторов" in page
    assert "Иванова Мария Петровна" in page
    assert "Кадры 2025/2026" in page
    assert "Ответили 0 из 2" in page


@pytest.mark.parametrize(
    ("persona", "region", "municipality", "school"),
    [
        ("regional_coordinator", 200, 200, 200),
        ("municipal_coordinator", 403, 200, 200),
        ("methodologist", 403, 200, 200),
        ("school_deputy", 403, 403, 200),
        ("foreign_curator", 403, 403, 200),  # the home municipality: a container of the school
        ("neighbour_coordinator", 403, 404, 404),
        ("outsider", 404, 404, 404),
    ],
)
def test_who_sees_which_dashboard(world, login, persona, region, municipality, school):
    client = login(world.user(persona))
    assert client.get(reverse("dashboard_region", args=[world.region.pk])).status_code == region
    assert (
        client.get(reverse("dashboard_municipality", args=[world.municipality.pk])).status_code
        == municipality
    )
    assert client.get(reverse("dashboard_school", args=[world.school.pk])).status_code == school


def test_rows_sort_by_any_column(world, figures, login):
    client = login(world.user("municipal_coordinator"))
    url = reverse("dashboard_municipality", args=[world.municipality.pk])
    ascending = client.get(url, {"sort": "name"}).content.decode()
    descending = client.get(url, {"sort": "-name"}).content.decode()
    first, second = world.school.short_name, world.second_school.short_name
    assert ascending.index(first) < ascending.index(second)
    assert descending.index(second) < descending.index(first)
    assert 'aria-sort="descending"' in descending
    assert client.get(url, {"sort": "nonsense"}).status_code == 200


def test_a_mark_renews_the_cached_dashboards(
    world, figures, login, django_capture_on_commit_callbacks
):
    from execution import services

    client = login(world.user("municipal_coordinator"))
    url = reverse("dashboard_municipality", args=[world.municipality.pk])
    before = client.get(url).context["dashboard"].total.rollup
    record = figures.live.record(figures.live.overdue, world.school)
    with django_capture_on_commit_callbacks(execute=True):
        services.report(
            records=[record.pk], acting_user=world.user("school_deputy"), state="done", note="Да"
        )
    after = client.get(url).context["dashboard"].total.rollup
    assert after.overdue == before.overdue - 1


def test_a_value_renews_the_regional_dashboard(
    world, figures, login, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from monitoring import services
    from monitoring.services import Entry
    from tests.monitoring.factories import indicator

    client = login(world.user("regional_coordinator"))
    url = reverse("dashboard_region", args=[world.region.pk])
    before = client.get(url).context["dashboard"].total.targets
    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_values_report(
            organisation=world.school,
            school_year=2025,
            entries=[Entry(indicator("safe-offences"), value=Decimal(5))],
            acting_user=world.user("school_deputy"),
        )
    after = client.get(url).context["dashboard"].total.targets
    assert after.met == before.met - 1


def test_without_a_write_the_cached_figures_are_served(world, figures, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.user("regional_coordinator"))
    url = reverse("dashboard_region", args=[world.region.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as cold_again:
        client.get(url)
    assert not any("execution_executionrecord" in q["sql"] for q in cold_again.captured_queries)


def test_the_export_makes_a_report_job(world, figures, login):
    from reports.models import Report

    client = login(world.user("regional_coordinator"))
    response = client.post(
        reverse("dashboard_export", args=["region", world.region.pk]), {"format": "xlsx"}
    )
    report = Report.objects.get()
    assert response.url == reverse("report_detail", args=[report.pk])
    assert (report.kind, report.format, report.region_id) == ("dashboard", "xlsx", world.region.pk)
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("kind", ["region", "municipality", "school"])
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_every_dashboard_renders_as_a_file(world, figures, kind, fmt):
    from dashboard.exports import dashboard_file

    target = {"region": world.region, "municipality": world.municipality, "school": world.school}[
        kind
    ]
    content, pages, data = dashboard_file(target, None, fmt)
    assert content.startswith(b"%PDF" if fmt == "pdf" else b"PK")
    assert data["format"] == "roadmaps-edu/dashboard"
    if fmt == "pdf":
        assert pages >= 1
