"""Celery done properly: queues, limits and acknowledgement of every task; the mail tasks
through a real worker (tests/conftest.py ``celery_worker``)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core import mail

from notifications import services
from notifications.constants import DigestState
from notifications.models import Digest, NotificationPreference

QUEUES = {"default", "imports", "pdf", "mail"}


def project_tasks():
    """Every task of the project's own apps (any app, including later ones)."""
    from django.apps import apps

    from config.celery import app
    from tests.test_architecture import app_dirs

    app.loader.import_default_modules()
    labels = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve() in app_dirs()
    }
    return {name: task for name, task in app.tasks.items() if name.split(".")[0] in labels}


def test_every_task_has_a_queue_limits_below_the_visibility_timeout():
    from config.celery import app

    tasks = project_tasks()
    assert {"notifications.tasks.send_reminders", "notifications.tasks.send_digest"} <= set(tasks)
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    for name, task in tasks.items():
        queue = app.amqp.router.route({}, name)["queue"].name
        assert queue in QUEUES, name
        assert task.soft_time_limit, name
        assert task.time_limit, name
        assert task.soft_time_limit < task.time_limit < visibility, name


def test_the_mail_tasks_run_on_the_mail_queue_and_acknowledge_late():
    from config.celery import app

    tasks = project_tasks()
    for name in ("notifications.tasks.send_reminders", "notifications.tasks.send_digest"):
        assert app.amqp.router.route({}, name)["queue"].name == "mail"
        assert tasks[name].acks_late is True
    # The longest pause between two attempts stays below the visibility timeout: a retry
    # waiting in the broker is never handed out twice.
    from notifications.constants import RETRY_MAX_SECONDS

    assert app.conf.broker_transport_options["visibility_timeout"] > RETRY_MAX_SECONDS


def test_the_beat_runs_the_job_every_hour():
    from celery.schedules import crontab
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert entry["task"] == "notifications.tasks.send_reminders"
    assert entry["schedule"] == crontab(minute=0)


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_the_worker_sends_the_digests_the_job_claimed(celery_worker, world, reminders):
    result = services.reminders_run(day=reminders.today)
    assert result.digests_sent == 6
    assert wait_for(lambda: Digest.objects.filter(state=DigestState.SENT).count() == 6)
    assert len(mail.outbox) == 6
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        d.message_id for d in Digest.objects.filter(state=DigestState.SENT)
    )


def test_the_beat_task_through_the_worker(celery_worker, world, reminders):
    from notifications.tasks import send_reminders

    # Everybody's digest hour is midnight: whenever the test runs, the hour has come.
    for user in world.users.values():
        if user is not None:
            NotificationPreference.objects.create(person=user, digest_hour=0)
    send_reminders.delay()
    assert wait_for(lambda: Digest.objects.filter(state=DigestState.SENT).count() == 6)
    send_reminders.delay()  # a second beat: nothing more
    time.sleep(2)
    assert len(mail.outbox) == 6


def test_a_failed_send_is_retried_by_the_worker(
    celery_worker, world, reminders, settings, monkeypatch
):
    from tests.notifications.backends import FlakyBackend

    monkeypatch.setattr(services, "RETRY_BASE_SECONDS", 1)
    monkeypatch.setattr(FlakyBackend, "failures", 1)
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.FlakyBackend"}}
    deputy = world.user("school_deputy")
    services.reminders_run(day=reminders.today)
    assert wait_for(lambda: Digest.objects.filter(state=DigestState.SENT).count() == 6)
    attempts = sorted(
        Digest.objects.filter(state=DigestState.SENT).values_list("attempts", flat=True)
    )
    assert attempts == [1, 1, 1, 1, 1, 2]
    retried = Digest.objects.get(attempts=2)
    assert retried.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert len(mail.outbox) == 6
    assert deputy.email in {m.to[0] for m in mail.outbox}
