"""Form fields and a form mixin that keep hostile input away from the ORM and text clean.

``HardenedFormMixin`` (applied to every form of the project through
``BootstrapMixin`` below) swaps the plain Django fields of a form for the twins
below: text goes through core.text.clean_text, a model choice whose id is not an integer in
the database's range (25 digits, negative, "1e5", "١٢", "NaN") is an ordinary form error,
and plain integer fields are limited to the 64-bit range.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .params import MAX_ID, MIN_INT, id_param
from .text import clean_text

INVALID_CHOICE = "Выберите вариант из списка."


class CleanCharField(forms.CharField):
    """A text field whose value is cleaned of control characters (Word's \\x0b becomes a
    line break) before the usual stripping and validation."""

    def to_python(self, value):
        return super().to_python(clean_text(value))


def _has_integer_key(field: forms.ModelChoiceField) -> bool:
    model = field.queryset.model
    key = field.to_field_name
    db_field = model._meta.get_field(key) if key else model._meta.pk
    return isinstance(db_field, models.IntegerField)


class _IdCheckMixin:
    def _check_id(self, value):
        if isinstance(value, models.Model) or not _has_integer_key(self):
            return
        if id_param(value) is None:
            raise ValidationError(INVALID_CHOICE, code="invalid_choice")


class SafeModelChoiceField(_IdCheckMixin, forms.ModelChoiceField):
    """A ModelChoiceField that refuses ids outside the integer range before any query."""

    def to_python(self, value):
        if value not in self.empty_values:
            self._check_id(value)
        return super().to_python(value)


class SafeModelMultipleChoiceField(_IdCheckMixin, forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids outside the integer range before any
    query."""

    def _check_values(self, value):
        for item in value:
            self._check_id(item)
        return super()._check_values(value)


_TWINS = {
    forms.CharField: CleanCharField,
    forms.ModelChoiceField: SafeModelChoiceField,
    forms.ModelMultipleChoiceField: SafeModelMultipleChoiceField,
}


class HardenedFormMixin:
    """Put before forms.Form / forms.ModelForm. Fields declared with the plain Django classes
    (or generated from model fields) get their safe twins; the twins add checks only, no
    state, so swapping the class of the instance keeps every option the form set."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            twin = _TWINS.get(type(field))
            if twin is not None:
                field.__class__ = twin
            if type(field) is forms.IntegerField:
                if field.max_value is None:
                    field.validators.append(MaxValueValidator(MAX_ID))
                if field.min_value is None:
                    field.validators.append(MinValueValidator(MIN_INT))


class BootstrapMixin(HardenedFormMixin):
    """Bootstrap classes on every widget, so templates render fields as they are; the
    hardened fields of core.forms (clean text, ids checked before the ORM) for every form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)
            ):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
