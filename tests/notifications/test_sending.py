"""One digest's e-mail: the message, exactly once, a mail server that is down."""

from __future__ import annotations

import datetime
import email
import email.policy

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.constants import MAX_SEND_ATTEMPTS, DigestState
from notifications.mail import digest_message, person_of_unsubscribe_token
from notifications.models import Digest, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(world, reminders, django_capture_on_commit_callbacks):
    """The day's digests claimed and committed, their e-mails not sent yet."""
    with django_capture_on_commit_callbacks(execute=False):
        services.reminders_run(day=reminders.today)
    return Digest.objects.get(person=world.user("school_deputy"))


def test_the_message(world, claimed, settings):
    settings.SITE_URL = "https://roadmaps.example.org"
    outcome = services.digest_send(claimed.pk)
    assert outcome.state == DigestState.SENT
    assert outcome.sent_now
    (message,) = mail.outbox
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == f"<digest-{claimed.pk}@roadmaps.example.org>"
    assert parsed["Subject"] == f"Дорожные карты: 4 уведомления на {claimed.day:%d.%m.%Y}"
    assert parsed["To"] == "deputy@example.org"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = parsed["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://roadmaps.example.org/notifications/unsubscribe/")
    token = unsubscribe.rstrip("/").rsplit("/", 1)[1]
    assert person_of_unsubscribe_token(token) == world.user("school_deputy").pk
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    for body in (text, html):
        assert "План напоминаний" in body
        assert "Пробный экзамен по математике" in body
        assert "куратор вернул отметку на доработку" in body
        assert unsubscribe in body
    record = Notification.objects.get(digest=claimed, kind="overdue").record
    assert f"https://roadmaps.example.org/execution/records/{record.pk}/" in text
    assert f'href="https://roadmaps.example.org/execution/records/{record.pk}/"' in html
    # Lines grouped by plan, the worst first.
    assert text.index("Просрочено") < text.index("Скоро срок")


def test_a_digest_is_sent_once(claimed):
    assert services.digest_send(claimed.pk).sent_now
    again = services.digest_send(claimed.pk)
    assert (again.state, again.sent_now) == (DigestState.SENT, False)
    assert len(mail.outbox) == 1
    claimed.refresh_from_db()
    assert (claimed.state, claimed.attempts) == (DigestState.SENT, 1)
    assert claimed.sent_at is not None


def test_a_resend_is_the_same_message(claimed):
    """A worker killed after the mail server took the message and before the commit sends
    the same message again: same Message-ID, same Date."""
    first = digest_message(claimed, list(claimed.notifications.all())).message()
    second = digest_message(claimed, list(claimed.notifications.all())).message()
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Date"] == second["Date"]


def test_a_mail_server_that_is_down_is_retried_then_failed(claimed, settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.DownBackend"}}
    outcome = services.digest_send(claimed.pk)
    assert outcome.retry_in == 60
    claimed.refresh_from_db()
    assert claimed.state == DigestState.CLAIMED
    assert claimed.attempts == 1
    assert claimed.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert claimed.next_try_at > timezone.now() + datetime.timedelta(seconds=50)
    pauses = [outcome.retry_in]
    for _ in range(MAX_SEND_ATTEMPTS - 1):
        pauses.append(services.digest_send(claimed.pk).retry_in)
    assert pauses == [60, 120, 240, 480, 960, 1920, 3600, None]
    claimed.refresh_from_db()
    assert (claimed.state, claimed.attempts) == (DigestState.FAILED, MAX_SEND_ATTEMPTS)
    assert "not sent after 8 attempts" in caplog.text
    # Failed is final: nothing more is tried.
    assert services.digest_send(claimed.pk).state == DigestState.FAILED
    # An operator sends it again.
    services.digest_resend(digest=claimed, acting_user=None)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert services.digest_send(claimed.pk).sent_now
    assert len(mail.outbox) == 1


def test_a_claimed_digest_left_unsent_is_sent_by_the_next_run(
    world, reminders, claimed, django_capture_on_commit_callbacks
):
    """The run that claimed it died before sending: the next run sends it, once."""
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_run(
            day=reminders.today, inline=True, resend_after=datetime.timedelta(0)
        )
    assert result.resent == 6
    assert result.digests_sent == 6
    assert result.skipped_already_sent == 6
    assert len(mail.outbox) == 6
    with django_capture_on_commit_callbacks(execute=True):
        again = services.reminders_run(
            day=reminders.today, inline=True, resend_after=datetime.timedelta(0)
        )
    assert (again.resent, again.digests_sent) == (0, 0)
    assert len(mail.outbox) == 6


def test_a_retry_waits_for_its_time(claimed, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.DownBackend"}}
    services.digest_send(claimed.pk)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_run(
            day=claimed.day, inline=True, resend_after=datetime.timedelta(0)
        )
    assert claimed.pk not in [m.extra_headers.get("Message-ID") for m in mail.outbox]
    claimed.refresh_from_db()
    assert claimed.state == DigestState.CLAIMED
    assert result.resent == 5  # the other digests of the day, not this one


def test_a_digest_whose_lines_are_gone_is_never_sent_empty(claimed):
    Notification.objects.filter(digest=claimed).delete()
    assert services.digest_send(claimed.pk).state == DigestState.EMPTY
    assert mail.outbox == []


def test_a_person_who_lost_their_address_is_not_sent(world, claimed, caplog):
    deputy = world.user("school_deputy")
    deputy.email = ""
    deputy.save(update_fields=["email"])
    assert services.digest_send(claimed.pk).state == DigestState.NO_EMAIL
    assert mail.outbox == []
    assert "has no e-mail address" in caplog.text


def test_an_operator_sends_a_failed_digest_again_from_the_admin(client, world, claimed):
    from notifications.models import Digest

    Digest.objects.filter(pk=claimed.pk).update(
        state=DigestState.FAILED, attempts=8, last_error="SMTPServerDisconnected: …"
    )
    client.force_login(world.user("superuser"))
    changelist = "/admin/notifications/digest/"
    page = client.get(changelist, {"state__exact": "failed"})
    assert page.status_code == 200
    assert "SMTPServerDisconnected" in page.content.decode()
    response = client.post(
        changelist, {"action": "resend", "_selected_action": [claimed.pk], "index": 0}
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert (claimed.state, claimed.attempts) == (DigestState.CLAIMED, 0)
    # Nobody else sees the digests.
    client.force_login(world.user("administrator"))
    assert client.get(changelist).status_code == 403
