"""Charts of the dashboards as SVG, drawn once on the server: the page shows them as they
are (readable without JavaScript) and the PDF embeds the same markup.

Only presentation attributes (``fill``, ``stroke``, ``font-size``): the CSP forbids style
attributes, and WeasyPrint reads no stylesheet of the page; classes let ``app.css`` adjust
the screen. Colour is never the only signal: every bar carries its figure as text, every
line its values at the points and a marker shape of its own, and each chart has a text
alternative (``aria-label``/``<title>``) with all its figures."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from execution.rollups import Rollup, progress_bar

# The hues of the execution statuses (as the pages' and the reports' bars).
FILLS = {
    "done": "#198754",
    "done_late": "#0dcaf0",
    "waiting": "#0d6efd",
    "partly": "#ffc107",
    "returned": "#e8a33a",
    "not_done": "#212529",
    "overdue": "#dc3545",
    "due": "#6c757d",
    "not_due": "#c9d1da",
    "unscheduled": "#e3e6ea",
}
# Series of a line chart: a colour and a marker shape each (told apart without colour).
SERIES = (
    ("#1f4e8c", "circle"),
    ("#b5482a", "square"),
    ("#2e7d32", "triangle"),
    ("#6a1b9a", "diamond"),
)
FONT = "Liberation Sans, Arial, sans-serif"


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def status_bar(value: Rollup, *, width: int = 300, height: int = 14, label: str = "") -> SafeString:
    """A stacked bar of a roll-up's statuses (the execution bar with explicit fills)."""
    segments = progress_bar(value)
    if not segments:
        return mark_safe("")  # noqa: S308 - constant
    parts, x = [], 0.0
    for segment in segments:
        if segment.percent:
            w = segment.percent * width / 100
            parts.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
                f'fill="{FILLS[segment.status.value]}"><title>{escape(segment.title)}</title></rect>'
            )
            x += w
    percent = value.progress_percent
    words = "; ".join(segment.title for segment in segments)
    summary = f"{label}: " if label else ""
    summary += (
        f"выполнено {percent} % из наступивших сроков"
        if percent is not None
        else "сроки не наступили"
    )
    return mark_safe(  # noqa: S308 - every text escaped
        f'<svg class="chart chart-bar" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(summary)}: {escape(words)}"><rect width="{width}" '
        f'height="{height}" fill="#eeeeee"/>{"".join(parts)}</svg>'
    )


@dataclass
class BarItem:
    label: str
    percent: int | None  # None: nothing to show («—»)
    text: str  # the figure written beside the bar («63 % · 120 из 190»)
    warn: bool = False  # drawn hatched and marked «!» (many overdue, say)


def bars(items: list[BarItem], *, title: str, width: int = 640) -> SafeString:
    """Horizontal bars 0–100 %, one per item, with the label on the left and the figure
    on the right of each bar."""
    if not items:
        return mark_safe("")  # noqa: S308 - constant
    row, label_w, text_w = 22, 190, 150
    bar_w = width - label_w - text_w
    height = row * len(items) + 24
    parts = [
        f'<text x="{label_w}" y="12" font-size="10" fill="#555">0 %</text>',
        f'<text x="{label_w + bar_w}" y="12" font-size="10" fill="#555" text-anchor="end">100 %</text>',
        f'<line x1="{label_w + bar_w / 2}" y1="16" x2="{label_w + bar_w / 2}" y2="{height}" '
        f'stroke="#ccc" stroke-dasharray="3 3"/>',
    ]
    for n, item in enumerate(items):
        y = 18 + n * row
        name = item.label if len(item.label) <= 30 else item.label[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" font-size="11" text-anchor="end" '
            f'fill="#212529">{escape(name)}<title>{escape(item.label)}</title></text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="14" fill="#eeeeee"/>'
        )
        if item.percent is not None:
            w = max(0, min(100, item.percent)) * bar_w / 100
            fill = "#dc3545" if item.warn else "#198754"
            parts.append(
                f'<rect class="chart-value" x="{label_w}" y="{y + 3}" width="{w:.1f}" '
                f'height="14" fill="{fill}"/>'
            )
        mark = " !" if item.warn else ""
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}" font-size="11" fill="#212529">'
            f"{escape(item.text)}{mark}</text>"
        )
    alt = "; ".join(f"{item.label}: {item.text}" for item in items)
    return mark_safe(  # noqa: S308 - every text escaped
        f'<svg class="chart chart-bars" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" role="img" aria-label="{escape(title)}. {escape(alt)}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return f'<polygon points="{x},{y - 5} {x + 5},{y + 4} {x - 5},{y + 4}" fill="{colour}"/>'
    if shape == "diamond":
        return (
            f'<polygon points="{x},{y - 5} {x + 5},{y} {x},{y + 5} {x - 5},{y}" fill="{colour}"/>'
        )
    return f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}"/>'


def lines(
    series: list[tuple[str, dict[int, float | None]]],
    years: list[int],
    *,
    title: str,
    low: float = 0,
    high: float = 100,
    width: int = 420,
) -> SafeString:
    """A line per series over the years (exam averages), with the value at each point."""
    drawn = [
        (name, points) for name, points in series if any(v is not None for v in points.values())
    ]
    if not drawn or not years:
        return mark_safe("")  # noqa: S308 - constant
    height, left, right, top, bottom = 190, 34, 16, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(years) - 1)

    def x_of(index: int) -> float:
        return left + (index * step if len(years) > 1 else plot_w / 2)

    def y_of(value: float) -> float:
        share = (value - low) / (high - low) if high > low else 0
        return top + plot_h * (1 - max(0.0, min(1.0, share)))

    parts = []
    for tick in range(5):
        value = low + (high - low) * tick / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e5e5e5"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end" fill="#555">'
            f"{_number(value)}</text>"
        )
    for index, year in enumerate(years):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{top + plot_h + 14}" font-size="10" '
            f'text-anchor="middle" fill="#333">{year}</text>'
        )
    legend = []
    alt = []
    for number, (name, points) in enumerate(drawn):
        colour, shape = SERIES[number % len(SERIES)]
        coords = [
            (x_of(i), y_of(points[year]), points[year])
            for i, year in enumerate(years)
            if points.get(year) is not None
        ]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y, value in coords:
            parts.append(_marker(shape, x, y, colour))
            parts.append(
                f'<text x="{x:.1f}" y="{y - 7:.1f}" font-size="10" text-anchor="middle" '
                f'fill="{colour}">{_number(value)}</text>'
            )
        lx = left + number * (plot_w / max(1, len(drawn)))
        ly = height - 10
        legend.append(_marker(shape, lx + 5, ly - 4, colour))
        legend.append(
            f'<text x="{lx + 14}" y="{ly}" font-size="10" fill="#212529">{escape(name)}</text>'
        )
        alt.append(
            f"{name}: "
            + ", ".join(
                f"{year} — {_number(points[year])}"
                for year in years
                if points.get(year) is not None
            )
        )
    return mark_safe(  # noqa: S308 - every text escaped
        f'<svg class="chart chart-lines" viewBox="0 0 {width} {height}" font-family="{FONT}" '
        f'role="img" aria-label="{escape(title)}. {escape("; ".join(alt))}">'
        f"<title>{escape(title)}</title>{''.join(parts)}{''.join(legend)}</svg>"
    )
