"""Forms of the directory pages."""

from django import forms

from core.forms import BootstrapMixin

from .constants import OrganisationKind, Role
from .models import Organisation
from .selectors import FLAG_LABELS
from .services import ORGANISATION_EDITABLE_FIELDS


class OrganisationFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="Поиск", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Тип", required=False, choices=[("", "Все типы"), *OrganisationKind.choices]
    )
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", required=False, queryset=None, empty_label="Все муниципалитеты"
    )
    flags = forms.MultipleChoiceField(
        label="Признаки",
        required=False,
        choices=list(FLAG_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class PersonFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="Поиск", required=False, max_length=200)
    role = forms.ChoiceField(
        label="Роль", required=False, choices=[("", "Все роли"), *Role.choices]
    )
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", required=False, queryset=None, empty_label="Все муниципалитеты"
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class OrganisationForm(BootstrapMixin, forms.ModelForm):
    """The card of an organisation; school attributes only for schools. Tenant fields
    (region, municipality, kind) are not editable here."""

    class Meta:
        model = Organisation
        fields = ORGANISATION_EDITABLE_FIELDS
        widgets = {"full_name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.is_school:
            for name in [
                "level",
                "is_low_results",
                "is_unfavourable",
                "is_leader",
                "growth_year_from",
                "growth_year_to",
            ]:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("growth_year_from"), data.get("growth_year_to")
        if end and not start:
            self.add_error("growth_year_from", "Укажите, с какого года школа — «школа роста».")
        elif start and end and end < start:
            self.add_error("growth_year_to", "Год окончания раньше года начала.")
        inn = data.get("inn")
        if inn and (not inn.isdigit() or len(inn) not in (10, 12)):
            self.add_error("inn", "ИНН — 10 или 12 цифр.")
        return data
