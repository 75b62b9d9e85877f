"""The job pattern: a row with state, a thin task taking its id, enqueued on commit.

A service creates the job row and calls ``enqueue(task, job)`` inside its transaction; the
task sends nothing until the transaction commits. The task body is one call:
``run_job(ImportJob, job_id, work)``. ``run_job`` claims the row (queued → running) under
``select_for_update``, so a job never runs twice — an acks_late redelivery of a running or
finished job does nothing — calls ``work(job)``, and records the outcome: ``done`` with
the fields ``work`` returned, saved in the same transaction; ``failed`` with the Russian
message of a ``JobError`` (an expected refusal), or a generic message and a logged
traceback for anything else. A job cancelled while it ran stays cancelled.

Later jobs (PDF reports on queue "pdf", reminder digests on "mail") follow the same shape
(cf. NetBox ``core/models/jobs.py``, HackSoft's thin tasks).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import Job, JobState

logger = logging.getLogger(__name__)

GENERIC_ERROR = (
    "Не удалось выполнить задачу из-за внутренней ошибки. Попробуйте ещё раз; если ошибка "
    "повторится, сообщите администратору."
)
TIME_LIMIT_ERROR = "Задача не уложилась в отведённое время и остановлена."
QUEUE_ERROR = "Очередь задач сейчас недоступна: задача не запущена. Попробуйте позже."


class JobError(Exception):
    """An expected failure of a job; the message is for the person who started it."""


def enqueue(task, job: Job) -> None:
    """Send ``task(job.pk)`` once the current transaction commits (never for a rolled-back
    job). The task id is chosen now and kept on the row."""
    model = type(job)
    job.task_id = uuid.uuid4().hex
    model.objects.filter(pk=job.pk).update(task_id=job.task_id)
    task_id, pk = job.task_id, job.pk

    def send() -> None:
        try:
            task.apply_async(args=[str(pk)], task_id=task_id)
        except Exception:
            # The row is committed: a broker that is down fails the job with a message
            # instead of failing the request after its work was saved.
            logger.exception("Could not queue %s for %s %s", task.name, model.__name__, pk)
            model.objects.filter(pk=pk, state=JobState.QUEUED).update(
                state=JobState.FAILED, finished_at=timezone.now(), error=QUEUE_ERROR
            )

    transaction.on_commit(send)


def run_job(
    model: type[Job],
    job_id,
    work: Callable[[Job], dict | None],
    *,
    on_failure: Callable[[Job], dict | None] | None = None,
) -> Job | None:
    """Run ``work`` for the queued job ``job_id``; returns the job, or None when there was
    nothing to run (missing, already claimed, cancelled). ``on_failure(job)`` runs inside
    the transaction that records a failure and may return more fields to save with it."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != JobState.QUEUED:
            logger.info("Job %s %s: not queued, nothing to run", model.__name__, job_id)
            return None
        job.state = JobState.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["state", "started_at"])
    try:
        result = work(job) or {}
    except JobError as error:
        return _finish(model, job_id, JobState.FAILED, {"error": str(error)}, on_failure)
    except Exception as error:
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(error, SoftTimeLimitExceeded):
            message = TIME_LIMIT_ERROR
        else:
            logger.exception("Job %s %s failed", model.__name__, job_id)
            message = GENERIC_ERROR
        return _finish(model, job_id, JobState.FAILED, {"error": message}, on_failure)
    return _finish(model, job_id, JobState.DONE, {**result, "progress": 100}, None)


def _finish(model, job_id, state, fields: dict, on_failure) -> Job | None:
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != JobState.RUNNING:
            return job  # cancelled (or deleted) meanwhile: the outcome is dropped
        if state == JobState.FAILED and on_failure is not None:
            fields = {**fields, **(on_failure(job) or {})}
        job.state = state
        job.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(update_fields=["state", "finished_at", *fields])
    return job


def set_progress(job: Job, percent: int, text: str = "") -> None:
    """Record progress of a running job (its own small write, visible at once)."""
    job.progress, job.progress_text = max(0, min(percent, 100)), text[:200]
    type(job).objects.filter(pk=job.pk, state=JobState.RUNNING).update(
        progress=job.progress, progress_text=job.progress_text
    )
