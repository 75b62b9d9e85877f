"""The partnership pages as people use them: recording an agreement with its parties and
scan in one form, its page, the scan streamed after the access check, the network page
(table and drawing), the .xlsx list, the PDF of the list, the import of a list, the plan
page's column; query budgets at two sizes."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import JobState
from execution.models import ExecutionRecord, MarkState
from partnerships.constants import AgreementStatus
from partnerships.models import Agreement, NetworkExport
from schools.access import SYSTEM
from tests.partnerships.conftest import PDF, centres, record, three_party
from tests.partnerships.test_services import sign_plan

SIGNED = datetime.date(2025, 9, 2)


def form_data(world, **extra):
    data = {
        "number": "21",
        "kind": "three_party",
        "subject": "Сетевое взаимодействие школ",
        "support_form": "методическая",
        "valid_from": "2025-09-01",
        "valid_to": "",
        "signed_on": "",
        "party-TOTAL_FORMS": "4",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "30",
        "party-0-organisation": str(world.centre.pk),
        "party-0-role": "curator_centre",
        "party-0-signatory_name": "Давыденко С. В.",
        "party-1-organisation": str(world.second_school.pk),
        "party-1-role": "leader_school",
        "party-2-organisation": str(world.school.pk),
        "party-2-role": "supported",
        "party-3-organisation": "",
        "party-3-role": "",
    }
    data.update(extra)
    return data


def test_the_coordinator_records_a_signed_agreement_with_its_scan_in_one_form(world, client):
    plan, measure = sign_plan(world)
    client.force_login(world.user("municipal_coordinator"))
    page = client.get(f"/partnerships/new/?measure={measure.pk}")
    assert page.status_code == 200
    assert f'value="{measure.pk}"' in page.content.decode()
    data = form_data(
        world,
        signed_on="2025-09-02",
        measures=[measure.pk],
        scan=SimpleUploadedFile("Соглашение № 21.pdf", PDF, "application/pdf"),
    )
    response = client.post("/partnerships/new/", data)
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response.url == f"/partnerships/{agreement.pk}/"
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.scan_name == "Соглашение № 21.pdf"
    page = client.get(response.url).content.decode()
    assert "внесено как действующее" in page
    assert "Соглашение № 21.pdf" in page
    assert ExecutionRecord.objects.get(measure=measure, organisation=world.school).state == "done"


def test_a_refused_form_keeps_what_was_typed_and_says_why(world, client):
    client.force_login(world.user("municipal_coordinator"))
    data = form_data(
        world, valid_to="2025-08-01", **{"party-2-organisation": "", "party-2-role": ""}
    )
    response = client.post("/partnerships/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Срок действия заканчивается раньше, чем начинается." in page
    assert "Сетевое взаимодействие школ" in page
    assert not Agreement.objects.exists()


def test_a_forged_party_id_is_a_form_error(world, client):
    client.force_login(world.user("municipal_coordinator"))
    data = form_data(world, **{"party-2-organisation": str(world.other_school.pk)})
    response = client.post("/partnerships/new/", data)
    assert response.status_code == 200
    assert (
        "Выберите корректный вариант" in response.content.decode()
        or "Выберите вариант" in response.content.decode()
    )
    assert not Agreement.objects.exists()


def test_the_party_service_error_goes_above_the_parties(world, client):
    client.force_login(world.user("municipal_coordinator"))
    data = form_data(world, kind="school_school")
    response = client.post("/partnerships/new/", data)
    assert "нет роли «Курирующий центр»" in response.content.decode()


def test_the_deputy_of_the_supported_school_sees_the_agreement_and_its_scan(world, client):
    agreement = record(
        world,
        three_party(world),
        signed_on=SIGNED,
        scan=SimpleUploadedFile("скан.pdf", PDF, "application/pdf"),
    )
    client.force_login(world.user("school_deputy"))
    page = client.get(f"/partnerships/{agreement.pk}/").content.decode()
    assert "Соглашение № 12 от 02.09.2025" in page
    assert "Изменить" not in page
    assert "Расторгнуть" not in page
    scan = client.get(f"/partnerships/{agreement.pk}/scan/file/")
    assert scan.status_code == 200
    assert b"".join(scan.streaming_content) == PDF
    assert scan["Content-Type"] == "application/pdf"
    assert scan["X-Content-Type-Options"] == "nosniff"
    assert scan["Content-Disposition"].startswith("inline;")
    assert "sandbox" in scan["Content-Security-Policy"]


def test_signing_a_draft_on_its_page(world, client):
    agreement = record(world, three_party(world))
    client.force_login(world.user("municipal_coordinator"))
    response = client.post(
        f"/partnerships/{agreement.pk}/sign/",
        {
            "signed_on": "2025-09-03",
            "version": agreement.version,
            "scan": SimpleUploadedFile("s.pdf", PDF),
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (
        AgreementStatus.SIGNED,
        datetime.date(2025, 9, 3),
    )


def test_a_bad_scan_on_the_page_says_why_and_changes_nothing(world, client):
    agreement = record(world, three_party(world))
    client.force_login(world.user("municipal_coordinator"))
    response = client.post(
        f"/partnerships/{agreement.pk}/sign/",
        {"signed_on": "2025-09-03", "scan": SimpleUploadedFile("s.pdf", b"not a pdf")},
    )
    assert response.status_code == 200
    assert "по содержимому" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_the_network_page_shows_the_same_parties_in_the_drawing_and_the_list(world, client):
    record(world, three_party(world), signed_on=SIGNED)
    record(world, centres(world), acting_user=SYSTEM, signed_on=SIGNED)
    from partnerships.constants import AgreementKind, PartyRole
    from partnerships.services import PartyInput
    from tests.factories import SchoolFactory

    third = SchoolFactory(municipality=world.municipality, short_name="МБОУ ООШ № 30")
    draft = three_party(
        world,
        number="99",
        kind=AgreementKind.CENTRE_SCHOOL,
        parties=[
            PartyInput(world.centre, PartyRole.CURATOR_CENTRE),
            PartyInput(third, PartyRole.SUPPORTED),
        ],
    )
    record(world, draft)  # a draft: only with «все»
    client.force_login(world.user("municipal_coordinator"))
    page = client.get(
        f"/partnerships/network/municipality/{world.municipality.pk}/"
    ).content.decode()
    start = page.index('class="network-graph"')
    drawing = page[start : page.index("</svg>", start)]
    table = page[page.index('class="table table-sm align-middle network-list') :]
    for name in ("МБУ «ЦРО»", "МБОУ СОШ № 5", "МБОУ СОШ № 3", "МКУ «ЦРО и ОК»"):
        assert name in drawing
        assert name in table
    assert "Действующие (2)" in page
    assert "№ 99" not in page
    everything = client.get(
        f"/partnerships/network/municipality/{world.municipality.pk}/?all=1"
    ).content.decode()
    assert "№ 99" in everything
    assert 'stroke-dasharray="6 4"' in everything


def test_the_exported_list_has_the_rows_of_the_page(world, client):
    from openpyxl import load_workbook

    record(world, three_party(world), signed_on=SIGNED)
    client.force_login(world.user("municipal_coordinator"))
    response = client.get(f"/partnerships/network/municipality/{world.municipality.pk}/list.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert rows == [
        [
            1,
            "МБОУ СОШ № 3",
            "МБУ «ЦРО»; МБОУ СОШ № 5",
            "методическая, тьюторская",
            "№ 12 от 02.09.2025",
            "01.09.2025 – 31.08.2027",
        ]
    ]


def test_the_pdf_of_the_list_is_built_as_its_requester_sees_it(
    world, client, django_capture_on_commit_callbacks
):
    from partnerships.documents import network_pdf_build

    record(world, three_party(world), signed_on=SIGNED)
    client.force_login(world.user("municipal_coordinator"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/partnerships/network/municipality/{world.municipality.pk}/pdf/")
    job = NetworkExport.objects.get()
    assert response.url == f"/partnerships/exports/{job.pk}/"
    assert len(callbacks) == 1  # the task is sent after commit
    assert "PDF готовится" in client.get(response.url).content.decode()
    fields = network_pdf_build(job)
    NetworkExport.objects.filter(pk=job.pk).update(state=JobState.DONE, **fields)
    assert fields["pages"] >= 2  # the list, then the drawing
    pdf = client.get(f"/partnerships/exports/{job.pk}/file/")
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF-")
    data = attachment(content, "network.json")
    assert [row["supported"] for row in data["rows"]] == [world.school.full_name]


def attachment(content: bytes, name: str) -> dict:
    """The JSON attached to a PDF under ``name`` (PDF/A-3 associated file)."""
    import json

    from pyhanko.pdf_utils.reader import PdfFileReader

    names = PdfFileReader(io.BytesIO(content), strict=False).root["/Names"]["/EmbeddedFiles"][
        "/Names"
    ]
    for index in range(0, len(names), 2):
        if str(names[index]) == name:
            stream = names[index + 1].get_object()["/EF"]["/F"].get_object()
            return json.loads(stream.data.decode())
    raise AssertionError(f"{name} is not attached")


def test_the_import_previews_then_writes_all(world, client):
    from tests.partnerships.test_resources import xlsx

    client.force_login(world.user("municipal_coordinator"))
    upload = SimpleUploadedFile(
        "список.xlsx", xlsx([("МБОУ СОШ № 3", "МБУ «ЦРО»", "методическая")])
    )
    page = client.post("/partnerships/import/", {"file": upload, "valid_from": "2025-09-01"})
    body = page.content.decode()
    assert "Проверка пройдена: будет внесено соглашений — 1" in body
    assert not Agreement.objects.exists()
    token = body.split('name="token" value="')[1].split('"')[0]
    done = client.post("/partnerships/import/", {"token": token})
    assert done.status_code == 302
    assert Agreement.objects.get().parties.count() == 2
    # The confirmation is used once.
    again = client.post("/partnerships/import/", {"token": token})
    assert again.status_code == 302
    assert Agreement.objects.count() == 1


def test_the_plan_page_shows_the_agreements_of_its_signing_measure(world, client):
    plan, measure = sign_plan(world)
    record(world, three_party(world, measures=[measure]), signed_on=SIGNED)
    client.force_login(world.user("municipal_coordinator"))
    page = client.get(f"/roadmaps/{plan.pk}/").content.decode()
    assert "Соглашения" in page
    assert f"/partnerships/?measure={measure.pk}" in page
    assert "Соглашений: 1" in page
    assert f"/partnerships/network/plan/{plan.pk}/" in page


@pytest.mark.parametrize("persona", ["municipal_coordinator", "school_deputy"])
def test_the_list_and_the_network_take_the_same_queries_at_two_sizes(world, client, persona):
    client.force_login(world.user(persona))
    urls = ["/partnerships/", f"/partnerships/network/municipality/{world.municipality.pk}/"]

    def count():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured.captured_queries))
        return found

    record(world, three_party(world), signed_on=SIGNED)
    count()  # the person's facts are cached after the first request
    small = count()
    for number in range(8):
        record(world, three_party(world, number=f"N{number}"), signed_on=SIGNED)
    assert count() == small


def test_school_marks_from_an_agreement_show_as_done_in_my_measures(world, client):
    plan, measure = sign_plan(world)
    record(world, three_party(world, measures=[measure]), signed_on=SIGNED)
    client.force_login(world.user("school_deputy"))
    page = client.get("/my/?tab=done").content.decode()
    assert "Заключение договоров о сетевом взаимодействии" in page
    assert (
        ExecutionRecord.objects.get(measure=measure, organisation=world.school).state
        == MarkState.DONE
    )
