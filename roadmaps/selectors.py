"""Reads for the roadmap pages: already scoped, prefetched, and with a number of queries
that does not depend on the size of the plan."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from schools.access import allowed_ids

from .constants import ScheduleKind
from .models import Measure, MeasureWindow, Roadmap, Section


@dataclass
class PlanFilters:
    section: int | None = None
    responsible: str = ""
    due_this_month: bool = False
    overdue: bool = False
    unscheduled: bool = False

    @property
    def active(self) -> bool:
        return bool(
            self.section
            or self.responsible
            or self.due_this_month
            or self.overdue
            or self.unscheduled
        )


@dataclass
class Row:
    """One row of the plan table: a section (merged row) or a measure."""

    kind: str  # "section" | "measure"
    obj: Section | Measure
    depth: int
    children: list = field(default_factory=list)


def roadmap_list(user, *, search: str = ""):
    qs = (
        Roadmap.objects.for_user(user, "view")
        .select_related("owner", "owner__municipality")
        .annotate(measure_count=Count("measures", distinct=True))
        .order_by("-period_start", "title")
    )
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(owner__short_name__icontains=search))
    return qs


def editable_roadmap_ids(user, roadmaps) -> set[int]:
    return allowed_ids(Roadmap, user, "change", [r.pk for r in roadmaps])


def _today() -> datetime.date:
    return timezone.localdate()


def plan_rows(
    roadmap: Roadmap, filters: PlanFilters | None = None, sections: list[Section] | None = None
) -> list[Row]:
    """The plan as the document's table, depth-first, in the written order.

    Queries: sections (unless given), measures, their windows, responsible organisations (4)."""
    filters = filters or PlanFilters()
    if sections is None:
        sections = list(Section.objects.filter(roadmap=roadmap).order_by("order", "pk"))
    measures_qs = (
        Measure.objects.filter(roadmap=roadmap)
        .select_related("indicator")
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("windows", queryset=MeasureWindow.objects.order_by("due_on")),
            "responsible_organisations",
        )
    )
    measures_qs = _filter_measures(measures_qs, sections, filters)
    measures = list(measures_qs)

    children: dict[int | None, list] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    for measure in measures:
        children.setdefault(measure.section_id, []).append(measure)

    rows: list[Row] = []

    def walk(parent_id: int | None, depth: int) -> bool:
        """Append the subtree; return whether it had a measure (filters hide empty sections)."""
        items = sorted(
            children.get(parent_id, []),
            key=lambda obj: (obj.order, isinstance(obj, Measure), obj.pk),
        )
        found = False
        for item in items:
            if isinstance(item, Section):
                position = len(rows)
                rows.append(Row("section", item, depth))
                inner = walk(item.pk, depth + 1)
                if filters.active and not inner:
                    del rows[position:]
                found = found or inner
            else:
                rows.append(Row("measure", item, depth))
                found = True
        return found

    walk(None, 0)
    return rows


def _filter_measures(qs, sections: list[Section], filters: PlanFilters):
    if filters.section:
        wanted = {filters.section}
        grew = True
        while grew:
            more = {s.pk for s in sections if s.parent_id in wanted} - wanted
            grew = bool(more)
            wanted |= more
        qs = qs.filter(section_id__in=wanted)
    if filters.responsible:
        qs = qs.filter(
            Q(responsible_text__icontains=filters.responsible)
            | Q(responsible_organisations__short_name__icontains=filters.responsible)
        ).distinct()
    today = _today()
    if filters.due_this_month:
        first = today.replace(day=1)
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        qs = qs.filter(
            Exists(
                MeasureWindow.objects.filter(measure=OuterRef("pk"), due_on__range=(first, last))
            )
        )
    if filters.overdue:
        # Until execution marks exist, a measure is overdue when a due date has passed and
        # the completion column is empty.
        qs = qs.filter(
            Exists(MeasureWindow.objects.filter(measure=OuterRef("pk"), due_on__lt=today)),
            status_text="",
        )
    if filters.unscheduled:
        qs = qs.filter(schedule_kind=ScheduleKind.UNSCHEDULED)
    return qs


def review_list(roadmap: Roadmap):
    """Measures whose deadline could not be placed in time: the coordinator reviews them."""
    return (
        Measure.objects.filter(
            roadmap=roadmap, schedule_kind=ScheduleKind.UNSCHEDULED, schedule_overridden=False
        )
        .select_related("section")
        .order_by("order", "pk")
    )


@dataclass
class CopyStatus:
    """How a school's copy of a template stands against the template."""

    copy: Roadmap
    filled: bool
    approved: bool
    added: list[str]
    removed: list[str]
    changed: list[str]


def template_copies(template: Roadmap, user) -> list[CopyStatus]:
    """Per school: is its copy filled in (any completion mark or edit), approved, and what
    it changed against the template (measures added, removed, changed by number).

    Queries: copies, template measures, copies' measures (3)."""
    from .constants import RoadmapStatus

    copies = list(
        Roadmap.objects.for_user(user, "view")
        .filter(template=template)
        .select_related("owner")
        .order_by("owner__short_name")
    )
    template_measures = {
        m.number.strip() or m.title.strip(): m for m in Measure.objects.filter(roadmap=template)
    }
    by_copy: dict[int, list[Measure]] = {c.pk: [] for c in copies}
    for measure in Measure.objects.filter(roadmap__in=copies).order_by("order"):
        by_copy[measure.roadmap_id].append(measure)
    result = []
    for copy in copies:
        measures = {m.number.strip() or m.title.strip(): m for m in by_copy[copy.pk]}
        added = [key for key in measures if key not in template_measures]
        removed = [key for key in template_measures if key not in measures]
        changed = [
            key
            for key, m in measures.items()
            if key in template_measures
            and (m.title, m.deadline_text, m.result, m.responsible_text)
            != (
                template_measures[key].title,
                template_measures[key].deadline_text,
                template_measures[key].result,
                template_measures[key].responsible_text,
            )
        ]
        filled = bool(added or removed or changed or any(m.status_text for m in measures.values()))
        result.append(
            CopyStatus(
                copy=copy,
                filled=filled,
                approved=copy.status
                in {RoadmapStatus.APPROVED, RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED},
                added=added,
                removed=removed,
                changed=changed,
            )
        )
    return result


def plan_sections(roadmap: Roadmap) -> list[Section]:
    """Sections in document order with their depth (for filters and "move to" choices)."""
    sections = list(Section.objects.filter(roadmap=roadmap).order_by("order", "pk"))
    return order_sections(sections)


def order_sections(sections: list[Section]) -> list[Section]:
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    ordered: list[Section] = []

    def walk(parent_id, depth):
        for section in children.get(parent_id, []):
            section.depth = depth
            ordered.append(section)
            walk(section.pk, depth + 1)

    walk(None, 0)
    return ordered


def plan_history(roadmap: Roadmap, limit: int = 200) -> list:
    """Every change of the plan, its sections and measures, newest first."""
    labelled = []
    for model, records in (
        (Roadmap, Roadmap.history.filter(id=roadmap.pk)),
        (Section, Section.history.filter(roadmap_id=roadmap.pk)),
        (Measure, Measure.history.filter(roadmap_id=roadmap.pk)),
    ):
        for record in records.select_related("history_user").order_by("-history_date")[:limit]:
            record.kind_label = str(model._meta.verbose_name).capitalize()
            record.is_measure = model is Measure
            labelled.append(record)
    return sorted(labelled, key=lambda record: record.history_date, reverse=True)[:limit]


def measure_history(measure: Measure) -> list:
    records = list(
        Measure.history.filter(id=measure.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older)
        newer.changed_fields = [(change.field, change.old, change.new) for change in delta.changes]
    return records


def sibling_ids(roadmap: Roadmap, parent: Section | None) -> list[tuple[str, int]]:
    """("section"|"measure", id) of the children of ``parent`` in their order."""
    sections = Section.objects.filter(roadmap=roadmap, parent=parent).values_list("pk", "order")
    measures = Measure.objects.filter(roadmap=roadmap, section=parent).values_list("pk", "order")
    items = [("section", pk, order) for pk, order in sections] + [
        ("measure", pk, order) for pk, order in measures
    ]
    items.sort(key=lambda item: (item[2], item[0] == "measure", item[1]))
    return [(kind, pk) for kind, pk, _ in items]


def plan_row(roadmap: Roadmap, kind: str, pk: int) -> Row | None:
    """One row of the plan table (after an inline edit), without loading the whole plan.

    Queries: the row, its windows and organisations (for a measure), section parents (1)."""
    parents = dict(Section.objects.filter(roadmap=roadmap).values_list("pk", "parent_id"))
    if kind == "section":
        obj = Section.objects.filter(roadmap=roadmap, pk=pk).first()
        parent_id = obj.parent_id if obj else None
    else:
        obj = (
            Measure.objects.filter(roadmap=roadmap, pk=pk)
            .select_related("indicator")
            .prefetch_related(
                Prefetch("windows", queryset=MeasureWindow.objects.order_by("due_on")),
                "responsible_organisations",
            )
            .first()
        )
        parent_id = obj.section_id if obj else None
    if obj is None:
        return None
    depth = 0
    while parent_id is not None and depth < 50:
        depth += 1
        parent_id = parents.get(parent_id)
    return Row(kind, obj, depth)
