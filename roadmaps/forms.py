"""Forms of the roadmap pages. Every choice of an organisation is narrowed to what the
person may use."""

from django import forms

from core.forms import BootstrapMixin
from monitoring.models import Indicator
from schools.models import Organisation

from .constants import COLUMNS, ROADMAP_HEADER_FIELDS, AssignmentMode, ScheduleKind
from .models import Measure, Roadmap, Section

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodMixin:
    """A period that ends before it starts is refused with a Russian message."""

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "Период заканчивается раньше, чем начинается.")
        return data


class VersionedForm(BootstrapMixin, forms.ModelForm):
    """Carries the version of the row the editor saw, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RoadmapCreateForm(PeriodMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = [
            "owner",
            "level",
            "title",
            "subtitle",
            "period_start",
            "period_end",
            "period_text",
            "is_template",
        ]
        widgets = {
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "title": forms.Textarea(attrs={"rows": 2}),
            "subtitle": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.for_user(
            user, "roadmaps.add_roadmap"
        ).order_by("short_name")
        self.fields["owner"].label_from_instance = lambda org: org.short_name


class RoadmapHeaderForm(PeriodMixin, VersionedForm):
    columns = forms.MultipleChoiceField(
        label="Столбцы плана", choices=COLUMNS, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Roadmap
        fields = ROADMAP_HEADER_FIELDS
        widgets = {
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "approval_date": DATE_WIDGET,
            "title": forms.Textarea(attrs={"rows": 2}),
            "subtitle": forms.Textarea(attrs={"rows": 2}),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in [
                    "passport_problem",
                    "passport_working_group",
                    "passport_developer",
                    "passport_goal",
                    "passport_stages",
                    "passport_directions",
                    "passport_control_results",
                    "passport_financing",
                    "passport_indicators",
                ]
            },
        }


class DuplicateForm(PeriodMixin, BootstrapMixin, forms.Form):
    title = forms.CharField(
        label="Заголовок нового плана", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    period_start = forms.DateField(label="Начало периода", widget=DATE_WIDGET)
    period_end = forms.DateField(label="Окончание периода", widget=DATE_WIDGET)


class SectionForm(VersionedForm):
    parent = forms.ModelChoiceField(
        label="Вложить в раздел", queryset=Section.objects.none(), required=False
    )

    class Meta:
        model = Section
        fields = ["number", "title", "is_group"]
        widgets = {"title": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Section.objects.filter(roadmap=roadmap).order_by("order")
        self.fields["title"].required = True


class MeasureForm(VersionedForm):
    class Meta:
        model = Measure
        fields = [
            "number",
            "title",
            "deadline_text",
            "audience",
            "responsible_text",
            "result",
            "indicator_text",
            "indicator",
            "status_text",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in [
                "title",
                "deadline_text",
                "audience",
                "responsible_text",
                "result",
                "indicator_text",
                "status_text",
            ]
        }

    move_to = forms.ModelChoiceField(
        label="Раздел",
        queryset=Section.objects.none(),
        required=False,
        empty_label="— вне раздела —",
    )

    def __init__(self, *args, user, roadmap=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["indicator"].queryset = Indicator.objects.for_user(user, "view").filter(
            is_active=True
        )
        if roadmap is None or self.instance.pk is None:
            del self.fields["move_to"]
        else:
            self.fields["move_to"].queryset = Section.objects.filter(roadmap=roadmap).order_by(
                "order"
            )
            self.fields["move_to"].initial = self.instance.section_id


class ScheduleForm(BootstrapMixin, forms.Form):
    """A hand-made schedule: the kind and windows one per line «дд.мм.гггг – дд.мм.гггг»."""

    reset = forms.BooleanField(label="Вернуть срок, выведенный из текста", required=False)
    kind = forms.ChoiceField(label="Вид срока", choices=ScheduleKind.choices, required=False)
    windows = forms.CharField(
        label="Окна (по одному в строке: дд.мм.гггг – дд.мм.гггг)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_windows(self):
        import datetime
        import re

        result = []
        for number, line in enumerate(self.cleaned_data["windows"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            dates = re.findall(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", line)
            if len(dates) not in (1, 2):
                raise forms.ValidationError(
                    f"Строка {number}: укажите одну или две даты в виде дд.мм.гггг."
                )
            try:
                parsed = [datetime.date(int(y), int(m), int(d)) for d, m, y in dates]
            except ValueError:
                raise forms.ValidationError(f"Строка {number}: такой даты не бывает.") from None
            start, end = parsed[0], parsed[-1]
            result.append([start.isoformat(), end.isoformat()])
        return result


class AssignForm(BootstrapMixin, forms.Form):
    mode = forms.ChoiceField(
        label="Кому назначено", choices=AssignmentMode.choices, widget=forms.RadioSelect
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Организации",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.for_user(
            user, "view"
        ).order_by("kind", "short_name")

    def clean(self):
        data = super().clean()
        if data.get("mode") == AssignmentMode.ORGANISATIONS and not data.get("organisations"):
            self.add_error("organisations", "Выберите хотя бы одну организацию.")
        return data


class SchoolsForm(BootstrapMixin, forms.Form):
    schools = forms.ModelMultipleChoiceField(
        label="Школы", queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = (
            Organisation.objects.for_user(user, "view").schools().order_by("short_name")
        )


# --- The plan's life ----------------------------------------------------------------------


class SubmitForm(BootstrapMixin, forms.Form):
    """«Отправить на согласование»: the parties asked, from the candidates the service
    allows (``services.agreement_candidates``)."""

    organisations = forms.ModelMultipleChoiceField(
        label="Кого просить согласовать",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ни одной — план сразу уйдёт на утверждение.",
    )
    comment = forms.CharField(
        label="Сопроводительный комментарий",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        field.queryset = (
            Organisation.objects.filter(pk__in=[org.pk for org in candidates])
            .select_related("municipality")
            .order_by("municipality__name", "short_name")
        )
        field.label_from_instance = lambda org: (
            f"{org.short_name} — {org.municipality}" if org.municipality else org.short_name
        )
        self.candidates = candidates


class AnswerForm(BootstrapMixin, forms.Form):
    """A party's answer: agree, or return with remarks."""

    decision = forms.ChoiceField(choices=[("agree", "Согласовать"), ("return", "Вернуть")])
    comment = forms.CharField(label="Замечания", required=False, max_length=5000)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[org.pk for org in organisations]
        )


class ApproveForm(BootstrapMixin, forms.Form):
    """«Утвердить»: the date, the order, the approver's position as the stamp will say."""

    approval_date = forms.DateField(label="Дата утверждения", widget=DATE_WIDGET)
    order_number = forms.CharField(label="Номер приказа", max_length=100)
    order_date = forms.DateField(
        label="Дата приказа",
        required=False,
        widget=DATE_WIDGET,
        help_text="Если пусто — дата утверждения.",
    )
    position = forms.CharField(label="Должность утверждающего", required=False, max_length=500)
    comment = forms.CharField(
        label="Комментарий",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RemarksForm(BootstrapMixin, forms.Form):
    """A comment with a step (required to send a plan back)."""

    comment = forms.CharField(
        label="Комментарий",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
