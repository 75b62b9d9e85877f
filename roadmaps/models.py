"""Roadmaps as the documents hold them.

Glossary: Roadmap (дорожная карта, план мероприятий), Section (раздел; nested to any
depth; group rows are sections without a number), Measure (мероприятие),
PlanConcurrence (согласование плана, «СОГЛАСОВАНО»). Numbers are kept as written — repeats and
blanks are real — and order is a separate field, so nothing is renumbered silently.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from guardian.models import UserObjectPermissionBase

from core.fields import CleanCharField, CleanTextField
from core.history_records import HistoricalRecords
from core.models import Job
from schools.models import Organisation

from .constants import (
    DEFAULT_COLUMNS,
    AssignmentMode,
    ConcurrenceStatus,
    PlanEventKind,
    RoadmapLevel,
    RoadmapStatus,
    ScheduleKind,
)
from .querysets import (
    ImportJobQuerySet,
    MeasureWindowQuerySet,
    RoadmapPartQuerySet,
    RoadmapQuerySet,
)


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
    title = CleanCharField("заголовок", max_length=1000)
    subtitle = CleanTextField("подзаголовок", blank=True)
    period_start = models.DateField("начало периода")
    period_end = models.DateField("окончание периода")
    period_text = CleanCharField("период, как написано", max_length=200, blank=True)

    # «УТВЕРЖДАЮ / УТВЕРЖДЕНО»
    approval_word = CleanCharField("гриф", max_length=20, default="УТВЕРЖДАЮ")
    approval_position = CleanCharField("должность утверждающего", max_length=500, blank=True)
    approval_organisation = CleanCharField("организация утверждающего", max_length=500, blank=True)
    approval_name = CleanCharField("ФИО утверждающего", max_length=200, blank=True)
    approval_date = models.DateField("дата утверждения", null=True, blank=True)
    approval_date_text = CleanCharField(
        "дата утверждения, как написано", max_length=100, blank=True
    )
    approval_order = CleanCharField("номер приказа", max_length=200, blank=True)

    # Passport (паспорт), all optional.
    passport_problem = CleanTextField("описание проблемы", blank=True)
    passport_working_group = CleanTextField("состав рабочей группы", blank=True)
    passport_developer = CleanTextField("ответственный разработчик", blank=True)
    passport_goal = CleanTextField("цель", blank=True)
    passport_stages = CleanTextField("этапы и сроки", blank=True)
    passport_directions = CleanTextField("направления", blank=True)
    passport_control_results = CleanTextField("ключевые результаты контроля", blank=True)
    passport_financing = CleanTextField("объём финансового обеспечения", blank=True)
    passport_indicators = CleanTextField("перечень целевых показателей", blank=True)

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
    # The first revision of the family (empty on the first itself): every revision of a
    # plan in one query.
    first_revision = models.ForeignKey(
        "self",
        verbose_name="первая редакция",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_revisions",
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
    # Execution settings: the length of a reporting period of continuous measures (months,
    # aligned to the calendar year) and whether a curator accepts each mark.
    reporting_months = models.PositiveSmallIntegerField(
        "отчётный период, месяцев",
        choices=[
            (1, "месяц"),
            (2, "2 месяца"),
            (3, "квартал"),
            (4, "4 месяца"),
            (6, "полугодие"),
            (12, "год"),
        ],
        default=3,
    )
    marks_need_acceptance = models.BooleanField("отметки принимает куратор", default=True)
    # The workflow (roadmaps.workflow): who sent the plan for agreement and who approved it
    # in this product. The approval block above is what the document says (an imported
    # stamp, or the one an approval here wrote).
    submitted_at = models.DateTimeField("отправлен на согласование", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто отправил на согласование",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("утверждён в системе", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто утвердил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
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
    number = CleanCharField("номер, как написано", max_length=50, blank=True)
    title = CleanTextField("название")
    is_group = models.BooleanField("группировочная строка", default=False)
    order = models.PositiveIntegerField("порядок", default=0)
    # Lineage: the section of another plan this one was copied from (template → school
    # copy, plan → next period, later a revision).
    origin = models.ForeignKey(
        "self",
        verbose_name="исходный раздел",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    version = models.PositiveIntegerField("версия записи", default=1, editable=False)

    objects = RoadmapPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "раздел"
        verbose_name_plural = "разделы"
        ordering = ["roadmap", "order"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(origin=models.F("pk")), name="section_origin_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def clean(self) -> None:
        if self.parent_id and self.parent.roadmap_id != self.roadmap_id:
            raise ValidationError({"parent": "Раздел можно вложить только в раздел того же плана."})
        if not (self.title or "").strip():
            raise ValidationError({"title": "Укажите название раздела."})
        if self.origin_id and (
            self.origin_id == self.pk or self.origin.roadmap_id == self.roadmap_id
        ):
            raise ValidationError({"origin": "Исходный раздел должен быть из другого плана."})


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
    number = CleanCharField("номер, как написано", max_length=50, blank=True)
    title = CleanTextField("мероприятие")
    deadline_text = CleanTextField("сроки, как написано", blank=True)
    schedule_kind = models.CharField(
        "вид срока", max_length=20, choices=ScheduleKind.choices, default=ScheduleKind.UNSCHEDULED
    )
    schedule_overridden = models.BooleanField("срок задан вручную", default=False)
    # The windows a person entered by hand (kept here so history shows them); the
    # windows in force are the MeasureWindow rows.
    manual_windows = models.JSONField("окна, заданные вручную", default=list, blank=True)
    audience = CleanTextField("целевая аудитория, исполнители", blank=True)
    responsible_text = CleanTextField("ответственные, как написано", blank=True)
    responsible_organisations = models.ManyToManyField(
        Organisation,
        verbose_name="ответственные организации",
        blank=True,
        related_name="responsible_for",
    )
    result = CleanTextField("предполагаемый результат", blank=True)
    indicator_text = CleanTextField("целевой индикатор, как написано", blank=True)
    indicator = models.ForeignKey(
        "monitoring.Indicator",
        verbose_name="целевой показатель",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    status_text = CleanTextField("отметка об исполнении", blank=True)
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
    # Lineage: the measure of another plan this one was copied from.
    origin = models.ForeignKey(
        "self",
        verbose_name="исходное мероприятие",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    version = models.PositiveIntegerField("версия записи", default=1, editable=False)

    objects = RoadmapPartQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[responsible_organisations, assigned_organisations])

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["roadmap", "order"]
        indexes = [models.Index(fields=["roadmap", "section", "order"], name="measure_position")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(origin=models.F("pk")), name="measure_origin_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:80]}".strip()

    def clean(self) -> None:
        if self.section_id and self.section.roadmap_id != self.roadmap_id:
            raise ValidationError(
                {"section": "Мероприятие можно перенести только в раздел того же плана."}
            )
        if not (self.title or "").strip():
            raise ValidationError({"title": "Укажите текст мероприятия."})
        if self.origin_id and (
            self.origin_id == self.pk or self.origin.roadmap_id == self.roadmap_id
        ):
            raise ValidationError({"origin": "Исходное мероприятие должно быть из другого плана."})


class MeasureWindow(models.Model):
    """One window of a measure's schedule (first day … due day). Execution marks of the
    assigned schools attach to windows; "due this month" and "overdue" query them.

    A window keeps its identity while the schedule is re-derived: it is matched by its
    ``position`` in the schedule and updated in place (``roadmaps.windows.sync_windows``).
    A window that no longer belongs to the schedule but has something recorded against
    it is kept with ``schedule_changed`` set («срок изменён») for a person to resolve."""

    measure = models.ForeignKey(
        Measure, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="windows"
    )
    position = models.PositiveIntegerField("место в графике")
    starts_on = models.DateField("с")
    due_on = models.DateField("срок")
    schedule_changed = models.BooleanField("срок изменён", default=False)

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
            models.UniqueConstraint(
                fields=["measure", "position"],
                condition=models.Q(schedule_changed=False),
                name="window_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d.%m.%Y} – {self.due_on:%d.%m.%Y}"


class PlanConcurrence(models.Model):
    """A concurring party («СОГЛАСОВАНО»): as written in the document, linked to an
    organisation when recognised; while the plan is being concurred it records the party's
    answer. Not to be confused with partnership agreements (соглашения)."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="план", on_delete=models.CASCADE, related_name="concurrences"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation_text = CleanCharField("организация, как написано", max_length=500, blank=True)
    position = CleanCharField("должность", max_length=500, blank=True)
    name = CleanCharField("ФИО", max_length=200, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    date_text = CleanCharField("дата, как написано", max_length=100, blank=True)
    status = models.CharField(
        "решение",
        max_length=20,
        choices=ConcurrenceStatus.choices,
        default=ConcurrenceStatus.PENDING,
    )
    comment = CleanTextField("замечания", blank=True)
    order = models.PositiveIntegerField("порядок", default=0)
    # Asked in the current round of agreement (rows read from a document and not asked are
    # what the document says; the sender confirms which organisations are asked).
    requested = models.BooleanField("запрошено согласование", default=False)
    requested_at = models.DateTimeField("когда запрошено", null=True, blank=True)
    answered_at = models.DateTimeField("когда ответили", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто ответил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RoadmapPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "согласование"
        verbose_name_plural = "согласования"
        ordering = ["roadmap", "order"]

    def __str__(self) -> str:
        return self.organisation_text or str(self.organisation or "")


class PlanEvent(models.Model):
    """One step of a plan's life (sent, agreed, returned, approved, corrected,
    published…): who, when, with what comment, for which party. The plan's history keeps
    the fields; this is the timeline a person reads."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="план", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("событие", max_length=20, choices=PlanEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="от имени организации",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("когда", auto_now_add=True)
    comment = CleanTextField("комментарий", blank=True)

    objects = RoadmapPartQuerySet.as_manager()

    class Meta:
        verbose_name = "событие плана"
        verbose_name_plural = "события плана"
        ordering = ["roadmap", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y}"


class PublicLink(models.Model):
    """A public read-only page of an approved revision, to be linked from the school's
    site (the law asks schools to publish their plans): no login, nothing else of the
    tenant visible, withdrawable."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="план", on_delete=models.CASCADE, related_name="public_links"
    )
    token = models.CharField("ключ ссылки", max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто опубликовал",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("опубликовано", auto_now_add=True)
    withdrawn_at = models.DateTimeField("публикация снята", null=True, blank=True)

    objects = RoadmapPartQuerySet.as_manager()

    class Meta:
        verbose_name = "публикация плана"
        verbose_name_plural = "публикации планов"
        ordering = ["roadmap", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_public_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roadmap} ({self.created_at:%d.%m.%Y})"


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
    file_name = CleanCharField("файл", max_length=300)
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


class ImportJob(Job):
    """An uploaded plan on its way in (загрузка плана для импорта): the file kept in the
    private storage until commit, cancel, refusal or expiry; the column mapping chosen;
    the preview parsed once by a worker (``roadmaps.tasks.parse_import``) and stored as
    JSON (``ParsedPlan.to_stored``), so reloading or paging the preview never parses again.
    ``roadmap`` is set once the plan has been imported from it."""

    id = models.UUIDField("id", primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        Organisation, verbose_name="владелец плана", on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField("файл", max_length=300)
    file_size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField("контрольная сумма", max_length=64)
    file_path = models.CharField("файл в закрытом хранилище", max_length=300, blank=True)
    mapping = models.JSONField("соответствие столбцов", null=True, blank=True)
    preview = models.JSONField("разобранный план", null=True, blank=True)
    warnings = models.JSONField("предупреждения", default=list, blank=True)
    expires_at = models.DateTimeField("хранится до")
    roadmap = models.ForeignKey(
        Roadmap,
        verbose_name="импортированный план",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta(Job.Meta):
        verbose_name = "загрузка для импорта"
        verbose_name_plural = "загрузки для импорта"

    def __str__(self) -> str:
        return self.file_name
