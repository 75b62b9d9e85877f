"""A plan in execution whose dates lie around today (the pages judge records by today)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from core.timezones import today_in

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Live:
    plan: object
    overdue: object  # the measure due ten days ago (both home schools)
    this_week: object  # due today (the home school)
    later: object  # due in two months (the home school)
    unscheduled: object  # «по отдельному плану», all ШНОР (the home school)
    today: datetime.date

    def record(self, measure, school):
        from execution.models import ExecutionRecord

        return ExecutionRecord.objects.get(measure=measure, organisation=school)


def build_live(world, *, title: str = "Дорожная карта ШНОР", extra_measures: int = 0) -> Live:
    from execution import services as execution
    from roadmaps import services
    from roadmaps.constants import AssignmentMode
    from roadmaps.models import Roadmap

    coordinator = world.user("municipal_coordinator")
    today = today_in(world.region)
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title=title,
        period_start=datetime.date(today.year - 1, 1, 1),
        period_end=datetime.date(today.year + 1, 12, 31),
    )

    def measure(name, deadline, schools=None, mode=AssignmentMode.ORGANISATIONS):
        created = services.measure_create(
            roadmap=plan, acting_user=coordinator, title=name, deadline_text=deadline
        )
        services.measure_assign(
            measure=created, acting_user=coordinator, mode=mode, organisations=schools or []
        )
        return created

    day = "%d.%m.%Y"
    overdue = measure(
        "Семинар для заместителей директоров",
        (today - datetime.timedelta(days=10)).strftime(day),
        [world.school, world.second_school],
    )
    this_week = measure("Открытые уроки", today.strftime(day), [world.school])
    later = measure(
        "Педагогический совет", (today + datetime.timedelta(days=60)).strftime(day), [world.school]
    )
    unscheduled = measure(
        "Консультации методистов", "по отдельному плану", mode=AssignmentMode.LOW_RESULTS
    )
    for n in range(extra_measures):
        measure(
            f"Мероприятие {n}",
            (today - datetime.timedelta(days=n % 30)).strftime(day),
            [world.school, world.second_school],
        )
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    return Live(Roadmap.objects.get(pk=plan.pk), overdue, this_week, later, unscheduled, today)


@pytest.fixture
def live(world) -> Live:
    return build_live(world)
