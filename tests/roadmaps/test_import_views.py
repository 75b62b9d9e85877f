"""Import in the browser: the upload is validated and kept privately, a real Celery worker
parses it, the page shows progress and then the stored, paginated preview; commit, cancel
and a refused parse delete the file."""

import time
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import JobState
from demo.plans import SAMPLES_DIR as SAMPLES
from roadmaps.importing.model import ParsedMeasure, ParsedPlan, ParsedSection
from roadmaps.importing.service import import_job_create
from roadmaps.models import ImportJob, Measure, Roadmap, RoadmapImport

TEXT_PLAN = (
    "План мероприятий на 2020-2022 годы\n\n"
    "№ п/п\tМероприятия\tСроки\tОтветственные\tПредполагаемый результат\n"
    "1.\tСеминар\tпо отдельному плану\tМБУ «ЦРО», МКУ «Неизвестный центр»\tСправка\n"
    "2.\tСовещание\tСентябрь 2020\tУО\tПротокол\n"
)


@pytest.fixture(autouse=True)
def fresh_private_storage(settings):
    """A new in-memory private storage per test (changing STORAGES resets the handler)."""
    settings.STORAGES = {**settings.STORAGES}


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.user("municipal_coordinator"))
    return client


def upload(client, world, name, owner=None, data=None):
    data = data if data is not None else (SAMPLES / name).read_bytes()
    return client.post(
        reverse("roadmap_import_start"),
        {"owner": (owner or world.centre).pk, "file": SimpleUploadedFile(name, data)},
    )


def finished(response, timeout=60) -> ImportJob:
    """The job behind a preview URL, once the worker has finished with it."""
    pk = response.url.rstrip("/").split("/")[-1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=pk)
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish job {pk} in {timeout} s")


def private_files() -> list[str]:
    try:
        return storages["private"].listdir("imports")[1]
    except FileNotFoundError:
        return []


def test_worker_parses_the_upload_then_preview_and_commit(celery_worker, coordinator_client, world):
    response = upload(coordinator_client, world, "novokubansky-cro-2019-2022.docx")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert storages["private"].exists(job.file_path)
    assert job.file_path.startswith("imports/")
    job = finished(response)
    assert job.state == JobState.DONE, job.error
    html = coordinator_client.get(response.url).content.decode()
    assert "Организационные мероприятия" in html
    assert "Разделов: 6, мероприятий: 39" in html
    assert "до 30.09.2019" in html
    assert not Roadmap.objects.exists()
    done = coordinator_client.post(response.url, {"commit": "1"})
    roadmap = Roadmap.objects.get()
    assert done.url == reverse("roadmap_detail", kwargs={"pk": roadmap.pk})
    assert Measure.objects.filter(roadmap=roadmap).count() == 39
    record = RoadmapImport.objects.get()
    assert record.imported_by == world.user("municipal_coordinator")
    assert (record.sha256, record.file_size) == (job.sha256, job.file_size)
    assert roadmap.history.first().history_user == world.user("municipal_coordinator")
    job.refresh_from_db()
    assert (job.roadmap, job.file_path) == (roadmap, "")
    assert private_files() == []


def test_reloading_the_preview_never_parses_again(celery_worker, coordinator_client, world):
    response = upload(coordinator_client, world, "novokubansky-cro-2019-2022.txt")
    job = finished(response)
    # Without the file a re-parse would fail: the preview comes from the stored JSON.
    storages["private"].delete(job.file_path)
    for _ in range(2):
        html = coordinator_client.get(response.url).content.decode()
        assert "Разделов: 6, мероприятий: 39" in html
        assert "перенос страницы" in html
        assert "4.14. повторяется" in html
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_column_mapping_requeues_a_parse_of_the_stored_file(
    celery_worker, coordinator_client, world
):
    response = upload(coordinator_client, world, "municipal-resources-2020.docx")
    first = finished(response)
    mapping = {"column_0": "number", "column_1": "title", "column_2": "skip", "column_3": "result"}
    remapped = coordinator_client.post(response.url, {**mapping, "remap": "1"})
    assert remapped.status_code == 302
    job = finished(response)
    assert job.started_at > first.started_at
    assert job.mapping == [[0, "number"], [1, "title"], [3, "result"]]
    coordinator_client.post(response.url, {"commit": "1"})
    roadmap = Roadmap.objects.get()
    assert roadmap.columns == ["number", "title", "result"]
    assert not Measure.objects.filter(roadmap=roadmap).exclude(deadline_text="").exists()


def test_refused_parse_shows_the_message_and_deletes_the_file(
    celery_worker, coordinator_client, world
):
    import io
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Без таблицы</w:t></w:r></w:p></w:body></w:document>",
        )
    response = upload(coordinator_client, world, "plan.docx", data=data.getvalue())
    job = finished(response)
    assert job.state == JobState.FAILED
    assert "нет таблицы" in job.error
    assert job.file_path == ""
    assert private_files() == []
    html = coordinator_client.get(response.url).content.decode()
    assert "нет таблицы" in html
    assert "Импортировать</button>" not in html
    coordinator_client.post(response.url, {"commit": "1"})
    assert not Roadmap.objects.exists()


def test_preview_warns_about_unparsed_deadlines_and_unknown_organisations(
    celery_worker, coordinator_client, world
):
    response = coordinator_client.post(
        reverse("roadmap_import_start"), {"owner": world.centre.pk, "text": TEXT_PLAN}
    )
    assert finished(response).state == JobState.DONE
    html = coordinator_client.get(response.url).content.decode()
    assert "Срок «по отдельному плану» не переведён в даты" in html
    assert "Организация «МКУ «Неизвестный центр»» не найдена в справочнике" in html
    assert f"Организация «{world.centre.short_name}» не найдена" not in html


def test_bad_file_is_refused_before_anything_is_kept(coordinator_client, world):
    response = upload(coordinator_client, world, "plan.docx", data=b"not a word file")
    assert response.status_code == 200
    assert "не соответствует расширению" in response.content.decode()
    response = upload(coordinator_client, world, "plan.pdf", data=b"%PDF-1.4")
    assert "Поддерживаются файлы" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert private_files() == []


def test_oversized_upload_is_refused(coordinator_client, world, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    response = upload(coordinator_client, world, "plan.txt", data=TEXT_PLAN.encode() * 20)
    assert response.status_code == 200
    assert "Файл больше 0 МБ — такой файл не принимается" in response.content.decode()
    assert "в таблице до 20 000 строк" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_foreign_owner_cannot_be_chosen(coordinator_client, world):
    response = upload(
        coordinator_client, world, "plan.txt", owner=world.other_authority, data=b"x\ty"
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_is_kept_privately_and_queued_on_commit(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = coordinator_client.post(
            reverse("roadmap_import_start"), {"owner": world.centre.pk, "text": TEXT_PLAN}
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("roadmap_import_preview", kwargs={"pk": job.pk})
    assert len(callbacks) == 1  # the parse is sent only once the upload is committed
    assert job.state == JobState.QUEUED
    assert job.task_id
    with storages["private"].open(job.file_path) as handle:
        assert handle.read() == TEXT_PLAN.strip().encode()
    page = coordinator_client.get(response.url)
    assert "в очереди" in page.content.decode().lower()
    assert 'hx-trigger="every 1s"' in page.content.decode()


def test_another_persons_upload_is_not_reachable(client, world):
    job = import_job_create(
        acting_user=world.user("municipal_coordinator"),
        owner=world.centre,
        file_name="plan.txt",
        data=TEXT_PLAN.encode(),
    )
    for persona in ("methodologist", "head", "superuser", "outsider"):
        client.force_login(world.user(persona))
        kwargs = {"pk": job.pk}
        assert client.get(reverse("roadmap_import_preview", kwargs=kwargs)).status_code == 404
        assert client.get(reverse("roadmap_import_status", kwargs=kwargs)).status_code == 404
        assert client.post(reverse("roadmap_import_cancel", kwargs=kwargs)).status_code == 404
        response = client.post(reverse("roadmap_import_preview", kwargs=kwargs), {"commit": "1"})
        assert response.status_code == 404
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert storages["private"].exists(job.file_path)


def test_cancel_deletes_the_file(coordinator_client, world, django_capture_on_commit_callbacks):
    job = import_job_create(
        acting_user=world.user("municipal_coordinator"),
        owner=world.centre,
        file_name="plan.txt",
        data=TEXT_PLAN.encode(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("roadmap_import_cancel", kwargs={"pk": job.pk}))
    assert response.url == reverse("roadmap_import_start")
    job.refresh_from_db()
    assert (job.state, job.file_path) == (JobState.CANCELLED, "")
    assert private_files() == []


def done_job(world, plan: ParsedPlan) -> ImportJob:
    import datetime

    from django.utils import timezone

    return ImportJob.objects.create(
        owner=world.centre,
        created_by=world.user("municipal_coordinator"),
        file_name="plan.xlsx",
        file_size=1,
        sha256="0" * 64,
        state=JobState.DONE,
        preview=plan.to_stored(),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )


def test_preview_is_paginated(coordinator_client, world):
    section = ParsedSection("1.", "Раздел", row=2)
    for index in range(1, 451):
        measure = ParsedMeasure(f"1.{index}.", f"Мероприятие {index}", row=index + 2)
        section.measures.append(measure)
        section.children.append(measure)
    plan = ParsedPlan(title="План", sections=[section], children=[section])
    job = done_job(world, plan)
    url = reverse("roadmap_import_preview", kwargs={"pk": job.pk})
    first = coordinator_client.get(url).content.decode()
    assert "Мероприятие 199<" in first
    assert "Мероприятие 200<" not in first
    assert "Строки 1–200 из 451" in first
    last = coordinator_client.get(url, {"page": 3}).content.decode()
    assert "Мероприятие 450<" in last
    assert "Мероприятие 199<" not in last


def test_status_fragment_polls_until_the_job_is_finished(coordinator_client, world):
    job = done_job(world, ParsedPlan(title="План"))
    job.state = JobState.RUNNING
    job.progress, job.progress_text = 30, "Разбираем таблицу"
    job.save()
    url = reverse("roadmap_import_status", kwargs={"pk": job.pk})
    running = coordinator_client.get(url)
    assert "Разбираем таблицу" in running.content.decode()
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running
    job.state = JobState.DONE
    job.save()
    done = coordinator_client.get(url)
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_uploads_are_never_served():
    """Not under MEDIA_ROOT or STATIC_ROOT, and the URLconf serves no MEDIA, whatever
    DEBUG says (it used to add ``static(MEDIA_URL, …)`` under DEBUG, as `make run` has)."""
    import config.urls
    from config.settings import base

    private = Path(base.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    for served in (base.MEDIA_ROOT, base.STATIC_ROOT):
        assert not private.is_relative_to(Path(served).resolve())
    source = Path(config.urls.__file__).read_text()
    assert "document_root=settings.MEDIA_ROOT" not in source
    assert "conf.urls.static" not in source
