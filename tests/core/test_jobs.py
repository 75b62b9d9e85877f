"""The job pattern (core.jobs): state moves queued → running → done/failed once, expected
failures keep their Russian message, unexpected ones a generic one and a logged trace,
tasks are sent only after commit. ImportJob is the concrete job used here."""

import datetime
import logging

import pytest
from django.utils import timezone

from core.jobs import GENERIC_ERROR, JobError, enqueue, run_job, set_progress
from core.models import JobState
from roadmaps.models import ImportJob


@pytest.fixture
def job(world):
    return ImportJob.objects.create(
        owner=world.centre,
        created_by=world.user("municipal_coordinator"),
        file_name="plan.txt",
        file_size=1,
        sha256="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )


def test_a_job_runs_once_and_stores_its_result(job):
    seen = []

    def work(running):
        seen.append(ImportJob.objects.get(pk=running.pk).state)
        set_progress(running, 50, "Половина")
        assert ImportJob.objects.get(pk=running.pk).progress == 50
        return {"warnings": [{"row": 1, "message": "Проверьте"}]}

    done = run_job(ImportJob, job.pk, work)
    assert seen == [JobState.RUNNING]
    job.refresh_from_db()
    assert (job.state, job.progress, job.warnings) == (
        JobState.DONE,
        100,
        [{"row": 1, "message": "Проверьте"}],
    )
    assert job.started_at <= job.finished_at
    assert done.pk == job.pk
    # A redelivered message (acks_late after a lost worker) finds the job done: nothing runs.
    assert run_job(ImportJob, job.pk, work) is None
    assert seen == [JobState.RUNNING]


def test_an_expected_failure_keeps_its_russian_message(job):
    def work(running):
        raise JobError("В документе нет таблицы с мероприятиями.")

    run_job(ImportJob, job.pk, work, on_failure=lambda failed: {"file_path": ""})
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "В документе нет таблицы с мероприятиями."
    assert job.file_path == ""


def test_an_unexpected_failure_is_logged_and_shown_as_a_generic_message(job, caplog):
    def work(running):
        raise KeyError("internal detail")

    with caplog.at_level(logging.ERROR, logger="core.jobs"):
        run_job(ImportJob, job.pk, work)
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, GENERIC_ERROR)
    assert "internal detail" not in job.error
    assert "internal detail" in caplog.text


def test_a_job_cancelled_while_it_runs_stays_cancelled(job):
    def work(running):
        ImportJob.objects.filter(pk=running.pk).update(state=JobState.CANCELLED)
        return {"warnings": [{"row": 1, "message": "поздно"}]}

    run_job(ImportJob, job.pk, work)
    job.refresh_from_db()
    assert (job.state, job.warnings) == (JobState.CANCELLED, [])


def test_enqueue_sends_the_task_only_after_commit(job, django_capture_on_commit_callbacks):
    from roadmaps.tasks import parse_import

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(parse_import, job)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert len(job.task_id) == 32
    assert job.state == JobState.QUEUED


def test_routes_limits_and_acknowledgement_of_the_first_job():
    from config.celery import app
    from roadmaps.tasks import cleanup_imports, parse_import

    assert app.amqp.router.route({}, parse_import.name)["queue"].name == "imports"
    assert app.amqp.router.route({}, cleanup_imports.name)["queue"].name == "default"
    assert {q.name for q in app.conf.task_queues} == {"default", "imports", "pdf", "mail"}
    assert parse_import.acks_late is True
    assert parse_import.soft_time_limit < parse_import.time_limit
    assert app.conf.broker_transport_options["visibility_timeout"] > parse_import.time_limit
    assert app.conf.task_ignore_result is True
    assert app.conf.accept_content == ["json"]
    assert app.conf.worker_prefetch_multiplier == 1


def test_a_job_that_cannot_be_queued_fails_with_a_message(job, django_capture_on_commit_callbacks):
    from celery import Celery

    from core.jobs import QUEUE_ERROR

    # A real broker address where nothing listens, no retries: publishing fails.
    unreachable = Celery("unreachable", broker="redis://127.0.0.1:1/0")
    unreachable.conf.broker_connection_retry = False
    unreachable.conf.broker_connection_max_retries = 0
    unreachable.conf.task_publish_retry = False

    @unreachable.task(name="tests.unreachable")
    def task(job_id):
        raise AssertionError("never runs")

    with django_capture_on_commit_callbacks(execute=True):
        enqueue(task, job)
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, QUEUE_ERROR)
