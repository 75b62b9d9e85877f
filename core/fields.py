"""Model fields whose text is cleaned wherever it enters: forms, admin, services,
bulk_create, imports and lookups all pass through ``to_python`` or ``get_prep_value``.

The behaviour is Python-only: ``deconstruct()`` names the plain Django field, so swapping a
field for its clean twin generates no migration.
"""

from django.db import models

from .text import clean_text


class _CleanTextMixin:
    def to_python(self, value):
        return clean_text(super().to_python(value))

    def get_prep_value(self, value):
        return clean_text(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        # The saved instance holds what the database holds (save and bulk_create).
        value = clean_text(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        from .forms import CleanCharField as CleanFormField

        if self.choices is None:
            kwargs.setdefault("form_class", CleanFormField)
        return super().formfield(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self._plain_path, args, kwargs


class CleanCharField(_CleanTextMixin, models.CharField):
    """A CharField that stores text through core.text.clean_text."""

    _plain_path = "django.db.models.CharField"


class CleanTextField(_CleanTextMixin, models.TextField):
    """A TextField that stores text through core.text.clean_text."""

    _plain_path = "django.db.models.TextField"
