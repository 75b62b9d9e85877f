"""Reads of the report pages, and the verification of a PDF.

Verification is the one read not scoped by a person: whoever holds a document may learn
whether it is genuine (the QR code's key is unguessable, an uploaded file speaks for
itself), and sees the data of that one revision — never anything else of its tenant.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass, field

from django.core.files.storage import storages

from core.models import JobState
from roadmaps import workflow
from roadmaps.models import Roadmap
from schools.access import has_verb, member_organisations
from schools.models import Organisation

from . import documents, services
from .constants import ReportFormat, ReportKind
from .models import Report
from .signing import check_signature

logger = logging.getLogger(__name__)

RECENT = 10
EXECUTION_VIEW = "execution.view_executionrecord"


def _recent(user, **filters) -> list[Report]:
    return list(
        Report.objects.for_user(user)
        .filter(**filters)
        .select_related("certificate")
        .order_by("-created_at")[:RECENT]
    )


def roadmap_reports(user, roadmap: Roadmap) -> dict:
    """What the plan's report page offers this person, and their recent reports of it."""
    signed = services.signed_report(roadmap) if roadmap.status in workflow.APPROVED_STATES else None
    refusal = services.signing_refusal(user, roadmap) if signed is None else None
    executed = roadmap.status in services.EXECUTION_STATES and has_verb(user, EXECUTION_VIEW)
    # A school person reports on their own school; others may pick any organisation.
    own = member_organisations(user, EXECUTION_VIEW)
    return {
        "roadmap": roadmap,
        "approved": roadmap.status in workflow.APPROVED_STATES,
        "signed": signed,
        "may_sign": signed is None and refusal is None,
        "sign_refusal": refusal,
        "executed": executed,
        "own_organisations": own,
        "reports": _recent(user, roadmap=roadmap),
        "formats": ReportFormat.choices,
    }


def organisation_reports(user, organisation) -> dict:
    return {
        "organisation": organisation,
        "may_report": has_verb(user, EXECUTION_VIEW),
        "reports": _recent(user, organisation=organisation, kind=ReportKind.SCHOOL_EXECUTION),
        "formats": ReportFormat.choices,
    }


@dataclass(frozen=True)
class ExecutionOffer:
    """The execution reports a plan's execution page offers the person: the plan's (every
    organisation whose records they see) and, when the page is narrowed to one
    organisation they see, that organisation's."""

    roadmap: Roadmap
    organisation: Organisation | None = None


def may_report_execution(user) -> bool:
    """Whether the person may ask for execution reports at all (the check of the report
    pages, ``roadmap_reports`` and ``organisation_reports``)."""
    return has_verb(user, EXECUTION_VIEW)


def plan_execution_offer(user, roadmap: Roadmap, organisation_id=None) -> ExecutionOffer | None:
    """What the plan's execution page offers (None: nothing — the plan is not in
    execution, or the person may not report). The organisation is offered only when
    ``roadmap_report_create`` would accept it: one the person sees (one query)."""
    if roadmap.status not in services.EXECUTION_STATES or not may_report_execution(user):
        return None
    organisation = None
    if organisation_id is not None:
        organisation = (
            Organisation.objects.for_user(user, "view")
            .filter(pk=organisation_id)
            .only("pk", "short_name")
            .first()
        )
    return ExecutionOffer(roadmap=roadmap, organisation=organisation)


def report_file_handle(report: Report):
    return storages["private"].open(report.file_path, "rb")


# --- Verification ------------------------------------------------------------------------------


@dataclass
class Verification:
    """What the verification page and ``verify_pdf`` say about a PDF."""

    verdict: str  # valid | tampered | untrusted | other_signer | unsigned | not_ours | not_pdf
    message: str
    valid: bool = False
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    serial: str = ""
    signed_at: datetime.datetime | None = None
    report: Report | None = None
    roadmap: Roadmap | None = None
    revision: int | None = None
    current: bool | None = None
    current_revision: Roadmap | None = None
    document: documents.PlanDocument | None = None
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"

    def as_json(self) -> dict:
        return {
            "valid": self.valid,
            "intact": self.intact,
            "trusted": self.trusted,
            "signer": self.signer or None,
            "roadmap": self.roadmap.pk if self.roadmap else None,
            "revision": self.revision,
            "current": self.current,
            "verdict": self.verdict,
            "message": self.message,
        }


MESSAGES = {
    "valid": "Подпись верна: документ подписан, не изменён после подписания, сертификат "
    "подписанта выдан доверенным удостоверяющим центром.",
    "tampered": "Документ изменён после подписания: подпись не соответствует содержимому "
    "файла. Этому экземпляру доверять нельзя.",
    "untrusted": "Документ подписан сертификатом, который выдан не доверенным "
    "удостоверяющим центром: подписал не тот, кто указан в системе.",
    "other_signer": "Документ подписан другим сертификатом, чем тот, которым его подписала "
    "организация в системе.",
    "broken": "Подпись в файле повреждена и не проверяется.",
    "unsigned_ours": "Документ выпущен системой, но не подписан электронной подписью "
    "(экземпляр для ознакомления).",
    "unsigned": "В файле нет электронной подписи, и он не выпущен системой «Дорожные карты».",
    "not_ours": "Документ подписан, но не выпущен системой «Дорожные карты»: сведений о нём нет.",
    "not_pdf": "Файл не читается как PDF-документ.",
}


_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def attached_data(data: bytes) -> dict | None:
    """The plan's data attached to one of our PDFs (``plan.json``), if any."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for index in range(0, len(names), 2):
            if str(names[index]) != documents.DATA_NAME:
                continue
            spec = names[index + 1].get_object()
            stream = spec["/EF"]["/F"].get_object()
            found = json.loads(stream.data.decode())
            return found if isinstance(found, dict) else None
    except Exception:  # not ours, or not a PDF at all: nothing attached
        return None
    return None


def _report_by_token(token) -> Report | None:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return (
        Report.objects.filter(token=token, reused_from__isnull=True, state=JobState.DONE)
        .select_related("roadmap__owner", "certificate")
        .first()
    )


def verify_pdf(data: bytes) -> Verification:
    """Check a PDF: its signature (offline, against the trusted roots), whether it is ours
    (the key in its attached data, or its bytes), and which revision it is of."""
    sha = hashlib.sha256(data).hexdigest()
    attached = attached_data(data)
    report = _report_by_token(attached.get("report") if attached else None)
    if report is None:
        report = (
            Report.objects.filter(sha256=sha, signed=True, reused_from__isnull=True)
            .select_related("roadmap__owner", "certificate")
            .first()
        )
    check = check_signature(data)
    result = Verification(
        verdict="",
        message="",
        valid=check.valid,
        intact=check.intact,
        trusted=check.trusted,
        signer=check.signer,
        serial=check.serial,
        signed_at=check.signed_at,
    )
    if check.problem.startswith("unreadable"):
        result.verdict = "not_pdf"
    elif check.problem:
        result.verdict = "broken"
    elif not check.signed:
        result.verdict = "unsigned_ours" if (report or attached) else "unsigned"
    elif not (check.valid and check.intact):
        result.verdict = "tampered"
    elif not check.trusted:
        result.verdict = "untrusted"
    elif report is None:
        result.verdict = "not_ours"
    elif report.certificate and report.certificate.sha256 != check.signer_certificate_sha256:
        result.verdict = "other_signer"
    else:
        result.verdict = "valid"
    result.message = MESSAGES[result.verdict]
    if report is not None and report.roadmap_id and result.verdict != "not_pdf":
        _describe(result, report)
    return result


def verify_token(token: str) -> Verification | None:
    """The verification of the signed PDF a QR code leads to (its stored file)."""
    report = _report_by_token(token)
    if report is None or not report.signed or not report.file_path:
        return None
    try:
        with report_file_handle(report) as handle:
            data = handle.read()
    except FileNotFoundError:
        logger.warning("Signed report %s has lost its file", report.pk)
        result = Verification(verdict="valid", message="")
        result.message = "Документ выпущен и подписан системой; его файл больше не хранится."
        _describe(result, report)
        return result
    return verify_pdf(data)


def _describe(result: Verification, report: Report) -> None:
    roadmap = report.roadmap
    result.report = report
    result.roadmap = roadmap
    result.revision = report.revision
    next_revision = Roadmap.objects.filter(previous_revision=roadmap).only("status").first()
    result.current = roadmap.status in services.SIGNABLE_STATES and workflow.is_current(
        roadmap, next_revision
    )
    if not result.current:
        root = roadmap.first_revision_id or roadmap.pk
        result.current_revision = (
            Roadmap.objects.filter(first_revision_id=root, status__in=services.SIGNABLE_STATES)
            .order_by("-revision")
            .first()
        )
    result.document = documents.plan_document(roadmap)
