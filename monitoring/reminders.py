"""What monitoring adds to the daily digest (``notifications.sources``; registered in
``MonitoringConfig.ready``). One query a day sent, whatever the number of campaigns or
schools:

=============  ==========================================  ==============  ====================
kind           what                                        event day       to
=============  ==========================================  ==============  ====================
campaign_due   a school's answer to an open campaign not   due − 3, due,   markers of the school
               sent (waiting, or reopened for correction)  due + 1, then   (its deputies; its
                                                           each week (up   director when it has
                                                           to 8)           no deputy)
campaign_late  an open campaign's schools that have not    due + 1, then   markers of the
               answered by its due day                     each week (up   campaign's owner (its
                                                           to 8)           coordinators and
                                                                           methodologists: who
                                                                           runs campaigns)
=============  ==========================================  ==============  ====================

A submitted answer, a closed campaign, an inactive school: nothing is told. Each notice
has a stable key and an event day, so the digest tells it to one person once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse

from core.plurals import count_phrase, plural
from notifications import planner
from notifications.constants import Kind
from notifications.sources import Source, SourceQuery

from .constants import ResponseState, school_year_label
from .models import CampaignResponse

DAY = datetime.timedelta(days=1)
DAYS = ("день", "дня", "дней")
SCHOOLS = ("школа", "школы", "школ")
NOT_ANSWERED = ("не ответила", "не ответили", "не ответили")
SHOWN_SCHOOLS = 10
# Days before the due day a school that has not answered is reminded (0: on the day).
DUE_OFFSETS = (3, 0)
# After the due day: the next day, then weekly, this many more times at most.
REPEAT_WEEKS = 8


def _days(query: SourceQuery) -> list[datetime.date]:
    return [query.since + DAY * n for n in range(1, (query.day - query.since).days + 1)]


def _in_window(day: datetime.date, query: SourceQuery) -> bool:
    return query.since < day <= query.day


def _events(due: datetime.date) -> list[tuple[datetime.date, int]]:
    """(event day, offset) of a campaign due on ``due``: days before it (offset ≥ 0), the
    day after it and weekly after that (offset −1, −2, …)."""
    return [(due - DAY * o, o) for o in DUE_OFFSETS] + [
        (due + DAY * (1 + 7 * week), -1 - week) for week in range(REPEAT_WEEKS + 1)
    ]


def _due_dates(query: SourceQuery) -> set[datetime.date]:
    """Every due day an event of the window may belong to."""
    found = set()
    for d in _days(query):
        found.update(d + DAY * o for o in DUE_OFFSETS)
        found.update(d - DAY * (1 + 7 * week) for week in range(REPEAT_WEEKS + 1))
    return found


def _when(due: datetime.date, day: datetime.date, late: bool) -> str:
    if late:
        gone = (day - due).days
        return f"срок прошёл {due:%d.%m.%Y}" + (
            f" ({count_phrase(gone, DAYS)} назад)" if gone > 1 else ""
        )
    left = (due - day).days
    if left <= 0:
        return f"срок сегодня, {due:%d.%m.%Y}"
    if left == 1:
        return f"срок завтра, {due:%d.%m.%Y}"
    return f"срок {due:%d.%m.%Y} (через {count_phrase(left, DAYS)})"


def notices(query: SourceQuery) -> list[planner.Notice]:
    """Answers not sent to open campaigns due on a day that matters (1 query)."""
    dates = _due_dates(query)
    if not dates:
        return []
    rows = list(
        CampaignResponse._base_manager.filter(
            campaign__closed_at__isnull=True,
            campaign__due_on__in=dates,
            school__is_active=True,
        )
        .exclude(state=ResponseState.SUBMITTED)
        .order_by("campaign__due_on", "campaign_id", "school__short_name", "pk")
        .values_list(
            "pk",
            "state",
            "school_id",
            "school__short_name",
            "campaign_id",
            "campaign__title",
            "campaign__school_year",
            "campaign__due_on",
            "campaign__owner_id",
            "campaign__owner__short_name",
        )
    )
    found: list[planner.Notice] = []
    late: dict[tuple[int, int, datetime.date], list[str]] = defaultdict(list)
    campaigns: dict[int, tuple] = {}
    for pk, state, school_id, school, campaign_id, title, year, due, owner_id, owner in rows:
        campaigns[campaign_id] = (title, year, due, owner_id)
        subject = f"Мониторинг «{title}» ({school_year_label(year)} учебный год, {owner})"
        what = (
            "ответ возвращён на уточнение и ещё не отправлен"
            if state == ResponseState.REOPENED
            else "ответ ещё не отправлен"
        )
        for event, offset in _events(due):
            if not _in_window(event, query):
                continue
            if offset < 0:
                late[(campaign_id, offset, event)].append(school)
            found.append(
                planner.Notice(
                    kind=Kind.CAMPAIGN_DUE,
                    key=f"campaign-response-{pk}-{offset}",
                    event_day=event,
                    organisations=(school_id,),
                    audience="markers",
                    text=f"{subject}: {school} — {what}, {_when(due, query.day, offset < 0)}.",
                    url=reverse("response_detail", kwargs={"pk": pk}),
                )
            )
    for (campaign_id, offset, event), schools in late.items():
        title, year, due, owner_id = campaigns[campaign_id]
        shown = ", ".join(schools[:SHOWN_SCHOOLS])
        if len(schools) > SHOWN_SCHOOLS:
            shown += f" и ещё {len(schools) - SHOWN_SCHOOLS}"
        found.append(
            planner.Notice(
                kind=Kind.CAMPAIGN_LATE,
                key=f"campaign-{campaign_id}-late{offset}",
                event_day=event,
                organisations=(owner_id,),
                audience="markers",
                text=(
                    f"Мониторинг «{title}» ({school_year_label(year)} учебный год): "
                    f"{plural(len(schools), NOT_ANSWERED)} {count_phrase(len(schools), SCHOOLS)} — {shown}; "
                    f"{_when(due, query.day, True)}."
                ),
                url=reverse("campaign_detail", kwargs={"pk": campaign_id}),
            )
        )
    return found


SOURCE = Source(name="monitoring", notices=notices)
