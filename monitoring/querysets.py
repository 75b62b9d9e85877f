"""Scoped querysets of monitoring: how each row hangs on the tenant tree (the rules are
``schools.access``)."""

from django.db.models import Q

from schools.access import Scope, ScopedQuerySet


class IndicatorQuerySet(ScopedQuerySet):
    """An indicator belongs to the organisation that set it (a regional body's indicators
    are visible across its region, a municipality's within it). The default catalogue (no
    owner) is visible to everyone who may view indicators; only a superuser changes it."""

    region_path = "owner__region_id"
    municipality_path = "owner__municipality_id"
    organisation_path = "owner_id"

    def scope_q(self, scope: Scope, action: str) -> Q:
        q = super().scope_q(scope, action)
        if action == "view" and not scope.is_empty:
            q |= Q(owner__isnull=True)
        return q


class IndicatorTargetQuerySet(ScopedQuerySet):
    """A target hangs on its region, municipality and school (a plan's: the plan's owner)."""

    region_path = "region_id"
    municipality_path = "municipality_id"
    organisation_path = "organisation_id"


class IndicatorValueQuerySet(ScopedQuerySet):
    region_path = "organisation__region_id"
    municipality_path = "organisation__municipality_id"
    organisation_path = "organisation_id"


class CampaignQuerySet(ScopedQuerySet):
    """A campaign hangs on the organisation that runs it; a school sees its own answer
    (``CampaignResponse``), not the campaign's other schools."""

    region_path = "owner__region_id"
    municipality_path = "owner__municipality_id"
    organisation_path = "owner_id"


class CampaignResponseQuerySet(ScopedQuerySet):
    """An answer hangs on the school that gives it."""

    region_path = "school__region_id"
    municipality_path = "school__municipality_id"
    organisation_path = "school_id"


class ExamResultQuerySet(ScopedQuerySet):
    region_path = "organisation__region_id"
    municipality_path = "organisation__municipality_id"
    organisation_path = "organisation_id"
