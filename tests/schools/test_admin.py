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


PEOPLE_HEADER = ["Логин", "Фамилия", "Имя", "Отчество", "Должность", "Email", "Организация", "Роль"]


@pytest.mark.parametrize("persona", ["regional_coordinator", "school_director", "outsider"])
def test_people_without_the_administrator_role_are_not_staff(client, world, persona):
    user = world.user(persona)
    assert not user.is_staff
    client.force_login(user)
    response = client.get(reverse("admin:schools_organisation_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_the_admin_login(client, world):
    response = client.get(reverse("admin:schools_user_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:schools_organisation_change",
        "admin:schools_organisation_history",
        "admin:schools_organisation_delete",
    ],
)
def test_neighbour_municipality_rows_are_out_of_reach(staff_client, world, url_name):
    response = staff_client.get(reverse(url_name, args=[world.neighbour_school.pk]))
    assert response.status_code in (302, 403, 404)
    assert world.neighbour_school.full_name not in response.content.decode()


def test_people_list_is_scoped(staff_client, world):
    html = staff_client.get(reverse("admin:schools_user_changelist")).content.decode()
    assert "director" in html
    assert "regional" not in html  # the regional coordinator sits above the municipality
    assert "outsider" not in html


def test_organisation_added_by_the_administrator_takes_the_region_of_its_municipality(
    staff_client, world
):
    response = staff_client.get(reverse("admin:schools_organisation_add"))
    assert 'name="region"' not in response.content.decode()  # read-only for a municipality
    response = staff_client.post(
        reverse("admin:schools_organisation_add"),
        {
            "municipality": world.municipality.pk,
            "kind": "school",
            "full_name": "Муниципальное бюджетное общеобразовательное учреждение ООШ № 12",
            "short_name": "МБОУ ООШ № 12",
            "is_active": "on",
            "level": "basic",
            **empty_grant_inline(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    school = Organisation.objects.get(short_name="МБОУ ООШ № 12")
    assert school.region == world.region


def test_organisation_in_another_municipality_cannot_be_added(staff_client, world):
    response = staff_client.post(
        reverse("admin:schools_organisation_add"),
        {
            "municipality": world.other_municipality.pk,
            "kind": "school",
            "full_name": "Чужая школа",
            "short_name": "Чужая СОШ",
            "is_active": "on",
            **empty_grant_inline(),
        },
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Organisation.objects.filter(short_name="Чужая СОШ").exists()


def empty_grant_inline():
    prefix = "organisationuserobjectpermission_set"
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def membership_inline(rows=()):
    data = {
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"memberships-{index}-{key}": value for key, value in row.items()})
    return data


def new_person(username, **extra):
    return {
        "username": username,
        "last_name": "Сидорова",
        "first_name": "Елена",
        "middle_name": "Павловна",
        "position": "Учитель",
        "email": f"{username}@example.org",
        "usable_password": "false",
        "password1": "",
        "password2": "",
        **extra,
    }


def test_person_added_with_a_role_in_reach_is_saved(staff_client, world):
    response = staff_client.post(
        reverse("admin:schools_user_add"),
        {
            **new_person("new.teacher"),
            **membership_inline(
                [
                    {
                        "organisation": world.school.pk,
                        "role": "school_deputy",
                        "position": "Заместитель",
                        "is_active": "on",
                    }
                ]
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(username="new.teacher")
    assert Membership.objects.filter(user=person, organisation=world.school).exists()


def test_person_added_without_a_role_in_reach_is_rolled_back_with_a_message(staff_client, world):
    response = staff_client.post(
        reverse("admin:schools_user_add"),
        {**new_person("orphan"), **membership_inline()},
        follow=True,
    )
    assert not User.objects.filter(username="orphan").exists()
    assert "добавьте человеку роль в одной из ваших организаций" in response.content.decode()


def test_regional_role_cannot_be_given_in_a_school(staff_client, world):
    response = staff_client.post(
        reverse("admin:schools_user_add"),
        {
            **new_person("wannabe"),
            **membership_inline(
                [
                    {
                        "organisation": world.school.pk,
                        "role": "regional_coordinator",
                        "is_active": "on",
                    }
                ]
            ),
        },
    )
    assert response.status_code == 200
    assert "только в региональной организации" in response.content.decode()
    assert not User.objects.filter(username="wannabe").exists()


def test_superuser_account_is_not_changed_by_an_administrator(staff_client, world):
    root = world.user("superuser")
    Membership.objects.create(user=root, organisation=world.school, role="school_deputy")
    response = staff_client.get(reverse("admin:auth_user_password_change", args=[root.pk]))
    assert response.status_code == 403


def test_import_and_export_buttons_follow_the_directory_verbs(client, world):
    # A head holds the export verb but not the import verb; make them staff by hand.
    head = world.user("head")
    User.objects.filter(pk=head.pk).update(is_staff=True)
    head.refresh_from_db()
    client.force_login(head)
    html = client.get(reverse("admin:schools_organisation_changelist")).content.decode()
    assert reverse("admin:schools_organisation_export") in html
    assert reverse("admin:schools_organisation_import") not in html
    assert client.get(reverse("admin:schools_organisation_import")).status_code == 403


def test_administrator_sees_import_and_export_buttons(staff_client):
    html = staff_client.get(reverse("admin:schools_organisation_changelist")).content.decode()
    assert reverse("admin:schools_organisation_import") in html
    assert reverse("admin:schools_organisation_export") in html


def test_people_import_in_admin_previews_then_creates_account_and_role(staff_client, world):
    upload = xlsx(
        [
            PEOPLE_HEADER,
            [
                "new.director",
                "Кузнецов",
                "Олег",
                "Игоревич",
                "Директор",
                "k@example.org",
                world.second_school.short_name,
                "Директор школы",
            ],
        ]
    )
    upload.name = "people.xlsx"
    response = staff_client.post(
        reverse("admin:schools_user_import"), {"import_file": upload, "format": 0}
    )
    assert response.status_code == 200
    assert "new.director" in response.content.decode()
    assert not User.objects.filter(username="new.director").exists()
    confirm = response.context["confirm_form"]
    response = staff_client.post(reverse("admin:schools_user_process_import"), confirm.initial)
    assert response.status_code == 302
    person = User.objects.get(username="new.director")
    assert person.get_full_name() == "Кузнецов Олег Игоревич"
    assert Membership.objects.filter(
        user=person, organisation=world.second_school, role="school_director"
    ).exists()


def test_people_import_preview_rejects_a_foreign_organisation_in_russian(staff_client, world):
    upload = xlsx(
        [
            PEOPLE_HEADER,
            ["ok.person", "Иванов", "", "", "", "", world.school.short_name, "Методист / куратор"],
            [
                "far.person",
                "Петров",
                "",
                "",
                "",
                "",
                world.other_school.short_name,
                "Директор школы",
            ],
        ]
    )
    upload.name = "people.xlsx"
    response = staff_client.post(
        reverse("admin:schools_user_import"), {"import_file": upload, "format": 0}
    )
    html = response.content.decode()
    assert "не найдена в вашей зоне ответственности" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not User.objects.filter(username__in=["ok.person", "far.person"]).exists()


def test_csv_export_escapes_formulas(staff_client, world):
    SchoolFactory(
        municipality=world.municipality,
        short_name="=1+2",
        full_name="-2+3 школа",
        address="@SUM(A1:A2)",
    )
    response = staff_client.post(
        reverse("admin:schools_organisation_export"),
        {
            "format": 1,
            "resource": 0,
            **{
                f"organisationresource_{name}": True
                for name in ["full_name", "short_name", "municipality", "address"]
            },
        },
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=1+2" in text
    assert "'-2+3 школа" in text
    assert "'@SUM(A1:A2)" in text
    assert world.other_school.short_name not in text
    import csv

    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


# Roles that fit, and choices scoped like the rest ------------------------------------


def membership_form(**data):
    return {"position": "", "is_active": "on", **data}


def test_administrator_cannot_add_a_membership_for_themself(staff_client, world):
    me = world.user("administrator")
    response = staff_client.post(
        reverse("admin:schools_membership_add"),
        membership_form(user=me.pk, organisation=world.authority.pk, role="head"),
    )
    assert response.status_code == 200
    assert "Нельзя выдать или изменить роль самому себе" in response.content.decode()
    assert not Membership.objects.filter(user=me, role="head").exists()


def test_administrator_cannot_change_their_own_role(staff_client, world):
    me = world.user("administrator")
    own = me.memberships.get()
    response = staff_client.post(
        reverse("admin:schools_membership_change", args=[own.pk]),
        membership_form(user=me.pk, organisation=world.authority.pk, role="head"),
    )
    assert response.status_code == 200
    assert "Нельзя выдать или изменить роль самому себе" in response.content.decode()
    own.refresh_from_db()
    assert own.role == "administrator"


def test_membership_added_in_admin_in_reach_is_saved_through_the_service(staff_client, world):
    director = world.user("school_director")
    response = staff_client.post(
        reverse("admin:schools_membership_add"),
        membership_form(
            user=director.pk, organisation=world.second_school.pk, role="school_deputy"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Membership.objects.get(user=director, organisation=world.second_school)
    assert added.history.first().history_user == world.user("administrator")


def test_school_director_in_a_centre_is_refused_in_membership_admin(staff_client, world):
    response = staff_client.post(
        reverse("admin:schools_membership_add"),
        membership_form(
            user=world.user("school_deputy").pk,
            organisation=world.centre.pk,
            role="school_director",
        ),
    )
    assert response.status_code == 200
    assert "не бывает у организации типа «Методический центр»" in response.content.decode()
    assert not Membership.objects.filter(organisation=world.centre, role="school_director").exists()


def test_school_director_in_a_centre_is_refused_in_the_people_inline(staff_client, world):
    response = staff_client.post(
        reverse("admin:schools_user_add"),
        {
            **new_person("misplaced"),
            **membership_inline(
                [{"organisation": world.centre.pk, "role": "school_director", "is_active": "on"}]
            ),
        },
    )
    assert response.status_code == 200
    assert "не бывает у организации типа «Методический центр»" in response.content.decode()
    assert not User.objects.filter(username="misplaced").exists()


@pytest.fixture
def stranger(world):
    from schools.constants import Role
    from tests.factories import person

    return person(
        "stranger",
        world.other_school,
        Role.SCHOOL_DEPUTY,
        last_name="Засекреченная",
        first_name="Агата",
    )


def test_membership_admin_with_a_foreign_user_id_names_nobody(staff_client, world, stranger):
    response = staff_client.post(
        reverse("admin:schools_membership_add"),
        membership_form(user=stranger.pk, organisation=world.school.pk, role="school_deputy"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Выберите корректный вариант" in html
    assert "Засекреченная" not in html
    assert not Membership.objects.filter(user=stranger, organisation=world.school).exists()


def organisation_form(organisation, **extra):
    return {
        "municipality": organisation.municipality_id,
        "parent": "",
        "kind": organisation.kind,
        "full_name": organisation.full_name,
        "short_name": organisation.short_name,
        "is_active": "on",
        "inn": "",
        "address": "",
        "email": "",
        "phone": "",
        "level": organisation.level,
        "growth_year_from": "",
        "growth_year_to": "",
        **extra,
    }


def grant_inline(rows):
    prefix = "organisationuserobjectpermission_set"
    data = {**empty_grant_inline(), f"{prefix}-TOTAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_grant_inline_with_a_foreign_user_id_is_refused_and_names_nobody(
    staff_client, world, stranger
):
    from django.contrib.auth.models import Permission

    from schools.models import OrganisationUserObjectPermission

    view = Permission.objects.get(codename="view_organisation")
    response = staff_client.post(
        reverse("admin:schools_organisation_change", args=[world.school.pk]),
        {
            **organisation_form(world.school),
            **grant_inline([{"user": stranger.pk, "permission": view.pk}]),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Выберите корректный вариант" in html
    assert "Засекреченная" not in html
    assert "Агата" not in html
    assert not OrganisationUserObjectPermission.objects.filter(user=stranger).exists()


def test_grant_inline_accepts_a_person_in_reach(staff_client, world):
    from django.contrib.auth.models import Permission

    from schools.models import OrganisationUserObjectPermission

    view = Permission.objects.get(codename="view_organisation")
    director = world.user("school_director")
    response = staff_client.post(
        reverse("admin:schools_organisation_change", args=[world.second_school.pk]),
        {
            **organisation_form(world.second_school),
            **grant_inline([{"user": director.pk, "permission": view.pk}]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert OrganisationUserObjectPermission.objects.filter(
        user=director, content_object=world.second_school
    ).exists()


def test_a_grant_to_a_foreign_person_is_not_shown_on_the_change_page(staff_client, world, stranger):
    from guardian.shortcuts import assign_perm

    assign_perm("schools.view_organisation", stranger, world.school)
    html = staff_client.get(
        reverse("admin:schools_organisation_change", args=[world.school.pk])
    ).content.decode()
    assert "Засекреченная" not in html
    assert f'value="{stranger.pk}"' not in html


def test_region_filter_of_municipalities_offers_only_regions_in_reach(staff_client, world):
    html = staff_client.get(reverse("admin:schools_municipality_changelist")).content.decode()
    assert world.municipality.name in html
    assert world.other_region.name not in html


def test_curator_added_in_admin_goes_through_the_service(staff_client, world):
    from schools.models import CuratorAssignment

    response = staff_client.post(
        reverse("admin:schools_curatorassignment_add"),
        {
            "curator": world.user("methodologist").pk,
            "school": world.second_school.pk,
            "since": "",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = CuratorAssignment.objects.get(school=world.second_school)
    assert assignment.history.first().history_user == world.user("administrator")


def test_indicator_owner_choices_are_scoped(staff_client, world):
    html = staff_client.get(reverse("admin:monitoring_indicator_add")).content.decode()
    assert world.authority.short_name in html
    assert world.other_authority.short_name not in html
    assert world.neighbour_school.short_name not in html


def test_the_admin_history_reads_like_the_product(staff_client, world):
    """Field names and readable values, not field codes and raw values."""
    school = world.school
    school.short_name = "МОБУ СОШ № 3 им. Героя"
    school.is_low_results = not school.is_low_results
    school._history_user = world.user("administrator")
    school.save()
    page = staff_client.get(
        reverse("admin:schools_organisation_history", args=[school.pk])
    ).content.decode()
    assert "Краткое наименование:" in page
    assert "МОБУ СОШ № 3 им. Героя" in page
    assert "short_name" not in page
    assert "is_low_results" not in page
    assert "True" not in page
    assert "False" not in page


def test_the_changelist_title_is_in_the_accusative(staff_client):
    page = staff_client.get(reverse("admin:schools_organisation_changelist")).content.decode()
    assert "Выберите организацию для изменения" in page
    assert "Выберите организация" not in page
