"""A person's calendar feed (iCalendar, RFC 5545): one all-day event per due window of
the records their organisations owe on plans in execution.

The address carries a secret (``NotificationPreference.calendar_token``) instead of a
login: calendar programs cannot sign in. The person revokes it and gets a new one on the
preferences page; a revoked or unknown secret is a 404. Each event's UID is derived from
the record (``record-42@host``) and its SEQUENCE from the record's version, so a calendar
that subscribed updates an event when the record changes (a new date, a mark) instead of
adding a second one. Dates are days of the region's calendar (all-day events carry no
time), the calendar names the region's time zone.
"""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from core.timezones import today_in
from execution.models import ExecutionRecord
from execution.querysets import VIEW
from execution.status import RecordFacts, Status, status, status_text
from roadmaps.constants import RoadmapStatus
from schools.access import member_roles

from .mail import absolute, site_host
from .models import NotificationPreference
from .planner import Record as PlannerRecord
from .planner import title_of

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
# Windows due this long ago are left out; a feed holds this many events at most.
PAST_DAYS = 366
MAX_EVENTS = 3000
REFRESH = datetime.timedelta(hours=6)


def person_of_token(token: str):
    """The person whose feed this secret opens, or None (unknown, revoked, inactive)."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    preference = (
        NotificationPreference.objects.filter(calendar_token=token, person__is_active=True)
        .select_related("person")
        .first()
    )
    return preference.person if preference else None


def feed(person, *, link=absolute) -> bytes:
    """The person's calendar as iCalendar bytes (3 queries and the person's access facts).
    ``link`` makes a path absolute: the address the calendar program used (the view), else
    ``SITE_URL``. UIDs always name ``SITE_URL``'s host, whatever address was used."""
    from .selectors import home_zone

    zone = home_zone(person)
    today = today_in(zone)
    organisations = sorted({org_id for _, org_id, _, _ in member_roles(person)})
    records = (
        ExecutionRecord.objects.for_user(person, VIEW)
        .filter(
            organisation_id__in=organisations,
            measure__roadmap__status=RoadmapStatus.EXECUTION,
            due_on__isnull=False,
            due_on__gte=today - datetime.timedelta(days=PAST_DAYS),
        )
        .select_related("measure__roadmap", "organisation")
        .order_by("due_on", "pk")[:MAX_EVENTS]
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Дорожные карты//Сроки мероприятий//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Дорожные карты: сроки ({person.get_short_name()})")
    calendar.add("x-wr-timezone", zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    host = site_host()
    stamp = timezone.now()
    for record in records:
        calendar.add_component(_event(record, today, host, stamp, link))
    return calendar.to_ical()


def _event(record: ExecutionRecord, today: datetime.date, host: str, stamp, link) -> Event:
    roadmap = record.measure.roadmap
    value = status(
        RecordFacts(record.due_on, record.starts_on, record.state, record.done_on, record.review),
        today,
    )
    title = title_of(
        PlannerRecord(
            record.pk,
            record.organisation_id,
            record.due_on,
            roadmap.pk,
            roadmap.title,
            record.measure.number,
            record.measure.title,
        )
    )
    summary = f"{title} — {record.organisation.short_name}"
    if value not in {Status.DUE, Status.NOT_DUE}:
        summary = f"[{status_text(value)}] {summary}"
    window = (
        f"{record.starts_on:%d.%m.%Y} – {record.due_on:%d.%m.%Y}"
        if record.starts_on and record.starts_on != record.due_on
        else f"до {record.due_on:%d.%m.%Y}"
    )
    url = link(reverse("record_detail", kwargs={"pk": record.pk}))
    event = Event()
    event.add("uid", f"record-{record.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", record.due_on)
    event.add("dtend", record.due_on + datetime.timedelta(days=1))
    event.add("sequence", record.version)
    event.add("summary", summary)
    event.add(
        "description",
        "\n".join(
            [
                f"План: {roadmap.title}",
                f"Организация: {record.organisation.full_name}",
                f"Срок исполнения: {window}",
                f"Состояние: {status_text(value, record.due_on)}",
                f"Отметить: {url}",
            ]
        ),
    )
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event
