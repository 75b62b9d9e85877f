"""What partnerships add to the daily digest (``notifications.sources``; registered in
``PartnershipsConfig.ready``). Four queries a day sent, whatever the number of agreements,
measures or records:

=====================  ===========================================  ==========  =============
kind                   what                                         event day   to
=====================  ===========================================  ==========  =============
agreement_expiring     a signed agreement whose validity ends in    end − N     managers of
                       N days (N = 30, then 7: «within 30 days»)                every party
agreements_missing     a «sign the agreements» measure of a plan in  due − o,   managers of
                       execution whose schools have no signed        due + 1,   the plan's
                       agreement for it yet (their records of a      then each  owner
                       window are not done): before the due day by   week (up
                       the municipality's offsets ``o``, the day     to 12)
                       after it, then weekly while it is overdue
=====================  ===========================================  ==========  =============

«Managers» are the organisation's director or head and the municipal coordinators of its
municipality (``notifications.planner.audience``): those who sign and record agreements.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from core.plurals import count_phrase
from execution.models import ExecutionRecord, MarkState
from notifications import planner
from notifications.constants import Kind
from notifications.sources import Source, SourceQuery
from roadmaps.constants import RoadmapStatus

from .constants import EXPIRY_OFFSETS, AgreementStatus
from .models import Agreement, AgreementParty
from .rules import is_signing_measure
from .selectors import signing_hints

DAY = datetime.timedelta(days=1)
DAYS = ("день", "дня", "дней")
SHOWN_SCHOOLS = 10
# An overdue «sign the agreements» measure is recalled weekly, this many times at most.
REPEAT_WEEKS = 12


def _days(query: SourceQuery) -> list[datetime.date]:
    return [query.since + DAY * n for n in range(1, (query.day - query.since).days + 1)]


def _in_window(day: datetime.date, query: SourceQuery) -> bool:
    return query.since < day <= query.day


def expiring(query: SourceQuery) -> list[planner.Notice]:
    """Signed agreements whose validity ends ``EXPIRY_OFFSETS`` days after a day of the
    window (2 queries)."""
    ends = {d + DAY * offset for d in _days(query) for offset in EXPIRY_OFFSETS}
    if not ends:
        return []
    agreements = list(
        Agreement._base_manager.filter(status=AgreementStatus.SIGNED, valid_to__in=ends)
        .order_by("valid_to", "pk")
        .values_list("pk", "number", "signed_on", "valid_to")
    )
    if not agreements:
        return []
    parties: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for agreement_id, organisation_id, name in (
        AgreementParty._base_manager.filter(agreement_id__in=[a[0] for a in agreements])
        .order_by("agreement_id", "order", "pk")
        .values_list("agreement_id", "organisation_id", "organisation__short_name")
    ):
        parties[agreement_id].append((organisation_id, name))
    notices = []
    for pk, number, signed_on, valid_to in agreements:
        names = ", ".join(name for _, name in parties[pk])
        reference = f"№ {number}" if number else "без номера"
        if signed_on:
            reference += f" от {signed_on:%d.%m.%Y}"
        left = (valid_to - query.day).days
        for offset in EXPIRY_OFFSETS:
            event = valid_to - DAY * offset
            if not _in_window(event, query):
                continue
            notices.append(
                planner.Notice(
                    kind=Kind.AGREEMENT_EXPIRING,
                    key=f"agreement-{pk}-{offset}",
                    event_day=event,
                    organisations=tuple(org for org, _ in parties[pk]),
                    audience="managers",
                    text=(
                        f"Соглашение {reference} ({names}) истекает через "
                        f"{count_phrase(max(left, 0), DAYS)}: действует по {valid_to:%d.%m.%Y}. "
                        "Продлите его или подготовьте новое."
                    ),
                    url=reverse("agreement_detail", kwargs={"pk": pk}),
                )
            )
    return notices


def missing(query: SourceQuery) -> list[planner.Notice]:
    """«Sign the agreements» measures of plans in execution with schools whose record of a
    window due on a day that matters is not done and who are party to no signed agreement
    fulfilling the measure (2 queries)."""
    dates = planner.due_dates(query.day, query.since, query.offsets, ())
    dates |= {d - DAY * (1 + 7 * week) for d in _days(query) for week in range(1, REPEAT_WEEKS + 1)}
    if not dates:
        return []
    hints = signing_hints("measure__")
    linked = Agreement.measures.through.objects.order_by().values("measure_id")
    rows = (
        ExecutionRecord._base_manager.filter(
            measure__roadmap__status=RoadmapStatus.EXECUTION,
            organisation__is_active=True,
            due_on__in=dates,
        )
        .exclude(state=MarkState.DONE)
        .filter(hints | Q(measure_id__in=linked))
        .order_by("measure_id", "due_on", "organisation__short_name")
        .values_list(
            "measure_id",
            "measure__number",
            "measure__title",
            "measure__result",
            "measure__roadmap_id",
            "measure__roadmap__title",
            "measure__roadmap__owner_id",
            "measure__roadmap__owner__municipality_id",
            "due_on",
            "organisation_id",
            "organisation__short_name",
        )
    )
    rows = list(rows)
    if not rows:
        return []
    measure_ids = {row[0] for row in rows}
    links = set(
        Agreement.measures.through.objects.filter(measure_id__in=measure_ids).values_list(
            "measure_id", "agreement__status", "agreement__parties__organisation_id"
        )
    )
    covered = {(m, org) for m, status, org in links if status == AgreementStatus.SIGNED}
    linked_measures = {m for m, _, _ in links}
    groups: dict[tuple[int, datetime.date], list] = defaultdict(list)
    for row in rows:
        measure_id, _, title, result, *_rest, organisation_id, _name = row
        if measure_id not in linked_measures and not is_signing_measure(title, result):
            continue
        if (measure_id, organisation_id) in covered:
            continue
        groups[(measure_id, row[8])].append(row)
    notices = []
    for (measure_id, due), group in groups.items():
        first = group[0]
        _, number, title, _, roadmap_id, roadmap_title, owner_id, municipality_id, *_ = first
        names = [row[10] for row in group]
        shown = ", ".join(names[:SHOWN_SCHOOLS])
        if len(names) > SHOWN_SCHOOLS:
            shown += f" и ещё {len(names) - SHOWN_SCHOOLS}"
        subject = planner.title_of(
            planner.Record(0, 0, due, roadmap_id, roadmap_title, number or "", title)
        )
        offsets, _ = query.rules(municipality_id)
        events = [(due - DAY * o, o) for o in offsets if o >= 0] + [
            (due + DAY * (1 + 7 * week), -1 - week) for week in range(REPEAT_WEEKS + 1)
        ]
        url = reverse("agreement_create") + f"?measure={measure_id}"
        who = "у школы" if len(names) == 1 else "у школ"
        for event, offset in events:
            if not _in_window(event, query):
                continue
            if offset < 0:
                late = (query.day - due).days
                when = f"срок прошёл {due:%d.%m.%Y}" + (
                    f" ({count_phrase(late, DAYS)} назад)" if late > 1 else ""
                )
            else:
                left = (due - query.day).days
                when = f"срок {due:%d.%m.%Y} ({'сегодня' if left <= 0 else 'через ' + count_phrase(left, DAYS)})"
            notices.append(
                planner.Notice(
                    kind=Kind.AGREEMENTS_MISSING,
                    key=f"measure-{measure_id}-{due:%Y%m%d}-{offset}",
                    event_day=event,
                    organisations=(owner_id,),
                    audience="managers",
                    text=f"{subject}: {who} {shown} нет подписанного соглашения — {when}.",
                    url=url,
                    roadmap=roadmap_id,
                    plan_title=roadmap_title,
                )
            )
    return notices


def notices(query: SourceQuery) -> list[planner.Notice]:
    return [*missing(query), *expiring(query)]


SOURCE = Source(name="partnerships", notices=notices)
