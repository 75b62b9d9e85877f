"""Import jobs end to end on a real worker, and the housekeeping of uploads."""

import datetime
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from core.models import JobState
from roadmaps.importing.service import import_job_create, imports_cleanup
from roadmaps.models import ImportJob
from tests.roadmaps.test_importing_errors import streamed_docx


@pytest.fixture(autouse=True)
def fresh_private_storage(settings):
    settings.STORAGES = {**settings.STORAGES}


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not get there in time")


def test_a_docx_unpacking_to_100_mb_is_refused_by_the_worker(celery_worker, world):
    data = streamed_docx(500_000)
    started = time.monotonic()
    job = import_job_create(
        acting_user=world.user("municipal_coordinator"),
        owner=world.centre,
        file_name="plan.docx",
        data=data,
    )
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished)
    job.refresh_from_db()
    assert time.monotonic() - started < 30
    assert job.state == JobState.FAILED
    assert "предел распакованного размера — 50 МБ" in job.error
    assert job.file_path == ""
    assert storages["private"].listdir("imports")[1] == []


def test_cleanup_runs_in_the_worker_on_its_queue(celery_worker, world):
    from roadmaps.tasks import cleanup_imports

    job = make_job(world, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    cleanup_imports.delay()
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).file_path == "")
    assert not storages["private"].exists(f"imports/{job.pk.hex}")


def make_job(world, **fields) -> ImportJob:
    job = ImportJob.objects.create(
        owner=world.centre,
        created_by=world.user("municipal_coordinator"),
        file_name="plan.txt",
        file_size=3,
        sha256="0" * 64,
        **{"expires_at": timezone.now() + datetime.timedelta(hours=1), **fields},
    )
    job.file_path = storages["private"].save(f"imports/{job.pk.hex}", ContentFile(b"abc"))
    job.save(update_fields=["file_path"])
    return job


def test_cleanup_deletes_expired_files_old_rows_orphans_and_fails_stuck_jobs(
    world, django_capture_on_commit_callbacks
):
    now = timezone.now()
    later = now + datetime.timedelta(hours=3)
    fresh = make_job(world, expires_at=later)
    expired = make_job(world, expires_at=now)
    old = make_job(world, expires_at=later)
    ImportJob.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=60))
    stuck = make_job(
        world,
        expires_at=later,
        state=JobState.RUNNING,
        started_at=now - datetime.timedelta(hours=1),
    )
    storage = storages["private"]
    orphan = storage.save("imports/orphan", ContentFile(b"left behind"))
    with django_capture_on_commit_callbacks(execute=True):
        counts = imports_cleanup(now=now + datetime.timedelta(hours=2))
    assert counts == {"expired": 1, "stuck": 1, "deleted_rows": 1, "orphans": 1}
    assert storage.exists(fresh.file_path)
    assert not storage.exists(expired.file_path)
    assert not storage.exists(old.file_path)
    assert not storage.exists(orphan)
    expired.refresh_from_db()
    assert (expired.state, expired.file_path) == (JobState.CANCELLED, "")
    stuck.refresh_from_db()
    assert stuck.state == JobState.FAILED
    assert "прервался" in stuck.error
    assert not ImportJob.objects.filter(pk=old.pk).exists()
