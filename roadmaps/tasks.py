"""Celery tasks of roadmaps: thin — they take ids and call a service; state lives in the
job rows (``core.jobs``)."""

from celery import shared_task

from core.jobs import run_job

from .importing.sandbox import WALL_SECONDS


# The parse itself runs in a child bounded to 60 s of CPU and 1 GB (importing.sandbox,
# wall clock WALL_SECONDS); the task's limits sit above that. acks_late: run_job never runs
# a job twice, so a redelivery after a lost worker is harmless.
@shared_task(
    name="roadmaps.tasks.parse_import",  # queue "imports" (CELERY_TASK_ROUTES)
    acks_late=True,
    soft_time_limit=WALL_SECONDS + 30,
    time_limit=WALL_SECONDS + 60,
)
def parse_import(job_id: str) -> None:
    from .importing.service import import_job_parse, import_job_refused
    from .models import ImportJob

    run_job(ImportJob, job_id, import_job_parse, on_failure=import_job_refused)


@shared_task(name="roadmaps.tasks.cleanup_imports", soft_time_limit=240, time_limit=300)
def cleanup_imports() -> dict:
    from .importing.service import imports_cleanup

    return imports_cleanup()
