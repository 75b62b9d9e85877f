"""A plan in execution with records on every day the reminders care about.

Today is the home region's today (Europe/Moscow). Measures of the municipal plan «План
напоминаний», each owed by the home school (СОШ № 3) unless said otherwise:

* ``week`` — due in 7 days (and by the second school, which has nobody of its own);
* ``tomorrow`` — due tomorrow;
* ``later`` — due in 3 days (no offset: nobody is told);
* ``six`` — due in 6 days (it was due in 7 yesterday: told yesterday, or today when
  yesterday's digest was missed);
* ``yesterday`` — due yesterday, not marked (overdue);
* ``escalated`` — due 8 days ago (the default grace period is 7 days), not marked;
* ``long_overdue`` — due 20 days ago (escalated long ago: told nobody today);
* ``returned`` — marked, returned by the curator yesterday;
* ``waiting`` — marked yesterday, waiting for the curators;
* ``done`` — due in 7 days but already marked (nobody is reminded).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from core.timezones import today_in

DAY = datetime.timedelta(days=1)


@dataclass
class Reminders:
    plan: object
    today: datetime.date
    measures: dict

    def record(self, name, school):
        from execution.models import ExecutionRecord

        return ExecutionRecord.objects.get(measure=self.measures[name], organisation=school)


def build_reminders(world, *, title: str = "План напоминаний") -> Reminders:
    from execution import services as execution
    from execution.models import ExecutionRecord
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
    offsets = {
        "week": 7,
        "tomorrow": 1,
        "later": 3,
        "six": 6,
        "yesterday": -1,
        "escalated": -8,
        "long_overdue": -20,
        "returned": -3,
        "waiting": 5,
        "done": 7,
    }
    titles = {
        "week": "Семинар для заместителей директоров",
        "tomorrow": "Педагогический совет",
        "later": "Открытые уроки",
        "six": "Мониторинг посещаемости",
        "yesterday": "Пробный экзамен по математике",
        "escalated": "Анализ результатов ВПР",
        "long_overdue": "Родительское собрание",
        "returned": "Маршрутные карты учителей",
        "waiting": "Диагностика профессиональных дефицитов",
        "done": "Совещание при директоре",
    }
    measures = {}
    for name, offset in offsets.items():
        measure = services.measure_create(
            roadmap=plan,
            acting_user=coordinator,
            title=titles[name],
            deadline_text=(today + DAY * offset).strftime("%d.%m.%Y"),
        )
        schools = [world.school, world.second_school] if name == "week" else [world.school]
        services.measure_assign(
            measure=measure,
            acting_user=coordinator,
            mode=AssignmentMode.ORGANISATIONS,
            organisations=schools,
        )
        measures[name] = measure
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    deputy = world.user("school_deputy")
    curator = world.user("methodologist")

    def record(name):
        return ExecutionRecord.objects.get(measure=measures[name], organisation=world.school)

    execution.mark(records=[record("done")], acting_user=deputy, state="done", note="Проведено")
    execution.mark(records=[record("returned")], acting_user=deputy, state="done", note="Готово")
    execution.review(
        records=[record("returned")],
        acting_user=curator,
        accept=False,
        comment="Приложите протокол",
    )
    execution.mark(records=[record("waiting")], acting_user=deputy, state="done", note="Проведено")
    # The return and the mark happened yesterday (noon, Moscow).
    yesterday_noon = datetime.datetime.combine(
        today - DAY, datetime.time(12), tzinfo=datetime.timezone(datetime.timedelta(hours=3))
    )
    ExecutionRecord.objects.filter(pk=record("returned").pk).update(
        reviewed_at=yesterday_noon, marked_at=yesterday_noon - 2 * DAY
    )
    ExecutionRecord.objects.filter(pk=record("waiting").pk).update(marked_at=yesterday_noon)
    ExecutionRecord.objects.filter(pk=record("done").pk).update(marked_at=yesterday_noon - DAY)
    return Reminders(Roadmap.objects.get(pk=plan.pk), today, measures)


@pytest.fixture
def reminders(world) -> Reminders:
    return build_reminders(world)
