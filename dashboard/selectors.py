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
from schools.access import member_organisations, member_roles, scope_for
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
    # Monitoring campaigns the person's schools have not answered (or must correct).
    answers: list = field(default_factory=list)
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
            or self.answers
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
    reporting = member_organisations(user, "monitoring.change_indicatorvalue")
    if reporting:
        result.answers = _open_answers(user, reporting)
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


def _open_answers(user, organisation_ids: list[int]) -> list:
    """The campaigns the person's own schools still owe an answer to (one query)."""
    from monitoring.constants import ResponseState
    from monitoring.models import CampaignResponse

    return list(
        CampaignResponse.objects.for_user(user, "view")
        .filter(
            school_id__in=organisation_ids,
            state__in=(ResponseState.PENDING, ResponseState.REOPENED),
            campaign__closed_at__isnull=True,
        )
        .select_related("campaign", "school")
        .order_by("campaign__due_on", "pk")[:SHOWN]
    )


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


# --- Dashboards ---------------------------------------------------------------------------
#
# A regional, municipal or school dashboard is shown to those whose reach for viewing
# execution covers the whole region, municipality or school (the regional coordinator and
# the regional body's head: the region and everything in it; the municipal coordinator,
# methodologists, the heads of the authority and the centre: the municipality and its
# schools; a school's director and deputy, its curators: the school). Missing and foreign:
# 404; visible without that reach (a school's deputy on the municipality's page): 403. The
# figures are then the same for everyone shown them, and are cached once per dashboard
# (``dashboard.cache``).

DASHBOARD_VERB = "execution.view_executionrecord"
COVER_MESSAGE = "Эта сводка доступна тем, кто отвечает за {what} целиком."


def _covering_scope(user):
    return scope_for(user, DASHBOARD_VERB)


def dashboard_region(user, pk: int) -> Region:
    from django.core.exceptions import PermissionDenied

    from schools.access import get_object_for_user

    region = get_object_for_user(Region, user, pk)
    scope = _covering_scope(user)
    if not (scope.everything or region.pk in scope.regions):
        raise PermissionDenied(COVER_MESSAGE.format(what="регион"))
    return region


def dashboard_municipality(user, pk: int) -> Municipality:
    from django.core.exceptions import PermissionDenied

    from schools.access import get_object_for_user

    municipality = get_object_for_user(Municipality, user, pk, select_related=("region",))
    scope = _covering_scope(user)
    if not (
        scope.everything
        or municipality.pk in scope.municipalities
        or municipality.region_id in scope.regions
    ):
        raise PermissionDenied(COVER_MESSAGE.format(what="муниципалитет"))
    return municipality


def dashboard_school(user, pk: int) -> Organisation:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from schools.access import NOT_FOUND_MESSAGE, get_object_for_user
    from schools.constants import OrganisationKind

    school = get_object_for_user(Organisation, user, pk, select_related=("region", "municipality"))
    if school.kind != OrganisationKind.SCHOOL:
        raise Http404(NOT_FOUND_MESSAGE)
    scope = _covering_scope(user)
    if not scope.contains(
        region_id=school.region_id,
        municipality_id=school.municipality_id,
        organisation_id=school.pk,
    ):
        raise PermissionDenied(COVER_MESSAGE.format(what="школу"))
    return school


def dashboard_start(user) -> tuple[str, int] | None:
    """The widest dashboard the person has: ("region" | "municipality" | "school", id),
    or None (no query beyond the cached reach, one for the superuser's first region)."""
    scope = _covering_scope(user)
    if scope.everything:
        first = Region.objects.order_by("name").values_list("pk", flat=True).first()
        return ("region", first) if first else None
    if scope.regions:
        return "region", min(scope.regions)
    if scope.municipalities:
        return "municipality", min(scope.municipalities)
    if scope.organisations:
        schools = (
            Organisation.objects.filter(pk__in=scope.organisations, kind="school")
            .order_by("short_name")
            .values_list("pk", flat=True)
        )
        first = schools.first()
        return ("school", first) if first else None
    return None


def regional_dashboard(region: Region, school_year: int | None = None):
    from . import cache

    return cache.regional(region, today_in(region), school_year)


def municipal_dashboard(municipality: Municipality, school_year: int | None = None):
    from . import cache

    return cache.municipal(municipality, today_in(municipality.region), school_year)


def school_dashboard(school: Organisation):
    from . import cache

    return cache.school(school, today_in(school.region))


# How the rows of a regional or municipal dashboard may be sorted (``?sort=…``; a leading
# «-» turns the order round): key → (label, function of a row).
SORTS = {
    "name": ("Название", lambda row: row.name.lower()),
    "schools": ("Школ", lambda row: row.schools),
    "low": ("ШНОР", lambda row: row.low),
    "plans": ("Планов", lambda row: row.plans_total),
    "progress": (
        "Выполнено в срок",
        lambda row: -1 if row.rollup.progress is None else row.rollup.progress,
    ),
    "overdue": ("Просрочено", lambda row: row.rollup.overdue),
    "targets": (
        "Целевые значения",
        lambda row: -1 if row.targets.percent is None else row.targets.percent,
    ),
    "exam": ("ЕГЭ", lambda row: row.latest_ege if row.latest_ege is not None else -1),
}


def sort_rows(rows: list, sort: str) -> tuple[list, str]:
    """The rows in the order asked (unknown: by name); returns the order applied."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "name", False
    ordered = sorted(rows, key=lambda row: row.name.lower())
    ordered.sort(key=SORTS[key][1], reverse=descending)
    return ordered, ("-" if descending else "") + key
