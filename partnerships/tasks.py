"""Celery tasks of partnerships: thin — they take ids and call a service or a builder;
state lives in the job rows (``core.jobs``)."""

import datetime

from celery import shared_task

from core.jobs import run_job

# The PDF of the list renders on the "pdf" queue beside the reports (CELERY_TASK_ROUTES):
# a network of a few hundred schools lays out in seconds; the limits stop a runaway.
SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300


@shared_task(
    name="partnerships.tasks.build_network_pdf",
    acks_late=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def build_network_pdf(job_id: str) -> None:
    from .documents import network_pdf_build
    from .models import NetworkExport

    run_job(NetworkExport, job_id, network_pdf_build)


@shared_task(name="partnerships.tasks.expire_agreements", soft_time_limit=120, time_limit=180)
def expire_agreements() -> int:
    """Daily: agreements whose validity ended become «Истёк срок»."""
    from .services import agreements_expire

    return agreements_expire()


@shared_task(
    name="partnerships.tasks.cleanup_agreement_uploads", soft_time_limit=120, time_limit=180
)
def cleanup_agreement_uploads() -> int:
    """Lists uploaded for import and never confirmed are removed after a day."""
    from .resources import uploads_cleanup

    return uploads_cleanup(older_than=datetime.timedelta(days=1))
