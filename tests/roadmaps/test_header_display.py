"""A plan that is not approved shows «ПРОЕКТ»: the approval block it came with (an imported
document's «УТВЕРЖДЕНО») is kept as data and shown muted as what the document says, never
as if the plan were approved. Only an approved plan (approved, in execution, closed) shows
the block as its approval."""

import datetime

import lxml.html
import pytest
from django.urls import reverse

from demo.plans import SAMPLES_DIR
from roadmaps import services
from roadmaps.constants import RoadmapStatus
from roadmaps.importing import parse_plan
from roadmaps.importing.service import roadmap_import
from roadmaps.models import Roadmap

D = datetime.date
PAGES = ["roadmap_detail", "roadmap_print"]


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


@pytest.fixture
def imported(world):
    """The Новокубанский plan as imported: a draft with the document's «УТВЕРЖДЕНО» block."""
    name = "novokubansky-cro-2019-2022.docx"
    data = (SAMPLES_DIR / name).read_bytes()
    return roadmap_import(
        plan=parse_plan(data, name), owner=world.centre, file_name=name, data=data
    )


def set_status(roadmap, status):
    Roadmap.objects.filter(pk=roadmap.pk).update(status=status)
    roadmap.refresh_from_db()


def header(client, user, roadmap, page):
    client.force_login(user)
    response = client.get(reverse(page, kwargs={"pk": roadmap.pk}))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode()).xpath(
        "//div[contains(@class, 'plan-header')]"
    )[0]


def text(element) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.parametrize("page", PAGES)
def test_imported_draft_shows_project_and_the_documents_stamp_muted(
    client, coordinator, imported, page
):
    assert imported.status == RoadmapStatus.DRAFT
    block = header(client, coordinator, imported, page)
    (approval,) = block.xpath(".//div[contains(@class, 'approval-block')]")
    assert approval.get("data-approval") == "draft"
    assert text(approval).startswith("ПРОЕКТ")
    # The document's stamp is there, under its label, and only there.
    (stamp,) = approval.xpath(".//div[contains(@class, 'document-stamp')]")
    assert "text-body-secondary" in stamp.get("class")
    assert text(stamp).startswith("Гриф утверждения в документе: УТВЕРЖДЕНО")
    assert "С.В. Давыденко" in text(stamp)
    assert text(block).count("УТВЕРЖДЕНО") == 1
    # Nothing of the imported block is lost.
    imported.refresh_from_db()
    assert (imported.approval_word, imported.approval_name) == ("УТВЕРЖДЕНО", "С.В. Давыденко")
    assert imported.approval_date_text == "« 12 » _____ 2019 г."


@pytest.mark.parametrize("page", PAGES)
def test_plan_on_agreement_is_still_a_project(client, coordinator, imported, page):
    set_status(imported, RoadmapStatus.CONCURRENCE)
    block = header(client, coordinator, imported, page)
    assert "ПРОЕКТ" in text(block)
    assert "на согласовании" in text(block)
    assert block.xpath(".//div[@data-approval='draft']//div[contains(@class, 'document-stamp')]")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "status", [RoadmapStatus.APPROVED, RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED]
)
def test_approved_plan_shows_the_stamp_as_its_approval(client, coordinator, imported, page, status):
    set_status(imported, status)
    block = header(client, coordinator, imported, page)
    (approval,) = block.xpath(".//div[contains(@class, 'approval-block')]")
    assert approval.get("data-approval") == "approved"
    assert text(approval).startswith("УТВЕРЖДЕНО Директор МБУ «ЦРО»")
    assert "С.В. Давыденко" in text(approval)
    assert "ПРОЕКТ" not in text(block)
    assert "Гриф утверждения в документе" not in text(block)
    assert not block.xpath(".//div[contains(@class, 'document-stamp')]")


def test_draft_without_an_approval_block_says_project_only(client, coordinator, world):
    roadmap = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта по повышению качества образования",
        period_start=D(2020, 1, 1),
        period_end=D(2022, 12, 31),
    )
    block = header(client, coordinator, roadmap, "roadmap_detail")
    assert "ПРОЕКТ" in text(block)
    assert not block.xpath(".//div[contains(@class, 'document-stamp')]")
    assert "УТВЕРЖДА" not in text(block)
    # Approved but with no approval block written: no stamp, no «ПРОЕКТ».
    set_status(roadmap, RoadmapStatus.APPROVED)
    block = header(client, coordinator, roadmap, "roadmap_detail")
    assert not block.xpath(".//div[contains(@class, 'approval-block')]")
    assert "ПРОЕКТ" not in text(block)


def test_header_shows_the_full_title_and_the_period(client, coordinator, imported):
    block = header(client, coordinator, imported, "roadmap_detail")
    (title,) = block.xpath(".//h1")
    assert text(title).startswith("Дорожная карта деятельности МБУ «Центр развития образования»")
    assert text(title).endswith("на 2019–2022 годы")
    assert "Период: на 2019-2022 годы · 01.01.2019 – 31.12.2022" in text(block)


def test_print_page_title_marks_a_draft(client, coordinator, imported):
    client.force_login(coordinator)
    url = reverse("roadmap_print", kwargs={"pk": imported.pk})
    page = lxml.html.fromstring(client.get(url).content.decode())
    assert page.findtext(".//title").startswith("ПРОЕКТ — Дорожная карта деятельности")
    set_status(imported, RoadmapStatus.APPROVED)
    page = lxml.html.fromstring(client.get(url).content.decode())
    assert page.findtext(".//title").startswith("Дорожная карта деятельности")
