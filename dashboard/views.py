"""The home page (what needs the person now, by role: ``dashboard.selectors.home``) and
the dashboards: the region's municipalities, a municipality's schools, one school —
drill-down region → municipality → school in two clicks — each exportable to PDF and
.xlsx through the reports (``reports.services.report_request``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.params import int_param
from monitoring.constants import FIRST_YEAR, LAST_YEAR

from . import pages, selectors


@login_required
def home(request):
    return render(request, "dashboard/home.html", {"home": selectors.home(request.user)})


def _year(request) -> int | None:
    return int_param(request.GET.get("year"), min=FIRST_YEAR, max=LAST_YEAR)


@login_required
def dashboards(request):
    """The widest dashboard of the person: the region, else the municipality, else the
    school."""
    start = selectors.dashboard_start(request.user)
    if start is None:
        raise PermissionDenied("Сводки доступны сотрудникам органов управления и школ.")
    kind, pk = start
    return redirect(f"dashboard_{'school' if kind == 'school' else kind}", pk=pk)


@login_required
def dashboard_region(request, pk: int):
    region = selectors.dashboard_region(request.user, pk)
    data = selectors.regional_dashboard(region, _year(request))
    rows, sort = selectors.sort_rows(data.rows, request.GET.get("sort", "name"))
    return render(
        request,
        "dashboard/dashboard_region.html",
        {**pages.area_page(data, rows), "sort": sort, "sorts": selectors.SORTS},
    )


@login_required
def dashboard_municipality(request, pk: int):
    municipality = selectors.dashboard_municipality(request.user, pk)
    data = selectors.municipal_dashboard(municipality, _year(request))
    rows, sort = selectors.sort_rows(data.rows, request.GET.get("sort", "name"))
    return render(
        request,
        "dashboard/dashboard_municipality.html",
        {**pages.area_page(data, rows), "sort": sort, "sorts": selectors.SORTS},
    )


@login_required
def dashboard_school(request, pk: int):
    school = selectors.dashboard_school(request.user, pk)
    data = selectors.school_dashboard(school)
    return render(request, "dashboard/dashboard_school.html", pages.school_page(data))


EXPORT_TARGETS = {
    "region": selectors.dashboard_region,
    "municipality": selectors.dashboard_municipality,
    "school": selectors.dashboard_school,
}


@login_required
@require_POST
def dashboard_export(request, kind: str, pk: int):
    """Ask for the dashboard as a PDF or .xlsx file (a report job; its page shows when the
    file is ready)."""
    from reports import services as reports

    if kind not in EXPORT_TARGETS:
        raise PermissionDenied("Неизвестная сводка.")
    target = EXPORT_TARGETS[kind](request.user, pk)
    try:
        report = reports.dashboard_report_request(
            acting_user=request.user,
            target=target,
            fmt=request.POST.get("format", "pdf"),
            school_year=int_param(request.POST.get("year"), min=FIRST_YEAR, max=LAST_YEAR),
        )
    except ValidationError as error:
        return render(
            request,
            "reports/report_refused.html",
            {"message": " ".join(error.messages), "back": request.META.get("HTTP_REFERER", "/")},
            status=400,
        )
    return redirect("report_detail", pk=report.pk)
