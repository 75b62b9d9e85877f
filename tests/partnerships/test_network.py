"""The network as a list and a layered drawing (pure Python): who goes in which column,
what is linked, that the order keeps edges short, that 200 schools stay readable, that
page slices never cut a name, that the SVG escapes and says its words."""

from __future__ import annotations

import datetime
import re

import pytest

from partnerships import network as net
from partnerships import svg

DAY = datetime.date(2025, 9, 1)


def party(pk, name, role, *, school=True, leader=False, municipality="Новокубанский район"):
    return net.Party(
        organisation=pk,
        name=name,
        full_name=f"{name} (полное наименование)",
        municipality=municipality,
        is_school=school,
        is_leader_school=leader,
        role=role,
        role_label=role,
    )


def agreement(pk, *parties, status="signed", number=None, form="методическая"):
    return net.AgreementFacts(
        pk=pk,
        number=number or str(pk),
        kind_label="вид",
        status=status,
        status_label={"signed": "Действует", "draft": "Черновик"}.get(status, "Истёк срок"),
        signed_on=DAY,
        valid_from=DAY,
        valid_to=None,
        subject="Предмет",
        support_form=form,
        parties=tuple(parties),
    )


CENTRE = party(1, "МБУ «ЦРО»", "curator_centre", school=False)
LEADER = party(2, "МОБУ СОШ № 2", "leader_school")
WEAK = party(3, "МОБУ СОШ № 3", "supported")
PARTNER_CENTRE = party(4, "МКУ «ЦРО и ОК»", "partner", school=False, municipality="Армавир")
NETWORK_LEADER = party(1, "МБУ «ЦРО»", "network_leader", school=False)


def test_a_three_party_agreement_draws_centre_leader_supported():
    layout = net.layout([agreement(1, CENTRE, LEADER, WEAK)])
    assert {pk: n.column for pk, n in layout.nodes.items()} == {1: 0, 2: 1, 3: 2}
    assert {(e.source, e.target) for e in layout.edges} == {(1, 2), (2, 3)}
    assert layout.columns == [0, 1, 2]
    assert not layout.two_lines


def test_a_network_leader_is_linked_to_each_partner_centre_within_the_column():
    partners = [
        party(10 + i, f"Центр {i}", "partner", school=False, municipality=f"Район {i}")
        for i in range(5)
    ]
    layout = net.layout([agreement(i, NETWORK_LEADER, p) for i, p in enumerate(partners)])
    assert layout.columns == [0]
    assert {(e.source, e.target) for e in layout.edges} == {(1, p.organisation) for p in partners}
    # The leader of the network comes first; several municipalities: two lines a node.
    assert min(layout.nodes.values(), key=lambda n: n.y).organisation == 1
    assert layout.two_lines


def test_a_supported_school_without_a_leader_hangs_on_its_centre():
    layout = net.layout([agreement(1, CENTRE, WEAK)])
    assert {(e.source, e.target) for e in layout.edges} == {(1, 3)}
    assert layout.nodes[3].column == net.SUPPORTED


def test_a_partner_school_flagged_leader_leads_beside_a_supported_one():
    flagged = party(5, "МОБУ гимназия № 2", "partner", leader=True)
    layout = net.layout([agreement(1, flagged, WEAK)])
    assert layout.nodes[5].column == net.LEADERS


def test_an_edge_of_several_agreements_is_drawn_once_and_in_force_if_one_is():
    layout = net.layout(
        [agreement(1, LEADER, WEAK, status="draft"), agreement(2, LEADER, WEAK, status="signed")]
    )
    (edge,) = layout.edges
    assert edge.style == "signed"
    assert [a.pk for a in edge.agreements] == [1, 2]


def big_network(schools: int = 200):
    """A municipality with 4 centres, 20 leaders and the rest supported."""
    agreements = []
    centres = [party(1000 + c, f"Центр {c}", "curator_centre", school=False) for c in range(4)]
    leaders = [party(2000 + i, f"МОБУ СОШ № {i} (лидер)", "leader_school") for i in range(20)]
    for i in range(schools - 20):
        weak = party(i, f"МОБУ СОШ № {100 + i} ст. Длинноназванной", "supported")
        agreements.append(agreement(i, centres[i % 4], leaders[i % 20], weak))
    return agreements


def test_two_hundred_schools_stay_readable():
    layout = net.layout(big_network())
    assert len(layout.nodes) == 204
    # The same box and type size as for three schools: the drawing grows, names do not shrink.
    assert {n.height for n in layout.nodes.values()} == {net.NODE_HEIGHT}
    assert layout.width < 1400
    # No two boxes of a column overlap.
    for column in layout.columns:
        boxes = sorted((n.y, n.y + n.height) for n in layout.nodes.values() if n.column == column)
        assert all(b[0] >= a[1] for a, b in zip(boxes, boxes[1:], strict=False))


def test_supported_schools_are_placed_by_their_leaders():
    """Each leader sits at the middle of its supported schools, so edges stay short."""
    layout = net.layout(big_network())
    step = net.NODE_HEIGHT + net.ROW_GAP
    for edge in layout.edges:
        source, target = layout.nodes[edge.source], layout.nodes[edge.target]
        if source.column == net.LEADERS:
            assert abs(source.y - target.y) < 6 * step


def test_pages_are_cut_between_rows_never_through_a_name():
    layout = net.layout(big_network())
    slices = net.page_cuts(layout, 700)
    assert len(slices) > 3
    assert slices[0][0] < min(n.y for n in layout.nodes.values())
    assert slices[-1][1] >= max(n.y + n.height for n in layout.nodes.values())
    for (_, end), (start, _) in zip(slices, slices[1:], strict=False):
        assert end == start
    for _, cut in slices[:-1]:
        assert not any(n.y < cut < n.y + n.height for n in layout.nodes.values())


def test_the_list_has_a_row_per_supported_party_with_its_partners():
    rows = net.list_rows(
        [
            agreement(1, CENTRE, LEADER, WEAK, form="тьюторская"),
            agreement(2, NETWORK_LEADER, PARTNER_CENTRE, form=""),
        ]
    )
    assert [(r.supported.name, [p.name for p in r.partners], r.support_form) for r in rows] == [
        ("МКУ «ЦРО и ОК»", ["МБУ «ЦРО»"], "Предмет"),
        ("МОБУ СОШ № 3", ["МБУ «ЦРО»", "МОБУ СОШ № 2"], "тьюторская"),
    ]


def test_the_svg_escapes_names_and_says_what_it_shows():
    hostile = party(7, 'Школа <script>alert("x")</script> & Ко', "supported")
    layout = net.layout([agreement(1, LEADER, hostile)])
    drawing = svg.render(layout, title="Сеть", role_labels={}, node_href=lambda pk: f"/x/?o={pk}")
    assert "<script>" not in drawing
    assert "&lt;script&gt;" in drawing
    assert 'aria-label="Сеть: организаций 2, связей 1"' in drawing
    assert 'href="/x/?o=7"' in drawing
    assert "style=" not in drawing  # the page's CSP forbids style attributes


def test_a_draft_is_dashed_and_an_ended_agreement_dotted():
    layout = net.layout(
        [
            agreement(1, LEADER, WEAK, status="draft"),
            agreement(2, CENTRE, party(8, "ООШ", "supported"), status="expired"),
        ]
    )
    drawing = svg.render(layout, title="Сеть", role_labels={})
    assert 'stroke-dasharray="6 4"' in drawing
    assert 'stroke-dasharray="2 4"' in drawing


def test_a_long_name_is_shortened_in_its_box_and_whole_in_its_tooltip():
    name = (
        "Муниципальное казенное учреждение «Организационно-методический центр развития образования»"
    )
    layout = net.layout([agreement(1, party(9, name, "partner", school=False), WEAK)])
    drawing = svg.render(layout, title="Сеть", role_labels={})
    shown = re.search(r'class="net-name">([^<]+)<', drawing).group(1)
    assert shown.endswith("…")
    assert svg.text_width(shown) <= net.NODE_WIDTH - 2 * svg.PADDING
    assert f"{name} (полное наименование)" in drawing.replace("&quot;", '"')


@pytest.mark.parametrize("text", ["", "МОБУ СОШ № 3", "Ж" * 200])
def test_fit_never_exceeds_its_width(text):
    assert svg.text_width(svg.fit(text, 150)) <= 150
