"""Next year's plan period: whole years forward, 29 February kept honest."""

import datetime

import pytest

from roadmaps.periods import next_period, shift_date, shift_period

D = datetime.date


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2025, 3, 1), 1, D(2026, 3, 1)),
        (D(2024, 2, 29), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2024, 2, 29), -1, D(2023, 2, 28)),
        (D(2023, 2, 28), 1, D(2024, 2, 28)),
        (D(2025, 12, 31), 3, D(2028, 12, 31)),
    ],
)
def test_shift_date(day, years, expected):
    assert shift_date(day, years) == expected


@pytest.mark.parametrize(
    ("start", "end", "years", "expected"),
    [
        # A period ending on the last day of February ends there again, 28 or 29.
        (D(2023, 9, 1), D(2024, 2, 29), 2, (D(2025, 9, 1), D(2026, 2, 28))),
        (D(2022, 9, 1), D(2023, 2, 28), 1, (D(2023, 9, 1), D(2024, 2, 29))),
        (D(2024, 2, 29), D(2024, 12, 31), 1, (D(2025, 2, 28), D(2025, 12, 31))),
        (D(2024, 1, 1), D(2024, 2, 27), 1, (D(2025, 1, 1), D(2025, 2, 27))),
    ],
)
def test_shift_period(start, end, years, expected):
    assert shift_period(start, end, years) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2025, 1, 1), D(2025, 12, 31), (D(2026, 1, 1), D(2026, 12, 31))),
        (D(2025, 9, 1), D(2026, 5, 31), (D(2027, 9, 1), D(2028, 5, 31))),
        (D(2024, 1, 1), D(2026, 12, 31), (D(2027, 1, 1), D(2029, 12, 31))),
        # The case that crashed the «План на следующий период» page.
        (D(2023, 3, 1), D(2024, 2, 29), (D(2025, 3, 1), D(2026, 2, 28))),
        (D(2024, 2, 29), D(2024, 12, 31), (D(2025, 2, 28), D(2025, 12, 31))),
    ],
)
def test_next_period(start, end, expected):
    assert next_period(start, end) == expected
