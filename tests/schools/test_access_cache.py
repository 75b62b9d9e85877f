"""The memberships and verbs ``schools.access`` keeps in the cache between requests: used
while nothing they are read from changes, and not for one request more once something
does — however it changes."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse

from schools import access, services
from schools.access import SYSTEM, scope_for
from schools.constants import Role
from schools.models import AccessVersion, CuratorAssignment, Membership, Organisation, User
from schools.roles import group_name

pytestmark = pytest.mark.django_db


def next_request(user) -> User:
    """The person as the next request loads them: a new object, nothing kept on it."""
    return User.objects.get(pk=user.pk)


def changeable(user) -> set:
    return set(Organisation.objects.for_user(next_request(user), "change"))


def test_the_next_request_reads_only_the_access_version(world, django_assert_num_queries):
    user = world.user("methodologist")
    first_request, second_request = next_request(user), next_request(user)
    # 4: the access version, memberships, role permissions, curated schools.
    with django_assert_num_queries(4):
        first = scope_for(first_request, "schools.view_organisation")
    # 1: the access version; the rest comes from the cache.
    with django_assert_num_queries(1):
        second = scope_for(second_request, "schools.view_organisation")
    assert first == second
    assert world.school.pk in second.organisations  # curated


def _deactivate(world):
    membership = Membership.objects.get(user=world.user("municipal_coordinator"))
    services.membership_change(membership=membership, acting_user=SYSTEM, data={"is_active": False})


def _delete(world):
    Membership.objects.filter(user=world.user("municipal_coordinator")).delete()


def _bulk_update(world):
    Membership.objects.filter(user=world.user("municipal_coordinator")).update(is_active=False)


def _organisation_closed(world):
    world.authority.is_active = False
    world.authority.save(update_fields=["is_active"])


def _verb_taken_from_the_role(world):
    group = Group.objects.get(name=group_name(Role.MUNICIPAL_COORDINATOR))
    group.permissions.remove(Permission.objects.get(codename="change_organisation"))


@pytest.mark.parametrize(
    "revoke",
    [_deactivate, _delete, _bulk_update, _organisation_closed, _verb_taken_from_the_role],
    ids=["deactivated", "deleted", "bulk-updated", "organisation-closed", "verb-taken"],
)
def test_a_revoked_membership_stops_working_at_once(world, revoke):
    coordinator = world.user("municipal_coordinator")
    assert world.school in changeable(coordinator)
    assert world.school in changeable(coordinator)  # the second time from the cache
    revoke(world)
    assert world.school not in changeable(coordinator)


def test_a_removed_curator_assignment_stops_working_at_once(world):
    curator = world.user("foreign_curator")  # sees the home school only as its curator
    assert world.school in set(Organisation.objects.for_user(next_request(curator)))
    CuratorAssignment.objects.filter(curator=curator, school=world.school).delete()
    assert world.school not in set(Organisation.objects.for_user(next_request(curator)))


def test_a_new_membership_works_at_once(world):
    outsider = world.user("outsider")
    assert changeable(outsider) == set()
    services.membership_grant(
        user=outsider, organisation=world.school, role=Role.SCHOOL_DIRECTOR, acting_user=SYSTEM
    )
    assert changeable(outsider) == {world.school}


def test_what_a_rolled_back_change_showed_is_not_kept(world):
    """Facts read inside a transaction that is then rolled back were cached under a token
    that never became visible: the next request reads the committed state."""
    outsider = world.user("outsider")
    assert changeable(outsider) == set()

    def grant_and_roll_back():
        with transaction.atomic():
            services.membership_grant(
                user=outsider,
                organisation=world.school,
                role=Role.SCHOOL_DIRECTOR,
                acting_user=SYSTEM,
            )
            assert changeable(outsider) == {world.school}
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        grant_and_roll_back()
    assert changeable(outsider) == set()


def test_without_the_access_version_nothing_is_cached(world, django_assert_num_queries):
    AccessVersion.objects.all().delete()
    user = world.user("municipal_coordinator")
    for _ in range(2):
        # 3: the access version (none), memberships, role permissions.
        with django_assert_num_queries(3):
            scope_for(User(pk=user.pk, is_active=True), "schools.view_organisation")
    access.access_changed()  # the row comes back with the next change
    assert AccessVersion.objects.count() == 1


def test_a_person_whose_membership_is_revoked_gets_404_on_the_next_page(client, world):
    coordinator = world.user("municipal_coordinator")
    client.force_login(coordinator)
    url = reverse("organisation_detail", kwargs={"pk": world.school.pk})
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    _deactivate(world)
    assert client.get(url).status_code == 404
