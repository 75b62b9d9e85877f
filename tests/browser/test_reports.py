"""The signed PDF as its people use it in the browser (the check of issue 13): the head of
the approving organisation opens the approved plan, signs and renders its PDF (a job of
the pdf queue, run by a real worker), downloads it; anybody, without logging in, uploads
it on the verification page and is told it is valid; the same file with one byte of its
content changed is reported as changed."""

import pytest

from tests.browser.test_execution import PHONE, contexts, login  # noqa: F401 - fixture
from tests.reports.test_pdf import _certificate, _plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _approved_plan(world):
    import datetime

    from roadmaps.constants import RoadmapStatus

    plan = _plan(
        world,
        status=RoadmapStatus.APPROVED,
        approval_position="Начальник управления",
        approval_name="М.П. Иванова",
        approval_date=datetime.date(2026, 9, 1),
        approval_order="приказ от 01.09.2026 № 12",
    )
    _certificate(world)
    return plan


def _in_thread(function, *args):
    """Run ``function`` off the main thread: the certificate's upload checks its chain with
    pyHanko's ``asyncio.run``, which refuses to run inside Playwright's event loop."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def call():
        try:
            return function(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def test_sign_download_and_verify(live_server, browser, contexts, world, celery_worker, tmp_path):  # noqa: F811
    plan = _in_thread(_approved_plan, world)

    head = login(contexts, browser, live_server, world.user("head"))
    head.goto(f"{live_server.url}/roadmaps/{plan.pk}/")
    head.get_by_role("link", name="PDF и отчёты").click()
    head.get_by_role("button", name="Подписать и сформировать PDF").click()
    # The job runs in the worker; the page polls until the file is ready.
    head.get_by_role("link", name="Скачать файл").wait_for(timeout=60_000)
    assert "с электронной подписью" in head.locator("main").inner_text()
    with head.expect_download() as download:
        head.get_by_role("link", name="Скачать файл").click()
    signed = tmp_path / "plan.pdf"
    download.value.save_as(signed)
    data = signed.read_bytes()
    assert data.startswith(b"%PDF")

    # The roadmap's reports page now offers the signed file to download again.
    head.goto(f"{live_server.url}/reports/roadmaps/{plan.pk}/")
    assert head.get_by_role("button", name="Скачать подписанный PDF").is_visible()

    # Anybody, on a phone, without logging in.
    context = browser.new_context(viewport=PHONE, locale="ru-RU")
    contexts.append(context)
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}/verify/")
    visitor.locator("input[type=file]").set_input_files(str(signed))
    visitor.get_by_role("button", name="Проверить").click()
    verdict = visitor.get_by_role("status").inner_text()
    assert "Подпись верна" in verdict
    text = visitor.locator("main").inner_text()
    assert plan.title in text
    assert "действующая утверждённая редакция" in text
    assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # One byte of the content changed (inside the signed range, past the header).
    changed = bytearray(data)
    position = len(changed) // 3
    changed[position] = (changed[position] + 1) % 256
    tampered = tmp_path / "changed.pdf"
    tampered.write_bytes(bytes(changed))
    visitor.goto(f"{live_server.url}/verify/")
    visitor.locator("input[type=file]").set_input_files(str(tampered))
    visitor.get_by_role("button", name="Проверить").click()
    verdict = visitor.get_by_role("status").inner_text()
    assert "Подпись верна" not in verdict
