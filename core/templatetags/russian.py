"""Russian in templates: plural forms for nouns that are data (model names in the admin),
the accusative of «Добавить …», and how a person is addressed."""

from __future__ import annotations

from django import template

from core.plurals import count_phrase

register = template.Library()


@register.filter
def admin_count(count, model_admin) -> str:
    """«11 организаций» from the admin's ``name_forms`` (1, 2, 5); «всего: 11» for an admin
    that does not say how its model is counted."""
    forms = getattr(model_admin, "name_forms", None)
    if forms:
        return count_phrase(count, forms)
    return f"всего: {count}"


@register.filter
def admin_add_label(model_admin, opts=None) -> str:
    """«Добавить организацию» from the admin's ``name_accusative``, else the neutral «Добавить:
    группа» (the nominative after a colon reads right)."""
    accusative = getattr(model_admin, "name_accusative", "")
    if accusative:
        return f"Добавить {accusative}"
    name = opts.verbose_name if opts is not None else model_admin.model._meta.verbose_name
    return f"Добавить: {name}"


@register.filter
def address(user) -> str:
    """How to greet a person: first name and patronymic («Ольга Петровна»), the first name
    alone when there is no patronymic, the login when there is neither."""
    first = (getattr(user, "first_name", "") or "").strip()
    middle = (getattr(user, "middle_name", "") or "").strip()
    if first:
        return f"{first} {middle}".strip()
    return user.get_username() if hasattr(user, "get_username") else str(user)
