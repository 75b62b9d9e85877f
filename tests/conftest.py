"""The cast shared by every test.

Region «Краснодарский край» has two municipalities: «Новокубанский район» (home: its
authority, centre, two schools) and «Армавир» (a neighbour in the same region with one
school). Region «Оренбургская область» is the other tenant (one municipality, one school).
One person per role sits in the home municipality; the outsider has an account and no
membership.
"""

from dataclasses import dataclass

import pytest

from schools.constants import Role
from tests.factories import (
    DEFAULT_PASSWORD,
    AuthorityFactory,
    CentreFactory,
    CuratorAssignmentFactory,
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
]


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
    other_authority: object
    other_school: object
    users: dict

    def user(self, persona):
        return self.users.get(persona)


@pytest.fixture
def world(db) -> World:
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
    }
    CuratorAssignmentFactory(curator=users["methodologist"], school=school)
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


__all__ = ["DEFAULT_PASSWORD", "PERSONAS", "World"]
