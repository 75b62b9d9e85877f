"""Every write of the roadmaps app.

Each service owns its transaction, validates with ``full_clean()``, records history with
the acting user, and re-checks after the write, with ``schools.access.recheck``, that
everything it created or moved is within the acting user's reach for the verb (otherwise
the whole change rolls back; tests/test_architecture.py keeps the rule). Checks before
the write stay where they give a clean answer early (a visible plan without the verb, a
plan that is no longer a draft). Edits of one row carry the version the editor saw: a
stale version raises ``EditConflict`` with both versions, and nothing is written
(optimistic locking).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from simple_history.utils import bulk_update_with_history

from schools.access import FORBIDDEN_MESSAGE, recheck

from . import schedules
from .constants import ROADMAP_HEADER_FIELDS, RoadmapStatus
from .models import Measure, PlanConcurrence, Roadmap, Section
from .windows import sync_windows

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
DISTRIBUTE_FORBIDDEN_MESSAGE = (
    "Передать шаблон школам может только тот, кто вправе создавать планы этих школ "
    "(муниципальный координатор). Копии не созданы."
)


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
    sync_windows({measure.pk: derived.windows})


# --- plans -------------------------------------------------------------------------------


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
    sync_windows({measure.pk: derived[measure.pk].windows for measure in measures})


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
    sync_windows(windows)
    for concurrence in PlanConcurrence.objects.filter(roadmap=source):
        PlanConcurrence.objects.create(
            roadmap=target,
            organisation=concurrence.organisation,
            organisation_text=concurrence.organisation_text,
            position=concurrence.position,
            name=concurrence.name,
            order=concurrence.order,
        )


# --- sections ----------------------------------------------------------------------------


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


# --- measures ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def measure_create(
    *, roadmap: Roadmap, acting_user, section: Section | None = None, **fields
) -> Measure:
    _require(roadmap, acting_user)
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


# --- assignment --------------------------------------------------------------------------


@transaction.atomic(durable=True)
def measure_assign(*, measure: Measure, acting_user, mode: str, organisations=()) -> Measure:
    """Say to whom a measure applies. Chosen organisations must be within the acting
    user's reach; "all ШНОР" and "the plan's group" are resolved when read."""

    from .constants import AssignmentMode

    roadmap = measure.roadmap
    _require(roadmap, acting_user)
    _require_editable(roadmap)
    if mode not in AssignmentMode.values:
        raise ValidationError("Неизвестный способ назначения.")
    organisations = list(organisations)
    if mode == AssignmentMode.ORGANISATIONS:
        if not organisations:
            raise ValidationError("Выберите хотя бы одну организацию.")
        organisations = _visible_organisations(acting_user, organisations)
    else:
        organisations = []
    measure.assignment_mode = mode
    measure.version = F("version") + 1
    measure._history_user = acting_user
    measure.save(update_fields=["assignment_mode", "version"])
    measure.assigned_organisations.set(organisations)
    measure.refresh_from_db()
    recheck(acting_user, "change", measure)
    recheck(acting_user, "view", *organisations)
    return measure


def assigned_organisations(measure: Measure):
    """The organisations a measure applies to, as a queryset (execution builds on it)."""
    from schools.models import Organisation

    from .constants import AssignmentMode

    mode = measure.assignment_mode
    if mode == AssignmentMode.ORGANISATIONS:
        return measure.assigned_organisations.all()
    if mode == AssignmentMode.LOW_RESULTS:
        owner = measure.roadmap.owner
        if owner.municipality_id is None:
            return Organisation.objects.schools().filter(
                region_id=owner.region_id, is_low_results=True, is_active=True
            )
        return Organisation.objects.schools().filter(
            municipality_id=owner.municipality_id, is_low_results=True, is_active=True
        )
    if mode == AssignmentMode.PLAN_GROUP:
        return measure.roadmap.school_group.all()
    return Organisation.objects.none()


@transaction.atomic(durable=True)
def roadmap_set_school_group(*, roadmap: Roadmap, acting_user, schools) -> Roadmap:
    _require(roadmap, acting_user)
    schools = _visible_organisations(acting_user, schools, schools_only=True)
    roadmap.school_group.set(schools)
    recheck(acting_user, "change", roadmap)
    recheck(acting_user, "view", *schools)
    return roadmap


# --- templates handed to schools ---------------------------------------------------------


@transaction.atomic(durable=True)
def template_distribute(*, template: Roadmap, acting_user, schools) -> list[Roadmap]:
    """Hand a template plan to schools: each gets its own draft copy to fill in, agree
    and approve. Schools that already have a copy are skipped; returns the new copies.

    Each copy is a plan owned by its school, so handing it over is creating a plan for
    that school: every copy must be within the acting user's reach for adding plans (a
    methodologist adds plans only for their own centre). Otherwise nothing is written."""

    from .constants import RoadmapLevel

    _require(template, acting_user)
    if not template.is_template:
        raise ValidationError("Раздавать школам можно только план, отмеченный как шаблон.")
    schools = _visible_organisations(acting_user, schools, schools_only=True)
    have = set(
        Roadmap.objects.filter(template=template, owner__in=schools).values_list(
            "owner_id", flat=True
        )
    )
    copies = []
    for school in schools:
        if school.pk in have:
            continue
        copy = Roadmap(
            owner=school,
            level=RoadmapLevel.SCHOOL,
            template=template,
            title=template.title,
            subtitle=template.subtitle,
            period_start=template.period_start,
            period_end=template.period_end,
            period_text=template.period_text,
            columns=template.columns,
            created_by=acting_user,
            **{
                name: getattr(template, name)
                for name in ROADMAP_HEADER_FIELDS
                if name.startswith("passport_")
            },
        )
        copy.full_clean()
        copy._history_user = acting_user
        copy.save()
        _copy_contents(template, copy, acting_user)
        copies.append(copy)
    try:
        recheck(acting_user, "add", *copies)
    except PermissionDenied:
        raise PermissionDenied(DISTRIBUTE_FORBIDDEN_MESSAGE) from None
    return copies


@transaction.atomic(durable=True)
def roadmap_mark_template(*, roadmap: Roadmap, acting_user, is_template: bool) -> Roadmap:
    _require(roadmap, acting_user)
    roadmap.is_template = is_template
    roadmap._history_user = acting_user
    roadmap.save(update_fields=["is_template", "updated_at"])
    recheck(acting_user, "change", roadmap)
    return roadmap
