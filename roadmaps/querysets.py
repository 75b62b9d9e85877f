"""Scoped querysets of roadmaps: a plan hangs on its owner organisation; its parts hang
on the plan."""

from django.db.models import Q

from schools.access import ScopedQuerySet, permission_name, scope_for

VIEW_VERB = "roadmaps.view_roadmap"


class RoadmapQuerySet(ScopedQuerySet):
    region_path = "owner__region_id"
    municipality_path = "owner__municipality_id"
    organisation_path = "owner_id"
    grant_model_name = "roadmaps.RoadmapUserObjectPermission"

    def for_user(self, user, action: str = "view"):
        """The plans of the person's reach and grants; for viewing, also the plans their
        organisation is asked to agree, and the plans that assign work to their
        organisation (``roadmaps.extensions``: a school's deputy reads the municipal plan
        whose measures the school executes)."""
        if permission_name(self.model, action) != VIEW_VERB:
            return self.reached_by(user, action)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = scope_for(user, VIEW_VERB)
        if scope.everything:
            return self.all()
        from .extensions import extra_visible_plans

        q = self.scope_q(scope, action) | self.grants_q(user, VIEW_VERB)
        # An organisation asked to agree a plan sees it (its head and coordinator).
        from .workflow import agreeing_organisations

        asked = agreeing_organisations(user)
        if asked:
            from .models import PlanConcurrence

            q |= Q(
                pk__in=PlanConcurrence.objects.filter(requested=True, organisation_id__in=asked)
                .order_by()
                .values("roadmap_id")
            )
        for subquery in extra_visible_plans(user):
            q |= Q(pk__in=subquery)
        return self.filter(q)

    def reached_by(self, user, action: str = "view"):
        """The plans of the person's reach and grants only (what the rule table gives;
        the execution records of a plan are visible to those who reach it this way)."""
        return super().for_user(user, action)


class RoadmapPartQuerySet(ScopedQuerySet):
    """Sections, measures and concurrences: visible and editable with their plan."""

    roadmap_path = "roadmap"

    def for_user(self, user, action: str = "view"):
        """Rows of the plans the person may ``action``: adding or deleting a part of a
        plan is changing the plan."""
        from .models import Roadmap

        verb = action if "." in action else f"roadmaps.{action}_roadmap"
        if action in {"add", "delete"}:
            verb = "roadmaps.change_roadmap"
        # Ids only, unordered: the subquery compiles and plans faster than the whole rows.
        plans = Roadmap.objects.for_user(user, verb).order_by().values("pk")
        return self.filter(**{f"{self.roadmap_path}__in": plans})


class MeasureWindowQuerySet(RoadmapPartQuerySet):
    roadmap_path = "measure__roadmap"


class ImportJobQuerySet(ScopedQuerySet):
    """Uploads being imported: only the person who uploaded one sees it, and only while
    its owner organisation is within their reach for importing plans. Everyone else —
    colleagues of the same organisation included — gets the same 404 as for a missing job."""

    region_path = "owner__region_id"
    municipality_path = "owner__municipality_id"
    organisation_path = "owner_id"

    IMPORT_VERB = "roadmaps.import_roadmap"

    def for_user(self, user, action: str = "view"):
        """Whatever the action, a job is the uploader's own within the import verb's reach."""
        return super().for_user(user, self.IMPORT_VERB).filter(created_by=user)
