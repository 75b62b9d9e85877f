"""Reports: official PDFs of plans, execution reports, and what signs them.

Glossary: Report (отчёт, выгрузка: a job row that renders one file — a plan in its
official layout, a plan's execution, a school's execution — and keeps it), SigningCertificate
(сертификат электронной подписи организации: its certificate in clear, its private key
encrypted), TrustedRoot (корневой сертификат, которому доверяет продукт: verification
accepts signatures that chain to one of them).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.fields import CleanCharField
from core.models import Job
from roadmaps.models import Roadmap
from schools.models import Municipality, Organisation, Region

from .constants import ReportFormat, ReportKind
from .querysets import ReportQuerySet, SigningCertificateQuerySet


class SigningCertificate(models.Model):
    """The certificate an organisation signs its approved plans with (uploaded as PKCS#12
    by a staff administrator). The private key is kept encrypted with the key of the
    settings (``CERTIFICATE_ENCRYPTION_KEY``); the PKCS#12 password is never stored. One
    certificate of an organisation is in use at a time; a replaced one stays for the
    reports it signed."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    signer_name = CleanCharField("подписант", max_length=300)
    position = CleanCharField("должность подписанта", max_length=300)
    subject = CleanCharField("владелец сертификата", max_length=1000)
    issuer = CleanCharField("издатель", max_length=1000)
    serial = models.CharField("серийный номер", max_length=100)
    not_before = models.DateTimeField("действует с")
    not_after = models.DateTimeField("действует по")
    sha256 = models.CharField("отпечаток сертификата", max_length=64)
    certificate_pem = models.TextField("сертификат (текст)")
    chain_pem = models.TextField("цепочка издателей", blank=True)
    private_key = models.BinaryField("закрытый ключ (зашифрован)")
    key_id = models.CharField("ключ шифрования", max_length=16)
    is_active = models.BooleanField("используется", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто загрузил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)
    withdrawn_at = models.DateTimeField("выведен из использования", null=True, blank=True)

    objects = SigningCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "сертификат подписи"
        verbose_name_plural = "сертификаты подписи"
        ordering = ["organisation", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_active=True),
                name="one_active_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.serial})"


class TrustedRoot(models.Model):
    """A root certificate the product trusts: a signature is «доверенная» when its chain
    ends in one of these (the demo's own CA, a region's CA). Product-wide, managed by
    superusers. ``crl_pem``: the latest list of revoked certificates of that CA, embedded
    into signatures as long-term validation data."""

    name = CleanCharField("название", max_length=300)
    certificate_pem = models.TextField("сертификат (текст)")
    sha256 = models.CharField("отпечаток сертификата", max_length=64, unique=True)
    crl_pem = models.TextField("список отозванных сертификатов", blank=True)
    is_active = models.BooleanField("доверять", default=True)
    added_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "доверенный корневой сертификат"
        verbose_name_plural = "доверенные корневые сертификаты"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Report(Job):
    """One requested file (отчёт): a plan in its official layout (PDF, signed or not), a
    plan's execution (for the municipality or one school) or a school's execution over all
    its plans (PDF or .xlsx). Rendered by ``reports.tasks.build_report`` on the "pdf"
    queue; the file lives in the private storage. ``fingerprint`` digests what the file is
    made of (the data, the layout version, the signer): a request with the fingerprint of
    a finished file gets that file at once (``reused_from``) instead of a new render.
    A signed PDF carries ``token`` in its QR code: the public verification page finds the
    report by it."""

    id = models.UUIDField("id", primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("вид", max_length=20, choices=ReportKind.choices)
    format = models.CharField(
        "формат", max_length=5, choices=ReportFormat.choices, default=ReportFormat.PDF
    )
    roadmap = models.ForeignKey(
        Roadmap,
        verbose_name="план",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    revision = models.PositiveIntegerField("редакция", null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # A dashboard's report: of a region, a municipality (or of a school: ``organisation``),
    # for a school year of the indicators (empty: the latest).
    region = models.ForeignKey(
        Region,
        verbose_name="регион",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    school_year = models.PositiveSmallIntegerField("учебный год", null=True, blank=True)
    signed = models.BooleanField("с электронной подписью", default=False)
    fingerprint = models.CharField("отпечаток содержимого", max_length=64, db_index=True)
    title = CleanCharField("название", max_length=300, blank=True)
    file_path = models.CharField("файл в закрытом хранилище", max_length=300, blank=True)
    file_size = models.PositiveIntegerField("размер, байт", null=True, blank=True)
    sha256 = models.CharField("контрольная сумма", max_length=64, blank=True)
    pages = models.PositiveIntegerField("страниц", null=True, blank=True)
    token = models.CharField("ключ проверки", max_length=64, null=True, blank=True)
    certificate = models.ForeignKey(
        SigningCertificate,
        verbose_name="сертификат подписи",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    signed_at = models.DateTimeField("подписан", null=True, blank=True)
    signature_level = models.CharField("уровень подписи", max_length=20, blank=True)
    reused_from = models.ForeignKey(
        "self",
        verbose_name="готовый файл",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
    )

    objects = ReportQuerySet.as_manager()

    class Meta(Job.Meta):
        verbose_name = "отчёт"
        verbose_name_plural = "отчёты"
        indexes = [models.Index(fields=["token"], name="report_token")]
        constraints = [
            models.UniqueConstraint(
                fields=["token"],
                condition=models.Q(reused_from__isnull=True, token__isnull=False),
                name="report_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def signature_level_label(self) -> str:
        """The PAdES level in words (the page is Russian; the code stays in the file)."""
        return {
            "PAdES B-B": "усиленная подпись, базовый уровень",
            "PAdES B-T": "усиленная подпись с меткой времени",
            "PAdES B-LT": "усиленная подпись с данными для долговременной проверки",
        }.get(self.signature_level, "")

    @property
    def file_name(self) -> str:
        """The name the file is downloaded under (ASCII: the title is in the page)."""
        stem = {
            ReportKind.ROADMAP: "plan",
            ReportKind.PLAN_EXECUTION: "plan-execution",
            ReportKind.SCHOOL_EXECUTION: "school-execution",
            ReportKind.DASHBOARD: "dashboard",
        }[self.kind]
        if self.region_id:
            stem += f"-region{self.region_id}"
        if self.municipality_id:
            stem += f"-municipality{self.municipality_id}"
        if self.roadmap_id:
            stem += f"-{self.roadmap_id}"
            if self.revision:
                stem += f"-r{self.revision}"
        if self.organisation_id:
            stem += f"-org{self.organisation_id}"
        if self.signed:
            stem += "-signed"
        return f"{stem}.{self.format}"
