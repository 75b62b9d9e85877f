"""The personal calendar feed: one all-day event per due window, stable UIDs, a secret
address that can be revoked and renewed."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from execution.models import ExecutionRecord
from notifications import services

pytestmark = pytest.mark.django_db


def feed(token) -> icalendar.Calendar:
    response = Client().get(reverse("calendar_feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_one_all_day_event_per_window_of_the_person_s_organisation(world, reminders, settings):
    settings.SITE_URL = "https://roadmaps.example.org"
    deputy = world.user("school_deputy")
    token = services.calendar_token_issue(person=deputy, acting_user=deputy).calendar_token
    calendar = feed(token)
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Moscow"
    found = events(calendar)
    records = ExecutionRecord.objects.filter(organisation=world.school, due_on__isnull=False)
    assert set(found) == {f"record-{r.pk}@roadmaps.example.org" for r in records}
    record = reminders.record("tomorrow", world.school)
    event = found[f"record-{record.pk}@roadmaps.example.org"]
    assert event.decoded("DTSTART") == reminders.today + datetime.timedelta(days=1)
    assert event.decoded("DTEND") == reminders.today + datetime.timedelta(days=2)
    assert isinstance(event.decoded("DTSTART"), datetime.date)
    assert not isinstance(event.decoded("DTSTART"), datetime.datetime)
    assert "«Педагогический совет» — МБОУ СОШ № 3" in str(event["SUMMARY"])
    # Links use the address the calendar program asked; UIDs name the site's own host.
    assert str(event["URL"]) == f"http://testserver/execution/records/{record.pk}/"
    assert "План: План напоминаний" in str(event["DESCRIPTION"])
    done = found[f"record-{reminders.record('done', world.school).pk}@roadmaps.example.org"]
    assert str(done["SUMMARY"]).startswith("[На проверке]")


def test_events_keep_their_uid_and_move_when_the_record_changes(world, reminders):
    deputy = world.user("school_deputy")
    token = services.calendar_token_issue(person=deputy, acting_user=deputy).calendar_token
    before = events(feed(token))
    record = reminders.record("week", world.school)
    ExecutionRecord.objects.filter(pk=record.pk).update(
        due_on=record.due_on + datetime.timedelta(days=3), version=record.version + 1
    )
    after = events(feed(token))
    assert set(before) == set(after)
    uid = next(uid for uid in after if uid.startswith(f"record-{record.pk}@"))
    assert after[uid].decoded("DTSTART") == record.due_on + datetime.timedelta(days=3)
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1


def test_a_person_sees_only_their_organisations_windows(world, reminders):
    director = world.user("regional_coordinator")
    token = services.calendar_token_issue(person=director, acting_user=director).calendar_token
    assert events(feed(token)) == {}


def test_a_revoked_or_renewed_address_is_404(world, reminders):
    deputy = world.user("school_deputy")
    old = services.calendar_token_issue(person=deputy, acting_user=deputy).calendar_token
    new = services.calendar_token_issue(person=deputy, acting_user=deputy).calendar_token
    assert old != new
    assert Client().get(reverse("calendar_feed", kwargs={"token": old})).status_code == 404
    feed(new)
    services.calendar_token_revoke(person=deputy, acting_user=deputy)
    assert Client().get(reverse("calendar_feed", kwargs={"token": new})).status_code == 404


@pytest.mark.parametrize(
    "token", ["short", "x" * 65, "bad token with spaces padding", "..%2F..%2Fetc"]
)
def test_nonsense_tokens_are_404(token):
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_an_inactive_person_s_feed_is_404(world):
    deputy = world.user("school_deputy")
    token = services.calendar_token_issue(person=deputy, acting_user=deputy).calendar_token
    deputy.is_active = False
    deputy.save(update_fields=["is_active"])
    assert Client().get(reverse("calendar_feed", kwargs={"token": token})).status_code == 404


def test_the_preferences_page_issues_and_revokes_the_link(client, world):
    deputy = world.user("school_deputy")
    client.force_login(deputy)
    url = reverse("notification_preferences")
    assert "Получить ссылку на календарь" in client.get(url).content.decode()
    client.post(reverse("calendar_link"), {"action": "renew"})
    html = client.get(url).content.decode()
    first = services.preference_of(deputy).calendar_token
    assert f"/calendar/{first}.ics" in html
    assert "Отозвать и выпустить новую ссылку" in html
    client.post(reverse("calendar_link"), {"action": "renew"})
    second = services.preference_of(deputy).calendar_token
    assert second != first
    client.post(reverse("calendar_link"), {"action": "revoke"})
    assert services.preference_of(deputy).calendar_token is None
