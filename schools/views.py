"""Home and directory pages. Objects come only through ``get_object_for_user``, lists
through ``selectors``; writes through ``services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.params import page_param

from . import selectors, services
from .access import allowed_ids, get_object_for_user
from .constants import OrganisationKind
from .forms import OrganisationFilterForm, OrganisationForm, PersonFilterForm
from .models import Municipality, Organisation, Region, User

PAGE_SIZE = 50


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def my_access(request):
    """«Что я могу делать»: the person's organisations and roles, their verbs and reach,
    and how much of the directory is within it."""
    summary = selectors.home_summary(request.user)
    return render(request, "schools/my_access.html", {"summary": summary})


@login_required
def region_list(request):
    return render(
        request, "schools/region_list.html", {"regions": selectors.region_list(request.user)}
    )


@login_required
def region_detail(request, pk: int):
    region = get_object_for_user(Region, request.user, pk)
    return render(
        request,
        "schools/region_detail.html",
        {
            "region": region,
            "municipalities": selectors.municipality_list(request.user, region),
            "regional_organisations": selectors.organisations_of(request.user, region=region),
        },
    )


@login_required
def municipality_detail(request, pk: int):
    municipality = get_object_for_user(Municipality, request.user, pk, select_related=("region",))
    organisations = list(selectors.organisations_of(request.user, municipality=municipality))
    groups = []
    for kind, label in OrganisationKind.choices:
        members = [org for org in organisations if org.kind == kind]
        if members:
            groups.append((label, members))
    return render(
        request,
        "schools/municipality_detail.html",
        {"municipality": municipality, "groups": groups},
    )


@login_required
def organisation_list(request):
    municipalities = selectors.municipality_choices(request.user)
    form = OrganisationFilterForm(request.GET or None, municipalities=municipalities)
    filters = selectors.OrganisationFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.OrganisationFilters(
            q=data["q"],
            kind=data["kind"],
            municipality=data["municipality"].pk if data["municipality"] else None,
            flags=tuple(data["flags"]),
        )
    page = Paginator(selectors.organisation_search(request.user, filters), PAGE_SIZE).get_page(
        page_param(request.GET.get("page"))
    )
    context = {
        "form": form,
        "page": page,
        "editable": allowed_ids(
            Organisation, request.user, "change", [o.pk for o in page.object_list]
        ),
        "querystring": _querystring_without_page(request),
    }
    if request.htmx:
        return render(request, "schools/organisation_list.html#results", context)
    return render(request, "schools/organisation_list.html", context)


@login_required
def organisation_detail(request, pk: int):
    organisation = get_object_for_user(
        Organisation,
        request.user,
        pk,
        select_related=(
            "municipality",
            "region",
            "parent",
        ),
    )
    return render(
        request,
        "schools/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": selectors.organisation_people(request.user, organisation),
            "curators": selectors.organisation_curators(request.user, organisation),
            "can_edit": bool(allowed_ids(Organisation, request.user, "change", [organisation.pk])),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = get_object_for_user(Organisation, request.user, pk, "change")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=Organisation.objects.for_user(request.user, "change").get(pk=pk),
                acting_user=request.user,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Карточка организации сохранена.")
            return redirect("organisation_detail", pk=pk)
    return render(
        request, "schools/organisation_edit.html", {"form": form, "organisation": organisation}
    )


@login_required
def person_list(request):
    municipalities = selectors.municipality_choices(request.user)
    form = PersonFilterForm(request.GET or None, municipalities=municipalities)
    q, role, municipality = "", "", None
    if form.is_valid():
        q, role = form.cleaned_data["q"], form.cleaned_data["role"]
        municipality = (
            form.cleaned_data["municipality"].pk if form.cleaned_data["municipality"] else None
        )
    people = selectors.person_search(request.user, q=q, role=role, municipality=municipality)
    page = Paginator(people, PAGE_SIZE).get_page(page_param(request.GET.get("page")))
    context = {"form": form, "page": page, "querystring": _querystring_without_page(request)}
    if request.htmx:
        return render(request, "schools/person_list.html#results", context)
    return render(request, "schools/person_list.html", context)


@login_required
def person_detail(request, pk: int):
    person = get_object_for_user(User, request.user, pk)
    return render(
        request,
        "schools/person_detail.html",
        {"person": person, "memberships": selectors.person_memberships(request.user, person)},
    )
