"""Celery tasks of reports: thin — they take ids and call a service; state lives in the
job rows (``core.jobs``)."""

from celery import shared_task
from celery.signals import worker_init

from core.jobs import run_job

# Queue "pdf" (CELERY_TASK_ROUTES), served by a worker of its own with one process that is
# replaced once it has grown past its memory limit (Makefile, docker-compose.yml). A plan
# of a thousand measures renders and signs in well under a minute; the limits stop a
# runaway render. acks_late: run_job never runs a job twice, so a redelivery after a lost
# worker is harmless.
SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300


@shared_task(
    name="reports.tasks.build_report",
    acks_late=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def build_report(job_id: str) -> None:
    from .models import Report
    from .services import report_build

    run_job(Report, job_id, report_build)


PDF_QUEUE = "pdf"


def preload_pdf_libraries() -> None:
    """Import what a report job uses: WeasyPrint and pyHanko take ~4 s to import, which
    every fresh pool process (one per 50 reports, or after its memory limit) paid on its
    first report."""
    import pyhanko.pdf_utils.incremental_writer  # noqa: F401
    import pyhanko.sign  # noqa: F401
    import pyhanko.sign.validation  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401
    import segno  # noqa: F401
    import weasyprint  # noqa: F401
    import weasyprint.text.fonts  # noqa: F401


@worker_init.connect
def _preload_in_the_pdf_worker(sender=None, **kwargs) -> None:
    """A worker that serves the "pdf" queue imports the PDF libraries once, in its main
    process before the pool forks: every pool process starts with them."""
    queues = getattr(getattr(getattr(sender, "app", None), "amqp", None), "queues", None)
    if queues is not None and PDF_QUEUE in queues.consume_from:
        preload_pdf_libraries()


@shared_task(name="reports.tasks.cleanup_reports", soft_time_limit=240, time_limit=300)
def cleanup_reports() -> dict:
    from .services import reports_cleanup

    return reports_cleanup()
