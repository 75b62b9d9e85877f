"""Import a plan in the browser: upload or paste → the upload is validated, kept in the
private storage as an import job and parsed by a worker → the page shows progress, then
the stored preview (paginated, warnings beside their rows, the column mapping) → commit.

Views only parse the request, call one service and render; the job is the uploader's own
(the scoped ``for_user`` of ImportJob): anyone else gets the same 404 as for a missing job."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from core.forms import BootstrapMixin
from schools.access import get_object_for_user, has_verb
from schools.models import Organisation

from ..models import ImportJob
from .model import ParsedPlan
from .readers import MAX_ROWS, OLE_SIGNATURE
from .service import (
    IMPORT_VERB,
    import_job_cancel,
    import_job_commit,
    import_job_create,
    import_job_remap,
)
from .structure import COLUMN_LABELS

SKIP = "skip"
ROWS_PER_PAGE = 200
EXTENSIONS = (".docx", ".xlsx", ".csv", ".txt")
ZIP_SIGNATURE = b"PK\x03\x04"


class UploadForm(BootstrapMixin, forms.Form):
    owner = forms.ModelChoiceField(label="Чей это план", queryset=Organisation.objects.none())
    file = forms.FileField(
        label="Файл (.docx, .xlsx, .csv, .txt)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    text = forms.CharField(
        label="…или вставьте таблицу, скопированную из Word (вместе с текстом над и под ней)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.for_user(user, IMPORT_VERB).order_by(
            "short_name"
        )
        self.fields["owner"].label_from_instance = lambda org: org.short_name

    def clean(self):
        """Everything that can be judged before the file is kept: its size, its name and
        whether its first bytes match the name (the parse checks the rest, in a worker)."""
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text:
            raise ValidationError("Выберите файл или вставьте таблицу.")
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload:
            if upload.size > limit:
                raise ValidationError(
                    f"Файл больше {limit // (1024 * 1024)} МБ — такой файл не принимается."
                )
            name = upload.name or ""
            lowered = name.lower()
            if lowered.endswith((".docm", ".xlsm", ".dotm")):
                raise ValidationError(
                    "Файлы с макросами не принимаются. Сохраните документ как .docx или .xlsx без макросов."
                )
            if lowered.endswith((".doc", ".xls")):
                raise ValidationError(
                    "Старые форматы .doc и .xls не поддерживаются: сохраните файл как .docx или .xlsx."
                )
            if not lowered.endswith(EXTENSIONS):
                raise ValidationError(
                    "Поддерживаются файлы .docx, .xlsx, .csv и .txt, а также текст, вставленный из таблицы."
                )
            content = upload.read(limit + 1)
            if not content.strip():
                raise ValidationError("Файл пустой.")
            kind = lowered.rsplit(".", 1)[-1]
            if kind in ("docx", "xlsx") and not content.startswith(ZIP_SIGNATURE):
                if content.startswith(OLE_SIGNATURE):
                    raise ValidationError(
                        f"Файл {kind} зашифрован паролем или сохранён в старом формате. "
                        f"Снимите пароль и сохраните как .{kind}."
                    )
                raise ValidationError(
                    f"Это не файл .{kind}: содержимое не соответствует расширению, или файл повреждён."
                )
            data["content"], data["name"] = content, name
        else:
            content = text.encode("utf-8")
            if len(content) > limit:
                raise ValidationError(
                    f"Текст больше {limit // (1024 * 1024)} МБ — такой текст не принимается."
                )
            data["content"], data["name"] = content, "вставленный текст.txt"
        return data


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_import_start(request):
    if not has_verb(request.user, IMPORT_VERB):
        raise PermissionDenied("Импортировать планы могут координаторы и методисты.")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = import_job_create(
            acting_user=request.user,
            owner=form.cleaned_data["owner"],
            file_name=form.cleaned_data["name"],
            data=form.cleaned_data["content"],
        )
        return redirect("roadmap_import_preview", pk=job.pk)
    limits = {
        "upload_mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024),
        "rows": f"{MAX_ROWS:,}".replace(",", " "),
        "ttl_hours": int(settings.IMPORT_UPLOAD_TTL.total_seconds() // 3600),
    }
    return render(request, "roadmaps/roadmap_import.html", {"form": form, "limits": limits})


def _job(request, pk) -> ImportJob:
    return get_object_for_user(ImportJob, request.user, pk, select_related=("owner",))


def _mapping_from(request, width: int) -> dict[int, str]:
    mapping = {}
    for index in range(width):
        key = request.POST.get(f"column_{index}", SKIP)
        if key in COLUMN_LABELS:
            mapping[index] = key
    return mapping


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_import_preview(request, pk):
    job = _job(request, pk)
    if request.method == "POST":
        try:
            if "commit" in request.POST:
                roadmap = import_job_commit(job=job, acting_user=request.user)
                measures = roadmap.measures.count()
                messages.success(request, f"План импортирован: мероприятий {measures}.")
                return redirect("roadmap_detail", pk=roadmap.pk)
            width = len((job.preview or {}).get("header_cells", []))
            import_job_remap(
                job=job, mapping=_mapping_from(request, width), acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("roadmap_import_preview", pk=job.pk)
    return render(request, "roadmaps/roadmap_import_preview.html", _preview_context(request, job))


def _preview_context(request, job: ImportJob) -> dict:
    context: dict = {"job": job, "plan": None, "rows": [], "page": None}
    if job.preview is None:
        return context
    plan = ParsedPlan.from_stored(job.preview)
    warnings_by_row: dict[int, list[str]] = {}
    general = []
    for warning in plan.warnings:
        if warning.row:
            warnings_by_row.setdefault(warning.row, []).append(warning.message)
        else:
            general.append(warning.message)
    page = Paginator(plan.rows(), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for depth, item in page.object_list:
        schedule = getattr(item, "schedule", None) or {}
        rows.append(
            {
                "depth": depth,
                "item": item,
                "is_section": not hasattr(item, "deadline_text"),
                "warnings": warnings_by_row.get(item.row, []),
                "due": [datetime.date.fromisoformat(w[1]) for w in schedule.get("windows", [])],
            }
        )
    context.update(
        plan=plan,
        rows=rows,
        page=page,
        measure_count=len(plan.all_measures()),
        general_warnings=general,
        columns=[
            (index, cell, plan.mapping.get(index) or SKIP)
            for index, cell in enumerate(plan.header_cells)
        ],
        column_choices=[*COLUMN_LABELS.items(), (SKIP, "не импортировать")],
    )
    return context


@login_required
@require_http_methods(["GET"])
def roadmap_import_status(request, pk):
    """The small status fragment the preview page polls while the file is parsed; once
    the job is finished it asks htmx to reload the page (which then shows the preview)."""
    job = _job(request, pk)
    if job.is_finished:
        return HttpResponseClientRefresh()
    return render(request, "roadmaps/roadmap_import_preview.html#status", {"job": job})


@login_required
@require_POST
def roadmap_import_cancel(request, pk) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_job_cancel(job=job, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("roadmap_import_preview", pk=job.pk)
    messages.info(request, "Загрузка отменена, файл удалён.")
    return redirect("roadmap_import_start")
