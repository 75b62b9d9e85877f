"""Forms of the partnership pages. Every choice of an organisation, a plan or a measure is
narrowed to what the person may name (``selectors``); the service checks again."""

from __future__ import annotations

from django import forms

from core.forms import BootstrapMixin
from execution.evidence import max_bytes

from . import selectors
from .constants import (
    EXTRA_PARTY_ROWS,
    MAX_PARTIES,
    SCAN_ACCEPT,
    SCAN_LABEL,
    AgreementKind,
    AgreementStatus,
    PartyRole,
)
from .services import AgreementInput, PartyInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} МБ"


class PartyForm(BootstrapMixin, forms.Form):
    organisation = forms.TypedChoiceField(label="Организация", coerce=int, required=False)
    role = forms.ChoiceField(
        label="Роль", choices=[("", "— роль —"), *PartyRole.choices], required=False
    )
    signatory_name = forms.CharField(label="Подписант (ФИО)", max_length=200, required=False)
    signatory_position = forms.CharField(
        label="Должность подписанта", max_length=300, required=False
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "— организация —"), *candidates]

    def clean(self):
        data = super().clean()
        if data.get("organisation") and not data.get("role"):
            self.add_error("role", "Выберите роль стороны.")
        if data.get("role") and not data.get("organisation"):
            self.add_error("organisation", "Выберите организацию.")
        return data


class BasePartyFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "candidates": self.candidates}

    def __init__(self, *args, candidates=(), **kwargs):
        self.candidates = candidates
        super().__init__(*args, **kwargs)

    @property
    def chosen(self) -> list[dict]:
        """The filled rows, in order."""
        return [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("organisation")
        ]


def party_formset(*, extra: int):
    return forms.formset_factory(
        PartyForm,
        formset=BasePartyFormSet,
        extra=extra,
        max_num=MAX_PARTIES,
        absolute_max=MAX_PARTIES,
        validate_max=True,
    )


class AgreementForm(BootstrapMixin, forms.Form):
    """The agreement without its parties (the party rows are a formset beside it)."""

    number = forms.CharField(
        label="Номер",
        max_length=50,
        required=False,
        help_text="Как в документе. Номер не повторяется среди соглашений первой стороны.",
    )
    kind = forms.ChoiceField(label="Вид соглашения", choices=AgreementKind.choices)
    subject = forms.CharField(
        label="Предмет соглашения",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    support_form = forms.CharField(
        label="Форма поддержки",
        max_length=500,
        required=False,
        help_text="Для списка сетевого партнёрства: консультационная, методическая, "
        "организационная, тьюторская…",
    )
    valid_from = forms.DateField(label="Действует с", widget=DATE_WIDGET)
    valid_to = forms.DateField(
        label="Действует по", widget=DATE_WIDGET, required=False, help_text="Пусто — бессрочно."
    )
    roadmaps = forms.TypedMultipleChoiceField(
        label="В рамках планов",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Сетевой план, который соглашение обслуживает: сотрудники сторон увидят его.",
    )
    measures = forms.TypedMultipleChoiceField(
        label="Выполняет мероприятия",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Мероприятия «подписать соглашения»: подписание отметит их выполненными у "
        "сторон.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.agreement = agreement
        plans = set(agreement.roadmaps.values_list("pk", flat=True)) if agreement else set()
        measures = set(agreement.measures.values_list("pk", flat=True)) if agreement else set()
        self.fields["roadmaps"].choices = selectors.plan_choices(user, include=plans)
        self.fields["measures"].choices = selectors.signing_measures(user, include=measures)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "Срок действия заканчивается раньше, чем начинается.")
        return data


class SigningFields(forms.Form):
    """«Подписано»: the day and the scan (a draft signed, or an agreement recorded signed)."""

    signed_on = forms.DateField(label="Дата подписания", widget=DATE_WIDGET, required=False)
    scan = forms.FileField(
        label="Скан подписанного соглашения",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text=f"{SCAN_LABEL}, до {_megabytes(max_bytes())}. Тип проверяется по содержимому.",
    )


class AgreementCreateForm(SigningFields, AgreementForm):
    field_order = [
        "number",
        "kind",
        "subject",
        "support_form",
        "valid_from",
        "valid_to",
        "signed_on",
        "scan",
        "roadmaps",
        "measures",
    ]


class SignForm(BootstrapMixin, SigningFields):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_signed_on(self):
        value = self.cleaned_data.get("signed_on")
        if value is None:
            raise forms.ValidationError("Укажите дату подписания.")
        return value


class ScanForm(BootstrapMixin, forms.Form):
    scan = forms.FileField(
        label="Скан подписанного соглашения",
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text=f"{SCAN_LABEL}, до {_megabytes(max_bytes())}.",
    )


class TerminateForm(BootstrapMixin, forms.Form):
    terminated_on = forms.DateField(label="Дата расторжения", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Основание",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Соглашение сторон, приказ, истечение программы…",
    )


class ListFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="Поиск", max_length=200, required=False)
    status = forms.ChoiceField(
        label="Состояние", choices=[("", "Все"), *AgreementStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label="Вид", choices=[("", "Все"), *AgreementKind.choices], required=False
    )
    municipality = forms.TypedChoiceField(
        label="Муниципалитет", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [
            ("", "Все"),
            *((m.pk, m.name) for m in selectors.municipality_choices(user)),
        ]


def agreement_input(user, form: AgreementForm, parties: BasePartyFormSet) -> AgreementInput:
    """The service's input from the valid forms: organisations, plans and measures loaded
    within the person's reach (links to plans the person does not see are kept)."""
    data = form.cleaned_data
    rows = parties.chosen
    found = selectors.organisations_by_id(
        user, [row["organisation"] for row in rows], agreement=form.agreement
    )
    plans, measures = selectors.link_objects(
        user, form.agreement, data.get("roadmaps") or [], data.get("measures") or []
    )
    return AgreementInput(
        kind=data["kind"],
        subject=data["subject"],
        valid_from=data["valid_from"],
        valid_to=data.get("valid_to"),
        number=data.get("number") or "",
        support_form=data.get("support_form") or "",
        parties=[
            PartyInput(
                organisation=found[row["organisation"]],
                role=row["role"],
                signatory_name=row.get("signatory_name") or "",
                signatory_position=row.get("signatory_position") or "",
            )
            for row in rows
            if row["organisation"] in found
        ],
        roadmaps=plans,
        measures=measures,
    )


def party_initial(agreement) -> list[dict]:
    return [
        {
            "organisation": party.organisation_id,
            "role": party.role,
            "signatory_name": party.signatory_name,
            "signatory_position": party.signatory_position,
        }
        for party in agreement.parties.order_by("order", "pk")
    ]


def extra_rows(count: int) -> int:
    return max(EXTRA_PARTY_ROWS, 3 - count) if count < MAX_PARTIES else 0


class ImportOptionsForm(BootstrapMixin, forms.Form):
    """What the import adds to every row of the list."""

    valid_from = forms.DateField(
        label="Соглашения действуют с",
        widget=DATE_WIDGET,
        help_text="Дата приказа, утвердившего список (если в строке не указан свой срок).",
    )
    valid_to = forms.DateField(label="по", widget=DATE_WIDGET, required=False)
    signed = forms.BooleanField(
        label="Соглашения уже подписаны (внести как действующие)", required=False
    )
    signed_on = forms.DateField(
        label="Дата подписания",
        widget=DATE_WIDGET,
        required=False,
        help_text="Если в строке нет своей даты соглашения.",
    )
    roadmap = forms.TypedChoiceField(
        label="В рамках плана", coerce=int, required=False, empty_value=None
    )
    measure = forms.TypedChoiceField(
        label="Выполняют мероприятие", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].choices = [("", "—"), *selectors.plan_choices(user)]
        self.fields["measure"].choices = [("", "—"), *selectors.signing_measures(user)]

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "Срок действия заканчивается раньше, чем начинается.")
        return data


class ImportForm(ImportOptionsForm):
    file = forms.FileField(
        label="Список (.xlsx или .docx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.docx"}),
    )
    field_order = ["file"]

    def clean_file(self):
        from .constants import IMPORT_MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"Файл больше {_megabytes(IMPORT_MAX_BYTES)}: в списке сетевого партнёрства "
                "столько не бывает. Уберите из файла лишнее."
            )
        if not upload.name.lower().endswith((".xlsx", ".docx")):
            raise forms.ValidationError("Загрузите список в формате .xlsx или .docx.")
        return upload
