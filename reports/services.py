"""Every write of the reports app: requesting a report (a job row, or a finished file
reused), building it in the worker, uploading and withdrawing an organisation's signing
certificate, and the housekeeping of old files.

Who may ask for what:

* a plan's PDF — whoever sees the plan (it is the print view as a file);
* a plan's signed PDF — an approved revision in force (approved, in execution, closed);
  signing it is approving it once more: the approve verb over the plan
  (``roadmaps.approve_roadmap``: the owner's head, a school's director). Once signed, whoever
  sees the plan gets that signed file;
* a plan's execution (the municipality, or one school) and a school's execution over all
  its plans — whoever sees the records (``execution.view_executionrecord``); each report
  shows only the records the person sees.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.jobs import JobError, enqueue
from core.models import JobState
from roadmaps import workflow
from roadmaps.constants import RoadmapStatus
from roadmaps.models import PublicLink, Roadmap
from schools.access import SYSTEM, recheck

from . import certificates, documents
from .certificates import CertificateError
from .constants import ReportFormat, ReportKind
from .models import Report, SigningCertificate

logger = logging.getLogger(__name__)

# A revision that is signed: approved and in force (a replaced revision stays printable,
# but nobody signs what no longer applies).
SIGNABLE_STATES = frozenset({RoadmapStatus.APPROVED, RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED})
EXECUTION_STATES = frozenset({RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED})

NOT_APPROVED_MESSAGE = (
    "Подписать можно только утверждённую действующую редакцию плана. Этот план — «{status}»: "
    "скачайте PDF без подписи (с пометкой «Проект»)."
)
NO_SIGN_VERB_MESSAGE = (
    "Подписывает план тот, кто его утверждает: руководитель организации-владельца "
    "(для плана школы — директор). Подписанный PDF появится у всех, когда он его подпишет."
)
NO_CERTIFICATE_MESSAGE = (
    "У организации «{organisation}» нет действующего сертификата электронной подписи. "
    "Его загружает администратор (Администрирование → Сертификаты подписи)."
)
NOT_IN_EXECUTION_MESSAGE = "Отчёт об исполнении есть только у плана на исполнении или закрытого."


def _storage():
    return storages["private"]


# --- Requests --------------------------------------------------------------------------------


def _is_system(user) -> bool:
    return user is SYSTEM


def active_certificate(organisation) -> SigningCertificate | None:
    return (
        SigningCertificate.objects.filter(organisation=organisation, is_active=True)
        .order_by("-uploaded_at")
        .first()
    )


def signing_refusal(user, roadmap: Roadmap) -> str | None:
    """Why this person may not sign this plan now (None: they may)."""
    if roadmap.status not in SIGNABLE_STATES:
        return NOT_APPROVED_MESSAGE.format(status=roadmap.get_status_display())
    if not _is_system(user) and not workflow.holds(user, workflow.APPROVE_VERB, roadmap):
        return NO_SIGN_VERB_MESSAGE
    certificate = active_certificate(roadmap.owner)
    if certificate is None:
        return NO_CERTIFICATE_MESSAGE.format(organisation=roadmap.owner.short_name)
    now = timezone.now()
    if not certificate.not_before <= now <= certificate.not_after:
        return (
            f"Сертификат организации «{roadmap.owner.short_name}» действует с "
            f"{certificate.not_before:%d.%m.%Y} по {certificate.not_after:%d.%m.%Y}: сейчас им "
            "подписать нельзя. Администратор загружает новый сертификат."
        )
    return None


def signed_report(roadmap: Roadmap, document=None) -> Report | None:
    """The finished signed PDF of this revision as it stands now, if there is one
    (``document``: its ``plan_document``, when the caller has read it already)."""
    document = document or documents.plan_document(roadmap)
    return (
        Report.objects.filter(
            kind=ReportKind.ROADMAP,
            roadmap=roadmap,
            signed=True,
            state=JobState.DONE,
            reused_from__isnull=True,
        )
        .filter(fingerprint__in=_signed_fingerprints(roadmap, document))
        .order_by("-finished_at")
        .first()
    )


def _signed_fingerprints(roadmap: Roadmap, document) -> list[str]:
    certificates_ = SigningCertificate.objects.filter(organisation=roadmap.owner).values_list(
        "sha256", flat=True
    )
    return [documents.digest(document.data, "signed", sha) for sha in certificates_]


def public_report(roadmap: Roadmap, document=None) -> Report | None:
    """The PDF the public page of a published revision offers: its signed PDF, else its
    official PDF as it stands now (made for the publication: ``public_pdf_prepare``)."""
    document = document or documents.plan_document(roadmap)
    signed = signed_report(roadmap, document)
    if signed is not None:
        return signed
    fingerprint = documents.digest(document.data, ReportFormat.PDF)
    return (
        Report.objects.filter(
            kind=ReportKind.ROADMAP,
            roadmap=roadmap,
            signed=False,
            state=JobState.DONE,
            fingerprint=fingerprint,
        )
        .exclude(file_path="")
        .order_by("-finished_at")
        .first()
    )


def public_pdf_prepare(sender=None, *, link, **kwargs) -> Report | None:
    """``roadmaps.signals.plan_published``: the public page offers the revision's PDF.
    Unless a signed or official PDF of it is there already (or on its way), the system
    asks for one (a job on the "pdf" queue, sent after the publication commits)."""
    roadmap = link.roadmap
    document = documents.plan_document(roadmap)
    if public_report(roadmap, document) is not None:
        return None
    fingerprint = documents.digest(document.data, ReportFormat.PDF)
    if Report.objects.filter(
        fingerprint=fingerprint, state__in=(JobState.QUEUED, JobState.RUNNING)
    ).exists():
        return None
    return report_request(acting_user=SYSTEM, kind=ReportKind.ROADMAP, roadmap=roadmap)


def fingerprint_of(
    *, user, kind: str, fmt: str, roadmap: Roadmap | None, organisation, signed: bool
) -> str:
    """What the file would be made of, digested (reports with the same fingerprint are the
    same file)."""
    if kind == ReportKind.ROADMAP:
        document = documents.plan_document(roadmap)
        if signed:
            certificate = active_certificate(roadmap.owner)
            return documents.digest(document.data, "signed", certificate.sha256)
        return documents.digest(document.data, fmt)
    from .execution_data import execution_report

    data = execution_report(user, kind=kind, roadmap=roadmap, organisation=organisation).data
    return documents.digest(data, fmt, kind)


def _check_request(*, acting_user, kind: str, fmt: str, roadmap, organisation, signed: bool):
    if kind == ReportKind.ROADMAP:
        if roadmap is None or fmt != ReportFormat.PDF:
            raise ValidationError("Официальный вид плана выгружается в PDF.")
        if signed:
            refusal = signing_refusal(acting_user, roadmap)
            if refusal == NO_SIGN_VERB_MESSAGE:
                raise PermissionDenied(refusal)
            if refusal:
                raise ValidationError(refusal)
    elif kind == ReportKind.PLAN_EXECUTION:
        if roadmap is None or roadmap.status not in EXECUTION_STATES:
            raise ValidationError(NOT_IN_EXECUTION_MESSAGE)
    elif kind == ReportKind.SCHOOL_EXECUTION:
        if organisation is None:
            raise ValidationError("Укажите школу.")
    else:
        raise ValidationError("Неизвестный вид отчёта.")
    if signed and kind != ReportKind.ROADMAP:
        raise ValidationError("Подписывается только план в официальном виде.")


def report_request(
    *,
    acting_user,
    kind: str,
    roadmap: Roadmap | None = None,
    organisation=None,
    fmt: str = ReportFormat.PDF,
    signed: bool = False,
    enqueue_job: bool = True,
) -> Report:
    """A report for the person: the finished file of an identical earlier request (a new
    row of theirs that reuses it, done at once), the same request still running, or a new
    job on the "pdf" queue. A signed PDF of a revision already signed is given to whoever
    sees the plan; signing anew needs the approve verb."""
    if fmt not in ReportFormat.values:
        raise ValidationError("Неизвестный формат отчёта.")
    with transaction.atomic(durable=not _is_system(acting_user)):
        if roadmap is not None:
            roadmap = Roadmap.objects.select_for_update().select_related("owner").get(pk=roadmap.pk)
        existing_signed = signed_report(roadmap) if signed and roadmap is not None else None
        if existing_signed is None:
            _check_request(
                acting_user=acting_user,
                kind=kind,
                fmt=fmt,
                roadmap=roadmap,
                organisation=organisation,
                signed=signed,
            )
        user = None if _is_system(acting_user) else acting_user
        if existing_signed is not None:
            fingerprint = existing_signed.fingerprint
        else:
            fingerprint = fingerprint_of(
                user=user,
                kind=kind,
                fmt=fmt,
                roadmap=roadmap,
                organisation=organisation,
                signed=signed,
            )
        finished = existing_signed or _finished(fingerprint, user, kind)
        running = None
        if finished is None and user is not None:
            running = (
                Report.objects.filter(
                    fingerprint=fingerprint,
                    created_by=user,
                    state__in=(JobState.QUEUED, JobState.RUNNING),
                )
                .order_by("-created_at")
                .first()
            )
        if running is not None:
            report = running
        else:
            report = Report(
                kind=kind,
                format=fmt,
                roadmap=roadmap,
                revision=roadmap.revision if roadmap is not None else None,
                organisation=organisation,
                signed=signed,
                fingerprint=fingerprint,
                title=_title(kind, roadmap, organisation),
                created_by=user,
            )
            if finished is not None:
                _reuse(report, finished)
            elif signed:
                report.token = secrets.token_urlsafe(24)
                report.certificate = active_certificate(roadmap.owner)
            report.full_clean(exclude=["fingerprint"] if not fingerprint else None)
            report.save()
            if finished is None and enqueue_job:
                from .tasks import build_report

                enqueue(build_report, report)
        recheck(acting_user, "view", report)
    return report


def dashboard_report_request(
    *, acting_user, target, fmt: str = ReportFormat.PDF, school_year: int | None = None
) -> Report:
    """A dashboard as a file: ``target`` is the region, municipality or school whose
    dashboard the person may see (checked by ``dashboard.selectors`` before the call). The
    same figures give the same file: a finished one is reused (a new row of the person's),
    a new one is a job on the "pdf" queue."""
    from dashboard.exports import dashboard_data, dashboard_title
    from schools.models import Municipality, Region

    if fmt not in ReportFormat.values:
        raise ValidationError("Неизвестный формат отчёта.")
    place = {"region": None, "municipality": None, "organisation": None}
    if isinstance(target, Region):
        place["region"] = target
    elif isinstance(target, Municipality):
        place["municipality"] = target
    else:
        place["organisation"] = target
    with transaction.atomic(durable=not _is_system(acting_user)):
        user = None if _is_system(acting_user) else acting_user
        data = dashboard_data(target, school_year)
        fingerprint = documents.digest(data, fmt, ReportKind.DASHBOARD)
        # The figures are the same for everyone shown the dashboard: any finished file
        # of them is reused (as a plan's PDF is), not only the same person's.
        finished = _finished(fingerprint, user, ReportKind.ROADMAP)
        report = Report(
            kind=ReportKind.DASHBOARD,
            format=fmt,
            school_year=school_year,
            fingerprint=fingerprint,
            title=dashboard_title(target)[:300],
            created_by=user,
            **place,
        )
        if finished is not None:
            _reuse(report, finished)
        report.full_clean()
        report.save()
        if finished is None:
            from .tasks import build_report

            enqueue(build_report, report)
        recheck(acting_user, "view", report)
    return report


def _finished(fingerprint: str, user, kind: str) -> Report | None:
    """A finished file with this fingerprint, still stored. Execution reports are made of
    what the person sees: only the same person's file is reused."""
    candidates = Report.objects.filter(
        fingerprint=fingerprint, state=JobState.DONE, reused_from__isnull=True
    ).exclude(file_path="")
    if kind != ReportKind.ROADMAP:
        candidates = candidates.filter(created_by=user)
    for candidate in candidates.order_by("-finished_at")[:3]:
        if _storage().exists(candidate.file_path):
            return candidate
    return None


def _reuse(report: Report, finished: Report) -> None:
    now = timezone.now()
    report.reused_from = finished
    report.state = JobState.DONE
    report.progress = 100
    report.started_at = report.finished_at = now
    for name in (
        "file_path",
        "file_size",
        "sha256",
        "pages",
        "token",
        "certificate",
        "signed_at",
        "signature_level",
        "revision",
    ):
        setattr(report, name, getattr(finished, name))


def _title(kind: str, roadmap, organisation) -> str:
    if kind == ReportKind.ROADMAP:
        return f"{roadmap.title[:200]} (редакция {roadmap.revision})"
    if kind == ReportKind.PLAN_EXECUTION:
        who = organisation.short_name if organisation else "все исполнители"
        return f"Исполнение: {roadmap.title[:180]} — {who}"
    return f"Исполнение планов: {organisation.short_name}"


# --- Building (in the worker) ---------------------------------------------------------------


def verify_url(token: str) -> str:
    return settings.SITE_URL + reverse("report_verify_token", kwargs={"token": token})


def report_build(report: Report) -> dict:
    """Render (and sign) the report's file; the job's work (``core.jobs.run_job``), run by
    ``reports.tasks.build_report`` and by ``manage.py render_pdf``. Returns the fields to
    save with the finished job."""
    from .rendering import json_attachment, render_pdf

    report = Report.objects.select_related(
        "roadmap__owner__region",
        "organisation__region",
        "organisation__municipality",
        "municipality__region",
        "region",
        "certificate",
        "created_by",
    ).get(pk=report.pk)
    fields: dict = {}
    if report.kind == ReportKind.ROADMAP:
        roadmap = report.roadmap
        document = documents.plan_document(roadmap)
        data = {**document.data, "report": report.token or str(report.pk)}
        signature = None
        if report.signed:
            certificate = report.certificate
            if certificate is None or roadmap.status not in SIGNABLE_STATES:
                raise JobError(NOT_APPROVED_MESSAGE.format(status=roadmap.get_status_display()))
            signature = _signature(report, certificate)
            data["signature"] = {
                "signer": certificate.signer_name,
                "position": certificate.position,
                "serial": certificate.serial,
                "verify_url": signature.verify_url,
            }
        rendered = render_pdf(
            documents.roadmap_html(document, signature),
            attachments=[json_attachment(documents.DATA_NAME, data, "Данные плана (JSON)")],
        )
        content = rendered.data
        if report.signed:
            from .signing import sign_pdf

            if rendered.stamp is None:
                raise JobError("В макете нет места для отметки о подписи.")
            try:
                content, level = sign_pdf(
                    content,
                    report.certificate,
                    rendered.stamp,
                    reason=f"Утверждение плана (редакция {roadmap.revision})",
                    location=roadmap.owner.short_name,
                )
            except CertificateError as error:
                raise JobError(str(error)) from None
            fields.update(signed_at=signature.signed_at, signature_level=f"PAdES {level}")
            fields["fingerprint"] = documents.digest(
                document.data, "signed", report.certificate.sha256
            )
        else:
            fields["fingerprint"] = documents.digest(document.data, report.format)
        fields["revision"] = roadmap.revision
        fields["pages"] = rendered.pages
    elif report.kind == ReportKind.DASHBOARD:
        from dashboard.exports import dashboard_file

        target = report.organisation or report.municipality or report.region
        content, pages, data = dashboard_file(target, report.school_year, report.format)
        fields["pages"] = pages
        fields["fingerprint"] = documents.digest(data, report.format, report.kind)
    else:
        from .execution_data import execution_report, render_execution

        built = execution_report(
            report.created_by,
            kind=report.kind,
            roadmap=report.roadmap,
            organisation=report.organisation,
        )
        content, pages = render_execution(built, report.format)
        fields["pages"] = pages
        fields["fingerprint"] = documents.digest(built.data, report.format, report.kind)
    path = _storage().save(f"reports/{uuid.uuid4().hex}.{report.format}", ContentFile(content))
    fields.update(
        file_path=path,
        file_size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return fields


def _signature(report: Report, certificate: SigningCertificate) -> documents.Signature:
    url = verify_url(report.token)
    return documents.Signature(
        signer=certificate.signer_name,
        position=certificate.position,
        organisation=certificate.organisation.full_name,
        serial=certificate.serial,
        valid_from=timezone.localtime(certificate.not_before).date(),
        valid_to=timezone.localtime(certificate.not_after).date(),
        signed_at=timezone.localtime(timezone.now()),
        verify_url=url,
        qr=documents.qr_picture(url),
    )


def report_file(report: Report) -> bytes:
    with _storage().open(report.file_path, "rb") as handle:
        return handle.read()


# --- Certificates ----------------------------------------------------------------------------


def certificate_upload(
    *,
    acting_user,
    organisation,
    data: bytes,
    password: str,
    position: str,
    signer_name: str = "",
) -> SigningCertificate:
    """Check a PKCS#12 (opens with the password, holds the certificate's own key, valid
    now, meant for signing, chains to a trusted root) and keep it as the organisation's
    certificate in use: the key encrypted, the password forgotten. A refusal changes
    nothing (``ValidationError`` with the reason)."""
    from .signing import chains_to_trusted_root

    try:
        contents = certificates.read_pkcs12(data, password)
        certificates.check_usable(contents.certificate)
    except CertificateError as error:
        raise ValidationError(str(error)) from None
    if not chains_to_trusted_root(contents.certificate, contents.chain):
        raise ValidationError(
            "Сертификат выдан удостоверяющим центром, которому продукт не доверяет (или в "
            "контейнере нет цепочки до корневого сертификата). Подписанные им документы не "
            "прошли бы проверку. Ничего не сохранено."
        )
    certificate = contents.certificate
    sha = certificates.fingerprint(certificate)
    with transaction.atomic(durable=not _is_system(acting_user)):
        previous = list(
            SigningCertificate.objects.select_for_update().filter(
                organisation=organisation, is_active=True
            )
        )
        now = timezone.now()
        for old in previous:
            old.is_active = False
            old.withdrawn_at = now
            old.save(update_fields=["is_active", "withdrawn_at"])
        row = SigningCertificate(
            organisation=organisation,
            signer_name=(signer_name or certificates.person_name(certificate))[:300],
            position=(position or certificates.title_of(certificate))[:300],
            subject=certificate.subject.rfc4514_string()[:1000],
            issuer=certificates.name_text(certificate.issuer)[:1000],
            serial=certificates.serial_hex(certificate),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            sha256=sha,
            certificate_pem=certificates.to_pem(certificate),
            chain_pem=certificates.to_pem(*contents.chain),
            private_key=certificates.encrypt_key(contents.private_key, sha),
            key_id=certificates.key_id(),
            uploaded_by=None if _is_system(acting_user) else acting_user,
        )
        row.full_clean()
        row.save()
        recheck(acting_user, "reports.add_signingcertificate", row, *previous)
    return row


def certificate_withdraw(*, acting_user, certificate: SigningCertificate) -> SigningCertificate:
    """Stop signing with the certificate (the reports it signed stay verifiable)."""
    with transaction.atomic(durable=True):
        certificate = SigningCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.is_active:
            certificate.is_active = False
            certificate.withdrawn_at = timezone.now()
            certificate.save(update_fields=["is_active", "withdrawn_at"])
        recheck(acting_user, "reports.change_signingcertificate", certificate)
    return certificate


# --- Housekeeping ------------------------------------------------------------------------------


def reports_cleanup(now: datetime.datetime | None = None) -> dict:
    """Delete unsigned reports older than ``REPORT_RETENTION`` with their files (a file is
    removed when no remaining row uses it) and failed or abandoned jobs as old; signed
    PDFs are kept: their QR codes lead to them; so is the PDF the system made for a
    revision published now (its public page offers it)."""
    now = now or timezone.now()
    cutoff = now - settings.REPORT_RETENTION
    # The system's PDF of a revision published now is the public page's file: kept.
    published = PublicLink.objects.filter(withdrawn_at__isnull=True).values("roadmap_id")
    old = Report.objects.filter(created_at__lt=cutoff, signed=False).exclude(
        created_by__isnull=True, roadmap__in=published
    )
    paths = set(old.exclude(file_path="").values_list("file_path", flat=True))
    deleted, _ = old.delete()
    still_used = set(Report.objects.filter(file_path__in=paths).values_list("file_path", flat=True))
    removed = 0
    for path in paths - still_used:
        try:
            _storage().delete(path)
            removed += 1
        except OSError:
            logger.warning("Could not delete report file %s", path)
    return {"reports": deleted, "files": removed}
