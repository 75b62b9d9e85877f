"""The demo's monitoring (``monitoring``), recorded through the services by the demo people
at their moments (``as_of``), relative to the day the demo was first seeded:

* the indicator values of the default catalogue for the six schools of Новокубанский
  район below, for the three school years before the current one (shares from their
  counts; the schools with low results improve year by year);
* targets of the current school year for the municipality (set by ``coordinator``) and
  for СОШ № 3 (set by its ``director``);
* exam results of the last three exam years: ЕГЭ (not for the basic school ООШ № 12),
  ОГЭ and ВПР by subject;
* last year's campaign of ``coordinator``: answered by the four schools of the plan in
  execution, closed (СОШ № 1 and № 2 never answered);
* this year's campaign of ``coordinator``, due in three days: СОШ № 5 and № 8 answered,
  ООШ № 12 answered and was asked to correct (reopened with a comment), СОШ № 3 (user
  ``deputy``) has not answered yet — a person answers it in the browser —, nor have
  СОШ № 1 and № 2.

One service call per write, as the product does; every step first checks whether it was
done, so a later or interrupted run adds only what is missing."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from monitoring import services
from monitoring.constants import Exam, ResponseState, TargetLevel, school_year_of
from monitoring.models import (
    Campaign,
    CampaignResponse,
    ExamResult,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Subject,
)
from monitoring.services import Entry, ResultRow
from schools.access import SYSTEM
from schools.constants import SchoolLevel
from schools.models import Organisation, User

from . import scenario
from .execution import reference_day
from .timeshift import as_of

DAY = datetime.timedelta(days=1)
S1, S2 = "МОБУ СОШ № 1", "МОБУ СОШ № 2"
SCHOOLS = (scenario.S3, scenario.S5, scenario.S8, scenario.S12, S1, S2)
# The schools of the plan in execution have low results; the leaders do better.
LOW = frozenset(scenario.SCHOOLS)
VALUE_YEARS = 3
EXAM_YEARS = 3
CAMPAIGN_DUE_IN = 3
CAMPAIGN_INDICATORS = (
    "staff-training",
    "staff-category",
    "staff-vacancies",
    "edu-quality",
    "edu-olympiads",
    "safe-truancy",
)
CURRENT_TITLE = "Кадровые и учебные показатели школ"
CLOSED_TITLE = "Итоги учебного года: показатели школ"
REOPEN_COMMENT = (
    "Проверьте число педагогов: в кадровом отчёте школы их 24, а в ответе указано 21. "
    "Исправьте доли и отправьте ответ снова."
)
MUNICIPAL_TARGETS = {
    "staff-training": Decimal(90),
    "staff-category": Decimal(55),
    "edu-quality": Decimal(45),
    "edu-no-basic": Decimal(2),
    "edu-ege-russian": Decimal(68),
    "safe-truancy": Decimal(1),
}
SCHOOL_TARGETS = {
    "staff-training": Decimal(85),
    "edu-quality": Decimal(38),
    "edu-no-basic": Decimal(3),
    "edu-ege-russian": Decimal(62),
}
EXAMS = {
    Exam.EGE: ("Русский язык", "Математика (профильный уровень)", "Обществознание", "Биология"),
    Exam.OGE: ("Русский язык", "Математика", "Обществознание", "География"),
    Exam.VPR: ("Русский язык", "Математика", "Окружающий мир"),
}


def _rng(*parts) -> random.Random:
    # Demo figures only: a generator seeded by name gives the same numbers on every run.
    return random.Random("-".join(str(p) for p in parts))  # noqa: S311


def _size(short: str) -> dict[str, int]:
    """A school's stable counts: teachers, pupils, 9th and 11th graders."""
    rng = _rng("size", short)
    return {
        "teachers": rng.randint(22, 48),
        "pupils": rng.randint(280, 820),
        "basic": rng.randint(35, 80),
        "secondary": rng.randint(12, 30),
    }


def _share(rng: random.Random, total: int, low: float, high: float) -> tuple[int, int]:
    return round(total * rng.uniform(low, high)), total


def entries_for(short: str, year: int, step: int, indicators: list[Indicator]) -> list[Entry]:
    """Sensible values of a school's year (``step``: the how-many-th year of the demo, from
    0): a low-results school starts lower and gains a little each year; shares are counts
    of the school's own size. The same year gives the same values whatever is asked."""
    size = _size(short)
    base = (0.55 if short in LOW else 0.72) + 0.04 * step
    rng = random.Random()  # noqa: S311 — demo figures, seeded per indicator below
    counts = {
        "fin-rooms": lambda: _share(rng, rng.randint(20, 40), base - 0.1, base + 0.1),
        "staff-training": lambda: _share(rng, size["teachers"], base, min(base + 0.2, 1)),
        "staff-deficits": lambda: _share(rng, size["teachers"], base - 0.1, base + 0.1),
        "staff-category": lambda: _share(rng, size["teachers"], base - 0.25, base - 0.1),
        "staff-young": lambda: _share(rng, size["teachers"], 0.1, 0.25),
        "meth-communities": lambda: _share(rng, size["teachers"], base - 0.2, base),
        "meth-digital": lambda: _share(rng, size["teachers"], base, min(base + 0.2, 1)),
        "edu-quality": lambda: _share(rng, size["pupils"], base - 0.4, base - 0.25),
        "edu-no-basic": lambda: _share(rng, size["basic"], 0, 0.06 if short in LOW else 0.02),
        "edu-no-secondary": lambda: _share(rng, size["secondary"], 0, 0.05 if short in LOW else 0),
        "edu-ege-fail": lambda: _share(rng, size["secondary"], 0.02, 0.12 if short in LOW else 0.04),
        "edu-olympiads": lambda: _share(rng, size["pupils"], base - 0.35, base - 0.15),
        "edu-extra": lambda: _share(rng, size["pupils"], base - 0.1, base + 0.1),
        "safe-register": lambda: _share(rng, size["pupils"], 0.005, 0.03),
        "safe-truancy": lambda: _share(rng, size["pupils"], 0.003, 0.025),
    }  # fmt: skip
    numbers = {
        "fin-mtb": lambda: Decimal(rng.randrange(400, 3200, 50)),
        "fin-grants": lambda: Decimal(rng.randint(0, 4)),
        "fin-bonus": lambda: Decimal(rng.randint(15, 40)),
        "staff-vacancies": lambda: Decimal(rng.randint(0, 4 if short in LOW else 1)),
        "meth-events": lambda: Decimal(rng.randint(4, 16)),
        "meth-tutors": lambda: Decimal(rng.randint(1, 3) if short in LOW else 0),
        "edu-ege-russian": lambda: Decimal(rng.randint(56, 66) if short in LOW else rng.randint(66, 76)),
        "safe-offences": lambda: Decimal(rng.randint(0, 4 if short in LOW else 1)),
        "safe-orders": lambda: Decimal(rng.randint(0, 2)),
    }  # fmt: skip
    found = []
    for indicator in indicators:
        rng.seed(f"values-{short}-{year}-{indicator.code}")
        if indicator.is_share and indicator.code in counts:
            numerator, denominator = counts[indicator.code]()
            found.append(Entry(indicator, numerator=max(numerator, 0), denominator=denominator))
        elif not indicator.is_share and indicator.code in numbers:
            found.append(Entry(indicator, value=numbers[indicator.code]()))
    return found


def _exam_rows(short: str, school: Organisation, year: int, subjects: dict[str, Subject]):
    rows = []
    size = _size(short)
    for exam, names in EXAMS.items():
        if exam == Exam.EGE and school.level == SchoolLevel.BASIC:
            continue
        for name in names:
            rng = _rng("exam", short, exam, name, year)
            weak = short in LOW
            if exam == Exam.EGE:
                participants = size["secondary"] if name == "Русский язык" else rng.randint(4, 14)
                failed = rng.randint(0, 2 if weak else 1)
                rest = participants - failed
                high = rng.randint(0, rest // (6 if weak else 3))
                mid = rng.randint(0, rest - high)
                low = rest - high - mid
                total = failed * 30 + low * 50 + mid * 70 + high * 88
                figures = {
                    "participants": participants,
                    "not_passed": failed,
                    "band_low": low,
                    "band_mid": mid,
                    "band_high": high,
                    "average": (Decimal(total) / participants).quantize(Decimal("0.01")),
                    "high_scorers": high,
                }
            else:
                participants = size["basic"] if exam == Exam.OGE else rng.randint(40, 90)
                failed = rng.randint(0, 4 if weak else 1)
                rest = participants - failed
                five = rng.randint(0, rest // (6 if weak else 3))
                four = rng.randint(0, rest - five)
                three = rest - five - four
                total = 2 * failed + 3 * three + 4 * four + 5 * five
                figures = {
                    "participants": participants,
                    "not_passed": failed,
                    "band_low": three,
                    "band_mid": four,
                    "band_high": five,
                    "average": (Decimal(total) / participants).quantize(Decimal("0.01")),
                }
            rows.append(ResultRow(exam=exam, subject=subjects[name], year=year, figures=figures))
    return rows


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=datetime.UTC)


def _campaign(
    owner: Organisation,
    title: str,
    school_year: int,
    due_on: datetime.date,
    created_on: datetime.date,
    indicators: list[Indicator],
    schools: list[Organisation],
    who,
) -> Campaign:
    campaign = Campaign.objects.filter(owner=owner, title=title, school_year=school_year).first()
    if campaign is None:
        with as_of(_moment(created_on)):
            campaign = services.campaign_create(
                owner=owner,
                title=title,
                school_year=school_year,
                due_on=due_on,
                indicators=indicators,
                schools=schools,
                acting_user=who,
                instructions="Заполните значения показателей школы за учебный год; доли "
                "считаются из двух чисел.",
            )
    return campaign


def _answer(response: CampaignResponse, short: str, step: int, on: datetime.date, who) -> None:
    if response.state != ResponseState.PENDING:
        return
    indicators = list(response.campaign.indicators.all())
    with as_of(_moment(on, 12)):
        services.campaign_response_submit(
            response=response,
            entries=entries_for(short, response.campaign.school_year, step, indicators),
            acting_user=who,
        )


def seed_monitoring(by_short: dict[str, Organisation]) -> int:
    """The demo's monitoring (the module docstring); returns how many writes were made."""
    owner = by_short[scenario.OWNER]
    day = reference_day(owner)
    current = school_year_of(day)
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["coordinator", "director", *scenario.MARKER.values()]
        )
    }
    coordinator = people.get(scenario.COORDINATOR, SYSTEM)

    def marker(short: str):
        return people.get(scenario.MARKER.get(short, ""), SYSTEM)

    schools = {short: by_short[short] for short in SCHOOLS}
    catalogue = list(Indicator.objects.filter(owner__isnull=True, is_active=True))
    writes = 0

    # Values of the three school years before this one, reported in June after each.
    reported = set(
        IndicatorValue.objects.filter(organisation__in=schools.values()).values_list(
            "organisation_id", "school_year"
        )
    )
    first = current - VALUE_YEARS
    for year in range(first, current):
        for short, school in schools.items():
            if (school.pk, year) in reported:
                continue
            with as_of(_moment(datetime.date(year + 1, 6, 20))):
                services.indicator_values_report(
                    organisation=school,
                    school_year=year,
                    entries=entries_for(short, year, year - first, catalogue),
                    acting_user=marker(short),
                )
            writes += 1

    # Targets of this school year: the municipality's and СОШ № 3's.
    by_code = {indicator.code: indicator for indicator in catalogue}
    municipality = owner.municipality
    set_on = _moment(min(datetime.date(current, 9, 10), day - 2 * DAY))
    if not IndicatorTarget.objects.filter(
        level=TargetLevel.MUNICIPALITY, school_year=current, municipality=municipality
    ).exists():
        with as_of(set_on):
            services.targets_set(
                level=TargetLevel.MUNICIPALITY,
                school_year=current,
                values={by_code[c]: v for c, v in MUNICIPAL_TARGETS.items()},
                municipality=municipality,
                acting_user=coordinator,
            )
        writes += 1
    s3 = schools[scenario.S3]
    if not IndicatorTarget.objects.filter(
        level=TargetLevel.SCHOOL, school_year=current, organisation=s3
    ).exists():
        with as_of(set_on + DAY):
            services.targets_set(
                level=TargetLevel.SCHOOL,
                school_year=current,
                values={by_code[c]: v for c, v in SCHOOL_TARGETS.items()},
                organisation=s3,
                acting_user=people.get("director", SYSTEM),
            )
        writes += 1

    # Exam results of the last three exam years (the exams end in June).
    last_exams = day.year if day.month >= 7 else day.year - 1
    subjects = {subject.name: subject for subject in Subject.objects.all()}
    entered = set(
        ExamResult.objects.filter(organisation__in=schools.values()).values_list(
            "organisation_id", "year"
        )
    )
    for year in range(last_exams - EXAM_YEARS + 1, last_exams + 1):
        for short, school in schools.items():
            if (school.pk, year) in entered:
                continue
            with as_of(_moment(min(datetime.date(year, 7, 15), day - DAY))):
                services.exam_results_save(
                    organisation=school,
                    rows=_exam_rows(short, school, year, subjects),
                    acting_user=marker(short),
                )
            writes += 1

    asked = [by_code[code] for code in CAMPAIGN_INDICATORS]
    # Last year's campaign: the four schools of the plan answered, then it was closed.
    closed_due = datetime.date(current, 6, 10)
    closed = _campaign(
        owner,
        CLOSED_TITLE,
        current - 1,
        closed_due,
        closed_due - 20 * DAY,
        asked,
        list(schools.values()),
        coordinator,
    )
    responses = {
        r.school.short_name: r for r in closed.responses.select_related("campaign", "school")
    }
    for offset, short in enumerate(scenario.SCHOOLS):
        _answer(
            responses[short], short, VALUE_YEARS - 1, closed_due - (8 - offset) * DAY, marker(short)
        )
    if closed.closed_at is None:
        with as_of(_moment(closed_due + 14 * DAY)):
            services.campaign_close(campaign=closed, acting_user=coordinator)
        writes += 1

    # This year's campaign, due in three days.
    campaign = _campaign(
        owner,
        CURRENT_TITLE,
        current,
        day + CAMPAIGN_DUE_IN * DAY,
        day - 12 * DAY,
        asked,
        list(schools.values()),
        coordinator,
    )
    responses = {
        r.school.short_name: r for r in campaign.responses.select_related("campaign", "school")
    }
    for offset, short in enumerate((scenario.S5, scenario.S8, scenario.S12)):
        _answer(responses[short], short, VALUE_YEARS, day - (6 - offset) * DAY, marker(short))
    reopened = responses[scenario.S12]
    reopened.refresh_from_db()
    if reopened.state == ResponseState.SUBMITTED and reopened.reopened_at is None:
        with as_of(_moment(day - 2 * DAY, 9)):
            services.campaign_response_reopen(
                response=reopened, comment=REOPEN_COMMENT, acting_user=coordinator
            )
        writes += 1
    return writes
