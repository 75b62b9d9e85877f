"""What monitoring adds to the daily digest (``monitoring.reminders`` through
``notifications.sources``): a school that has not answered a campaign is chased before
and after the due day, the campaign's owner hears which schools are late; to whom, once,
never after the answer or for a closed campaign, in one query."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import reminders, services
from monitoring.models import CampaignResponse
from monitoring.services import Entry
from notifications import planner
from notifications import services as notifications
from notifications.constants import Kind
from notifications.models import Notification
from notifications.sources import SourceQuery
from tests.monitoring.factories import indicator

DAY = datetime.timedelta(days=1)
DUE = datetime.date(2026, 3, 20)
YEAR = 2025
# Nobody outside the school and the authority's coordinator hears of the campaign.
OUTSIDERS = (
    "outsider",
    "regional_coordinator",
    "methodologist",
    "head",
    "administrator",
    "neighbour_coordinator",
    "partner",
    "foreign_curator",
)


def run(day, capture):
    with capture(execute=True):
        return notifications.reminders_run(day=day, inline=True, resend_after=datetime.timedelta(0))


def told(user, kind):
    return list(
        Notification.objects.filter(person=user, kind=kind)
        .order_by("pk")
        .values_list("text", "url")
    )


def campaign(world, **kwargs):
    return services.campaign_create(
        owner=world.authority,
        title="Кадровые показатели",
        school_year=YEAR,
        due_on=DUE,
        indicators=[indicator("staff-training"), indicator("staff-vacancies")],
        schools=[world.school, world.second_school],
        acting_user=world.user("municipal_coordinator"),
        **kwargs,
    )


def answer(world, response):
    services.campaign_response_submit(
        response=response,
        entries=[
            Entry(indicator("staff-training"), numerator=18, denominator=21),
            Entry(indicator("staff-vacancies"), value=Decimal(2)),
        ],
        acting_user=world.user("school_deputy"),
    )


def test_the_schools_deputies_hear_three_days_before_and_on_the_due_day(
    world, django_capture_on_commit_callbacks
):
    asked = campaign(world)
    response = CampaignResponse.objects.get(campaign=asked, school=world.school)
    run(DUE - 3 * DAY, django_capture_on_commit_callbacks)
    ((text, url),) = told(world.user("school_deputy"), Kind.CAMPAIGN_DUE)
    assert text.startswith(
        "Мониторинг «Кадровые показатели» (2025/2026 учебный год, УО Новокубанского района): "
        "МБОУ СОШ № 3 — ответ ещё не отправлен"
    )
    assert "срок 20.03.2026 (через 3 дня)" in text
    assert url == f"/monitoring/responses/{response.pk}/"
    # Both deputies of the school (one of them a coordinator elsewhere); its director only
    # where the school has no deputy, as for its records.
    assert told(world.user("two_roles"), Kind.CAMPAIGN_DUE)
    assert told(world.user("school_director"), Kind.CAMPAIGN_DUE) == []
    # The coordinator hears nothing before the due day.
    assert told(world.user("municipal_coordinator"), Kind.CAMPAIGN_LATE) == []
    # Nothing on the days between; once more on the due day.
    run(DUE - 2 * DAY, django_capture_on_commit_callbacks)
    run(DUE - DAY, django_capture_on_commit_callbacks)
    assert len(told(world.user("school_deputy"), Kind.CAMPAIGN_DUE)) == 1
    run(DUE, django_capture_on_commit_callbacks)
    texts = [t for t, _ in told(world.user("school_deputy"), Kind.CAMPAIGN_DUE)]
    assert len(texts) == 2
    assert "срок сегодня, 20.03.2026" in texts[1]
    # The same day again tells nothing twice.
    run(DUE, django_capture_on_commit_callbacks)
    assert len(told(world.user("school_deputy"), Kind.CAMPAIGN_DUE)) == 2


def test_after_the_due_day_the_school_and_the_coordinator_hear_weekly(
    world, django_capture_on_commit_callbacks
):
    asked = campaign(world)
    run(DUE + DAY, django_capture_on_commit_callbacks)
    ((text, _),) = told(world.user("school_deputy"), Kind.CAMPAIGN_DUE)
    assert "срок прошёл 20.03.2026." in text
    ((late, url),) = told(world.user("municipal_coordinator"), Kind.CAMPAIGN_LATE)
    assert late == (
        "Мониторинг «Кадровые показатели» (2025/2026 учебный год): не ответили 2 школы — "
        "МБОУ СОШ № 3, МБОУ СОШ № 5; срок прошёл 20.03.2026."
    )
    assert url == f"/monitoring/campaigns/{asked.pk}/"
    # The school does not hear of the others; nobody outside hears anything.
    assert told(world.user("school_deputy"), Kind.CAMPAIGN_LATE) == []
    for persona in OUTSIDERS:
        user = world.user(persona)
        assert not Notification.objects.filter(
            person=user, kind__in=(Kind.CAMPAIGN_DUE, Kind.CAMPAIGN_LATE)
        ).exists(), persona
    # СОШ № 3 answers late: a week later only СОШ № 5 is named, and СОШ № 3 is left alone.
    answer(world, CampaignResponse.objects.get(campaign=asked, school=world.school))
    run(DUE + 2 * DAY, django_capture_on_commit_callbacks)
    assert len(told(world.user("municipal_coordinator"), Kind.CAMPAIGN_LATE)) == 1
    run(DUE + 8 * DAY, django_capture_on_commit_callbacks)
    texts = [t for t, _ in told(world.user("municipal_coordinator"), Kind.CAMPAIGN_LATE)]
    assert len(texts) == 2
    assert "не ответила 1 школа — МБОУ СОШ № 5; срок прошёл 20.03.2026 (8 дней назад)" in texts[1]
    assert len(told(world.user("school_deputy"), Kind.CAMPAIGN_DUE)) == 1


def test_an_answered_school_is_not_chased_and_a_reopened_one_is(
    world, django_capture_on_commit_callbacks
):
    asked = campaign(world)
    response = CampaignResponse.objects.get(campaign=asked, school=world.school)
    answer(world, response)
    run(DUE - 3 * DAY, django_capture_on_commit_callbacks)
    assert told(world.user("school_deputy"), Kind.CAMPAIGN_DUE) == []
    services.campaign_response_reopen(
        response=response,
        comment="Педагогов 22, а не 21",
        acting_user=world.user("municipal_coordinator"),
    )
    run(DUE, django_capture_on_commit_callbacks)
    ((text, _),) = told(world.user("school_deputy"), Kind.CAMPAIGN_DUE)
    assert "МБОУ СОШ № 3 — ответ возвращён на уточнение и ещё не отправлен" in text


def test_a_closed_campaign_is_not_recalled(world, django_capture_on_commit_callbacks):
    asked = campaign(world)
    services.campaign_close(campaign=asked, acting_user=world.user("municipal_coordinator"))
    for day in (DUE - 3 * DAY, DUE, DUE + DAY, DUE + 8 * DAY):
        run(day, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(
        kind__in=(Kind.CAMPAIGN_DUE, Kind.CAMPAIGN_LATE)
    ).exists()


def test_a_muted_kind_is_not_told(world, django_capture_on_commit_callbacks):
    from notifications.models import NotificationPreference

    campaign(world)
    NotificationPreference.objects.update_or_create(
        person=world.user("school_deputy"), defaults={"muted_kinds": [Kind.CAMPAIGN_DUE]}
    )
    run(DUE - 3 * DAY, django_capture_on_commit_callbacks)
    assert told(world.user("school_deputy"), Kind.CAMPAIGN_DUE) == []
    assert told(world.user("two_roles"), Kind.CAMPAIGN_DUE)


def test_the_source_reads_in_one_query_whatever_the_number_of_campaigns(world):
    for n in range(5):
        campaign(world, instructions=f"Волна {n}")
    query = SourceQuery(
        day=DUE + 15 * DAY,
        since=DUE - 7 * DAY,
        rules=lambda municipality: ((7, 1), 7),
        offsets=frozenset({7, 1}),
    )
    with CaptureQueriesContext(connection) as queries:
        found = reminders.notices(query)
    assert len(queries) == 1
    assert all(isinstance(notice, planner.Notice) for notice in found)
    # Per response: 3 days before, the due day, the day after, a week later, two weeks later.
    assert len([n for n in found if n.kind == Kind.CAMPAIGN_DUE]) == 5 * 2 * 5
    assert len([n for n in found if n.kind == Kind.CAMPAIGN_LATE]) == 5 * 3
    assert len({n.key for n in found}) == len(found)
