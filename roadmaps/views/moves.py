"""Moves of sections and measures: up/down among siblings, into another section."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.params import id_param, int_param
from schools.access import get_object_for_user

from .. import services
from ..models import Measure, Roadmap, Section
from .plan_table import MAX_POSITION, plan_context


@login_required
@require_POST
def item_move(request, pk: int):
    """Move a section or measure up/down among its siblings, or into another section."""
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    kind = request.POST.get("kind")
    model = {"section": Section, "measure": Measure}.get(kind)
    item_id = id_param(request.POST.get("id"))
    if model is None or item_id is None:
        messages.error(request, "Не указано, что перемещать.")
        return redirect("roadmap_detail", pk=roadmap.pk)
    item = get_object_for_user(model, request.user, item_id, "change")
    if item.roadmap_id != roadmap.pk:
        messages.error(request, "Эта строка относится к другому плану.")
        return redirect("roadmap_detail", pk=roadmap.pk)
    parent = services.KEEP
    if "parent" in request.POST:
        parent_id = id_param(request.POST.get("parent"))
        parent = (
            get_object_for_user(Section, request.user, parent_id, "change") if parent_id else None
        )
    try:
        services.item_move(
            item=item,
            acting_user=request.user,
            parent=parent,
            direction=request.POST.get("direction"),
            position=int_param(request.POST.get("position"), min=0, max=MAX_POSITION),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        context = plan_context(request, roadmap)
        return render(request, "roadmaps/roadmap_detail.html#plan-table", context)
    return redirect(f"{reverse('roadmap_detail', kwargs={'pk': roadmap.pk})}#{kind}-{item.pk}")
