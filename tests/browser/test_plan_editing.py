"""A coordinator edits a measure inline on the plan page (htmx, no page reload)."""

import datetime

import pytest

from roadmaps import services
from roadmaps.models import Measure
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(user.username)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/")


def test_inline_edit_saves_without_reload_and_derives_the_due_date(live_server, page, world):
    coordinator = world.user("municipal_coordinator")
    roadmap = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    section = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Организационные мероприятия", number="1."
    )
    measure = services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        section=section,
        number="1.1.",
        title="Создание рабочей группы",
    )
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")
    page.evaluate("window.__marker = 'same page'")
    row = page.locator(f"#measure-{measure.pk}")
    row.get_by_role("button", name="Изменить").click()
    editor = page.locator(f"#measure-{measure.pk} form.inline-edit")
    editor.get_by_label("Мероприятие").fill("Создание координационного совета")
    editor.get_by_label("Сроки, как написано").fill("Сентябрь 2020")
    editor.get_by_label("Сроки, как написано").press("Control+Enter")
    page.wait_for_selector(f"#measure-{measure.pk}:not(.editing)")
    text = page.locator(f"#measure-{measure.pk}").inner_text()
    assert "Создание координационного совета" in text
    assert "до 30.09.2020" in text
    assert page.evaluate("window.__marker") == "same page"
    assert Measure.objects.get(pk=measure.pk).title == "Создание координационного совета"


def test_inline_add_of_a_measure_in_a_section(live_server, page, world):
    coordinator = world.user("municipal_coordinator")
    roadmap = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    section = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Организационные мероприятия", number="1."
    )
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")
    page.locator(f"#section-{section.pk}").get_by_role("link", name="+ мероприятие").click()
    new_row = page.locator("tr.new-row form.inline-edit")
    new_row.get_by_label("Номер, как написано").fill("1.1.")
    new_row.get_by_label("Мероприятие").fill("Назначение координатора")
    new_row.get_by_label("Сроки, как написано").fill("Октябрь 2020")
    new_row.get_by_role("button", name="Добавить").click()
    page.wait_for_selector("tr.plan-measure:not(.editing)")
    table = page.locator("#plan-table").inner_text()
    assert "Назначение координатора" in table
    assert "до 31.10.2020" in table
    assert Measure.objects.get(roadmap=roadmap).section == section


def test_keyboard_editing_and_controls_bound_to_every_row(live_server, page, world):
    """The edit controls come once per page and are bound to rows by id: every row has
    them, with its own id, after the first load, after an inline edit is cancelled or
    saved, and after the whole table is swapped (a move). Enter edits, Esc cancels."""
    coordinator = world.user("municipal_coordinator")
    roadmap = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    section = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Организационные мероприятия", number="1."
    )
    first, second = (
        services.measure_create(
            roadmap=roadmap,
            acting_user=coordinator,
            section=section,
            number=f"1.{n}.",
            title=title,
            deadline_text="Сентябрь 2020",
        )
        for n, title in ((1, "Создание рабочей группы"), (2, "Семинар для заместителей"))
    )
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")

    def controls_of(measure):
        row = page.locator(f"#measure-{measure.pk}")
        assert row.get_by_role("button", name="Изменить").get_attribute("hx-get") == (
            f"/roadmaps/measures/{measure.pk}/edit/"
        )
        assert row.get_by_role("link", name="История").get_attribute("href") == (
            f"/roadmaps/measures/{measure.pk}/history/"
        )
        assert row.locator("input[name=id]").get_attribute("value") == str(measure.pk)

    controls_of(first)
    controls_of(second)
    assert (
        page.locator(f"#section-{section.pk}")
        .get_by_role("button", name="Изменить")
        .get_attribute("hx-get")
        == f"/roadmaps/sections/{section.pk}/edit/"
    )
    # Every row's text is in the page itself (the browser's search finds it).
    table = page.locator("#plan-table").inner_text()
    assert "Создание рабочей группы" in table
    assert "Семинар для заместителей" in table

    # Enter on a focused row opens its editor; Escape brings the row back, controls bound.
    page.locator(f"#measure-{second.pk}").focus()
    page.keyboard.press("Enter")
    editor = page.locator(f"#measure-{second.pk} form.inline-edit")
    editor.get_by_label("Мероприятие").wait_for()
    editor.get_by_label("Мероприятие").press("Escape")
    page.wait_for_selector(f"#measure-{second.pk}:not(.editing) td.row-actions button")
    controls_of(second)

    # A move swaps the whole table: the new rows get their controls again.
    page.locator(f"#measure-{second.pk}").get_by_role("button", name="Переместить выше").click()
    page.wait_for_selector(f"#measure-{second.pk} + #measure-{first.pk}")
    page.wait_for_selector(f"#measure-{first.pk} td.row-actions button")
    controls_of(first)
    controls_of(second)
    assert Measure.objects.get(pk=second.pk).order < Measure.objects.get(pk=first.pk).order
