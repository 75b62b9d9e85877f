"""Hostile parameters never give a server error (issue 7, gap 5).

For every URL pattern of the project (Django admin aside), as the superuser and as a
municipal coordinator: each path parameter is replaced by hostile values (the id converter
answers 404 for most); each valid URL is requested with hostile values in every query
parameter a view reads; each write view receives hostile values in every field of its form.
The answer may be a page, a redirect, a form error, 403 or 404 — never a 5xx.
"""

import re
import uuid
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.test_access_matrix import EXEMPT_PREFIXES, MATRIX, ROW_MODULES

HOSTILE = [
    "9223372036854775808",  # 2**63: one past bigint
    str(10**25),
    "-1",
    "0",
    "abc",
    "١٢٣",  # Arabic-Indic digits: int() reads them, the database never should
    "1e5",
    "NaN",
    "%00",
    "\x00",
    "😀",
    "Текст\x0bиз Word\x01",
]
# The values tried in one hand-read field at a time (all values go into all fields at once).
ISOLATED = [str(10**25), "١٢٣", "\x00"]
# Every query parameter the views read, and a few they might.
QUERY_PARAMS = [
    "section",
    "parent",
    "page",
    "due",
    "q",
    "responsible",
    "municipality",
    "kind",
    "status",
    "role",
    "flags",
    "cancel",
    "id",
    "position",
    "owner",
    "level",
    "next",
]
# Fields of write views that are not rendered as a form (item_move reads them by hand).
EXTRA_POST_FIELDS = ["kind", "id", "parent", "direction", "position", "version", "move_to"]
PERSONAS = ["superuser", "municipal_coordinator"]
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _routes(resolver=None, prefix="", namespace=""):
    """(name, full route) of every named URL pattern, e.g. ("measure_edit",
    "roadmaps/measures/<id:pk>/edit/")."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, route, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, route


ROUTES = sorted((name, route) for name, route in _routes() if not name.startswith(EXEMPT_PREFIXES))
WITH_PARAMETERS = [(name, route) for name, route in ROUTES if _CONVERTER.search(route)]


def _path(route: str, value: str) -> str:
    encoded = value if value.startswith("%") else quote(value, safe="")
    return "/" + _CONVERTER.sub(encoded, route)


def _assert_no_server_error(response, what):
    assert response.status_code < 500, f"{response.status_code} for {what}"


def test_routes_are_found():
    names = {name for name, _ in ROUTES}
    assert {"roadmap_detail", "measure_edit", "organisation_list", "login"} <= names
    assert any("<id:pk>" in route for _, route in WITH_PARAMETERS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "route"), WITH_PARAMETERS, ids=[n for n, _ in WITH_PARAMETERS])
def test_hostile_path_parameters(world, client, persona, name, route):
    client.force_login(world.user(persona))
    for value in HOSTILE:
        path = _path(route, value)
        _assert_no_server_error(client.get(path), f"GET {path!r}")
        _assert_no_server_error(client.post(path, {}), f"POST {path!r}")


def _valid_url(world, name, route):
    """The URL of the access matrix's "own" object; for a URL without a row yet (its guard
    test fails on that), well-formed values of each converter."""
    row = MATRIX.get(name)
    if row is not None:
        try:
            try:
                kwargs = row.target(world, "own") if row.target else None
            except AttributeError:
                # A target the matrix builds with its world (a plan in execution, a
                # published link): build them for this world too.
                for module in ROW_MODULES:
                    module.prepare(world)
                kwargs = row.target(world, "own")
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            pass
    plausible = {"id": "1", "int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "str": "x"}
    return "/" + _CONVERTER.sub(lambda m: plausible.get(m["converter"] or "str", "x"), route)


def _form_fields(html: str) -> set[str]:
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    return names - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[n for n, _ in ROUTES])
def test_hostile_query_and_form_values(world, client, persona, name, route):
    client.force_login(world.user(persona))
    url = _valid_url(world, name, route)
    for headers in ({}, {"HX-Request": "true"}):
        for value in HOSTILE:
            query = dict.fromkeys(QUERY_PARAMS, value)
            _assert_no_server_error(
                client.get(url, query, headers=headers), f"GET {url} {value!r} {headers}"
            )
    if name == "logout":
        return
    page = client.get(url)
    is_html = page.status_code == 200 and page["Content-Type"].startswith("text/html")
    fields = (_form_fields(page.content.decode()) if is_html else set()) | set(EXTRA_POST_FIELDS)
    for value in HOSTILE:
        # Every field hostile at once (a form cleans every field, whatever the others hold)…
        data = {field: [value, value] for field in fields}
        _assert_no_server_error(client.post(url, data), f"POST {url} all={value!r}")
    # …and each hand-read field hostile beside plausible neighbours, for views that parse
    # the request themselves and stop at the first bad value.
    for value in ISOLATED:
        for field in EXTRA_POST_FIELDS:
            data = {"kind": "measure", "direction": "", "mode": "organisations", field: value}
            _assert_no_server_error(client.post(url, data), f"POST {url} {field}={value!r}")
