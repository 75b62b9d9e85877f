"""Directory import and export in the browser for coordinators."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import Organisation
from tests.schools.test_admin import SCHOOL_HEADER as HEADER
from tests.schools.test_admin import xlsx as xlsx_stream


def xlsx(rows):
    return SimpleUploadedFile("schools.xlsx", xlsx_stream(rows).getvalue())


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.user("municipal_coordinator"))
    return client


def test_check_then_confirm_creates_schools(coordinator_client, world):
    rows = [
        HEADER,
        [
            "МБОУ СОШ № 40 полное",
            "МБОУ СОШ № 40",
            "Новокубанский район",
            "",
            "да",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    response = coordinator_client.post(
        reverse("directory_import"), {"resource": "schools", "file": xlsx(rows)}
    )
    html = response.content.decode()
    assert "Проверка пройдена: новых 1" in html
    assert not Organisation.objects.filter(short_name="МБОУ СОШ № 40").exists()
    token = response.context["token"]
    done = coordinator_client.post(reverse("directory_import"), {"token": token})
    assert done.status_code == 302
    school = Organisation.objects.get(short_name="МБОУ СОШ № 40")
    assert school.is_low_results
    assert school.municipality == world.municipality


def test_rows_outside_the_reach_are_listed_and_nothing_is_written(coordinator_client, world):
    rows = [
        HEADER,
        ["Школа А", "А", "Новокубанский район", "", "да", "", "", "", "", "", "", "", ""],
        ["Школа Б", "Б", "Пономаревский район", "", "да", "", "", "", "", "", "", "", ""],
    ]
    response = coordinator_client.post(
        reverse("directory_import"), {"resource": "schools", "file": xlsx(rows)}
    )
    html = response.content.decode()
    assert "не найден в вашей зоне ответственности" in html
    assert "token" not in response.context
    assert not Organisation.objects.filter(short_name__in=["А", "Б"]).exists()


def test_broken_file_gets_a_message(coordinator_client):
    response = coordinator_client.post(
        reverse("directory_import"),
        {"resource": "schools", "file": SimpleUploadedFile("schools.xlsx", b"not a workbook")},
    )
    assert response.status_code == 200
    assert "Не удалось прочитать файл" in response.content.decode()


def test_export_is_scoped_and_safe(coordinator_client, world):
    Organisation.objects.filter(pk=world.second_school.pk).update(short_name="=1+1")
    response = coordinator_client.get(
        reverse("directory_export", kwargs={"resource": "schools", "fmt": "xlsx"})
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert world.school.short_name in values
    assert world.other_school.short_name not in values
    assert "'=1+1" in values


def test_unknown_export_is_404(coordinator_client):
    assert (
        coordinator_client.get(
            reverse("directory_export", kwargs={"resource": "secrets", "fmt": "xlsx"})
        ).status_code
        == 404
    )
