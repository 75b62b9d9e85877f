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


PEOPLE_HEADER = ["Логин", "Фамилия", "Имя", "Отчество", "Должность", "Email", "Организация", "Роль"]


def people_row(world, role, username="coordinator"):
    return [username, "Иванова", "Мария", "Петровна", "", "", world.authority.short_name, role]


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("Региональный координатор", "только в региональной организации"),
        ("Руководитель организации", "Нельзя выдать или изменить роль самому себе"),
        ("Методист / куратор", "Нельзя выдать или изменить роль самому себе"),
    ],
)
def test_coordinator_cannot_give_themself_a_role_by_import(
    coordinator_client, world, role, message
):
    from schools.models import Membership

    me = world.user("municipal_coordinator")
    before = set(Membership.objects.values_list("pk", "user_id", "role"))
    response = coordinator_client.post(
        reverse("directory_import"),
        {"resource": "people", "file": xlsx([PEOPLE_HEADER, people_row(world, role)])},
    )
    html = response.content.decode()
    assert message in html
    assert "token" not in response.context
    assert set(Membership.objects.values_list("pk", "user_id", "role")) == before
    assert set(me.memberships.values_list("role", flat=True)) == {"municipal_coordinator"}


def test_coordinator_imports_a_role_for_someone_else_in_reach(coordinator_client, world):
    from schools.models import Membership

    response = coordinator_client.post(
        reverse("directory_import"),
        {
            "resource": "people",
            "file": xlsx(
                [
                    PEOPLE_HEADER,
                    [
                        "new.head",
                        "Петров",
                        "Пётр",
                        "",
                        "",
                        "",
                        world.second_school.short_name,
                        "Директор школы",
                    ],
                ]
            ),
        },
    )
    assert "Проверка пройдена: новых 1" in response.content.decode()
    done = coordinator_client.post(
        reverse("directory_import"), {"token": response.context["token"]}
    )
    assert done.status_code == 302
    assert Membership.objects.filter(
        user__username="new.head", organisation=world.second_school, role="school_director"
    ).exists()


def csv_upload(text, name="schools.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding))


def test_csv_export_opens_in_russian_excel(coordinator_client, world):
    response = coordinator_client.get(
        reverse("directory_export", kwargs={"resource": "schools", "fmt": "csv"})
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.split(";")[:3] == ["Полное наименование", "Краткое наименование", "Муниципалитет"]
    assert world.school.short_name in text


def test_csv_export_imports_back_unchanged(coordinator_client, world):
    exported = coordinator_client.get(
        reverse("directory_export", kwargs={"resource": "schools", "fmt": "csv"})
    ).content
    response = coordinator_client.post(
        reverse("directory_import"),
        {"resource": "schools", "file": SimpleUploadedFile("schools.csv", exported)},
    )
    html = response.content.decode()
    assert "Проверка пройдена: новых 0, изменится 0, без изменений 2." in html, html[:3000]


def test_comma_separated_csv_is_still_read(coordinator_client, world):
    text = ",".join(HEADER) + "\n" + '"МБОУ СОШ № 41, полное",МБОУ СОШ № 41,Новокубанский район'
    text += ",,да" + "," * 8 + "\n"
    response = coordinator_client.post(
        reverse("directory_import"), {"resource": "schools", "file": csv_upload(text)}
    )
    assert "Проверка пройдена: новых 1" in response.content.decode()
    done = coordinator_client.post(
        reverse("directory_import"), {"token": response.context["token"]}
    )
    assert done.status_code == 302
    assert Organisation.objects.get(short_name="МБОУ СОШ № 41").full_name == (
        "МБОУ СОШ № 41, полное"
    )


def test_semicolon_csv_in_windows_1251_is_read(coordinator_client, world):
    text = ";".join(HEADER) + "\n" + "МБОУ СОШ № 42 полное;МБОУ СОШ № 42;Новокубанский район"
    text += ";;нет" + ";" * 8 + "\n"
    response = coordinator_client.post(
        reverse("directory_import"),
        {"resource": "schools", "file": csv_upload(text, encoding="cp1251")},
    )
    assert "Проверка пройдена: новых 1" in response.content.decode()


SCHOOL_ROW = ["МБОУ СОШ № 41 полное", "МБОУ СОШ № 41", "Новокубанский район", *[""] * 10]


def test_checked_upload_waits_in_the_private_storage_and_goes_after_confirmation(
    coordinator_client,
):
    from django.core.files.storage import default_storage, storages

    response = coordinator_client.post(
        reverse("directory_import"), {"resource": "schools", "file": xlsx([HEADER, SCHOOL_ROW])}
    )
    token = response.context["token"]
    path = f"directory-imports/{token}"
    assert storages["private"].exists(path)
    assert not default_storage.exists(path)
    coordinator_client.post(reverse("directory_import"), {"token": token})
    assert not storages["private"].exists(path)


def test_unconfirmed_uploads_are_deleted_by_the_cleanup(coordinator_client):
    import datetime

    from django.core.files.storage import storages

    from schools.directory_io import directory_uploads_cleanup

    response = coordinator_client.post(
        reverse("directory_import"), {"resource": "schools", "file": xlsx([HEADER, SCHOOL_ROW])}
    )
    path = f"directory-imports/{response.context['token']}"
    directory_uploads_cleanup(older_than=datetime.timedelta(hours=1))
    assert storages["private"].exists(path)
    assert directory_uploads_cleanup(older_than=datetime.timedelta(0)) >= 1
    assert not storages["private"].exists(path)
