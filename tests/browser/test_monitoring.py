"""Monitoring and dashboards as their people use them in the browser (the check of issue
15): the coordinator's campaign is answered by the deputy of СОШ № 3 on a phone (a wrong
count first, then the right ones); the coordinator sees the answer on the campaign page
and in the municipal figures, the regional coordinator in the regional ones; the regional
dashboard reaches a school's page in two clicks."""

import pytest
from django.urls import reverse

from monitoring.constants import ResponseState
from monitoring.models import CampaignResponse, IndicatorValue
from tests.browser.test_execution import PHONE, contexts, login  # noqa: F401 - fixture
from tests.dashboard.conftest import build_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    """The default catalogue of the data migration (a transactional test before this one
    flushed it)."""
    from django.apps import apps

    from monitoring.catalogue import install

    install(apps)


def width(page) -> int:
    """How wide the page's content is (the navigation bar is not this page's)."""
    return page.evaluate("document.querySelector('main').scrollWidth")


def school_row(page, school):
    return page.locator("table.dashboard-table tbody tr").filter(
        has=page.get_by_role("link", name=school.short_name, exact=True)
    )


def area_row(page, name):
    return page.locator("table.dashboard-table tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def test_a_campaign_answered_on_a_phone_reaches_the_figures(
    live_server,
    browser,
    contexts,  # noqa: F811
    world,
):
    figures = build_figures(world)
    campaign = figures.campaign
    answer = CampaignResponse.objects.get(campaign=campaign, school=world.school)
    municipal = (
        f"{live_server.url}{reverse('dashboard_municipality', args=[world.municipality.pk])}"
    )
    regional = f"{live_server.url}{reverse('dashboard_region', args=[world.region.pk])}"

    # The figures before the answer (the pages are cached: the answer must renew them).
    coordinator = login(contexts, browser, live_server, world.user("municipal_coordinator"))
    coordinator.goto(municipal)
    card = coordinator.locator("section[aria-labelledby=campaigns]")
    assert "Ответили 0 из 2" in card.inner_text()
    row = school_row(coordinator, world.school)
    targets_before = row.locator("td").nth(3).inner_text()
    assert row.locator("td").last.inner_text().strip() == "1"  # not answered yet
    regional_user = login(contexts, browser, live_server, world.user("regional_coordinator"))
    regional_user.goto(regional)
    regional_before = area_row(regional_user, world.municipality.name).inner_text()

    # The deputy, on a phone: the home page names the campaign; a wrong count, then right.
    deputy = login(contexts, browser, live_server, world.user("school_deputy"), PHONE)
    deputy.get_by_role("link", name=campaign.title).first.click()
    deputy.wait_for_url(f"**{reverse('response_detail', args=[answer.pk])}")
    assert width(deputy) <= PHONE["width"]
    deputy.get_by_label("Педагогов повысили квалификацию").fill("25")
    deputy.get_by_label("Всего педагогов").fill("21")
    deputy.get_by_role("button", name="Отправить значения").click()
    deputy.wait_for_selector(".alert-danger")
    assert "ничего не сохранено" in deputy.locator(".alert-danger").inner_text()
    assert "доля выше 100 % не бывает" in deputy.locator("main").inner_text()
    assert width(deputy) <= PHONE["width"]
    answer.refresh_from_db()
    assert answer.state == ResponseState.PENDING

    deputy.get_by_label("Педагогов повысили квалификацию").fill("12")
    deputy.get_by_label("Всего педагогов").fill("21")
    button = deputy.get_by_role("button", name="Отправить значения")
    assert button.bounding_box()["height"] >= 38  # big enough to tap
    button.click()
    deputy.wait_for_selector(".alert-success")
    assert "Спасибо! Значения отправлены." in deputy.locator(".alert-success").first.inner_text()
    assert "12 из 21" in deputy.locator("main").inner_text()
    assert width(deputy) <= PHONE["width"]
    answer.refresh_from_db()
    assert answer.state == ResponseState.SUBMITTED
    value = IndicatorValue.objects.get(organisation=world.school, indicator__code="staff-training")
    assert (value.numerator, value.denominator, str(value.value)) == (12, 21, "57.14")

    # The coordinator: the campaign page shows the answer with its counts.
    coordinator.goto(f"{live_server.url}{reverse('campaign_list')}")
    coordinator.get_by_role("link", name=campaign.title).click()
    main = coordinator.locator("main").inner_text()
    assert "1 из 2" in main
    row = coordinator.locator("table.campaign-table tbody tr").filter(
        has=coordinator.get_by_role("link", name=world.school.short_name)
    )
    assert "отправлено" in row.inner_text()
    assert "12 из 21" in row.inner_text()
    assert width(coordinator) <= 1366

    # …and the municipal figures changed: answered, the target now missed.
    coordinator.goto(municipal)
    card = coordinator.locator("section[aria-labelledby=campaigns]")
    assert "Ответили 1 из 2" in card.inner_text()
    row = school_row(coordinator, world.school)
    assert row.locator("td").last.inner_text().strip() == "—"
    assert row.locator("td").nth(3).inner_text() != targets_before

    # …and so did the regional ones.
    regional_user.goto(regional)
    assert area_row(regional_user, world.municipality.name).inner_text() != regional_before


def test_regional_reaches_a_school_in_two_clicks(live_server, browser, contexts, world):  # noqa: F811
    build_figures(world)
    regional = login(contexts, browser, live_server, world.user("regional_coordinator"))
    regional.goto(f"{live_server.url}{reverse('dashboards')}")
    regional.wait_for_url(f"**{reverse('dashboard_region', args=[world.region.pk])}")
    main = regional.locator("main").inner_text()
    for name in (world.municipality.name, world.neighbour_municipality.name):
        assert name in main
    row = area_row(regional, world.municipality.name)
    assert "60,5" in row.inner_text()  # the ЕГЭ average of the two schools
    assert width(regional) <= 1366

    row.get_by_role("link", name=world.municipality.name).click()  # click 1
    regional.wait_for_url(f"**{reverse('dashboard_municipality', args=[world.municipality.pk])}")
    school_row(regional, world.school).get_by_role("link", name=world.school.short_name).click()
    regional.wait_for_url(f"**{reverse('dashboard_school', args=[world.school.pk])}")  # click 2
    main = regional.locator("main").inner_text()
    for text in ("Планы и исполнение", "Последние отметки", "Целевые показатели", "Итоги ЕГЭ"):
        assert text in main
    assert "Дорожная карта ШНОР" in main
    assert "Русский язык" in main
    assert width(regional) <= 1366
