"""History as a person reads it: for records of django-simple-history, what changed
between versions, with verbose names and readable values (names of related rows loaded in
bulk, «да»/«нет», choice labels, dates). Used by the history pages and the admin."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone

# Fields that are bookkeeping, not content: their changes are not shown.
HISTORY_HIDDEN_FIELDS = frozenset({"version", "order", "created_at", "updated_at"})


@dataclass(frozen=True)
class FieldChange:
    """One changed field as a person reads it: its name and both values as text."""

    label: str
    old: str
    new: str


def _m2m_fields(model) -> list[tuple]:
    """The tracked many-to-many fields of a model with history, each with the accessor of
    its historical rows on a historical record (``historicalmeasure_<field>_set``)."""
    historical = model.history.model
    through = {
        rel.related_model.__name__: rel.get_accessor_name()
        for rel in historical._meta.related_objects
        if rel.field.name == "history"
    }
    return [
        (field, through[f"{historical.__name__}_{field.name}"])
        for field in getattr(historical, "_history_m2m_fields", [])
    ]


def with_m2m(model, records):
    """Historical m2m rows come with the records (one query per field, not per record)."""
    accessors = [accessor for _, accessor in _m2m_fields(model)]
    return records.prefetch_related(*accessors) if accessors else records


def previous_records(model, records: list) -> dict:
    """For the oldest record of each object in ``records``: the version before it (outside
    the page), in one query; keyed by the record's history id."""
    oldest: dict[int, object] = {}
    for record in records:  # newest first: the last one seen per object is the oldest
        oldest[record.id] = record
    if not oldest:
        return {}
    candidates = with_m2m(
        model,
        model.history.filter(id__in=list(oldest)).filter(
            history_date__lt=max(record.history_date for record in oldest.values())
        ),
    ).order_by("id", "-history_date")
    previous: dict[int, object] = {}
    for candidate in candidates:
        record = oldest[candidate.id]
        key = record.history_id
        if key not in previous and candidate.history_date < record.history_date:
            previous[key] = candidate
    return previous


def _tracked_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in HISTORY_HIDDEN_FIELDS
    ]


def _m2m_ids(record, field, accessor: str) -> list[int]:
    """The related ids of one historical m2m field, from the prefetched rows."""
    reverse = field.m2m_reverse_field_name()
    return sorted(getattr(row, f"{reverse}_id") for row in getattr(record, accessor).all())


def attach_changes(
    model, records: list, previous: dict | None = None, *, readers: dict | None = None
) -> None:
    """Give each historical record ``changes``: a list of ``FieldChange`` against the
    previous version of the same object (the next record of that object in ``records``,
    newest first, or ``previous[record.history_id]``). Names are verbose names, values are
    what a person reads: names of related rows (loaded in bulk), «да»/«нет», choice
    labels, dates as dd.mm.yyyy; ``readers`` turns the stored value of a field named there
    into text (a structure only its app can read)."""
    readers = readers or {}
    previous = dict(previous or {})
    newer_of: dict[int, object] = {}
    for record in records:
        if record.id in newer_of:
            previous[newer_of[record.id].history_id] = record
        newer_of[record.id] = record
    fields = _tracked_fields(model)
    m2m_fields = _m2m_fields(model)
    raw: list[tuple[object, list[tuple[object, object, object]]]] = []
    wanted: dict[type, set] = {}
    for record in records:
        older = previous.get(record.history_id)
        pairs = []
        if older is not None:
            for field in fields:
                old, new = getattr(older, field.attname), getattr(record, field.attname)
                if old != new:
                    pairs.append((field, old, new))
            for field, accessor in m2m_fields:
                old, new = _m2m_ids(older, field, accessor), _m2m_ids(record, field, accessor)
                if old != new:
                    pairs.append((field, old, new))
        for field, old, new in pairs:
            if field.is_relation:
                ids = wanted.setdefault(field.related_model, set())
                for value in (old, new):
                    ids.update(value if isinstance(value, list) else [value])
        raw.append((record, pairs))
    names = {
        related: {
            obj.pk: str(obj)
            for obj in related._base_manager.filter(pk__in=[pk for pk in ids if pk is not None])
        }
        for related, ids in wanted.items()
    }
    for record, pairs in raw:
        record.changes = [
            FieldChange(
                label=_capitalized(str(field.verbose_name)),
                old=_readable(field, old, names, readers),
                new=_readable(field, new, names, readers),
            )
            for field, old, new in pairs
        ]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _readable(field, value, names: dict, readers: dict) -> str:
    """One stored value as a person reads it."""
    if field.is_relation:
        known = names.get(field.related_model, {})
        values = value if isinstance(value, list) else [value]
        shown = [known.get(pk, "удалённая запись") for pk in values if pk is not None]
        return ", ".join(shown)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if field.name in readers:
        return readers[field.name](value)
    if isinstance(value, list | dict):
        return ", ".join(str(item) for item in value) if isinstance(value, list) else ""
    return str(value)
