"""Roles that fit: which roles an organisation's kind may hold (the kind rule) and who may
grant them (the grant rule), in the access model, enforced by the one grant service."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from schools import access, services
from schools.constants import OrganisationKind, Role
from schools.models import Membership
from tests.factories import CentreFactory, MembershipFactory, UserFactory


@pytest.mark.parametrize(
    ("role", "kind", "has_municipality", "fits"),
    [
        (Role.SCHOOL_DIRECTOR, OrganisationKind.SCHOOL, True, True),
        (Role.SCHOOL_DEPUTY, OrganisationKind.SCHOOL, True, True),
        (Role.HEAD, OrganisationKind.SCHOOL, True, True),
        (Role.SCHOOL_DIRECTOR, OrganisationKind.METHOD_CENTRE, True, False),
        (Role.SCHOOL_DEPUTY, OrganisationKind.MUNICIPAL_AUTHORITY, True, False),
        (Role.METHODOLOGIST, OrganisationKind.SCHOOL, True, False),
        (Role.ADMINISTRATOR, OrganisationKind.SCHOOL, True, False),
        (Role.REGIONAL_COORDINATOR, OrganisationKind.REGIONAL_AUTHORITY, False, True),
        (Role.REGIONAL_COORDINATOR, OrganisationKind.METHOD_CENTRE, False, True),
        (Role.REGIONAL_COORDINATOR, OrganisationKind.MUNICIPAL_AUTHORITY, True, False),
        (Role.REGIONAL_COORDINATOR, OrganisationKind.METHOD_CENTRE, True, False),
        (Role.MUNICIPAL_COORDINATOR, OrganisationKind.MUNICIPAL_AUTHORITY, True, True),
        (Role.MUNICIPAL_COORDINATOR, OrganisationKind.METHOD_CENTRE, True, True),
        (Role.MUNICIPAL_COORDINATOR, OrganisationKind.METHOD_CENTRE, False, False),
        (Role.MUNICIPAL_COORDINATOR, OrganisationKind.REGIONAL_AUTHORITY, False, False),
        (Role.ADMINISTRATOR, OrganisationKind.MUNICIPAL_AUTHORITY, True, True),
        (Role.HEAD, OrganisationKind.OTHER, True, True),
        (Role.METHODOLOGIST, OrganisationKind.OTHER, True, False),
    ],
)
def test_the_kind_rule_table(role, kind, has_municipality, fits):
    from schools.roles import role_fits

    assert role_fits(role, kind, has_municipality) is fits


def test_every_role_fits_some_kind():
    from schools.roles import ROLES_BY_KIND

    assert set(Role.values) == set().union(*ROLES_BY_KIND.values())


def test_full_clean_refuses_a_school_director_in_a_methodological_centre(world):
    membership = Membership(
        user=world.user("outsider"), organisation=world.centre, role=Role.SCHOOL_DIRECTOR
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "«Директор школы» не бывает у организации типа «Методический центр»" in str(error.value)


def test_database_refuses_an_unknown_role(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.user("outsider"), organisation=world.school, role="superhero"
        )


# The grant service ------------------------------------------------------------------


def test_administrator_grants_a_role_in_reach(world):
    outsider = world.user("outsider")
    membership = services.membership_grant(
        user=outsider,
        organisation=world.school,
        role=Role.SCHOOL_DEPUTY,
        position="Заместитель по УВР",
        acting_user=world.user("administrator"),
    )
    assert membership.pk
    assert membership.history.first().history_user == world.user("administrator")
    assert Membership.objects.filter(user=outsider, organisation=world.school).exists()


@pytest.mark.parametrize(
    ("persona", "verb"),
    [
        ("municipal_coordinator", "schools.import_directory"),
        ("administrator", "schools.add_membership"),
    ],
)
def test_a_role_in_a_neighbouring_municipality_is_refused(world, persona, verb):
    with pytest.raises(ValidationError) as error:
        services.membership_grant(
            user=world.user("outsider"),
            organisation=world.neighbour_school,
            role=Role.SCHOOL_DEPUTY,
            acting_user=world.user(persona),
            verb=verb,
        )
    assert access.GRANT_REACH_MESSAGE in error.value.messages
    assert not Membership.objects.filter(organisation=world.neighbour_school).exists()


def test_a_role_wider_than_the_granters_reach_is_refused(world):
    # A region-wide coordinator fits a regional authority, but reaches past the
    # municipal administrator's own reach.
    with pytest.raises(ValidationError) as error:
        services.membership_grant(
            user=world.user("school_director"),
            organisation=world.regional_authority,
            role=Role.REGIONAL_COORDINATOR,
            acting_user=world.user("administrator"),
        )
    assert access.GRANT_REACH_MESSAGE in error.value.messages
    assert (
        not Membership.objects.filter(role=Role.REGIONAL_COORDINATOR)
        .exclude(user=world.user("regional_coordinator"))
        .exists()
    )


@pytest.mark.parametrize(
    ("persona", "role", "verb"),
    [
        ("administrator", Role.HEAD, "schools.add_membership"),
        ("administrator", Role.MUNICIPAL_COORDINATOR, "schools.add_membership"),
        ("municipal_coordinator", Role.HEAD, "schools.import_directory"),
    ],
)
def test_nobody_grants_a_role_to_themself(world, persona, role, verb):
    me = world.user(persona)
    with pytest.raises(ValidationError) as error:
        services.membership_grant(
            user=me, organisation=world.authority, role=role, acting_user=me, verb=verb
        )
    assert access.SELF_GRANT_MESSAGE in error.value.messages
    assert not Membership.objects.filter(user=me, role=role).exists()


def test_a_coordinator_cannot_mint_an_administrator_through_the_import_verb(world):
    with pytest.raises(ValidationError):
        services.membership_grant(
            user=world.user("outsider"),
            organisation=world.authority,
            role=Role.ADMINISTRATOR,
            acting_user=world.user("municipal_coordinator"),
            verb="schools.import_directory",
        )
    assert not world.user("outsider").memberships.exists()


def test_a_person_without_a_directory_verb_grants_nothing(world):
    with pytest.raises(ValidationError):
        services.membership_grant(
            user=world.user("outsider"),
            organisation=world.school,
            role=Role.SCHOOL_DEPUTY,
            acting_user=world.user("school_director"),
        )
    assert not world.user("outsider").memberships.exists()


@pytest.mark.parametrize("persona", ["administrator", "superuser", "system"])
def test_a_school_director_in_a_centre_is_refused_to_everyone(world, persona):
    acting = access.SYSTEM if persona == "system" else world.user(persona)
    with pytest.raises(ValidationError) as error:
        services.membership_grant(
            user=world.user("outsider"),
            organisation=world.centre,
            role=Role.SCHOOL_DIRECTOR,
            acting_user=acting,
        )
    assert "не бывает у организации типа «Методический центр»" in " ".join(error.value.messages)
    assert not world.user("outsider").memberships.exists()


@pytest.mark.parametrize("persona", ["superuser", "system"])
def test_superuser_and_system_grant_whatever_fits(world, persona):
    acting = access.SYSTEM if persona == "system" else world.user(persona)
    membership = services.membership_grant(
        user=world.user("outsider"),
        organisation=world.regional_authority,
        role=Role.REGIONAL_COORDINATOR,
        acting_user=acting,
    )
    assert membership.is_active


def test_granting_a_role_already_held_changes_nothing(world):
    deputy = world.user("school_deputy")
    existing = deputy.memberships.get()
    again = services.membership_grant(
        user=deputy,
        organisation=world.school,
        role=Role.SCHOOL_DEPUTY,
        acting_user=world.user("municipal_coordinator"),
        verb="schools.import_directory",
    )
    assert again.pk == existing.pk
    assert deputy.memberships.count() == 1


def test_reactivating_a_role_is_a_grant(world):
    me = world.user("administrator")
    Membership.objects.filter(user=me).update(is_active=False)
    # An administrator no more cannot give the role back to themself.
    with pytest.raises(ValidationError):
        services.membership_grant(
            user=me, organisation=world.authority, role=Role.ADMINISTRATOR, acting_user=me
        )
    assert not Membership.objects.get(user=me, role=Role.ADMINISTRATOR).is_active
    services.membership_grant(
        user=me,
        organisation=world.authority,
        role=Role.ADMINISTRATOR,
        acting_user=world.user("superuser"),
    )
    assert Membership.objects.get(user=me, role=Role.ADMINISTRATOR).is_active


def test_changing_a_role_goes_through_the_grant_rule(world):
    membership = world.user("school_deputy").memberships.get()
    with pytest.raises(ValidationError):
        services.membership_change(
            membership=membership,
            acting_user=world.user("administrator"),
            data={"organisation": world.regional_authority, "role": Role.REGIONAL_COORDINATOR},
        )
    membership.refresh_from_db()
    assert (membership.organisation, membership.role) == (world.school, Role.SCHOOL_DEPUTY)


def test_changing_the_position_of_ones_own_role_is_not_a_grant(world):
    me = world.user("administrator")
    membership = me.memberships.get()
    services.membership_change(
        membership=membership, acting_user=me, data={"position": "Главный специалист"}
    )
    membership.refresh_from_db()
    assert membership.position == "Главный специалист"


def test_changing_ones_own_role_is_refused(world):
    me = world.user("administrator")
    membership = me.memberships.get()
    with pytest.raises(ValidationError) as error:
        services.membership_change(membership=membership, acting_user=me, data={"role": Role.HEAD})
    assert access.SELF_GRANT_MESSAGE in error.value.messages


def test_a_membership_outside_the_reach_is_not_changed(world):
    foreign = MembershipFactory(organisation=world.other_school, role=Role.SCHOOL_DEPUTY)
    with pytest.raises(access.PermissionDenied):
        services.membership_change(
            membership=foreign, acting_user=world.user("administrator"), data={"position": "x"}
        )
    foreign.refresh_from_db()
    assert foreign.position == ""


# Existing bad combinations ----------------------------------------------------------


def test_check_roles_reports_bad_memberships_in_russian_and_fails(world, capsys):
    centre = CentreFactory(municipality=world.municipality, short_name="МКУ «ИМЦ»")
    MembershipFactory(
        user=UserFactory(username="misplaced"), organisation=centre, role=Role.SCHOOL_DIRECTOR
    )
    MembershipFactory(
        user=UserFactory(username="too.wide"),
        organisation=world.authority,
        role=Role.REGIONAL_COORDINATOR,
    )
    with pytest.raises(CommandError) as error:
        call_command("check_roles")
    out = capsys.readouterr().out
    assert "misplaced — «Директор школы» в «МКУ «ИМЦ»»" in out
    assert "too.wide" in out
    assert "только в региональной организации" in out
    assert "Найдено членств с неподходящей ролью: 2" in str(error.value)


def test_check_roles_passes_on_a_sound_directory(world, capsys):
    call_command("check_roles")
    assert "Все роли подходят" in capsys.readouterr().out
