"""Measures: create, change (the deadline text re-derives the schedule), correct the schedule by hand, delete."""

from __future__ import annotations

from django.db import transaction

from schools.access import recheck

from .. import schedules
from ..models import Measure, Roadmap, Section
from .base import (
    KEEP,
    MEASURE_FIELDS,
    MOVE_TO_END,
    _apply,
    _change_checked,
    _derive_schedule,
    _Keep,
    _lock,
    _next_order,
    _recognise_responsible,
    _require,
    _require_editable,
    _require_indicator,
    _require_same_plan,
    _reuse_loaded,
    _store_windows,
)
from .moves import _check_move, _item_move


@transaction.atomic(durable=True)
def measure_create(
    *, roadmap: Roadmap, acting_user, section: Section | None = None, **fields
) -> Measure:
    _require(roadmap, acting_user)
    # The plan's row, locked against a change of its period or status (``roadmap_update``
    # locks it too): the schedule is derived with the period that holds when the measure
    # is committed, not the one the caller read before.
    roadmap = Roadmap.objects.select_for_update(no_key=True).get(pk=roadmap.pk)
    _require_editable(roadmap)
    _require_same_plan(roadmap, section)
    measure = Measure(roadmap=roadmap, section=section)
    _apply(measure, fields, MEASURE_FIELDS)
    measure.order = _next_order(roadmap, section)
    derived = _derive_schedule(measure, roadmap)
    measure.full_clean()
    _require_indicator(measure, acting_user)
    measure._history_user = acting_user
    measure.save()
    _store_windows(measure, derived)
    _recognise_responsible(measure, roadmap)
    recheck(acting_user, "change", measure)
    return measure


@transaction.atomic(durable=True)
def measure_update(
    *,
    measure: Measure,
    acting_user,
    data: dict,
    expected_version: int | None,
    section: Section | None | _Keep = KEEP,
) -> Measure:
    """The measure form: its fields and, when ``section`` differs, a move to the end of
    that section, checked before anything is written.

    A measure the caller loaded through ``mark_change_checked`` (its change scope, in this
    request, for this person) is not checked against the plan again before the write; the
    re-check after the write always runs."""
    roadmap = measure.roadmap
    if not _change_checked(measure, acting_user):
        _require(roadmap, acting_user)
    _require_editable(roadmap)
    given = measure
    measure = _lock(Measure, measure.pk, expected_version, data, MEASURE_FIELDS)
    _reuse_loaded(measure, given, "section")
    move = section is not KEEP and getattr(section, "pk", None) != measure.section_id
    if move:
        _check_move(measure, roadmap, section)
    changed = _apply(measure, data, MEASURE_FIELDS)
    if not changed:
        if move:
            _item_move(measure, acting_user, section, MOVE_TO_END)
        return measure
    derived = None
    if "deadline_text" in changed:
        # The plan as read after the lock: a period change that committed meanwhile counts.
        derived = _derive_schedule(measure, measure.roadmap)
        changed.append("schedule_kind")
    # The plan, section and origin are not written here (a move goes through
    # ``_item_move``): their existence checks and the origin constraint are not asked again.
    measure.full_clean(exclude=["roadmap", "section", "origin"])
    if "indicator" in changed:
        _require_indicator(measure, acting_user)
    # The row is locked: the next version is known without reading it back.
    measure.version += 1
    measure._history_user = acting_user
    measure.save(update_fields=[*changed, "version"])
    _store_windows(measure, derived)
    if "responsible_text" in changed:
        _recognise_responsible(measure, roadmap)
    if move:
        _item_move(measure, acting_user, section, MOVE_TO_END)
    recheck(acting_user, "change", measure)
    return measure


@transaction.atomic(durable=True)
def measure_set_schedule(
    *, measure: Measure, acting_user, kind: str | None, windows: list, expected_version: int | None
) -> Measure:
    """Correct the derived schedule by hand (``kind=None`` goes back to the derived one).
    The deadline text stays as written."""
    roadmap = measure.roadmap
    _require(roadmap, acting_user)
    _require_editable(roadmap)
    measure = _lock(
        Measure,
        measure.pk,
        expected_version,
        {"schedule_kind": kind, "manual_windows": windows},
        ["schedule_kind", "manual_windows"],
    )
    # Read the plan after the lock: a period change that committed meanwhile counts.
    roadmap = measure.roadmap
    _require_editable(roadmap)
    if kind is None:
        measure.schedule_overridden = False
        measure.manual_windows = []
        derived = _derive_schedule(measure, roadmap)
    else:
        derived = schedules.manual(kind, windows, roadmap.period_start, roadmap.period_end)
        measure.schedule_overridden = True
        measure.schedule_kind = derived.kind
        measure.manual_windows = [
            [start.isoformat(), end.isoformat()] for start, end in derived.windows
        ]
    # The row is locked: the next version is known without reading it back.
    measure.version += 1
    measure._history_user = acting_user
    measure.save(
        update_fields=["schedule_overridden", "schedule_kind", "manual_windows", "version"]
    )
    _store_windows(measure, derived)
    recheck(acting_user, "change", measure)
    return measure


@transaction.atomic(durable=True)
def measure_delete(*, measure: Measure, acting_user) -> None:
    _require(measure.roadmap, acting_user)
    _require_editable(measure.roadmap)
    measure._history_user = acting_user
    measure.delete()
