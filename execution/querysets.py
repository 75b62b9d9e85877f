"""Scoped querysets of execution records.

A record is visible to those who see its plan and to whoever reaches the organisation that
owes it (the deputy of the school sees its rows of a municipal plan without seeing the
rest of it). Marking and reviewing are verbs on the organisation that owes the record:
``execution.mark_executionrecord`` (the school's director and deputy on their school; the
municipal coordinator and methodologists in their municipality) and
``execution.review_executionrecord`` (curators on their assigned schools; the municipal
coordinator in the municipality) — see ``schools.roles``.
"""

from __future__ import annotations

from django.db.models import Q

from schools.access import ScopedQuerySet, permission_name, scope_for

VIEW = "execution.view_executionrecord"
MARK = "execution.mark_executionrecord"
REVIEW = "execution.review_executionrecord"


class ExecutionRecordQuerySet(ScopedQuerySet):
    region_path = "organisation__region_id"
    municipality_path = "organisation__municipality_id"
    organisation_path = "organisation_id"

    def for_user(self, user, action: str = "view"):
        """The records this person may ``action``. Viewing adds the records of every
        plan the person sees (ids subquery: one row never listed twice)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        perm = permission_name(self.model, action)
        scope = scope_for(user, perm)
        if scope.everything:
            return self.all()
        q = self.scope_q(scope, action)
        if perm == VIEW:
            from roadmaps.models import Roadmap

            # The plans the person reaches or was granted — not those seen only because
            # their organisation owes some of the plan's work: a school sees its own rows
            # of a municipal plan, never another school's.
            plans = Roadmap.objects.reached_by(user, "view").order_by().values("pk")
            q |= Q(measure__roadmap__in=plans)
        return self.filter(q)

    def owed_plan_ids(self, user):
        """Ids of the plans that owe work to organisations in the person's reach for
        viewing records (schools and curated schools; municipalities for coordinators),
        as a subquery — or None when that reach is empty. Regions are left out: a
        regional reach already sees every plan owned in the region."""
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        scope = scope_for(user, VIEW)
        if scope.everything or not (scope.organisations or scope.municipalities):
            return None
        q = Q(pk__in=[])
        if scope.municipalities:
            q |= Q(organisation__municipality_id__in=scope.municipalities)
        if scope.organisations:
            q |= Q(organisation_id__in=scope.organisations)
        return self.filter(q).order_by().values("measure__roadmap_id")


class EvidenceQuerySet(ScopedQuerySet):
    """Evidence is seen with its record; adding or removing it is marking the record."""

    def for_user(self, user, action: str = "view"):
        from .models import ExecutionRecord

        verb = VIEW if action == "view" else MARK
        records = ExecutionRecord.objects.for_user(user, verb).order_by().values("pk")
        return self.filter(record__in=records)
