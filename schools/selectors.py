"""Reads for the directory pages: scoped through ``for_user`` and prefetched, with a
number of queries that does not depend on the size of the directory."""

from __future__ import annotations

import re
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


# --- organisations named in a document ------------------------------------------------------
#
# Documents name organisations as people write them: the short name with other quotes
# («МБОУ "Ефимовская СОШ"»), «СОШ №3» for «СОШ № 3», the full name in the genitive
# («…управления образования администрации…»). The stem rule is the one of
# ``roadmaps.services.workflow.document_matches`` (the «СОГЛАСОВАНО» rows), for any list.

_NAME_QUOTES = re.compile(r"[\"«»“”„'`]+")
_NAME_WORD = re.compile(r"[а-яa-z0-9]+")
_NAME_NUMBER = re.compile(r"№\s*")
_NAME_BOUNDARY = "[а-яa-z0-9]"
# Share of an organisation's full name (as word stems) a text must carry to name it.
NAME_STEM_SHARE = 0.75


def normalised_name(text: str) -> str:
    """Lower case, «ё» as «е», every kind of quote as ", «№3» as «№ 3», single spaces."""
    text = _NAME_QUOTES.sub('"', (text or "").lower().replace("ё", "е"))
    return " ".join(_NAME_NUMBER.sub("№ ", text).split())


def _name_stems(text: str) -> frozenset[str]:
    return frozenset(w[:5] for w in _NAME_WORD.findall(normalised_name(text)) if len(w) >= 4)


def _names_in(name: str, text: str) -> bool:
    """``name`` occurs in ``text`` as whole words («СОШ № 1» is not in «СОШ № 12»)."""
    if not name:
        return False
    pattern = rf"(?<!{_NAME_BOUNDARY}){re.escape(name)}(?!{_NAME_BOUNDARY})"
    return re.search(pattern, text) is not None


@dataclass(frozen=True)
class NameCandidate:
    pk: int
    short_name: str
    full_name: str


class NameIndex:
    """Organisations to recognise in texts, prepared once for a list of texts (pure: the
    candidates are loaded by the caller, already narrowed to the person's reach)."""

    def __init__(self, candidates) -> None:
        self.candidates = [
            (
                c.pk,
                normalised_name(c.short_name),
                normalised_name(c.full_name),
                _name_stems(c.full_name),
            )
            for c in candidates
        ]
        self.exact: dict[str, set[int]] = {}
        for pk, short, full, _ in self.candidates:
            for name in (short, full):
                if name:
                    self.exact.setdefault(name, set()).add(pk)

    def match(self, text: str) -> list[int]:
        """The candidates ``text`` names: the one whose short or full name it is; else
        those whose full name it contains; else those whose short name (longer than five
        characters) it contains, the longest such names only; else those whose name
        contains it (a name written short: «СОШ № 3»); else the one whose full name most of
        its stems carry (at least ``NAME_STEM_SHARE``, no tie). Several ids mean the text
        is ambiguous; none, that nothing matches."""
        text = normalised_name(text)
        if not text:
            return []
        if text in self.exact:
            return sorted(self.exact[text])
        hits = [pk for pk, _, full, _ in self.candidates if _names_in(full, text)]
        if hits:
            return sorted(set(hits))
        found = [
            (len(short), pk)
            for pk, short, _, _ in self.candidates
            if len(short) > 5 and _names_in(short, text)
        ]
        if found:
            longest = max(length for length, _ in found)
            return sorted({pk for length, pk in found if length == longest})
        if len(text) > 5:
            shortened = [
                pk
                for pk, short, full, _ in self.candidates
                if _names_in(text, short) or _names_in(text, full)
            ]
            if shortened:
                return sorted(set(shortened))
        stems = _name_stems(text)
        scored = sorted(
            (
                (len(own & stems) / len(own), pk)
                for pk, _, _, own in self.candidates
                if len(own) >= 2
            ),
            reverse=True,
        )
        if (
            scored
            and scored[0][0] >= NAME_STEM_SHARE
            and (len(scored) == 1 or scored[1][0] < scored[0][0])
        ):
            return [scored[0][1]]
        return []
