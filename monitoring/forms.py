"""Forms of monitoring: a campaign, the values of a school (one form, fits a phone),
targets, the exam table of one exam and year, the exam file. Every choice is narrowed to
the person's reach."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core.forms import BootstrapMixin
from schools.access import member_organisations
from schools.models import Organisation

from .constants import (
    EXAM_BANDS,
    EXAM_SCALE,
    HIGH_SCORE_EXAMS,
    HIGH_SCORE_LABEL,
    Exam,
    school_year_label,
)
from .models import Indicator, Subject
from .services import RESULT_FIELDS, Entry, ResultRow

CAMPAIGN_VERB = "monitoring.add_campaign"
MAX_NUMBER = Decimal("999999999999.99")


def year_choices(current: int, back: int = 4, ahead: int = 1) -> list[tuple[int, str]]:
    return [
        (year, school_year_label(year)) for year in range(current + ahead, current - back - 1, -1)
    ]


class CampaignForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    owner = forms.ModelChoiceField(
        label="Кто проводит", queryset=Organisation.objects.none(), empty_label=None
    )
    school_year = forms.TypedChoiceField(label="Учебный год", coerce=int)
    due_on = forms.DateField(
        label="Срок ответа", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    instructions = forms.CharField(
        label="Пояснение для школ", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Показатели",
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    schools = forms.ModelMultipleChoiceField(
        label="Школы",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, user, today: datetime.date, current_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.for_user(user, "view").filter(
            pk__in=member_organisations(user, CAMPAIGN_VERB)
        )
        self.fields["school_year"].choices = year_choices(current_year)
        self.fields["indicators"].queryset = Indicator.objects.for_user(user, "view").filter(
            is_active=True
        )
        self.fields["schools"].queryset = (
            Organisation.objects.for_user(user, CAMPAIGN_VERB)
            .schools()
            .filter(is_active=True)
            .select_related("municipality")
            .order_by("municipality__name", "short_name")
        )
        self.fields["indicators"].label_from_instance = lambda i: (
            f"{i.get_category_display()}: {i.name}"
        )
        self.initial.setdefault("school_year", current_year)
        self.initial.setdefault("due_on", today + datetime.timedelta(days=14))
        self.today = today

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < self.today:
            raise ValidationError(
                "Срок ответа уже прошёл: выберите сегодняшний или более поздний день."
            )
        return due_on


class ValuesForm(BootstrapMixin, forms.Form):
    """One field per indicator (two for a share: its counts), in the catalogue's order.
    ``entries()`` gives what the services take; services' errors (keyed by indicator id)
    go back to the fields with ``add_service_errors``."""

    def __init__(self, *args, indicators, initial_values=None, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        initial_values = initial_values or {}
        for indicator in self.indicators:
            current = initial_values.get(indicator.pk)
            if indicator.is_share:
                self.fields[f"n{indicator.pk}"] = forms.IntegerField(
                    label=indicator.numerator_label.capitalize(),
                    min_value=0,
                    max_value=10**9,
                    required=required,
                    initial=current.numerator if current else None,
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "class": "form-control"}
                    ),
                )
                self.fields[f"d{indicator.pk}"] = forms.IntegerField(
                    label=indicator.denominator_label.capitalize(),
                    min_value=0,
                    max_value=10**9,
                    required=required,
                    initial=current.denominator if current else None,
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "class": "form-control"}
                    ),
                )
            else:
                self.fields[f"v{indicator.pk}"] = forms.DecimalField(
                    label=indicator.unit or "значение",
                    max_digits=14,
                    decimal_places=2,
                    required=required,
                    initial=current.value if current else None,
                    max_value=MAX_NUMBER,
                    min_value=-MAX_NUMBER,
                    localize=True,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
                )

    def rows(self):
        """(indicator, its bound fields) in order, for the template."""
        for indicator in self.indicators:
            names = (
                [f"n{indicator.pk}", f"d{indicator.pk}"]
                if indicator.is_share
                else [f"v{indicator.pk}"]
            )
            yield indicator, [self[name] for name in names]

    def entries(self) -> list[Entry]:
        data = self.cleaned_data
        found = []
        for indicator in self.indicators:
            if indicator.is_share:
                numerator, denominator = data.get(f"n{indicator.pk}"), data.get(f"d{indicator.pk}")
                if numerator is None and denominator is None:
                    found.append(Entry(indicator))
                else:
                    found.append(Entry(indicator, numerator=numerator, denominator=denominator))
            else:
                found.append(Entry(indicator, value=data.get(f"v{indicator.pk}")))
        return found

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            pk = int(key) if key.isdigit() else None
            indicator = next((i for i in self.indicators if i.pk == pk), None)
            if indicator is None:
                self.add_error(None, messages)
            else:
                field = f"n{pk}" if indicator.is_share else f"v{pk}"
                self.add_error(field, messages)


class TargetsForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, indicators, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        current = current or {}
        for indicator in self.indicators:
            self.fields[f"t{indicator.pk}"] = forms.DecimalField(
                label=indicator.unit or "значение",
                max_digits=14,
                decimal_places=2,
                required=False,
                initial=current.get(indicator.pk),
                max_value=MAX_NUMBER,
                min_value=-MAX_NUMBER,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
            )

    def rows(self):
        for indicator in self.indicators:
            yield indicator, self[f"t{indicator.pk}"]

    def values(self) -> dict:
        return {i: self.cleaned_data.get(f"t{i.pk}") for i in self.indicators}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            name = f"t{key}"
            self.add_error(name if name in self.fields else None, messages)


class ExamTableForm(BootstrapMixin, forms.Form):
    """The results of one exam in one year, a row per subject (empty rows are skipped)."""

    def __init__(self, *args, exam: str, year: int, subjects, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exam, self.year = exam, year
        self.subjects = list(subjects)
        self.bands = EXAM_BANDS[exam]
        self.high_scores = exam in HIGH_SCORE_EXAMS
        low, high = EXAM_SCALE[exam]
        labels = {
            "participants": "Участников",
            "not_passed": f"Не преодолели ({self.bands[0]})",
            "band_low": self.bands[1],
            "band_mid": self.bands[2],
            "band_high": self.bands[3],
            "high_scorers": HIGH_SCORE_LABEL,
        }
        current = current or {}
        for subject in self.subjects:
            found = current.get(subject.pk)
            for name in RESULT_FIELDS:
                if name == "high_scorers" and not self.high_scores:
                    continue
                initial = getattr(found, name) if found else None
                if name == "average":
                    field = forms.DecimalField(
                        label="Средний балл",
                        max_digits=5,
                        decimal_places=2,
                        min_value=low,
                        max_value=high,
                        required=False,
                        localize=True,
                        initial=initial,
                        widget=forms.TextInput(
                            attrs={"inputmode": "decimal", "size": 5, "class": "form-control"}
                        ),
                    )
                else:
                    field = forms.IntegerField(
                        label=labels[name],
                        min_value=0,
                        max_value=100000,
                        required=False,
                        initial=initial,
                        widget=forms.NumberInput(
                            attrs={"inputmode": "numeric", "class": "form-control"}
                        ),
                    )
                self.fields[f"s{subject.pk}_{name}"] = field

    def table(self):
        for subject in self.subjects:
            yield (
                subject,
                [
                    self[f"s{subject.pk}_{name}"]
                    for name in RESULT_FIELDS
                    if f"s{subject.pk}_{name}" in self.fields
                ],
            )

    def result_rows(self) -> list[ResultRow]:
        rows = []
        for subject in self.subjects:
            figures = {
                name: self.cleaned_data.get(f"s{subject.pk}_{name}") for name in RESULT_FIELDS
            }
            if all(value is None for value in figures.values()):
                continue
            if figures["participants"] is None:
                self.add_error(
                    f"s{subject.pk}_participants", f"{subject}: укажите число участников."
                )
                continue
            rows.append(ResultRow(self.exam, subject, self.year, figures, str(subject)))
        return rows


class ExamFileForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="Файл .xlsx по шаблону",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        from .resources import MAX_BYTES

        if upload.size > MAX_BYTES:
            raise ValidationError("Файл больше 2 МБ: в шаблоне столько строк не бывает.")
        return upload


def exam_subjects(exam: str):
    """The subjects offered in the exam table (ВПР has «Окружающий мир», ЕГЭ two levels of
    mathematics, ОГЭ one)."""
    subjects = Subject.objects.all()
    if exam == Exam.EGE:
        return subjects.exclude(name__in=["Математика", "Окружающий мир"])
    if exam == Exam.OGE:
        return subjects.exclude(name__startswith="Математика (").exclude(name="Окружающий мир")
    return subjects.exclude(name__startswith="Математика (")
