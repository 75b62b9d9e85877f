"""Monitoring.

Glossary: Indicator (целевой показатель), IndicatorTarget (целевое значение на учебный год
для школы, муниципалитета или плана), IndicatorValue (фактическое значение, которое
сообщила школа или муниципалитет), Campaign (мониторинг: запрос значений у школ к дате),
CampaignResponse (ответ школы на мониторинг), Subject (учебный предмет), ExamResult
(итоги ЕГЭ/ОГЭ/ВПР школы по предмету за год).

A school year is stored as the calendar year it starts in (2025 = «2025/2026»). A share
(«доля») is computed from its two counts when they are known: 18 of 21 → 85.71 %.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.fields import CleanCharField, CleanTextField
from schools.models import Municipality, Organisation, Region

from .constants import (
    EXAM_SCALE,
    FIRST_YEAR,
    HIGH_SCORE_EXAMS,
    LAST_YEAR,
    Direction,
    Exam,
    IndicatorCategory,
    ResponseState,
    TargetLevel,
    school_year_label,
)
from .querysets import (
    CampaignQuerySet,
    CampaignResponseQuerySet,
    ExamResultQuerySet,
    IndicatorQuerySet,
    IndicatorTargetQuerySet,
    IndicatorValueQuerySet,
)

YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def number_text(value: Decimal) -> str:
    """120.00 → «120», 85.70 → «85,7»: a number as a Russian text writes it."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def share_percent(numerator: int, denominator: int) -> Decimal | None:
    """18 of 21 → 85.71 (per cent, two decimals); None without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


class Indicator(models.Model):
    """A target indicator with its unit, category and which direction is better. A share
    («доля») is computed from two counts (``is_share``: the numerator and denominator are
    named). Indicators without an owner are the default catalogue (the five tables of the
    regional school template), visible to everyone; an organisation may add its own."""

    owner = models.ForeignKey(
        Organisation,
        verbose_name="кто установил",
        on_delete=models.PROTECT,
        related_name="indicators",
        null=True,
        blank=True,
        help_text="Пусто — общий перечень (таблицы показателей регионального шаблона).",
    )
    code = models.SlugField("код", max_length=50, blank=True)
    name = CleanCharField("наименование", max_length=500)
    unit = CleanCharField("единица измерения", max_length=50, blank=True)
    category = models.CharField("категория", max_length=20, choices=IndicatorCategory.choices)
    direction = models.CharField(
        "направление", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    is_share = models.BooleanField(
        "доля (считается из двух чисел)",
        default=False,
        help_text="Значение — процент: числитель из знаменателя (18 из 21 → 85,71 %).",
    )
    numerator_label = CleanCharField("числитель", max_length=200, blank=True)
    denominator_label = CleanCharField("знаменатель", max_length=200, blank=True)
    min_value = models.DecimalField(
        "наименьшее значение", max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        "наибольшее значение", max_digits=14, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField("порядок в таблице", default=0)
    is_active = models.BooleanField("действует", default=True)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "целевой показатель"
        verbose_name_plural = "целевые показатели"
        ordering = ["category", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="indicator_unique_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(owner__isnull=True), name="indicator_unique_default"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="indicator_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.unit}" if self.unit else self.name

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """The range a value may take: a share is 0–100 %; otherwise what is set."""
        if self.is_share:
            return Decimal(0), HUNDRED
        return self.min_value, self.max_value

    def range_error(self, value: Decimal) -> str | None:
        """Why a value is outside the unit's range (None when it is not)."""
        low, high = self.bounds
        unit = f" {self.unit}" if self.unit else ""
        if low is not None and value < low:
            return f"Значение {number_text(value)}{unit} меньше допустимого ({number_text(low)}{unit})."
        if high is not None and value > high:
            if self.is_share or (self.unit == "%" and high == HUNDRED):
                return f"Доля не может быть больше 100 % (введено {number_text(value)} %)."
            return f"Значение {number_text(value)}{unit} больше допустимого ({number_text(high)}{unit})."
        return None

    def meets(self, value: Decimal | None, target: Decimal | None) -> bool | None:
        """Whether a value reaches the target in the indicator's direction."""
        if value is None or target is None:
            return None
        return value >= target if self.direction == Direction.HIGHER else value <= target

    def clean(self) -> None:
        errors = {}
        if self.is_share and not (self.numerator_label and self.denominator_label):
            errors["is_share"] = "Для доли назовите числитель и знаменатель."
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = "Наибольшее значение меньше наименьшего."
        if errors:
            raise ValidationError(errors)


class IndicatorTarget(models.Model):
    """The value an indicator should reach in a school year: for one school, for a
    municipality as a whole, or for a plan. Region (and municipality, organisation) are
    kept on the row: the target hangs on the tenant tree by them (a plan's target on the
    plan's owner)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="показатель", on_delete=models.CASCADE, related_name="targets"
    )
    school_year = models.PositiveSmallIntegerField("учебный год", validators=YEAR_VALIDATORS)
    level = models.CharField("для кого", max_length=20, choices=TargetLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name="регион", on_delete=models.CASCADE, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="школа (владелец плана)",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap",
        verbose_name="план",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    value = models.DecimalField("целевое значение", max_digits=14, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто установил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField("когда установлено", auto_now=True)

    objects = IndicatorTargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "целевое значение показателя"
        verbose_name_plural = "целевые значения показателей"
        ordering = ["school_year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "school_year", "organisation"],
                condition=Q(level=TargetLevel.SCHOOL),
                name="target_unique_school",
            ),
            models.UniqueConstraint(
                fields=["indicator", "school_year", "municipality"],
                condition=Q(level=TargetLevel.MUNICIPALITY),
                name="target_unique_municipality",
            ),
            models.UniqueConstraint(
                fields=["indicator", "school_year", "roadmap"],
                condition=Q(level=TargetLevel.PLAN),
                name="target_unique_plan",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        level=TargetLevel.SCHOOL,
                        organisation__isnull=False,
                        municipality__isnull=False,
                        roadmap__isnull=True,
                    )
                    | Q(
                        level=TargetLevel.MUNICIPALITY,
                        organisation__isnull=True,
                        municipality__isnull=False,
                        roadmap__isnull=True,
                    )
                    | Q(level=TargetLevel.PLAN, organisation__isnull=False, roadmap__isnull=False)
                ),
                name="target_level_consistent",
            ),
        ]
        indexes = [models.Index(fields=["region", "school_year"], name="target_region_year")]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value} ({school_year_label(self.school_year)})"


class Campaign(models.Model):
    """A monitoring campaign: an authority or centre asks a set of schools for a set of
    indicators of one school year by a date. Each school answers once (``CampaignResponse``);
    the coordinator may reopen an answer with a comment."""

    owner = models.ForeignKey(
        Organisation,
        verbose_name="кто проводит",
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = CleanCharField("название", max_length=300)
    school_year = models.PositiveSmallIntegerField("учебный год", validators=YEAR_VALIDATORS)
    due_on = models.DateField("срок ответа")
    instructions = CleanTextField("пояснение для школ", blank=True)
    indicators = models.ManyToManyField(
        Indicator, verbose_name="показатели", related_name="campaigns"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто создал",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    closed_at = models.DateTimeField("завершён", null=True, blank=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "мониторинг"
        verbose_name_plural = "мониторинги"
        ordering = ["-due_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def school_year_text(self) -> str:
        return school_year_label(self.school_year)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CampaignResponse(models.Model):
    """One school's answer to a campaign: pending until the school sends its values,
    submitted, or reopened by the coordinator with a comment (the school corrects and
    sends again). The values themselves are ``IndicatorValue`` rows of the school."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="мониторинг", on_delete=models.CASCADE, related_name="responses"
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name="школа",
        on_delete=models.PROTECT,
        related_name="campaign_responses",
    )
    state = models.CharField(
        "состояние", max_length=20, choices=ResponseState.choices, default=ResponseState.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто отправил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField("когда отправлено", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто вернул",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField("когда возвращено", null=True, blank=True)
    reopen_comment = CleanTextField("что уточнить", blank=True)

    objects = CampaignResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ответ школы на мониторинг"
        verbose_name_plural = "ответы школ на мониторинги"
        ordering = ["campaign", "school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="response_unique_school"),
        ]
        indexes = [models.Index(fields=["state", "campaign"], name="response_state")]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.school}"

    @property
    def is_open(self) -> bool:
        """The school may (still or again) fill the form."""
        return self.state != ResponseState.SUBMITTED and not self.campaign.is_closed


class IndicatorValue(models.Model):
    """The actual value of an indicator for an organisation (a school, or a municipal
    authority for its municipality) in a school year, with who reported it and when. For
    a share the two counts are kept and the value is computed from them."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="показатель", on_delete=models.PROTECT, related_name="values"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="организация",
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    school_year = models.PositiveSmallIntegerField("учебный год", validators=YEAR_VALIDATORS)
    value = models.DecimalField("значение", max_digits=14, decimal_places=2)
    numerator = models.PositiveIntegerField("числитель", null=True, blank=True)
    denominator = models.PositiveIntegerField("знаменатель", null=True, blank=True)
    note = CleanCharField("примечание", max_length=500, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="по мониторингу",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="values",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто сообщил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField("когда сообщено")

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "значение показателя"
        verbose_name_plural = "значения показателей"
        ordering = ["school_year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "school_year"], name="value_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=F("denominator")),
                name="value_share_counts",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "school_year"], name="value_org_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value} ({school_year_label(self.school_year)})"


class Subject(models.Model):
    """A school subject as the exam results name it (the catalogue refuses unknown ones in
    imports). ``aliases``: other spellings met in files, one a line."""

    name = CleanCharField("предмет", max_length=100, unique=True)
    aliases = CleanTextField("другие написания", blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "учебный предмет"
        verbose_name_plural = "учебные предметы"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ExamResult(models.Model):
    """Results of one exam (ЕГЭ, ОГЭ, ВПР) in one subject at one school in one year:
    participants, how many did not pass, how many are in each of the three bands above
    (``constants.EXAM_BANDS``), the average score and, for ЕГЭ, the 80+ scorers."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="школа", on_delete=models.PROTECT, related_name="exam_results"
    )
    exam = models.CharField("экзамен", max_length=5, choices=Exam.choices)
    subject = models.ForeignKey(
        Subject, verbose_name="предмет", on_delete=models.PROTECT, related_name="results"
    )
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    participants = models.PositiveIntegerField("участников")
    not_passed = models.PositiveIntegerField("не преодолели порог", default=0)
    band_low = models.PositiveIntegerField("первая группа", null=True, blank=True)
    band_mid = models.PositiveIntegerField("вторая группа", null=True, blank=True)
    band_high = models.PositiveIntegerField("третья группа", null=True, blank=True)
    average = models.DecimalField(
        "средний балл", max_digits=5, decimal_places=2, null=True, blank=True
    )
    high_scorers = models.PositiveIntegerField("80 баллов и выше", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто внёс",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField("когда внесено")

    objects = ExamResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "результат экзамена"
        verbose_name_plural = "результаты экзаменов"
        ordering = ["-year", "exam", "subject"]
        permissions = [("import_examresult", "Импорт результатов экзаменов")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "exam", "subject", "year"], name="exam_unique_result"
            ),
            models.CheckConstraint(
                condition=Q(not_passed__lte=F("participants")), name="exam_not_passed_le_total"
            ),
        ]
        indexes = [models.Index(fields=["year", "exam"], name="exam_year")]

    def __str__(self) -> str:
        return f"{self.get_exam_display()} {self.year}: {self.subject}"

    def clean(self) -> None:
        """Counts that add up, an average on the exam's scale (messages in Russian)."""
        errors: list[str] = []
        participants = self.participants or 0
        if self.not_passed is not None and self.not_passed > participants:
            errors.append(
                f"Не преодолели порог {self.not_passed} — больше, чем участников ({participants})."
            )
        bands = [self.band_low, self.band_mid, self.band_high]
        given = [band for band in bands if band is not None]
        if given and len(given) != 3:
            errors.append("Заполните все три группы по баллам или оставьте их пустыми.")
        elif given and (self.not_passed or 0) + sum(given) != participants:
            errors.append(
                f"Не преодолевшие порог и группы по баллам дают {(self.not_passed or 0) + sum(given)}"
                f" человек, а участников {participants}."
            )
        low, high = EXAM_SCALE.get(self.exam, (0, 100))
        if self.average is not None and not low <= self.average <= high:
            errors.append(
                f"Средний балл {self.get_exam_display()} должен быть от {low} до {high} "
                f"(введено {self.average})."
            )
        if self.average is not None and participants == 0:
            errors.append("Средний балл без участников не бывает.")
        if self.high_scorers is not None:
            if self.exam not in HIGH_SCORE_EXAMS:
                errors.append("Число набравших 80 баллов и выше указывают только для ЕГЭ.")
            elif self.high_scorers > participants - (self.not_passed or 0):
                errors.append(
                    f"Набравших 80 баллов и выше ({self.high_scorers}) больше, чем сдавших "
                    f"({participants - (self.not_passed or 0)})."
                )
        if errors:
            raise ValidationError(errors)
