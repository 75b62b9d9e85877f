"""Access follows the parties: the staff of every party see an agreement, the coordinators
of the parties' municipalities manage it, the regional coordinators read it, nobody else
learns it exists; a signed agreement naming a network plan shows the plan to the staff of
its parties, instead of per-person grants."""

from __future__ import annotations

import datetime

import pytest

from partnerships.models import Agreement
from partnerships.querysets import CHANGE, VIEW
from roadmaps.models import Roadmap
from schools.access import SYSTEM
from tests.conftest import PERSONAS
from tests.partnerships.conftest import centres, record, three_party
from tests.roadmaps.factories import RoadmapFactory

SIGNED = datetime.date(2025, 9, 2)


def who(world, agreement, verb) -> set[str]:
    return {
        persona
        for persona in PERSONAS
        if world.user(persona) is not None
        and Agreement.objects.for_user(world.user(persona), verb).filter(pk=agreement.pk).exists()
    }


def test_the_home_three_party_agreement_is_seen_by_its_parties_and_their_municipality(world):
    agreement = record(world, three_party(world), signed_on=SIGNED)
    assert who(world, agreement, VIEW) == {
        "regional_coordinator",
        "municipal_coordinator",
        "methodologist",
        "head",
        "school_director",  # the supported school's staff
        "school_deputy",
        "administrator",
        "superuser",
        "foreign_curator",  # the curator of the supported school
        "two_roles",  # as the supported school's deputy
    }
    assert who(world, agreement, CHANGE) == {"municipal_coordinator", "superuser"}


def test_an_agreement_across_two_municipalities_is_managed_from_both(world):
    agreement = record(world, centres(world), acting_user=SYSTEM, signed_on=SIGNED)
    assert who(world, agreement, CHANGE) == {
        "municipal_coordinator",
        "neighbour_coordinator",
        "two_roles",
        "superuser",
    }
    # The partner centre's head sees its agreement with the home centre.
    assert "partner" in who(world, agreement, VIEW)


def test_the_partner_centre_sees_its_agreement_and_nothing_else_of_the_home_municipality(world):
    home = record(world, three_party(world), signed_on=SIGNED)
    network = record(world, centres(world), acting_user=SYSTEM, signed_on=SIGNED)
    partner = world.user("partner")
    assert list(Agreement.objects.for_user(partner, VIEW)) == [network]
    assert home not in Agreement.objects.for_user(partner, VIEW)


def test_another_schools_staff_do_not_see_an_agreement_they_are_not_party_to(world):
    from partnerships.constants import AgreementKind, PartyRole
    from partnerships.services import PartyInput
    from schools.constants import Role
    from tests.factories import person

    agreement = record(
        world,
        three_party(
            world,
            kind=AgreementKind.CENTRE_SCHOOL,
            parties=[
                PartyInput(world.centre, PartyRole.CURATOR_CENTRE),
                PartyInput(world.second_school, PartyRole.SUPPORTED),
            ],
        ),
        signed_on=SIGNED,
    )
    assert "school_deputy" not in who(world, agreement, VIEW)
    second_deputy = person("deputy5", world.second_school, Role.SCHOOL_DEPUTY)
    assert Agreement.objects.for_user(second_deputy, VIEW).filter(pk=agreement.pk).exists()


def test_a_network_plan_named_by_a_signed_agreement_is_visible_to_the_partys_staff(world):
    plan = RoadmapFactory(owner=world.centre, title="Сетевой план ЦРО")
    partner = world.user("partner")
    assert not Roadmap.objects.for_user(partner, "view").filter(pk=plan.pk).exists()
    agreement = record(world, centres(world, roadmaps=[plan]), acting_user=SYSTEM)
    # A draft gives nothing.
    assert not Roadmap.objects.for_user(partner, "view").filter(pk=plan.pk).exists()
    from partnerships import services

    services.agreement_sign(agreement=agreement, acting_user=SYSTEM, signed_on=SIGNED)
    from schools import access

    access.forget(partner)
    assert Roadmap.objects.for_user(partner, "view").filter(pk=plan.pk).exists()
    # …for viewing only, and only to the staff of the parties (not Армавир's coordinator).
    assert not Roadmap.objects.for_user(partner, "change").filter(pk=plan.pk).exists()
    neighbour = world.user("neighbour_coordinator")
    assert not Roadmap.objects.for_user(neighbour, "view").filter(pk=plan.pk).exists()


def test_an_ended_agreement_no_longer_shows_the_plan(world):
    from partnerships import services

    plan = RoadmapFactory(owner=world.centre)
    agreement = record(world, centres(world, roadmaps=[plan]), acting_user=SYSTEM, signed_on=SIGNED)
    services.agreement_terminate(
        agreement=agreement,
        acting_user=SYSTEM,
        terminated_on=datetime.date(2025, 10, 1),
        reason="Соглашение сторон",
    )
    assert not Roadmap.objects.for_user(world.user("partner"), "view").filter(pk=plan.pk).exists()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_no_agreement_is_listed_twice(world, persona):
    """An agreement reachable through several parties (here all three are in the home
    municipality) is one row."""
    record(world, three_party(world), signed_on=SIGNED)
    record(world, centres(world), acting_user=SYSTEM, signed_on=SIGNED)
    user = world.user(persona)
    for verb in (VIEW, CHANGE):
        ids = list(Agreement.objects.for_user(user, verb).values_list("pk", flat=True))
        assert len(ids) == len(set(ids))


def test_a_foreign_agreement_is_a_404_like_a_missing_one(world, client):
    agreement = record(world, three_party(world), signed_on=SIGNED)
    client.force_login(world.user("neighbour_coordinator"))
    foreign = client.get(f"/partnerships/{agreement.pk}/")
    missing = client.get(f"/partnerships/{agreement.pk + 1000}/")
    assert foreign.status_code == missing.status_code == 404
    # Nothing of the agreement shows: the page is the one of a missing object.
    assert "№ 12" not in foreign.content.decode()
    assert "Сетевое взаимодействие" not in foreign.content.decode()
