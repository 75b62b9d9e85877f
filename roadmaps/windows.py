"""Store a measure's schedule as MeasureWindow rows without losing their identity.

Execution marks (and whatever else comes to hang on a window) point to windows by id, so a
re-derived schedule (deadline text edited, plan period changed, plan copied, schedule set
by hand) must never delete and re-insert them. ``sync_windows`` matches windows by their
position in the schedule and updates them in place; new positions are inserted; a window
whose position is gone is deleted only when nothing is recorded against it, otherwise it
stays, flagged «срок изменён» (``schedule_changed``), for a person to resolve; once
nothing is recorded against a flagged window any more, the next sync removes it.

It works on many measures at once (a period change of a whole plan) with a number of
queries that does not depend on the number of measures.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from .models import Measure, MeasureWindow
from .signals import schedule_changed

Window = tuple[datetime.date, datetime.date]
BATCH_SIZE = 2000


@dataclass(frozen=True)
class SyncResult:
    """What ``sync_windows`` did, in numbers of windows."""

    kept: int = 0
    updated: int = 0
    created: int = 0
    deleted: int = 0
    flagged: int = 0


def recorded_window_ids(window_ids: Iterable[int]) -> set[int]:
    """The windows among ``window_ids`` that something is recorded against: any row of any
    model that points to MeasureWindow (found through the model's reverse relations, so a
    model added later — execution marks — counts without a change here). A model may say
    which of its rows count with a class attribute ``recorded_filter`` (a ``Q`` on its own
    fields: execution records count once marked); by default every row counts.

    Queries: one for all relations together (none when there is no relation or no id)."""
    ids = set(window_ids)
    relations = list(MeasureWindow._meta.related_objects)
    if not ids or not relations:
        return set()
    condition = Q()
    for rel in relations:
        recorded = getattr(rel.related_model, "recorded_filter", None)
        if recorded is None:
            condition |= Q(**{f"{rel.name}__isnull": False})
        else:
            rows = rel.related_model._base_manager.filter(
                recorded, **{f"{rel.field.name}__in": ids}
            )
            condition |= Q(pk__in=rows.order_by().values(rel.field.name))
    return set(
        MeasureWindow._base_manager.filter(condition, pk__in=ids)
        .values_list("pk", flat=True)
        .distinct()
    )


def sync_windows(
    schedules: Mapping[int, Sequence[Window]],
    *,
    recorded: Collection[int] | None = None,
    notify: bool = True,
) -> SyncResult:
    """Make the current windows of each measure (by id) match its derived windows.

    ``schedules`` maps a measure id to its windows in schedule order; the index of a
    window is its position. ``recorded`` — the ids of windows that something is recorded
    against — is found by ``recorded_window_ids`` unless given. ``notify`` sends
    ``roadmaps.signals.schedule_changed`` (the caller may leave it out when it knows no
    measure's plan is in execution: a draft, a new copy).

    Locks the measures (in id order, so concurrent re-derivations of one plan queue up
    instead of inserting the same position twice) and their current windows (so nothing
    can be recorded against a window between the check and its removal).
    Must run inside a transaction."""
    ids = sorted(schedules)
    if not ids:
        return SyncResult()
    list(
        Measure._base_manager.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    current: dict[tuple[int, int], MeasureWindow] = {}
    already_flagged: list[int] = []
    for window in (
        MeasureWindow._base_manager.select_for_update().filter(measure_id__in=ids).order_by("pk")
    ):
        if window.schedule_changed:
            already_flagged.append(window.pk)
        else:
            current[(window.measure_id, window.position)] = window
    to_update: list[MeasureWindow] = []
    to_create: list[MeasureWindow] = []
    kept = 0
    for measure_id in ids:
        for position, (starts_on, due_on) in enumerate(schedules[measure_id]):
            window = current.pop((measure_id, position), None)
            if window is None:
                to_create.append(
                    MeasureWindow(
                        measure_id=measure_id,
                        position=position,
                        starts_on=starts_on,
                        due_on=due_on,
                    )
                )
            elif (window.starts_on, window.due_on) != (starts_on, due_on):
                window.starts_on, window.due_on = starts_on, due_on
                to_update.append(window)
            else:
                kept += 1
    gone = [window.pk for window in current.values()]
    if recorded is None:
        recorded = recorded_window_ids([*gone, *already_flagged])
    flagged = [pk for pk in gone if pk in recorded]
    # A flagged window whose records have all been moved away is resolved: it goes too.
    deleted = [pk for pk in [*gone, *already_flagged] if pk not in recorded]
    if deleted:
        MeasureWindow._base_manager.filter(pk__in=deleted).delete()
    if flagged:
        MeasureWindow._base_manager.filter(pk__in=flagged).update(schedule_changed=True)
    if to_update:
        _update_dates(to_update)
    if to_create:
        MeasureWindow._base_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if notify:
        schedule_changed.send(sender=MeasureWindow, measure_ids=ids)
    return SyncResult(
        kept=kept,
        updated=len(to_update),
        created=len(to_create),
        deleted=len(deleted),
        flagged=len(flagged),
    )


def _update_dates(windows: list[MeasureWindow]) -> None:
    """Write new dates of many windows, one UPDATE … FROM (VALUES …) per batch: the
    ORM's ``bulk_update`` builds a CASE per row, which costs seconds for a plan's
    ten thousand windows."""
    if connection.vendor != "postgresql":
        # SQLite (the embedded demo of ``make run``) has no typed VALUES list; its plans
        # are small, and the ORM's bulk_update does the same there.
        MeasureWindow._base_manager.bulk_update(
            windows, ["starts_on", "due_on"], batch_size=BATCH_SIZE
        )
        return
    table = connection.ops.quote_name(MeasureWindow._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(windows), BATCH_SIZE):
            batch = windows[start : start + BATCH_SIZE]
            rows = ", ".join(["(%s, %s::date, %s::date)"] * len(batch))
            params = [value for w in batch for value in (w.pk, w.starts_on, w.due_on)]
            cursor.execute(
                f"UPDATE {table} AS w SET starts_on = v.starts_on, due_on = v.due_on "  # noqa: S608
                f"FROM (VALUES {rows}) AS v (id, starts_on, due_on) WHERE w.id = v.id",
                params,
            )


def new_windows(measure: Measure, windows: Sequence[Window]) -> list[MeasureWindow]:
    """Unsaved windows of a measure that has none yet (bulk imports), with positions."""
    return [
        MeasureWindow(measure=measure, position=position, starts_on=starts_on, due_on=due_on)
        for position, (starts_on, due_on) in enumerate(windows)
    ]
