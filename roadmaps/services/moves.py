"""Moves of sections and measures among their siblings and into another parent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from schools.access import recheck

from ..models import Measure, Roadmap, Section
from .base import KEEP, MOVE_TO_END, _Keep, _require, _require_editable


@transaction.atomic(durable=True)
def item_move(
    *,
    item: Section | Measure,
    acting_user,
    parent: Section | None | _Keep = KEEP,
    position: int | None = None,
    direction: str | None = None,
) -> None:
    """Move a section or a measure: into another ``parent`` (None: the top level; it goes
    to the end there), one place ``direction="up"``/``"down"`` among its siblings, or to
    ``position`` (0-based) among them. Siblings are renumbered in order (the written
    numbers stay as they are), and the bulk write is kept in history."""
    roadmap = item.roadmap
    _require(roadmap, acting_user)
    _require_editable(roadmap)
    current = item.parent if isinstance(item, Section) else item.section
    if parent is KEEP or getattr(parent, "pk", None) == getattr(current, "pk", None):
        parent = current
        if direction in {"up", "down"}:
            index = _sibling_index(item, roadmap, current)
            position = max(index - 1, 0) if direction == "up" else index + 1
    else:
        position = MOVE_TO_END
    _check_move(item, roadmap, parent)
    _item_move(item, acting_user, parent, position or 0)


def _sibling_index(item: Section | Measure, roadmap: Roadmap, parent: Section | None) -> int:
    """The item's place among the children of ``parent``, in the order the table shows
    them (sections before measures of the same order)."""
    sections = Section.objects.filter(roadmap=roadmap, parent=parent).values_list("pk", "order")
    measures = Measure.objects.filter(roadmap=roadmap, section=parent).values_list("pk", "order")
    siblings = sorted(
        [*(("section", pk, order) for pk, order in sections)]
        + [*(("measure", pk, order) for pk, order in measures)],
        key=lambda sibling: (sibling[2], sibling[0] == "measure", sibling[1]),
    )
    kind = "section" if isinstance(item, Section) else "measure"
    keys = [(k, pk) for k, pk, _ in siblings]
    return keys.index((kind, item.pk)) if (kind, item.pk) in keys else len(keys)


def _check_move(item: Section | Measure, roadmap: Roadmap, parent: Section | None) -> None:
    """A move that cannot be made, refused before anything is written."""
    if parent is not None and parent.roadmap_id != roadmap.pk:
        raise ValidationError("Нельзя перенести в раздел другого плана.")
    if isinstance(item, Section) and parent is not None:
        node = parent
        while node is not None:
            if node.pk == item.pk:
                raise ValidationError(
                    "Нельзя вложить раздел в самого себя или в собственный подраздел."
                )
            node = node.parent


def _item_move(item: Section | Measure, acting_user, parent: Section | None, position: int):
    """Put ``item`` at ``position`` among the children of ``parent`` (already checked)."""
    roadmap = item.roadmap
    sections = Section.objects.select_for_update().filter(roadmap=roadmap, parent=parent)
    measures = Measure.objects.select_for_update().filter(roadmap=roadmap, section=parent)
    if isinstance(item, Section):
        sections = sections.exclude(pk=item.pk)
    else:
        measures = measures.exclude(pk=item.pk)
    siblings = sorted([*sections, *measures], key=lambda obj: obj.order)
    position = max(0, min(position, len(siblings)))
    if isinstance(item, Section):
        item.parent = parent
    else:
        item.section = parent
    siblings.insert(position, item)
    changed_sections, changed_measures = [], []
    for index, obj in enumerate(siblings, 1):
        if obj is item or obj.order != index:
            obj.order = index
            (changed_sections if isinstance(obj, Section) else changed_measures).append(obj)
    if changed_sections:
        bulk_update_with_history(
            changed_sections,
            Section,
            ["order", "parent"],
            default_user=acting_user,
            default_change_reason="Перемещение",
        )
    if changed_measures:
        bulk_update_with_history(
            changed_measures,
            Measure,
            ["order", "section"],
            default_user=acting_user,
            default_change_reason="Перемещение",
        )
    recheck(acting_user, "change", roadmap, *changed_sections, *changed_measures)
