"""Execution pages: «Мои мероприятия», a record with its mark, evidence and history, the
curator's queue, a plan's execution, the municipal and regional overview, the start of
execution. Views parse the request, call one service and render; objects come only
through the access model (missing and foreign: 404; visible without the verb: 403)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.params import id_param, page_param
from core.timezones import today_in
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Roadmap
from roadmaps.services import EditConflict
from schools.access import get_object_for_user, scope_for
from schools.models import Municipality, Organisation, Region

from . import selectors, services
from .evidence import safe_download_name
from .forms import BulkMarkForm, BulkReviewForm, EvidenceForm, MarkForm, ReviewForm, StartForm
from .models import Evidence, EvidenceKind, ExecutionRecord, ReviewState
from .querysets import MARK, REVIEW, VIEW
from .status import Status

# --- helpers --------------------------------------------------------------------------------


def _back(request, default: str) -> str:
    """Where to go after a form: the page it was sent from (``next``, this site only)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _row(user, pk: int, action: str = "view") -> selectors.RecordRow:
    """A record as its page shows it; 404 when not visible, 403 without the verb."""
    row = selectors.record_for_page(user, pk)
    if action != "view" and pk not in (
        selectors.markable_ids(user, [pk])
        if action == MARK
        else selectors.reviewable_ids(user, [pk])
    ):
        raise PermissionDenied("У вас нет прав на это действие.")
    return row


def _card(request, row, *, mark_form=None, flash: str = "", may_mark: bool | None = None):
    """A record's card (htmx: swapped in place of the one on the page)."""
    if may_mark is None:
        may_mark = row.record.pk in selectors.markable_ids(request.user, [row.record.pk])
    return render(
        request,
        "execution/_record_card.html",
        {
            "row": row,
            "mark_form": mark_form,
            "flash": flash,
            "may_mark": may_mark,
            "show_org": True,
        },
    )


# --- «Мои мероприятия» -----------------------------------------------------------------------


@login_required
def my_measures(request):
    """What the person's organisations owe: to do now, waiting for the curator, later,
    done. Marking one is «Отметить» → (note, file) → «Отметить выполненным»."""
    organisations = selectors.my_organisations(request.user)
    work = selectors.my_work(
        request.user,
        tab=request.GET.get("tab", "todo"),
        organisation_id=id_param(request.GET.get("org")),
        organisations=organisations,
    )
    return render(
        request,
        "execution/my_measures.html",
        {
            "work": work,
            "tabs": selectors.TABS,
            "show_org": len(organisations) > 1 and work.organisation is None,
            "may_mark": True,
            "bulk": work.tab == "todo" and bool(work.rows),
            "bulk_form": BulkMarkForm(),
        },
    )


@login_required
def organisation_execution(request, pk: int):
    """An organisation's rows of every plan in execution, for whoever sees them (its
    director, the coordinator, the curator): the same lists as «Мои мероприятия»."""
    organisation = get_object_for_user(Organisation, request.user, pk)
    if request.htmx and request.GET.get("summary"):
        # The card on the organisation's page: its roll-up over the plans in execution.
        return render(
            request,
            "execution/_organisation_summary.html",
            {
                "organisation": organisation,
                "summary": selectors.organisation_rollup(request.user, organisation),
            },
        )
    work = selectors.my_work(
        request.user,
        tab=request.GET.get("tab", "todo"),
        organisation_id=organisation.pk,
        organisations=[organisation],
        verb=VIEW,
    )
    markable = selectors.markable_ids(request.user, [row.record.pk for row in work.rows])
    for row in work.rows:
        row.may_mark = row.record.pk in markable
    return render(
        request,
        "execution/organisation_execution.html",
        {
            "organisation": organisation,
            "work": work,
            "tabs": selectors.TABS,
            "show_org": False,
            "may_mark": None,
        },
    )


# --- One record ------------------------------------------------------------------------------


@login_required
def record_detail(request, pk: int):
    row = selectors.record_for_page(request.user, pk)
    record = row.record
    may_mark = record.pk in selectors.markable_ids(request.user, [pk])
    may_review = record.pk in selectors.reviewable_ids(request.user, [pk])
    in_execution = record.measure.roadmap.status == RoadmapStatus.EXECUTION
    return render(
        request,
        "execution/record_detail.html",
        {
            "row": row,
            "record": record,
            "roadmap": record.measure.roadmap,
            "may_mark": may_mark and in_execution and row.can_change_mark,
            "may_review": may_review and in_execution and record.review == ReviewState.WAITING,
            "mark_form": MarkForm(
                initial={"version": record.version, "state": _initial_state(record)},
                prefix_id=record.pk,
            ),
            "review_form": ReviewForm(initial={"version": record.version}),
            "evidence_form": EvidenceForm(),
            "history": selectors.record_history(record),
            "evidence_history": selectors.evidence_history(record),
        },
    )


def _initial_state(record: ExecutionRecord) -> str:
    return record.state if record.state != "pending" else "done"


@login_required
@require_http_methods(["GET", "POST"])
def record_mark(request, pk: int):
    """«Отметить»: the form (in place of the card, or as a page) and its submission — the
    mark, its files and link in one service call."""
    row = _row(request.user, pk, MARK)
    record = row.record
    if request.htmx and request.GET.get("cancel"):
        return _card(request, row, may_mark=True)
    form = MarkForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": record.version, "state": _initial_state(record)},
        prefix_id=record.pk,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report(
                records=[record.pk],
                acting_user=request.user,
                state=data["state"],
                done_on=data["done_on"],
                note=data["note"],
                files=data["files"],
                links=[data["link"]] if data["link"] else [],
                expected_version=data["version"],
            )
        except EditConflict as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, _messages_of(error))
        else:
            row = selectors.record_for_page(request.user, pk)
            text = "Отмечено" + (
                ": отметка ушла куратору на проверку."
                if row.record.review == ReviewState.WAITING
                else "."
            )
            if request.htmx:
                return _card(request, row, flash=text, may_mark=True)
            messages.success(request, text)
            return redirect(_back(request, reverse("my_measures")))
    context = {"row": row, "record": record, "mark_form": form, "may_mark": True, "show_org": True}
    if request.htmx:
        return render(request, "execution/_record_card.html", context)
    return render(request, "execution/record_mark.html", context)


@login_required
@require_POST
def records_mark(request):
    """Several records marked at once with one note (several windows of a school; several
    schools by the authority)."""
    form = BulkMarkForm(request.POST, request.FILES)
    back = _back(request, reverse("my_measures"))
    if not form.is_valid():
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(errors) or "Проверьте отметку.")
        return redirect(back)
    data = form.cleaned_data
    try:
        rows = services.report(
            records=data["records"],
            acting_user=request.user,
            state=data["state"],
            done_on=data["done_on"],
            note=data["note"],
            files=data["files"],
            links=[data["link"]] if data["link"] else [],
        )
    except EditConflict as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, f"Отмечено строк: {len(rows)}.")
    return redirect(back)


@login_required
@require_POST
def record_evidence(request, pk: int):
    """Files and a link added to a mark already sent."""
    _row(request.user, pk, MARK)
    form = EvidenceForm(request.POST, request.FILES)
    back = _back(request, reverse("record_detail", kwargs={"pk": pk}))
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Проверьте файл и ссылку.")
        return redirect(back)
    try:
        added = services.evidence_add(
            record=pk,
            acting_user=request.user,
            files=form.cleaned_data["files"],
            links=[form.cleaned_data["link"]] if form.cleaned_data["link"] else [],
        )
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, f"Добавлено подтверждений: {len(added)}.")
    return redirect(back)


@login_required
def evidence_download(request, pk: int):
    """A file of evidence, streamed after the access check (nothing serves the private
    storage); a link goes to its address. In production the proxy sends the bytes
    (``PRIVATE_MEDIA_ACCEL`` — X-Accel-Redirect)."""
    evidence = get_object_for_user(Evidence, request.user, pk)
    if evidence.kind == EvidenceKind.LINK:
        return redirect(evidence.url)
    inline = evidence.content_type in {"application/pdf", "image/jpeg", "image/png"}
    disposition = safe_download_name(evidence.original_name or "file", as_attachment=not inline)
    accel = getattr(settings, "PRIVATE_MEDIA_ACCEL", "")
    if accel:
        response = HttpResponse(content_type=evidence.content_type)
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{evidence.file.name}"
    else:
        try:
            handle = evidence.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404("Файл не найден в хранилище.") from None
        response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = get_object_for_user(Evidence, request.user, pk, "delete")
    back = _back(request, reverse("record_detail", kwargs={"pk": evidence.record_id}))
    try:
        services.evidence_remove(evidence=evidence, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "Подтверждение удалено.")
    return redirect(back)


# --- The curator ----------------------------------------------------------------------------


@login_required
def review_queue(request):
    """Marks waiting for acceptance in the person's schools, oldest first."""
    if scope_for(request.user, REVIEW).is_empty:
        raise PermissionDenied("Проверять отметки могут кураторы школ и координаторы.")
    queue = selectors.review_queue(
        request.user,
        school_id=id_param(request.GET.get("school")),
        plan_id=id_param(request.GET.get("plan")),
    )
    return render(
        request,
        "execution/review_queue.html",
        {"queue": queue, "review_form": ReviewForm()},
    )


@login_required
@require_POST
def record_review(request, pk: int):
    """Accept a mark, or return it with what to fix."""
    row = _row(request.user, pk, REVIEW)
    form = ReviewForm(request.POST)
    back = _back(request, reverse("review_queue"))
    error = ""
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.review(
                records=[pk],
                acting_user=request.user,
                accept=accept,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, EditConflict) as exc:
            error = str(exc) if isinstance(exc, EditConflict) else _messages_of(exc)
        else:
            text = "Отметка принята." if accept else "Отметка возвращена на доработку."
            if request.htmx:
                row = selectors.record_for_page(request.user, pk)
                return render(request, "execution/_review_item.html", {"row": row, "flash": text})
            messages.success(request, text)
            return redirect(back)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if request.htmx:
        return render(
            request,
            "execution/_review_item.html",
            {"row": row, "review_form": form, "error": error},
        )
    messages.error(request, error)
    return redirect(back)


@login_required
@require_POST
def records_review(request):
    """Accept the chosen marks at once."""
    form = BulkReviewForm(request.POST)
    back = _back(request, reverse("review_queue"))
    if not form.is_valid():
        messages.error(request, "Выберите отметки, которые нужно принять.")
        return redirect(back)
    try:
        rows = services.review(
            records=form.cleaned_data["records"], acting_user=request.user, accept=True
        )
    except (ValidationError, EditConflict) as error:
        messages.error(
            request, str(error) if isinstance(error, EditConflict) else _messages_of(error)
        )
    else:
        messages.success(request, f"Принято отметок: {len(rows)}.")
    return redirect(back)


# --- A plan ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_start_execution(request, pk: int):
    """«Начать исполнение»: the settings, what will be created, and the start."""
    roadmap = get_object_for_user(
        Roadmap, request.user, pk, "change", select_related=("owner__region",)
    )
    if roadmap.status == RoadmapStatus.EXECUTION:
        messages.info(request, "План уже исполняется.")
        return redirect("roadmap_execution", pk=roadmap.pk)
    form = StartForm(
        request.POST or None,
        initial={
            "reporting_months": roadmap.reporting_months,
            "marks_need_acceptance": roadmap.marks_need_acceptance,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.start_execution(
                roadmap=roadmap,
                acting_user=request.user,
                reporting_months=form.cleaned_data["reporting_months"],
                marks_need_acceptance=form.cleaned_data["marks_need_acceptance"],
            )
        except ValidationError as error:
            form.add_error(None, _messages_of(error))
        else:
            messages.success(
                request,
                f"План исполняется. Создано отметок к исполнению: {result.created}.",
            )
            return redirect("roadmap_execution", pk=roadmap.pk)
    return render(
        request,
        "execution/roadmap_start.html",
        {
            "roadmap": roadmap,
            "form": form,
            "preview": selectors.start_preview(roadmap),
            "startable": roadmap.status in services.STARTABLE_STATUSES and not roadmap.is_template,
        },
    )


@login_required
def roadmap_execution(request, pk: int):
    """A plan's execution: the whole, per organisation, per measure, and its records with
    filters; those who may mark several at once do it here."""
    roadmap = get_object_for_user(Roadmap, request.user, pk, select_related=("owner__region",))
    execution = selectors.plan_execution(request.user, roadmap, own_rows=False)
    filters = selectors.RecordFilters(
        organisation_id=id_param(request.GET.get("organisation")),
        measure_id=id_param(request.GET.get("measure")),
        status=request.GET.get("status", "")[:20],
    )
    measures = selectors.plan_measures(roadmap)
    ids = selectors.plan_record_list(request.user, roadmap, filters, execution.today, measures)
    page = Paginator(ids, selectors.RECORDS_PAGE).get_page(page_param(request.GET.get("page")))
    rows = selectors.record_rows(selectors.records_by_ids(list(page.object_list), roadmap=roadmap))
    markable = selectors.markable_ids(request.user, [row.record.pk for row in rows])
    by_measure = [
        (measure, execution.by_measure[measure.pk])
        for measure in measures
        if measure.pk in execution.by_measure
    ]
    in_execution = roadmap.status == RoadmapStatus.EXECUTION
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "execution/roadmap_execution.html",
        {
            "roadmap": roadmap,
            "execution": execution,
            "by_measure": by_measure,
            "measures": measures,
            "filters": filters,
            "statuses": list(Status),
            "page": page,
            "rows": rows,
            "markable": markable if in_execution else set(),
            "bulk_form": BulkMarkForm(),
            "querystring": params.urlencode(),
        },
    )


# --- Overviews ------------------------------------------------------------------------------


@login_required
def execution_overview(request):
    """Where execution stands: a municipality's schools × plans, or a region's
    municipalities (drill down to one). Within the person's reach."""
    municipality_id = id_param(request.GET.get("municipality"))
    region_id = id_param(request.GET.get("region"))
    scope = scope_for(request.user, VIEW)
    if scope.is_empty:
        raise PermissionDenied("Сводка по исполнению доступна сотрудникам органов управления.")
    if municipality_id is None and region_id is None:
        if scope.regions:
            region_id = min(scope.regions)
        elif scope.municipalities:
            municipality_id = min(scope.municipalities)
        elif scope.everything:
            region_id = (
                Region.objects.for_user(request.user, "view")
                .order_by("name")
                .values_list("pk", flat=True)
                .first()
            )
        if region_id is None and municipality_id is None:
            return redirect("my_measures")
    if municipality_id is not None:
        municipality = get_object_for_user(
            Municipality, request.user, municipality_id, select_related=("region",)
        )
        return render(
            request,
            "execution/overview_municipality.html",
            {"overview": selectors.municipal_overview(request.user, municipality)},
        )
    region = get_object_for_user(Region, request.user, region_id)
    return render(
        request,
        "execution/overview_region.html",
        {
            "overview": selectors.regional_overview(request.user, region),
            "today": today_in(region),
        },
    )
