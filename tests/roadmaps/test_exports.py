"""Export to .xlsx and .docx in the document's layout; importing the export gives the same plan."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from roadmaps import exports
from roadmaps.importing import parse_plan
from roadmaps.importing_service import roadmap_import

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
pytestmark = pytest.mark.skipif(
    not SAMPLES.exists(), reason="../shared/samples is not beside the repository"
)
NAMES = ["novokubansky-cro-2019-2022", "ponomarevsky-order-2020", "municipal-resources-2020"]
COMPARED = ("title", "subtitle", "period", "approval", "agreements", "sections", "measures")


def imported(world, name):
    data = (SAMPLES / f"{name}.docx").read_bytes()
    original = parse_plan(data, f"{name}.docx")
    roadmap = roadmap_import(plan=original, owner=world.centre, file_name=f"{name}.docx", data=data)
    return original, roadmap


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_round_trip(world, name, fmt):
    original, roadmap = imported(world, name)
    data = exports.roadmap_docx(roadmap) if fmt == "docx" else exports.roadmap_xlsx(roadmap)
    again = parse_plan(data, f"export.{fmt}")
    expected, got = original.to_json(), again.to_json()
    for key in COMPARED:
        assert got[key] == expected[key], key


def test_export_escapes_formula_cells(world):
    original, roadmap = imported(world, "municipal-resources-2020")
    measure = roadmap.measures.order_by("order").first()
    measure.title = '=HYPERLINK("http://evil")'
    measure.save()
    book = openpyxl.load_workbook(io.BytesIO(exports.roadmap_xlsx(roadmap)))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert '\'=HYPERLINK("http://evil")' in values
    assert not any(str(v).startswith("=") for v in values)


def test_download_in_the_browser(client, world):
    _, roadmap = imported(world, "ponomarevsky-order-2020")
    client.force_login(world.user("municipal_coordinator"))
    response = client.get(reverse("roadmap_export", kwargs={"pk": roadmap.pk, "fmt": "docx"}))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    assert (
        parse_plan(response.content, "x.docx").title
        == "Муниципальный план мероприятий (дорожная карта)"
    )
    assert (
        client.get(reverse("roadmap_export", kwargs={"pk": roadmap.pk, "fmt": "pdf"})).status_code
        == 404
    )
