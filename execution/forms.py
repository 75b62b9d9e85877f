"""Forms of the execution pages: a mark with its evidence, a curator's decision, the
settings with which a plan enters execution. Every id a form takes is checked again by the
service against the person's reach."""

from __future__ import annotations

from django import forms

from core.forms import BootstrapMixin
from core.params import id_param

from .models import MarkState
from .services import MAX_BULK, MAX_NOTE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

MARK_CHOICES = [
    (MarkState.DONE, "Выполнено"),
    (MarkState.PARTLY, "Выполнено частично"),
    (MarkState.NOT_DONE, "Не выполнено"),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is checked by
    content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class IdListField(forms.Field):
    """Record ids posted as repeated values (checkboxes): integers in range, each once."""

    default_error_messages = {
        "invalid": "Неверный номер отметки.",
        "required": "Выберите хотя бы одно мероприятие.",
        "too_many": f"За один раз можно отметить не больше {MAX_BULK} строк.",
    }
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = []
        for item in values:
            pk = id_param(item)
            if pk is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if pk not in ids:
                ids.append(pk)
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        return ids


class MarkForm(BootstrapMixin, forms.Form):
    """«Отметить»: what was done, when, a note, evidence. ``version`` is the record's
    version the person saw (one record); a bulk mark posts ``records`` instead."""

    state = forms.ChoiceField(
        label="Отметка", choices=MARK_CHOICES, initial=MarkState.DONE, widget=forms.RadioSelect
    )
    done_on = forms.DateField(
        label="Когда выполнено",
        required=False,
        widget=DATE_WIDGET,
        help_text="Если пусто — сегодня.",
    )
    note = forms.CharField(
        label="Комментарий",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "Что сделано: приказ, протокол, участники"}
        ),
    )
    files = MultipleFileField(
        label="Файлы (PDF, Word, Excel, ODT, JPG, PNG до 20 МБ)", required=False
    )
    link = forms.CharField(
        label="Ссылка",
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "inputmode": "url"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, prefix_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs.update(
            {"accept": ".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png", "class": "form-control"}
        )
        if prefix_id is not None:
            # Unique ids when many forms share a page (one per row of «Мои мероприятия»).
            self.auto_id = f"mark-{prefix_id}-%s"


class BulkMarkForm(MarkForm):
    records = IdListField(label="Отметки")


class ReviewForm(BootstrapMixin, forms.Form):
    """The curator's decision: accept, or return with what to fix."""

    decision = forms.ChoiceField(
        choices=[("accept", "Принять"), ("return", "Вернуть на доработку")]
    )
    comment = forms.CharField(
        label="Что исправить",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error(
                "comment", "Напишите, что нужно исправить: без комментария отметку не вернуть."
            )
        return data


class BulkReviewForm(BootstrapMixin, forms.Form):
    records = IdListField(label="Отметки")


class StartForm(BootstrapMixin, forms.Form):
    """«Начать исполнение»: how often continuous measures are reported, and whether a
    curator accepts the marks."""

    reporting_months = forms.TypedChoiceField(
        label="Отчётный период для постоянных мероприятий",
        coerce=int,
        choices=[(1, "Месяц"), (3, "Квартал"), (6, "Полугодие"), (12, "Год")],
        initial=3,
    )
    marks_need_acceptance = forms.BooleanField(
        label="Отметки школ принимает куратор",
        required=False,
        initial=True,
        help_text="Если выключено, отметка сразу считается принятой.",
    )


class EvidenceForm(BootstrapMixin, forms.Form):
    """Evidence added to a mark that is already sent (files and a link)."""

    files = MultipleFileField(label="Файлы", required=False)
    link = forms.CharField(
        label="Ссылка",
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "inputmode": "url"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("files") and not (data.get("link") or "").strip():
            raise forms.ValidationError("Приложите файл или укажите ссылку.")
        return data
