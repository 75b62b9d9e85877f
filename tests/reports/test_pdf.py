"""The official PDF of a plan, its signature and its verification (small plans; the large
ones are measured by ``manage.py bench pdf``)."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import PermissionDenied, ValidationError

from core.jobs import run_job
from core.models import JobState
from reports import selectors, services
from reports.constants import ReportKind
from reports.fetcher import RefusedURL, SafeFetcher, static_url
from reports.models import Report, SigningCertificate
from reports.rendering import render_pdf
from roadmaps.constants import RoadmapStatus
from schools.access import SYSTEM
from tests.roadmaps.factories import MeasureFactory, RoadmapFactory, SectionFactory

pytestmark = pytest.mark.django_db

POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")


def _require_poppler() -> None:
    """The text checks need poppler: without it the test is skipped (which fails CI, where
    .ci/run installs it), never passed without them."""
    if not POPPLER:
        pytest.skip("poppler-utils (pdftotext, pdffonts) не установлены")


def _text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def _plan(world, measures=3, **fields):
    plan = RoadmapFactory(
        owner=world.authority, title="Дорожная карта Новокубанского района", **fields
    )
    section = SectionFactory(
        roadmap=plan, number="1.", title="Организационные мероприятия", order=1
    )
    for n in range(measures):
        MeasureFactory(
            roadmap=plan,
            section=section,
            number=f"1.{n + 1}.",
            title=f"Мероприятие номер {n + 1} с текстом о семинаре для школ",
            deadline_text="Сентябрь 2026",
            order=n + 1,
        )
    return plan


def _build(report: Report) -> Report:
    if report.state == JobState.QUEUED:
        run_job(Report, report.pk, services.report_build)
    report.refresh_from_db()
    return report


def _pdf(report: Report) -> bytes:
    return services.report_file(report)


# --- The fetcher ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        static_url("fonts/../../manage.py"),
        static_url("fonts/LICENSE-Liberation.txt"),
        "data:text/html,<script>1</script>",
    ],
)
def test_the_fetcher_refuses_anything_but_bundled_assets(url):
    with pytest.raises(RefusedURL):
        SafeFetcher().fetch(url)


def test_the_fetcher_serves_the_bundled_fonts():
    response = SafeFetcher().fetch(static_url("fonts/LiberationSerif-Regular.ttf"))
    assert response.read(4) == b"\x00\x01\x00\x00"


def test_a_logo_or_attachment_pointing_at_the_metadata_service_or_a_file_is_refused():
    html = (
        '<img src="http://169.254.169.254/latest/meta-data/iam/">'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<img src="file:///etc/passwd"><p>Текст</p>'
    )
    rendered = render_pdf(html)
    assert "http://169.254.169.254/latest/meta-data/iam/" in rendered.refused
    assert "file:///etc/passwd" in rendered.refused
    assert b"root:" not in rendered.data


def test_a_measure_text_with_markup_is_printed_as_text_and_fetches_nothing(world):
    plan = _plan(world, measures=0)
    MeasureFactory(
        roadmap=plan,
        number="2.1.",
        title='<img src="http://169.254.169.254/latest/meta-data/"> и file:///etc/passwd',
        order=5,
    )
    report = _build(
        services.report_request(
            acting_user=SYSTEM, kind=ReportKind.ROADMAP, roadmap=plan, enqueue_job=False
        )
    )
    data = _pdf(report)
    assert b"root:" not in data
    _require_poppler()
    squeezed = "".join(_text(data).split())
    assert '<imgsrc="http://169.254.169.254/latest/meta-data/">' in squeezed


# --- The layout ---------------------------------------------------------------------------------


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) не установлены")
def test_the_plan_is_a4_landscape_with_every_measure_in_order_and_the_header_on_every_page(world):
    plan = _plan(world, measures=40)
    report = _build(
        services.report_request(
            acting_user=SYSTEM, kind=ReportKind.ROADMAP, roadmap=plan, enqueue_job=False
        )
    )
    data = _pdf(report)
    assert report.pages >= 2
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    box = [float(v) for v in reader.root["/Pages"]["/Kids"][0]["/MediaBox"]]
    assert (round(box[2]), round(box[3])) == (842, 595)
    pages = _text(data).split("\f")
    for number, page in enumerate(pages[: report.pages], 1):
        assert "Мероприятие" in page, f"header row missing on page {number}"
        assert "Сроки" in page, f"header row missing on page {number}"
        assert f"Стр. {number} из {report.pages}" in page
    flat = " ".join(_text(data).split())
    positions = [flat.index(f"Мероприятие номер {n} с") for n in range(1, 41)]
    assert positions == sorted(positions)
    # A draft: «ПРОЕКТ» in the header, the watermark is a picture (never in the text).
    assert flat.count("ПРОЕКТ") == 1
    fonts = subprocess.run(
        ["pdffonts", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows
    assert all(" yes yes yes " in f" {line} " or "yes yes yes" in line for line in rows)
    assert all("Liberation" in line for line in rows)


def test_the_pdf_is_pdf_a_3_with_the_plan_data_attached(world):
    plan = _plan(world)
    report = _build(
        services.report_request(
            acting_user=SYSTEM, kind=ReportKind.ROADMAP, roadmap=plan, enqueue_job=False
        )
    )
    data = _pdf(report)
    from pyhanko.pdf_utils.reader import PdfFileReader

    metadata = PdfFileReader(io.BytesIO(data)).root["/Metadata"].get_object().data
    assert b"pdfaid:part" in metadata
    assert b"3" in metadata
    attached = selectors.attached_data(data)
    assert attached["roadmap"]["id"] == plan.pk
    assert [row["number"] for row in attached["rows"] if row["kind"] == "measure"] == [
        "1.1.",
        "1.2.",
        "1.3.",
    ]


def test_an_identical_request_reuses_the_finished_file(world, django_capture_on_commit_callbacks):
    plan = _plan(world)
    user = world.user("municipal_coordinator")
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.report_request(acting_user=user, kind=ReportKind.ROADMAP, roadmap=plan)
    assert len(callbacks) == 1  # the job is sent after the commit
    _build(first)
    second = services.report_request(
        acting_user=world.user("regional_coordinator"), kind=ReportKind.ROADMAP, roadmap=plan
    )
    assert second.state == JobState.DONE
    assert second.reused_from_id == first.pk
    assert second.file_path == first.file_path
    MeasureFactory(roadmap=plan, number="9.", title="Новое мероприятие", order=99)
    third = services.report_request(acting_user=user, kind=ReportKind.ROADMAP, roadmap=plan)
    assert third.state == JobState.QUEUED


# --- Signatures ------------------------------------------------------------------------------


def _certificate(world, organisation=None, **kwargs) -> SigningCertificate:
    from demo.signing import _root, issue_pkcs12

    ca_key, ca_certificate = _root()
    data, position, name = issue_pkcs12(
        organisation or world.authority, ca_key, ca_certificate, b"secret-pass"
    )
    return services.certificate_upload(
        acting_user=SYSTEM,
        organisation=organisation or world.authority,
        data=data,
        password="secret-pass",
        position="Начальник управления образования",
        signer_name="Иванова Мария Петровна",
    )


@pytest.fixture
def approved_plan(world):
    plan = _plan(
        world,
        status=RoadmapStatus.APPROVED,
        approval_position="Начальник управления",
        approval_name="М.П. Иванова",
        approval_date=datetime.date(2026, 9, 1),
        approval_order="приказ от 01.09.2026 № 12",
    )
    _certificate(world)
    return plan


def test_an_approved_plan_is_signed_and_verified(world, approved_plan):
    report = _build(
        services.report_request(
            acting_user=world.user("head"),
            kind=ReportKind.ROADMAP,
            roadmap=approved_plan,
            signed=True,
            enqueue_job=False,
        )
    )
    assert report.state == JobState.DONE, report.error
    data = _pdf(report)
    result = selectors.verify_pdf(data)
    assert result.verdict == "valid"
    assert (result.valid, result.intact, result.trusted, result.current) == (True, True, True, True)
    assert result.roadmap == approved_plan
    assert result.revision == 1
    # The QR code's page says the same.
    assert selectors.verify_token(report.token).verdict == "valid"
    # Whoever sees the plan then gets that signed file without the verb.
    again = services.report_request(
        acting_user=world.user("methodologist"),
        kind=ReportKind.ROADMAP,
        roadmap=approved_plan,
        signed=True,
    )
    assert again.reused_from_id == report.pk
    # The visible stamp names the signature and the certificate.
    _require_poppler()
    text = " ".join(_text(data).split())
    assert "Документ подписан электронной подписью" in text
    assert report.certificate.serial in text


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="pdfsig не установлен")
def test_pdfsig_accepts_the_signature_and_rejects_a_changed_byte(world, approved_plan, tmp_path):
    report = _build(
        services.report_request(
            acting_user=SYSTEM,
            kind=ReportKind.ROADMAP,
            roadmap=approved_plan,
            signed=True,
            enqueue_job=False,
        )
    )
    data = bytearray(_pdf(report))
    good = tmp_path / "good.pdf"
    good.write_bytes(data)
    out = subprocess.run(["pdfsig", str(good)], capture_output=True).stdout.decode()
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    position = bytes(data).index(b"/Type /Page") + 2
    data[position] = data[position] ^ 0x01
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(data))
    out = subprocess.run(["pdfsig", str(bad)], capture_output=True).stdout.decode()
    assert "Signature is Valid" not in out
    assert selectors.verify_pdf(bytes(data)).verdict == "tampered"


def test_a_file_signed_by_someone_else_and_a_foreign_file_are_reported(world, approved_plan):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    report = _build(
        services.report_request(
            acting_user=SYSTEM, kind=ReportKind.ROADMAP, roadmap=approved_plan, enqueue_job=False
        )
    )
    unsigned = _pdf(report)
    assert selectors.verify_pdf(unsigned).verdict == "unsigned_ours"
    assert selectors.verify_pdf(render_pdf("<p>Чужой документ</p>").data).verdict == "unsigned"
    assert selectors.verify_pdf(b"%PDF-1.7 broken").verdict in {"not_pdf", "unsigned"}
    # A self-made certificate: valid mathematics, not trusted.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Someone Else")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"x", key, certificate, None, serialization.BestAvailableEncryption(b"pw")
    )
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=b"pw")
    signed = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(unsigned)),
        signers.PdfSignatureMetadata(field_name="Other"),
        signer=signer,
    ).getvalue()
    result = selectors.verify_pdf(signed)
    assert result.verdict == "untrusted"
    assert result.valid
    assert result.intact
    assert not result.trusted


def test_signing_a_draft_or_without_the_verb_is_refused_and_changes_nothing(world, approved_plan):
    draft = _plan(world)
    with pytest.raises(ValidationError, match="только утверждённую"):
        services.report_request(
            acting_user=world.user("head"), kind=ReportKind.ROADMAP, roadmap=draft, signed=True
        )
    with pytest.raises(PermissionDenied, match="руководитель"):
        services.report_request(
            acting_user=world.user("school_deputy"),
            kind=ReportKind.ROADMAP,
            roadmap=approved_plan,
            signed=True,
        )
    assert not Report.objects.exists()


def test_render_pdf_refuses_to_sign_a_draft(world, tmp_path):
    from django.core.management import CommandError, call_command

    draft = _plan(world)
    with pytest.raises(CommandError, match="только утверждённую"):
        call_command("render_pdf", roadmap=draft.pk, out=str(tmp_path / "x.pdf"), sign=True)


def test_verify_pdf_exits_0_only_for_a_good_signature(world, approved_plan, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "plan.pdf"
    call_command("render_pdf", roadmap=approved_plan.pk, out=str(path), sign=True)
    capsys.readouterr()
    call_command("verify_pdf", str(path))
    import json

    printed = json.loads(capsys.readouterr().out)
    assert printed | {"signer": None} == {
        "valid": True,
        "intact": True,
        "trusted": True,
        "signer": None,
        "roadmap": approved_plan.pk,
        "revision": 1,
        "current": True,
        "verdict": "valid",
        "message": printed["message"],
    }
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(SystemExit) as exit_code:
        call_command("verify_pdf", str(path))
    assert exit_code.value.code == 1


# --- Cleanup ---------------------------------------------------------------------------------


def test_cleanup_deletes_old_unsigned_reports_and_their_unused_files(world, approved_plan):
    from django.conf import settings
    from django.utils import timezone

    user = world.user("municipal_coordinator")
    first = _build(
        services.report_request(acting_user=user, kind=ReportKind.ROADMAP, roadmap=_plan(world))
    )
    reuse = services.report_request(
        acting_user=user, kind=ReportKind.ROADMAP, roadmap=first.roadmap
    )
    assert reuse.file_path == first.file_path
    signed = _build(
        services.report_request(
            acting_user=world.user("head"),
            kind=ReportKind.ROADMAP,
            roadmap=approved_plan,
            signed=True,
            enqueue_job=False,
        )
    )
    assert signed.signed
    assert signed.file_path
    storage = services._storage()
    old = timezone.now() - settings.REPORT_RETENTION - datetime.timedelta(days=1)
    Report.objects.filter(pk__in=[first.pk, signed.pk]).update(created_at=old)

    # The old row goes; its file stays while the newer request still uses it.
    assert services.reports_cleanup() == {"reports": 1, "files": 0}
    assert not Report.objects.filter(pk=first.pk).exists()
    assert storage.exists(reuse.file_path)

    Report.objects.filter(pk=reuse.pk).update(created_at=old)
    assert services.reports_cleanup() == {"reports": 1, "files": 1}
    assert not storage.exists(reuse.file_path)
    # A signed PDF is kept: its QR code leads to it.
    assert Report.objects.filter(pk=signed.pk).exists()
    assert storage.exists(signed.file_path)
    assert services.reports_cleanup() == {"reports": 0, "files": 0}
