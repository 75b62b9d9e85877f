"""«Список сетевого партнерства» in and out: the .xlsx export, the import of an existing
list from .docx (the Пономаревский appendix shape) or .xlsx — names matched within the
person's reach, a preview, then all or nothing, a Russian message per line."""

from __future__ import annotations

import datetime
import io

import pytest

from demo.partnerships import ponomarevka_docx
from partnerships import resources, selectors, services
from partnerships.constants import AgreementKind, AgreementStatus, PartyRole
from partnerships.models import Agreement
from schools.access import SYSTEM
from tests.factories import SchoolFactory
from tests.partnerships.conftest import centres, record, three_party

OPTIONS = resources.ImportOptions(valid_from=datetime.date(2025, 9, 1))


def xlsx(rows, header=resources.HEADERS[1:4]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Приложение 4"])
    sheet.append(["№ п/п", *header])
    for number, row in enumerate(rows, 1):
        sheet.append([number, *row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def preview(world, content, name="список.xlsx", options=OPTIONS, persona="municipal_coordinator"):
    user = world.user(persona)
    rows = resources.read_list(content, name)
    return resources.preview(rows, selectors.party_candidates(user), options)


def test_a_list_becomes_agreements_with_kinds_and_roles_from_who_the_parties_are(world):
    leader_centre = "МБОУ СОШ № 5; МБУ «ЦРО»"
    result = preview(
        world,
        xlsx(
            [
                ("МБОУ СОШ № 3", leader_centre, "методическая"),
                ("МБОУ СОШ № 3", "МБУ «ЦРО»", "консультационная"),
            ]
        ),
    )
    assert not result.has_errors
    first, second = result.items
    assert first.data.kind == AgreementKind.THREE_PARTY
    assert [(p.organisation, p.role) for p in first.data.parties] == [
        (world.centre, PartyRole.CURATOR_CENTRE),
        (world.second_school, PartyRole.LEADER_SCHOOL),
        (world.school, PartyRole.SUPPORTED),
    ]
    assert second.data.kind == AgreementKind.CENTRE_SCHOOL
    created = services.agreements_import(
        acting_user=world.user("municipal_coordinator"), items=result.items
    )
    assert len(created) == 2
    assert {a.status for a in created} == {AgreementStatus.DRAFT}
    assert created[0].support_form == "методическая"


def test_the_ponomarevka_appendix_imports_from_word(world):
    """The shape of appendix 4 of the Пономаревский order, written in Word."""
    coordinator = world.user("municipal_coordinator")
    for name in ("Ефимовская", "Пономаревская"):
        SchoolFactory(municipality=world.municipality, short_name=f"МБОУ «{name} СОШ»")
    content = ponomarevka_docx(
        [
            (
                "МБОУ «Ефимовская СОШ»",
                ("МБОУ «Пономаревская СОШ»", "МБУ «ЦРО»"),
                "консультационная",
            ),
        ]
    )
    options = resources.ImportOptions(
        valid_from=datetime.date(2025, 9, 1), signed=True, signed_on=datetime.date(2025, 9, 10)
    )
    result = preview(world, content, "Приложение 4.docx", options)
    assert [row.errors for row in result.rows] == [[]]
    (agreement,) = services.agreements_import(acting_user=coordinator, items=result.items)
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_on == datetime.date(2025, 9, 10)
    assert agreement.kind == AgreementKind.THREE_PARTY


def test_names_are_matched_as_people_write_them(world):
    result = preview(
        world,
        xlsx(
            [
                ("мбоу сош №3", '"МБУ "ЦРО""', ""),
                (world.school.full_name.upper(), "МБОУ СОШ № 5", ""),
            ]
        ),
    )
    assert not result.has_errors
    assert {item.data.parties[-1].organisation for item in result.items} == {world.school}


def test_every_bad_line_is_named_and_nothing_is_written(world):
    SchoolFactory(municipality=world.municipality, short_name="МБОУ СОШ № 30 (филиал)")
    SchoolFactory(municipality=world.municipality, short_name="МБОУ СОШ № 30 (основная)")
    content = xlsx(
        [
            ("МБОУ СОШ № 3", "МБУ «ЦРО»", ""),  # fine
            ("МБОУ Пономаревская СОШ", "МБУ «ЦРО»", ""),  # another region
            ("МБОУ СОШ № 3", "", ""),  # no partner
            ("МБОУ СОШ № 30", "МБУ «ЦРО»", ""),  # two schools fit
            ("МБОУ СОШ № 3", "МБУ «ЦРО»", ""),  # the first line again
        ]
    )
    result = preview(world, content)
    errors = {row.line: row.errors for row in result.rows}
    assert errors[3] == []
    assert "не найдена среди организаций" in errors[4][0]
    assert errors[5] == ["Не указана организация-партнёр."]
    assert "подходит несколько организаций" in errors[6][0]
    assert errors[7] == ["Повторяет строку 3."]
    assert not Agreement.objects.exists()


def test_a_number_taken_in_the_registrar_is_a_line_error_and_the_whole_list_is_refused(world):
    record(world, three_party(world, number="7"))
    content_rows = [
        ("МБОУ СОШ № 3", "МБУ «ЦРО»", ""),
    ]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(resources.HEADERS))
    sheet.append([1, *content_rows[0], "№ 7 от 01.09.2025", ""])
    sheet.append([2, "МБОУ СОШ № 5", "МБУ «ЦРО»", "", "№ 8 от 01.09.2025", ""])
    out = io.BytesIO()
    book.save(out)
    result = preview(world, out.getvalue())
    assert not result.has_errors
    with pytest.raises(services.ImportRefused) as refused:
        services.agreements_import(
            acting_user=world.user("municipal_coordinator"), items=result.items
        )
    assert "уже есть среди соглашений «МБУ «ЦРО»»" in refused.value.rows[2][0]
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"just text", "список.txt", "в формате .xlsx или .docx"),
        (b"PK\x03\x04 broken", "список.xlsx", "повреждён"),
        (
            xlsx([("a", "b", "c")], header=("Школа", "Адрес", "Телефон")),
            "список.xlsx",
            "Не найдена строка заголовка",
        ),
    ],
)
def test_a_file_that_is_not_a_list_is_refused_in_russian(content, name, expected):
    with pytest.raises(resources.ListFileError) as error:
        resources.read_list(content, name)
    assert expected in str(error.value)


def test_the_exported_list_imports_back_to_the_same_parties(world):
    record(world, three_party(world), signed_on=datetime.date(2025, 9, 2))
    record(world, centres(world), acting_user=SYSTEM, signed_on=datetime.date(2025, 9, 2))
    coordinator = world.user("municipal_coordinator")
    network = selectors.network(coordinator, municipality=world.municipality)
    content = resources.list_xlsx(network.title, network.rows)
    rows = resources.read_list(content, "список.xlsx")
    assert [(r.supported, r.partners, r.number) for r in rows] == [
        (row.supported.name, [p.name for p in row.partners], row.agreement.number)
        for row in network.rows
    ]
    assert rows[0].signed_on == datetime.date(2025, 9, 2)


def test_cells_that_look_like_formulas_are_written_as_text(world):
    from openpyxl import load_workbook

    record(
        world,
        three_party(world, support_form='=HYPERLINK("http://evil")'),
        signed_on=datetime.date(2025, 9, 2),
    )
    network = selectors.network(
        world.user("municipal_coordinator"), municipality=world.municipality
    )
    sheet = load_workbook(io.BytesIO(resources.list_xlsx("Список", network.rows))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert '\'=HYPERLINK("http://evil")' in values
