"""Every write of monitoring: indicator values and targets, campaigns and the schools'
answers, exam results (one school's table, or an .xlsx file).

Each service owns its transaction, checks what it writes (``full_clean`` and the rules
below, Russian messages, nothing written on any refusal), records history, re-checks the
person's reach after the write (``schools.access.recheck``) and renews the versions of
the dashboards' cache on commit (``dashboard.versions.data_changed``).

Bad input refused with a message: a value outside the unit's range (a share above 100 %),
negative counts, a numerator above its denominator, a school year the campaign does not
ask for, an indicator it does not ask for, a school outside the person's reach (403),
exam counts that do not add up, an unknown subject in an exam file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dashboard.versions import data_changed
from schools.access import FORBIDDEN_MESSAGE, SYSTEM, recheck
from schools.constants import OrganisationKind, Role
from schools.models import Membership, Organisation

from .constants import ResponseState, TargetLevel, school_year_label
from .models import (
    Campaign,
    CampaignResponse,
    ExamResult,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    share_percent,
)

REPORT = "monitoring.change_indicatorvalue"
TARGETS = "monitoring.change_indicatortarget"
CAMPAIGNS = "monitoring.change_campaign"
EXAMS = "monitoring.change_examresult"

MAX_NOTE = 500


def _history_user(user):
    return None if user is SYSTEM else user


# --- Indicator values ---------------------------------------------------------------------


@dataclass
class Entry:
    """One value as a form or a file gives it: a number, or for a share its two counts."""

    indicator: Indicator
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


def _number(text) -> Decimal | None:
    if text is None or text == "":
        return None
    if isinstance(text, Decimal):
        return text
    try:
        return Decimal(str(text).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ValidationError(f"«{text}» — не число.") from None


def checked_value(entry: Entry) -> tuple[Decimal, int | None, int | None]:
    """The value to store for an entry (a share computed from its counts), or the
    Russian reason it cannot be stored (``ValidationError``)."""
    indicator = entry.indicator
    numerator, denominator = entry.numerator, entry.denominator
    for count, label in ((numerator, "Числитель"), (denominator, "Знаменатель")):
        if count is not None and count < 0:
            raise ValidationError(f"{label} не может быть отрицательным ({count}).")
    if indicator.is_share and (numerator is not None or denominator is not None):
        if numerator is None or denominator is None:
            raise ValidationError(
                f"Для доли укажите оба числа: «{indicator.numerator_label}» и "
                f"«{indicator.denominator_label}»."
            )
        if denominator == 0:
            raise ValidationError(f"«{indicator.denominator_label}» не может быть нулём.")
        if numerator > denominator:
            raise ValidationError(
                f"«{indicator.numerator_label}» ({numerator}) больше, чем "
                f"«{indicator.denominator_label}» ({denominator}): доля выше 100 % не бывает."
            )
        value = share_percent(numerator, denominator)
    else:
        if entry.value is None:
            raise ValidationError("Укажите значение.")
        value = Decimal(entry.value).quantize(Decimal("0.01"))
        numerator = denominator = None
    if abs(value) >= Decimal("1e12"):
        raise ValidationError(f"Слишком большое число: {value}.")
    error = indicator.range_error(value)
    if error:
        raise ValidationError(error)
    return value, numerator, denominator


def _store_values(
    *,
    organisation: Organisation,
    school_year: int,
    entries: Sequence[Entry],
    acting_user,
    campaign: Campaign | None,
) -> list[IndicatorValue]:
    """Create or update the organisation's values of the year (matched by indicator:
    rows keep their identity), with who and when; errors of all entries at once, keyed
    by indicator id."""
    errors: dict[str, list[str]] = {}
    checked = []
    for entry in entries:
        if entry.is_empty:
            continue
        try:
            checked.append((entry, *checked_value(entry)))
        except ValidationError as error:
            errors[str(entry.indicator.pk)] = error.messages
    if errors:
        raise ValidationError(errors)
    existing = {
        value.indicator_id: value
        for value in IndicatorValue.objects.select_for_update().filter(
            organisation=organisation,
            school_year=school_year,
            indicator__in=[entry.indicator for entry, *_ in checked],
        )
    }
    now = timezone.now()
    user = _history_user(acting_user)
    saved = []
    for entry, value, numerator, denominator in checked:
        row = existing.get(entry.indicator.pk) or IndicatorValue(
            indicator=entry.indicator, organisation=organisation, school_year=school_year
        )
        row.value, row.numerator, row.denominator = value, numerator, denominator
        row.note = (entry.note or "").strip()[:MAX_NOTE]
        row.campaign = campaign or row.campaign
        row.reported_by, row.reported_at = user, now
        row._history_user = user
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()
        saved.append(row)
    return saved


def _require_year(school_year: int) -> None:
    from .constants import FIRST_YEAR, LAST_YEAR

    if not FIRST_YEAR <= int(school_year) <= LAST_YEAR:
        raise ValidationError(f"Учебный год {school_year} вне допустимых пределов.")


def _require_visible_indicators(user, indicators: Iterable[Indicator]) -> None:
    ids = {indicator.pk for indicator in indicators}
    if not ids or user is SYSTEM:
        return
    found = set(
        Indicator.objects.for_user(user, "view").filter(pk__in=ids).values_list("pk", flat=True)
    )
    if found != ids:
        raise PermissionDenied(FORBIDDEN_MESSAGE)


@transaction.atomic(durable=True)
def indicator_values_report(
    *, organisation: Organisation, school_year: int, entries: Sequence[Entry], acting_user
) -> list[IndicatorValue]:
    """The organisation's actual values of a school year, outside any campaign (the
    school's own page; the municipal authority's values for the municipality)."""
    _require_year(school_year)
    _require_visible_indicators(acting_user, (entry.indicator for entry in entries))
    saved = _store_values(
        organisation=organisation,
        school_year=school_year,
        entries=entries,
        acting_user=acting_user,
        campaign=None,
    )
    data_changed(organisation_ids=[organisation.pk])
    recheck(acting_user, REPORT, *saved)
    return saved


# --- Targets ----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def targets_set(
    *,
    level: str,
    school_year: int,
    values: dict[Indicator, Decimal | None],
    acting_user,
    organisation: Organisation | None = None,
    municipality=None,
    roadmap=None,
) -> list[IndicatorTarget]:
    """Set (or clear, with None) the target values of a school year for a school, a
    municipality or a plan. Rows are matched by indicator and keep their identity."""
    _require_year(school_year)
    if level == TargetLevel.SCHOOL:
        if organisation is None or organisation.kind != OrganisationKind.SCHOOL:
            raise ValidationError("Целевые значения школы задаются для школы.")
        where = {"organisation": organisation}
        place = {
            "region_id": organisation.region_id,
            "municipality_id": organisation.municipality_id,
            "organisation": organisation,
        }
    elif level == TargetLevel.MUNICIPALITY:
        if municipality is None:
            raise ValidationError("Укажите муниципалитет.")
        where = {"municipality": municipality}
        place = {"region_id": municipality.region_id, "municipality": municipality}
    elif level == TargetLevel.PLAN:
        if roadmap is None:
            raise ValidationError("Укажите план.")
        owner = roadmap.owner
        where = {"roadmap": roadmap}
        place = {
            "region_id": owner.region_id,
            "municipality_id": owner.municipality_id,
            "organisation": owner,
            "roadmap": roadmap,
        }
    else:
        raise ValidationError("Неизвестно, для кого целевое значение.")
    _require_visible_indicators(acting_user, values)
    errors: dict[str, list[str]] = {}
    for indicator, value in values.items():
        if value is None:
            continue
        error = indicator.range_error(value)
        if error:
            errors[str(indicator.pk)] = [error]
    if errors:
        raise ValidationError(errors)
    existing = {
        target.indicator_id: target
        for target in IndicatorTarget.objects.select_for_update().filter(
            level=level, school_year=school_year, **where
        )
    }
    user = _history_user(acting_user)
    kept, cleared = [], []
    for indicator, value in values.items():
        target = existing.get(indicator.pk)
        if value is None:
            if target is not None:
                cleared.append(target)
            continue
        if target is None:
            target = IndicatorTarget(
                indicator=indicator, school_year=school_year, level=level, **place
            )
        elif target.value == value:
            kept.append(target)
            continue
        target.value, target.set_by = value, user
        target._history_user = user
        target.full_clean(validate_unique=False, validate_constraints=False)
        target.save()
        kept.append(target)
    if cleared:
        # Only rows the person may change are cleared (the same reach as the write).
        if acting_user is not SYSTEM:
            allowed = set(
                IndicatorTarget.objects.for_user(acting_user, TARGETS)
                .filter(pk__in=[t.pk for t in cleared])
                .values_list("pk", flat=True)
            )
            if allowed != {t.pk for t in cleared}:
                raise PermissionDenied(FORBIDDEN_MESSAGE)
        for target in cleared:
            target._history_user = user
            target.delete()
    data_changed(
        organisation_ids=[place["organisation"].pk] if "organisation" in place else [],
        municipality_ids=[place.get("municipality_id") or getattr(municipality, "pk", None)],
        region_ids=[place["region_id"]],
    )
    recheck(acting_user, TARGETS, *kept)
    return kept


# --- Campaigns --------------------------------------------------------------------------------


def _school_people(school_ids: Iterable[int]) -> list[int]:
    """Who answers for a school: its deputies and directors."""
    return list(
        Membership.objects.filter(
            organisation_id__in=list(school_ids),
            role__in=(Role.SCHOOL_DEPUTY, Role.SCHOOL_DIRECTOR),
            is_active=True,
        )
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )


def _tell(user_ids, text: str, url: str) -> None:
    from notifications.constants import Kind
    from notifications.services import notify

    if user_ids:
        notify(recipients=user_ids, kind=Kind.MESSAGE, text=text, url=url)


@transaction.atomic(durable=True)
def campaign_create(
    *,
    owner: Organisation,
    title: str,
    school_year: int,
    due_on: datetime.date,
    indicators: Sequence[Indicator],
    schools: Sequence[Organisation],
    acting_user,
    instructions: str = "",
) -> Campaign:
    """Ask schools for indicator values of a school year by a date: the campaign, an
    unanswered response per school, a message to each school's deputies and directors
    (the daily reminders chase them until they answer)."""
    _require_year(school_year)
    indicators = list(dict.fromkeys(indicators))
    schools = list(dict.fromkeys(schools))
    if not indicators:
        raise ValidationError("Выберите хотя бы один показатель.")
    if not schools:
        raise ValidationError("Выберите хотя бы одну школу.")
    not_schools = [s.short_name for s in schools if s.kind != OrganisationKind.SCHOOL]
    if not_schools:
        raise ValidationError(f"Это не школы: {', '.join(not_schools)}.")
    _require_visible_indicators(acting_user, indicators)
    user = _history_user(acting_user)
    campaign = Campaign(
        owner=owner,
        title=(title or "").strip(),
        school_year=school_year,
        due_on=due_on,
        instructions=(instructions or "").strip(),
        created_by=user,
    )
    campaign._history_user = user
    campaign.full_clean()
    campaign.save()
    campaign.indicators.set(indicators)
    responses = bulk_create_with_history(
        [CampaignResponse(campaign=campaign, school=school) for school in schools],
        CampaignResponse,
        default_user=user,
    )
    _tell(
        _school_people(s.pk for s in schools),
        f"{owner.short_name} просит заполнить мониторинг «{campaign.title}» "
        f"({school_year_label(school_year)} учебный год) до {due_on:%d.%m.%Y}.",
        f"/monitoring/campaigns/{campaign.pk}/",
    )
    data_changed(organisation_ids=[owner.pk, *(s.pk for s in schools)])
    recheck(acting_user, "monitoring.add_campaign", campaign)
    # Every asked school within the person's reach for campaigns (else nothing written).
    recheck(acting_user, "monitoring.add_campaign", *schools)
    recheck(acting_user, "monitoring.view_campaignresponse", *responses)
    return campaign


@transaction.atomic(durable=True)
def campaign_response_submit(
    *, response: CampaignResponse, entries: Sequence[Entry], acting_user
) -> CampaignResponse:
    """The school's answer: a value for every indicator the campaign asks for, of the
    campaign's school year. Sent again after a reopening, it replaces the values."""
    response = (
        CampaignResponse.objects.select_for_update()
        .select_related("campaign", "school")
        .get(pk=response.pk)
    )
    campaign = response.campaign
    if campaign.is_closed:
        raise ValidationError("Мониторинг завершён: ответы больше не принимаются.")
    if response.state == ResponseState.SUBMITTED:
        raise ValidationError(
            "Ответ уже отправлен. Исправить его можно, когда координатор вернёт его на уточнение."
        )
    asked = {indicator.pk: indicator for indicator in campaign.indicators.all()}
    foreign = [entry.indicator.name for entry in entries if entry.indicator.pk not in asked]
    if foreign:
        raise ValidationError(f"Этот мониторинг не спрашивает: {'; '.join(foreign)}.")
    given = {entry.indicator.pk for entry in entries if not entry.is_empty}
    missing = {str(pk): ["Заполните значение."] for pk in asked if pk not in given}
    if missing:
        raise ValidationError(missing)
    saved = _store_values(
        organisation=response.school,
        school_year=campaign.school_year,
        entries=entries,
        acting_user=acting_user,
        campaign=campaign,
    )
    user = _history_user(acting_user)
    response.state = ResponseState.SUBMITTED
    response.submitted_by, response.submitted_at = user, timezone.now()
    response._history_user = user
    response.save(update_fields=["state", "submitted_by", "submitted_at"])
    data_changed(organisation_ids=[response.school_id, campaign.owner_id])
    recheck(acting_user, REPORT, *saved)
    recheck(acting_user, "monitoring.view_campaignresponse", response)
    return response


@transaction.atomic(durable=True)
def campaign_response_reopen(
    *, response: CampaignResponse, comment: str, acting_user
) -> CampaignResponse:
    """Return a school's answer for correction, with what to correct: the school fills
    the form again (its values stay until it sends new ones)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Напишите, что школе нужно уточнить.")
    response = (
        CampaignResponse.objects.select_for_update()
        .select_related("campaign", "school")
        .get(pk=response.pk)
    )
    if response.campaign.is_closed:
        raise ValidationError("Мониторинг завершён: ответ вернуть нельзя.")
    if response.state != ResponseState.SUBMITTED:
        raise ValidationError("Вернуть на уточнение можно только отправленный ответ.")
    user = _history_user(acting_user)
    response.state = ResponseState.REOPENED
    response.reopened_by, response.reopened_at = user, timezone.now()
    response.reopen_comment = comment[:2000]
    response._history_user = user
    response.save(update_fields=["state", "reopened_by", "reopened_at", "reopen_comment"])
    _tell(
        _school_people([response.school_id]),
        f"Ответ на мониторинг «{response.campaign.title}» возвращён на уточнение: {comment[:300]}",
        f"/monitoring/responses/{response.pk}/",
    )
    data_changed(organisation_ids=[response.school_id, response.campaign.owner_id])
    recheck(acting_user, CAMPAIGNS, response.campaign)
    return response


@transaction.atomic(durable=True)
def campaign_close(*, campaign: Campaign, acting_user) -> Campaign:
    """Stop accepting answers (those not given stay unanswered)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        campaign._history_user = _history_user(acting_user)
        campaign.save(update_fields=["closed_at"])
        data_changed(organisation_ids=[campaign.owner_id])
    recheck(acting_user, CAMPAIGNS, campaign)
    return campaign


# --- Exam results -----------------------------------------------------------------------------

RESULT_FIELDS = (
    "participants",
    "not_passed",
    "band_low",
    "band_mid",
    "band_high",
    "average",
    "high_scorers",
)


@dataclass
class ResultRow:
    """One line of an exam table (a form's row or a file's line): the subject and its
    figures; ``line`` names it in messages («Строка 5»)."""

    exam: str
    subject: object
    year: int
    figures: dict
    line: str = ""


def _store_results(organisation, rows: Sequence[ResultRow], acting_user) -> list[ExamResult]:
    """Validate every row (all messages at once, by line) and write them all, matched by
    (exam, subject, year): rows keep their identity."""
    errors: list[str] = []
    seen: set[tuple] = set()
    keys = {(row.exam, row.subject.pk, row.year) for row in rows}
    existing = {
        (r.exam, r.subject_id, r.year): r
        for r in ExamResult.objects.select_for_update().filter(
            organisation=organisation,
            exam__in={k[0] for k in keys},
            subject_id__in={k[1] for k in keys},
            year__in={k[2] for k in keys},
        )
    }
    now = timezone.now()
    user = _history_user(acting_user)
    prepared = []
    for row in rows:
        key = (row.exam, row.subject.pk, row.year)
        prefix = f"{row.line}: " if row.line else ""
        if key in seen:
            errors.append(f"{prefix}{row.subject} ({row.year}) указан дважды.")
            continue
        seen.add(key)
        result = existing.get(key) or ExamResult(
            organisation=organisation, exam=row.exam, subject=row.subject, year=row.year
        )
        for name in RESULT_FIELDS:
            setattr(result, name, row.figures.get(name))
        if result.not_passed is None:
            result.not_passed = 0
        result.entered_by, result.entered_at = user, now
        result._history_user = user
        try:
            result.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors.extend(f"{prefix}{message}" for message in error.messages)
            continue
        prepared.append(result)
    if errors:
        raise ValidationError(errors)
    for result in prepared:
        result.save()
    return prepared


@transaction.atomic(durable=True)
def exam_results_save(
    *, organisation: Organisation, rows: Sequence[ResultRow], acting_user
) -> list[ExamResult]:
    """A school's results (the table entered in the browser): all of them or none."""
    if organisation.kind != OrganisationKind.SCHOOL:
        raise ValidationError("Результаты экзаменов вносятся для школы.")
    saved = _store_results(organisation, rows, acting_user)
    data_changed(organisation_ids=[organisation.pk])
    recheck(acting_user, EXAMS, *saved)
    return saved


@transaction.atomic(durable=True)
def exam_results_import(
    *, organisation: Organisation, data: bytes, acting_user
) -> list[ExamResult]:
    """A school's results from an .xlsx file of the template (``monitoring.resources``):
    every line valid or nothing written; unknown subjects refused. The school is the one
    the person imports into, never a column of the file."""
    from .resources import read_exam_file

    if organisation.kind != OrganisationKind.SCHOOL:
        raise ValidationError("Результаты экзаменов вносятся для школы.")
    rows = read_exam_file(data)
    saved = _store_results(organisation, rows, acting_user)
    data_changed(organisation_ids=[organisation.pk])
    recheck(acting_user, "monitoring.import_examresult", *saved)
    return saved
