"""The reminders on the demo, as issue 11 will be checked: on the day ``seed_demo`` ran,
``send_reminders`` writes one letter per person with something to tell, the second run
none, the escalation reaches the coordinator only past the grace period, the deputy's
calendar has one event per window."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from demo import scenario
from tests.demo.test_scenario import DAYS, MOSCOW, records_on_paper

DAY = datetime.timedelta(days=1)
# Who hears something on the day the demo was seeded: the four schools' deputies (2.5. is
# due tomorrow and in a week), the curator and the coordinator (the queue of marks; 2.2.
# of ООШ № 12, eight days overdue, escalated) and the ЦРО's director (the centre's
# agreement with the Армавир centre expires in 30 days). The monitoring campaign is due in
# three days: СОШ № 3 and ООШ № 12 (reopened), who have not answered, hear of it too.
TOLD = {"deputy", "deputy5", "deputy8", "deputy12", "methodologist", "coordinator", "head"}


def test_every_day_every_school_has_a_record_due_tomorrow_and_in_a_week():
    for today in DAYS[::3]:
        facts = records_on_paper(scenario.current_plan(today, MOSCOW))
        for school in scenario.SCHOOLS:
            due = {
                f.due_on for key, f in facts.items() if key[1] == school and f.state == "pending"
            }
            assert {today + DAY, today + 7 * DAY} <= due, (today, school)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo (``seed_demo``), built once in a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # the services' durable blocks run inside it
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def send_reminders(capture) -> dict:
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_s_reminders(demo, db, django_capture_on_commit_callbacks):
    from core.timezones import today_in
    from notifications.models import Notification
    from notifications.reminders import events_since
    from schools.models import Region, User

    # The demo's plans went through agreement and approval: the steps of the last week are
    # told too (older ones stay under the bell).
    today = today_in(Region.objects.get(name="Краснодарский край"))
    events = set(
        Notification.objects.filter(
            digest__isnull=True, created_at__gte=events_since(today)
        ).values_list("person__username", flat=True)
    )
    assert Notification.objects.filter(created_at__lt=events_since(today)).exists()
    first = send_reminders(django_capture_on_commit_callbacks)
    letters = {m.to[0]: m for m in mail.outbox}
    addresses = dict(User.objects.values_list("email", "username"))
    assert {addresses.get(to) for to in letters} == TOLD | events
    # (The letters leave after commit: inside this test's transaction, when the capture
    # ends; the JSON's count of sent letters is checked with real processes in
    # test_exactly_once.)
    assert first["escalations"] == 1
    deputy = letters[next(a for a, u in addresses.items() if u == "deputy")].body
    assert "п. 2.5. «Сводка о пропусках уроков" in deputy
    assert "срок завтра" in deputy
    assert "осталось 7 дней" in deputy
    coordinator = letters[next(a for a, u in addresses.items() if u == "coordinator")].body
    # 2.2. of ООШ № 12 is eight days overdue (past the grace of 7): escalated; 2.3. is five
    # days overdue: not yet.
    assert "п. 2.2. «Диагностика профессиональных дефицитов" in coordinator
    assert "Пробный экзамен" not in coordinator
    second = send_reminders(django_capture_on_commit_callbacks)
    assert (second["notifications"], second["skipped_already_sent"]) == (0, len(TOLD | events))
    assert len(mail.outbox) == len(TOLD | events)


def test_the_demo_deputy_s_calendar(demo, db):
    from execution.models import ExecutionRecord
    from notifications import services
    from schools.models import User

    deputy = User.objects.get(username="deputy")
    token = services.calendar_token_issue(person=deputy, acting_user=deputy).calendar_token
    response = Client().get(reverse("calendar_feed", kwargs={"token": token}))
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    windows = ExecutionRecord.objects.filter(
        organisation__memberships__user=deputy,
        measure__roadmap__status="execution",
        due_on__isnull=False,
    ).count()
    assert len(events) == windows > 10
    assert len({str(e["UID"]) for e in events}) == len(events)
