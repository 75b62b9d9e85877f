"""Execution of plans: who owes what, their marks and the curators' checks.

Glossary: ExecutionRecord (отметка об исполнении — what one organisation owes for one
window of a measure, or for one reporting period of a continuous measure, or once for an
unscheduled one), Evidence (подтверждение: a file or a link attached to a record).

Records are derived from a plan in execution (``execution.services.start_execution``) and
kept in step with its schedules and assignments (``execution.services.sync_records``). A
record somebody marked is never removed by that: it keeps its window, which then stays
flagged «срок изменён» (``roadmaps.windows``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.fields import CleanCharField, CleanTextField

from .querysets import EvidenceQuerySet, ExecutionRecordQuerySet


class MarkState(models.TextChoices):
    """The organisation's own mark (values as ``execution.status.State``)."""

    PENDING = "pending", "Не отмечено"
    DONE = "done", "Выполнено"
    PARTLY = "partly", "Выполнено частично"
    NOT_DONE = "not_done", "Не выполнено"


class ReviewState(models.TextChoices):
    """The curator's check of the mark (values as ``execution.status.Review``)."""

    NONE = "none", "Не проверялось"
    WAITING = "waiting", "На проверке"
    ACCEPTED = "accepted", "Принято"
    RETURNED = "returned", "Возвращено на доработку"


# A record counts as "recorded" (keeps its window, survives a schedule or assignment
# change) once somebody marked it or attached evidence to it.
RECORDED = Q(marked_at__isnull=False) | Q(evidence__isnull=False)


class ExecutionRecord(models.Model):
    """What one organisation owes for one measure: for one window of its schedule, for one
    reporting period of a continuous measure (``window`` empty, dates of the period), or
    once for an unscheduled measure (no window, no dates). Dates are copied from the window
    so that «due this week» and «overdue» per organisation are one index scan."""

    measure = models.ForeignKey(
        "roadmaps.Measure",
        verbose_name="мероприятие",
        on_delete=models.CASCADE,
        related_name="execution_records",
    )
    # CASCADE only reaches records nobody marked: roadmaps.windows keeps a window that a
    # marked record points to (``recorded_filter`` below), flagged «срок изменён».
    window = models.ForeignKey(
        "roadmaps.MeasureWindow",
        verbose_name="окно исполнения",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="execution_records",
    )
    # The school, centre or authority that owes the record: organisations are deactivated,
    # not deleted, once they owe something.
    organisation = models.ForeignKey(
        "schools.Organisation",
        verbose_name="организация",
        on_delete=models.PROTECT,
        related_name="execution_records",
    )
    starts_on = models.DateField("с", null=True, blank=True)
    due_on = models.DateField("срок", null=True, blank=True)

    state = models.CharField(
        "отметка", max_length=20, choices=MarkState.choices, default=MarkState.PENDING
    )
    done_on = models.DateField("дата выполнения", null=True, blank=True)
    note = CleanTextField("комментарий исполнителя", blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто отметил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField("когда отмечено", null=True, blank=True)

    review = models.CharField(
        "проверка", max_length=20, choices=ReviewState.choices, default=ReviewState.NONE
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто проверил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("когда проверено", null=True, blank=True)
    review_comment = CleanTextField("замечания куратора", blank=True)

    version = models.PositiveIntegerField("версия записи", default=1, editable=False)

    objects = ExecutionRecordQuerySet.as_manager()
    history = HistoricalRecords()

    # Which rows make a window "recorded" for roadmaps.windows.recorded_window_ids.
    recorded_filter = RECORDED

    class Meta:
        verbose_name = "отметка об исполнении"
        verbose_name_plural = "отметки об исполнении"
        ordering = ["due_on", "measure", "organisation"]
        permissions = [
            ("mark_executionrecord", "Отмечать исполнение мероприятий"),
            ("review_executionrecord", "Принимать и возвращать отметки об исполнении"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "window", "organisation"],
                condition=Q(window__isnull=False),
                name="record_window_unique",
            ),
            models.UniqueConstraint(
                fields=["measure", "organisation", "starts_on"],
                condition=Q(window__isnull=True, starts_on__isnull=False),
                name="record_period_unique",
            ),
            models.UniqueConstraint(
                fields=["measure", "organisation"],
                condition=Q(window__isnull=True, starts_on__isnull=True),
                name="record_undated_unique",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(due_on__gte=models.F("starts_on")),
                name="record_dates_ordered",
            ),
        ]
        indexes = [
            # «Мои мероприятия»: due this week / overdue of one organisation.
            models.Index(fields=["organisation", "due_on"], name="record_org_due"),
            # The curator's queue: marks waiting for acceptance, per organisation.
            models.Index(
                fields=["organisation", "marked_at"],
                condition=Q(review="waiting"),
                name="record_review_queue",
            ),
        ]

    def __str__(self) -> str:
        due = f" до {self.due_on:%d.%m.%Y}" if self.due_on else ""
        return f"{self.measure} — {self.organisation}{due}"

    @property
    def is_marked(self) -> bool:
        return self.marked_at is not None


def private_storage():
    """The storage nothing serves: evidence is streamed by a view that checks access."""
    return storages["private"]


class EvidenceKind(models.TextChoices):
    FILE = "file", "Файл"
    LINK = "link", "Ссылка"


class Evidence(models.Model):
    """A file or a link that shows a measure was done (протокол, приказ, фото, ссылка).
    Files are checked by content (``execution.evidence``) before they are stored."""

    record = models.ForeignKey(
        ExecutionRecord,
        verbose_name="отметка",
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField("вид", max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(
        "файл", storage=private_storage, upload_to="evidence/", max_length=300, blank=True
    )
    original_name = CleanCharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField("тип содержимого", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("размер, байт", null=True, blank=True)
    sha256 = models.CharField("контрольная сумма", max_length=64, blank=True)
    url = models.URLField("ссылка", max_length=2000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто добавил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("когда добавлено", auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "подтверждение исполнения"
        verbose_name_plural = "подтверждения исполнения"
        ordering = ["record", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(url=""))
                | (Q(kind="link") & Q(file="") & ~Q(url="")),
                name="evidence_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.url
