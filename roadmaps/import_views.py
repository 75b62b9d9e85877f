"""Import a plan in the browser: upload or paste, preview the parsed plan with warnings
next to their rows and an editable column mapping, then commit in one transaction."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from schools.access import has_verb
from schools.forms import BootstrapMixin
from schools.models import Organisation

from .importing import ImportFileError, parse_plan
from .importing.structure import COLUMN_LABELS
from .importing_service import roadmap_import, with_organisation_warnings, with_schedules

SESSION_KEY = "roadmap_imports"
IMPORT_VERB = "roadmaps.import_roadmap"
SKIP = "skip"


class UploadForm(BootstrapMixin, forms.Form):
    owner = forms.ModelChoiceField(label="Чей это план", queryset=Organisation.objects.none())
    file = forms.FileField(
        label="Файл (.docx, .xlsx, .csv, .txt)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx,.csv,.txt"}),
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
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text:
            raise ValidationError("Выберите файл или вставьте таблицу.")
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload and upload.size > limit:
            raise ValidationError(
                f"Файл больше {limit // (1024 * 1024)} МБ — такой файл не принимается."
            )
        return data


def _pending(request) -> dict:
    return request.session.setdefault(SESSION_KEY, {})


def _require_verb(user) -> None:
    if not has_verb(user, IMPORT_VERB):
        raise PermissionDenied("Импортировать планы могут координаторы и методисты.")


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_import_start(request):
    _require_verb(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload:
            data, name = upload.read(), upload.name
        else:
            data, name = form.cleaned_data["text"].encode("utf-8"), "вставленный текст.txt"
        token = uuid.uuid4().hex
        path = default_storage.save(f"imports/{token}", ContentFile(data))
        _pending(request)[token] = {
            "path": path,
            "name": name,
            "owner": form.cleaned_data["owner"].pk,
        }
        request.session.modified = True
        return redirect("roadmap_import_preview", token=token)
    return render(request, "roadmaps/roadmap_import.html", {"form": form})


def _load(request, token: str):
    pending = _pending(request).get(token)
    if pending is None:
        return None, None, None
    owner = (
        Organisation.objects.for_user(request.user, IMPORT_VERB).filter(pk=pending["owner"]).first()
    )
    if owner is None or not default_storage.exists(pending["path"]):
        return None, None, None
    with default_storage.open(pending["path"], "rb") as handle:
        data = handle.read()
    return pending, owner, data


def _mapping_from(request, width: int) -> dict[int, str] | None:
    if not any(key.startswith("column_") for key in request.POST):
        return None
    mapping = {}
    for index in range(width):
        key = request.POST.get(f"column_{index}", SKIP)
        if key in COLUMN_LABELS:
            mapping[index] = key
    return mapping


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_import_preview(request, token: str):
    _require_verb(request.user)
    pending, owner, data = _load(request, token)
    if pending is None:
        messages.error(request, "Загрузка устарела или не найдена. Загрузите файл ещё раз.")
        return redirect("roadmap_import_start")
    error = None
    plan = None
    mapping = None
    try:
        plan = parse_plan(data, pending["name"])
        mapping = _mapping_from(request, len(plan.header_cells))
        if mapping is not None:
            plan = parse_plan(data, pending["name"], mapping=mapping)
        with_schedules(plan)
        with_organisation_warnings(
            plan,
            set(
                Organisation.objects.for_user(request.user, "view").values_list(
                    "short_name", flat=True
                )
            ),
        )
    except ImportFileError as exc:
        error = str(exc)
    if request.method == "POST" and "commit" in request.POST and plan is not None and error is None:
        try:
            roadmap = roadmap_import(
                plan=plan,
                owner=owner,
                acting_user=request.user,
                file_name=pending["name"],
                data=data,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            default_storage.delete(pending["path"])
            _pending(request).pop(token, None)
            request.session.modified = True
            messages.success(
                request,
                f"План импортирован: разделов {len(plan.sections)}, мероприятий {len(plan.all_measures())}.",
            )
            return redirect("roadmap_detail", pk=roadmap.pk)
    warnings_by_row: dict[int, list[str]] = {}
    general = []
    if plan is not None:
        for warning in plan.warnings:
            if warning.row:
                warnings_by_row.setdefault(warning.row, []).append(warning.message)
            else:
                general.append(warning.message)
    rows = []
    if plan is not None:
        for depth, item in plan.rows():
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
    return render(
        request,
        "roadmaps/roadmap_import_preview.html",
        {
            "token": token,
            "owner": owner,
            "file_name": pending["name"],
            "plan": plan,
            "rows": rows,
            "general_warnings": general,
            "error": error,
            "columns": [
                (index, cell, (plan.mapping.get(index) if plan else None) or SKIP)
                for index, cell in enumerate(plan.header_cells if plan else [])
            ],
            "column_choices": [*COLUMN_LABELS.items(), (SKIP, "не импортировать")],
        },
    )
