"""Every write of the schools app. Services own their transaction, validate with
``full_clean()``, and re-check the tenant scope of what they saved."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import access
from .constants import Role
from .models import CuratorAssignment, Membership, Organisation, User
from .roles import STAFF_ROLES, group_name

ORGANISATION_EDITABLE_FIELDS = [
    "full_name",
    "short_name",
    "inn",
    "address",
    "email",
    "phone",
    "level",
    "is_low_results",
    "is_unfavourable",
    "is_leader",
    "growth_year_from",
    "growth_year_to",
]


def user_sync_groups(*, user: User) -> None:
    """Role groups and the staff flag follow the person's active memberships."""
    roles = set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))
    wanted = {group_name(role) for role in roles}
    all_role_groups = {group_name(role) for role in Role.values}
    current = set(user.groups.filter(name__in=all_role_groups).values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    is_staff = user.is_superuser or bool(roles & STAFF_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    access.forget(user)


def _ensure_in_scope(instance, user, action: str) -> None:
    """A check before the write, for an early 403 (the post-write check is ``recheck``)."""
    if user is access.SYSTEM:
        return
    model = type(instance)
    if not model.objects.for_user(user, action).filter(pk=instance.pk).exists():
        raise PermissionDenied(access.FORBIDDEN_MESSAGE)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, acting_user: User, data: dict
) -> Organisation:
    """Change an organisation's card. Only the fields of the card; tenant fields stay."""
    _ensure_in_scope(organisation, acting_user, "change")
    changed = []
    for name in ORGANISATION_EDITABLE_FIELDS:
        if name in data and getattr(organisation, name) != data[name]:
            setattr(organisation, name, data[name])
            changed.append(name)
    if not changed:
        return organisation
    organisation.full_clean()
    organisation._history_user = _history_user(acting_user)
    organisation.save(update_fields=changed)
    access.recheck(acting_user, "change", organisation)
    return organisation


def _history_user(acting_user) -> User | None:
    return acting_user if isinstance(acting_user, User) else None


def _refuse_grant(acting_user, membership: Membership, verb: str) -> None:
    error = access.grant_error(
        acting_user,
        person=membership.user,
        organisation=membership.organisation,
        role=membership.role,
        verb=verb,
    )
    if error:
        raise ValidationError({"role": error})


@transaction.atomic
def membership_grant(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    acting_user,
    position: str = "",
    verb: str = "schools.add_membership",
) -> Membership:
    """Give ``user`` the role ``role`` in ``organisation``: the one door for every path
    that grants roles (admin, browser and admin import, seed, shell).

    The grant rule of ``schools.access`` decides (``verb`` is the directory-management
    verb of the path: ``schools.add_membership`` in admin, ``schools.import_directory``
    for imports). A role the person already holds there is returned as it is (a
    re-imported export grants nothing); an inactive one is granted again. Raises
    ``ValidationError`` with a Russian message."""
    membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if membership is not None and membership.is_active:
        access.recheck(acting_user, verb, membership)
        return membership
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role, position=position)
    else:
        membership.is_active = True
        membership.position = position or membership.position
    _refuse_grant(acting_user, membership, verb)
    membership.full_clean()
    membership._history_user = _history_user(acting_user)
    membership.save()
    access.recheck(acting_user, verb, membership)
    return membership


MEMBERSHIP_EDITABLE_FIELDS = ["user", "organisation", "role", "position", "is_active"]


@transaction.atomic
def membership_change(*, membership: Membership, acting_user, data: dict) -> Membership:
    """Change a membership (admin edit). Who holds which role where is a grant like any
    other: a change of person, organisation or role, or a re-activation, goes through the
    grant rule; a change of position or a deactivation needs the change verb only."""
    verb = "schools.change_membership"
    if membership.pk is None:
        raise ValueError("membership_change() takes a saved membership; use membership_grant().")
    access.recheck(acting_user, verb, membership)
    stored = Membership.objects.get(pk=membership.pk)
    changed = []
    for name in MEMBERSHIP_EDITABLE_FIELDS:
        if name in data and getattr(membership, name) != data[name]:
            setattr(membership, name, data[name])
        if getattr(stored, name) != getattr(membership, name):
            changed.append(name)
    if not changed:
        return membership
    grants = {"user", "organisation", "role"} & set(changed) or (
        "is_active" in changed and membership.is_active
    )
    if grants and membership.is_active:
        _refuse_grant(acting_user, membership, verb)
    membership.full_clean()
    membership._history_user = _history_user(acting_user)
    membership.save(update_fields=changed)
    access.recheck(acting_user, verb, membership)
    return membership


@transaction.atomic
def curator_assign(
    *,
    curator: User,
    school: Organisation,
    acting_user,
    note: str = "",
    since=None,
) -> CuratorAssignment:
    """Assign a methodologist as the curator of a school (both must be within reach)."""
    _ensure_in_scope(school, acting_user, "view")
    _ensure_in_scope(curator, acting_user, "view")
    if not Membership.objects.filter(
        user=curator, role=Role.METHODOLOGIST, is_active=True
    ).exists():
        raise ValidationError({"curator": "Куратором может быть только методист."})
    assignment = CuratorAssignment(curator=curator, school=school, note=note, since=since)
    assignment.full_clean()
    assignment._history_user = _history_user(acting_user)
    assignment.save()
    access.recheck(acting_user, "add", assignment)
    return assignment


def username_taken(username: str) -> bool:
    """Whether any account, in any tenant, has this login (imports must not reuse it)."""
    return User.objects.filter(username__iexact=(username or "").strip()).exists()
