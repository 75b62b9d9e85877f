"""What every roadmap service shares: the checks before a write, optimistic locking,
the fields a form may change, and the small steps of a write (order, schedule,
responsible organisations)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max

from schools.access import FORBIDDEN_MESSAGE

from .. import schedules
from ..constants import RoadmapStatus
from ..models import Measure, Roadmap, Section
from ..windows import sync_windows

SECTION_FIELDS = ["number", "title", "is_group"]
MEASURE_FIELDS = [
    "number",
    "title",
    "deadline_text",
    "audience",
    "responsible_text",
    "result",
    "indicator_text",
    "indicator",
    "status_text",
]
EDITABLE_STATUSES = {RoadmapStatus.DRAFT}


@dataclass
class EditConflict(Exception):
    """Somebody saved the row after the editor opened it."""

    current: dict
    submitted: dict
    message: str = "Пока вы редактировали, эту запись изменил другой пользователь. Сравните версии и сохраните ещё раз."

    def __str__(self) -> str:
        return self.message


class _Keep:
    """The "leave it where it is" value of a parent that may also be None (the top level)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()
# A position past the last sibling: the service clamps it to "at the end".
MOVE_TO_END = 10**6


def _require(roadmap: Roadmap, user, action: str = "change") -> None:
    """The check before a write: a clean 403 before anything is touched. The check that
    counts is ``recheck`` after the write."""
    if not Roadmap.objects.for_user(user, action).filter(pk=roadmap.pk).exists():
        raise PermissionDenied(FORBIDDEN_MESSAGE)


def _require_editable(roadmap: Roadmap) -> None:
    if roadmap.status not in EDITABLE_STATUSES:
        raise ValidationError(
            f"План в статусе «{roadmap.get_status_display()}» не редактируется; для изменений создайте новую редакцию."
        )


def _lock(model, pk: int, expected_version: int | None, submitted: dict, fields: list[str]):
    obj = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and obj.version != expected_version:
        raise EditConflict(
            current={name: getattr(obj, name) for name in fields}, submitted=submitted
        )
    return obj


def mark_change_checked(obj, user):
    """Record that ``obj`` was loaded through ``for_user(user, "change")``: the proof a
    service accepts instead of checking the plan again before its write. Tied to this
    very person object (one request); ``recheck`` after the write still decides."""
    obj._change_checked_for = user
    return obj


def _change_checked(obj, user) -> bool:
    return user is not None and getattr(obj, "_change_checked_for", None) is user


def _reuse_loaded(obj, loaded, *names: str) -> None:
    """Take over related rows the caller already loaded (same ids) instead of reading them
    again: a section never changes plan, so the one in hand is as good as a fresh one."""
    for name in names:
        field = obj._meta.get_field(name)
        same = getattr(loaded, field.attname) == getattr(obj, field.attname)
        if same and field.is_cached(loaded):
            field.set_cached_value(obj, field.get_cached_value(loaded))


def _apply(obj, data: dict, fields: list[str]) -> list[str]:
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


def _visible_organisations(user, organisations, *, schools_only: bool = False) -> list:
    """The chosen organisations, all of which must be within the user's reach."""
    from schools.models import Organisation

    organisations = list(organisations)
    visible = Organisation.objects.for_user(user, "view")
    if schools_only:
        visible = visible.schools()
    ids = {o.pk for o in organisations}
    if set(visible.filter(pk__in=ids).values_list("pk", flat=True)) != ids:
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    return organisations


def _next_order(roadmap: Roadmap, parent: Section | None) -> int:
    """Sections and measures share one sequence among the children of a parent, so the
    document's interleaving is kept."""
    sections = Section.objects.filter(roadmap=roadmap, parent=parent).aggregate(m=Max("order"))["m"]
    measures = Measure.objects.filter(roadmap=roadmap, section=parent).aggregate(m=Max("order"))[
        "m"
    ]
    return max(sections or 0, measures or 0) + 1


def _derive_schedule(measure: Measure, roadmap: Roadmap) -> schedules.Derived | None:
    """Set the kind from the deadline text; the caller stores the windows after saving."""
    if measure.schedule_overridden:
        return None
    derived = schedules.derive(measure.deadline_text, roadmap.period_start, roadmap.period_end)
    measure.schedule_kind = derived.kind
    return derived


def _require_same_plan(roadmap: Roadmap, section: Section | None) -> None:
    if section is not None and section.roadmap_id != roadmap.pk:
        raise ValidationError("Раздел относится к другому плану.")


def _require_indicator(measure: Measure, user) -> None:
    from monitoring.models import Indicator

    if (
        measure.indicator_id
        and not Indicator.objects.for_user(user, "view").filter(pk=measure.indicator_id).exists()
    ):
        raise PermissionDenied(FORBIDDEN_MESSAGE)


def _recognise_responsible(measure: Measure, roadmap: Roadmap) -> None:
    """Link the organisations named in «Ответственные» (by their short names as written),
    among the plan owner's municipality and the regional bodies. The text stays as is."""
    from schools.selectors import match_responsible, responsible_candidates

    candidates = responsible_candidates(roadmap.owner)
    measure.responsible_organisations.set(match_responsible(measure.responsible_text, candidates))


def _store_windows(measure: Measure, derived: schedules.Derived | None) -> None:
    """Bring the measure's windows in line with its schedule, keeping their identity."""
    if derived is None:
        return
    # The plan is loaded wherever a schedule was derived: no query to ask its status.
    in_execution = measure.roadmap.status == RoadmapStatus.EXECUTION
    sync_windows({measure.pk: derived.windows}, notify=in_execution)
