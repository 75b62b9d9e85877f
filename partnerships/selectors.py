"""Reads for the partnership pages: scoped through ``for_user``, prefetched, with a number
of queries that does not depend on the number of agreements or parties."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Prefetch, Q, TextField, Value
from django.db.models.functions import Cast

from core.params import id_param, text_param
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Measure, PlanConcurrence, Roadmap
from schools.access import get_object_for_user, member_roles, scope_for
from schools.models import Municipality, Organisation

from . import network as net
from .constants import AgreementKind, AgreementStatus, PartyRole
from .models import Agreement, AgreementEvent, AgreementParty
from .querysets import ADD, CHANGE, DELETE, IMPORT, VIEW
from .rules import DATABASE_HINTS, is_signing_measure

# Plans whose measures an agreement may fulfil or which it may serve (not templates, not
# replaced revisions).
LINKABLE_PLAN_STATUSES = (
    RoadmapStatus.DRAFT,
    RoadmapStatus.CONCURRENCE,
    RoadmapStatus.APPROVED,
    RoadmapStatus.EXECUTION,
)


def _parties_prefetch() -> Prefetch:
    return Prefetch(
        "parties",
        queryset=AgreementParty._base_manager.select_related(
            "organisation", "organisation__municipality"
        ).order_by("order", "pk"),
    )


# --- Lists --------------------------------------------------------------------------------


@dataclass
class ListFilters:
    status: str = ""
    kind: str = ""
    municipality: int | None = None
    organisation: int | None = None
    measure: int | None = None
    roadmap: int | None = None
    search: str = ""

    @classmethod
    def from_query(cls, query) -> ListFilters:
        status = query.get("status", "")
        kind = query.get("kind", "")
        return cls(
            status=status if status in AgreementStatus.values else "",
            kind=kind if kind in AgreementKind.values else "",
            municipality=id_param(query.get("municipality")),
            organisation=id_param(query.get("organisation")),
            measure=id_param(query.get("measure")),
            roadmap=id_param(query.get("plan")),
            search=text_param(query.get("q", "")),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.status
            or self.kind
            or self.municipality
            or self.organisation
            or self.measure
            or self.roadmap
            or self.search
        )


def agreement_list(user, filters: ListFilters | None = None):
    """The agreements the person sees, newest first, parties prefetched (2 queries a page)."""
    filters = filters or ListFilters()
    qs = Agreement.objects.for_user(user, VIEW)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    party_q = Q()
    if filters.municipality:
        party_q &= Q(organisation__municipality_id=filters.municipality)
    if filters.organisation:
        party_q &= Q(organisation_id=filters.organisation)
    if party_q:
        qs = qs.filter(
            pk__in=AgreementParty._base_manager.filter(party_q).order_by().values("agreement_id")
        )
    if filters.measure:
        qs = qs.filter(
            pk__in=Agreement.measures.through.objects.filter(measure_id=filters.measure)
            .order_by()
            .values("agreement_id")
        )
    if filters.roadmap:
        qs = qs.filter(
            pk__in=Agreement.roadmaps.through.objects.filter(roadmap_id=filters.roadmap)
            .order_by()
            .values("agreement_id")
        )
    if filters.search:
        words = filters.search
        named = AgreementParty._base_manager.filter(
            Q(organisation__short_name__icontains=words)
            | Q(organisation__full_name__icontains=words)
        ).values("agreement_id")
        qs = qs.filter(Q(number__icontains=words) | Q(subject__icontains=words) | Q(pk__in=named))
    return qs.prefetch_related(_parties_prefetch()).order_by("-signed_on", "-created_at", "-pk")


def municipality_choices(user) -> list[Municipality]:
    """Municipalities for the list's filter: those the person sees."""
    return list(
        Municipality.objects.for_user(user, "view").select_related("region").order_by("name")
    )


# --- One agreement ------------------------------------------------------------------------


@dataclass
class AgreementPage:
    agreement: Agreement
    parties: list[AgreementParty]
    roadmaps: list[Roadmap]
    measures: list[Measure]
    events: list[AgreementEvent]
    may_change: bool
    may_delete: bool


def agreement_for_page(user, pk: int, action: str = "view") -> Agreement:
    """The agreement through the access model: 404 when missing or foreign, 403 when
    visible without the verb."""
    verb = {"view": VIEW, "change": CHANGE, "delete": DELETE}.get(action, action)
    return get_object_for_user(Agreement, user, pk, verb, select_related=("registrar",))


def agreement_page(user, agreement: Agreement) -> AgreementPage:
    """Everything the agreement's page shows: parties, the plans and measures it links
    that the person sees (the others are counted, not named), its timeline, the person's
    verbs (6 queries)."""
    parties = list(
        AgreementParty._base_manager.filter(agreement=agreement)
        .select_related("organisation", "organisation__municipality", "organisation__region")
        .order_by("order", "pk")
    )
    plans = Roadmap.objects.for_user(user, "view").order_by().values("pk")
    roadmaps = list(
        Roadmap.objects.filter(pk__in=agreement.roadmaps.order_by().values("pk"))
        .filter(pk__in=plans)
        .select_related("owner")
        .order_by("title")
    )
    measures = list(
        Measure.objects.filter(pk__in=agreement.measures.order_by().values("pk"))
        .filter(roadmap__in=plans)
        .select_related("roadmap")
        .order_by("roadmap__title", "order")
    )
    events = list(
        AgreementEvent._base_manager.filter(agreement=agreement)
        .select_related("actor")
        .order_by("at", "pk")
    )
    ids = set(
        Agreement.objects.for_user(user, CHANGE)
        .filter(pk=agreement.pk)
        .values_list("pk", flat=True)
    )
    deletable = agreement.status == AgreementStatus.DRAFT and bool(ids)
    return AgreementPage(
        agreement=agreement,
        parties=parties,
        roadmaps=roadmaps,
        measures=measures,
        events=events,
        may_change=bool(ids),
        may_delete=deletable,
    )


# --- What a form may offer ----------------------------------------------------------------


def party_candidates(user):
    """Organisations the person may name as parties: those they see (their municipality;
    a region for a regional reach), the regional organisations of their region (institutes,
    universities, colleges), the partners their own plans name in «СОГЛАСОВАНО» (the
    centres of other municipalities a network plan is agreed with) and the parties of the
    agreements they manage. Never anything else: a party from a municipality the person
    cannot see is refused."""
    visible = Organisation.objects.for_user(user, "view").order_by().values("pk")
    scope = scope_for(user, ADD)
    regions = set(scope.regions) | set(scope.container_regions)
    if scope.everything:
        return Organisation.objects.filter(is_active=True)
    named = concurrence_organisations(user)
    managed = Agreement.objects.for_user(user, CHANGE).order_by().values("pk")
    parties = (
        AgreementParty._base_manager.filter(agreement__in=managed)
        .order_by()
        .values("organisation_id")
    )
    q = Q(pk__in=visible) | Q(pk__in=named) | Q(pk__in=parties)
    if regions:
        q |= Q(municipality__isnull=True, region_id__in=regions)
    return Organisation.objects.filter(q, is_active=True)


def concurrence_organisations(user) -> set[int]:
    """The organisations the «СОГЛАСОВАНО» rows of the plans the person may change name:
    linked ones, and those an imported row names unmistakably (``NameIndex`` among the
    active organisations of the plans' regions) — 2 queries."""
    plans = Roadmap.objects.for_user(user, "change").order_by().values("pk")
    rows = list(
        PlanConcurrence.objects.filter(roadmap__in=plans)
        .order_by()
        .values_list(
            "organisation_id", "organisation_text", "position", "roadmap__owner__region_id"
        )
    )
    found = {org for org, *_ in rows if org}
    texts = [(f"{text} {position}", region) for org, text, position, region in rows if not org]
    if texts:
        from schools.selectors import NameCandidate, NameIndex

        index = NameIndex(
            NameCandidate(pk, short, full)
            for pk, short, full in Organisation.objects.filter(
                is_active=True, region_id__in={region for _, region in texts}
            ).values_list("pk", "short_name", "full_name")
        )
        for text, _ in texts:
            matched = index.match(text)
            if len(matched) == 1:
                found.add(matched[0])
    return found


def grouped_candidates(user, *, include: set[int] = frozenset()) -> list[tuple[str, list]]:
    """The candidates as the form's select shows them: grouped by municipality (regional
    organisations under their region), own municipality first (1 query)."""
    ids = set(include)
    rows = (
        Organisation.objects.filter(Q(pk__in=party_candidates(user).values("pk")) | Q(pk__in=ids))
        .select_related("municipality", "region")
        .order_by("region__name", "municipality__name", "kind", "short_name")
    )
    home = {m for _, _, _, m in member_roles(user) if m}
    groups: dict[str, list] = defaultdict(list)
    order: dict[str, tuple] = {}
    for org in rows:
        label = org.municipality.name if org.municipality else f"{org.region.name} (регион)"
        groups[label].append((org.pk, org.short_name))
        order.setdefault(label, (org.municipality_id not in home, label))
    return [(label, groups[label]) for label in sorted(groups, key=lambda g: order[g])]


def signing_hints(prefix: str = "") -> Q:
    """The database's first cut of «sign the agreements» measures (``prefix``: the path to
    the measure, e.g. ``"measure__"``): a title or result holding one of the hints;
    ``rules.is_signing_measure`` decides on the few rows left."""
    hints = Q()
    for hint in DATABASE_HINTS:
        hints |= Q(**{f"{prefix}title__contains": hint}) | Q(**{f"{prefix}result__contains": hint})
    return hints


def signing_measures(user, *, include: set[int] = frozenset()) -> list[tuple[str, list]]:
    """«Sign the agreements» measures of the plans the person sees (``rules``), grouped by
    plan; ``include``: measures already linked, offered whatever their words (2 queries)."""
    plans = Roadmap.objects.for_user(user, "view").filter(
        is_template=False, status__in=LINKABLE_PLAN_STATUSES
    )
    rows = (
        Measure.objects.filter(roadmap__in=plans.order_by().values("pk"))
        .filter(signing_hints() | Q(pk__in=list(include)))
        .select_related("roadmap", "roadmap__owner")
        .order_by("roadmap__title", "roadmap_id", "order", "pk")
    )
    groups: dict[int, tuple[str, list]] = {}
    for measure in rows:
        if measure.pk not in include and not is_signing_measure(measure.title, measure.result):
            continue
        plan = measure.roadmap
        label = f"{plan.title[:90]} ({plan.owner.short_name})"
        groups.setdefault(plan.pk, (label, []))[1].append(
            (measure.pk, f"{measure.number} {measure.title[:140]}".strip())
        )
    return list(groups.values())


def plan_choices(user, *, include: set[int] = frozenset()) -> list[tuple[int, str]]:
    """Plans an agreement may serve: those the person sees (1 query)."""
    plans = Roadmap.objects.for_user(user, "view").filter(
        Q(is_template=False, status__in=LINKABLE_PLAN_STATUSES) | Q(pk__in=list(include))
    )
    # Centres' plans (the network plans) first, then the authorities', then the schools'.
    return [
        (plan.pk, f"{plan.title[:120]} ({plan.owner.short_name})")
        for plan in plans.select_related("owner").order_by("owner__kind", "title", "pk")
    ]


@dataclass(frozen=True)
class Verbs:
    view: bool
    add: bool
    import_: bool


def verbs(user) -> Verbs:
    return Verbs(
        view=not scope_for(user, VIEW).is_empty,
        add=not scope_for(user, ADD).is_empty,
        import_=not scope_for(user, IMPORT).is_empty,
    )


# --- The network ---------------------------------------------------------------------------


@dataclass
class Network:
    """A network as its page, its .xlsx and its PDF show it."""

    title: str
    agreements: list[net.AgreementFacts]
    rows: list[net.ListRow]
    layout: net.Layout
    include_all: bool = False
    municipality: Municipality | None = None
    roadmap: Roadmap | None = None
    counts: dict[str, int] = field(default_factory=dict)


ROLE_LABELS = dict(PartyRole.choices)


def facts_of(agreements) -> list[net.AgreementFacts]:
    """Agreements with their prefetched parties as the pure network module takes them."""
    found = []
    for agreement in agreements:
        parties = tuple(
            net.Party(
                organisation=party.organisation_id,
                name=party.organisation.short_name,
                full_name=party.organisation.full_name,
                municipality=party.organisation.municipality.name
                if party.organisation.municipality_id
                else "",
                is_school=party.organisation.is_school,
                is_leader_school=party.organisation.is_leader,
                role=party.role,
                role_label=ROLE_LABELS.get(party.role, party.role),
                signatory=", ".join(
                    x for x in (party.signatory_position, party.signatory_name) if x
                ),
            )
            for party in agreement.parties.all()
        )
        found.append(
            net.AgreementFacts(
                pk=agreement.pk,
                number=agreement.number,
                kind_label=agreement.get_kind_display(),
                status=agreement.status,
                status_label=agreement.get_status_display(),
                signed_on=agreement.signed_on,
                valid_from=agreement.valid_from,
                valid_to=agreement.valid_to,
                subject=agreement.subject,
                support_form=agreement.support_form,
                parties=parties,
            )
        )
    return found


def network(
    user,
    *,
    municipality: Municipality | None = None,
    roadmap: Roadmap | None = None,
    include_all: bool = False,
) -> Network:
    """The network of a municipality (the agreements the person sees with a party in it)
    or of a network plan (those naming the plan or fulfilling its measures): signed ones in
    force, or every state with ``include_all``. 3 queries, whatever the size."""
    qs = Agreement.objects.for_user(user, VIEW)
    if municipality is not None:
        qs = qs.filter(
            pk__in=AgreementParty._base_manager.filter(organisation__municipality=municipality)
            .order_by()
            .values("agreement_id")
        )
        title = f"Сетевое партнёрство: {municipality.name}"
    else:
        named = Agreement.roadmaps.through.objects.filter(roadmap=roadmap).values("agreement_id")
        fulfil = Agreement.measures.through.objects.filter(measure__roadmap=roadmap).values(
            "agreement_id"
        )
        qs = qs.filter(Q(pk__in=named) | Q(pk__in=fulfil))
        title = f"Сетевое партнёрство по плану «{roadmap.title[:150]}»"
    counts = {
        row["status"]: row["n"] for row in qs.order_by().values("status").annotate(n=Count("pk"))
    }
    if not include_all:
        qs = qs.filter(status=AgreementStatus.SIGNED)
    agreements = facts_of(qs.prefetch_related(_parties_prefetch()).order_by("signed_on", "pk"))
    return Network(
        title=title,
        agreements=agreements,
        rows=net.list_rows(agreements),
        layout=net.layout(agreements),
        include_all=include_all,
        municipality=municipality,
        roadmap=roadmap,
        counts=counts,
    )


# --- What the plan page shows ---------------------------------------------------------------


@dataclass
class PlanAgreements:
    """Per measure of a plan: the agreements (visible to the person) linked to it, by
    state; which measures are «sign the agreements» ones; the plan's named agreements."""

    by_measure: dict[int, dict[str, int]]
    signing: set[int]
    named: int


def plan_agreements(user, roadmap: Roadmap) -> PlanAgreements:
    """1 query, a UNION ALL of three reads: the plan's measures whose words hint at
    agreements (ids and words), the links of visible agreements to its measures (their
    states), the visible agreements naming the plan."""
    visible = Agreement.objects.for_user(user, VIEW).order_by().values("pk")

    def rows(queryset, kind: str, pk: str, status=None, title=None, result=None):
        return (
            queryset.order_by()
            .annotate(
                row_kind=Value(kind, output_field=CharField()),
                row_id=F(pk),
                row_status=status or Value("", output_field=CharField()),
                row_title=title or Value("", output_field=TextField()),
                row_result=result or Value("", output_field=TextField()),
            )
            .values_list("row_kind", "row_id", "row_status", "row_title", "row_result")
        )

    hinted = rows(
        Measure.objects.filter(roadmap=roadmap).filter(signing_hints()),
        "measure",
        "pk",
        title=Cast("title", TextField()),
        result=Cast("result", TextField()),
    )
    links = rows(
        Agreement.measures.through.objects.filter(measure__roadmap=roadmap, agreement__in=visible),
        "link",
        "measure_id",
        status=F("agreement__status"),
    )
    named = rows(
        Agreement.roadmaps.through.objects.filter(roadmap=roadmap, agreement__in=visible),
        "named",
        "agreement_id",
    )
    signing: set[int] = set()
    by_measure: dict[int, dict[str, int]] = defaultdict(dict)
    named_count = 0
    for kind, pk, status, title, result in hinted.union(links, named, all=True).order_by():
        if kind == "measure":
            if is_signing_measure(title, result):
                signing.add(pk)
        elif kind == "link":
            by_measure[pk][status] = by_measure[pk].get(status, 0) + 1
            signing.add(pk)
        else:
            named_count += 1
    return PlanAgreements(by_measure=dict(by_measure), signing=signing, named=named_count)


def visible_plan_ids(user):
    """Plans named by a signed agreement to which one of the person's own organisations
    is a party (its staff see the network plan the agreement serves), as an id subquery;
    None when the person has no membership."""
    organisations = {org for _, org, _, _ in member_roles(user)}
    if not organisations:
        return None
    parties = (
        AgreementParty._base_manager.filter(
            organisation_id__in=organisations, agreement__status=AgreementStatus.SIGNED
        )
        .order_by()
        .values("agreement_id")
    )
    return (
        Agreement.roadmaps.through.objects.filter(agreement_id__in=parties)
        .order_by()
        .values("roadmap_id")
    )


def organisations_by_id(
    user, ids, *, agreement: Agreement | None = None
) -> dict[int, Organisation]:
    """The chosen organisations, by id, among those the person may name (and the parties
    the agreement already has) — 1 query."""
    existing = (
        AgreementParty._base_manager.filter(agreement=agreement).values("organisation_id")
        if agreement is not None
        else AgreementParty._base_manager.none().values("organisation_id")
    )
    rows = Organisation.objects.filter(
        Q(pk__in=party_candidates(user).values("pk")) | Q(pk__in=existing), pk__in=list(ids)
    )
    return {org.pk: org for org in rows}


def link_objects(user, agreement: Agreement | None, plan_ids, measure_ids):
    """The plans and measures chosen (among those the person sees) plus those the
    agreement already links that the person does not see — the form cannot show them, so
    they stay as they are (2–4 queries)."""
    plans = list(Roadmap.objects.for_user(user, "view").filter(pk__in=list(plan_ids)))
    measures = list(Measure.objects.for_user(user, "view").filter(pk__in=list(measure_ids)))
    if agreement is not None:
        seen_plans = Roadmap.objects.for_user(user, "view").order_by().values("pk")
        plans += list(agreement.roadmaps.exclude(pk__in=seen_plans))
        measures += list(agreement.measures.exclude(roadmap__in=seen_plans))
    return plans, measures
