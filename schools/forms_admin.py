"""Forms of the staff admin: tenant fields that are derived, never trusted from input,
and role grants checked by the one rule of ``schools.access``."""

from __future__ import annotations

from django import forms
from import_export.forms import SelectableFieldsExportForm

from . import access
from .models import Membership, Organisation
from .services import ORGANISATION_EDITABLE_FIELDS


class OrganisationAdminForm(forms.ModelForm):
    """The region of a municipal organisation follows its municipality; it is chosen
    only for regional organisations (and only by those who reach the region)."""

    class Meta:
        model = Organisation
        # The admin's fieldsets decide what is shown; this is the most a form may touch.
        fields = [
            "region",
            "municipality",
            "parent",
            "kind",
            "is_active",
            *ORGANISATION_EDITABLE_FIELDS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" in self.fields:
            self.fields["region"].required = False
            self.fields[
                "region"
            ].help_text = "Для муниципальных организаций регион берётся из муниципалитета."

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        if municipality is not None:
            self.instance.region = municipality.region
            if "region" in self.fields:
                cleaned["region"] = municipality.region
        elif "region" not in self.fields:
            self.add_error("municipality", "Укажите муниципалитет.")
        elif not cleaned.get("region"):
            self.add_error(
                "region", "Укажите регион (для региональной организации) или муниципалитет."
            )
        return cleaned


class MembershipAdminForm(forms.ModelForm):
    """A role in an organisation, checked by the rules of ``schools.access``: the kind rule
    (in ``Membership.clean``, through the model validation) and the grant rule for the
    acting user, whose message becomes the form's error. The admin sets ``acting_user``
    (a subclass per request) and saves through ``schools.services``."""

    acting_user = None

    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "position", "is_active"]

    def grant_verb(self) -> str | None:
        """The directory verb of this save when it grants a role (None when it does not:
        an edit of the position or a deactivation)."""
        if self.instance.pk is None:
            return "schools.add_membership"
        granting = {"user", "organisation", "role"} & set(self.changed_data)
        if granting or ("is_active" in self.changed_data and self.cleaned_data.get("is_active")):
            return "schools.change_membership"
        return None

    def clean(self):
        cleaned = super().clean()
        role, organisation = cleaned.get("role"), cleaned.get("organisation")
        if not role or organisation is None or self.acting_user is None:
            return cleaned
        if self.instance.pk is not None and not cleaned.get("is_active", True):
            return cleaned
        verb = self.grant_verb()
        if verb is None:
            return cleaned
        person = cleaned.get("user") or getattr(self.instance, "user", None)
        error = access.grant_error(
            self.acting_user, person=person, organisation=organisation, role=role, verb=verb
        )
        if error:
            self.add_error("role" if "role" in self.fields else None, error)
        return cleaned


class RussianExportForm(SelectableFieldsExportForm):
    """The admin's export form, with each field labelled by its column name only («Полное
    наименование»), not by the attribute glued to it («Full Name (Полное наименование)»)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field is not None and field.column_name else field_name
