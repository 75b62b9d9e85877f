"""Sections of a plan: add (inline or on a page), change and move, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.params import id_param
from schools.access import get_object_for_user

from .. import services
from ..forms import (
    SectionForm,
)
from ..models import Roadmap, Section
from .plan_table import plan_columns, row_response, table_response

# --- sections ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    if request.htmx and request.GET.get("cancel"):
        return HttpResponse("")
    form = SectionForm(
        request.POST or None,
        roadmap=roadmap,
        initial={"parent": id_param(request.GET.get("parent"))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(
                roadmap=roadmap,
                acting_user=request.user,
                title=form.cleaned_data["title"],
                number=form.cleaned_data["number"],
                is_group=form.cleaned_data["is_group"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return table_response(request, roadmap)
            messages.success(request, "Раздел добавлен.")
            return redirect("roadmap_detail", pk=roadmap.pk)
    context = {"form": form, "roadmap": roadmap}
    if request.htmx:
        context["column_count"] = len(plan_columns(roadmap)) + 2
        return render(request, "roadmaps/roadmap_detail.html#section-new-row", context)
    return render(request, "roadmaps/section_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int):
    section = get_object_for_user(Section, request.user, pk, "change", select_related=("roadmap",))
    roadmap = section.roadmap
    form = SectionForm(
        request.POST or None,
        instance=section,
        roadmap=roadmap,
        initial={"version": section.version, "parent": section.parent_id},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.SECTION_FIELDS}
        try:
            section = services.section_update(
                section=section,
                acting_user=request.user,
                data=data,
                expected_version=form.cleaned_data.get("version"),
                parent=form.cleaned_data["parent"],
            )
        except services.EditConflict as error:
            conflict = error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return row_response(request, roadmap, "section", section)
            return redirect("roadmap_detail", pk=roadmap.pk)
    template = "roadmaps/section_form.html"
    if request.htmx:
        template = "roadmaps/roadmap_detail.html#section-edit-row"
    context = {
        "form": form,
        "roadmap": roadmap,
        "section": section,
        "conflict": conflict,
        "columns": plan_columns(roadmap),
    }
    context["column_count"] = len(context["columns"]) + 2
    return render(request, template, context)


@login_required
@require_POST
def section_delete(request, pk: int):
    section = get_object_for_user(Section, request.user, pk, "delete", select_related=("roadmap",))
    roadmap = section.roadmap
    try:
        services.section_delete(section=section, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Раздел удалён; его мероприятия перенесены в вышестоящий раздел.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("roadmap_detail", kwargs={"pk": roadmap.pk}))
    return redirect("roadmap_detail", pk=roadmap.pk)
