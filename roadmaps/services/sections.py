"""Sections: create, change (and move under another parent), delete keeping their contents."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from schools.access import recheck

from ..models import Measure, Roadmap, Section
from .base import (
    KEEP,
    MOVE_TO_END,
    SECTION_FIELDS,
    _apply,
    _Keep,
    _lock,
    _next_order,
    _require,
    _require_editable,
    _require_same_plan,
)
from .moves import _check_move, _item_move


@transaction.atomic(durable=True)
def section_create(
    *,
    roadmap: Roadmap,
    acting_user,
    title: str,
    number: str = "",
    parent: Section | None = None,
    is_group: bool = False,
) -> Section:
    _require(roadmap, acting_user)
    _require_editable(roadmap)
    _require_same_plan(roadmap, parent)
    section = Section(roadmap=roadmap, parent=parent, title=title, number=number, is_group=is_group)
    section.order = _next_order(roadmap, parent)
    section.full_clean()
    section._history_user = acting_user
    section.save()
    recheck(acting_user, "change", section)
    return section


@transaction.atomic(durable=True)
def section_update(
    *,
    section: Section,
    acting_user,
    data: dict,
    expected_version: int | None,
    parent: Section | None | _Keep = KEEP,
) -> Section:
    """The section form: number, title, group flag and, when ``parent`` differs, a new
    place at the end of that parent. Everything is checked before anything is written, so
    nesting a section under its own child saves nothing (not even the new title)."""
    roadmap = section.roadmap
    _require(roadmap, acting_user)
    _require_editable(roadmap)
    section = _lock(Section, section.pk, expected_version, data, SECTION_FIELDS)
    move = parent is not KEEP and getattr(parent, "pk", None) != section.parent_id
    if move:
        _check_move(section, roadmap, parent)
    changed = _apply(section, data, SECTION_FIELDS)
    if changed:
        section.full_clean()
        section.version = F("version") + 1
        section._history_user = acting_user
        section.save(update_fields=[*changed, "version"])
        section.refresh_from_db()
    if move:
        _item_move(section, acting_user, parent, MOVE_TO_END)
    recheck(acting_user, "change", section)
    return section


@transaction.atomic(durable=True)
def section_delete(*, section: Section, acting_user) -> None:
    """Delete a section; its measures and sub-sections move up to its parent, so no
    measure is lost by deleting a heading."""
    _require(section.roadmap, acting_user)
    _require_editable(section.roadmap)
    parent = section.parent
    moved: list[Section | Measure] = []
    for child in Section.objects.filter(parent=section):
        child.parent = parent
        child._history_user = acting_user
        child.save(update_fields=["parent"])
        moved.append(child)
    for measure in Measure.objects.filter(section=section):
        measure.section = parent
        measure._history_user = acting_user
        measure.save(update_fields=["section"])
        moved.append(measure)
    roadmap = section.roadmap
    section._history_user = acting_user
    section.delete()
    recheck(acting_user, "change", roadmap, *moved)
