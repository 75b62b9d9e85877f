"""Export to .xlsx and .docx in the document's layout; importing the export gives the same plan."""

import io

import openpyxl
import pytest
from django.urls import reverse

from demo.plans import SAMPLES_DIR as SAMPLES
from roadmaps import exports
from roadmaps.constants import RoadmapStatus
from roadmaps.importing import parse_plan
from roadmaps.importing.service import roadmap_import

NAMES = ["novokubansky-cro-2019-2022", "ponomarevsky-order-2020", "municipal-resources-2020"]
COMPARED = ("title", "subtitle", "period", "approval", "concurrences", "sections", "measures")


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
    assert parse_plan(response.content, "x.docx").title == (
        "Муниципальный план мероприятий (дорожная карта) по оказанию методической помощи"
        " образовательным организациям, показывающим низкие образовательные результаты"
    )
    assert (
        client.get(reverse("roadmap_export", kwargs={"pk": roadmap.pk, "fmt": "pdf"})).status_code
        == 404
    )


# --- stored text that XML cannot hold (issue 7, gap 4) ------------------------------------

WORD_TEXT = "Первая строка\x0bвторая строка\x01"


def _write_around_the_fields(model, pk, **values):
    """Rows written before text was cleaned at the door (or by raw SQL) still hold Word's
    characters; the fields would clean them, so the test writes around them."""
    from django.db import connection

    sets = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {sets} WHERE id = %s",  # noqa: S608
            [*values.values(), pk],
        )


@pytest.fixture
def dirty_plan(world):
    from roadmaps.models import Measure, PlanConcurrence, Roadmap
    from tests.roadmaps.factories import MeasureFactory, RoadmapFactory, SectionFactory

    roadmap = RoadmapFactory(owner=world.school, approval_name="Иванов И. И.")
    section = SectionFactory(roadmap=roadmap, number="1.", title="Раздел")
    measure = MeasureFactory(roadmap=roadmap, section=section, number="1.1.")
    concurrence = PlanConcurrence.objects.create(roadmap=roadmap, name="Петров П. П.")
    _write_around_the_fields(
        Measure, measure.pk, title=WORD_TEXT, responsible_text="Директор\x0cЗавуч\x1f"
    )
    _write_around_the_fields(
        Roadmap, roadmap.pk, title="План\x0bна 2020 год\x02", approval_name="Иванов\x0bИ. И."
    )
    _write_around_the_fields(PlanConcurrence, concurrence.pk, name="Петров\x0b\x03П. П.")
    measure.refresh_from_db()
    assert measure.title == WORD_TEXT
    return roadmap


def test_xlsx_export_survives_word_characters(client, world, dirty_plan):
    client.force_login(world.user("municipal_coordinator"))
    response = client.get(reverse("roadmap_export", kwargs={"pk": dirty_plan.pk, "fmt": "xlsx"}))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert "Первая строка\nвторая строка" in values
    assert "Директор\nЗавуч" in values
    assert "План\nна 2020 год" in values
    assert not any(ch in str(v) for v in values for ch in "\x00\x01\x02\x03\x0b\x0c\x1f")


def test_docx_export_survives_word_characters(client, world, dirty_plan):
    import docx

    client.force_login(world.user("municipal_coordinator"))
    response = client.get(reverse("roadmap_export", kwargs={"pk": dirty_plan.pk, "fmt": "docx"}))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    cells = [
        [paragraph.text for paragraph in cell.paragraphs]
        for row in document.tables[0].rows
        for cell in row.cells
    ]
    # Word's manual line break reads as a line break: two paragraphs in the cell.
    assert ["Первая строка", "вторая строка"] in cells
    assert ["Директор", "Завуч"] in cells
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert "Иванов" in paragraphs
    assert "Петров" in paragraphs


def test_directory_export_survives_word_characters(client, world):
    from schools.models import Organisation

    _write_around_the_fields(
        Organisation, world.school.pk, short_name="МБОУ\x0bСОШ № 3\x01", address="=1+1\x02"
    )
    client.force_login(world.user("municipal_coordinator"))
    response = client.get(
        reverse("directory_export", kwargs={"resource": "schools", "fmt": "xlsx"})
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert "МБОУ\nСОШ № 3" in values
    assert "'=1+1" in values  # cleaned, then still escaped as a formula


# --- «ПРОЕКТ» and the period (issue 9) -----------------------------------------------------


def _docx_header(data: bytes) -> list[tuple[str, bool, bool, str | None]]:
    """(text, bold, italic, colour) of the paragraphs above the plan table."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = []
    for paragraph in document.paragraphs:
        if not paragraph.text:
            continue
        run = paragraph.runs[0]
        colour = run.font.color.rgb if run.font.color and run.font.color.type else None
        lines.append((paragraph.text, bool(run.bold), bool(run.italic), colour and str(colour)))
    return lines


def _xlsx_header(data: bytes) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) of the single-cell rows above the plan table."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    lines = []
    for row in sheet.iter_rows():
        filled = [cell for cell in row if cell.value]
        if len(filled) > 1:
            break
        if filled:
            cell = filled[0]
            lines.append((cell.value, bool(cell.font.bold), bool(cell.font.italic)))
    return lines


def test_draft_docx_says_project_and_mutes_the_documents_stamp(world):
    _, roadmap = imported(world, "novokubansky-cro-2019-2022")
    assert roadmap.status == RoadmapStatus.DRAFT
    lines = _docx_header(exports.roadmap_docx(roadmap))
    texts = [line[0] for line in lines]
    assert texts[:4] == [
        "ПРОЕКТ",
        "Гриф утверждения в документе:",
        "УТВЕРЖДЕНО",
        "Директор МБУ «ЦРО»",
    ]
    assert lines[0][1] is True  # «ПРОЕКТ» in bold
    stamp = lines[1 : texts.index("« 12 » _____ 2019 г.") + 1]
    assert all(italic and colour == exports.MUTED_RGB for _, _, italic, colour in stamp)
    assert "Период: 01.01.2019 – 31.12.2022 (на 2019-2022 годы)" in texts


def test_draft_xlsx_says_project_and_mutes_the_documents_stamp(world):
    _, roadmap = imported(world, "ponomarevsky-order-2020")
    lines = _xlsx_header(exports.roadmap_xlsx(roadmap))
    assert lines[:3] == [
        ("ПРОЕКТ", True, False),
        ("Гриф утверждения в документе:", False, True),
        ("УТВЕРЖДЕНО", False, True),
    ]
    assert ("приказ от 10.09.2020 № 01-10/142-2", False, True) in lines
    # No period words in this plan: the dates alone.
    assert ("Период: 01.01.2020 – 31.12.2021", False, False) in lines


@pytest.mark.parametrize(
    "status", [RoadmapStatus.APPROVED, RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED]
)
def test_approved_exports_show_the_stamp_as_the_approval(world, status):
    from roadmaps.models import Roadmap

    _, roadmap = imported(world, "novokubansky-cro-2019-2022")
    Roadmap.objects.filter(pk=roadmap.pk).update(status=status)
    roadmap.refresh_from_db()
    docx_lines = _docx_header(exports.roadmap_docx(roadmap))
    assert [line[0] for line in docx_lines[:2]] == ["УТВЕРЖДЕНО", "Директор МБУ «ЦРО»"]
    assert not any(line[2] for line in docx_lines[:6])  # nothing muted
    xlsx_lines = [line[0] for line in _xlsx_header(exports.roadmap_xlsx(roadmap))]
    assert xlsx_lines[0] == "УТВЕРЖДЕНО"
    for texts in ([line[0] for line in docx_lines], xlsx_lines):
        assert "ПРОЕКТ" not in texts
        assert "Гриф утверждения в документе:" not in texts
        assert "Период: 01.01.2019 – 31.12.2022 (на 2019-2022 годы)" in texts


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_round_trip_of_an_approved_plan(world, name, fmt):
    from roadmaps.models import Roadmap

    original, roadmap = imported(world, name)
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.APPROVED)
    roadmap.refresh_from_db()
    data = exports.roadmap_docx(roadmap) if fmt == "docx" else exports.roadmap_xlsx(roadmap)
    expected, got = original.to_json(), parse_plan(data, f"export.{fmt}").to_json()
    for key in COMPARED:
        assert got[key] == expected[key], key


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_exported_period_is_read_back_without_guessing(world, fmt):
    """The order annex states no period: the import took it from the years in the plan and
    warned. The export writes it down, so reading the export needs no guess."""
    original, roadmap = imported(world, "ponomarevsky-order-2020")
    assert any("Период не указан" in w.message for w in original.warnings)
    data = exports.roadmap_docx(roadmap) if fmt == "docx" else exports.roadmap_xlsx(roadmap)
    again = parse_plan(data, f"export.{fmt}")
    assert again.period == (roadmap.period_start, roadmap.period_end)
    assert not any("Период не указан" in w.message for w in again.warnings)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_period_corrected_by_hand_is_in_the_export(world, fmt):
    """The dates a person set win over the title's words when the header is read back."""
    import datetime

    from roadmaps.importing.header import parse_header
    from roadmaps.importing.readers import read_document
    from roadmaps.models import Roadmap

    _, roadmap = imported(world, "novokubansky-cro-2019-2022")
    Roadmap.objects.filter(pk=roadmap.pk).update(period_start=datetime.date(2019, 9, 1))
    roadmap.refresh_from_db()
    data = exports.roadmap_docx(roadmap) if fmt == "docx" else exports.roadmap_xlsx(roadmap)
    header = parse_header(read_document(data, f"export.{fmt}").before)
    assert header.period == (datetime.date(2019, 9, 1), datetime.date(2022, 12, 31))
    assert header.period_text == "на 2019-2022 годы"
    assert header.approval.name == "С.В. Давыденко"
