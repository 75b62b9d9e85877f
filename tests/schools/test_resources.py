"""Directory resources (django-import-export) bound to the acting user: rows within reach
only, region from the municipality, Russian row errors, all-or-nothing writes."""

import pytest
from tablib import Dataset

from schools.models import Membership, Organisation, User
from schools.resources import (
    OrganisationResource,
    PersonResource,
    RussianBooleanWidget,
    SafeCSV,
    SchoolResource,
)

SCHOOL_HEADERS = [
    "Полное наименование",
    "Краткое наименование",
    "Муниципалитет",
    "Уровень",
    "ШНОР",
    "ШНСУ",
    "Школа-лидер",
    "Школа роста с",
    "Школа роста по",
]
PEOPLE_HEADERS = [
    "Логин",
    "Фамилия",
    "Имя",
    "Отчество",
    "Должность",
    "Email",
    "Организация",
    "Роль",
]


def errors_of(result) -> str:
    texts = [str(e) for row in result.invalid_rows for e in row.error_dict.values()]
    texts += [str(e.error) for row in result.rows for e in row.errors]
    return " ".join(texts)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("да", True),
        ("Да", True),
        ("1", True),
        ("+", True),
        ("нет", False),
        ("0", False),
        ("", False),
        (None, False),
    ],
)
def test_school_flags_accept_the_usual_spellings(cell, expected):
    assert RussianBooleanWidget().clean(cell) is expected


def test_a_bad_flag_is_a_russian_error():
    with pytest.raises(ValueError, match="ожидается «да» или «нет»"):
        RussianBooleanWidget().clean("наверное")


def test_school_import_takes_the_region_from_the_municipality(world):
    dataset = Dataset(headers=[*SCHOOL_HEADERS, "Регион"])
    dataset.append(
        [
            "МБОУ «Школа № 50»",
            "Школа № 50",
            "Новокубанский район",
            "",
            "+",
            "1",
            "",
            "2021",
            "",
            "Оренбургская область",
        ]
    )
    result = SchoolResource(user=world.user("municipal_coordinator")).import_data(
        dataset, dry_run=False
    )
    assert not result.has_errors(), errors_of(result)
    assert not result.has_validation_errors(), errors_of(result)
    school = Organisation.objects.get(short_name="Школа № 50")
    assert (school.region, school.municipality, school.kind) == (
        world.region,
        world.municipality,
        "school",
    )
    assert (school.is_low_results, school.is_unfavourable, school.is_leader) == (True, True, False)
    assert school.growth_year_from == 2021


def test_one_bad_row_means_nothing_is_written(world):
    dataset = Dataset(headers=SCHOOL_HEADERS)
    dataset.append(
        ["МБОУ «Школа № 51»", "Школа № 51", "Новокубанский район", "", "", "", "", "", ""]
    )
    dataset.append(["МБОУ «Школа № 52»", "Школа № 52", "Армавир", "", "", "", "", "", ""])
    result = SchoolResource(user=world.user("administrator")).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert "«Армавир» не найден в вашей зоне ответственности" in errors_of(result)
    assert not Organisation.objects.filter(short_name__in=["Школа № 51", "Школа № 52"]).exists()


def test_an_organisation_of_another_tenant_is_never_updated(world):
    dataset = Dataset(
        headers=["Полное наименование", "Краткое наименование", "Тип", "Муниципалитет"]
    )
    dataset.append(
        [
            world.other_authority.full_name,
            "Захвачено",
            "Муниципальный орган управления образованием",
            "Пономаревский район",
        ]
    )
    result = OrganisationResource(user=world.user("administrator")).import_data(
        dataset, dry_run=False
    )
    assert result.has_validation_errors()
    world.other_authority.refresh_from_db()
    assert world.other_authority.short_name == "Отдел образования"


def test_coordinator_cannot_grant_the_administrator_role(world):
    dataset = Dataset(headers=PEOPLE_HEADERS)
    dataset.append(
        ["new.admin", "Админов", "", "", "", "", world.authority.short_name, "Администратор"]
    )
    result = PersonResource(user=world.user("municipal_coordinator")).import_data(
        dataset, dry_run=False
    )
    assert "Роль «Администратор» через импорт не выдаётся" in errors_of(result)
    assert not User.objects.filter(username="new.admin").exists()


def test_regional_role_cannot_be_imported_into_a_school(world):
    dataset = Dataset(headers=PEOPLE_HEADERS)
    dataset.append(
        [
            "wide.reach",
            "Широков",
            "",
            "",
            "",
            "",
            world.school.short_name,
            "Региональный координатор",
        ]
    )
    result = PersonResource(user=world.user("administrator")).import_data(dataset, dry_run=False)
    assert "только в региональной организации" in errors_of(result)
    assert not User.objects.filter(username="wide.reach").exists()


def test_unknown_role_is_a_russian_row_error(world):
    dataset = Dataset(headers=PEOPLE_HEADERS)
    dataset.append(["x.person", "Иксов", "", "", "", "", world.school.short_name, "Завхоз"])
    result = PersonResource(user=world.user("administrator")).import_data(dataset, dry_run=True)
    assert "Неизвестное значение «Завхоз»" in errors_of(result)


def test_staff_account_is_not_rewritten_by_import_but_an_unchanged_export_reimports(world):
    administrator = world.user("administrator")
    exported = PersonResource(user=administrator).export(
        queryset=User.objects.for_user(administrator, "view")
    )
    assert "admin" in exported["Логин"]
    result = PersonResource(user=administrator).import_data(exported, dry_run=True)
    assert not result.has_validation_errors(), errors_of(result)

    dataset = Dataset(headers=PEOPLE_HEADERS)
    dataset.append(
        [
            "admin",
            "Иванова",
            "Мария",
            "Петровна",
            "",
            "evil@example.org",
            world.authority.short_name,
            "Администратор",
        ]
    )
    coordinator = world.user("municipal_coordinator")
    result = PersonResource(user=coordinator).import_data(dataset, dry_run=False)
    assert "можно изменить только через администратора" in errors_of(result)
    administrator.refresh_from_db()
    assert administrator.email == "admin@example.org"


def test_people_export_is_scoped_and_escaped(world):
    world.user("school_deputy").__class__.objects.filter(username="deputy").update(
        position='=HYPERLINK("http://evil")'
    )
    administrator = world.user("administrator")
    resource = PersonResource(user=administrator)
    dataset = resource.export(queryset=User.objects.for_user(administrator, "view"))
    logins = set(dataset["Логин"])
    assert {"deputy", "director", "coordinator"} <= logins
    assert not logins & {"regional", "outsider", "root"}
    text = SafeCSV().export_data(dataset)
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_people_import_adds_a_role_to_a_person_in_reach(world):
    dataset = Dataset(headers=PEOPLE_HEADERS)
    dataset.append(
        [
            "deputy",
            "Иванова",
            "Мария",
            "Петровна",
            "",
            "deputy@example.org",
            world.second_school.short_name,
            "Заместитель директора школы",
        ]
    )
    result = PersonResource(user=world.user("administrator")).import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), errors_of(result)
    assert Membership.objects.filter(
        user=world.user("school_deputy"), organisation=world.second_school
    ).exists()


def test_a_school_director_in_a_centre_is_a_row_error(world):
    dataset = Dataset(headers=PEOPLE_HEADERS)
    dataset.append(
        ["mis.placed", "Мимо", "", "", "", "", world.centre.short_name, "Директор школы"]
    )
    result = PersonResource(user=world.user("administrator")).import_data(dataset, dry_run=False)
    assert "не бывает у организации типа «Методический центр»" in errors_of(result)
    assert not User.objects.filter(username="mis.placed").exists()


def test_the_importing_coordinator_cannot_give_themself_a_role(world):
    dataset = Dataset(headers=PEOPLE_HEADERS)
    dataset.append(
        [
            "coordinator",
            "Иванова",
            "Мария",
            "Петровна",
            "",
            "coordinator@example.org",
            world.centre.short_name,
            "Методист / куратор",
        ]
    )
    me = world.user("municipal_coordinator")
    result = PersonResource(user=me).import_data(dataset, dry_run=False)
    assert "Нельзя выдать или изменить роль самому себе" in errors_of(result)
    assert not Membership.objects.filter(user=me, organisation=world.centre).exists()


def test_csv_format_writes_bom_and_semicolons_and_reads_both_separators():
    dataset = Dataset(headers=["Краткое наименование", "Адрес"])
    dataset.append(["СОШ № 1", "ул. Мира, 1"])
    text = SafeCSV().export_data(dataset)
    assert text.startswith("\ufeffКраткое наименование;Адрес")
    assert SafeCSV().get_content_type() == "text/csv; charset=utf-8"
    back = SafeCSV().create_dataset(text.encode("utf-8"))
    assert back.headers == ["Краткое наименование", "Адрес"]
    assert back[0] == ("СОШ № 1", "ул. Мира, 1")
    commas = SafeCSV().create_dataset('Краткое наименование,Адрес\nСОШ № 1,"ул. Мира, 1"\n')
    assert commas[0] == ("СОШ № 1", "ул. Мира, 1")
