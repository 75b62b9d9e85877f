"""htmx through django-htmx: ``request.htmx`` and the response helpers, no hand-written
HX-* headers in the views."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from roadmaps import services
from roadmaps.importing.model import ParsedPlan
from roadmaps.models import Section
from tests.roadmaps.test_import_views import done_job

ROOT = Path(__file__).resolve().parents[2]
VIEWS = [
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "roadmaps/views").glob("*.py")),
    "roadmaps/importing/views.py",
    "schools/views.py",
]
HX = {"HX-Request": "true"}


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.user("municipal_coordinator"))
    return client


def test_the_middleware_is_on_and_views_write_no_htmx_headers_by_hand():
    assert "django_htmx.middleware.HtmxMiddleware" in settings.MIDDLEWARE
    for name in VIEWS:
        source = (ROOT / name).read_text(encoding="utf-8")
        assert not re.search(r"[\"']HX-[A-Za-z-]+[\"']", source), name
        assert "_is_htmx" not in source, name


def test_section_delete_from_the_table_redirects_the_client(coordinator_client, world):
    roadmap = services.roadmap_create(
        acting_user=world.user("municipal_coordinator"),
        owner=world.authority,
        title="План",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    section = services.section_create(
        roadmap=roadmap, acting_user=world.user("municipal_coordinator"), title="Раздел"
    )
    url = reverse("section_delete", kwargs={"pk": section.pk})
    response = coordinator_client.post(url, headers=HX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("roadmap_detail", kwargs={"pk": roadmap.pk})
    assert not Section.objects.filter(pk=section.pk).exists()


def test_a_finished_import_refreshes_the_page_without_a_fragment(coordinator_client, world):
    job = done_job(world, ParsedPlan(title="План"))
    response = coordinator_client.get(
        reverse("roadmap_import_status", kwargs={"pk": job.pk}), headers=HX
    )
    assert response["HX-Refresh"] == "true"
    assert response.content == b""


@pytest.mark.parametrize("name", ["organisation_list", "person_list"])
def test_directory_lists_answer_htmx_with_the_results_only(coordinator_client, name):
    url = reverse(name)
    assert "<html" in coordinator_client.get(url).content.decode()
    assert "<html" not in coordinator_client.get(url, headers=HX).content.decode()
    # Only a real htmx request («true») gets the fragment.
    assert "<html" in coordinator_client.get(url, headers={"HX-Request": "1"}).content.decode()
