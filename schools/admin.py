"""Django admin for staff, in Russian, scoped like every other page.

Staff administrators (the «Администратор» role) see and change only their reach; every
foreign-key choice is narrowed; a save that would leave the reach is rolled back."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.utils.html import format_html
from import_export.admin import ImportExportMixin

from core.admin import HistoryAdmin

from . import access, services
from .constants import Role
from .forms_admin import MembershipAdminForm, OrganisationAdminForm, RussianExportForm
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


# Django writes the alternative text of its yes/no icons in English (alt="True"), with no
# translation hook; lists and read-only fields both call this one function at render time.
def _boolean_icon(field_val):
    icon = {True: "yes", False: "no", None: "unknown"}[field_val]
    alt = {True: "да", False: "нет", None: "неизвестно"}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)


admin_list._boolean_icon = _boolean_icon

PROJECT_APPS = ("schools", "roadmaps", "monitoring", "core")
PERMISSION_ACTIONS = {
    "add": "добавление",
    "change": "изменение",
    "delete": "удаление",
    "view": "просмотр",
}


def permission_label(permission: Permission) -> str:
    """A permission in Russian: «организация: просмотр». Django stores the names of its
    default permissions in English («Can view organisation»); custom ones keep their name."""
    model = permission.content_type.model_class()
    model_name = str(model._meta.verbose_name) if model else permission.content_type.model
    action, _, codename_model = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and model and codename_model == model._meta.model_name:
        return f"{model_name}: {PERMISSION_ACTIONS[action]}"
    return f"{model_name}: {permission.name}"


class PermissionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class PermissionsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


OUT_OF_SCOPE_MESSAGE = (
    "Изменения не сохранены: запись оказалась бы за пределами вашей зоны ответственности."
)


def _perm(model, action):
    return access.permission_name(model, action)


class OutOfScope(Exception):
    """A write would leave the acting user's reach; raised inside the transaction so that
    everything written in it rolls back."""


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id field whose label (the name shown next to the id) is looked up only among
    the choices the acting user has: a foreign id shows nothing, not even a name."""

    def __init__(self, rel, admin_site, *, queryset, **kwargs):
        self.choices_queryset = queryset
        super().__init__(rel, admin_site, **kwargs)

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            visible = self.choices_queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        if not visible:
            return "", ""
        return super().label_and_url_for_value(value)


class ScopedChoicesMixin:
    """Every foreign-key and many-to-many choice of a model admin or an inline is narrowed
    to the rows the acting user may use, and a raw-id field names only those: a foreign id
    is the form's «Выберите корректный вариант» error, which names nothing.

    * tenant models: the related rows within the reach of the verb being used on this
      model (``Organisation.objects.for_user(user, "schools.add_membership")``), except
      the fields in ``scope_view_fields`` (references that may point upwards, such as a
      parent organisation) and people, which offer what the user sees;
    * other models (permissions): whatever the admin narrows them to by hand.
    """

    scope_view_fields: tuple[str, ...] = ()

    def choice_queryset(self, request, db_field):
        """The narrowed choices of one relation, or None when the related model is not a
        tenant model."""
        related = db_field.related_model
        if not hasattr(related._default_manager, "for_user"):
            return None
        if db_field.name in self.scope_view_fields or related is User:
            return related.objects.for_user(request.user, "view")
        action = getattr(request, "_scoped_admin_action", "change")
        return related.objects.for_user(request.user, _perm(self.model, action))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self.choice_queryset(request, db_field)
            if queryset is not None:
                kwargs["queryset"] = queryset
        if "widget" not in kwargs and "queryset" in kwargs and db_field.name in self.raw_id_fields:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                queryset=kwargs["queryset"],
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self.choice_queryset(request, db_field)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RussianNamesMixin:
    """How the admin names its model in Russian where Django glues words together: the
    titles «Добавить организацию» / «Изменить организацию» (accusative, ``name_accusative``)
    and the count «11 организаций» (``name_forms``: the forms for 1, 2 and 5), used by
    templates/admin/pagination.html and change_list_object_tools.html."""

    name_accusative: str = ""
    name_forms: tuple[str, str, str] | None = None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.name_accusative:
            if add:
                verb = "Добавить"
            elif self.has_change_permission(request, obj):
                verb = "Изменить"
            else:
                verb = "Просмотреть"
            context["title"] = f"{verb} {self.name_accusative}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        # Django writes «Выберите организация для изменения»: the accusative is ours.
        if self.name_accusative:
            verb = "изменения" if self.has_change_permission(request) else "просмотра"
            extra_context = {
                "title": f"Выберите {self.name_accusative} для {verb}",
                **(extra_context or {}),
            }
        return super().changelist_view(request, extra_context)


class ScopedAdminMixin(RussianNamesMixin, ScopedChoicesMixin):
    """Querysets, object permissions and choices through ``for_user``.

    * lists and single objects: ``for_user(user, "view")`` (foreign rows are 404);
    * verbs on an object: the object must be in ``for_user(user, verb)``;
    * foreign-key choices: the related rows within the reach of the verb being used on
      this model (``Organisation.objects.for_user(user, "schools.add_membership")``),
      except the fields in ``scope_view_fields`` (references that may point upwards,
      such as a parent organisation), which offer what the user sees;
    * after a save, inside the admin's transaction, the object must still be within
      ``for_user(user, "change")``, else everything rolls back with a message.
    """

    out_of_scope_message = OUT_OF_SCOPE_MESSAGE

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

    # Choices -----------------------------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        # The choices of the add form follow the "add" verb, of the change form "change".
        request._scoped_admin_action = "add" if obj is None else "change"
        return super().get_form(request, obj, **kwargs)

    # Writes ------------------------------------------------------------------------

    def ensure_in_scope(self, request, pk) -> None:
        if not self.model.objects.for_user(request.user, "change").filter(pk=pk).exists():
            raise OutOfScope(self.out_of_scope_message)

    def save_related(self, request, form, formsets, change):
        """After the object and its inlines are saved (inside the admin's transaction):
        it must still be within the acting user's reach, or everything rolls back."""
        super().save_related(request, form, formsets, change)
        self.ensure_in_scope(request, form.instance.pk)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OutOfScope as error:
            # The admin's own transaction has rolled back by now.
            messages.error(request, str(error))
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to a historical version is a write like any other."""
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = super().history_form_view(request, object_id, version_id, extra_context)
                if request.method == "POST" and response.status_code in (301, 302):
                    self.ensure_in_scope(request, object_id)
                return response
        except OutOfScope as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request, queryset):
        """The bulk action deletes from the list the user sees; every row must also be
        within the reach of the delete verb, or nothing is deleted."""
        deletable = self.model.objects.for_user(request.user, "delete").values("pk")
        if queryset.exclude(pk__in=deletable).exists():
            raise PermissionDenied(access.FORBIDDEN_MESSAGE)
        super().delete_queryset(request, queryset)


class ScopedImportExportMixin(ImportExportMixin):
    """Import and export for holders of the directory verbs; the resources get the user,
    check every row against the user's reach and roll the whole file back on any error."""

    import_formats = [SafeXLSX, SafeCSV]
    export_formats = [SafeXLSX, SafeCSV]
    export_form_class = RussianExportForm

    def has_import_permission(self, request):
        return request.user.is_staff and access.has_verb(request.user, IMPORT_VERB)

    def has_export_permission(self, request):
        return request.user.is_staff and access.has_verb(request.user, EXPORT_VERB)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}


def _form_for(form_class, request):
    """The form class bound to the acting user (the grant rule needs them)."""
    return type(form_class.__name__, (form_class,), {"acting_user": request.user})


def _refused(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or access.FORBIDDEN_MESSAGE


def save_membership(request, membership: Membership, *, adding: bool) -> None:
    """Save a membership from an admin form through the one service of its kind (the
    form has already applied the same rules; a refusal here rolls the page back)."""
    try:
        if adding:
            granted = services.membership_grant(
                user=membership.user,
                organisation=membership.organisation,
                role=membership.role,
                position=membership.position,
                acting_user=request.user,
            )
            if not membership.is_active:
                granted = services.membership_change(
                    membership=granted, acting_user=request.user, data={"is_active": False}
                )
            membership.pk = granted.pk
            membership.created_at = granted.created_at
            membership._state.adding = False
        else:
            services.membership_change(membership=membership, acting_user=request.user, data={})
    except (ValidationError, PermissionDenied) as error:
        raise OutOfScope(f"Изменения не сохранены: {_refused(error)}") from None


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    """A person's roles, in the organisations within the acting user's reach only (the
    person's roles elsewhere are neither shown nor touched). Saved through
    ``services.membership_grant``/``membership_change`` (see ``UserAdmin.save_formset``)."""

    model = Membership
    form = MembershipAdminForm
    extra = 1
    fields = ["organisation", "role", "position", "is_active"]

    def get_queryset(self, request):
        return Membership.objects.for_user(request.user, "view").select_related("organisation")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _form_for(formset.form, request)
        return formset

    def choice_queryset(self, request, db_field):
        if db_field.name == "organisation":
            # New roles are granted with the add verb.
            return Organisation.objects.for_user(request.user, "schools.add_membership")
        return super().choice_queryset(request, db_field)

    def has_add_permission(self, request, obj=None):
        return access.has_verb(request.user, "schools.add_membership")

    def has_change_permission(self, request, obj=None):
        return access.has_verb(request.user, "schools.change_membership")

    def has_delete_permission(self, request, obj=None):
        return access.has_verb(request.user, "schools.delete_membership")


class OrganisationGrantInline(ScopedChoicesMixin, admin.TabularInline):
    """Exceptions (django-guardian object permissions): a person given one verb on this
    organisation. Only on organisations the acting user may change, and only to people
    the acting user sees (a foreign id is an error that names nobody)."""

    model = OrganisationUserObjectPermission
    extra = 0
    fields = ["user", "permission"]
    raw_id_fields = ["user"]
    verbose_name = "исключение: право на эту организацию"
    verbose_name_plural = "исключения: права отдельных людей на эту организацию"

    def get_queryset(self, request):
        # Grants to people the acting user does not see (given by a superuser to an
        # outside expert) are neither shown nor touched, like roles elsewhere.
        return (
            super()
            .get_queryset(request)
            .filter(user__in=User.objects.for_user(request.user, "view").values("pk"))
            .select_related("user", "permission")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "permission":
            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label="schools",
                codename__in=["view_organisation", "change_organisation"],
            ).select_related("content_type")
            kwargs["form_class"] = PermissionChoiceField
            kwargs["label"] = "право"
        elif db_field.name == "user":
            kwargs["label"] = "пользователь"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if not access.has_verb(request.user, "schools.change_membership"):
            return False
        return obj is None or access.allowed_ids(Organisation, request.user, "change", [obj.pk])

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission
    has_view_permission = has_add_permission


class RegionFromMunicipalityMixin:
    """The region field is chosen only by those who reach a whole region for the verb;
    for everyone else it is read-only (and follows the municipality)."""

    def may_choose_region(self, request, obj=None) -> bool:
        action = "add" if obj is None else "change"
        return Region.objects.for_user(request.user, _perm(self.model, action)).exists()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.may_choose_region(request, obj):
            readonly.append("region")
        return readonly


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, HistoryAdmin):
    name_accusative = "регион"
    name_forms = ("регион", "региона", "регионов")
    list_display = ["name", "code", "time_zone"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(RegionFromMunicipalityMixin, ScopedAdminMixin, HistoryAdmin):
    name_accusative = "муниципалитет"
    name_forms = ("муниципалитет", "муниципалитета", "муниципалитетов")
    list_display = ["name", "region"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["region"]

    def has_add_permission(self, request, *args):
        # A new municipality needs a region within the reach of the verb.
        return self.may_choose_region(request)


@admin.register(Organisation)
class OrganisationAdmin(
    RegionFromMunicipalityMixin, ScopedAdminMixin, ScopedImportExportMixin, HistoryAdmin
):
    """All kinds of organisations; schools are the «Тип: Школа» filter, and have their own
    import resource with the school flags."""

    name_accusative = "организацию"
    name_forms = ("организация", "организации", "организаций")
    form = OrganisationAdminForm
    resource_classes = [OrganisationResource, SchoolResource]
    scope_view_fields = ("parent",)
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
    list_filter = [
        "kind",
        "is_low_results",
        "is_unfavourable",
        "is_leader",
        "level",
        "is_active",
        ("municipality", admin.RelatedOnlyFieldListFilter),
    ]
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


@admin.register(User)
class UserAdmin(ScopedAdminMixin, ScopedImportExportMixin, DjangoUserAdmin, HistoryAdmin):
    """People: full name, position, e-mail, and their roles in organisations (inline)."""

    name_accusative = "пользователя"
    name_forms = ("пользователь", "пользователя", "пользователей")
    resource_classes = [PersonResource]
    out_of_scope_message = (
        "Изменения не сохранены: добавьте человеку роль в одной из ваших организаций."
    )
    list_display = [
        "username",
        "last_name",
        "first_name",
        "middle_name",
        "position",
        "email",
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

    def _protected(self, request, obj) -> bool:
        # A superuser's account (password, e-mail) is changed only by a superuser.
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return not self._protected(request, obj) and super().has_change_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        """The person's roles go through the grant services, one by one, inside the
        admin's transaction."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        deleted = [membership.pk for membership in formset.deleted_objects]
        if len(access.allowed_ids(Membership, request.user, "delete", deleted)) != len(deleted):
            raise OutOfScope(OUT_OF_SCOPE_MESSAGE)
        for membership in formset.deleted_objects:
            membership.delete()
        for membership in memberships:
            save_membership(request, membership, adding=membership.pk is None)
        return memberships

    def has_delete_permission(self, request, obj=None):
        return not self._protected(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, HistoryAdmin):
    """Roles in organisations; every save goes through the grant rule and the services."""

    name_accusative = "роль в организации"
    name_forms = ("роль в организации", "роли в организациях", "ролей в организациях")
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role", "position", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__last_name", "user__username", "organisation__short_name"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user"]

    def get_form(self, request, obj=None, **kwargs):
        return _form_for(super().get_form(request, obj, **kwargs), request)

    def save_model(self, request, obj, form, change):
        save_membership(request, obj, adding=not change)


@admin.register(CuratorAssignment)
class CuratorAssignmentAdmin(ScopedAdminMixin, HistoryAdmin):
    name_accusative = "закрепление куратора"
    name_forms = ("закрепление куратора", "закрепления кураторов", "закреплений кураторов")
    list_display = ["curator", "school", "since", "note"]
    search_fields = ["curator__last_name", "school__short_name"]
    list_select_related = ["curator", "school"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            assigned = services.curator_assign(
                curator=obj.curator,
                school=obj.school,
                note=obj.note,
                since=obj.since,
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            raise OutOfScope(f"Изменения не сохранены: {_refused(error)}") from None
        obj.pk = assigned.pk
        obj._state.adding = False
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "school":
            action = getattr(request, "_scoped_admin_action", "change")
            kwargs["queryset"] = Organisation.objects.for_user(
                request.user, _perm(CuratorAssignment, action)
            ).schools()
        elif db_field.name == "curator":
            # Curators are methodologists (see services.curator_assign).
            kwargs["queryset"] = (
                User.objects.for_user(request.user, "view")
                .filter(memberships__role=Role.METHODOLOGIST, memberships__is_active=True)
                .distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(RussianNamesMixin, DjangoGroupAdmin):
    """Role groups (kept in step with memberships by ``schools.roles``), with their
    permissions named in Russian."""

    name_accusative = "группу"
    name_forms = ("группа", "группы", "групп")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            # Roles are made of the project's permissions; the libraries' own (sessions,
            # login locks, history tables) are for superusers, never for a role group.
            kwargs["form_class"] = PermissionsChoiceField
            kwargs["queryset"] = (
                Permission.objects.filter(content_type__app_label__in=PROJECT_APPS)
                .exclude(content_type__model__startswith="historical")
                .select_related("content_type")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
