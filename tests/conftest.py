"""The cast shared by every test.

Region «Краснодарский край» has two municipalities: «Новокубанский район» (home: its
authority, centre, two schools) and «Армавир» (a neighbour in the same region with its
authority, centre and one school). Region «Оренбургская область» is the other tenant (one
municipality, one school). One person per role sits in the home municipality; the
outsider has an account and no membership. Four people reach the home municipality from
the neighbour only in part:

* ``neighbour_coordinator`` — the municipal coordinator of Армавир (nothing at home);
* ``partner`` — the head of Армавир's centre; a guardian grant (view and agree) on one plan
  of the home municipality is given where a test needs it (``grant_partner``);
* ``foreign_curator`` — a methodologist of Армавир's centre, curator of the home school;
* ``two_roles`` — the coordinator of Армавир and, at once, a deputy of the home school:
  a deputy's verbs at home, a coordinator's only in Армавир.
"""

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

from schools.constants import Role
from tests.factories import (
    DEFAULT_PASSWORD,
    AuthorityFactory,
    CentreFactory,
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    RegionalAuthorityFactory,
    RegionFactory,
    SchoolFactory,
    UserFactory,
    person,
)

PERSONAS = [
    "anonymous",
    "outsider",
    "regional_coordinator",
    "municipal_coordinator",
    "methodologist",
    "head",
    "school_director",
    "school_deputy",
    "administrator",
    "superuser",
    "neighbour_coordinator",
    "partner",
    "foreign_curator",
    "two_roles",
]
PARTNER_PERMISSIONS = ("roadmaps.view_roadmap", "roadmaps.agree_roadmap")


@dataclass
class World:
    region: object
    municipality: object
    neighbour_municipality: object
    other_region: object
    other_municipality: object
    regional_authority: object
    authority: object
    centre: object
    school: object
    second_school: object
    neighbour_school: object
    neighbour_authority: object
    neighbour_centre: object
    other_authority: object
    other_school: object
    users: dict

    def user(self, persona):
        return self.users.get(persona)

    def grant_partner(self, roadmap) -> None:
        """The partner centre's head may see and agree this one plan (guardian)."""
        from guardian.shortcuts import assign_perm

        from schools import access

        for perm in PARTNER_PERMISSIONS:
            assign_perm(perm, self.users["partner"], roadmap)
        access.forget(self.users["partner"])


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The cast (see the module docstring); the ``world`` fixture builds it for each test,
    the access matrix once per module."""
    region = RegionFactory(name="Краснодарский край")
    municipality = MunicipalityFactory(region=region, name="Новокубанский район")
    neighbour = MunicipalityFactory(region=region, name="Армавир")
    other_region = RegionFactory(name="Оренбургская область")
    other_municipality = MunicipalityFactory(region=other_region, name="Пономаревский район")

    regional_authority = RegionalAuthorityFactory(
        region=region,
        full_name="Министерство образования, науки и молодежной политики Краснодарского края",
        short_name="МОН КК",
    )
    authority = AuthorityFactory(
        municipality=municipality,
        full_name="Управление образования администрации муниципального образования Новокубанский район",
        short_name="УО Новокубанского района",
    )
    centre = CentreFactory(
        municipality=municipality,
        full_name="Муниципальное бюджетное учреждение «Центр развития образования»",
        short_name="МБУ «ЦРО»",
    )
    school = SchoolFactory(
        municipality=municipality, short_name="МБОУ СОШ № 3", is_low_results=True
    )
    second_school = SchoolFactory(
        municipality=municipality, short_name="МБОУ СОШ № 5", is_leader=True
    )
    neighbour_school = SchoolFactory(municipality=neighbour, short_name="МБОУ СОШ № 7 г. Армавира")
    neighbour_authority = AuthorityFactory(
        municipality=neighbour,
        full_name="Управление образования администрации муниципального образования город Армавир",
        short_name="УО г. Армавира",
    )
    neighbour_centre = CentreFactory(
        municipality=neighbour,
        full_name="Муниципальное казённое учреждение «Центр развития образования и оценки качества»",
        short_name="МКУ «ЦРО и ОК»",
    )
    other_authority = AuthorityFactory(
        municipality=other_municipality,
        full_name="Отдел образования администрации Пономаревского района",
        short_name="Отдел образования",
    )
    other_school = SchoolFactory(
        municipality=other_municipality, short_name="МБОУ Пономаревская СОШ", is_low_results=True
    )

    users = {
        "anonymous": None,
        "outsider": UserFactory(username="outsider", last_name="Чарли"),
        "regional_coordinator": person("regional", regional_authority, Role.REGIONAL_COORDINATOR),
        "municipal_coordinator": person("coordinator", authority, Role.MUNICIPAL_COORDINATOR),
        "methodologist": person("methodologist", centre, Role.METHODOLOGIST),
        "head": person("head", authority, Role.HEAD),
        "school_director": person("director", school, Role.SCHOOL_DIRECTOR),
        "school_deputy": person("deputy", school, Role.SCHOOL_DEPUTY),
        "administrator": person("admin", authority, Role.ADMINISTRATOR),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "neighbour_coordinator": person(
            "armavir-coordinator", neighbour_authority, Role.MUNICIPAL_COORDINATOR
        ),
        "partner": person("partner", neighbour_centre, Role.HEAD),
        "foreign_curator": person("armavir-methodologist", neighbour_centre, Role.METHODOLOGIST),
        "two_roles": person("two-roles", neighbour_authority, Role.MUNICIPAL_COORDINATOR),
    }
    MembershipFactory(user=users["two_roles"], organisation=school, role=Role.SCHOOL_DEPUTY)
    CuratorAssignmentFactory(curator=users["methodologist"], school=school)
    CuratorAssignmentFactory(curator=users["foreign_curator"], school=school)
    return World(
        region=region,
        municipality=municipality,
        neighbour_municipality=neighbour,
        other_region=other_region,
        other_municipality=other_municipality,
        regional_authority=regional_authority,
        authority=authority,
        centre=centre,
        school=school,
        second_school=second_school,
        neighbour_school=neighbour_school,
        neighbour_authority=neighbour_authority,
        neighbour_centre=neighbour_centre,
        other_authority=other_authority,
        other_school=other_school,
        users=users,
    )


@pytest.fixture
def login(client):
    """Log a persona's user in on the test client; returns the client."""

    def _login(user):
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker of the project's app (a thread of this process, solo pool)
    consuming every queue on the test Redis (REDIS_URL); its tasks see committed rows of
    the test database, hence transactional_db. Leftover messages are purged first."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


__all__ = ["DEFAULT_PASSWORD", "PERSONAS", "World"]


# Property tests explore new examples on every local run; in CI they replay the same
# examples (a red CI then always means a change, never the luck of the draw).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_sessionfinish(session, exitstatus):
    """CI (``FAIL_ON_SKIP=1`` in .ci/run) fails on any skipped test: a skip there means a
    file, a service or the browser is missing, and the suite would pass without testing."""
    if not os.environ.get("FAIL_ON_SKIP"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        for report in skipped:
            reporter.write_line(f"Пропущен в CI: {report.nodeid} — {report.longrepr}", red=True)
        session.exitstatus = 1
