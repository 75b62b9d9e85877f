"""Forms of the notification pages: a person's preferences, a municipality's reminders."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from core.forms import BootstrapMixin

from .constants import MAX_GRACE_DAYS, Kind
from .models import clean_offsets

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class PreferenceForm(BootstrapMixin, forms.Form):
    email_enabled = forms.BooleanField(
        label="Присылать сводку на электронную почту", required=False
    )
    digest_hour = forms.TypedChoiceField(
        label="Время сводки", choices=HOURS, coerce=int, empty_value=None
    )
    kinds = forms.MultipleChoiceField(
        label="О чём сообщать",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def for_preference(cls, preference, data=None):
        initial = {
            "email_enabled": preference.email_enabled,
            "digest_hour": preference.digest_hour,
            "kinds": sorted(preference.enabled_kinds),
        }
        return cls(data, initial=initial)

    @property
    def muted_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data.get("kinds") or ())
        return sorted(set(Kind.values) - chosen)


class ReminderSettingsForm(BootstrapMixin, forms.Form):
    offsets = forms.CharField(
        label="Напоминать за (дней до срока)",
        max_length=40,
        help_text="Числа через запятую: например, «7, 1» — за неделю и накануне; «0» — в день срока.",
    )
    grace_days = forms.IntegerField(
        label="Сообщать руководству, если просрочено больше (дней)",
        min_value=1,
        max_value=MAX_GRACE_DAYS,
        help_text="Тогда о просрочке узнают директор школы, куратор и муниципальный координатор.",
    )

    def clean_offsets(self) -> list[int]:
        text = self.cleaned_data["offsets"]
        parts = [part for part in re.split(r"[\s,;]+", text) if part]
        if not parts or not all(re.fullmatch(r"[0-9]{1,3}", part, re.ASCII) for part in parts):
            raise ValidationError("Укажите дни целыми числами через запятую, например «7, 1».")
        return clean_offsets([int(part) for part in parts])
