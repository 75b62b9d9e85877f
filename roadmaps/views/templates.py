"""Template plans handed to schools: distribution, the copies and their divergence, the
plan's group of schools."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from schools.access import get_object_for_user

from .. import selectors, services
from ..actions import plan_actions
from ..forms import (
    SchoolsForm,
)
from ..models import Roadmap

# --- templates handed to schools ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_distribute(request, pk: int):
    template = get_object_for_user(Roadmap, request.user, pk, "change")
    form = SchoolsForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            copies = services.template_distribute(
                template=template, acting_user=request.user, schools=form.cleaned_data["schools"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            # Refused after the write (the copies would be plans the person may not
            # create): the form again with the reason; nothing was written.
            form.add_error(None, str(error))
            status = 403
        else:
            messages.success(
                request,
                f"Шаблон передан школам: {len(copies)}. Школы, у которых уже есть копия, пропущены.",
            )
            return redirect("roadmap_copies", pk=template.pk)
    return render(
        request,
        "roadmaps/roadmap_distribute.html",
        {"form": form, "roadmap": template},
        status=status,
    )


@login_required
def roadmap_copies(request, pk: int):
    template = get_object_for_user(Roadmap, request.user, pk)
    return render(
        request,
        "roadmaps/roadmap_copies.html",
        {
            "roadmap": template,
            "copies": selectors.template_copies(template, request.user),
            "actions": plan_actions(request.user, template),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_group(request, pk: int):
    """The plan's school group: measures assigned to «группа школ плана» apply to it."""
    roadmap = get_object_for_user(Roadmap, request.user, pk, "change")
    form = SchoolsForm(
        request.POST or None,
        user=request.user,
        initial={"schools": list(roadmap.school_group.all())},
    )
    form.fields["schools"].required = False
    if request.method == "POST" and form.is_valid():
        services.roadmap_set_school_group(
            roadmap=roadmap, acting_user=request.user, schools=form.cleaned_data["schools"]
        )
        messages.success(request, "Группа школ плана сохранена.")
        return redirect("roadmap_detail", pk=roadmap.pk)
    return render(request, "roadmaps/roadmap_group.html", {"form": form, "roadmap": roadmap})
