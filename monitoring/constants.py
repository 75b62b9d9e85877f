"""Choices of the monitoring app, with the Russian terms people use, and the school year."""

from __future__ import annotations

import datetime

from django.db import models


class IndicatorCategory(models.TextChoices):
    """The five indicator tables of the regional school template, in its order."""

    FINANCIAL = "financial", "Финансовая поддержка"
    STAFF = "staff", "Кадровая поддержка"
    METHODICAL = "methodical", "Информационно-методическая поддержка"
    TEACHING = "teaching", "Организация учебного процесса"
    SAFETY = "safety", "Безопасность"


class Direction(models.TextChoices):
    HIGHER = "higher", "Чем больше, тем лучше"
    LOWER = "lower", "Чем меньше, тем лучше"


class TargetLevel(models.TextChoices):
    """Whom a target value is set for."""

    SCHOOL = "school", "Школа"
    MUNICIPALITY = "municipality", "Муниципалитет"
    PLAN = "plan", "План"


class ResponseState(models.TextChoices):
    """A school's answer to a monitoring campaign."""

    PENDING = "pending", "Ждёт ответа"
    SUBMITTED = "submitted", "Отправлено"
    REOPENED = "reopened", "Возвращено на уточнение"


class Exam(models.TextChoices):
    EGE = "ege", "ЕГЭ"
    OGE = "oge", "ОГЭ"
    VPR = "vpr", "ВПР"


# The score bands of each exam: the words of the columns «не преодолели» and the three
# bands above it (the «Итоги ЕГЭ» table of the school template), the scale of the average
# score, and whether the count of 80+ scorers applies.
EXAM_BANDS: dict[str, tuple[str, str, str, str]] = {
    Exam.EGE: ("ниже минимального балла", "от минимального до 60", "61–80 баллов", "81–100 баллов"),
    Exam.OGE: ("«2»", "«3»", "«4»", "«5»"),
    Exam.VPR: ("«2»", "«3»", "«4»", "«5»"),
}
EXAM_SCALE: dict[str, tuple[int, int]] = {Exam.EGE: (0, 100), Exam.OGE: (2, 5), Exam.VPR: (2, 5)}
HIGH_SCORE_EXAMS = frozenset({Exam.EGE})
HIGH_SCORE_LABEL = "80 баллов и выше"

# Years a school year or an exam year may have (a mistyped «20225» is refused).
FIRST_YEAR = 2000
LAST_YEAR = 2100


def school_year_label(year: int) -> str:
    """2025 → «2025/2026»: a school year is named by the calendar year it starts in."""
    return f"{year}/{year + 1}"


def school_year_of(day: datetime.date) -> int:
    """The school year a day belongs to (it starts on 1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def parse_school_year(text: str) -> int | None:
    """«2025/2026», «2025-2026», «2025/26» or «2025» → 2025; anything else → None."""
    text = (text or "").strip().replace("–", "-").replace("—", "-").replace(" ", "")
    head, _, tail = text.replace("/", "-").partition("-")
    if not head.isdigit() or len(head) != 4:
        return None
    year = int(head)
    if tail and not (tail.isdigit() and (int(tail) == year + 1 or int(tail) == (year + 1) % 100)):
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return year
