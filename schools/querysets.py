"""Scoped querysets of the schools app: how each model hangs on the tenant tree.

The rules themselves live in ``schools.access``; here each model only names its paths.
"""

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db.models import Q

from .access import Scope, ScopedQuerySet, access_changed


class AccessFactsQuerySet(ScopedQuerySet):
    """Rows a person's reach is computed from (``schools.access._load_facts``): a bulk
    write gives the access version a new token, as a save or delete does through
    ``schools.signals``, which bulk writes do not send."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        access_changed()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        access_changed()
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        access_changed()
        return rows


class RegionQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: str) -> Q:
        ids = set(scope.regions)
        if action == "view":
            ids |= scope.container_regions
        return Q(pk__in=ids)


class MunicipalityQuerySet(ScopedQuerySet):
    region_path = "region_id"
    organisation_path = None

    def scope_q(self, scope: Scope, action: str) -> Q:
        ids = set(scope.municipalities)
        if action == "view":
            ids |= scope.container_municipalities
        q = Q(pk__in=ids)
        if scope.regions:
            q |= Q(region_id__in=scope.regions)
        return q


class OrganisationQuerySet(AccessFactsQuerySet):
    region_path = "region_id"
    municipality_path = "municipality_id"
    organisation_path = "id"
    grant_model_name = "schools.OrganisationUserObjectPermission"

    def schools(self):
        from .constants import OrganisationKind

        return self.filter(kind=OrganisationKind.SCHOOL)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(short_name__icontains=text) | Q(full_name__icontains=text) | Q(inn=text)
        )


class MembershipQuerySet(AccessFactsQuerySet):
    region_path = "organisation__region_id"
    municipality_path = "organisation__municipality_id"
    organisation_path = "organisation_id"

    def active(self):
        return self.filter(is_active=True, organisation__is_active=True)


class CuratorAssignmentQuerySet(AccessFactsQuerySet):
    region_path = "school__region_id"
    municipality_path = "school__municipality_id"
    organisation_path = "school_id"


class UserQuerySet(ScopedQuerySet):
    """People are visible through their memberships in organisations within reach;
    everyone sees themselves."""

    def scope_q(self, scope: Scope, action: str) -> Q:
        from .models import Membership

        membership_q = Membership.objects.none().scope_q(scope, action)
        members = Membership.objects.filter(membership_q, is_active=True).values("user_id")
        return Q(pk__in=members)

    def for_user(self, user, action: str = "view"):
        qs = super().for_user(user, action)
        if action == "view" and user is not None and user.is_authenticated and user.is_active:
            qs = qs | self.filter(pk=user.pk)
        return qs

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        q = Q()
        for word in text.split():
            q &= (
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(middle_name__icontains=word)
                | Q(username__icontains=word)
                | Q(position__icontains=word)
            )
        return self.filter(q)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass
