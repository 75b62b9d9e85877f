"""What the home page asks of each person, by the roles they hold:

=====================================  =====================================================
who                                    sees first
=====================================  =====================================================
school deputy, director (any holder    «Мои мероприятия»: returned, overdue, due this week
of the verb to mark in their own
organisation)
curator, coordinator (the verb to      marks waiting for their acceptance, oldest first
review)
municipal coordinator, head of an      the municipality's organisations with the most
authority or centre                    overdue records; plans in draft
school director                        the school's progress per plan
regional coordinator, head of a        the region's municipalities with the most overdue
regional body                          records
=====================================  =====================================================

A person with several roles gets every block that applies. «Что я могу делать» (the
roles and verbs) is one click away (``schools`` ``my_access``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.timezones import today_in
from execution import selectors as execution
from execution.rollups import Rollup
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Roadmap
from schools.access import member_roles, scope_for
from schools.constants import Role
from schools.models import Municipality, Organisation, Region

SHOWN = 5


@dataclass
class SchoolProgress:
    organisation: Organisation
    total: Rollup
    plans: list[tuple[Roadmap, Rollup]]


@dataclass
class Home:
    work: execution.MyWork | None = None
    review: execution.ReviewQueue | None = None
    municipalities: list[execution.Overview] = field(default_factory=list)
    regions: list[execution.RegionOverview] = field(default_factory=list)
    schools: list[SchoolProgress] = field(default_factory=list)
    drafts: list[Roadmap] = field(default_factory=list)
    draft_count: int = 0
    has_memberships: bool = False
    # «МОБУ СОШ № 3 · Заместитель директора школы» under the greeting.
    roles: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.work
            or self.review
            or self.municipalities
            or self.regions
            or self.schools
            or self.draft_count
        )


MUNICIPAL_ROLES = {Role.MUNICIPAL_COORDINATOR, Role.HEAD, Role.ADMINISTRATOR}
REGIONAL_ROLES = {Role.REGIONAL_COORDINATOR, Role.HEAD, Role.ADMINISTRATOR}


def home(user) -> Home:
    roles = member_roles(user)
    result = Home(has_memberships=bool(roles))
    names = (
        dict(
            Organisation.objects.filter(pk__in={org for _, org, _, _ in roles}).values_list(
                "pk", "short_name"
            )
        )
        if roles
        else {}
    )
    result.roles = [(names.get(org, ""), Role(role).label) for role, org, _, _ in roles]
    organisations = execution.my_organisations(user)
    if organisations:
        work = execution.my_work(user, organisations=organisations)
        if work.total:  # the organisation owes something on a plan in execution
            result.work = work
    if not scope_for(user, execution.REVIEW).is_empty:
        queue = execution.review_queue(user, limit=SHOWN)
        if queue.total:
            result.review = queue
    municipality_ids = sorted(
        {m for role, _, _, m in roles if role in MUNICIPAL_ROLES and m is not None}
    )
    region_ids = sorted({r for role, _, r, m in roles if role in REGIONAL_ROLES and m is None})
    schools = sorted({org for role, org, _, _ in roles if role == Role.SCHOOL_DIRECTOR})
    if municipality_ids:
        for municipality in (
            Municipality.objects.for_user(user, "view")
            .filter(pk__in=municipality_ids)
            .select_related("region")
        ):
            result.municipalities.append(execution.municipal_overview(user, municipality))
    if region_ids:
        for region in Region.objects.for_user(user, "view").filter(pk__in=region_ids):
            result.regions.append(execution.regional_overview(user, region))
    if schools:
        result.schools = _school_progress(user, schools)
    if not scope_for(user, "roadmaps.change_roadmap").is_empty:
        drafts = Roadmap.objects.for_user(user, "change").filter(
            status=RoadmapStatus.DRAFT, is_template=False
        )
        result.draft_count = drafts.count()
        if result.draft_count:
            result.drafts = list(
                drafts.select_related("owner").order_by("-updated_at", "-pk")[:SHOWN]
            )
    return result


def _school_progress(user, school_ids: list[int]) -> list[SchoolProgress]:
    """Each directed school's roll-up per plan it owes records on (2 queries a school at
    most: the roll-ups and the plans' titles)."""
    found = []
    for school in (
        Organisation.objects.for_user(user, "view")
        .filter(pk__in=school_ids)
        .select_related("region")
    ):
        today = today_in(school.region)
        records = execution.ExecutionRecord.objects.for_user(user, execution.VIEW).filter(
            organisation=school,
            measure__roadmap__status__in=(RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED),
        )
        per_plan = execution.rollups_by(records, "measure__roadmap_id", today)
        if not per_plan:
            continue
        plans = Roadmap.objects.in_bulk(list(per_plan))
        rows = sorted(
            ((plans[pk], value) for pk, value in per_plan.items() if pk in plans),
            key=lambda item: item[0].title,
        )
        total = Rollup()
        for _, value in rows:
            total = total + value
        found.append(SchoolProgress(school, total, rows))
    return found
