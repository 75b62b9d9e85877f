"""Small pieces of HTML written in Python: the progress bar and the status badge, which the
plan table repeats for every measure (thousands of rows: the template engine's per-row
includes were most of the page's time, see roadmaps.views.plan_table). Every text is
escaped; colour is never the only signal — each segment and badge carries its words."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .rollups import Rollup, progress_bar
from .status import LABELS, Status


def bar_html(value: Rollup, *, height: int = 10, legend: bool = False) -> SafeString:
    """A stacked progress bar of a roll-up as inline SVG (the CSP forbids style
    attributes; the same SVG goes into PDFs), each segment a status with its words as a
    tooltip; with ``legend``, the counts under it. No records: an empty string."""
    segments = progress_bar(value)
    if not segments:
        return mark_safe("")  # noqa: S308 - constant
    parts = []
    x = 0
    for segment in segments:
        if segment.percent:
            parts.append(
                f'<rect x="{x}" width="{segment.percent}" height="10" '
                f'class="seg seg-{segment.status.value}"><title>{escape(segment.title)}</title></rect>'
            )
        x += segment.percent
    percent = value.progress_percent
    summary = (
        f"Выполнено {percent} % из наступивших сроков"
        if percent is not None
        else "Сроки не наступили"
    )
    words = "; ".join(segment.title for segment in segments)
    html = (
        f'<svg class="pbar pbar-{height}" viewBox="0 0 100 10" preserveAspectRatio="none" '
        f'role="img" aria-label="{escape(summary)}: {escape(words)}">'
        f'<rect width="100" height="10" class="seg-bg"/>{"".join(parts)}</svg>'
    )
    if legend:
        items = "".join(
            f'<span class="me-2 text-nowrap"><span class="legend-dot seg-{segment.status.value}">'
            f"</span>{escape(segment.label)}: {segment.count}</span>"
            for segment in segments
        )
        html += f'<div class="small text-body-secondary mt-1">{items}</div>'
    return mark_safe(html)  # noqa: S308 - every text escaped


def progress_html(value: Rollup) -> SafeString:
    """«12 из 20 · 60 %» and the bar under it: the cell of a plan list or overview."""
    percent = value.progress_percent
    owed = value.owed
    figures = (
        f"{value.completed} из {owed} · {percent} %"
        if percent is not None
        else "сроки не наступили"
    )
    warn = ""
    if value.overdue:
        warn = f' <span class="badge text-bg-danger">просрочено {value.overdue}</span>'
    return mark_safe(  # noqa: S308 - numbers and constant text
        f'<div class="small text-nowrap">{figures}{warn}</div>{bar_html(value, height=8)}'
    )


def badge_html(value: Status | str, text: str | None = None) -> SafeString:
    status = Status(value)
    return mark_safe(  # noqa: S308 - escaped
        f'<span class="badge {status.badge_class}">{escape(text or LABELS[status])}</span>'
    )
