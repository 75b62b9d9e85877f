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
