"""Roadmaps as the documents hold them.

Glossary: Roadmap (дорожная карта, план мероприятий), Section (раздел; nested to any
depth; group rows are sections without a number), Measure (мероприятие),
RoadmapAgreement (согласование, «СОГЛАСОВАНО»). Numbers are kept as written — repeats and
blanks are real — and order is a separate field, so nothing is renumbered silently.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from schools.models import Organisation

from .constants import (
    DEFAULT_COLUMNS,
    AgreementStatus,
    AssignmentMode,
    RoadmapLevel,
    RoadmapStatus,
    ScheduleKind,
)
from .querysets import MeasureWindowQuerySet, RoadmapPartQuerySet, RoadmapQuerySet


def default_columns() -> list[str]:
    return list(DEFAULT_COLUMNS)


class Roadmap(models.Model):
    """A plan of measures with its header (approval block), optional passport and the
    lifecycle state. Each revision after approval is a new row linked to the previous."""

    owner = models.ForeignKey(
        Organisation,
        verbose_name="организация-владелец",
        on_delete=models.PROTECT,
        related_name="roadmaps",
    )
    level = models.CharField(
        "уровень", max_length=20, choices=RoadmapLevel.choices, default=RoadmapLevel.MUNICIPAL
    )
    title = models.CharField("заголовок", max_length=1000)
    subtitle = models.TextField("подзаголовок", blank=True)
    period_start = models.DateField("начало периода")
    period_end = models.DateField("окончание периода")
    period_text = models.CharField("период, как написано", max_length=200, blank=True)

    # «УТВЕРЖДАЮ / УТВЕРЖДЕНО»
    approval_word = models.CharField("гриф", max_length=20, default="УТВЕРЖДАЮ")
    approval_position = models.CharField("должность утверждающего", max_length=500, blank=True)
    approval_organisation = models.CharField(
        "организация утверждающего", max_length=500, blank=True
    )
    approval_name = models.CharField("ФИО утверждающего", max_length=200, blank=True)
    approval_date = models.DateField("дата утверждения", null=True, blank=True)
    approval_date_text = models.CharField(
        "дата утверждения, как написано", max_length=100, blank=True
    )
    approval_order = models.CharField("номер приказа", max_length=200, blank=True)

    # Passport (паспорт), all optional.
    passport_problem = models.TextField("описание проблемы", blank=True)
    passport_working_group = models.TextField("состав рабочей группы", blank=True)
    passport_developer = models.TextField("ответственный разработчик", blank=True)
    passport_goal = models.TextField("цель", blank=True)
    passport_stages = models.TextField("этапы и сроки", blank=True)
    passport_directions = models.TextField("направления", blank=True)
    passport_control_results = models.TextField("ключевые результаты контроля", blank=True)
    passport_financing = models.TextField("объём финансового обеспечения", blank=True)
    passport_indicators = models.TextField("перечень целевых показателей", blank=True)

    columns = models.JSONField("показываемые столбцы", default=default_columns)
    status = models.CharField(
        "статус", max_length=20, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT
    )
    revision = models.PositiveIntegerField("редакция", default=1)
    previous_revision = models.OneToOneField(
        "self",
        verbose_name="предыдущая редакция",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_revision",
    )
    template = models.ForeignKey(
        "self",
        verbose_name="шаблон",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    is_template = models.BooleanField("шаблон для школ", default=False)
    school_group = models.ManyToManyField(
        Organisation, verbose_name="группа школ плана", blank=True, related_name="group_roadmaps"
    )
    version = models.PositiveIntegerField("версия записи", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="создал",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    objects = RoadmapQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="roadmap_period_ordered",
            ),
        ]
        permissions = [
            ("submit_roadmap", "Отправлять план на согласование"),
            ("agree_roadmap", "Согласовывать план"),
            ("approve_roadmap", "Утверждать план"),
            ("import_roadmap", "Импортировать план"),
            ("export_roadmap", "Выгружать план"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if not (self.title or "").strip():
            errors["title"] = "Укажите заголовок плана."
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "Период заканчивается раньше, чем начинается."
        if errors:
            raise ValidationError(errors)


class Section(models.Model):
    """A section of the plan («1. Организационные мероприятия»), nested by ``parent``.
    A group row is a section without a number."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="план", on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="вышестоящий раздел",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    number = models.CharField("номер, как написано", max_length=50, blank=True)
    title = models.TextField("название")
    is_group = models.BooleanField("группировочная строка", default=False)
    order = models.PositiveIntegerField("порядок", default=0)
    version = models.PositiveIntegerField("версия записи", default=1, editable=False)

    objects = RoadmapPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "раздел"
        verbose_name_plural = "разделы"
        ordering = ["roadmap", "order"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def clean(self) -> None:
        if self.parent_id and self.parent.roadmap_id != self.roadmap_id:
            raise ValidationError({"parent": "Раздел можно вложить только в раздел того же плана."})
        if not (self.title or "").strip():
            raise ValidationError({"title": "Укажите название раздела."})


class Measure(models.Model):
    """A measure (мероприятие): text as written, the deadline as written and the schedule
    derived from it (or set by hand), and to whom it applies."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="план", on_delete=models.CASCADE, related_name="measures"
    )
    section = models.ForeignKey(
        Section,
        verbose_name="раздел",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    number = models.CharField("номер, как написано", max_length=50, blank=True)
    title = models.TextField("мероприятие")
    deadline_text = models.TextField("сроки, как написано", blank=True)
    schedule_kind = models.CharField(
        "вид срока", max_length=20, choices=ScheduleKind.choices, default=ScheduleKind.UNSCHEDULED
    )
    schedule_overridden = models.BooleanField("срок задан вручную", default=False)
    # The windows a person entered by hand (kept here so history shows them); the
    # windows in force are the MeasureWindow rows.
    manual_windows = models.JSONField("окна, заданные вручную", default=list, blank=True)
    audience = models.TextField("целевая аудитория, исполнители", blank=True)
    responsible_text = models.TextField("ответственные, как написано", blank=True)
    responsible_organisations = models.ManyToManyField(
        Organisation,
        verbose_name="ответственные организации",
        blank=True,
        related_name="responsible_for",
    )
    result = models.TextField("предполагаемый результат", blank=True)
    indicator_text = models.TextField("целевой индикатор, как написано", blank=True)
    indicator = models.ForeignKey(
        "monitoring.Indicator",
        verbose_name="целевой показатель",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    status_text = models.TextField("отметка об исполнении", blank=True)
    assignment_mode = models.CharField(
        "кому назначено", max_length=20, choices=AssignmentMode.choices, default=AssignmentMode.NONE
    )
    assigned_organisations = models.ManyToManyField(
        Organisation,
        verbose_name="назначено организациям",
        blank=True,
        related_name="assigned_measures",
    )
    order = models.PositiveIntegerField("порядок", default=0)
    version = models.PositiveIntegerField("версия записи", default=1, editable=False)

    objects = RoadmapPartQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[responsible_organisations, assigned_organisations])

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["roadmap", "order"]
        indexes = [models.Index(fields=["roadmap", "section", "order"], name="measure_position")]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:80]}".strip()

    def clean(self) -> None:
        if self.section_id and self.section.roadmap_id != self.roadmap_id:
            raise ValidationError(
                {"section": "Мероприятие можно перенести только в раздел того же плана."}
            )
        if not (self.title or "").strip():
            raise ValidationError({"title": "Укажите текст мероприятия."})


class MeasureWindow(models.Model):
    """One window of a measure's schedule (first day … due day). Execution marks of the
    assigned schools attach to windows; "due this month" and "overdue" query them."""

    measure = models.ForeignKey(
        Measure, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="windows"
    )
    starts_on = models.DateField("с")
    due_on = models.DateField("срок")

    objects = MeasureWindowQuerySet.as_manager()

    class Meta:
        verbose_name = "окно исполнения"
        verbose_name_plural = "окна исполнения"
        ordering = ["measure", "due_on"]
        indexes = [models.Index(fields=["due_on"], name="window_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")), name="window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d.%m.%Y} – {self.due_on:%d.%m.%Y}"


class RoadmapAgreement(models.Model):
    """An agreeing party («СОГЛАСОВАНО»): as written in the document, linked to an
    organisation when recognised; during agreement it records the party's answer."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="план", on_delete=models.CASCADE, related_name="agreements"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation_text = models.CharField("организация, как написано", max_length=500, blank=True)
    position = models.CharField("должность", max_length=500, blank=True)
    name = models.CharField("ФИО", max_length=200, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    date_text = models.CharField("дата, как написано", max_length=100, blank=True)
    status = models.CharField(
        "решение", max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.PENDING
    )
    comment = models.TextField("замечания", blank=True)
    order = models.PositiveIntegerField("порядок", default=0)

    objects = RoadmapPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "согласование"
        verbose_name_plural = "согласования"
        ordering = ["roadmap", "order"]

    def __str__(self) -> str:
        return self.organisation_text or str(self.organisation or "")


class RoadmapUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian grant on one plan (a partner centre's person who views and
    agrees a network plan of another municipality)."""

    content_object = models.ForeignKey(Roadmap, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "право на план"
        verbose_name_plural = "права на отдельные планы"


class RoadmapImport(models.Model):
    """Who brought which file into which plan, and what the importer warned about."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="план", on_delete=models.CASCADE, related_name="imports"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто импортировал",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField("файл", max_length=300)
    file_size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField("контрольная сумма", max_length=64)
    warnings = models.JSONField("предупреждения", default=list, blank=True)
    created_at = models.DateTimeField("когда", auto_now_add=True)

    objects = RoadmapPartQuerySet.as_manager()

    class Meta:
        verbose_name = "импорт плана"
        verbose_name_plural = "импорты планов"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
