"""Every page speaks Russian: a crawl of the demo as every persona finds English words.

The demo world (``seed_demo``) is built once for the module inside a transaction that is
rolled back at the end. Each persona starts at the home page and follows every same-site
GET link (and htmx ``hx-get``) breadth-first; staff personas also walk the admin. The
visible text of each page (no <script>, <style>, <template>, attributes) and the
``title``, ``placeholder``, ``aria-label`` and ``alt`` attributes must have no Latin word
of two letters or more outside a short allow-list. Data that is legitimately Latin
(logins, e-mail addresses, web addresses) is taken out first.
"""

from __future__ import annotations

import re
import time
from collections import deque
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from lxml import html as lxml_html

# Latin words that may be shown: names of file formats and a few universal abbreviations.
ALLOWED = {
    "pdf",
    "word",
    "excel",
    "csv",
    "xlsx",
    "xls",
    "docx",
    "doc",
    "txt",
    "odt",
    "jpg",
    "jpeg",
    "png",
    "email",
    "e-mail",
    "id",
    "url",
    "utc",
    "gmt",
    "msk",
    "ip",  # «IP-адрес»
    # Keys as printed on keyboards («Ctrl+P»; Django's «Удерживайте Control или Command
    # на Mac»).
    "ctrl",
    "control",
    "command",
    "mac",
    "iana",  # the time zone database, named in the help of a region's time zone
    "pkcs",  # the certificate container's format («PKCS#12», files .p12 and .pfx)
    "pfx",
}
# Demo people who sign in, by login; "anonymous" only sees the sign-in pages.
PERSONAS = [
    "anonymous",
    "regional",
    "coordinator",
    "methodologist",
    "head",
    "director",
    "deputy",
    "admin",
    "partner",
    "ponomarevka",
    "novosibirsk",
    "root",
]
PAGE_LIMIT = 150  # pages per persona
SHAPE_LIMIT = 2  # pages per URL shape (path with ids masked, query keys) per persona
CHECKED_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A region's time zone is an IANA name (Europe/Moscow): data, like a login.
TIME_ZONE_NAME = re.compile(r"\b(?:Europe|Asia|America|Africa|Etc)/[A-Za-z_+-]+")
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:ru|рф|org|com|example)\b\S*")
SKIPPED_PATHS = (
    "/static/",
    "/media/",
    "/accounts/logout/",
    "/admin/logout/",
    "/admin/jsi18n/",
    "/admin/r/",  # "view on site" redirects
)
# Downloads: exports, prints into files, and every binary response.
DOWNLOAD_PATH = re.compile(r"/export\.|\.(?:xlsx|csv|docx|pdf|json)$")


def _shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+/", "/N/", parts.path)
    path = re.sub(r"/[0-9a-f-]{36}/", "/U/", path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def _is_followed(url: str, *, staff: bool) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return False
    path = parts.path
    if not path.startswith("/") or any(path.startswith(prefix) for prefix in SKIPPED_PATHS):
        return False
    if DOWNLOAD_PATH.search(path):
        return False
    if "/delete/" in path and path.startswith("/admin/"):
        return False  # confirmation pages are fine, but they list everything again
    return staff or not path.startswith("/admin/")


def _visible(document) -> tuple[str, list[str]]:
    """The text a person sees and the checked attribute values."""
    # The admin's summary of a password hash names the algorithm (pbkdf2_sha256): data.
    hidden = "//script|//style|//template|//noscript|//*[contains(@class, 'field-password')]//p"
    for element in document.xpath(hidden):
        element.drop_tree()
    attributes = [
        value
        for name in CHECKED_ATTRIBUTES
        for value in document.xpath(f"//@{name}")
        if value.strip()
    ]
    attributes += [
        element.get("value", "")
        for element in document.xpath("//input[@type='submit' or @type='button']")
    ]
    return document.text_content(), attributes


def english_words(text: str, data_words: set[str]) -> list[str]:
    text = EMAIL.sub(" ", text)
    text = WEB_ADDRESS.sub(" ", text)
    text = TIME_ZONE_NAME.sub(" ", text)
    text = text.replace("<unknown>", " ")  # what django-axes stores for a missing header
    found = []
    for word in LATIN_WORD.findall(text):
        if word.lower() in ALLOWED or word in data_words:
            continue
        found.append(word)
    return found


def crawl(client: Client, *, staff: bool, data_words: set[str], starts: list[str]):
    """Pages visited and offenders: (url, what, words)."""
    queue = deque(starts)
    seen: set[str] = set(starts)
    shapes: dict[str, int] = {}
    visited: list[str] = []
    offenders: list[tuple[str, str, list[str]]] = []
    while queue and len(visited) < PAGE_LIMIT:
        url = queue.popleft()
        shape = _shape(url)
        if shapes.get(shape, 0) >= SHAPE_LIMIT:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        try:
            response = client.get(url)
        except Exception as error:  # noqa: BLE001 — any crash is a finding, with its page
            offenders.append((url, "ошибка", [repr(error)[:200]]))
            continue
        visited.append(url)
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if target not in seen and _is_followed(target, staff=staff):
                seen.add(target)
                queue.append(target)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        body = response.content.decode(response.charset or "utf-8")
        if not body.strip():
            continue
        document = lxml_html.document_fromstring(body)
        text, attributes = _visible(document)
        links = [*document.xpath("//a/@href"), *document.xpath("//@hx-get")]
        words = english_words(text, data_words)
        if words:
            offenders.append((url, "текст", sorted(set(words))))
        odd = sorted({value for value in attributes if english_words(value, data_words)})
        if odd:
            offenders.append((url, "атрибуты", odd))
        for href in links:
            target = urljoin(url, href.split("#", 1)[0])
            if not target or target in seen or not _is_followed(target, staff=staff):
                continue
            seen.add(target)
            queue.append(target)
    return visited, offenders


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo (``seed_demo``), built once in a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As TestCase's class-wide transaction: the demo plays execution through services
        # whose durable blocks run inside it.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _data_words() -> set[str]:
    """Latin that is data, not interface: logins (shown on people's pages), what the
    admin shows of stored evidence (content type, stored file name, checksum), of
    signing certificates (serial number, fingerprint) and indicators' codes (slugs
    that imported tables name them by)."""
    from execution.models import Evidence
    from monitoring.models import Indicator
    from reports.models import SigningCertificate
    from schools.models import User

    words = set(User.objects.values_list("username", flat=True))
    for values in Evidence.objects.values_list("content_type", "file", "sha256"):
        words.update(word for value in values for word in LATIN_WORD.findall(value or ""))
    # Certificates' serial numbers and fingerprints (hexadecimal).
    for values in SigningCertificate.objects.values_list("serial", "sha256"):
        words.update(word for value in values for word in LATIN_WORD.findall(value or ""))
    for code in Indicator.objects.exclude(code="").values_list("code", flat=True):
        words.update(LATIN_WORD.findall(code))
    return words


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_is_in_russian(demo_world, db, persona):
    from schools.models import User

    client = Client()
    staff = False
    starts = ["/"]
    if persona == "anonymous":
        starts = ["/accounts/login/", "/accounts/password_reset/"]
    else:
        user = User.objects.get(username=persona)
        client.force_login(user)
        staff = user.is_staff
        if staff:
            starts.append("/admin/")
    started = time.monotonic()
    visited, offenders = crawl(client, staff=staff, data_words=_data_words(), starts=starts)
    assert len(visited) > (1 if persona == "anonymous" else 5), visited
    assert time.monotonic() - started < 30
    report = "\n".join(f"{url} [{what}]: {', '.join(words)}" for url, what, words in offenders)
    assert not offenders, f"Английские слова ({persona}):\n{report}"


def test_missing_page_is_in_russian(demo_world, db):
    from schools.models import User

    assert settings.DEBUG is False
    for user in (None, User.objects.get(username="coordinator")):
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        document = lxml_html.document_fromstring(response.content.decode())
        text, attributes = _visible(document)
        assert "Страница не найдена" in text
        assert english_words(text + " ".join(attributes), set()) == []


def test_english_words_are_found_and_data_is_not():
    text = "Сохранить · Select an option · coordinator@demo.example · https://example.org/a PDF"
    assert english_words(text, set()) == ["Select", "an", "option"]
    assert english_words("Логин: coordinator", {"coordinator"}) == []


def test_measure_history_shows_names_and_readable_values(
    demo_world, db, django_assert_max_num_queries
):
    from roadmaps.models import Measure
    from schools.models import Organisation, User

    measure = Measure.objects.filter(roadmap__owner__short_name="МБУ «ЦРО»").first()
    school = Organisation.objects.get(short_name="МОБУ СОШ № 3")
    measure.deadline_text = "ежеквартально"
    measure.schedule_overridden = not measure.schedule_overridden
    measure.save()
    measure.assigned_organisations.add(school)
    client = Client()
    client.force_login(User.objects.get(username="coordinator"))
    with django_assert_max_num_queries(20):
        html = client.get(f"/roadmaps/measures/{measure.pk}/history/").content.decode()
    assert "Сроки, как написано" in html
    assert "deadline_text" not in html
    assert "Срок задан вручную" in html
    assert "«да»" in html or "«нет»" in html
    assert "МОБУ СОШ № 3" in html
    assert "{&#x27;measure&#x27;" not in html
    assert "{'measure'" not in html
    plan = client.get(f"/roadmaps/{measure.roadmap_id}/history/").content.decode()
    assert "Сроки, как написано" in plan
    assert "ежеквартально" in plan
