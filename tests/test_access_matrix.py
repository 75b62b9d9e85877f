"""The access matrix: every URL name × every persona × own/neighbour/other object.

Each row says what each persona gets for the "own" object (in the home municipality of
the cast, see tests/conftest.py), for the "neighbour" object (in the neighbouring
municipality of the same region) and for the "other" object (in another region). Codes:
200 (or another success code), 302 (a write done, redirected), 403 (visible, verb
missing), 404 (missing or foreign), "login" (anonymous → redirect to the login page).
The guard test fails when a URL name has no row, so a new view cannot ship without its
access rules. Keys are URL names; a second row of one URL adds a word after a space
(``"organisation_edit POST"``). A POST answered 403/404 (or 200 with the form's error)
must leave the database as it was.

The cast and the objects are built once per module (``matrix_world``); each case runs in
its own savepoint, rolled back afterwards, so writes of one case never reach the next.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS, build_world

ROOT = Path(__file__).resolve().parent.parent

# Rows of each app's URLs live beside its tests: every ``tests/<app>/matrix_rows*.py``
# module gives ``rows(Row)`` and ``prepare(world)`` (creates the objects its rows point
# at) and may give ``WRITE_URLS`` (its URL names that write, each needing a POST row).
ROW_MODULES = [
    importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    for path in sorted((ROOT / "tests").glob("*/matrix_rows*.py"))
]

LOGIN = "login"
TARGETS = ("own", "neighbour", "other")


@dataclass
class Row:
    """Expected answers of one URL. ``own``/``neighbour``/``other`` map persona → code;
    ``target`` turns (world, "own"|"neighbour"|"other") into URL kwargs (None for URLs
    without an object); ``data`` is the request's data, or a function of (world, which)."""

    target: Callable | None = None
    own: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | Callable | None = None
    neighbour: dict = field(default_factory=dict)

    def expected(self, which: str) -> dict:
        return getattr(self, which)

    def request_data(self, world, which: str) -> dict:
        if callable(self.data):
            return self.data(world, which)
        return self.data or {}


def url_name(key: str) -> str:
    return key.split(" ", 1)[0]


def codes(default, **overrides):
    result = dict.fromkeys(PERSONAS, default)
    result.update(overrides)
    return result


def other_person(world):
    """A person of the other tenant (created once, with the matrix's world)."""
    from schools.constants import Role
    from tests.factories import person

    if not hasattr(world, "_other_person"):
        world._other_person = person("other-deputy", world.other_school, Role.SCHOOL_DEPUTY)
    return world._other_person


def public_page():
    return Row(own=codes(200))


def signed_in_page():
    return Row(own=codes(200, anonymous=LOGIN))


def visible_to_members(target, *, superuser_other=200, **own):
    """A detail page of an object in the home municipality: members see it, the outsider
    does not, nobody but the superuser sees the other tenant's one."""
    return Row(
        target=target,
        own=codes(200, anonymous=LOGIN, outsider=404, **own),
        other=codes(404, anonymous=LOGIN, superuser=superuser_other),
    )


NEIGHBOURS = ("neighbour_coordinator", "partner", "foreign_curator", "two_roles")
# Of the neighbours, who reaches into the home municipality: the foreign curator (the
# curated school, read only) and the two-role person (a deputy of the home school).
HOME_SCHOOL_HIDDEN = {"neighbour_coordinator": 404, "partner": 404}
# An object of Армавир: the region's coordinator and Армавир's people see it.
VISIBLE_IN_NEIGHBOUR = codes(
    404, anonymous=LOGIN, regional_coordinator=200, superuser=200, **dict.fromkeys(NEIGHBOURS, 200)
)


def neighbour_org(attr):
    """Target: the home school (own), a school of Армавир (neighbour), of another region."""

    def _target(world, which):
        return {
            "pk": getattr(world, {"own": "school", "other": "other_school"}.get(which, attr)).pk
        }

    return _target


def organisation_data(world, which):
    """The card of the school as the edit page shows it, with a new short name."""
    from schools.forms import OrganisationForm

    organisation = getattr(
        world, {"own": "school", "neighbour": "neighbour_school"}.get(which, "other_school")
    )
    form = OrganisationForm(instance=organisation)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = str(value)
    data["short_name"] = f"{organisation.short_name} (изм.)"
    return data


# Who may edit the card of a school: of the home school — its director, the municipality's
# coordinator, the head of the authority and the administrator; of Армавир's school —
# Армавир's coordinator, the head of Армавир's centre and the two-role person as
# Армавир's coordinator.
EDIT_OWN_SCHOOL = codes(
    403,
    anonymous=LOGIN,
    outsider=404,
    municipal_coordinator=200,
    head=200,
    school_director=200,
    administrator=200,
    superuser=200,
    **HOME_SCHOOL_HIDDEN,
)
EDIT_NEIGHBOUR_SCHOOL = codes(
    404,
    anonymous=LOGIN,
    regional_coordinator=403,
    foreign_curator=403,
    neighbour_coordinator=200,
    partner=200,
    two_roles=200,
    superuser=200,
)


def _redirect(expected):
    return {persona: 302 if code == 200 else code for persona, code in expected.items()}


DIRECTORY_IMPORTERS = codes(
    403,
    anonymous=LOGIN,
    municipal_coordinator=200,
    administrator=200,
    superuser=200,
    neighbour_coordinator=200,
    two_roles=200,
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
    # The home municipality's name is visible to whoever sees something in it (the foreign
    # curator through the curated school, the two-role person through their school).
    "municipality_detail": Row(
        target=lambda world, which: {
            "pk": getattr(
                world,
                {"own": "municipality", "neighbour": "neighbour_municipality"}.get(
                    which, "other_municipality"
                ),
            ).pk
        },
        own=codes(200, anonymous=LOGIN, outsider=404, **HOME_SCHOOL_HIDDEN),
        other=codes(404, anonymous=LOGIN, superuser=200),
        neighbour=VISIBLE_IN_NEIGHBOUR,
    ),
    "organisation_list": signed_in_page(),
    "organisation_detail": Row(
        target=neighbour_org("neighbour_school"),
        own=codes(200, anonymous=LOGIN, outsider=404, **HOME_SCHOOL_HIDDEN),
        other=codes(404, anonymous=LOGIN, superuser=200),
        neighbour=VISIBLE_IN_NEIGHBOUR,
    ),
    # The card of a school: editors edit, the rest see it without the verb.
    "organisation_edit": Row(
        target=neighbour_org("neighbour_school"),
        own=EDIT_OWN_SCHOOL,
        other=codes(404, anonymous=LOGIN, superuser=200),
        neighbour=EDIT_NEIGHBOUR_SCHOOL,
    ),
    "organisation_edit POST": Row(
        target=neighbour_org("neighbour_school"),
        method="post",
        data=organisation_data,
        own=_redirect(EDIT_OWN_SCHOOL),
        other=codes(404, anonymous=LOGIN, superuser=302),
        neighbour=_redirect(EDIT_NEIGHBOUR_SCHOOL),
    ),
    "person_list": signed_in_page(),
    # The directory import verb: coordinators, administrators and the superuser.
    "directory_import": Row(own=DIRECTORY_IMPORTERS),
    # Without a file the form is refused: holders of the verb see it again, nothing written.
    "directory_import POST": Row(own=DIRECTORY_IMPORTERS, method="post", data={}),
    # The export verb: everyone but school staff and the outsider.
    "directory_export": Row(
        target=lambda world, which: {"resource": "schools", "fmt": "xlsx"},
        own=codes(200, anonymous=LOGIN, outsider=403, school_director=403, school_deputy=403),
    ),
    "person_detail": visible_to_members(
        lambda world, which: {
            "pk": (world.user("school_deputy") if which == "own" else other_person(world)).pk
        },
        **HOME_SCHOOL_HIDDEN,
    ),
}

for module in ROW_MODULES:
    MATRIX.update(module.rows(Row))


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
    covered = {url_name(key) for key in MATRIX}
    missing = sorted(
        name
        for name in set(all_url_names())
        if name not in covered and not name.startswith(EXEMPT_PREFIXES)
    )
    assert missing == [], f"URL names without access rules in MATRIX: {missing}"


def test_matrix_has_no_rows_for_missing_urls():
    assert sorted({url_name(key) for key in MATRIX} - set(all_url_names())) == []


def test_every_row_names_every_persona():
    incomplete = sorted(
        f"{key} {which}"
        for key, row in MATRIX.items()
        for which in TARGETS
        if row.expected(which) and set(row.expected(which)) != set(PERSONAS)
    )
    assert incomplete == []


# Every write URL has a POST row (a GET of a write page proves nothing about the write).
WRITE_URLS = {
    "organisation_edit",
    "directory_import",
    "roadmap_create",
    "roadmap_import_start",
    "roadmap_duplicate",
    "roadmap_edit",
    "roadmap_distribute",
    "roadmap_group",
    "section_create",
    "section_edit",
    "section_delete",
    "measure_create",
    "measure_edit",
    "measure_schedule",
    "measure_assign",
    "measure_delete",
    "item_move",
}
for module in ROW_MODULES:
    WRITE_URLS |= set(getattr(module, "WRITE_URLS", ()))


def test_every_write_url_is_posted_to():
    posted = {url_name(key) for key, row in MATRIX.items() if row.method == "post"}
    assert sorted(WRITE_URLS - posted) == []


CASES = [
    pytest.param(key, persona, which, id=f"{key.replace(' ', '-')}-{persona}-{which}")
    for key, row in MATRIX.items()
    for persona in PERSONAS
    for which in TARGETS
    if row.expected(which)
]


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The cast and every target, built once for the module inside a transaction that is
    rolled back at the end (as ``TestCase.setUpTestData`` does); each case then runs in a
    savepoint of it (the ``db`` fixture)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As TestCase's class-wide transaction: services' durable blocks run inside it.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            world = build_world()
            other_person(world)
            for module in ROW_MODULES:
                module.prepare(world)
            # One session per persona, signed in once (not once per case).
            world.sessions = {}
            for persona, user in world.users.items():
                if user is not None:
                    signed_in = Client()
                    signed_in.force_login(user)
                    world.sessions[persona] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def database_state() -> dict[str, int]:
    """Row counts of every table of the project's apps (history and many-to-many tables
    included), in one query: a write, an update with history or a link leaves a trace."""
    tables = sorted(
        {
            model._meta.db_table
            for app_label in (
                "schools",
                "roadmaps",
                "execution",
                "monitoring",
                "notifications",
                "reports",
                "partnerships",
                "guardian",
                "auth",
            )
            for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    # Table names come from the models' meta, quoted; nothing here comes from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    sql = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.mark.parametrize(("key", "persona", "which"), CASES)
def test_access_matrix(matrix_world, db, client, key, persona, which):
    world = matrix_world
    row = MATRIX[key]
    expected = row.expected(which)[persona]
    kwargs = row.target(world, which) if row.target else None
    url = reverse(url_name(key), kwargs=kwargs)
    if persona in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    data = row.request_data(world, which)
    checks_no_write = row.method == "post" and expected != 302 and url_name(key) != "logout"
    before = database_state() if checks_no_write else None
    response = getattr(client, row.method)(url, data=data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, f"{persona} {which} {url}"
    if checks_no_write:
        after = database_state()
        assert {k: (before[k], v) for k, v in after.items() if before[k] != v} == {}


def test_the_no_write_check_sees_a_write(matrix_world, db):
    from roadmaps.models import Roadmap, Section

    before = database_state()
    roadmap = Roadmap.objects.get(pk=matrix_world._plan_own.pk)
    Section.objects.create(roadmap=roadmap, title="Раздел", order=2)
    roadmap.title = "Новый заголовок"
    roadmap.save()
    after = database_state()
    changed = {table for table in after if after[table] != before[table]}
    assert changed == {
        "roadmaps_section",
        "roadmaps_historicalsection",
        "roadmaps_historicalroadmap",
    }
