"""History as it is written: django-simple-history's ``HistoricalRecords``, with the
snapshot of tracked many-to-many fields read in one query.

Each historical record carries the many-to-many rows of its object as they were (the
history pages compare them, ``core.history``). simple-history reads them per field,
joining the object and the related row into each read only to take their ids; a measure's
every save paid two such reads. Here the rows of all tracked fields come in one
``UNION ALL`` of ids; what is written, and the signals sent around it, stay as they were."""

from __future__ import annotations

from django.db.models import IntegerField, Value
from simple_history import models as simple_history
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_m2m_records,
)
from simple_history.utils import get_m2m_field_name


class HistoricalRecords(simple_history.HistoricalRecords):
    """``simple_history.models.HistoricalRecords`` with the many-to-many snapshot of a
    record read in one query (see the module's docstring)."""

    def create_historical_record_m2ms(self, history_instance, instance):
        fields = list(history_instance._history_m2m_fields)
        throughs = [field.remote_field.through for field in fields]
        if len(fields) < 2 or not all(through._meta.auto_created for through in throughs):
            # One field is one query anyway; a custom through model may have other columns.
            super().create_historical_record_m2ms(history_instance, instance)
            return
        # An auto-created through model has exactly three columns: id and the two ends.
        columns = [[f.attname for f in through._meta.concrete_fields] for through in throughs]
        reads = [
            through.objects.filter(**{get_m2m_field_name(field): instance})
            .order_by()
            .values_list(Value(index, output_field=IntegerField()), *names)
            for index, (field, through, names) in enumerate(
                zip(fields, throughs, columns, strict=True)
            )
        ]
        found: dict[int, list[tuple]] = {index: [] for index in range(len(fields))}
        for index, *values in reads[0].union(*reads[1:], all=True):
            found[index].append(values)
        for index, field in enumerate(fields):
            m2m_history_model = self.m2m_models[field]
            rows = [
                m2m_history_model(
                    history=history_instance, **dict(zip(columns[index], values, strict=True))
                )
                for values in found[index]
            ]
            pre_create_historical_m2m_records.send(
                sender=m2m_history_model,
                rows=rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
            created_rows = m2m_history_model.objects.bulk_create(rows)
            post_create_historical_m2m_records.send(
                sender=m2m_history_model,
                created_rows=created_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
