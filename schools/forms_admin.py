"""Forms of the staff admin: tenant fields that are derived, never trusted from input,
and role grants that must not reach further than the organisation they are given in."""

from __future__ import annotations

from django import forms

from .constants import Role
from .models import Membership, Organisation

REGIONAL_ROLE_MESSAGE = (
    "Роль «Региональный координатор» дают только в региональной организации (без муниципалитета)."
)


def role_error(role: str, organisation: Organisation | None) -> str | None:
    """Why this role cannot be given in this organisation (None when it can).

    A regional coordinator reaches the whole region (see ``schools.roles.role_reach``):
    given in a municipal organisation it would widen a person's reach past the
    organisation's own tier."""
    if organisation is None:
        return None
    if role == Role.REGIONAL_COORDINATOR and organisation.municipality_id:
        return REGIONAL_ROLE_MESSAGE
    return None


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
            "full_name",
            "short_name",
            "is_active",
            "inn",
            "address",
            "email",
            "phone",
            "level",
            "is_low_results",
            "is_unfavourable",
            "is_leader",
            "growth_year_from",
            "growth_year_to",
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
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "position", "is_active"]

    def clean(self):
        cleaned = super().clean()
        error = role_error(cleaned.get("role"), cleaned.get("organisation"))
        if error:
            self.add_error("role", error)
        return cleaned
