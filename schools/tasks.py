"""Celery tasks of schools: housekeeping of the directory import."""

from celery import shared_task
from django.conf import settings


@shared_task(name="schools.tasks.cleanup_directory_uploads", soft_time_limit=120, time_limit=180)
def cleanup_directory_uploads() -> int:
    """Checked directory uploads that nobody confirmed are deleted after IMPORT_UPLOAD_TTL."""
    from .directory_io import directory_uploads_cleanup

    return directory_uploads_cleanup(older_than=settings.IMPORT_UPLOAD_TTL)
