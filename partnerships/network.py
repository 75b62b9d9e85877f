"""The network that agreements form: the list «Список сетевого партнерства» and the drawn
graph. Pure Python, no Django: ``selectors.network`` loads the facts (what the person
sees), this module turns them into rows and a layered layout, ``svg`` draws the layout.

The layout (a layered drawing, left to right)
==============================================

=======  ===================================  ============================================
column   who                                  edges
=======  ===================================  ============================================
0        centres and other organisations      a network leader to its partner centres
         (authorities, universities, colleges) (arcs on the left of the column)
1        leader / base schools                from the centres of the same agreement
2        supported schools (and every other   from the leader schools of the same agreement
         school)                              (from its centres when it has no leader)
=======  ===================================  ============================================

Rows are ordered so that edges stay short: centres by how many they connect, leader
schools by the mean place of their centres, supported schools by the mean place of their
leaders (each under its leader); then supported schools are laid out one under another,
every leader at the middle of its schools and every centre at the middle of whom it
supports, pushed down only as far as needed to keep the rows apart. With 200 schools the
drawing is tall, not small: every name keeps its size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

CENTRES, LEADERS, SUPPORTED = 0, 1, 2
COLUMN_TITLES = ("Центры и партнёры", "Школы-лидеры (базовые)", "Поддерживаемые школы")

LEADER_ROLE = "leader_school"
SUPPORTED_ROLE = "supported"
NETWORK_LEADER_ROLE = "network_leader"
PARTNER_ROLE = "partner"
CURATOR_ROLE = "curator_centre"


@dataclass(frozen=True)
class Party:
    organisation: int
    name: str
    full_name: str
    municipality: str  # "" for a regional organisation
    is_school: bool
    is_leader_school: bool  # the directory's flag «школа-лидер»
    role: str
    role_label: str = ""
    signatory: str = ""


@dataclass(frozen=True)
class AgreementFacts:
    pk: int
    number: str
    kind_label: str
    status: str
    status_label: str
    signed_on: datetime.date | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    subject: str
    support_form: str
    parties: tuple[Party, ...]

    @property
    def reference(self) -> str:
        number = f"№ {self.number}" if self.number else "б/н"
        return f"{number} от {self.signed_on:%d.%m.%Y}" if self.signed_on else number


# --- The list «Список сетевого партнерства» ---------------------------------------------


@dataclass(frozen=True)
class ListRow:
    """One line of the approved list: a supported organisation, its partner
    organisations and the form of support, with the agreement it stands on."""

    supported: Party
    partners: tuple[Party, ...]
    support_form: str
    agreement: AgreementFacts


def _sides(parties: Sequence[Party]) -> tuple[list[Party], list[Party]]:
    """Who is supported and who supports in one agreement: supported schools; else,
    beside a network leader (or a leader school, a curator centre), its partners; else
    every party after the first (the first party keeps the register, usually the one
    that supports)."""
    supported = [p for p in parties if p.role == SUPPORTED_ROLE]
    if not supported:
        supporting_roles = {NETWORK_LEADER_ROLE, LEADER_ROLE, CURATOR_ROLE}
        if any(p.role in supporting_roles for p in parties):
            supported = [p for p in parties if p.role not in supporting_roles]
    if not supported:
        supported = list(parties[1:])
    ids = {p.organisation for p in supported}
    return supported, [p for p in parties if p.organisation not in ids]


def list_rows(agreements: Iterable[AgreementFacts]) -> list[ListRow]:
    """The rows of the list, ordered by the supported organisation's name (then by the
    agreement): one per supported party of every agreement."""
    rows = []
    for agreement in agreements:
        supported, partners = _sides(agreement.parties)
        form = agreement.support_form or agreement.subject
        for party in supported:
            rows.append(ListRow(party, tuple(partners), form, agreement))
    rows.sort(key=lambda r: (r.supported.name.lower(), r.agreement.reference, r.agreement.pk))
    return rows


# --- The graph ------------------------------------------------------------------------------


@dataclass
class Node:
    organisation: int
    name: str
    full_name: str
    municipality: str
    column: int
    degree: int = 0
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    roles: set[str] = field(default_factory=set)
    agreements: set[int] = field(default_factory=set)


@dataclass
class Edge:
    source: int  # organisation ids; within a column the source is the supporting one
    target: int
    agreements: list[AgreementFacts] = field(default_factory=list)

    @property
    def style(self) -> str:
        """Signed (in force) if any of its agreements is, else draft, else ended."""
        statuses = {a.status for a in self.agreements}
        if "signed" in statuses:
            return "signed"
        if "draft" in statuses:
            return "draft"
        return "ended"


@dataclass
class Layout:
    nodes: dict[int, Node]
    edges: list[Edge]
    columns: list[int]  # the columns that have nodes, in order
    width: float
    height: float
    two_lines: bool  # nodes carry their municipality (the network spans several)
    column_x: dict[int, float] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.nodes


# Geometry, in CSS pixels of the drawing.
NODE_WIDTH = 280
NODE_HEIGHT = 24
NODE_HEIGHT_TWO_LINES = 38
ROW_GAP = 8
COLUMN_GAP = 150
ARC_ROOM = 70  # left of the first column: the arcs between centres
MARGIN = 16
HEADER = 34  # the column titles
FONT_SIZE = 12


def column_of(party: Party, leaders: set[int]) -> int:
    if not party.is_school:
        return CENTRES
    return LEADERS if party.organisation in leaders else SUPPORTED


def _leader_schools(agreements: Sequence[AgreementFacts]) -> set[int]:
    """Schools that lead somewhere in this network: a leader role in an agreement, or a
    partner school flagged «школа-лидер» in the directory beside a supported one."""
    leaders = set()
    for agreement in agreements:
        has_supported = any(p.role == SUPPORTED_ROLE for p in agreement.parties)
        for party in agreement.parties:
            if not party.is_school:
                continue
            if party.role == LEADER_ROLE or (
                party.role == PARTNER_ROLE and party.is_leader_school and has_supported
            ):
                leaders.add(party.organisation)
    return leaders


def _agreement_edges(parties: Sequence[Party], leaders: set[int]) -> list[tuple[int, int]]:
    """Who is drawn linked to whom for one agreement: each party to the parties of the
    nearest column before its own (supported schools to leader schools, else to centres;
    leader schools to centres); within a column only when no earlier column has a party
    — from the network leader (or the first party) to each of the others."""
    by_column: dict[int, list[Party]] = defaultdict(list)
    for party in parties:
        by_column[column_of(party, leaders)].append(party)
    pairs: list[tuple[int, int]] = []
    for column in (CENTRES, LEADERS, SUPPORTED):
        members = by_column.get(column, [])
        if not members:
            continue
        earlier = next((by_column[c] for c in range(column - 1, -1, -1) if by_column.get(c)), None)
        if earlier:
            pairs.extend((up.organisation, p.organisation) for up in earlier for p in members)
        elif len(members) > 1:
            heads = [p for p in members if p.role in {NETWORK_LEADER_ROLE, LEADER_ROLE}]
            head = heads[0] if heads else members[0]
            pairs.extend(
                (head.organisation, p.organisation)
                for p in members
                if p.organisation != head.organisation
            )
    return pairs


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def layout(agreements: Sequence[AgreementFacts]) -> Layout:
    """The layered layout of the network these agreements form (the module docstring)."""
    leaders = _leader_schools(agreements)
    nodes: dict[int, Node] = {}
    edges: dict[tuple[int, int], Edge] = {}
    for agreement in agreements:
        for party in agreement.parties:
            node = nodes.get(party.organisation)
            if node is None:
                node = nodes[party.organisation] = Node(
                    party.organisation,
                    party.name,
                    party.full_name,
                    party.municipality,
                    column_of(party, leaders),
                )
            node.roles.add(party.role)
            node.agreements.add(agreement.pk)
        for source, target in _agreement_edges(agreement.parties, leaders):
            key = (source, target) if (target, source) not in edges else (target, source)
            edge = edges.setdefault(key, Edge(key[0], key[1]))
            if agreement not in edge.agreements:
                edge.agreements.append(agreement)
    for edge in edges.values():
        nodes[edge.source].degree += 1
        nodes[edge.target].degree += 1
    municipalities = {n.municipality for n in nodes.values()}
    two_lines = len(municipalities) > 1
    height = NODE_HEIGHT_TWO_LINES if two_lines else NODE_HEIGHT
    step = height + ROW_GAP

    neighbours: dict[int, set[int]] = defaultdict(set)
    for edge in edges.values():
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)

    def members(column: int) -> list[Node]:
        return [n for n in nodes.values() if n.column == column]

    # Order: centres by how much they connect (network leaders first), then the columns
    # after them by the mean rank of their neighbours in earlier columns.
    rank: dict[int, float] = {}
    order: dict[int, list[Node]] = {}
    centres = sorted(members(CENTRES), key=lambda n: (-n.degree, n.name.lower(), n.organisation))
    order[CENTRES] = centres
    for index, node in enumerate(centres):
        rank[node.organisation] = index / max(len(centres) - 1, 1)
    for column in (LEADERS, SUPPORTED):

        def key(node: Node) -> tuple:
            ranks = [
                rank[other]
                for other in neighbours[node.organisation]
                if other in rank and nodes[other].column < node.column
            ]
            mean = _mean(ranks)
            return (mean is None, mean or 0.0, node.name.lower(), node.organisation)

        ordered = sorted(members(column), key=key)
        order[column] = ordered
        for index, node in enumerate(ordered):
            rank[node.organisation] = index / max(len(ordered) - 1, 1)

    # Places: the last column one under another; each earlier column at the middle of its
    # neighbours in later columns, in its order, kept a row apart.
    columns = [c for c in (CENTRES, LEADERS, SUPPORTED) if order.get(c)]
    for column in reversed(columns):
        previous_bottom = None
        for node in order[column]:
            later = [
                nodes[other].y
                for other in neighbours[node.organisation]
                if nodes[other].column > column
            ]
            wanted = _mean(later)
            y = wanted if wanted is not None else (previous_bottom or 0.0)
            if previous_bottom is not None:
                y = max(y, previous_bottom)
            node.y = y
            previous_bottom = y + step
    top = min((n.y for n in nodes.values()), default=0.0)
    column_x = {}
    x = MARGIN + ARC_ROOM
    for column in columns:
        column_x[column] = x
        x += NODE_WIDTH + COLUMN_GAP
    for node in nodes.values():
        node.y = node.y - top + HEADER + MARGIN
        node.x = column_x[node.column]
        node.width = NODE_WIDTH
        node.height = height
    bottom = max((n.y + n.height for n in nodes.values()), default=HEADER)
    width = (x - COLUMN_GAP + MARGIN) if columns else 2 * MARGIN
    return Layout(
        nodes=nodes,
        edges=sorted(edges.values(), key=lambda e: (e.source, e.target)),
        columns=columns,
        width=width,
        height=bottom + MARGIN,
        two_lines=two_lines,
        column_x=column_x,
    )


def page_cuts(layout: Layout, page_height: float) -> list[tuple[float, float]]:
    """Vertical slices of the drawing for pages of ``page_height`` (the PDF): each cut falls
    between rows, never through a name; a slice is at least one row."""
    content_top = HEADER + MARGIN - ROW_GAP / 2
    boxes = sorted((n.y, n.y + n.height) for n in layout.nodes.values())
    slices: list[tuple[float, float]] = []
    start = content_top
    end_of_drawing = layout.height
    usable = max(page_height - HEADER, NODE_HEIGHT_TWO_LINES + ROW_GAP)
    while start < end_of_drawing - MARGIN:
        limit = start + usable
        if limit >= end_of_drawing:
            slices.append((start, end_of_drawing))
            break
        cut = limit
        while inside := [top for top, bottom in boxes if top < cut < bottom]:
            cut = min(inside) - ROW_GAP / 2
        if cut <= start:
            cut = limit
        slices.append((start, cut))
        start = cut
    return slices
