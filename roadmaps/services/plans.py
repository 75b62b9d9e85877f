"""Plans: create, change the header (and the period, which re-derives every schedule), start the next period from a plan."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_update_with_history

from schools.access import recheck

from ..constants import ROADMAP_HEADER_FIELDS, RoadmapStatus
from ..models import Measure, PlanConcurrence, Roadmap, Section
from ..windows import sync_windows
from .base import MEASURE_FIELDS, _apply, _derive_schedule, _lock, _require, _require_editable


@transaction.atomic(durable=True)
def roadmap_create(
    *,
    acting_user,
    owner,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    is_template: bool = False,
    **fields,
) -> Roadmap:
    """A new plan, marked as a template at once when asked (one write)."""
    return _roadmap_create(
        acting_user=acting_user,
        owner=owner,
        title=title,
        period_start=period_start,
        period_end=period_end,
        is_template=is_template,
        **fields,
    )


def _roadmap_create(
    *,
    acting_user,
    owner,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    is_template: bool = False,
    **fields,
) -> Roadmap:
    roadmap = Roadmap(
        owner=owner,
        title=title,
        period_start=period_start,
        period_end=period_end,
        is_template=is_template,
        created_by=acting_user,
    )
    _apply(roadmap, fields, ROADMAP_HEADER_FIELDS)
    roadmap.full_clean()
    roadmap._history_user = acting_user
    roadmap.save()
    recheck(acting_user, "add", roadmap)
    return roadmap


@transaction.atomic(durable=True)
def roadmap_update(
    *, roadmap: Roadmap, acting_user, data: dict, expected_version: int | None
) -> Roadmap:
    _require(roadmap, acting_user)
    roadmap = _lock(Roadmap, roadmap.pk, expected_version, data, ROADMAP_HEADER_FIELDS)
    _require_editable(roadmap)
    changed = _apply(roadmap, data, ROADMAP_HEADER_FIELDS)
    if not changed:
        return roadmap
    roadmap.full_clean()
    roadmap.version = F("version") + 1
    roadmap._history_user = acting_user
    roadmap.save(update_fields=[*changed, "version", "updated_at"])
    roadmap.refresh_from_db()
    if {"period_start", "period_end"} & set(changed):
        _rederive_all(roadmap, acting_user)
    recheck(acting_user, "change", roadmap)
    return roadmap


def _rederive_all(roadmap: Roadmap, acting_user) -> None:
    """Derive every schedule again from the deadline texts and the new period. The
    measures are locked first (in id order), so an edit of a deadline that races the
    re-derivation either lands before it (and is derived with the new period) or waits
    for it; the windows keep their ids (``sync_windows``)."""
    measures = list(
        Measure.objects.select_for_update()
        .filter(roadmap=roadmap, schedule_overridden=False)
        .order_by("pk")
    )
    derived = {measure.pk: _derive_schedule(measure, roadmap) for measure in measures}
    bulk_update_with_history(
        measures,
        Measure,
        ["schedule_kind"],
        default_user=acting_user,
        default_change_reason="Пересчёт сроков после смены периода",
    )
    sync_windows(
        {measure.pk: derived[measure.pk].windows for measure in measures},
        notify=roadmap.status == RoadmapStatus.EXECUTION,
    )


@transaction.atomic(durable=True)
def roadmap_duplicate(
    *,
    roadmap: Roadmap,
    acting_user,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
) -> Roadmap:
    """Start next year's plan from this one: same owner, sections and measures, a new
    period (schedules derived anew), draft status, no approval and no concurrence answers.
    The period is the one asked for; ``periods.next_period`` proposes it."""
    _require(roadmap, acting_user, "view")
    copy = _roadmap_create(
        acting_user=acting_user,
        owner=roadmap.owner,
        title=title,
        period_start=period_start,
        period_end=period_end,
        **{
            name: getattr(roadmap, name)
            for name in ROADMAP_HEADER_FIELDS
            if name
            not in {
                "title",
                "period_start",
                "period_end",
                "period_text",
                "approval_date",
                "approval_date_text",
                "approval_order",
            }
        },
    )
    _copy_contents(roadmap, copy, acting_user)
    recheck(acting_user, "add", copy)
    return copy


def _copy_contents(source: Roadmap, target: Roadmap, acting_user) -> None:
    section_map: dict[int, Section] = {}
    # Parents before children: walk depth by depth.
    pending = list(Section.objects.filter(roadmap=source).order_by("order"))
    while pending:
        rest = []
        for section in pending:
            if section.parent_id and section.parent_id not in section_map:
                rest.append(section)
                continue
            new = Section(
                roadmap=target,
                parent=section_map.get(section.parent_id),
                number=section.number,
                title=section.title,
                is_group=section.is_group,
                order=section.order,
                origin=section,
            )
            new._history_user = acting_user
            new.save()
            section_map[section.pk] = new
        if len(rest) == len(pending):  # a cycle cannot happen through the services; stop anyway
            break
        pending = rest
    windows: dict[int, tuple] = {}
    for measure in Measure.objects.filter(roadmap=source).prefetch_related(
        "responsible_organisations", "assigned_organisations"
    ):
        new = Measure(
            roadmap=target,
            section=section_map.get(measure.section_id),
            **{name: getattr(measure, name) for name in MEASURE_FIELDS},
            assignment_mode=measure.assignment_mode,
            order=measure.order,
            origin=measure,
        )
        new.status_text = ""
        derived = _derive_schedule(new, target)
        new._history_user = acting_user
        new.save()
        windows[new.pk] = derived.windows
        new.responsible_organisations.set(measure.responsible_organisations.all())
        new.assigned_organisations.set(measure.assigned_organisations.all())
    sync_windows(windows, notify=False)  # a new plan, not in execution
    for concurrence in PlanConcurrence.objects.filter(roadmap=source):
        PlanConcurrence.objects.create(
            roadmap=target,
            organisation=concurrence.organisation,
            organisation_text=concurrence.organisation_text,
            position=concurrence.position,
            name=concurrence.name,
            order=concurrence.order,
        )
