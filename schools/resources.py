"""Directory import and export (django-import-export): organisations, schools, people.

Every resource is built for one acting user. Rows may only touch the user's reach for the
import verb (``schools.import_directory``); the region comes from the municipality, never
from the file; an unknown name or a row outside the reach is a row error in Russian, and
with any error nothing is written (the import runs in one transaction)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from core.cells import escape_cell
from core.text import clean_text

from . import access, services
from .constants import OrganisationKind, Role, SchoolLevel
from .models import Membership, Municipality, Organisation, User

IMPORT_VERB = "schools.import_directory"
EXPORT_VERB = "schools.export_directory"
TRUE_WORDS = {"да", "1", "+", "true", "истина", "yes", "x", "х", "v"}
FALSE_WORDS = {"нет", "0", "-", "false", "ложь", "no", ""}


class _EscapingFormat:
    def _escape_formulae(self, dataset):
        for index, row in enumerate(dataset):
            # Cleaned first (Word's \x0b → line break), then escaped: a formula hidden
            # behind a control character is still caught.
            dataset[index] = tuple(escape_cell(clean_text(cell)) for cell in row)


class SafeXLSX(_EscapingFormat, XLSX):
    pass


class SafeCSV(_EscapingFormat, CSV):
    """CSV that Excel in the Russian locale opens as a table: UTF-8 with a byte-order
    mark, ``;`` between cells (``,`` is the decimal separator there), the charset in the
    Content-Type. Reading accepts what it writes and ``,``-separated files too."""

    DELIMITER = ";"
    BOM = "\ufeff"

    def get_content_type(self):
        return "text/csv; charset=utf-8"

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", self.DELIMITER)
        return self.BOM + super().export_data(dataset, **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        in_stream = in_stream.removeprefix(self.BOM)
        kwargs.setdefault("delimiter", sniff_delimiter(in_stream))
        return super().create_dataset(in_stream, **kwargs)


def sniff_delimiter(text: str) -> str:
    """``;`` or ``,``: whichever separates more cells of the header line (quoted commas
    inside a name do not count)."""
    import csv

    header = text.lstrip().splitlines()[0] if text.strip() else ""
    counts = {
        delimiter: len(next(csv.reader([header], delimiter=delimiter), []))
        for delimiter in (";", ",")
    }
    return ";" if counts[";"] >= counts[","] and counts[";"] > 1 else ","


class ChoiceLabelWidget(widgets.Widget):
    """Russian labels in the file, codes in the database (either is accepted on import)."""

    def __init__(self, choices, *, required: bool = True):
        self.by_label = {str(label).lower(): value for value, label in choices}
        self.by_value = {value: str(label) for value, label in choices}
        self.required = required
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValueError("Не заполнено.")
            return ""
        if text in self.by_value:
            return text
        code = self.by_label.get(text.lower())
        if code is None:
            raise ValueError(
                f"Неизвестное значение «{text}». Допустимо: {', '.join(self.by_value.values())}."
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return self.by_value.get(value, value or "")


class RussianBooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(f"«{value}» — ожидается «да» или «нет».")

    def render(self, value, obj=None, **kwargs):
        return "да" if value else "нет"


class YearWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        result = super().clean(value, row, **kwargs)
        if result is not None and not 1990 <= result <= 2100:
            raise ValueError(f"Год {result} вне допустимого диапазона.")
        return result


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a name up only among the rows the acting user may use: a name of another
    tenant reads as unknown, and nothing about it leaks."""

    def __init__(self, model, field, queryset_factory, label):
        self.queryset_factory = queryset_factory
        self.label = label
        super().__init__(model, field)

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset_factory()

    def clean(self, value, row=None, **kwargs):
        if not str(value or "").strip():
            raise ValueError(f"Не указан {self.label}.")
        try:
            return super().clean(str(value).strip(), row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                f"{self.label.capitalize()} «{value}» не найден в вашей зоне ответственности."
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(f"Несколько вариантов для «{value}»: уточните название.") from None


def text(attribute: str, column: str) -> fields.Field:
    """A text column: empty cells become empty strings, never NULL."""
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.CharWidget())


class ScopedResource(resources.ModelResource):
    """A resource bound to the acting user; exports are scoped the same way."""

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def municipalities(self):
        return Municipality.objects.for_user(self.user, IMPORT_VERB)

    def organisations(self):
        return Organisation.objects.for_user(self.user, IMPORT_VERB)

    def filter_export(self, queryset, **kwargs):
        model = queryset.model
        return queryset & model.objects.for_user(self.user, "view")

    def import_data(self, dataset, *args, **kwargs):
        # One transaction, and any row error (validation errors included) rolls it all
        # back: a half-imported directory is worse than none.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.check_still_in_scope(instance)

    def check_still_in_scope(self, instance) -> None:
        """After the write, inside the import's transaction: the row must still be within
        the importing user's reach, or the row fails and the whole import rolls back."""
        model = type(instance)
        if not model.objects.for_user(self.user, IMPORT_VERB).filter(pk=instance.pk).exists():
            raise ValidationError("Строка выводит запись за пределы вашей зоны ответственности.")


class OrganisationResource(ScopedResource):
    full_name = text("full_name", "Полное наименование")
    short_name = text("short_name", "Краткое наименование")
    kind = fields.Field(
        attribute="kind", column_name="Тип", widget=ChoiceLabelWidget(OrganisationKind.choices)
    )
    municipality = fields.Field(attribute="municipality", column_name="Муниципалитет")
    inn = text("inn", "ИНН")
    address = text("address", "Адрес")
    email = text("email", "Email")
    phone = text("phone", "Телефон")

    class Meta:
        name = "Организации"  # shown in the admin's choice of resource
        model = Organisation
        fields = (
            "full_name",
            "short_name",
            "kind",
            "municipality",
            "inn",
            "address",
            "email",
            "phone",
        )
        # Matched by name among the organisations within reach only.
        import_id_fields = ("full_name",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["municipality"].widget = ScopedForeignKeyWidget(
            Municipality, "name", self.municipalities, "муниципалитет"
        )

    def get_queryset(self):
        return Organisation.objects.for_user(self.user, IMPORT_VERB)

    def get_instance(self, instance_loader, row):
        """An existing organisation is matched by its full name within the row's
        municipality, among the organisations within reach only (the same name may exist
        in two municipalities; a foreign one is never found)."""
        full_name = str(row.get("Полное наименование") or "").strip()
        if not full_name:
            return None
        candidates = self.get_queryset().filter(full_name=full_name)
        municipality = str(row.get("Муниципалитет") or "").strip()
        if municipality:
            candidates = candidates.filter(municipality__name=municipality)
        return candidates.order_by("pk").first()

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # The region always follows the municipality, whatever else the row says.
            if instance.municipality_id:
                instance.region_id = instance.municipality.region_id
        self.check_row(instance)

    def check_row(self, instance) -> None:
        if instance.kind == OrganisationKind.REGIONAL_AUTHORITY:
            raise ValidationError({"kind": "Региональные организации через импорт не создаются."})
        if instance.pk and not self.organisations().filter(pk=instance.pk).exists():
            raise ValidationError({"full_name": "Эта организация вне вашей зоны ответственности."})


class SchoolResource(OrganisationResource):
    level = fields.Field(
        attribute="level",
        column_name="Уровень",
        widget=ChoiceLabelWidget(SchoolLevel.choices, required=False),
    )
    is_low_results = fields.Field(
        attribute="is_low_results", column_name="ШНОР", widget=RussianBooleanWidget()
    )
    is_unfavourable = fields.Field(
        attribute="is_unfavourable", column_name="ШНСУ", widget=RussianBooleanWidget()
    )
    is_leader = fields.Field(
        attribute="is_leader", column_name="Школа-лидер", widget=RussianBooleanWidget()
    )
    growth_year_from = fields.Field(
        attribute="growth_year_from", column_name="Школа роста с", widget=YearWidget()
    )
    growth_year_to = fields.Field(
        attribute="growth_year_to", column_name="Школа роста по", widget=YearWidget()
    )

    class Meta(OrganisationResource.Meta):
        name = "Школы (с признаками ШНОР, ШНСУ, лидер, рост)"
        fields = (
            "full_name",
            "short_name",
            "municipality",
            "level",
            "is_low_results",
            "is_unfavourable",
            "is_leader",
            "growth_year_from",
            "growth_year_to",
            "inn",
            "address",
            "email",
            "phone",
        )
        exclude = ("kind",)

    def get_queryset(self):
        return super().get_queryset().schools()

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).schools()

    def import_instance(self, instance, row, **kwargs):
        instance.kind = OrganisationKind.SCHOOL
        super().import_instance(instance, row, **kwargs)


PERSON_ACCOUNT_FIELDS = ("last_name", "first_name", "middle_name", "position", "email")


class PersonResource(ScopedResource):
    """People with their role in one organisation (one row = one membership)."""

    username = text("username", "Логин")
    last_name = text("last_name", "Фамилия")
    first_name = text("first_name", "Имя")
    middle_name = text("middle_name", "Отчество")
    position = text("position", "Должность")
    email = text("email", "Email")
    organisation = fields.Field(column_name="Организация")
    role = fields.Field(column_name="Роль")

    class Meta:
        name = "Люди и роли"
        model = User
        fields = (
            "username",
            "last_name",
            "first_name",
            "middle_name",
            "position",
            "email",
            "organisation",
            "role",
        )
        import_id_fields = ("username",)
        skip_unchanged = False
        clean_model_instances = True

    def get_queryset(self):
        return User.objects.for_user(self.user, "view")

    def dehydrate_organisation(self, user):
        membership = self._first_membership(user)
        return membership.organisation.short_name if membership else ""

    def dehydrate_role(self, user):
        membership = self._first_membership(user)
        return membership.get_role_display() if membership else ""

    def _first_membership(self, user):
        """The person's first role in an organisation the exporting user sees."""
        if not hasattr(self, "_visible_ids"):
            self._visible_ids = set(
                Organisation.objects.for_user(self.user, "view").values_list("pk", flat=True)
            )
        return next(
            (m for m in user.memberships.all() if m.organisation_id in self._visible_ids), None
        )

    def filter_export(self, queryset, **kwargs):
        return (
            super().filter_export(queryset, **kwargs).prefetch_related("memberships__organisation")
        )

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        errors = {}
        if not (instance.username or "").strip():
            errors["username"] = "Не указан логин."
        if not instance.pk and services.username_taken(instance.username):
            # The login belongs to an account this user cannot see (another tenant): it is
            # never touched and nothing about it is revealed.
            errors["username"] = "Логин уже занят. Выберите другой."
        if instance.pk and self.account_changes(instance) and not self.may_change_person(instance):
            errors["username"] = (
                f"Учётную запись «{instance.username}» можно изменить только через администратора."
            )
        organisation_name = str(row.get("Организация") or "").strip()
        organisation = (
            self.organisations().filter(short_name=organisation_name).first()
            or self.organisations().filter(full_name=organisation_name).first()
        )
        if organisation is None:
            errors["organisation"] = (
                f"Организация «{organisation_name}» не найдена в вашей зоне ответственности."
            )
        role = ChoiceLabelWidget(Role.choices)
        try:
            role_code = role.clean(row.get("Роль"))
        except ValueError as error:
            errors["role"] = f"Роль: {error}"
            role_code = None
        if (
            role_code
            and organisation is not None
            and not self.holds_role(instance, organisation, role_code)
        ):
            # The one grant rule (schools.access): the role fits the organisation's kind,
            # lies within the importing user's reach, and is never their own.
            role_problem = access.grant_error(
                self.user,
                person=instance if instance.pk else None,
                organisation=organisation,
                role=role_code,
                verb=IMPORT_VERB,
            )
            if role_problem:
                errors["role"] = role_problem
        if errors:
            raise ValidationError(errors)
        instance._membership = (organisation, role_code)
        if not instance.pk:
            # New people set their password through «Забыли пароль?».
            instance.set_unusable_password()

    def holds_role(self, person, organisation, role: str) -> bool:
        """The row repeats a role the person already has (a re-imported export)."""
        if not person.pk or organisation is None:
            return False
        return (
            Membership.objects.for_user(self.user, "view")
            .filter(user_id=person.pk, organisation=organisation, role=role, is_active=True)
            .exists()
        )

    def account_changes(self, person) -> bool:
        """Whether the row changes the stored account (a re-imported export does not)."""
        stored = (
            User.objects.for_user(self.user, "view")
            .filter(pk=person.pk)
            .values(*PERSON_ACCOUNT_FIELDS)
            .first()
        )
        return stored is None or any(
            stored[name] != getattr(person, name) for name in PERSON_ACCOUNT_FIELDS
        )

    def may_change_person(self, person) -> bool:
        """An existing account (its names and e-mail, which a password reset goes to) is
        updated only by someone who may change people there; staff and superuser accounts
        only by a superuser."""
        if self.user.is_superuser:
            return True
        if person.is_superuser or person.is_staff:
            return False
        return User.objects.for_user(self.user, "change").filter(pk=person.pk).exists()

    def after_save_instance(self, instance, row, **kwargs):
        organisation, role = instance._membership
        services.membership_grant(
            user=instance,
            organisation=organisation,
            role=role,
            position=instance.position,
            acting_user=self.user,
            verb=IMPORT_VERB,
        )
        super().after_save_instance(instance, row, **kwargs)
