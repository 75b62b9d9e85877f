"""Execution records in Django admin: read-only, scoped like every other page. Marks and
reviews are written only through ``execution.services`` (history, locks, re-checks)."""

from django.contrib import admin

from core.admin import HistoryAdmin
from schools.admin import RussianNamesMixin

from .models import Evidence, ExecutionRecord


class ReadOnlyScopedAdmin(RussianNamesMixin, HistoryAdmin):
    def get_queryset(self, request):
        return self.model.objects.for_user(request.user, "view")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExecutionRecord)
class ExecutionRecordAdmin(ReadOnlyScopedAdmin):
    name_accusative = "отметку об исполнении"
    name_forms = ("отметка об исполнении", "отметки об исполнении", "отметок об исполнении")
    list_display = ["measure", "organisation", "due_on", "state", "review", "marked_at"]
    list_filter = ["state", "review"]
    list_select_related = ["measure", "organisation"]
    search_fields = ["organisation__short_name", "measure__title"]
    raw_id_fields = ["measure", "window", "organisation", "marked_by", "reviewed_by"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyScopedAdmin):
    name_accusative = "подтверждение исполнения"
    name_forms = (
        "подтверждение исполнения",
        "подтверждения исполнения",
        "подтверждений исполнения",
    )
    list_display = ["record", "kind", "original_name", "url", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["record__measure", "record__organisation"]
    raw_id_fields = ["record", "uploaded_by"]
