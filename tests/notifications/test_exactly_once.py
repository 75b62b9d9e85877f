"""Exactly once, with real processes: ``send_reminders`` twice, twice at once, killed in the
middle of sending; a Celery worker and two beats on Redis, and the worker killed mid-send.
Letters are files (``MAIL_BACKEND=file``, one file per Message-ID): the folder must hold
one letter per person with something to tell — the same set as one clean run.

The processes use ``config.settings.local`` on the test database and on a Redis database
of their own (the test Redis's number + 8), so they never meet another test's messages.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from notifications.constants import DigestState
from notifications.models import Digest, NotificationPreference

ROOT = Path(__file__).resolve().parent.parent.parent
# Who has something to tell on the cast's day (tests/notifications/conftest.py).
EXPECTED = 6


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def own_redis_url() -> str:
    parts = urlsplit(settings.REDIS_URL)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number + 8) % 16}"))


@pytest.fixture
def processes():
    """Processes started by a test, each in its own session; all killed at the end."""
    started: list[subprocess.Popen] = []

    def start(args, env, **kwargs):
        process = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True, **kwargs)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture
def letters(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    return folder


@pytest.fixture
def env(letters):
    import redis

    url = own_redis_url()
    redis.Redis.from_url(url).flushdb()
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MAIL_", "DJANGO_", "CELERY_", "REMINDERS_", "DIGEST_"))
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url(),
        REDIS_URL=url,
        MAIL_BACKEND="file",
        MAIL_FILE_PATH=str(letters),
        SITE_URL="https://roadmaps.example.org",
    )
    yield clean
    redis.Redis.from_url(url).flushdb()


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.suffix == ".eml"}


def sent_set() -> set[str]:
    return {
        f"digest-{pk}@roadmaps.example.org.eml"
        for pk in Digest.objects.filter(state=DigestState.SENT).values_list("pk", flat=True)
    }


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return condition()


def send_reminders(env, *args, **kwargs):
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_reminders", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def finish(process) -> dict:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out)


@pytest.mark.django_db(transaction=True)
def test_twice_in_a_row_and_twice_at_once(world, reminders, env, letters):
    day = reminders.today.isoformat()
    at_once = [send_reminders(env, "--date", day) for _ in range(2)]
    results = [finish(p) for p in at_once]
    assert sum(r["digests_sent"] for r in results) == EXPECTED
    assert files(letters) == sent_set()
    assert len(files(letters)) == EXPECTED
    again = finish(send_reminders(env, "--date", day))
    assert (again["digests_sent"], again["skipped_already_sent"]) == (0, EXPECTED)
    assert len(files(letters)) == EXPECTED
    assert Digest.objects.filter(day=reminders.today).values("person").distinct().count() == (
        Digest.objects.filter(day=reminders.today).count()
    )


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_send_is_completed_by_the_next_without_a_second_letter(
    world, reminders, env, letters, processes
):
    day = reminders.today.isoformat()
    slow = {**env, "DJANGO_SETTINGS_MODULE": "tests.notifications.settings_slow_mail"}
    killed = processes(
        [sys.executable, "manage.py", "send_reminders", "--date", day],
        slow,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # The first letter is written; the run sleeps before recording it as sent: kill it.
    assert wait_for(lambda: len(files(letters)) >= 1, 60)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    written = files(letters)
    # Killed between handing a letter over and recording it: on disk, not marked sent.
    assert Digest.objects.filter(state=DigestState.SENT).count() < len(written)
    result = finish(send_reminders(env, "--date", day))
    assert result["skipped_already_sent"] == EXPECTED
    assert files(letters) == sent_set()
    assert len(files(letters)) == EXPECTED
    assert written <= files(letters)


@pytest.mark.django_db(transaction=True)
def test_a_worker_and_two_beats_on_redis_send_each_letter_once(
    world, reminders, env, letters, processes, tmp_path
):
    # Every digest hour is midnight: whatever the time of the test, it has come.
    for user in world.users.values():
        if user is not None:
            NotificationPreference.objects.create(person=user, digest_hour=0)
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    worker_args = [
        "worker",
        "--queues",
        "default,imports,pdf,mail",
        "--pool",
        "prefork",
        "--concurrency",
        "2",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "WARNING",
    ]
    beat_env = {**env, "REMINDERS_BEAT_SECONDS": "2", "DIGEST_RESEND_AFTER_MINUTES": "0"}
    log = open(tmp_path / "celery.log", "wb")  # noqa: SIM115 - closed with the test's tmp_path
    slow = {**beat_env, "DJANGO_SETTINGS_MODULE": "tests.notifications.settings_slow_mail"}
    worker = processes(
        [*celery, *worker_args, "-n", f"slow-{os.getpid()}@%h"], slow, stdout=log, stderr=log
    )
    for n in (1, 2):
        processes(
            [*celery, "beat", "--schedule", str(tmp_path / f"beat-{n}"), "--loglevel", "WARNING"],
            beat_env,
            stdout=log,
            stderr=log,
        )
    # The worker writes the first letter and sleeps before recording it: kill it there,
    # its children with it.
    assert wait_for(lambda: len(files(letters)) >= 1, 90), (tmp_path / "celery.log").read_text()
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    written = files(letters)
    assert Digest.objects.filter(state=DigestState.SENT).count() < len(written)
    processes(
        [*celery, *worker_args, "-n", f"fresh-{os.getpid()}@%h"], beat_env, stdout=log, stderr=log
    )
    assert wait_for(
        lambda: Digest.objects.filter(state=DigestState.SENT).count() == EXPECTED, 120
    ), (tmp_path / "celery.log").read_text()
    time.sleep(6)  # three more beats of both schedulers: nothing more is sent
    assert files(letters) == sent_set()
    assert len(files(letters)) == EXPECTED
    assert written <= files(letters)
    assert Digest.objects.filter(state=DigestState.CLAIMED).count() == 0
