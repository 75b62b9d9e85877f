"""The digests in Django admin, for the operators (superusers) only: which were sent, which
failed and why; a failed digest can be sent again. Notifications themselves are personal
and are not listed."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .models import Digest
from .services import digest_resend


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("day", "person", "state", "items", "attempts", "sent_at", "last_error")
    list_filter = ("state", "day")
    search_fields = ("person__username", "person__last_name", "person__email")
    list_select_related = ("person",)
    date_hierarchy = "day"
    actions = ["resend"]
    readonly_fields = [field.name for field in Digest._meta.fields]

    def _operator(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._operator(request)

    def has_view_permission(self, request, obj=None):
        return self._operator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Отправить ещё раз (только неотправленные из-за ошибки)")
    def resend(self, request, queryset):
        sent = 0
        for digest in queryset:
            try:
                digest_resend(digest=digest, acting_user=request.user)
            except ValidationError:
                continue
            sent += 1
        self.message_user(request, f"Поставлено в очередь на отправку: {sent}.", messages.SUCCESS)
