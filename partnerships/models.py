"""Partnership agreements and the network they form.

Glossary: Agreement (партнёрское соглашение, договор о сетевом взаимодействии),
AgreementParty (сторона соглашения с её ролью и подписантом), AgreementEvent (шаг жизни
соглашения: внесено, подписано, приложен скан, расторгнуто, истёк срок), NetworkExport
(выгрузка «Список сетевого партнерства» в PDF — строка задания).

An agreement belongs to nobody in particular: its parties may sit in different
municipalities and regions, and access follows them (``querysets.AgreementQuerySet``).
Its number is unique within the organisation that keeps its register (``registrar``, the
first party). The signed scan lives in the private storage and is streamed only by a
view that checks access. ``roadmaps`` are the network plans the agreement serves (their
partners' staff see those plans); ``measures`` are the «sign the agreements» measures it
fulfils (signing completes the parties' execution records of them).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.fields import CleanCharField, CleanTextField
from core.models import Job

from .constants import AgreementKind, AgreementStatus, EventKind, PartyRole
from .querysets import (
    AgreementPartQuerySet,
    AgreementQuerySet,
    NetworkExportQuerySet,
)


def private_storage():
    """The storage nothing serves: scans are streamed by a view that checks access."""
    return storages["private"]


class Agreement(models.Model):
    """A partnership agreement (соглашение о сотрудничестве, договор о сетевом
    взаимодействии) between two or more organisations."""

    number = CleanCharField("номер", max_length=50, blank=True)
    kind = models.CharField("вид", max_length=20, choices=AgreementKind.choices)
    subject = CleanTextField("предмет соглашения")
    support_form = CleanCharField(
        "форма поддержки",
        max_length=500,
        blank=True,
        help_text="Как в списке сетевого партнёрства: консультационная, методическая, "
        "организационная, тьюторская…",
    )
    signed_on = models.DateField("дата подписания", null=True, blank=True)
    valid_from = models.DateField("действует с")
    valid_to = models.DateField("действует по", null=True, blank=True)
    status = models.CharField(
        "состояние", max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    status_changed_at = models.DateTimeField("состояние изменено", null=True, blank=True)
    terminated_on = models.DateField("дата расторжения", null=True, blank=True)
    termination_reason = CleanTextField("основание расторжения", blank=True)
    # The organisation whose register numbers the agreement (the first party): numbers
    # are unique within it.
    registrar = models.ForeignKey(
        "schools.Organisation",
        verbose_name="ведёт учёт",
        on_delete=models.PROTECT,
        related_name="+",
    )

    scan = models.FileField(
        "скан подписанного соглашения",
        storage=private_storage,
        upload_to="agreements/",
        max_length=300,
        blank=True,
    )
    scan_name = CleanCharField("имя файла скана", max_length=255, blank=True)
    scan_content_type = models.CharField("тип файла скана", max_length=100, blank=True)
    scan_size = models.PositiveBigIntegerField("размер скана, байт", null=True, blank=True)
    scan_sha256 = models.CharField("контрольная сумма скана", max_length=64, blank=True)

    roadmaps = models.ManyToManyField(
        "roadmaps.Roadmap",
        verbose_name="в рамках планов",
        blank=True,
        related_name="+",
        help_text="Сетевые планы, которые соглашение обслуживает: сотрудники сторон видят их.",
    )
    measures = models.ManyToManyField(
        "roadmaps.Measure",
        verbose_name="выполняет мероприятия",
        blank=True,
        related_name="+",
        help_text="Мероприятия «подписать соглашения»: подписание отмечает их исполнение сторонами.",
    )

    version = models.PositiveIntegerField("версия записи", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внёс",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[roadmaps, measures])

    class Meta:
        verbose_name = "соглашение"
        verbose_name_plural = "соглашения"
        ordering = ["-signed_on", "-created_at"]
        permissions = [("import_agreement", "Импортировать список сетевого партнёрства")]
        constraints = [
            models.UniqueConstraint(
                fields=["registrar", "number"],
                condition=~Q(number=""),
                name="agreement_number_unique_in_registrar",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agreement_validity_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status=AgreementStatus.SIGNED) | Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
            ),
        ]
        indexes = [
            # The daily digest: signed agreements whose validity ends on given days.
            models.Index(
                fields=["valid_to"],
                condition=Q(status=AgreementStatus.SIGNED),
                name="agreement_in_force_to",
            ),
        ]

    def __str__(self) -> str:
        number = f"№ {self.number}" if self.number else "без номера"
        when = f" от {self.signed_on:%d.%m.%Y}" if self.signed_on else ""
        return f"Соглашение {number}{when}"

    @property
    def is_editable(self) -> bool:
        return self.status in {AgreementStatus.DRAFT, AgreementStatus.SIGNED}

    @property
    def has_scan(self) -> bool:
        return bool(self.scan)


class AgreementParty(models.Model):
    """A party of an agreement, its role and who signs for it."""

    agreement = models.ForeignKey(
        Agreement, verbose_name="соглашение", on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        "schools.Organisation",
        verbose_name="организация",
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField("роль", max_length=20, choices=PartyRole.choices)
    signatory_name = CleanCharField("подписант (ФИО)", max_length=200, blank=True)
    signatory_position = CleanCharField("должность подписанта", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    objects = AgreementPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "сторона соглашения"
        verbose_name_plural = "стороны соглашений"
        ordering = ["agreement", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_party_once"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "agreement"], name="party_organisation")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"


class AgreementEvent(models.Model):
    """One step of an agreement's life with its date, as the timeline shows it (the
    field-level changes are in the history)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name="соглашение", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("событие", max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("когда")
    day = models.DateField("дата события", null=True, blank=True)
    comment = CleanTextField("комментарий", blank=True)

    objects = AgreementPartQuerySet.as_manager()

    class Meta:
        verbose_name = "событие соглашения"
        verbose_name_plural = "события соглашений"
        ordering = ["agreement", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y}"


class NetworkExport(Job):
    """«Список сетевого партнерства» as a PDF (выгрузка): the network of a municipality or
    of a network plan as its requester sees it, rendered by
    ``partnerships.tasks.build_network_pdf`` on the "pdf" queue with the reports app's
    renderer; the file lives in the private storage."""

    id = models.UUIDField("id", primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "schools.Municipality",
        verbose_name="муниципалитет",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap",
        verbose_name="сетевой план",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    include_all = models.BooleanField("включая черновики и недействующие", default=False)
    title = CleanCharField("название", max_length=300, blank=True)
    file_path = models.CharField("файл в закрытом хранилище", max_length=300, blank=True)
    file_size = models.PositiveIntegerField("размер, байт", null=True, blank=True)
    pages = models.PositiveIntegerField("страниц", null=True, blank=True)

    objects = NetworkExportQuerySet.as_manager()

    class Meta(Job.Meta):
        verbose_name = "выгрузка списка сетевого партнёрства"
        verbose_name_plural = "выгрузки списка сетевого партнёрства"
        constraints = [
            models.CheckConstraint(
                condition=(Q(municipality__isnull=True) & Q(roadmap__isnull=False))
                | (Q(municipality__isnull=False) & Q(roadmap__isnull=True)),
                name="network_export_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.title or "Список сетевого партнёрства"
