"""Agreements in the admin: read only, within the person's reach (they are recorded,
signed and terminated on their pages, where every change goes through the services)."""

from django.contrib import admin

from schools.admin import ScopedAdminMixin

from .models import Agreement, AgreementParty


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    can_delete = False
    fields = ("organisation", "role", "signatory_name", "signatory_position")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "valid_from", "valid_to", "registrar")
    list_filter = ("status", "kind")
    search_fields = ("number", "subject", "registrar__short_name")
    inlines = [PartyInline]
    readonly_fields = (
        "number",
        "kind",
        "subject",
        "support_form",
        "signed_on",
        "valid_from",
        "valid_to",
        "status",
        "status_changed_at",
        "terminated_on",
        "termination_reason",
        "registrar",
        "scan_name",
        "created_by",
        "created_at",
    )
    exclude = ("scan", "roadmaps", "measures", "scan_content_type", "scan_size", "scan_sha256")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
