"""Progress bars and status badges in templates (the HTML is written in ``execution.html``)."""

from django import template

from execution.html import badge_html, bar_html, progress_html

register = template.Library()


@register.simple_tag
def bar(value, height: int = 10, legend: bool = False):
    """``{% bar rollup 12 True %}``: the stacked bar of a roll-up, with its legend."""
    return bar_html(value, height=int(height), legend=bool(legend))


@register.simple_tag
def progress(value):
    """``{% progress rollup %}``: «12 из 20 · 60 %», overdue, and the bar."""
    return progress_html(value)


@register.simple_tag
def status_badge(value, text=None):
    return badge_html(value, text)


@register.filter
def get_rollup(mapping, key):
    """``by_plan|get_rollup:plan.pk`` — a roll-up of a dict by id, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
