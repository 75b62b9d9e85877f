"""The main pages on a phone (390×844): the page never scrolls sideways, and on the plan
page each measure reads as a card that can still be edited inline by tap and keyboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import JobState
from roadmaps import services
from roadmaps.importing.model import ParsedMeasure, ParsedPlan, ParsedSection
from roadmaps.models import ImportJob, Measure
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

LONG_TITLE = (
    "Проведение муниципальным координатором мониторинга обеспеченности каждой школы "
    "качественным и скоростным доступом к Интернету"
)
RESULT = (
    "Справка об уровне обеспеченности данной группы школ качественным и скоростным "
    "доступом к Интернету"
)


def build_plan(world):
    """A municipal plan as the samples have it: nested sections, long texts, every column."""
    coordinator = world.user("municipal_coordinator")
    roadmap = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Муниципальная дорожная карта для группы школ с низкими результатами обучения",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    first = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Организационные мероприятия", number="1."
    )
    inner = services.section_create(
        roadmap=roadmap,
        acting_user=coordinator,
        title="Методическое сопровождение педагогов школ с низкими результатами",
        number="1.1.",
        parent=first,
    )
    measures = [
        services.measure_create(
            roadmap=roadmap,
            acting_user=coordinator,
            section=first,
            number="1.1.",
            title="Назначение муниципального координатора для работы с данной группой школ",
            deadline_text="Август-сентябрь 2020",
            audience="Руководители ОО",
            responsible_text="УО Новокубанского района",
            result="Приказ о назначении координатора",
        ),
        services.measure_create(
            roadmap=roadmap,
            acting_user=coordinator,
            section=inner,
            number="1.1.1.",
            title=LONG_TITLE,
            deadline_text="2 раза в год",
            audience="Заместители директоров по УВР школ с низкими результатами обучения",
            responsible_text="МБУ «ЦРО», муниципальный координатор",
            result=RESULT,
        ),
        services.measure_create(
            roadmap=roadmap,
            acting_user=coordinator,
            number="2.",
            title="Подведение итогов реализации дорожной карты",
            deadline_text="по отдельному плану",
            responsible_text="УО Новокубанского района",
            result="Аналитическая справка",
        ),
    ]
    return roadmap, (first, inner), measures


def import_job(world):
    """A finished import whose preview page lists a parsed plan."""
    section = ParsedSection("1.", "Организационные мероприятия", row=2)
    for index in range(1, 4):
        measure = ParsedMeasure(
            f"1.{index}.",
            LONG_TITLE,
            deadline_text="Сентябрь 2020",
            audience="Руководители ОО",
            responsible_text="МБУ «ЦРО»",
            result=RESULT,
            row=index + 2,
        )
        section.measures.append(measure)
        section.children.append(measure)
    plan = ParsedPlan(title="План мероприятий", sections=[section], children=[section])
    return ImportJob.objects.create(
        owner=world.centre,
        created_by=world.user("municipal_coordinator"),
        file_name="plan-with-a-rather-long-file-name-from-the-municipality-2020-2022.docx",
        file_size=1,
        sha256="0" * 64,
        state=JobState.DONE,
        preview=plan.to_stored(),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )


def login(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill(user.username)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ru-RU", viewport=PHONE, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def test_plan_page_on_a_phone_is_a_list_of_cards(live_server, phone, world):
    roadmap, (first, inner), measures = build_plan(world)
    login(phone, live_server, world.user("municipal_coordinator"))
    phone.goto(f"{live_server.url}{reverse('roadmap_detail', args=[roadmap.pk])}")

    assert page_width(phone) <= PHONE["width"]
    for measure in measures:
        card = phone.locator(f"#measure-{measure.pk}")
        assert card.evaluate("row => getComputedStyle(row).display") in {"block", "grid"}
        box = card.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    # Number and title lead the card; the other cells are labelled lines.
    card = phone.locator(f"#measure-{measures[1].pk}")
    number = card.locator("td.cell-number")
    title = card.locator("td.cell-title")
    assert number.inner_text().strip() == "1.1.1."
    assert title.evaluate("cell => parseInt(getComputedStyle(cell).fontWeight)") >= 600
    labels = card.evaluate(
        "row => Array.from(row.cells).map(cell => getComputedStyle(cell, '::before').content)"
    )
    for label in ("Сроки", "Ответственные", "Целевая аудитория, исполнители"):
        assert f'"{label}"' in labels
    # A sub-section is a heading that names where it sits.
    heading = phone.locator(f"#section-{inner.pk} > th")
    path = heading.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "1. Организационные мероприятия" in path
    # Every row is still in the document (the browser's search and print see them).
    assert phone.locator("#plan-table tr.plan-measure").count() == len(measures)
    # The edit controls are big enough to tap.
    edit = card.get_by_role("button", name="Изменить")
    assert edit.bounding_box()["height"] >= 40


def test_inline_edit_by_tap_and_keyboard_on_a_phone(live_server, phone, world):
    roadmap, _, measures = build_plan(world)
    measure = measures[0]
    login(phone, live_server, world.user("municipal_coordinator"))
    phone.goto(f"{live_server.url}{reverse('roadmap_detail', args=[roadmap.pk])}")

    # Tap «Изменить», save with Ctrl+Enter.
    phone.locator(f"#measure-{measure.pk}").get_by_role("button", name="Изменить").tap()
    editor = phone.locator(f"#measure-{measure.pk} form.inline-edit")
    editor.get_by_label("Мероприятие").fill("Назначение координатора приказом")
    assert page_width(phone) <= PHONE["width"]
    editor.get_by_label("Мероприятие").press("Control+Enter")
    phone.wait_for_selector(f"#measure-{measure.pk}:not(.editing)")
    assert (
        "Назначение координатора приказом" in phone.locator(f"#measure-{measure.pk}").inner_text()
    )
    assert Measure.objects.get(pk=measure.pk).title == "Назначение координатора приказом"
    # The re-rendered row is a card again.
    row = phone.locator(f"#measure-{measure.pk}")
    assert row.evaluate("row => getComputedStyle(row).display") in {"block", "grid"}
    assert row.locator("td.cell-number").count() == 1

    # Keyboard: Enter on the focused card opens the editor, Escape cancels.
    row.get_by_role("button", name="Изменить").wait_for()
    row.focus()
    row.press("Enter")
    editor = phone.locator(f"#measure-{measure.pk} form.inline-edit")
    editor.wait_for()
    editor.get_by_label("Мероприятие").fill("Не сохранять")
    editor.get_by_label("Мероприятие").press("Escape")
    phone.wait_for_selector(f"#measure-{measure.pk}:not(.editing)")
    assert "Не сохранять" not in phone.locator(f"#measure-{measure.pk}").inner_text()
    assert Measure.objects.get(pk=measure.pk).title == "Назначение координатора приказом"
    assert page_width(phone) <= PHONE["width"]


def test_plan_page_on_a_desktop_stays_a_table(live_server, page, world):
    roadmap, _, measures = build_plan(world)
    page.set_viewport_size(DESKTOP)
    login(page, live_server, world.user("municipal_coordinator"))
    page.goto(f"{live_server.url}{reverse('roadmap_detail', args=[roadmap.pk])}")
    assert page_width(page) <= DESKTOP["width"]
    row = page.locator(f"#measure-{measures[0].pk}")
    assert row.evaluate("row => getComputedStyle(row).display") == "table-row"
    assert page.locator("#plan-table thead").is_visible()


def test_main_pages_do_not_scroll_sideways_on_a_phone(live_server, phone, world):
    roadmap, _, _ = build_plan(world)
    job = import_job(world)
    login(phone, live_server, world.user("municipal_coordinator"))
    pages = {
        "главная": reverse("home"),
        "планы": reverse("roadmap_list"),
        "план": reverse("roadmap_detail", args=[roadmap.pk]),
        "предпросмотр импорта": reverse("roadmap_import_preview", args=[job.pk]),
        "история плана": reverse("roadmap_history", args=[roadmap.pk]),
        "справочник": reverse("region_list"),
        "регион": reverse("region_detail", args=[world.region.pk]),
        "люди": reverse("person_list"),
        "организации": reverse("organisation_list"),
        "карточка организации": reverse("organisation_detail", args=[world.authority.pk]),
        "карточка школы": reverse("organisation_detail", args=[world.school.pk]),
    }
    wide = {}
    for name, url in pages.items():
        response = phone.goto(f"{live_server.url}{url}")
        assert response.status == 200, name
        width = page_width(phone)
        if width > PHONE["width"]:
            wide[name] = width
    assert wide == {}
