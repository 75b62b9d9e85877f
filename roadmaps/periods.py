"""Plan periods as plain date arithmetic (no Django): the period of next year's plan."""

from __future__ import annotations

import calendar
import datetime


def shift_date(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February in a year
    that is not a leap year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 2, 28)
    return day.replace(year=year)


def shift_period(
    start: datetime.date, end: datetime.date, years: int
) -> tuple[datetime.date, datetime.date]:
    """Both ends of a period moved by whole years. A period that ends on the last day of
    February ends on the last day of February again (28 or 29)."""
    new_end = shift_date(end, years)
    if end.month == 2 and end.day == calendar.monthrange(end.year, 2)[1]:
        new_end = new_end.replace(day=calendar.monthrange(new_end.year, 2)[1])
    return shift_date(start, years), new_end


def next_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period that follows: shifted by as many calendar years as the period touches
    (2025 → 2026; a school year 2025–2026 → 2026–2027; 2024–2026 → 2027–2029)."""
    return shift_period(start, end, end.year - start.year + 1)
