"""Directory import and export in the browser for coordinators (not only in admin): the
same django-import-export resources, bound to the acting user's reach; a preview with row
errors first, then one transaction."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .access import has_verb
from .forms import BootstrapMixin
from .models import Organisation, User
from .resources import (
    EXPORT_VERB,
    IMPORT_VERB,
    OrganisationResource,
    PersonResource,
    SafeCSV,
    SafeXLSX,
    SchoolResource,
)

RESOURCES = {
    "organisations": ("Организации", OrganisationResource, Organisation),
    "schools": (
        "Школы (с признаками ШНОР, ШНСУ, лидер, «школа роста»)",
        SchoolResource,
        Organisation,
    ),
    "people": ("Люди и их роли", PersonResource, User),
}
FORMATS = {"xlsx": SafeXLSX, "csv": SafeCSV}
SESSION_KEY = "directory_imports"


class DirectoryImportForm(BootstrapMixin, forms.Form):
    resource = forms.ChoiceField(
        label="Что импортировать", choices=[(k, v[0]) for k, v in RESOURCES.items()]
    )
    file = forms.FileField(
        label="Файл .xlsx или .csv", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Файл слишком большой.")
        if not upload.name.lower().endswith(tuple(FORMATS)):
            raise forms.ValidationError("Поддерживаются файлы .xlsx и .csv.")
        return upload


def _dataset(data: bytes, name: str):
    fmt = FORMATS["xlsx" if name.lower().endswith(".xlsx") else "csv"]()
    try:
        if fmt.is_binary():
            return fmt.create_dataset(data)
        text = None
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise ValueError
        return fmt.create_dataset(text)
    except Exception:  # noqa: BLE001 — tablib/openpyxl raise many kinds on broken files
        return None


def _uploads():
    """Checked uploads waiting for the person's confirmation: the private storage, which
    no URL serves; ``cleanup_directory_uploads`` removes what is never confirmed."""
    return storages["private"]


UPLOAD_FOLDER = "directory-imports"


def directory_uploads_cleanup(*, older_than: datetime.timedelta) -> int:
    """Delete checked uploads nobody confirmed (the periodic clean-up); returns how many."""
    storage = _uploads()
    try:
        _, names = storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, OSError):
        return 0
    limit = timezone.now() - older_than
    deleted = 0
    for name in names:
        path = f"{UPLOAD_FOLDER}/{name}"
        if storage.get_modified_time(path) < limit:
            storage.delete(path)
            deleted += 1
    return deleted


@login_required
@require_http_methods(["GET", "POST"])
def directory_import(request):
    if not has_verb(request.user, IMPORT_VERB):
        raise PermissionDenied("Импортировать справочник могут координаторы и администраторы.")
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    token = request.POST.get("token")
    pending = request.session.get(SESSION_KEY, {})
    if request.method == "POST" and token:
        item = pending.get(token)
        if item is None or not _uploads().exists(item["path"]):
            messages.error(request, "Загрузка устарела. Загрузите файл ещё раз.")
            return redirect("directory_import")
        with _uploads().open(item["path"], "rb") as handle:
            data = handle.read()
        dataset = _dataset(data, item["name"])
        resource = RESOURCES[item["resource"]][1](user=request.user)
        result = resource.import_data(
            dataset, dry_run=False, use_transactions=True, raise_errors=False
        )
        _uploads().delete(item["path"])
        pending.pop(token, None)
        request.session.modified = True
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                "Файл изменился или содержит ошибки — ничего не записано. Загрузите его снова.",
            )
            return redirect("directory_import")
        totals = result.totals
        messages.success(
            request,
            f"Импорт выполнен: новых {totals.get('new', 0)}, обновлено {totals.get('update', 0)}, без изменений {totals.get('skip', 0)}.",
        )
        return redirect("organisation_list")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        dataset = _dataset(data, upload.name)
        if dataset is None or not dataset.headers:
            form.add_error(
                "file", "Не удалось прочитать файл: это не таблица .xlsx/.csv или она повреждена."
            )
            return render(request, "schools/directory_import.html", context)
        key = form.cleaned_data["resource"]
        resource = RESOURCES[key][1](user=request.user)
        result = resource.import_data(
            dataset, dry_run=True, use_transactions=True, raise_errors=False
        )
        context.update(result=result, resource_key=key)
        if not (result.has_errors() or result.has_validation_errors()):
            token = uuid.uuid4().hex
            path = _uploads().save(f"{UPLOAD_FOLDER}/{token}", ContentFile(data))
            pending[token] = {"path": path, "name": upload.name, "resource": key}
            request.session[SESSION_KEY] = pending
            context["token"] = token
        context["headers"] = dataset.headers
    return render(request, "schools/directory_import.html", context)


@login_required
def directory_export(request, resource: str, fmt: str):
    if not has_verb(request.user, EXPORT_VERB):
        raise PermissionDenied("Выгружать справочник могут координаторы и администраторы.")
    if resource not in RESOURCES or fmt not in FORMATS:
        raise Http404("Нет такой выгрузки.")
    _, resource_class, model = RESOURCES[resource]
    instance = resource_class(user=request.user)
    queryset = model.objects.for_user(request.user, "view")
    dataset = instance.export(queryset=queryset)
    file_format = FORMATS[fmt]()
    data = file_format.export_data(dataset)
    response = HttpResponse(data, content_type=file_format.get_content_type())
    response["Content-Disposition"] = f'attachment; filename="{resource}.{fmt}"'
    return response
