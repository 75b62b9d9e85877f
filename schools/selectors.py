"""Reads for the directory pages: scoped through ``for_user`` and prefetched, with a
number of queries that does not depend on the size of the directory."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from . import access
from .constants import OrganisationKind, Role
from .models import CuratorAssignment, Membership, Municipality, Organisation, Region, User

FLAG_FILTERS = {
    "low_results": Q(is_low_results=True),
    "unfavourable": Q(is_unfavourable=True),
    "leader": Q(is_leader=True),
    "growth": Q(growth_year_from__isnull=False),
}
FLAG_LABELS = {
    "low_results": "ШНОР",
    "unfavourable": "ШНСУ",
    "leader": "Школа-лидер",
    "growth": "Школа роста",
}

VERB_LABELS = [
    ("schools.view_organisation", "Просматривать справочник организаций"),
    ("schools.change_organisation", "Редактировать карточки организаций"),
    ("schools.add_curatorassignment", "Закреплять кураторов за школами"),
    ("schools.import_directory", "Импортировать справочник"),
    ("schools.export_directory", "Выгружать справочник"),
    ("roadmaps.view_roadmap", "Просматривать дорожные карты"),
    ("roadmaps.change_roadmap", "Редактировать дорожные карты"),
    ("roadmaps.submit_roadmap", "Отправлять планы на согласование"),
    ("roadmaps.approve_roadmap", "Утверждать планы"),
    ("roadmaps.import_roadmap", "Импортировать планы из Word и Excel"),
]
REACH_LABELS = {
    "region": "в регионе",
    "municipality": "в муниципалитете",
    "organisation": "в своей организации",
}


def _school_counts():
    schools = Q(organisations__kind=OrganisationKind.SCHOOL, organisations__is_active=True)
    return {
        "school_count": Count("organisations", filter=schools, distinct=True),
        "low_results_count": Count(
            "organisations", filter=schools & Q(organisations__is_low_results=True), distinct=True
        ),
    }


def region_list(user):
    return Region.objects.for_user(user, "view").annotate(
        municipality_count=Count("municipalities", distinct=True), **_school_counts()
    )


def municipality_list(user, region: Region):
    return (
        Municipality.objects.for_user(user, "view")
        .filter(region=region)
        .annotate(organisation_count=Count("organisations", distinct=True), **_school_counts())
        .order_by("name")
    )


def organisations_of(
    user, *, municipality: Municipality | None = None, region: Region | None = None
):
    qs = Organisation.objects.for_user(user, "view").select_related("municipality")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if region is not None:
        qs = qs.filter(region=region, municipality__isnull=True)
    return qs.order_by("kind", "short_name")


@dataclass
class OrganisationFilters:
    q: str = ""
    kind: str = ""
    municipality: int | None = None
    flags: tuple[str, ...] = ()


def organisation_search(user, filters: OrganisationFilters):
    qs = (
        Organisation.objects.for_user(user, "view")
        .select_related("municipality", "region")
        .search(filters.q)
    )
    if filters.kind in OrganisationKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.municipality:
        qs = qs.filter(municipality_id=filters.municipality)
    for flag in filters.flags:
        if flag in FLAG_FILTERS:
            qs = qs.filter(FLAG_FILTERS[flag])
    return qs.order_by("municipality__name", "kind", "short_name")


def municipality_choices(user):
    return (
        Municipality.objects.for_user(user, "view")
        .select_related("region")
        .order_by("region__name", "name")
    )


def organisation_people(user, organisation: Organisation):
    """Memberships of the organisation whose people the viewer may see."""
    visible_people = User.objects.for_user(user, "view").values("pk")
    return (
        Membership.objects.for_user(user, "view")
        .filter(organisation=organisation, is_active=True, user__in=visible_people)
        .select_related("user")
        .order_by("role", "user__last_name")
    )


def organisation_curators(user, organisation: Organisation):
    return (
        CuratorAssignment.objects.for_user(user, "view")
        .filter(school=organisation)
        .select_related("curator")
    )


def person_search(
    user,
    *,
    q: str = "",
    role: str = "",
    organisation: int | None = None,
    municipality: int | None = None,
):
    visible_orgs = Organisation.objects.for_user(user, "view")
    memberships = Membership.objects.filter(
        is_active=True, organisation__in=visible_orgs
    ).select_related("organisation")
    qs = User.objects.for_user(user, "view").filter(is_active=True).search(q)
    if role in Role.values:
        qs = qs.filter(pk__in=memberships.filter(role=role).values("user_id"))
    if organisation:
        qs = qs.filter(pk__in=memberships.filter(organisation_id=organisation).values("user_id"))
    if municipality:
        qs = qs.filter(
            pk__in=memberships.filter(organisation__municipality_id=municipality).values("user_id")
        )
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=memberships.order_by("organisation__short_name"),
            to_attr="visible_memberships",
        )
    ).order_by("last_name", "first_name", "username")


def person_memberships(user, person: User):
    return (
        Membership.objects.filter(
            user=person,
            is_active=True,
            organisation__in=Organisation.objects.for_user(user, "view"),
        )
        .select_related("organisation", "organisation__municipality")
        .order_by("organisation__short_name")
    )


@dataclass
class HomeSummary:
    memberships: list
    verbs: list[tuple[str, str]]
    counts: dict


def home_summary(user) -> HomeSummary:
    """What the home page tells a person: where they work, what they may do and where,
    and how much of the directory is within reach."""
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).select_related(
            "organisation", "organisation__municipality", "organisation__region"
        )
    )
    verbs = []
    for perm, label in VERB_LABELS:
        scope = access.scope_for(user, perm)
        if scope.everything:
            verbs.append((label, "везде"))
        elif not scope.is_empty:
            reach = (
                "region"
                if scope.regions
                else "municipality"
                if scope.municipalities
                else "organisation"
            )
            verbs.append((label, REACH_LABELS[reach]))
    organisations = Organisation.objects.for_user(user, "view").filter(is_active=True)
    counts = organisations.aggregate(
        organisations=Count("pk"),
        schools=Count("pk", filter=Q(kind=OrganisationKind.SCHOOL)),
        low_results=Count("pk", filter=Q(kind=OrganisationKind.SCHOOL, is_low_results=True)),
        municipalities=Count("municipality", distinct=True),
    )
    return HomeSummary(memberships=memberships, verbs=verbs, counts=counts)


# --- responsible organisations ------------------------------------------------------------


def responsible_candidates(owner: Organisation) -> list[tuple[int, str]]:
    """The organisations a plan of ``owner`` may name in «Ответственные»: the active ones
    of the owner's municipality and the regional bodies (no municipality) of its region,
    as (pk, short name in lower case); those without a short name cannot be named."""
    scope = Q(municipality__isnull=True)
    if owner.municipality_id:
        scope |= Q(municipality_id=owner.municipality_id)
    rows = (
        Organisation.objects.filter(scope, region_id=owner.region_id, is_active=True)
        .exclude(short_name="")
        .order_by("pk")
        .values_list("pk", "short_name")
    )
    return [(pk, name.lower()) for pk, name in rows if name]


def match_responsible(text: str | None, candidates: list[tuple[int, str]]) -> list[int]:
    """The ids of the candidates whose short name occurs in ``text`` as written (case
    aside). Pure: the candidates come from responsible_candidates, once per plan."""
    lowered = (text or "").lower()
    return [pk for pk, name in candidates if name and name in lowered]
