"""Execution as its people do it in the browser: the deputy marks a measure done with a
PDF on a phone, the curator returns it, the deputy marks again, the curator accepts; the
plan's roll-up follows; another school's deputy sees none of it."""

import pytest

from execution.models import Evidence, ExecutionRecord, ReviewState
from schools.constants import Role
from tests.execution.conftest import PDF, build_live
from tests.factories import DEFAULT_PASSWORD, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def contexts(browser):
    """Browser contexts of several people at once, closed after the test."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def login(contexts, browser, live_server, user, viewport=None):
    context = browser.new_context(
        locale="ru-RU", viewport=viewport or {"width": 1366, "height": 768}
    )
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(user.username)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_mark_return_mark_again_accept(live_server, browser, contexts, world, tmp_path):
    live = build_live(world)
    record = live.record(live.overdue, world.school)
    pdf = tmp_path / "протокол.pdf"
    pdf.write_bytes(PDF)

    deputy = login(contexts, browser, live_server, world.user("school_deputy"), PHONE)
    deputy.goto(f"{live_server.url}/my/")
    card = deputy.locator(f"#record-{record.pk}")
    card.get_by_role("link", name="Отметить").click()
    card = deputy.locator(f"#record-{record.pk}")
    card.get_by_label("Комментарий").fill("Семинар проведён, протокол прилагается")
    card.locator("input[type=file]").set_input_files(str(pdf))
    card.get_by_role("button", name="Отметить").click()
    deputy.wait_for_selector(f"#record-{record.pk} .alert-success")
    assert "ушла куратору" in deputy.locator(f"#record-{record.pk}").inner_text()
    assert deputy.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Evidence.objects.get(record=record).original_name == "протокол.pdf"

    curator = login(contexts, browser, live_server, world.user("methodologist"))
    curator.goto(f"{live_server.url}/execution/review/")
    item = curator.locator(f"#review-{record.pk}")
    assert "протокол.pdf" in item.inner_text()
    item.locator("summary").click()
    item.get_by_label("Что исправить").fill("Нужен подписанный протокол")
    item.get_by_role("button", name="Вернуть на доработку").click()
    curator.wait_for_selector(f"#review-{record.pk} .alert-success")
    assert ExecutionRecord.objects.get(pk=record.pk).review == ReviewState.RETURNED

    deputy.goto(f"{live_server.url}/my/")
    card = deputy.locator(f"#record-{record.pk}")
    assert "Нужен подписанный протокол" in card.inner_text()
    card.get_by_role("link", name="Изменить отметку").click()
    card = deputy.locator(f"#record-{record.pk}")
    card.get_by_label("Комментарий").fill("Протокол подписан")
    card.get_by_role("button", name="Отметить").click()
    deputy.wait_for_selector(f"#record-{record.pk} .alert-success")

    curator.goto(f"{live_server.url}/execution/review/")
    curator.locator(f"#review-{record.pk}").get_by_role("button", name="Принять").click()
    curator.wait_for_selector(f"#review-{record.pk} .alert-success")
    assert ExecutionRecord.objects.get(pk=record.pk).review == ReviewState.ACCEPTED

    coordinator = login(contexts, browser, live_server, world.user("municipal_coordinator"))
    coordinator.goto(f"{live_server.url}/roadmaps/{live.plan.pk}/execution/")
    assert "Выполнено с опозданием: 1" in coordinator.inner_text("body")

    stranger = person("deputy-5", world.second_school, Role.SCHOOL_DEPUTY)
    other = login(contexts, browser, live_server, stranger, PHONE)
    other.goto(f"{live_server.url}/roadmaps/{live.plan.pk}/")
    assert "Семинар проведён" not in other.inner_text("body")
    assert world.school.short_name not in other.inner_text("body")
    response = other.goto(f"{live_server.url}/execution/records/{record.pk}/")
    assert response.status == 404
