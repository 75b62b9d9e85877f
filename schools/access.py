"""The access model: one implementation of the rule table below.

Rule table
==========

A person's reach comes only from their active memberships (role in an organisation).
"Reach" is where the person sees; verbs apply inside that reach unless narrowed.

=========================  ==============================  ===============================================
Role                       Reach (sees)                    Verbs (permissions of the role group)
=========================  ==============================  ===============================================
Региональный координатор   the region of the organisation  read everything; export the directory and plans
Муниципальный координатор  the municipality                read; edit organisation cards and curators;
                                                           import/export the directory; write, submit,
                                                           import and export every plan of the municipality
Методист / куратор         the municipality, plus the      read; write, submit, import and export the plans
                           schools assigned to them        of their own centre only; on assigned schools:
                           (read only)                     read, accept or return marks (``review``)
Руководитель организации   authority/centre: the           read; edit organisation cards; approve the plans
                           municipality; school: the       of their own organisation only
                           school; regional body: region
Директор школы             own school                      read; edit the school card; write and approve
                                                           the school's plan
Заместитель директора      own school                      read; write and submit the school's plan
                                                           mark the school's measures done (``mark``)
Администратор              as the head                     everything in the directory; Django admin
=========================  ==============================  ===============================================

* Verbs are Django permissions held by the role's group (``schools.roles.ROLE_PERMISSIONS``).
  A verb applies only within the reach of the membership that carries it: a person who is
  a coordinator in one municipality and a deputy in a school of another can edit only in
  the first.
* Exceptions are django-guardian object permissions on one object (direct-FK permission
  models): an outside expert on one school, a partner centre on one plan. They add exactly
  that object for exactly that verb.
* Containers are visible upwards for viewing: whoever sees a school sees the names of its
  municipality and region (not their other contents).
* Superusers see and change everything.

Entry points
============

* ``Model.objects.for_user(user, action)`` — every queryset a view, export, job or admin
  page uses. ``action`` is ``"view"``, ``"change"``, ``"add"``, ``"delete"`` or a full
  permission name (``"schools.import_directory"``).
* ``get_object_for_user(Model, user, pk, action)`` — single objects: missing and foreign
  give 404 (same answer, nothing leaks); visible without the verb gives 403.
* ``access_changed()`` — a person's memberships and verbs are cached between requests
  under the access version; saves, deletes and bulk writes of what they come from renew
  it by themselves, a write in raw SQL must call this.
* ``role_kind_error(role, organisation)`` and ``grant_error(user, person=, organisation=,
  role=, verb=)`` — which roles an organisation may hold and who may grant them
  (enforced by ``schools.services.membership_grant``/``membership_change``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, Permission
from django.core.cache import cache as django_cache
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q
from django.http import Http404

from .constants import Role
from .roles import (
    CURATOR_PERMISSIONS,
    ROLES_BY_KIND,
    STAFF_ROLES,
    Reach,
    group_name,
    role_fits,
    role_reach,
)

BASIC_ACTIONS = {"view", "change", "add", "delete"}
FORBIDDEN_MESSAGE = "У вас нет прав на это действие."
NOT_FOUND_MESSAGE = "Объект не найден или недоступен."


@dataclass
class Scope:
    """Where one permission reaches for one person, as sets of ids."""

    everything: bool = False
    regions: set[int] = field(default_factory=set)
    municipalities: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    # Containers of what the person sees: visible upwards when viewing.
    container_regions: set[int] = field(default_factory=set)
    container_municipalities: set[int] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.regions or self.municipalities or self.organisations)

    def contains(self, *, region_id, municipality_id, organisation_id) -> bool:
        """Does the reach cover a row hanging on this organisation (the rule of
        ``ScopedQuerySet.scope_q`` for a row already loaded, without a query)?"""
        return (
            self.everything
            or region_id in self.regions
            or (municipality_id is not None and municipality_id in self.municipalities)
            or organisation_id in self.organisations
        )


def permission_name(model: type[models.Model], action: str) -> str:
    if action in BASIC_ACTIONS:
        return f"{model._meta.app_label}.{action}_{model._meta.model_name}"
    if "." not in action:
        raise ValueError(
            f"Unknown action {action!r}: use view/change/add/delete or 'app.codename'."
        )
    return action


# A person's memberships and verbs, kept in the cache between requests under the access
# version (``AccessVersion``): any change to what they are read from gives the version a
# new token, in the writing transaction, so a revoked membership holds from the next
# request on. The time limit only bounds the cache and what a write behind the ORM's back
# (raw SQL, which no signal sees) could leave behind.
FACTS_TIMEOUT = 10 * 60
_FACTS_KEY = "schools.access.facts.1:{token}:{user}"


def access_version() -> str | None:
    """The token of the access version (one query); None before the row exists, and then
    nothing is cached."""
    from .models import AccessVersion

    # Every request asks this: plain SQL, without compiling a queryset (0.5 -> 0.15 ms).
    meta, quote = AccessVersion._meta, connection.ops.quote_name
    table, token, key = (
        quote(meta.db_table),
        quote(meta.get_field("token").column),
        quote(meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {token} FROM {table} WHERE {key} = %s", [1])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def access_changed() -> None:
    """Give the access version a new token: nobody's cached memberships and verbs are used
    again. Called inside the writing transaction (a change rolled back leaves a token
    nobody reads) by ``schools.signals`` and the bulk writes of ``schools.querysets``;
    a write in raw SQL to what ``_load_facts`` reads must call it too."""
    from .models import AccessVersion

    token = secrets.token_hex(16)
    if not AccessVersion.objects.filter(pk=1).update(token=token):
        AccessVersion.objects.bulk_create([AccessVersion(pk=1, token=token)], ignore_conflicts=True)
        AccessVersion.objects.filter(pk=1).update(token=token)


def _load_facts(user) -> tuple:
    """What the reach of a person is computed from, read from the database (2-3
    queries): active memberships, the role groups' permissions (with their ids: a grant
    of one is then looked up by id, without joining the permission and content type
    tables into every scope), and the schools curated by a methodologist."""
    from .models import CuratorAssignment, Membership

    memberships = list(
        Membership.objects.filter(
            user=user, is_active=True, organisation__is_active=True
        ).values_list(
            "role",
            "organisation_id",
            "organisation__kind",
            "organisation__region_id",
            "organisation__municipality_id",
        )
    )
    roles = {m[0] for m in memberships}
    names = {group_name(role): role for role in roles}
    role_perms: dict[str, set[str]] = {role: set() for role in roles}
    permission_ids: dict[str, int] = {}
    if names:
        rows = Permission.objects.filter(group__name__in=names).values_list(
            "group__name", "content_type__app_label", "codename", "id"
        )
        for gname, app_label, codename, permission_id in rows:
            role_perms[names[gname]].add(f"{app_label}.{codename}")
            permission_ids[f"{app_label}.{codename}"] = permission_id
    curated: list[tuple[int, int, int]] = []
    if Role.METHODOLOGIST in roles:
        curated = list(
            CuratorAssignment.objects.filter(curator=user, school__is_active=True).values_list(
                "school_id", "school__region_id", "school__municipality_id"
            )
        )
    return memberships, role_perms, permission_ids, curated


class _AccessCache:
    """Per-user facts kept on the user for one request: from the cache under the access
    version (1 query for the version), or read from the database (3-4 queries)."""

    def __init__(self, user) -> None:
        token = access_version() if user.pk is not None else None
        key = _FACTS_KEY.format(token=token, user=user.pk)
        facts = django_cache.get(key) if token else None
        if facts is None:
            facts = _load_facts(user)
            if token:
                django_cache.set(key, facts, FACTS_TIMEOUT)
        self.memberships: list[tuple] = facts[0]
        self.role_perms: dict[str, set[str]] = facts[1]
        self.permission_ids: dict[str, int] = facts[2]
        self.curated: list[tuple[int, int, int]] = facts[3]
        self.scopes: dict[str, Scope] = {}


def _cache(user) -> _AccessCache:
    cache = getattr(user, "_access_cache", None)
    if cache is None:
        cache = _AccessCache(user)
        user._access_cache = cache
    return cache


def forget(user) -> None:
    """Drop the cached scope (after memberships change within one request or test)."""
    if hasattr(user, "_access_cache"):
        del user._access_cache


def scope_for(user, perm: str) -> Scope:
    """The reach of one permission for one person."""
    if (
        user is None
        or isinstance(user, AnonymousUser)
        or not user.is_authenticated
        or not user.is_active
    ):
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    cache = _cache(user)
    if perm in cache.scopes:
        return cache.scopes[perm]
    scope = Scope()
    for role, org_id, kind, region_id, municipality_id in cache.memberships:
        if perm not in cache.role_perms.get(role, ()):
            continue
        reach = role_reach(role, kind, municipality_id is not None, perm)
        if reach == Reach.REGION:
            scope.regions.add(region_id)
        elif reach == Reach.MUNICIPALITY:
            scope.municipalities.add(municipality_id)
        else:
            scope.organisations.add(org_id)
        scope.container_regions.add(region_id)
        if municipality_id:
            scope.container_municipalities.add(municipality_id)
    if cache.curated and perm in CURATOR_PERMISSIONS:
        for school_id, region_id, municipality_id in cache.curated:
            scope.organisations.add(school_id)
            scope.container_regions.add(region_id)
            scope.container_municipalities.add(municipality_id)
    cache.scopes[perm] = scope
    return scope


def member_roles(user) -> list[tuple[str, int, int, int | None]]:
    """The person's active memberships as (role, organisation id, region id, municipality
    id), from the facts loaded once per request."""
    if (
        user is None
        or isinstance(user, AnonymousUser)
        or not user.is_authenticated
        or not user.is_active
    ):
        return []
    return [
        (role, org_id, region_id, municipality_id)
        for role, org_id, _kind, region_id, municipality_id in _cache(user).memberships
    ]


def member_organisations(user, perm: str) -> list[int]:
    """The organisations in which the person holds ``perm`` through their own membership
    (not through its reach): whose work is "mine" — a deputy's school, a coordinator's
    authority. In the order of the memberships, each once; no query beyond the cached
    memberships."""
    if (
        user is None
        or isinstance(user, AnonymousUser)
        or not user.is_authenticated
        or not user.is_active
    ):
        return []
    cache = _cache(user)
    found: list[int] = []
    for role, org_id, *_ in cache.memberships:
        if perm in cache.role_perms.get(role, ()) and org_id not in found:
            found.append(org_id)
    return found


def has_verb(user, perm: str) -> bool:
    """Does the person hold this verb anywhere (for menus; objects still go through scope)."""
    return not scope_for(user, perm).is_empty


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows hang on the tenant tree.

    Subclasses name the paths from the row to its region, municipality and organisation;
    ``grant_model`` is the guardian direct-FK model whose grants add single rows.
    """

    region_path: str | None = None
    municipality_path: str | None = None
    organisation_path: str | None = None
    grant_model_name: str | None = None  # "app_label.ModelName" of the direct-FK grants

    def scope_q(self, scope: Scope, action: str) -> Q:
        q = Q(pk__in=[])
        if scope.regions and self.region_path:
            q |= Q(**{f"{self.region_path}__in": scope.regions})
        if scope.municipalities and self.municipality_path:
            q |= Q(**{f"{self.municipality_path}__in": scope.municipalities})
        if scope.organisations and self.organisation_path:
            q |= Q(**{f"{self.organisation_path}__in": scope.organisations})
        return q

    def grants_q(self, user, perm: str) -> Q:
        if not self.grant_model_name:
            return Q(pk__in=[])
        from django.apps import apps

        grant_model = apps.get_model(self.grant_model_name)
        permission_id = _cache(user).permission_ids.get(perm)
        if permission_id is not None:
            granted = grant_model.objects.filter(user=user, permission_id=permission_id)
        else:
            app_label, codename = perm.split(".", 1)
            granted = grant_model.objects.filter(
                user=user,
                permission__codename=codename,
                permission__content_type__app_label=app_label,
            )
        granted = granted.order_by().values("content_object_id")
        return Q(pk__in=granted)

    def for_user(self, user, action: str = "view"):
        """The rows this person may ``action``; the one scoping entry point per model."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        perm = permission_name(self.model, action)
        scope = scope_for(user, perm)
        if scope.everything:
            return self.all()
        q = self.scope_q(scope, action) | self.grants_q(user, perm)
        return self.filter(q)


def object_grants(user, obj) -> set[str]:
    """The verbs ("app.codename") granted to this person on this one object through its
    guardian direct-FK grants (one query; none for a model without grants)."""
    queryset = type(obj)._default_manager.all()
    name = getattr(queryset, "grant_model_name", None)
    if not name or user is None or not getattr(user, "is_authenticated", False):
        return set()
    from django.apps import apps

    rows = (
        apps.get_model(name)
        .objects.filter(user=user, content_object_id=obj.pk)
        .values_list("permission__content_type__app_label", "permission__codename")
    )
    return {f"{app_label}.{codename}" for app_label, codename in rows}


def get_object_for_user(
    model: type[models.Model],
    user,
    pk,
    action: str = "view",
    *,
    select_related: tuple[str, ...] = (),
):
    """One object through the access model: 404 when missing or foreign, 403 when
    visible but the verb is not allowed."""
    try:
        visible = model.objects.for_user(user, "view")
        if select_related:
            visible = visible.select_related(*select_related)
        obj = visible.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND_MESSAGE) from None
    if action != "view" and not model.objects.for_user(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    return obj


def allowed_ids(model: type[models.Model], user, action: str, ids) -> set[int]:
    """Which of these rows the person may ``action``: one query for a whole list (the
    list's permissions are fetched at once, never checked row by row)."""
    ids = list(ids)
    if not ids:
        return set()
    return set(model.objects.for_user(user, action).filter(pk__in=ids).values_list("pk", flat=True))


# Role grants ======================================================================
#
# Which roles an organisation may hold is the kind rule (``schools.roles.ROLES_BY_KIND``,
# ``role_fits``); it binds everyone, the seed and the shell included (``Membership.clean``).
# Who may grant a role is the grant rule: the acting person grants only a role whose reach
# (``roles.role_reach``) lies within their own reach for the directory-management verb in
# use, never to themself; a superuser may grant whatever fits; ``SYSTEM`` (seed, shell)
# is not asked.

GRANT_VERBS = frozenset(
    {"schools.add_membership", "schools.change_membership", "schools.import_directory"}
)
REGIONAL_ROLE_MESSAGE = (
    "Роль «Региональный координатор» дают только в региональной организации (без муниципалитета)."
)
MUNICIPAL_ROLE_MESSAGE = (
    "Роль «Муниципальный координатор» дают только в организации муниципалитета."
)
UNKNOWN_ROLE_MESSAGE = "Неизвестная роль."
SELF_GRANT_MESSAGE = "Нельзя выдать или изменить роль самому себе: это делает другой сотрудник."
GRANT_REACH_MESSAGE = (
    "Эта роль охватывает больше, чем ваша зона ответственности: выдать её вы не можете."
)
STAFF_ROLE_IMPORT_MESSAGE = "Роль «Администратор» через импорт не выдаётся."


def role_kind_error(role: str, organisation) -> str | None:
    """Why an organisation cannot hold this role (None when it can): the kind rule."""
    from .constants import OrganisationKind

    if organisation is None or not role:
        return None
    if role not in Role.values:
        return UNKNOWN_ROLE_MESSAGE
    has_municipality = organisation.municipality_id is not None
    if role_fits(role, organisation.kind, has_municipality):
        return None
    if role == Role.REGIONAL_COORDINATOR and has_municipality:
        return REGIONAL_ROLE_MESSAGE
    if role == Role.MUNICIPAL_COORDINATOR and role in ROLES_BY_KIND.get(organisation.kind, ()):
        return MUNICIPAL_ROLE_MESSAGE
    kind = OrganisationKind(organisation.kind).label if organisation.kind else "—"
    return f"Роль «{Role(role).label}» не бывает у организации типа «{kind}»."


def _reach_within(scope: Scope, organisation, reach: str) -> bool:
    """Whether a membership of this reach in this organisation lies inside the scope."""
    if scope.everything or organisation.region_id in scope.regions:
        return True
    if reach == Reach.REGION:
        return False
    if organisation.municipality_id and organisation.municipality_id in scope.municipalities:
        return True
    if reach == Reach.MUNICIPALITY:
        return False
    return organisation.pk is not None and organisation.pk in scope.organisations


def grant_error(acting_user, *, person, organisation, role: str, verb: str) -> str | None:
    """Why ``acting_user`` may not give ``person`` the role ``role`` in ``organisation``
    with the directory-management verb ``verb`` (None when they may).

    The kind rule first (it binds everyone); then, unless the actor is ``SYSTEM`` or a
    superuser: never to oneself; the reach of the granted membership must lie within the
    actor's own reach for ``verb`` (so never wider than the actor's own); the staff role
    is never given through the import verb."""
    if verb not in GRANT_VERBS:
        raise ValueError(f"{verb!r} is not a directory-management verb.")
    error = role_kind_error(role, organisation)
    if error or acting_user is SYSTEM:
        return error
    if (
        acting_user is None
        or not getattr(acting_user, "is_authenticated", False)
        or not acting_user.is_active
    ):
        return FORBIDDEN_MESSAGE
    if acting_user.is_superuser:
        return None
    if person is not None and person.pk is not None and person.pk == acting_user.pk:
        return SELF_GRANT_MESSAGE
    if role in STAFF_ROLES and verb == "schools.import_directory":
        return STAFF_ROLE_IMPORT_MESSAGE
    reach = role_reach(role, organisation.kind, organisation.municipality_id is not None)
    if not _reach_within(scope_for(acting_user, verb), organisation, reach):
        return GRANT_REACH_MESSAGE
    return None


class _System:
    """The acting user of trusted, non-interactive work (management commands, the demo
    seed, migrations): the reach check of ``recheck`` does not apply to it; every other
    rule of the services still does."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def recheck(user, action: str, *objects: models.Model) -> None:
    """The one re-check of reach that every service creating or moving tenant rows calls
    inside its transaction, after the write: each object must be within
    ``for_user(user, action)``. Otherwise ``PermissionDenied`` is raised, and the
    service's ``transaction.atomic`` rolls the whole change back.

    One query per model, however many objects. Called outside a transaction it is a
    programming error (the write would already be committed)."""
    from django.db import connection

    if not connection.in_atomic_block:
        raise RuntimeError("access.recheck() must run inside the writing transaction.")
    if user is SYSTEM:
        return
    by_model: dict[type[models.Model], set] = {}
    for obj in objects:
        if obj is None:
            continue
        if obj.pk is None:
            raise RuntimeError(f"access.recheck() got an unsaved {type(obj).__name__}.")
        by_model.setdefault(type(obj), set()).add(obj.pk)
    for model, pks in by_model.items():
        # Unordered: a model's default ordering may join other tables for nothing here.
        found = (
            model.objects.for_user(user, action)
            .filter(pk__in=pks)
            .order_by()
            .values_list("pk", flat=True)
        )
        if set(found) != pks:
            raise PermissionDenied(FORBIDDEN_MESSAGE)
