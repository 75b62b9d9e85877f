"""A world with figures on every dashboard: the live plan of tests/execution (marks due,
overdue, later), values with targets, exam results of two years, a campaign."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from core.timezones import today_in
from monitoring import services as monitoring
from monitoring.constants import Exam, TargetLevel
from monitoring.services import Entry, ResultRow
from tests.execution.conftest import build_live
from tests.monitoring.factories import ege_figures, indicator, subject

YEAR = 2025


@dataclass
class Figures:
    live: object
    campaign: object


def add_figures(world, *, schools=None, extra_subjects: int = 0) -> None:
    """Values, targets and exam results of the home schools (and ``schools``)."""
    coordinator = world.user("municipal_coordinator")
    monitoring.targets_set(
        level=TargetLevel.MUNICIPALITY,
        municipality=world.municipality,
        school_year=YEAR,
        values={indicator("staff-training"): Decimal(80), indicator("safe-offences"): Decimal(1)},
        acting_user=coordinator,
    )
    names = ["Русский язык", "Математика (профильный уровень)", "Физика", "Химия", "История"]
    for n, school in enumerate(schools or [world.school, world.second_school]):
        monitoring.indicator_values_report(
            organisation=school,
            school_year=YEAR,
            entries=[
                Entry(indicator("staff-training"), numerator=18 + n, denominator=21),
                Entry(indicator("safe-offences"), value=Decimal(n * 2)),
            ],
            acting_user=coordinator,
        )
        rows = [
            ResultRow(Exam.EGE, subject(name), year, ege_figures(average=str(60 + n + k)), name)
            for year in (YEAR - 1, YEAR)
            for k, name in enumerate(names[: 1 + extra_subjects])
        ]
        rows.append(
            ResultRow(
                Exam.OGE,
                subject("Математика"),
                YEAR,
                ege_figures(average="3.8", top=None),
                "ОГЭ",
            )
        )
        monitoring.exam_results_save(organisation=school, rows=rows, acting_user=coordinator)


def build_figures(world) -> Figures:
    live = build_live(world)
    add_figures(world)
    campaign = monitoring.campaign_create(
        owner=world.authority,
        title="Кадры 2025/2026",
        school_year=YEAR,
        due_on=today_in(world.region) + datetime.timedelta(days=5),
        indicators=[indicator("staff-training")],
        schools=[world.school, world.second_school],
        acting_user=world.user("municipal_coordinator"),
    )
    return Figures(live, campaign)


@pytest.fixture
def figures(world) -> Figures:
    return build_figures(world)
