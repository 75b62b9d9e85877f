"""Helpers of the monitoring tests: indicators of the default catalogue, exam rows."""

from __future__ import annotations

from decimal import Decimal

from monitoring.models import Indicator, Subject


def indicator(code: str) -> Indicator:
    """An indicator of the default catalogue (the data migration wrote it)."""
    return Indicator.objects.get(code=code)


def subject(name: str) -> Subject:
    return Subject.objects.get(name=name)


def ege_figures(participants=20, not_passed=1, low=6, mid=8, high=5, average="67.5", top=5):
    return {
        "participants": participants,
        "not_passed": not_passed,
        "band_low": low,
        "band_mid": mid,
        "band_high": high,
        "average": Decimal(average) if average is not None else None,
        "high_scorers": top,
    }
