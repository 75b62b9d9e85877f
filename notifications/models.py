"""Reminders and notifications.

Glossary: ReminderSettings (настройки напоминаний муниципалитета: за сколько дней до срока
напоминать и через сколько дней просрочки сообщать руководству), NotificationPreference
(настройки уведомлений человека), Digest (сводка дня: одно письмо человеку в день — строка
задания с состоянием), Notification (уведомление в колокольчике: строка сводки или событие).

The daily job (``notifications.services.reminders_run``) computes what each person should
hear about for a day from the execution records, claims the person's ``Digest`` of that
day (unique on person and day: a second claim fails, so nothing is sent twice), writes the
``Notification`` rows in the same transaction and sends the e-mail after commit
(``notifications.tasks.send_digest``). Events that other services send during the day
(``notifications.services.notify``) are notifications without a digest until the person's
next digest takes them in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.fields import CleanTextField

from .constants import (
    DEFAULT_DIGEST_HOUR,
    DEFAULT_GRACE_DAYS,
    DEFAULT_OFFSETS,
    MAX_GRACE_DAYS,
    MAX_OFFSET_DAYS,
    MAX_OFFSETS,
    DigestState,
    Kind,
)
from .querysets import PersonalQuerySet, ReminderSettingsQuerySet


def default_offsets() -> list[int]:
    return list(DEFAULT_OFFSETS)


def default_muted_kinds() -> list[str]:
    return []


def clean_offsets(value) -> list[int]:
    """Days before the due date: whole numbers 0…60, each once, at most five, largest
    first. Raises ``ValidationError`` (Russian) otherwise."""
    if not isinstance(value, list | tuple) or not value:
        raise ValidationError("Укажите хотя бы один день напоминания.", code="offsets_empty")
    offsets = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int):
            raise ValidationError("Дни напоминаний — целые числа.", code="offsets_type")
        if not 0 <= item <= MAX_OFFSET_DAYS:
            raise ValidationError(
                f"Напоминать можно за 0–{MAX_OFFSET_DAYS} дней до срока.", code="offsets_range"
            )
        offsets.add(item)
    if len(offsets) > MAX_OFFSETS:
        raise ValidationError(
            f"Не больше {MAX_OFFSETS} напоминаний до одного срока.", code="offsets_many"
        )
    return sorted(offsets, reverse=True)


class ReminderSettings(models.Model):
    """When a municipality's organisations are reminded of their deadlines (the
    coordinator decides): ``offsets`` — days before the due date; ``grace_days`` — how long
    a record may stay overdue before the school's director, its curators and the municipal
    coordinator are told (escalation). A municipality without a row uses the defaults."""

    municipality = models.OneToOneField(
        "schools.Municipality",
        verbose_name="муниципалитет",
        on_delete=models.CASCADE,
        related_name="reminder_settings",
    )
    offsets = models.JSONField(
        "напоминать за (дней до срока)",
        default=default_offsets,
        help_text="Например, [7, 1]: за неделю и накануне.",
    )
    grace_days = models.PositiveSmallIntegerField(
        "сообщать руководству через (дней просрочки)",
        default=DEFAULT_GRACE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_GRACE_DAYS)],
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)

    objects = ReminderSettingsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "настройки напоминаний"
        verbose_name_plural = "настройки напоминаний муниципалитетов"
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return f"Напоминания: {self.municipality}"

    def clean(self) -> None:
        try:
            self.offsets = clean_offsets(self.offsets)
        except ValidationError as error:
            raise ValidationError({"offsets": error.messages}) from None


class NotificationPreference(models.Model):
    """One person's choices: e-mail on or off, the hour of the daily digest (in the time
    zone of the person's region), the kinds they do not want (stored as the muted ones, so
    a kind added later reaches everybody until they switch it off), and the secret of
    their calendar feed (none until they ask for the link)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField("присылать сводку на почту", default=True)
    digest_hour = models.PositiveSmallIntegerField(
        "час сводки",
        default=DEFAULT_DIGEST_HOUR,
        validators=[MaxValueValidator(23)],
        help_text="По времени вашего региона.",
    )
    muted_kinds = models.JSONField("отключённые виды уведомлений", default=default_muted_kinds)
    calendar_token = models.CharField(
        "секрет ссылки на календарь", max_length=64, unique=True, null=True, blank=True
    )
    calendar_token_created = models.DateTimeField(
        "ссылка на календарь выпущена", null=True, blank=True
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)

    objects = PersonalQuerySet.as_manager()

    class Meta:
        verbose_name = "настройки уведомлений"
        verbose_name_plural = "настройки уведомлений"

    def __str__(self) -> str:
        return f"Уведомления: {self.person}"

    @property
    def enabled_kinds(self) -> set[str]:
        return set(Kind.values) - set(self.muted_kinds or ())

    def clean(self) -> None:
        muted = self.muted_kinds or []
        if not isinstance(muted, list) or any(kind not in Kind.values for kind in muted):
            raise ValidationError({"muted_kinds": "Неизвестный вид уведомлений."})
        self.muted_kinds = sorted(set(muted))


class Digest(models.Model):
    """The daily digest of one person (сводка): the job row of one e-mail.

    Claimed once per person and day (the unique constraint is the lock: a second claim of
    the same day fails and is counted as already sent); ``covers_from`` … ``day`` are the
    days whose events it reports (more than one when the previous days were missed). The
    e-mail is sent after commit, retried with backoff on a mail server failure
    (``attempts``, ``last_error``, ``next_try_at``); a digest already sent is never sent
    again. Its Message-ID is derived from its id (``message_id``), so that a resend after a
    worker died mid-send is the same message."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="digests",
    )
    day = models.DateField("день")
    covers_from = models.DateField("с дня")
    state = models.CharField(
        "состояние", max_length=10, choices=DigestState.choices, default=DigestState.CLAIMED
    )
    items = models.PositiveIntegerField("уведомлений", default=0)
    # Which run of the daily job claimed the row (a run reads back exactly its own rows).
    run = models.UUIDField("запуск", editable=False)
    attempts = models.PositiveSmallIntegerField("попыток отправки", default=0)
    last_error = models.TextField("последняя ошибка", blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    next_try_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    sent_at = models.DateTimeField("отправлена", null=True, blank=True)

    objects = PersonalQuerySet.as_manager()

    class Meta:
        verbose_name = "сводка дня"
        verbose_name_plural = "сводки дня"
        ordering = ["-day", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="digest_one_per_person_day"),
        ]
        indexes = [
            # The daily job reads the digests of the last days of everybody.
            models.Index(fields=["day"], name="digest_day"),
            # Digests to send (a run that died after claiming; retries).
            models.Index(
                fields=["next_try_at"],
                condition=Q(state="claimed"),
                name="digest_to_send",
            ),
        ]

    def __str__(self) -> str:
        return f"Сводка {self.person} за {self.day:%d.%m.%Y}"

    @property
    def message_id(self) -> str:
        from .mail import message_id

        return message_id(self)


class Notification(models.Model):
    """One thing a person is told (an in-app notification, a line of a digest): a text, the
    place to act (a path of this site), what it is about. Daily items are written with
    their digest; events (``notify``) wait for the person's next digest."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    text = CleanTextField("текст")
    url = models.CharField("ссылка", max_length=500, blank=True)
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap",
        verbose_name="план",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    record = models.ForeignKey(
        "execution.ExecutionRecord",
        verbose_name="отметка",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Plan title as it was when the person was told (the digest groups lines by plan).
    plan_title = models.CharField("план (заголовок)", max_length=1000, blank=True)
    created_at = models.DateTimeField("создано", db_index=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)
    digest = models.ForeignKey(
        Digest,
        verbose_name="сводка",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    objects = PersonalQuerySet.as_manager()

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="notification_person_new"),
            # The bell: one index-only count per page.
            models.Index(
                fields=["person"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # Events waiting for the person's next digest.
            models.Index(
                fields=["person"], condition=Q(digest__isnull=True), name="notification_undigested"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
