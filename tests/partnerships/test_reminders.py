"""What partnerships add to the daily digest (``partnerships.reminders`` through
``notifications.sources``): agreements ending within 30 days, «sign the agreements»
measures whose schools have none yet; to whom, once, and in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services as notifications
from notifications.constants import Kind
from notifications.models import Notification
from schools.access import SYSTEM
from tests.partnerships.conftest import centres, record, three_party
from tests.partnerships.test_services import sign_plan

DAY = datetime.timedelta(days=1)
DUE = datetime.date(2025, 12, 31)  # the «sign the agreements» measure of sign_plan


def run(day, capture):
    with capture(execute=True):
        return notifications.reminders_run(day=day, inline=True, resend_after=datetime.timedelta(0))


def told(user, kind):
    return list(
        Notification.objects.filter(person=user, kind=kind)
        .order_by("pk")
        .values_list("text", "url")
    )


def test_the_parties_managers_hear_that_an_agreement_ends_in_30_days(
    world, django_capture_on_commit_callbacks
):
    end = datetime.date(2026, 3, 31)
    agreement = record(world, three_party(world, valid_to=end), signed_on=datetime.date(2025, 9, 2))
    run(end - 30 * DAY, django_capture_on_commit_callbacks)
    text, url = told(world.user("school_director"), Kind.AGREEMENT_EXPIRING)[0]
    assert text.startswith("Соглашение № 12 от 02.09.2025 (МБУ «ЦРО», МБОУ СОШ № 5, МБОУ СОШ № 3)")
    assert "истекает через 30 дней: действует по 31.03.2026" in text
    assert url == f"/partnerships/{agreement.pk}/"
    assert told(world.user("municipal_coordinator"), Kind.AGREEMENT_EXPIRING)
    # Not the school's deputy, not another municipality's people.
    for persona in ("school_deputy", "neighbour_coordinator", "partner", "methodologist"):
        assert told(world.user(persona), Kind.AGREEMENT_EXPIRING) == []
    # Told once more a week before the end, never on the days between.
    run(end - 29 * DAY, django_capture_on_commit_callbacks)
    assert len(told(world.user("school_director"), Kind.AGREEMENT_EXPIRING)) == 1
    run(end - 7 * DAY, django_capture_on_commit_callbacks)
    texts = [t for t, _ in told(world.user("school_director"), Kind.AGREEMENT_EXPIRING)]
    assert len(texts) == 2
    assert "истекает через 7 дней" in texts[1]


def test_a_partner_centre_hears_of_its_agreement_in_another_municipality(
    world, django_capture_on_commit_callbacks
):
    end = datetime.date(2026, 3, 31)
    record(
        world, centres(world, valid_to=end), acting_user=SYSTEM, signed_on=datetime.date(2025, 9, 2)
    )
    run(end - 30 * DAY, django_capture_on_commit_callbacks)
    assert told(world.user("partner"), Kind.AGREEMENT_EXPIRING)
    assert told(world.user("neighbour_coordinator"), Kind.AGREEMENT_EXPIRING)


def test_the_plans_managers_hear_which_schools_have_no_agreement(
    world, django_capture_on_commit_callbacks
):
    plan, measure = sign_plan(world)
    # СОШ № 3 signs with СОШ № 5 as its leader: both are done; nobody else owes the measure.
    # Here only the leader school signs a centre agreement the measure does not name.
    run(DUE + DAY, django_capture_on_commit_callbacks)
    ((text, url),) = told(world.user("municipal_coordinator"), Kind.AGREEMENTS_MISSING)
    assert text.startswith("«Заключение договоров о сетевом взаимодействии со школами-лидерами»")
    assert "у школ МБОУ СОШ № 3, МБОУ СОШ № 5 нет подписанного соглашения" in text
    assert "срок прошёл 31.12.2025" in text
    assert url == f"/partnerships/new/?measure={measure.pk}"
    assert told(world.user("head"), Kind.AGREEMENTS_MISSING)  # the head of the authority
    # The schools hear of their own records as always, not of this list.
    assert told(world.user("school_deputy"), Kind.AGREEMENTS_MISSING) == []


def test_a_school_with_a_signed_agreement_is_not_named_and_the_overdue_is_recalled_weekly(
    world, django_capture_on_commit_callbacks
):
    from partnerships.constants import AgreementKind, PartyRole
    from partnerships.services import PartyInput

    plan, measure = sign_plan(world)
    data = three_party(
        world,
        kind=AgreementKind.CENTRE_SCHOOL,
        parties=[
            PartyInput(world.centre, PartyRole.CURATOR_CENTRE),
            PartyInput(world.second_school, PartyRole.SUPPORTED),
        ],
        measures=[measure],
    )
    record(world, data, signed_on=datetime.date(2025, 9, 2))
    run(DUE + 8 * DAY, django_capture_on_commit_callbacks)
    ((text, _),) = told(world.user("municipal_coordinator"), Kind.AGREEMENTS_MISSING)
    assert "у школы МБОУ СОШ № 3 нет подписанного соглашения" in text
    assert "8 дней назад" in text
    run(DUE + 9 * DAY, django_capture_on_commit_callbacks)
    assert len(told(world.user("municipal_coordinator"), Kind.AGREEMENTS_MISSING)) == 1


def test_before_the_due_day_by_the_municipalitys_offsets(world, django_capture_on_commit_callbacks):
    sign_plan(world)
    run(DUE - 7 * DAY, django_capture_on_commit_callbacks)
    ((text, _),) = told(world.user("municipal_coordinator"), Kind.AGREEMENTS_MISSING)
    assert "срок 31.12.2025 (через 7 дней)" in text


def test_a_person_who_switched_the_kind_off_is_not_told(world, django_capture_on_commit_callbacks):
    from notifications.models import NotificationPreference

    sign_plan(world)
    NotificationPreference.objects.create(
        person=world.user("municipal_coordinator"), muted_kinds=[Kind.AGREEMENTS_MISSING]
    )
    run(DUE + DAY, django_capture_on_commit_callbacks)
    assert told(world.user("municipal_coordinator"), Kind.AGREEMENTS_MISSING) == []


@pytest.mark.django_db
def test_the_sources_queries_do_not_grow_with_the_data(world, django_capture_on_commit_callbacks):
    from notifications.sources import SourceQuery
    from partnerships.reminders import notices

    def queries():
        with CaptureQueriesContext(connection) as captured:
            found = notices(
                SourceQuery(
                    day=DUE + DAY,
                    since=DUE - 7 * DAY,
                    rules=lambda municipality: ((7, 1), 7),
                    offsets=frozenset({7, 1}),
                )
            )
        return len(captured.captured_queries), len(found)

    sign_plan(world)
    record(world, three_party(world, valid_to=DUE + 30 * DAY), signed_on=datetime.date(2025, 9, 2))
    small, small_found = queries()
    sign_plan(world)
    for number in range(5):
        record(
            world,
            three_party(world, number=f"N{number}", valid_to=DUE + 30 * DAY),
            signed_on=datetime.date(2025, 9, 2),
        )
    large, large_found = queries()
    assert large_found > small_found
    assert small == large <= 4
