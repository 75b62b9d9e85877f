"""The network drawn as SVG, once, on the server: the same drawing in the page and in the
PDF. Pure Python: ``network.layout`` places the organisations, this module writes them.

Colours are presentation attributes (the PDF renderer reads them; the page's CSP forbids
style attributes) and every element also carries a class, so the page's stylesheet
(``static/css/app.css``, «Сетевое партнёрство») may restyle it. Colour is never the only
signal: the columns are titled, and an agreement not in force is drawn dashed (a draft)
or dotted (expired, terminated), which the legend beside the drawing says in words. Every
text is escaped; a name too long for its box is shortened with «…» and given whole in
the node's tooltip (``<title>``).
"""

from __future__ import annotations

from html import escape

from .network import (
    COLUMN_TITLES,
    FONT_SIZE,
    HEADER,
    Layout,
    Node,
)

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
NODE_FILLS = ("#e8eef8", "#e6f4ea", "#ffffff")
NODE_STROKES = ("#1f4e8c", "#1e7b3c", "#6c757d")
EDGE_STROKES = {"signed": "#44546a", "draft": "#8a94a6", "ended": "#b8bfca"}
EDGE_DASHES = {"signed": "", "draft": "6 4", "ended": "2 4"}
STATUS_WORDS = {"signed": "действует", "draft": "черновик", "ended": "не действует"}
PADDING = 8

# Advance widths (em) by kind of character, for shortening names to their box: a safe
# over-estimate for Liberation Sans / Arial, so that a kept name always fits.
_WIDE = set("ЖШЩЫЮМДФЦжшщыюмдфцmwMW")
_NARROW = set(" .,:;!|ilIjtf()«»\"'-")


def text_width(text: str, size: float = FONT_SIZE) -> float:
    em = 0.0
    for ch in text:
        if ch in _WIDE:
            em += 0.86
        elif ch in _NARROW:
            em += 0.33
        elif ch.isupper() or ch.isdigit() or ch in "№":
            em += 0.7
        else:
            em += 0.58
    return em * size


def fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """The text, shortened with «…» to fit ``width`` (whole words where it can)."""
    text = " ".join(text.split())
    if text_width(text, size) <= width:
        return text
    kept = text
    while kept and text_width(kept + "…", size) > width:
        kept = kept[:-1]
    return kept.rstrip(' ,«"(') + "…"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _node(node: Node, href: str | None, tooltip: str, two_lines: bool) -> str:
    column = node.column
    x, y, w, h = node.x, node.y, node.width, node.height
    room = w - 2 * PADDING
    name = escape(fit(node.name, room))
    text_y = y + (15 if two_lines else h / 2 + FONT_SIZE * 0.35)
    parts = [
        f'<g class="net-node net-col-{column}">',
        f"<title>{escape(tooltip)}</title>",
        f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(w)}" height="{_fmt(h)}" rx="4" '
        f'fill="{NODE_FILLS[column]}" stroke="{NODE_STROKES[column]}" stroke-width="1"/>',
        f'<text x="{_fmt(x + PADDING)}" y="{_fmt(text_y)}" font-family="{FONT}" '
        f'font-size="{FONT_SIZE}" fill="#1b1f24" class="net-name">{name}</text>',
    ]
    if two_lines and node.municipality:
        sub = escape(fit(node.municipality, room, FONT_SIZE - 2))
        parts.append(
            f'<text x="{_fmt(x + PADDING)}" y="{_fmt(y + 30)}" font-family="{FONT}" '
            f'font-size="{FONT_SIZE - 2}" fill="#5c636a" class="net-sub">{sub}</text>'
        )
    parts.append("</g>")
    body = "".join(parts)
    if href:
        return f'<a href="{escape(href)}" class="net-link">{body}</a>'
    return body


def _edge_path(source: Node, target: Node) -> str:
    if source.column == target.column:
        # An arc on the left of the column: out of one box's left side, into the other's.
        x = source.x
        y1, y2 = source.y + source.height / 2, target.y + target.height / 2
        bulge = min(60.0, 18 + abs(y2 - y1) / 6)
        return (
            f"M{_fmt(x)},{_fmt(y1)} C{_fmt(x - bulge)},{_fmt(y1)} "
            f"{_fmt(x - bulge)},{_fmt(y2)} {_fmt(x)},{_fmt(y2)}"
        )
    if source.column > target.column:
        source, target = target, source
    x1, y1 = source.x + source.width, source.y + source.height / 2
    x2, y2 = target.x, target.y + target.height / 2
    middle = (x1 + x2) / 2
    return (
        f"M{_fmt(x1)},{_fmt(y1)} C{_fmt(middle)},{_fmt(y1)} "
        f"{_fmt(middle)},{_fmt(y2)} {_fmt(x2)},{_fmt(y2)}"
    )


def node_tooltip(node: Node, role_labels: dict[str, str]) -> str:
    roles = ", ".join(sorted(role_labels.get(r, r) for r in node.roles))
    where = f" ({node.municipality})" if node.municipality else ""
    count = len(node.agreements)
    return f"{node.full_name}{where}. Роль: {roles}. Соглашений: {count}."


def render(
    layout: Layout,
    *,
    title: str,
    role_labels: dict[str, str],
    node_href=None,
    window: tuple[float, float] | None = None,
    css_class: str = "network-graph",
    width_mm: float | None = None,
) -> str:
    """The SVG of the layout; ``window`` = (top, bottom) draws only that slice of it (a
    page of the PDF), under the column titles. ``node_href(organisation id)`` gives a
    node's link (None: no link)."""
    top, bottom = window if window else (HEADER, layout.height)
    visible_height = bottom - top + HEADER
    width = layout.width
    shift = HEADER - top
    organisations = len(layout.nodes)
    links = len(layout.edges)
    label = f"{title}: организаций {organisations}, связей {links}"
    if width_mm:
        size = f'width="{_fmt(width_mm)}mm" height="{_fmt(visible_height * width_mm / width)}mm"'
    else:
        size = f'width="{_fmt(width)}" height="{_fmt(visible_height)}"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" '
        f'viewBox="0 0 {_fmt(width)} {_fmt(visible_height)}" {size} '
        f'role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<rect x="0" y="0" width="{_fmt(width)}" height="{_fmt(visible_height)}" '
        'fill="#ffffff" class="net-bg"/>',
    ]
    for column in layout.columns:
        x = layout.column_x[column]
        out.append(
            f'<text x="{_fmt(x)}" y="22" font-family="{FONT}" font-size="13" '
            f'font-weight="bold" fill="#343a40" class="net-col-title">'
            f"{escape(COLUMN_TITLES[column])}</text>"
        )
    clip = f"net-clip-{int(top)}"
    out.append(
        f'<clipPath id="{clip}"><rect x="0" y="{_fmt(HEADER)}" width="{_fmt(width)}" '
        f'height="{_fmt(visible_height - HEADER)}"/></clipPath>'
    )
    out.append(f'<g clip-path="url(#{clip})"><g transform="translate(0 {_fmt(shift)})">')
    out.append('<g class="net-edges" fill="none">')
    for edge in layout.edges:
        source, target = layout.nodes[edge.source], layout.nodes[edge.target]
        low, high = sorted((source.y, target.y))
        if high + target.height < top or low > bottom:
            continue
        style = edge.style
        dash = f' stroke-dasharray="{EDGE_DASHES[style]}"' if EDGE_DASHES[style] else ""
        refs = "; ".join(f"{a.reference} ({a.status_label.lower()})" for a in edge.agreements)
        out.append(
            f'<path d="{_edge_path(source, target)}" stroke="{EDGE_STROKES[style]}" '
            f'stroke-width="1.4"{dash} '
            f'class="net-edge net-edge-{style}"><title>'
            f"{escape(source.name)} — {escape(target.name)}: {escape(refs)}</title></path>"
        )
    out.append('</g><g class="net-nodes">')
    for node in sorted(layout.nodes.values(), key=lambda n: (n.column, n.y)):
        if node.y + node.height < top or node.y > bottom:
            continue
        href = node_href(node.organisation) if node_href else None
        out.append(_node(node, href, node_tooltip(node, role_labels), layout.two_lines))
    out.append("</g></g></g></svg>")
    return "".join(out)


def legend() -> list[tuple[str, str, str, str]]:
    """(style, stroke, dash pattern, words) of the edges, for the legend beside a drawing."""
    words = {
        "signed": "соглашение действует",
        "draft": "черновик (ещё не подписано)",
        "ended": "истекло или расторгнуто",
    }
    return [
        (style, EDGE_STROKES[style], EDGE_DASHES[style], words[style]) for style in EDGE_STROKES
    ]
