"""The daily job on the cast: who gets which lines, one digest per person and day, the
preferences, the catch-up, ``send_reminders`` and its JSON."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services
from notifications.constants import DigestState, Kind
from notifications.models import Digest, Notification, NotificationPreference, ReminderSettings

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def run(day=None, *, capture, dry_run=False, **kwargs):
    """The job as ``send_reminders`` runs it, with the after-commit sends executed."""
    with capture(execute=True):
        return services.reminders_run(
            day=day, inline=True, dry_run=dry_run, resend_after=datetime.timedelta(0), **kwargs
        )


def noon(day):
    """Midday of ``day`` in Moscow: a run for a day after today happens on that day."""
    return datetime.datetime.combine(
        day, datetime.time(12), tzinfo=datetime.timezone(datetime.timedelta(hours=3))
    )


def lines(user) -> list[tuple[str, str]]:
    return sorted(
        (n.kind, n.record.measure.title if n.record else "")
        for n in Notification.objects.filter(person=user).select_related("record__measure")
    )


def test_each_person_gets_the_lines_the_rules_give(
    world, reminders, django_capture_on_commit_callbacks
):
    result = run(reminders.today, capture=django_capture_on_commit_callbacks)
    assert lines(world.user("school_deputy")) == [
        (Kind.DUE_SOON, "Педагогический совет"),
        (Kind.DUE_SOON, "Семинар для заместителей директоров"),
        (Kind.OVERDUE, "Пробный экзамен по математике"),
        (Kind.RETURNED, "Маршрутные карты учителей"),
    ]
    # The curator: the new mark and the count of all marks waiting; the escalation.
    assert lines(world.user("methodologist")) == [
        (Kind.ESCALATION, "Анализ результатов ВПР"),
        (Kind.WAITING, ""),
        (Kind.WAITING, "Диагностика профессиональных дефицитов"),
    ]
    # The director and the coordinator only hear of the record past the grace period.
    assert lines(world.user("school_director")) == [(Kind.ESCALATION, "Анализ результатов ВПР")]
    assert lines(world.user("municipal_coordinator")) == [
        (Kind.ESCALATION, "Анализ результатов ВПР")
    ]
    for persona in ("regional_coordinator", "head", "administrator", "neighbour_coordinator"):
        assert lines(world.user(persona)) == []
    sent = {message.to[0] for message in mail.outbox}
    assert sent == {
        f"{username}@example.org"
        for username in (
            "deputy",
            "two-roles",  # also a deputy of the home school
            "methodologist",
            "armavir-methodologist",  # curator of the home school
            "director",
            "coordinator",
        )
    }
    assert len(mail.outbox) == 6
    assert result.digests_sent == 6
    assert result.escalations == 1
    assert result.notifications == Notification.objects.count() == 4 + 4 + 3 + 3 + 1 + 1
    assert Digest.objects.filter(state=DigestState.SENT).count() == 6
    # Everybody else with a role has an empty digest of the day: no letter, no second look.
    assert set(
        Digest.objects.filter(state=DigestState.EMPTY).values_list("person__username", flat=True)
    ) == {
        "regional",
        "head",
        "admin",
        "armavir-coordinator",
        "partner",
    }


def test_the_digest_lines_point_at_the_place_to_act(
    world, reminders, django_capture_on_commit_callbacks
):
    run(reminders.today, capture=django_capture_on_commit_callbacks)
    deputy_lines = Notification.objects.filter(person=world.user("school_deputy"))
    for line in deputy_lines:
        assert line.url == f"/execution/records/{line.record_id}/"
        assert line.plan_title == "План напоминаний"
        assert line.digest is not None
    summary = Notification.objects.get(person=world.user("methodologist"), record=None)
    assert summary.url == "/execution/review/"


def test_a_second_run_sends_nothing(world, reminders, django_capture_on_commit_callbacks):
    first = run(reminders.today, capture=django_capture_on_commit_callbacks)
    second = run(reminders.today, capture=django_capture_on_commit_callbacks)
    assert (first.digests_sent, second.digests_sent) == (6, 0)
    assert second.skipped_already_sent == 6
    assert second.notifications == 0
    assert len(mail.outbox) == 6
    assert Digest.objects.count() == first.persons


def test_escalation_waits_for_the_municipality_s_grace_period(
    world, reminders, django_capture_on_commit_callbacks
):
    ReminderSettings.objects.create(municipality=world.municipality, offsets=[7, 1], grace_days=10)
    result = run(reminders.today, capture=django_capture_on_commit_callbacks)
    assert result.escalations == 0
    assert lines(world.user("municipal_coordinator")) == []
    # Ten days of grace: the record due 8 days ago reaches the coordinator in three days.
    later = run(
        reminders.today + 3 * DAY,
        now=noon(reminders.today + 3 * DAY),
        capture=django_capture_on_commit_callbacks,
    )
    assert later.escalations == 1
    assert (Kind.ESCALATION, "Анализ результатов ВПР") in lines(world.user("municipal_coordinator"))


def test_the_municipality_s_offsets(world, reminders, django_capture_on_commit_callbacks):
    ReminderSettings.objects.create(municipality=world.municipality, offsets=[3], grace_days=7)
    run(reminders.today, capture=django_capture_on_commit_callbacks)
    due_soon = [t for kind, t in lines(world.user("school_deputy")) if kind == Kind.DUE_SOON]
    assert due_soon == ["Открытые уроки"]


def test_a_person_without_an_address_is_told_in_app_and_logged(
    world, reminders, django_capture_on_commit_callbacks, caplog
):
    deputy = world.user("school_deputy")
    deputy.email = ""
    deputy.save(update_fields=["email"])
    result = run(reminders.today, capture=django_capture_on_commit_callbacks)
    digest = Digest.objects.get(person=deputy)
    assert digest.state == DigestState.NO_EMAIL
    assert digest.items == 4
    assert len(lines(deputy)) == 4
    assert "deputy@example.org" not in {m.to[0] for m in mail.outbox}
    assert result.no_email == 1
    assert f"no e-mail address (told in-app only): {deputy.pk}" in caplog.text


def test_e_mail_switched_off_and_kinds_switched_off(
    world, reminders, django_capture_on_commit_callbacks
):
    deputy, director = world.user("school_deputy"), world.user("school_director")
    NotificationPreference.objects.create(person=deputy, email_enabled=False)
    NotificationPreference.objects.create(person=director, muted_kinds=[Kind.ESCALATION])
    result = run(reminders.today, capture=django_capture_on_commit_callbacks)
    assert Digest.objects.get(person=deputy).state == DigestState.MUTED
    assert len(lines(deputy)) == 4
    assert Digest.objects.get(person=director).state == DigestState.EMPTY
    assert lines(director) == []
    assert result.muted == 1
    assert {m.to[0] for m in mail.outbox} == {
        "two-roles@example.org",
        "methodologist@example.org",
        "armavir-methodologist@example.org",
        "coordinator@example.org",
    }


def test_a_dry_run_counts_and_leaves_nothing(world, reminders, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--dry-run", stdout=out)
    data = json.loads(out.getvalue())
    assert data["dry_run"] is True
    assert (data["digests_sent"], data["escalations"], data["notifications"]) == (6, 1, 16)
    assert Digest.objects.count() == Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_command_prints_one_json_object(world, reminders, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", reminders.today.isoformat(), stdout=out)
    data = json.loads(out.getvalue())
    assert {"date", "digests_sent", "notifications", "skipped_already_sent", "escalations"} <= set(
        data
    )
    assert data["date"] == reminders.today.isoformat()
    assert data["escalations"] == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-01", "Неверная дата «2026-13-01»"),
        ("вчера", "Неверная дата «вчера»"),
        ("2099-01-01", "ещё не наступил ни в одном регионе"),
        ("2001-01-01", "больше года назад"),
    ],
)
def test_bad_dates_are_refused_in_russian(world, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_reminders", "--date", value, stdout=StringIO())


def test_events_wait_for_the_next_digest(world, reminders, django_capture_on_commit_callbacks):
    deputy = world.user("school_deputy")
    (event,) = services.notify(
        recipients=[deputy],
        kind=Kind.APPROVAL,
        text="План «План напоминаний» утверждён.",
        url=f"/roadmaps/{reminders.plan.pk}/",
        roadmap=reminders.plan,
    )
    run(reminders.today, capture=django_capture_on_commit_callbacks)
    event.refresh_from_db()
    digest = Digest.objects.get(person=deputy)
    assert event.digest == digest
    assert digest.items == 5
    letter = next(m for m in mail.outbox if m.to == ["deputy@example.org"])
    assert "План «План напоминаний» утверждён." in letter.body
    # An event later in the day waits for tomorrow's digest.
    (later,) = services.notify(
        recipients=[deputy], kind=Kind.MESSAGE, text="Новое сообщение.", url="/my/"
    )
    run(reminders.today, capture=django_capture_on_commit_callbacks)
    later.refresh_from_db()
    assert later.digest is None
    run(
        reminders.today + DAY,
        now=noon(reminders.today + DAY),
        capture=django_capture_on_commit_callbacks,
    )
    later.refresh_from_db()
    assert later.digest.day == reminders.today + DAY


def test_an_event_alone_makes_a_digest(world, django_capture_on_commit_callbacks):
    head = world.user("head")
    services.notify(recipients=[head], kind=Kind.MESSAGE, text="Проверьте план.", url="/roadmaps/")
    from core.timezones import today_in

    run(today_in(world.region), capture=django_capture_on_commit_callbacks)
    assert Digest.objects.get(person=head).state == DigestState.SENT
    assert [m.to for m in mail.outbox] == [["head@example.org"]]


def test_missed_days_are_caught_up_once(world, reminders, django_capture_on_commit_callbacks):
    """The job did not run yesterday: today's digest reports yesterday's events too; a
    later run for yesterday finds it covered."""
    deputy = world.user("school_deputy")
    run(reminders.today - 2 * DAY, capture=django_capture_on_commit_callbacks)
    before = set(Notification.objects.filter(person=deputy).values_list("record_id", "kind"))
    run(reminders.today, capture=django_capture_on_commit_callbacks)
    digest = Digest.objects.get(person=deputy, day=reminders.today)
    assert digest.covers_from == reminders.today - DAY
    today_lines = set(Notification.objects.filter(digest=digest).values_list("record_id", "kind"))
    assert not before & today_lines  # nothing told twice
    # «Мониторинг» (due in 6 days) was due in 7 yesterday: told today, with today's lines.
    assert (reminders.record("six", world.school).pk, Kind.DUE_SOON) in today_lines
    assert (reminders.record("week", world.school).pk, Kind.DUE_SOON) in today_lines
    late = run(reminders.today - DAY, capture=django_capture_on_commit_callbacks)
    assert late.digests_sent == 0
    assert not Digest.objects.filter(person=deputy, day=reminders.today - DAY).exists()


def test_the_beat_sends_each_region_at_its_people_s_hour(
    world, reminders, django_capture_on_commit_callbacks
):
    from core.timezones import zone

    deputy, director = world.user("school_deputy"), world.user("school_director")
    NotificationPreference.objects.create(person=director, digest_hour=10)
    msk = zone("Europe/Moscow")

    def at(hour):
        moment = datetime.datetime.combine(reminders.today, datetime.time(hour, 5), tzinfo=msk)
        return run(now=moment, capture=django_capture_on_commit_callbacks)

    assert at(7).digests_sent == 0
    at(8)
    assert Digest.objects.filter(person=deputy, state=DigestState.SENT).exists()
    assert not Digest.objects.filter(person=director).exists()
    at(9)
    assert not Digest.objects.filter(person=director).exists()
    at(11)  # a missed hour is caught up
    assert Digest.objects.get(person=director).state == DigestState.SENT
    assert len([m for m in mail.outbox if m.to == ["deputy@example.org"]]) == 1


def test_records_of_plans_not_in_execution_are_not_told(
    world, reminders, django_capture_on_commit_callbacks
):
    from roadmaps.constants import RoadmapStatus
    from roadmaps.models import Roadmap

    Roadmap.objects.filter(pk=reminders.plan.pk).update(status=RoadmapStatus.CLOSED)
    result = run(reminders.today, capture=django_capture_on_commit_callbacks)
    assert result.notifications == result.digests_sent == 0


def test_queries_do_not_grow_with_records(world, reminders, django_capture_on_commit_callbacks):
    """The same people with three times the records: the same number of queries."""
    from tests.notifications.conftest import build_reminders

    def queries():
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=False),
        ):
            services.reminders_run(day=reminders.today, dry_run=True)
        return len(captured.captured_queries)

    small = queries()
    build_reminders(world, title="Второй план")
    build_reminders(world, title="Третий план")
    large = queries()
    assert small == large
    assert large < 30


def test_events_older_than_a_week_stay_under_the_bell(world, django_capture_on_commit_callbacks):
    from core.timezones import today_in

    head = world.user("head")
    (old,) = services.notify(recipients=[head], kind=Kind.MESSAGE, text="Давно.", url="/")
    Notification.objects.filter(pk=old.pk).update(created_at=noon(today_in(world.region) - 8 * DAY))
    run(today_in(world.region), capture=django_capture_on_commit_callbacks)
    old.refresh_from_db()
    assert old.digest is None
    assert Digest.objects.get(person=head).state == DigestState.EMPTY
    assert mail.outbox == []
