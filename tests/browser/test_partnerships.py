"""Partnerships as their people use them in the browser (the check of issue 14): the
coordinator records a three-party agreement with its scan; the deputy of the supported
school sees it on a phone and finds its measure done; the partner centre of Армавир sees
its agreement with the home centre and nothing else of the home municipality; the drawn
network and the exported list name the same parties."""

import datetime
import io

import pytest

from execution.models import ExecutionRecord, MarkState
from partnerships.models import Agreement
from schools.access import SYSTEM
from tests.browser.test_execution import PHONE, contexts, login  # noqa: F401 - fixture
from tests.partnerships.conftest import PDF, centres, record
from tests.partnerships.test_services import sign_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_sign_see_and_export(live_server, browser, contexts, world, tmp_path):  # noqa: F811
    plan, measure = sign_plan(world)
    network = record(world, centres(world), acting_user=SYSTEM, signed_on=datetime.date(2025, 8, 1))
    scan = tmp_path / "Соглашение № 21.pdf"
    scan.write_bytes(PDF)

    coordinator = login(contexts, browser, live_server, world.user("municipal_coordinator"))
    coordinator.goto(f"{live_server.url}/partnerships/")
    coordinator.get_by_role("link", name="Внести соглашение").click()
    coordinator.get_by_label("Номер").fill("21")
    coordinator.get_by_label("Вид соглашения").select_option(
        label="Трёхстороннее: школа-лидер — поддерживаемая школа — центр"
    )
    coordinator.get_by_label("Предмет соглашения").fill("Тьюторское сопровождение педагогов")
    coordinator.get_by_label("Форма поддержки").fill("тьюторская")
    coordinator.get_by_label("Действует с").fill("2025-09-01")
    for index, (name, role) in enumerate(
        (
            ("МБУ «ЦРО»", "Курирующий центр"),
            ("МБОУ СОШ № 5", "Базовая школа / школа-лидер"),
            ("МБОУ СОШ № 3", "Поддерживаемая школа"),
        )
    ):
        coordinator.locator(f"#id_party-{index}-organisation").select_option(label=name)
        coordinator.locator(f"#id_party-{index}-role").select_option(label=role)
    coordinator.get_by_label("Дата подписания").fill("2025-09-02")
    coordinator.locator("#id_scan").set_input_files(str(scan))
    coordinator.get_by_label(measure.title).check()
    coordinator.get_by_role("button", name="Сохранить").click()
    coordinator.wait_for_selector(".alert-success")
    assert "внесено как действующее" in coordinator.locator(".alert-success").inner_text()
    agreement = Agreement.objects.get(number="21")
    assert agreement.scan_name == "Соглашение № 21.pdf"

    deputy = login(contexts, browser, live_server, world.user("school_deputy"), PHONE)
    deputy.goto(f"{live_server.url}/partnerships/")
    deputy.get_by_role("link", name="№ 21").click()
    assert "МБОУ СОШ № 5" in deputy.locator("main").inner_text()
    assert deputy.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    scan_link = deputy.get_by_role("link", name="Соглашение № 21.pdf")
    response = deputy.context.request.get(f"{live_server.url}{scan_link.get_attribute('href')}")
    assert response.body() == PDF
    deputy.goto(f"{live_server.url}/my/?tab=done")
    assert measure.title in deputy.locator("main").inner_text()
    record_ = ExecutionRecord.objects.get(measure=measure, organisation=world.school)
    assert record_.state == MarkState.DONE

    partner = login(contexts, browser, live_server, world.user("partner"))
    partner.goto(f"{live_server.url}/partnerships/")
    rows = partner.locator("table.agreement-table tbody tr")
    assert rows.count() == 1
    assert f"№ {network.number}" in rows.first.inner_text()
    for path in (
        f"/partnerships/{agreement.pk}/",
        f"/partnerships/network/municipality/{world.municipality.pk}/",
        f"/roadmaps/{plan.pk}/",
    ):
        assert partner.goto(f"{live_server.url}{path}").status == 404

    coordinator.goto(
        f"{live_server.url}/partnerships/network/municipality/{world.municipality.pk}/"
    )
    drawn = set(coordinator.locator("svg.network-graph .net-name").all_text_contents())
    listed = coordinator.locator("table.network-list tbody").inner_text()
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Список в Excel").click()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active  # noqa: SIM115
    exported = {
        name
        for row in sheet.iter_rows(min_row=5, values_only=True)
        for cell in row[1:3]
        for name in str(cell).split("; ")
    }
    assert (
        drawn
        == exported
        == {
            "МБУ «ЦРО»",
            "МБОУ СОШ № 5",
            "МБОУ СОШ № 3",
            "МКУ «ЦРО и ОК»",
        }
    )
    assert all(name in listed for name in drawn)
