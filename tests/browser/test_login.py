"""A school deputy logs in through the Russian form and lands on the home page."""

import pytest

from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_school_deputy_logs_in_and_sees_the_russian_home_page(live_server, page, world):
    deputy = world.user("school_deputy")
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Вход"
    page.get_by_label("Логин").fill(deputy.username)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Здравствуйте, Мария Петровна!" in page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert world.school.short_name in body
    assert "Заместитель директора школы" in body
    assert world.other_school.short_name not in body
    # The strict CSP blocks nothing the page needs.
    assert not [e for e in errors if "Content Security Policy" in e]


def test_wrong_password_shows_a_russian_message(live_server, page, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(world.user("school_deputy").username)
    page.get_by_label("Пароль").fill("не тот пароль")
    page.get_by_role("button", name="Войти").click()
    assert (
        "Пожалуйста, введите правильные имя пользователя и пароль"
        in page.locator("main").inner_text()
    )
