"""The plan page and the plan list show each person only the buttons they may use: no
«Word» for a partner who may only read and agree, no «Сделать план на следующий период»
for the regional coordinator or a head (issue 9, point 6)."""

import pytest
from django.urls import reverse

from tests.roadmaps.factories import RoadmapFactory

pytestmark = pytest.mark.django_db

BUTTONS = {
    "print": ("roadmap_print", "Версия для печати"),
    "word": ("roadmap_export", "Word"),
    "excel": ("roadmap_export", "Excel"),
    "history": ("roadmap_history", "История изменений"),
    "header": ("roadmap_edit", "Шапка и паспорт"),
    "group": ("roadmap_group", "Группа школ"),
    "duplicate": ("roadmap_duplicate", "Сделать план на следующий период"),
    "add_section": ("section_create", "Добавить раздел"),
    "copies": ("roadmap_copies", "Копии школ"),
    "distribute": ("roadmap_distribute", "Передать школам"),
}
READ = {"print", "history"}
EXPORT = {"word", "excel"}
EDIT = {"header", "group", "add_section"}


def url_of(name, roadmap):
    if name == "word":
        return reverse("roadmap_export", args=[roadmap.pk, "docx"])
    if name == "excel":
        return reverse("roadmap_export", args=[roadmap.pk, "xlsx"])
    return reverse(BUTTONS[name][0], args=[roadmap.pk])


def shown_buttons(client, roadmap) -> set[str]:
    response = client.get(reverse("roadmap_detail", args=[roadmap.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    shown = set()
    for name, (_, text) in BUTTONS.items():
        link = f'href="{url_of(name, roadmap)}"'
        assert (link in html) == (f">{text}</a>" in html), name
        if link in html:
            shown.add(name)
    return shown


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("municipal_coordinator", READ | EXPORT | EDIT | {"duplicate"}),
        ("partner", READ),
        ("regional_coordinator", READ | EXPORT),
        ("head", READ | EXPORT),
        ("methodologist", READ),
        ("superuser", READ | EXPORT | EDIT | {"duplicate"}),
    ],
)
def test_buttons_on_the_authority_plan(world, login, persona, expected):
    roadmap = RoadmapFactory(owner=world.authority)
    world.grant_partner(roadmap)
    assert shown_buttons(login(world.user(persona)), roadmap) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("school_deputy", READ | EXPORT | EDIT),
        ("school_director", READ | EXPORT | EDIT),
        ("methodologist", READ | EXPORT),
        ("municipal_coordinator", READ | EXPORT | EDIT | {"duplicate"}),
    ],
)
def test_buttons_on_the_school_plan(world, login, persona, expected):
    roadmap = RoadmapFactory(owner=world.school)
    assert shown_buttons(login(world.user(persona)), roadmap) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("methodologist", READ | EXPORT | EDIT | {"duplicate", "copies"}),
        ("municipal_coordinator", READ | EXPORT | EDIT | {"duplicate", "copies", "distribute"}),
        ("head", READ | EXPORT | {"copies"}),
    ],
)
def test_buttons_on_a_template_of_the_centre(world, login, persona, expected):
    roadmap = RoadmapFactory(owner=world.centre, is_template=True)
    assert shown_buttons(login(world.user(persona)), roadmap) == expected


@pytest.mark.parametrize(
    ("persona", "import_shown", "create_shown"),
    [
        ("municipal_coordinator", True, True),
        ("methodologist", True, True),
        ("partner", False, False),
        ("regional_coordinator", False, False),
        ("head", False, False),
        ("school_deputy", False, False),
    ],
)
def test_buttons_on_the_plan_list(world, login, persona, import_shown, create_shown):
    RoadmapFactory(owner=world.authority)
    html = login(world.user(persona)).get(reverse("roadmap_list")).content.decode()
    assert (f'href="{reverse("roadmap_import_start")}"' in html) is import_shown
    assert (f'href="{reverse("roadmap_create")}"' in html) is create_shown


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("municipal_coordinator", True), ("methodologist", False), ("head", False)],
)
def test_handing_a_template_to_schools_on_the_copies_page(world, login, persona, shown):
    roadmap = RoadmapFactory(owner=world.centre, is_template=True)
    response = login(world.user(persona)).get(reverse("roadmap_copies", args=[roadmap.pk]))
    assert response.status_code == 200
    link = f'href="{reverse("roadmap_distribute", args=[roadmap.pk])}"'
    assert (link in response.content.decode()) is shown
