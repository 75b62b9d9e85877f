"""Scoped querysets of partnerships: access follows the parties.

An agreement has several parties, possibly in different municipalities and regions. A
person reaches the agreement when their reach for the verb (``schools.access.scope_for``)
covers any party: the region of a party (regional coordinators read), the municipality of
a party (its coordinator manages, its methodologists and heads read), or a party itself
(the staff of a school that is a party; a curator of such a school). The parties are a
reverse relation, so the scope is a ``pk__in`` subquery of the parties table: an agreement
reachable through two parties is listed once.
"""

from __future__ import annotations

from django.db.models import Q

from schools.access import Scope, ScopedQuerySet

VIEW = "partnerships.view_agreement"
CHANGE = "partnerships.change_agreement"
ADD = "partnerships.add_agreement"
DELETE = "partnerships.delete_agreement"
IMPORT = "partnerships.import_agreement"


def _parties_q(scope: Scope) -> Q:
    q = Q(pk__in=[])
    if scope.regions:
        q |= Q(organisation__region_id__in=scope.regions)
    if scope.municipalities:
        q |= Q(organisation__municipality_id__in=scope.municipalities)
    if scope.organisations:
        q |= Q(organisation_id__in=scope.organisations)
    return q


class AgreementQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: str) -> Q:
        from .models import AgreementParty

        if not (scope.regions or scope.municipalities or scope.organisations):
            return Q(pk__in=[])
        parties = (
            AgreementParty._base_manager.filter(_parties_q(scope)).order_by().values("agreement_id")
        )
        return Q(pk__in=parties)

    def in_force(self):
        from .constants import AgreementStatus

        return self.filter(status=AgreementStatus.SIGNED)


class AgreementPartQuerySet(ScopedQuerySet):
    """Parties and events: seen with their agreement; adding or removing one is changing
    the agreement."""

    def for_user(self, user, action: str = "view"):
        from .models import Agreement

        verb = action if "." in action else f"partnerships.{action}_agreement"
        if action in {"add", "delete"}:
            verb = CHANGE
        agreements = Agreement.objects.for_user(user, verb).order_by().values("pk")
        return self.filter(agreement__in=agreements)


class NetworkExportQuerySet(ScopedQuerySet):
    """A PDF export is its requester's own (as a report is): seen by the person who asked
    for it, and only while they still see what it is about (the municipality or the plan)."""

    def for_user(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        from roadmaps.models import Roadmap
        from schools.models import Municipality

        plans = Roadmap.objects.for_user(user, "view").order_by().values("pk")
        municipalities = Municipality.objects.for_user(user, "view").order_by().values("pk")
        return self.filter(created_by=user).filter(
            Q(roadmap__in=plans) | Q(municipality__in=municipalities)
        )
