"""Monitoring. Glossary: Indicator (целевой показатель)."""

from django.db import models
from simple_history.models import HistoricalRecords

from core.fields import CleanCharField
from schools.models import Organisation

from .constants import Direction, IndicatorCategory
from .querysets import IndicatorQuerySet


class Indicator(models.Model):
    """A target indicator with its unit, category and which direction is better. Measures
    of a plan may point at the indicator they serve; values come with the monitoring work."""

    owner = models.ForeignKey(
        Organisation,
        verbose_name="кто установил",
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    name = CleanCharField("наименование", max_length=500)
    unit = CleanCharField("единица измерения", max_length=50, blank=True)
    category = models.CharField("категория", max_length=20, choices=IndicatorCategory.choices)
    direction = models.CharField(
        "направление", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    is_active = models.BooleanField("действует", default=True)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "целевой показатель"
        verbose_name_plural = "целевые показатели"
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="indicator_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.unit}" if self.unit else self.name
