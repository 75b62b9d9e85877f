"""Django admin for staff, in Russian, scoped like every other page.

Staff administrators (the «Администратор» role) see and change only their reach; every
foreign-key choice is narrowed; a save that would leave the reach is rolled back."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import access
from .models import (
    CuratorAssignment,
    Membership,
    Municipality,
    Organisation,
    OrganisationUserObjectPermission,
    Region,
    User,
)
from .resources import (
    EXPORT_VERB,
    IMPORT_VERB,
    OrganisationResource,
    PersonResource,
    SafeCSV,
    SafeXLSX,
    SchoolResource,
)


def _perm(model, action):
    return access.permission_name(model, action)


class ScopedAdminMixin:
    """Querysets, object permissions and choices through ``for_user``."""

    def get_queryset(self, request):
        qs = self.model.objects.for_user(request.user, "view")
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def _allowed(self, request, action, obj=None):
        if obj is None:
            return access.has_verb(request.user, _perm(self.model, action))
        return self.model.objects.for_user(request.user, action).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and self._allowed(request, "view")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view", obj) or self._allowed(request, "change", obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete", obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request, "add")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related.objects, "for_user"):
            kwargs["queryset"] = related.objects.for_user(request.user, "view")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        """After the object and its inlines are saved (inside the admin's transaction):
        it must still be within the acting user's reach, or everything rolls back."""
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if not self.model.objects.for_user(request.user, "change").filter(pk=obj.pk).exists():
            raise PermissionDenied(
                "Сохранение вывело бы запись за пределы вашей зоны ответственности."
            )


class ScopedImportExportMixin(ImportExportMixin):
    """Import and export for holders of the directory verbs; the resources get the user."""

    import_formats = [SafeXLSX, SafeCSV]
    export_formats = [SafeXLSX, SafeCSV]

    def has_import_permission(self, request):
        return access.has_verb(request.user, IMPORT_VERB)

    def has_export_permission(self, request):
        return access.has_verb(request.user, EXPORT_VERB)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["organisation", "role", "position", "is_active"]
    autocomplete_fields: list[str] = []

    def get_queryset(self, request):
        return Membership.objects.for_user(request.user, "view").select_related("organisation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.for_user(
                request.user, "schools.add_membership"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return access.has_verb(request.user, "schools.add_membership")

    def has_change_permission(self, request, obj=None):
        return access.has_verb(request.user, "schools.change_membership")

    def has_delete_permission(self, request, obj=None):
        return access.has_verb(request.user, "schools.delete_membership")


class OrganisationGrantInline(admin.TabularInline):
    """Exceptions: a person outside the reach given one verb on this organisation."""

    model = OrganisationUserObjectPermission
    extra = 0
    fields = ["user", "permission"]
    raw_id_fields = ["user"]
    verbose_name = "исключение: право на эту организацию"
    verbose_name_plural = "исключения: права отдельных людей на эту организацию"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "permission":
            from django.contrib.auth.models import Permission

            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label="schools",
                codename__in=["view_organisation", "change_organisation"],
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser or access.has_verb(
            request.user, "schools.change_membership"
        )

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission
    has_view_permission = has_add_permission


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]
    list_select_related = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, ScopedImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [OrganisationResource, SchoolResource]
    list_display = [
        "short_name",
        "kind",
        "municipality",
        "level",
        "is_low_results",
        "is_unfavourable",
        "is_leader",
        "is_active",
    ]
    list_filter = ["kind", "is_low_results", "is_unfavourable", "is_leader", "level", "is_active"]
    search_fields = ["short_name", "full_name", "inn"]
    list_select_related = ["municipality"]
    inlines = [OrganisationGrantInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "region",
                    "municipality",
                    "parent",
                    "kind",
                    "full_name",
                    "short_name",
                    "is_active",
                ]
            },
        ),
        ("Контакты", {"fields": ["inn", "address", "email", "phone"]}),
        (
            "Школа",
            {
                "fields": [
                    "level",
                    "is_low_results",
                    "is_unfavourable",
                    "is_leader",
                    "growth_year_from",
                    "growth_year_to",
                ]
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            kwargs["queryset"] = Municipality.objects.for_user(
                request.user, "schools.add_organisation"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, ScopedImportExportMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    resource_classes = [PersonResource]
    list_display = [
        "username",
        "last_name",
        "first_name",
        "middle_name",
        "position",
        "is_active",
        "is_staff",
    ]
    search_fields = ["username", "last_name", "first_name", "middle_name", "email", "position"]
    list_filter = ["is_active", "is_staff"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "Человек",
            {"fields": ["last_name", "first_name", "middle_name", "position", "email", "phone"]},
        ),
        ("Доступ", {"fields": ["is_active"]}),
        ("Даты", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "last_name",
                    "first_name",
                    "middle_name",
                    "position",
                    "email",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            fieldsets = [
                *fieldsets,
                ("Суперпользователь", {"fields": ["is_staff", "is_superuser"]}),
            ]
        return fieldsets

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
        except PermissionDenied:
            messages.error(request, "Добавьте человеку роль в одной из ваших организаций.")
            raise


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "position", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__last_name", "user__username", "organisation__short_name"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.for_user(
                request.user, "schools.add_membership"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CuratorAssignment)
class CuratorAssignmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["curator", "school", "since", "note"]
    search_fields = ["curator__last_name", "school__short_name"]
    list_select_related = ["curator", "school"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "school":
            kwargs["queryset"] = Organisation.objects.for_user(
                request.user, "schools.add_curatorassignment"
            ).schools()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
