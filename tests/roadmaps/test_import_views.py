"""Import in the browser: upload or paste, preview with warnings, remap, commit."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.models import Measure, Roadmap, RoadmapImport

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
pytestmark = pytest.mark.skipif(
    not SAMPLES.exists(), reason="../shared/samples is not beside the repository"
)


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.user("municipal_coordinator"))
    return client


def upload(client, world, name, owner=None):
    data = (SAMPLES / name).read_bytes()
    return client.post(
        reverse("roadmap_import_start"),
        {"owner": (owner or world.centre).pk, "file": SimpleUploadedFile(name, data)},
    )


def test_upload_preview_and_commit(coordinator_client, world):
    response = upload(coordinator_client, world, "novokubansky-cro-2019-2022.txt")
    assert response.status_code == 302
    preview = coordinator_client.get(response.url)
    html = preview.content.decode()
    assert "Организационные мероприятия" in html
    assert "Разделов: 6, мероприятий: 39" in html
    assert "перенос страницы" in html
    assert "4.14. повторяется" in html
    assert not Roadmap.objects.exists()
    done = coordinator_client.post(response.url, {"commit": "1"})
    roadmap = Roadmap.objects.get()
    assert done.url == reverse("roadmap_detail", kwargs={"pk": roadmap.pk})
    assert Measure.objects.filter(roadmap=roadmap).count() == 39
    record = RoadmapImport.objects.get()
    assert record.imported_by == world.user("municipal_coordinator")
    assert roadmap.history.first().history_user == world.user("municipal_coordinator")


def test_pasted_text_works_like_a_file(coordinator_client, world):
    text = (SAMPLES / "ponomarevsky-order-2020.txt").read_text()
    response = coordinator_client.post(
        reverse("roadmap_import_start"), {"owner": world.authority.pk, "text": text}
    )
    html = coordinator_client.get(response.url).content.decode()
    assert "мероприятий: 23" in html
    assert "Период не указан" in html


def test_column_mapping_can_be_changed(coordinator_client, world):
    response = upload(coordinator_client, world, "municipal-resources-2020.docx")
    remapped = coordinator_client.post(
        response.url,
        {
            "column_0": "number",
            "column_1": "title",
            "column_2": "skip",
            "column_3": "result",
            "remap": "1",
        },
    )
    assert remapped.status_code == 200
    coordinator_client.post(
        response.url,
        {
            "column_0": "number",
            "column_1": "title",
            "column_2": "skip",
            "column_3": "result",
            "commit": "1",
        },
    )
    roadmap = Roadmap.objects.get()
    assert roadmap.columns == ["number", "title", "result"]
    assert not Measure.objects.filter(roadmap=roadmap).exclude(deadline_text="").exists()


def test_bad_file_shows_a_message_and_writes_nothing(coordinator_client, world):
    response = coordinator_client.post(
        reverse("roadmap_import_start"),
        {"owner": world.centre.pk, "file": SimpleUploadedFile("plan.docx", b"not a word file")},
    )
    html = coordinator_client.get(response.url).content.decode()
    assert "не соответствует расширению" in html
    assert "Импортировать</button>" not in html
    coordinator_client.post(response.url, {"commit": "1"})
    assert not Roadmap.objects.exists()


def test_oversized_upload_is_refused(coordinator_client, world, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    response = upload(coordinator_client, world, "novokubansky-cro-2019-2022.docx")
    assert response.status_code == 200
    assert (
        "больше 0 МБ" in response.content.decode() or "не принимается" in response.content.decode()
    )


def test_foreign_owner_cannot_be_chosen(coordinator_client, world):
    response = upload(
        coordinator_client, world, "ponomarevsky-order-2020.docx", owner=world.other_authority
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()


def test_another_persons_upload_is_not_reachable(coordinator_client, client, world):
    response = upload(coordinator_client, world, "ponomarevsky-order-2020.docx")
    client.logout()
    client.force_login(world.user("methodologist"))
    other = client.post(response.url, {"commit": "1"})
    assert other.status_code == 302
    assert other.url == reverse("roadmap_import_start")
    assert not Roadmap.objects.exists()


def test_preview_warns_about_unparsed_deadlines_and_unknown_organisations(
    coordinator_client, world
):
    text = (
        "План мероприятий на 2020-2022 годы\n\n"
        "№ п/п\tМероприятия\tСроки\tОтветственные\tПредполагаемый результат\n"
        f"1.\tСеминар\tпо отдельному плану\t{world.centre.short_name}, МКУ «Неизвестный центр»\tСправка\n"
    )
    response = coordinator_client.post(
        reverse("roadmap_import_start"), {"owner": world.centre.pk, "text": text}
    )
    html = coordinator_client.get(response.url).content.decode()
    assert "Срок «по отдельному плану» не переведён в даты" in html
    assert "Организация «МКУ «Неизвестный центр»» не найдена в справочнике" in html
    assert f"Организация «{world.centre.short_name}» не найдена" not in html


def test_preview_shows_due_dates_in_russian_format(coordinator_client, world):
    response = upload(coordinator_client, world, "novokubansky-cro-2019-2022.docx")
    html = coordinator_client.get(response.url).content.decode()
    assert "до 30.09.2019" in html
