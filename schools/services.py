"""Every write of the schools app. Services own their transaction, validate with
``full_clean()``, and re-check the tenant scope of what they saved."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
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
    organisation._history_user = acting_user
    organisation.save(update_fields=changed)
    _ensure_in_scope(organisation, acting_user, "change")
    return organisation


@transaction.atomic
def membership_create(
    *, user: User, organisation: Organisation, role: str, acting_user: User, position: str = ""
) -> Membership:
    _ensure_in_scope(organisation, acting_user, "view")
    membership = Membership(user=user, organisation=organisation, role=role, position=position)
    membership.full_clean()
    membership.save()
    if not Membership.objects.for_user(acting_user, "add").filter(pk=membership.pk).exists():
        raise PermissionDenied(access.FORBIDDEN_MESSAGE)
    return membership


@transaction.atomic
def curator_assign(
    *, curator: User, school: Organisation, acting_user: User, note: str = ""
) -> CuratorAssignment:
    """Assign a methodologist as the curator of a school (both must be within reach)."""
    _ensure_in_scope(school, acting_user, "view")
    if not Membership.objects.filter(
        user=curator, role=Role.METHODOLOGIST, is_active=True
    ).exists():
        raise PermissionDenied("Куратором может быть только методист.")
    assignment = CuratorAssignment(curator=curator, school=school, note=note)
    assignment.full_clean()
    assignment.save()
    if not CuratorAssignment.objects.for_user(acting_user, "add").filter(pk=assignment.pk).exists():
        raise PermissionDenied(access.FORBIDDEN_MESSAGE)
    return assignment


def username_taken(username: str) -> bool:
    """Whether any account, in any tenant, has this login (imports must not reuse it)."""
    return User.objects.filter(username__iexact=(username or "").strip()).exists()


def membership_ensure(
    *, user: User, organisation: Organisation, role: str, position: str = ""
) -> Membership:
    """The person holds this role in this organisation (created if missing). Callers have
    checked that the organisation is within the acting user's reach."""
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"position": position}
    )
    return membership
