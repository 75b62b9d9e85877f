"""Report pages: what a person can get for a plan or a school, a report's state while it
renders (the page polls), the file once ready, and the public verification page.

Each view parses, calls one service or selector, renders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.params import id_param
from execution.evidence import safe_download_name
from roadmaps import selectors as roadmap_selectors
from roadmaps.models import Roadmap
from schools.access import get_object_for_user
from schools.models import Organisation

from . import selectors, services
from .constants import CONTENT_TYPES, ReportFormat, ReportKind
from .forms import VerifyForm
from .models import Report


def _refused(request, error: ValidationError, back: str, status: int = 400):
    return render(
        request,
        "reports/report_refused.html",
        {"message": " ".join(error.messages), "back": back},
        status=status,
    )


@login_required
def roadmap_reports(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk, select_related=("owner__region",))
    return render(
        request, "reports/roadmap_reports.html", selectors.roadmap_reports(request.user, roadmap)
    )


@login_required
@require_POST
def roadmap_report_create(request, pk: int):
    roadmap = get_object_for_user(Roadmap, request.user, pk, select_related=("owner__region",))
    kind = request.POST.get("kind", ReportKind.ROADMAP)
    fmt = request.POST.get("format", ReportFormat.PDF)
    organisation = None
    organisation_id = id_param(request.POST.get("organisation"))
    if organisation_id is not None:
        organisation = get_object_for_user(Organisation, request.user, organisation_id)
    try:
        report = services.report_request(
            acting_user=request.user,
            kind=kind,
            roadmap=roadmap,
            organisation=organisation,
            fmt=fmt,
            signed=request.POST.get("signed") == "1",
        )
    except ValidationError as error:
        return _refused(request, error, back=request.path.rsplit("new/", 1)[0])
    return redirect("report_detail", pk=report.pk)


@login_required
def organisation_reports(request, pk: int):
    organisation = get_object_for_user(Organisation, request.user, pk)
    return render(
        request,
        "reports/organisation_reports.html",
        selectors.organisation_reports(request.user, organisation),
    )


@login_required
@require_POST
def organisation_report_create(request, pk: int):
    organisation = get_object_for_user(Organisation, request.user, pk)
    try:
        report = services.report_request(
            acting_user=request.user,
            kind=ReportKind.SCHOOL_EXECUTION,
            organisation=organisation,
            fmt=request.POST.get("format", ReportFormat.PDF),
        )
    except ValidationError as error:
        return _refused(request, error, back=request.path.rsplit("new/", 1)[0])
    return redirect("report_detail", pk=report.pk)


def _report(request, pk) -> Report:
    try:
        return (
            Report.objects.for_user(request.user)
            .select_related("roadmap", "organisation", "certificate")
            .get(pk=pk)
        )
    except Report.DoesNotExist:
        raise Http404("Отчёт не найден или недоступен.") from None


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    template = "reports/report_detail.html"
    if request.htmx and not report.is_finished:
        template += "#report-state"
    return render(request, template, {"report": report})


@login_required
def report_download(request, pk):
    report = _report(request, pk)
    if report.state != "done" or not report.file_path:
        raise Http404("Файл ещё не готов.")
    try:
        handle = selectors.report_file_handle(report)
    except FileNotFoundError:
        raise Http404("Файл отчёта больше не хранится: сформируйте его заново.") from None
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES[report.format],
        as_attachment=True,
        filename=safe_download_name(report.file_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public -----------------------------------------------------------------------------------


def public_pdf(request, token: str):
    """The PDF of a published revision, for anyone: its signed PDF, else its official
    PDF; while the system still makes it, a page that says so and refreshes itself. A
    withdrawn or unknown publication: 404."""
    link = roadmap_selectors.published_link(token)
    if link is None:
        raise Http404("Публикация не найдена или снята.")
    report = services.public_report(link.roadmap)
    if report is not None:
        try:
            handle = selectors.report_file_handle(report)
        except FileNotFoundError:
            report = None
    if report is None:
        return render(request, "reports/public_pdf_wait.html", {"link": link})
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES[ReportFormat.PDF],
        filename=safe_download_name(report.file_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Verification (public) -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report_verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = selectors.verify_pdf(form.cleaned_data["data"])
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request, "reports/report_verify.html", {"form": form, "result": result}, status=status
    )


def report_verify_token(request, token: str):
    result = selectors.verify_token(token)
    if result is None:
        raise Http404("Документ с таким ключом проверки не найден.")
    return render(request, "reports/report_verify.html", {"form": VerifyForm(), "result": result})
