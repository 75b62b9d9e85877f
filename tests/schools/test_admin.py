"""Django admin for staff: scoped lists, scoped saves, import with preview, safe export."""

import io

import openpyxl
import pytest
from django.urls import reverse

from schools.models import Membership, Organisation, User
from tests.factories import SchoolFactory


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("administrator"))
    return client


def xlsx(rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "schools.xlsx"
    return data


SCHOOL_HEADER = [
    "Полное наименование",
    "Краткое наименование",
    "Муниципалитет",
    "Уровень",
    "ШНОР",
    "ШНСУ",
    "Школа-лидер",
    "Школа роста с",
    "Школа роста по",
    "ИНН",
    "Адрес",
    "Email",
    "Телефон",
]


def preview(client, rows, resource=1):
    return client.post(
        reverse("admin:schools_organisation_import"),
        {"import_file": xlsx(rows), "format": 0, "resource": resource},
    )


def test_changelist_shows_only_the_administrators_reach(staff_client, world):
    html = staff_client.get(reverse("admin:schools_organisation_changelist")).content.decode()
    assert world.school.short_name in html
    assert world.other_school.short_name not in html
    assert world.neighbour_school.short_name not in html


def test_foreign_change_page_is_not_reachable(staff_client, world):
    response = staff_client.get(
        reverse("admin:schools_organisation_change", args=[world.other_school.pk])
    )
    assert response.status_code in (302, 404)
    assert world.other_school.full_name not in response.content.decode()


def test_non_staff_is_sent_to_the_admin_login(client, world):
    client.force_login(world.user("municipal_coordinator"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response.url


def test_municipality_choices_are_narrowed(staff_client, world):
    html = staff_client.get(reverse("admin:schools_organisation_add")).content.decode()
    assert world.municipality.name in html
    assert world.other_municipality.name not in html


def test_import_preview_lists_bad_rows_in_russian_and_writes_nothing(staff_client, world):
    before = Organisation.objects.count()
    response = preview(
        staff_client,
        [
            SCHOOL_HEADER,
            [
                "Муниципальное бюджетное общеобразовательное учреждение СОШ № 40",
                "МБОУ СОШ № 40",
                "Новокубанский район",
                "Средняя (СОШ)",
                "да",
                "нет",
                "нет",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "Школа чужого района",
                "Чужая СОШ",
                "Пономаревский район",
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
            [
                "Школа с ошибкой",
                "СОШ № 41",
                "Новокубанский район",
                "",
                "может быть",
                "",
                "",
                "2022",
                "2020",
                "",
                "",
                "",
                "",
            ],
        ],
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "не найден в вашей зоне ответственности" in html
    assert "ожидается «да» или «нет»" in html
    assert Organisation.objects.count() == before


def test_valid_school_import_creates_schools_with_flags_after_confirmation(staff_client, world):
    response = preview(
        staff_client,
        [
            SCHOOL_HEADER,
            [
                "Муниципальное бюджетное общеобразовательное учреждение СОШ № 40",
                "МБОУ СОШ № 40",
                "Новокубанский район",
                "Средняя (СОШ)",
                "да",
                "нет",
                "нет",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "Муниципальное бюджетное общеобразовательное учреждение ООШ № 41",
                "МБОУ ООШ № 41",
                "Новокубанский район",
                "Основная (ООШ)",
                "нет",
                "да",
                "нет",
                "2021",
                "2022",
                "",
                "",
                "",
                "",
            ],
        ],
    )
    assert not Organisation.objects.filter(short_name="МБОУ СОШ № 40").exists()  # preview only
    confirm = response.context["confirm_form"]
    response = staff_client.post(
        reverse("admin:schools_organisation_process_import"), confirm.initial
    )
    assert response.status_code == 302
    school = Organisation.objects.get(short_name="МБОУ СОШ № 40")
    assert school.is_low_results
    assert school.kind == "school"
    assert school.region == world.region
    growth = Organisation.objects.get(short_name="МБОУ ООШ № 41")
    assert (growth.is_unfavourable, growth.growth_year_from, growth.growth_year_to) == (
        True,
        2021,
        2022,
    )


def test_people_import_creates_accounts_and_roles_in_reach(world):
    from tablib import Dataset

    from schools.resources import PersonResource

    dataset = Dataset(
        headers=["Логин", "Фамилия", "Имя", "Отчество", "Должность", "Email", "Организация", "Роль"]
    )
    dataset.append(
        [
            "new.deputy",
            "Петрова",
            "Анна",
            "Ивановна",
            "Заместитель директора",
            "a@example.org",
            world.school.short_name,
            "Заместитель директора школы",
        ]
    )
    result = PersonResource(user=world.user("administrator")).import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    person = User.objects.get(username="new.deputy")
    assert not person.has_usable_password()
    assert Membership.objects.filter(
        user=person, organisation=world.school, role="school_deputy"
    ).exists()


def test_people_import_never_touches_another_tenants_account(world):
    from tablib import Dataset

    from schools.resources import PersonResource

    stranger = User.objects.create_user(username="stranger", last_name="Чужой")
    dataset = Dataset(
        headers=["Логин", "Фамилия", "Имя", "Отчество", "Должность", "Email", "Организация", "Роль"]
    )
    dataset.append(
        ["stranger", "Захваченный", "", "", "", "", world.school.short_name, "Директор школы"]
    )
    dataset.append(["ok.user", "Новый", "", "", "", "", "Чужая школа", "Директор школы"])
    result = PersonResource(user=world.user("administrator")).import_data(
        dataset, dry_run=False, use_transactions=True
    )
    assert result.has_validation_errors()
    messages = " ".join(str(e) for row in result.invalid_rows for e in row.error_dict.values())
    assert "Логин уже занят" in messages
    assert "не найдена в вашей зоне ответственности" in messages
    stranger.refresh_from_db()
    assert stranger.last_name == "Чужой"
    assert not User.objects.filter(username="ok.user").exists()


def test_export_is_scoped_and_escapes_formulas(staff_client, world):
    SchoolFactory(
        municipality=world.municipality,
        short_name='=HYPERLINK("http://evil")',
        full_name="+cmd|' /C calc'!A0",
    )
    SchoolFactory(municipality=world.municipality, short_name="@SUM(1+1)", full_name="\tTab school")
    response = staff_client.post(
        reverse("admin:schools_organisation_export"),
        {
            "format": 0,
            "resource": 0,
            **{
                f"organisationresource_{name}": True
                for name in [
                    "full_name",
                    "short_name",
                    "kind",
                    "municipality",
                    "inn",
                    "address",
                    "email",
                    "phone",
                ]
            },
        },
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell.value for row in book.active.iter_rows() for cell in row if cell.value]
    assert world.school.short_name in cells
    assert world.other_school.short_name not in cells
    for dangerous in ("=HYPERLINK", "+cmd", "@SUM", "\tTab"):
        assert not any(str(c).startswith(dangerous) for c in cells), dangerous
    assert '\'=HYPERLINK("http://evil")' in cells


def test_escape_cell():
    from schools.resources import escape_cell

    assert [escape_cell(v) for v in ["=1+1", "+1", "-1", "@a", "\tx", "\rx", "ok", 5]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "ok",
        5,
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("schools.xlsx", b"this is not a spreadsheet"),
        ("schools.xlsx", b"PK\x03\x04truncated zip"),
        ("schools.csv", b"\xff\xfe\x00garbage\x00"),
        ("schools.csv", b""),
    ],
)
def test_malformed_files_get_a_message_not_a_500(staff_client, name, content):
    upload = io.BytesIO(content)
    upload.name = name
    before = Organisation.objects.count()
    response = staff_client.post(
        reverse("admin:schools_organisation_import"),
        {"import_file": upload, "format": 0 if name.endswith("xlsx") else 1, "resource": 1},
    )
    assert response.status_code == 200
    assert Organisation.objects.count() == before
