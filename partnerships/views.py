"""Partnership pages: the agreements (list, record, page, change, signing with the scan,
termination), the network of a municipality or a network plan (table and graph, .xlsx and
PDF), the import of an existing list. Views parse the request, call one service and
render; objects come only through the access model (missing and foreign: 404; visible
without the verb: 403)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from core.models import JobState
from core.params import id_param, page_param
from execution.evidence import safe_download_name
from roadmaps.models import Roadmap
from schools.access import FORBIDDEN_MESSAGE, get_object_for_user, scope_for
from schools.models import Municipality

from . import resources, selectors, services, svg
from .constants import IMPORT_MAX_BYTES, AgreementStatus
from .forms import (
    AgreementCreateForm,
    AgreementForm,
    ImportForm,
    ImportOptionsForm,
    ListFilterForm,
    ScanForm,
    SignForm,
    TerminateForm,
    agreement_input,
    extra_rows,
    party_formset,
    party_initial,
)
from .models import NetworkExport
from .querysets import ADD, IMPORT, VIEW

PAGE_SIZE = 50
PARTY_PREFIX = "party"


def _need(user, verb: str, message: str = FORBIDDEN_MESSAGE) -> None:
    if scope_for(user, verb).is_empty:
        raise PermissionDenied(message)


def _errors_to_forms(error: ValidationError, form, extra: dict | None = None) -> list[str]:
    """A service's refusal onto the form: fields by name; the parties' messages returned
    for the table of parties; the rest on the form itself."""
    party_errors: list[str] = []
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return party_errors
    for name, messages_ in error.message_dict.items():
        if name == "parties":
            party_errors.extend(messages_)
        elif name in form.fields:
            for message in messages_:
                form.add_error(name, message)
        elif extra is not None and name in extra.fields:
            for message in messages_:
                extra.add_error(name, message)
        else:
            form.add_error(None, messages_)
    return party_errors


def _party_rows(request, count: int) -> int:
    """How many empty party rows the form shows (``?rows=`` adds more)."""
    asked = id_param(request.GET.get("rows")) or 0
    return max(extra_rows(count), min(asked, 20) - count)


# --- The list --------------------------------------------------------------------------------


@login_required
def agreement_list(request):
    user = request.user
    _need(user, VIEW, "Соглашения видят сотрудники сторон, координаторы и методисты.")
    filters = selectors.ListFilters.from_query(request.GET)
    form = ListFilterForm(request.GET or None, user=user)
    page = Paginator(selectors.agreement_list(user, filters), PAGE_SIZE).get_page(
        page_param(request.GET.get("page"))
    )
    municipalities = selectors.municipality_choices(user)
    today = timezone.localdate()
    for agreement in page.object_list:
        agreement.days_left = (agreement.valid_to - today).days if agreement.valid_to else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/agreement_list.html",
        {
            "page": page,
            "form": form,
            "filters": filters,
            "verbs": selectors.verbs(user),
            "municipalities": municipalities,
            "query": query.urlencode(),
            "today": today,
        },
    )


# --- One agreement ---------------------------------------------------------------------------


def _form_context(request, form, formset, party_errors, *, agreement=None, title: str):
    return {
        "form": form,
        "formset": formset,
        "party_errors": party_errors,
        "agreement": agreement,
        "title": title,
        "more_rows_url": f"?rows={len(formset.forms) + 3}",
    }


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    user = request.user
    _need(user, ADD, "Вносить соглашения могут муниципальные координаторы.")
    initial = {"valid_from": timezone.localdate()}
    measure = id_param(request.GET.get("measure"))
    plan = id_param(request.GET.get("plan"))
    if measure:
        initial["measures"] = [measure]
    if plan:
        initial["roadmaps"] = [plan]
    form = AgreementCreateForm(
        request.POST or None, request.FILES or None, user=user, initial=initial
    )
    candidates = selectors.grouped_candidates(user)
    Formset = party_formset(extra=_party_rows(request, 0))
    formset = Formset(request.POST or None, prefix=PARTY_PREFIX, candidates=candidates)
    party_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = agreement_input(user, form, formset)
        try:
            agreement = services.agreement_create(
                acting_user=user,
                data=data,
                signed_on=form.cleaned_data.get("signed_on"),
                scan=form.cleaned_data.get("scan"),
            )
        except ValidationError as error:
            party_errors = _errors_to_forms(error, form)
        else:
            messages.success(request, _created_message(agreement))
            return redirect("agreement_detail", pk=agreement.pk)
    return render(
        request,
        "partnerships/agreement_form.html",
        _form_context(request, form, formset, party_errors, title="Новое соглашение"),
    )


def _created_message(agreement) -> str:
    if agreement.status == AgreementStatus.SIGNED:
        return (
            f"{agreement} внесено как действующее. Мероприятия, которые оно выполняет, "
            "отмечены у сторон."
        )
    return f"{agreement} внесено как черновик. Когда его подпишут, отметьте это на его странице."


@login_required
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_for_page(request.user, pk)
    return _detail(request, agreement)


def _detail(request, agreement, *, sign_form=None, scan_form=None, terminate_form=None, status=200):
    page = selectors.agreement_page(request.user, agreement)
    today = timezone.localdate()
    return render(
        request,
        "partnerships/agreement_detail.html",
        {
            "page": page,
            "agreement": agreement,
            "sign_form": sign_form
            or SignForm(initial={"signed_on": today, "version": agreement.version}),
            "scan_form": scan_form or ScanForm(),
            "terminate_form": terminate_form or TerminateForm(initial={"terminated_on": today}),
            "today": today,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk: int):
    user = request.user
    agreement = selectors.agreement_for_page(user, pk, "change")
    if not agreement.is_editable:
        messages.error(
            request,
            f"Соглашение «{agreement.get_status_display()}»: его данные больше не меняются.",
        )
        return redirect("agreement_detail", pk=agreement.pk)
    initial = {
        "number": agreement.number,
        "kind": agreement.kind,
        "subject": agreement.subject,
        "support_form": agreement.support_form,
        "valid_from": agreement.valid_from,
        "valid_to": agreement.valid_to,
        "roadmaps": list(agreement.roadmaps.values_list("pk", flat=True)),
        "measures": list(agreement.measures.values_list("pk", flat=True)),
        "version": agreement.version,
    }
    form = AgreementForm(request.POST or None, user=user, agreement=agreement, initial=initial)
    parties = party_initial(agreement)
    candidates = selectors.grouped_candidates(
        user, include={row["organisation"] for row in parties}
    )
    Formset = party_formset(extra=_party_rows(request, len(parties)))
    formset = Formset(
        request.POST or None, prefix=PARTY_PREFIX, candidates=candidates, initial=parties
    )
    party_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = agreement_input(user, form, formset)
        try:
            services.agreement_update(
                agreement=agreement,
                acting_user=user,
                data=data,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            party_errors = _errors_to_forms(error, form)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("agreement_detail", pk=agreement.pk)
    return render(
        request,
        "partnerships/agreement_form.html",
        _form_context(
            request, form, formset, party_errors, agreement=agreement, title=f"{agreement}: правка"
        ),
    )


@login_required
@require_POST
def agreement_sign(request, pk: int):
    agreement = selectors.agreement_for_page(request.user, pk, "change")
    form = SignForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.agreement_sign(
                agreement=agreement,
                acting_user=request.user,
                signed_on=form.cleaned_data["signed_on"],
                scan=form.cleaned_data.get("scan"),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            _errors_to_forms(error, form)
        else:
            messages.success(
                request,
                "Соглашение подписано. Мероприятия, которые оно выполняет, отмечены у сторон.",
            )
            return redirect("agreement_detail", pk=agreement.pk)
    return _detail(request, agreement, sign_form=form)


@login_required
@require_POST
def agreement_scan(request, pk: int):
    agreement = selectors.agreement_for_page(request.user, pk, "change")
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.agreement_attach_scan(
                agreement=agreement, acting_user=request.user, scan=form.cleaned_data["scan"]
            )
        except ValidationError as error:
            _errors_to_forms(error, form)
        else:
            messages.success(request, "Скан приложен.")
            return redirect("agreement_detail", pk=agreement.pk)
    return _detail(request, agreement, scan_form=form)


@login_required
@require_POST
def agreement_terminate(request, pk: int):
    agreement = selectors.agreement_for_page(request.user, pk, "change")
    form = TerminateForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_terminate(
                agreement=agreement,
                acting_user=request.user,
                terminated_on=form.cleaned_data["terminated_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors_to_forms(error, form)
        else:
            messages.success(request, "Соглашение расторгнуто.")
            return redirect("agreement_detail", pk=agreement.pk)
    return _detail(request, agreement, terminate_form=form)


@login_required
@require_POST
def agreement_delete(request, pk: int):
    agreement = selectors.agreement_for_page(request.user, pk, "delete")
    try:
        services.agreement_delete(agreement=agreement, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreement_detail", pk=agreement.pk)
    messages.success(request, "Черновик соглашения удалён.")
    return redirect("agreement_list")


def _private_file(name: str, content_type: str, download_name: str, *, inline: bool, storage=None):
    """A file of the private storage (``storage``: a file field's own, which wrote it),
    streamed after the caller's access check (in production the proxy sends the bytes:
    ``PRIVATE_MEDIA_ACCEL``)."""
    accel = getattr(settings, "PRIVATE_MEDIA_ACCEL", "")
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{name}"
    else:
        try:
            handle = (storage or storages["private"]).open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404("Файл не найден в хранилище.") from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = safe_download_name(download_name, as_attachment=not inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agreement_scan_download(request, pk: int):
    """The signed scan, streamed after the access check (nothing serves the storage)."""
    agreement = selectors.agreement_for_page(request.user, pk)
    if not agreement.scan:
        raise Http404("К соглашению не приложен скан.")
    inline = agreement.scan_content_type in {"application/pdf", "image/jpeg", "image/png"}
    return _private_file(
        agreement.scan.name,
        agreement.scan_content_type,
        agreement.scan_name or "scan",
        inline=inline,
        storage=agreement.scan.storage,
    )


# --- The network -----------------------------------------------------------------------------


def _network_target(request, scope: str, pk: int):
    """(municipality, plan) of a network page: the municipality or plan must be visible
    (404), and the person must see agreements somewhere (403)."""
    user = request.user
    if scope == "municipality":
        target = (get_object_for_user(Municipality, user, pk), None)
    elif scope == "plan":
        target = (None, get_object_for_user(Roadmap, user, pk, select_related=("owner",)))
    else:
        raise Http404("Нет такой сети.")
    _need(user, VIEW)
    return target


def _node_href(organisation_id: int) -> str:
    return f"{reverse('agreement_list')}?organisation={organisation_id}"


def network_svg(data: selectors.Network, **kwargs) -> str:
    return svg.render(data.layout, title=data.title, role_labels=selectors.ROLE_LABELS, **kwargs)


@login_required
def network(request, scope: str, pk: int):
    municipality, roadmap = _network_target(request, scope, pk)
    include_all = request.GET.get("all") == "1"
    data = selectors.network(
        request.user, municipality=municipality, roadmap=roadmap, include_all=include_all
    )
    drawing = mark_safe(network_svg(data, node_href=_node_href))  # noqa: S308 - escaped in svg
    return render(
        request,
        "partnerships/network.html",
        {
            "data": data,
            "drawing": drawing,
            "scope": scope,
            "pk": pk,
            "include_all": include_all,
            "all_query": "?all=1" if include_all else "",
            "recent": _recent_exports(request.user, municipality, roadmap),
        },
    )


def _recent_exports(user, municipality, roadmap) -> list[NetworkExport]:
    qs = NetworkExport.objects.for_user(user, "view")
    qs = qs.filter(municipality=municipality) if municipality else qs.filter(roadmap=roadmap)
    return list(qs.order_by("-created_at")[:3])


@login_required
def network_export(request, scope: str, pk: int):
    """«Список сетевого партнерства» as .xlsx: the rows of the page, as the person sees it."""
    municipality, roadmap = _network_target(request, scope, pk)
    include_all = request.GET.get("all") == "1"
    data = selectors.network(
        request.user, municipality=municipality, roadmap=roadmap, include_all=include_all
    )
    note = f"Сформировано {timezone.localtime():%d.%m.%Y %H:%M}" + (
        "; включая черновики и недействующие соглашения" if include_all else ""
    )
    content = resources.list_xlsx(data.title, data.rows, note=note)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="network-{scope}-{pk}.xlsx"'
    return response


@login_required
@require_POST
def network_pdf(request, scope: str, pk: int):
    municipality, roadmap = _network_target(request, scope, pk)
    job = services.network_pdf_request(
        acting_user=request.user,
        municipality=municipality,
        roadmap=roadmap,
        include_all=request.POST.get("all") == "1",
    )
    return redirect("network_pdf_detail", pk=job.pk)


def _job(request, pk) -> NetworkExport:
    return get_object_for_user(NetworkExport, request.user, pk)


@login_required
def network_pdf_detail(request, pk):
    job = _job(request, pk)
    back = (
        reverse("network", kwargs={"scope": "municipality", "pk": job.municipality_id})
        if job.municipality_id
        else reverse("network", kwargs={"scope": "plan", "pk": job.roadmap_id})
    )
    context = {"job": job, "back": back}
    if request.htmx:
        return render(request, "partnerships/network_pdf.html#status", context)
    return render(request, "partnerships/network_pdf.html", context)


@login_required
def network_pdf_download(request, pk):
    job = _job(request, pk)
    if job.state != JobState.DONE or not job.file_path:
        raise Http404("Файл ещё не готов.")
    return _private_file(
        job.file_path, "application/pdf", "spisok-setevogo-partnerstva.pdf", inline=True
    )


# --- Import ----------------------------------------------------------------------------------

SESSION_KEY = "agreement_imports"


def _options(user, data: dict) -> resources.ImportOptions:
    plans, measures = selectors.link_objects(
        user,
        None,
        [data["roadmap"]] if data.get("roadmap") else [],
        [data["measure"]] if data.get("measure") else [],
    )
    return resources.ImportOptions(
        valid_from=data["valid_from"],
        valid_to=data.get("valid_to"),
        signed=bool(data.get("signed")),
        signed_on=data.get("signed_on"),
        roadmaps=plans,
        measures=measures,
    )


def _preview(user, content: bytes, name: str, options: resources.ImportOptions):
    rows = resources.read_list(content, name)
    result = resources.preview(rows, selectors.party_candidates(user), options)
    if not result.has_errors:
        by_line = {row.line: row for row in result.rows}
        for line, errors in services.import_errors(user, result.items).items():
            by_line[line].errors.extend(errors)
    return result


@login_required
@require_http_methods(["GET", "POST"])
def agreement_import(request):
    user = request.user
    _need(user, IMPORT, "Импортировать список могут муниципальные координаторы.")
    pending = request.session.get(SESSION_KEY, {})
    token = request.POST.get("token")
    if request.method == "POST" and token:
        item = pending.pop(token, None)
        request.session.modified = True
        if item is None or not resources.upload_exists(item["path"]):
            messages.error(request, "Загрузка устарела. Загрузите файл ещё раз.")
            return redirect("agreement_import")
        content = resources.take_upload(item["path"])
        form = ImportOptionsForm(item["form"], user=user)
        if not form.is_valid():
            messages.error(request, "Условия импорта изменились. Загрузите файл ещё раз.")
            return redirect("agreement_import")
        try:
            result = _preview(user, content, item["name"], _options(user, form.cleaned_data))
            if result.has_errors:
                raise ValidationError("В списке есть ошибки.")
            created = services.agreements_import(acting_user=user, items=result.items)
        except (ValidationError, resources.ListFileError):
            messages.error(
                request,
                "Список изменился или в нём появились ошибки — ничего не записано. "
                "Загрузите его снова.",
            )
            return redirect("agreement_import")
        messages.success(request, f"Импортировано соглашений: {len(created)}.")
        return redirect("agreement_list")
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(IMPORT_MAX_BYTES + 1)
        try:
            result = _preview(user, content, upload.name, _options(user, form.cleaned_data))
        except resources.ListFileError as error:
            form.add_error("file", str(error))
        else:
            context["result"] = result
            if not result.has_errors:
                token = uuid.uuid4().hex
                path = resources.stage_upload(token, content)
                pending[token] = {
                    "path": path,
                    "name": upload.name,
                    "form": {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"},
                }
                request.session[SESSION_KEY] = pending
                context["token"] = token
    return render(request, "partnerships/agreement_import.html", context)
