"""The access matrix: every URL name × every persona × own/other-tenant object.

Each row says what each persona gets for the "own" object (in the home municipality of
the cast, see tests/conftest.py) and for the "other" object (in another region). Codes:
200 (or another success code), 403 (visible, verb missing), 404 (missing or foreign),
"login" (anonymous → redirect to the login page). The guard test fails when a URL name
has no row, so a new view cannot ship without its access rules.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.roadmaps.matrix_rows import rows as roadmap_rows

LOGIN = "login"
SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
MEMBERS = [p for p in SIGNED_IN if p != "outsider"]  # everyone with a role in the home region


@dataclass
class Row:
    """Expected answers of one URL. ``own``/``other`` map persona → code; ``target``
    turns (world, "own"|"other") into URL kwargs (None for URLs without an object)."""

    target: Callable | None = None
    own: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None


def codes(default, **overrides):
    result = dict.fromkeys(PERSONAS, default)
    result.update(overrides)
    return result


def org(attr_own, attr_other):
    """Target: an organisation of the cast (own in the home municipality, other elsewhere)."""

    def _target(world, which):
        return {"pk": getattr(world, attr_own if which == "own" else attr_other).pk}

    return _target


def other_person(world):
    """A person of the other tenant (created on first use)."""
    from schools.constants import Role
    from tests.factories import person

    if not hasattr(world, "_other_person"):
        world._other_person = person("other-deputy", world.other_school, Role.SCHOOL_DEPUTY)
    return world._other_person


def public_page():
    return Row(own=codes(200))


def signed_in_page():
    return Row(own=codes(200, anonymous=LOGIN))


def visible_to_members(target, *, superuser_other=200):
    """A detail page of an object in the home municipality: members see it, the outsider
    does not, nobody but the superuser sees the other tenant's one."""
    return Row(
        target=target,
        own=codes(200, anonymous=LOGIN, outsider=404),
        other=codes(404, anonymous=LOGIN, superuser=superuser_other),
    )


# URL namespaces that belong to libraries with their own access rules: Django admin
# (staff only, scoped querysets tested in tests/schools/test_admin.py).
EXEMPT_PREFIXES = ("admin:",)

MATRIX: dict[str, Row] = {
    "login": Row(own=codes(302, anonymous=200)),
    "logout": Row(own=codes(302), method="post"),
    "password_change": signed_in_page(),
    "password_change_done": signed_in_page(),
    "password_reset": public_page(),
    "password_reset_done": public_page(),
    "password_reset_confirm": Row(
        target=lambda world, which: {"uidb64": "MQ", "token": "set-password"},
        own=codes(200),
    ),
    "password_reset_complete": public_page(),
    "home": signed_in_page(),
    "region_list": signed_in_page(),
    "region_detail": visible_to_members(
        lambda world, which: {"pk": (world.region if which == "own" else world.other_region).pk}
    ),
    "municipality_detail": visible_to_members(
        lambda world, which: {
            "pk": (world.municipality if which == "own" else world.other_municipality).pk
        }
    ),
    "organisation_list": signed_in_page(),
    "organisation_detail": visible_to_members(org("school", "other_school")),
    # The card of the home school: its director, the municipality's coordinator, the head
    # of the authority and the administrator may edit; the rest see it without the verb.
    "organisation_edit": Row(
        target=org("school", "other_school"),
        own=codes(
            403,
            anonymous=LOGIN,
            outsider=404,
            municipal_coordinator=200,
            head=200,
            school_director=200,
            administrator=200,
            superuser=200,
        ),
        other=codes(404, anonymous=LOGIN, superuser=200),
    ),
    "person_list": signed_in_page(),
    # The directory import verb: coordinators, administrators and the superuser.
    "directory_import": Row(
        own=codes(403, anonymous=LOGIN, municipal_coordinator=200, administrator=200, superuser=200)
    ),
    # The export verb: everyone but school staff and the outsider.
    "directory_export": Row(
        target=lambda world, which: {"resource": "schools", "fmt": "xlsx"},
        own=codes(200, anonymous=LOGIN, outsider=403, school_director=403, school_deputy=403),
    ),
    "person_detail": visible_to_members(
        lambda world, which: {
            "pk": (world.user("school_deputy") if which == "own" else other_person(world)).pk
        }
    ),
}

MATRIX.update(roadmap_rows(Row))


def all_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{pattern.namespace}:" if pattern.namespace else ""
            names.extend(all_url_names(pattern, prefix + ns))
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(prefix + pattern.name)
    return names


def test_every_url_has_a_row_in_the_matrix():
    missing = sorted(
        name
        for name in set(all_url_names())
        if name not in MATRIX and not name.startswith(EXEMPT_PREFIXES)
    )
    assert missing == [], f"URL names without access rules in MATRIX: {missing}"


def test_matrix_has_no_rows_for_missing_urls():
    assert sorted(set(MATRIX) - set(all_url_names())) == []


CASES = [
    pytest.param(name, persona, which, id=f"{name}-{persona}-{which}")
    for name, row in MATRIX.items()
    for persona in PERSONAS
    for which in (("own", "other") if row.other else ("own",))
]


@pytest.mark.parametrize(("name", "persona", "which"), CASES)
def test_access_matrix(world, client, name, persona, which):
    row = MATRIX[name]
    expected = (row.own if which == "own" else row.other)[persona]
    kwargs = row.target(world, which) if row.target else None
    url = reverse(name, kwargs=kwargs)
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    response = getattr(client, row.method)(url, data=row.data or {})
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, f"{persona} {which} {url}"
