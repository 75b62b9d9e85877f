"""Small template helpers of the monitoring pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``values|get_item:indicator.pk`` — an item of a dict, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
