"""The rule table of ``schools.access``, persona by persona."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.shortcuts import assign_perm

from schools.access import get_object_for_user, scope_for
from schools.constants import Role
from schools.models import Membership, Municipality, Organisation, Region, User
from tests.factories import MembershipFactory, UserFactory


def visible(world, persona, model=Organisation, action="view"):
    return set(model.objects.for_user(world.user(persona), action))


def test_regional_coordinator_sees_the_whole_region_and_nothing_else(world):
    orgs = visible(world, "regional_coordinator")
    assert world.neighbour_school in orgs
    assert world.school in orgs
    assert world.regional_authority in orgs
    assert world.other_school not in orgs
    assert visible(world, "regional_coordinator", Region) == {world.region}


def test_regional_coordinator_is_read_only(world):
    assert visible(world, "regional_coordinator", action="change") == set()


def test_municipal_coordinator_sees_own_municipality_only(world):
    orgs = visible(world, "municipal_coordinator")
    assert orgs == {world.authority, world.centre, world.school, world.second_school}
    assert visible(world, "municipal_coordinator", Municipality) == {world.municipality}


def test_municipal_coordinator_edits_organisations_of_the_municipality(world):
    assert world.school in visible(world, "municipal_coordinator", action="change")
    assert world.neighbour_school not in visible(world, "municipal_coordinator", action="change")


def test_school_deputy_sees_only_own_school_and_its_containers(world):
    assert visible(world, "school_deputy") == {world.school}
    assert visible(world, "school_deputy", Municipality) == {world.municipality}
    assert visible(world, "school_deputy", Region) == {world.region}
    assert visible(world, "school_deputy", action="change") == set()


def test_school_director_edits_own_school_card_only(world):
    assert visible(world, "school_director", action="change") == {world.school}


def test_people_are_visible_through_memberships_in_reach(world):
    people = visible(world, "school_deputy", User)
    # Everyone with a membership in the school, the two-role person (also a deputy) too.
    assert people == {
        world.user("school_deputy"),
        world.user("school_director"),
        world.user("two_roles"),
    }
    assert world.user("municipal_coordinator") not in people
    assert world.user("school_deputy") in visible(world, "municipal_coordinator", User)
    assert world.user("regional_coordinator") not in visible(world, "municipal_coordinator", User)


def test_outsider_sees_only_themselves(world):
    assert visible(world, "outsider") == set()
    assert visible(world, "outsider", User) == {world.user("outsider")}
    assert visible(world, "outsider", Region) == set()


def test_superuser_sees_everything(world):
    assert world.other_school in visible(world, "superuser")


def test_curator_sees_assigned_school_of_another_municipality(world):
    curator = world.user("methodologist")
    from schools.models import CuratorAssignment

    CuratorAssignment.objects.create(curator=curator, school=world.neighbour_school)
    assert world.neighbour_school in set(Organisation.objects.for_user(curator, "view"))
    assert world.neighbour_school.municipality in set(
        Municipality.objects.for_user(curator, "view")
    )


def test_guardian_grant_adds_exactly_one_object_for_exactly_one_verb(world):
    expert = UserFactory(username="expert")
    assign_perm("schools.view_organisation", expert, world.other_school)
    assert set(Organisation.objects.for_user(expert, "view")) == {world.other_school}
    assert set(Organisation.objects.for_user(expert, "change")) == set()


def test_global_permission_without_membership_gives_nothing(world):
    """A stray global permission must not widen scope (accept_global_perms=False)."""
    from django.contrib.auth.models import Permission

    stray = UserFactory(username="stray")
    stray.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    assert set(Organisation.objects.for_user(stray, "view")) == set()


def test_a_verb_applies_only_within_the_membership_that_carries_it(world):
    """Coordinator in one municipality and deputy in a school of another region: can edit
    only in the first."""
    user = world.user("municipal_coordinator")
    MembershipFactory(user=user, organisation=world.other_school, role=Role.SCHOOL_DEPUTY)
    user = User.objects.get(pk=user.pk)
    assert world.other_school in set(Organisation.objects.for_user(user, "view"))
    assert world.other_school not in set(Organisation.objects.for_user(user, "change"))


def test_inactive_membership_gives_no_access(world):
    deputy = world.user("school_deputy")
    Membership.objects.filter(user=deputy).update(is_active=False)
    deputy = User.objects.get(pk=deputy.pk)
    assert set(Organisation.objects.for_user(deputy, "view")) == set()


def test_foreign_object_is_404_and_visible_without_verb_is_403(world):
    deputy = world.user("school_deputy")
    with pytest.raises(Http404):
        get_object_for_user(Organisation, deputy, world.other_school.pk)
    with pytest.raises(Http404):
        get_object_for_user(Organisation, deputy, 10**9)
    assert get_object_for_user(Organisation, deputy, world.school.pk) == world.school
    with pytest.raises(PermissionDenied):
        get_object_for_user(Organisation, deputy, world.school.pk, "change")


def test_scope_is_computed_with_a_fixed_number_of_queries(world, django_assert_num_queries):
    user = User.objects.get(pk=world.user("methodologist").pk)
    # 4: the access version, memberships, role permissions, curated schools; then kept
    # for every verb (and the next request reads only the version: test_access_cache).
    with django_assert_num_queries(4):
        scope_for(user, "schools.view_organisation")
        scope_for(user, "schools.change_organisation")
        scope_for(user, "schools.view_user")


def test_membership_changes_follow_into_groups_and_staff_flag(world):
    admin = User.objects.get(pk=world.user("administrator").pk)
    assert admin.is_staff
    assert admin.groups.filter(name="Администратор").exists()
    Membership.objects.filter(user=admin).delete()
    admin.refresh_from_db()
    assert not admin.is_staff
    assert not admin.groups.exists()


def test_neighbour_coordinator_sees_the_region_name_and_nothing_of_the_home_municipality(world):
    orgs = visible(world, "neighbour_coordinator")
    assert orgs == {world.neighbour_school, world.neighbour_authority, world.neighbour_centre}
    assert visible(world, "neighbour_coordinator", Municipality) == {world.neighbour_municipality}
    assert visible(world, "neighbour_coordinator", Region) == {world.region}
    assert world.user("school_deputy") not in visible(world, "neighbour_coordinator", User)


def test_curator_of_another_municipality_reads_the_curated_school_and_changes_nothing_there(
    world,
):
    orgs = visible(world, "foreign_curator")
    assert world.school in orgs
    assert world.second_school not in orgs
    assert world.municipality in visible(world, "foreign_curator", Municipality)
    assert visible(world, "foreign_curator", action="change") == set()


def test_two_roles_edit_cards_only_where_the_coordinator_role_reaches(world):
    orgs = visible(world, "two_roles")
    assert {world.school, world.neighbour_school} <= orgs
    assert world.second_school not in orgs
    assert visible(world, "two_roles", action="change") == {
        world.neighbour_school,
        world.neighbour_authority,
        world.neighbour_centre,
    }
