"""What partnerships add to the roadmap pages (``roadmaps.extensions``; registered in
``PartnershipsConfig.ready``): the network plans an agreement names become visible to
the staff of its parties; the plan page shows, for each «sign the agreements» measure,
the agreements that fulfil it, and leads to the plan's network."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import mark_safe

from roadmaps.extensions import PlanExtension, PlanPage
from schools.access import scope_for

from .constants import AgreementStatus
from .querysets import ADD, VIEW
from .selectors import plan_agreements, visible_plan_ids


def visible_plans(user):
    return visible_plan_ids(user)


def _cell(counts: dict[str, int], list_url: str, create_url: str | None) -> str:
    signed = counts.get(AgreementStatus.SIGNED, 0)
    total = sum(counts.values())
    if total:
        text = f"Соглашений: {signed}" + (f" (всего {total})" if total != signed else "")
        link = f'<a class="small text-nowrap" href="{escape(list_url)}">{escape(text)}</a>'
    else:
        link = '<span class="small text-body-secondary">Соглашений нет</span>'
    add = (
        f'<a class="small d-block" href="{escape(create_url)}">Внести соглашение</a>'
        if create_url
        else ""
    )
    return link + add


def plan_page(request, roadmap, actions):
    user = request.user
    if roadmap.is_template or scope_for(user, VIEW).is_empty:
        return None
    found = plan_agreements(user, roadmap)
    if not found.signing and not found.named:
        return None
    page = PlanPage(column_label="Соглашения")
    may_add = not scope_for(user, ADD).is_empty
    list_url = reverse("agreement_list")
    create_url = reverse("agreement_create")
    for measure_id in found.signing:
        page.cells[measure_id] = mark_safe(  # noqa: S308 - numbers and escaped URLs
            _cell(
                found.by_measure.get(measure_id, {}),
                f"{list_url}?measure={measure_id}",
                f"{create_url}?measure={measure_id}" if may_add else None,
            )
        )
    page.buttons.append(
        (
            "Сеть партнёрства",
            reverse("network", kwargs={"scope": "plan", "pk": roadmap.pk}),
            "btn-outline-secondary",
        )
    )
    return page


EXTENSION = PlanExtension(name="partnerships", visible_plans=visible_plans, plan_page=plan_page)
