"""Reads for the roadmap pages: already scoped, prefetched, and with a number of queries
that does not depend on the size of the plan."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from core import history
from core.timezones import today_in
from schools.access import allowed_ids, get_object_for_user, scope_for

from . import workflow
from .constants import LABELS, ConcurrenceStatus, RoadmapStatus, ScheduleKind
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
    # A measure's due dates as the table shows them (dd.mm.yyyy, at most SHOWN_DATES),
    # whether each shown date's window is flagged «срок изменён» (kept for what is
    # recorded against it, no longer in the schedule), how many windows its schedule has
    # (flagged ones are not part of it) and how many dates are not shown.
    dates: list[str] = field(default_factory=list)
    changed: list[bool] = field(default_factory=list)
    window_count: int = 0
    more: int = 0
    # Filled by the view for the table: the id and depth as text (a number in a template
    # goes through localisation, dearly for thousands of rows) and a measure's cells.
    key: str = ""
    level: str = ""
    cells: object = ""


# The schedule cell lists this many due dates, then "… ещё N".
SHOWN_DATES = 6


def _due_dates(measures: list[Measure], windows) -> dict[int, list[tuple[datetime.date, bool]]]:
    """Due dates and their «срок изменён» flags per measure id, in order, from
    ``(measure_id, due_on, schedule_changed)`` rows."""
    wanted = {measure.pk: [] for measure in measures}
    for measure_id, due_on, changed in windows:
        dates = wanted.get(measure_id)
        if dates is not None:
            dates.append((due_on, changed))
    return wanted


def _measure_row(measure: Measure, depth: int, dates: list[tuple[datetime.date, bool]]) -> Row:
    shown = dates[:SHOWN_DATES]
    return Row(
        "measure",
        measure,
        depth,
        dates=[f"{due:%d.%m.%Y}" for due, _ in shown],
        changed=[changed for _, changed in shown],
        window_count=sum(1 for _, changed in dates if not changed),
        more=max(0, len(dates) - SHOWN_DATES),
    )


def part_for_change(model, user, pk, *, select_related: tuple[str, ...] = ()):
    """A part of a plan (a measure, a section) that the person may change, or None.

    One plain query loads it with its plan and the plan's owner; the person's change scope
    (loaded once per request) decides, by the rule ``ScopedQuerySet.scope_q`` applies in
    SQL (``Scope.contains``, as ``actions.plan_actions`` does): the nested scope SQL of
    ``for_user`` is neither compiled nor planned. Only a part outside that scope is asked
    about once more through ``for_user``, for the person's grants on its plan."""
    try:
        obj = model.objects.select_related("roadmap__owner", *select_related).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        return None
    owner = obj.roadmap.owner
    reach = scope_for(user, "roadmaps.change_roadmap")
    if reach.contains(
        region_id=owner.region_id,
        municipality_id=owner.municipality_id,
        organisation_id=owner.pk,
    ):
        return obj
    if model.objects.for_user(user, "change").filter(pk=obj.pk).exists():
        return obj
    return None


def plan_for_view(user, pk) -> Roadmap:
    """The plan a page shows, with its owner: one plain query loads it; the person's view
    reach decides when it covers the owner (``Scope.contains``: the rule ``scope_q``
    applies in SQL, one of the alternatives ``Roadmap.objects.for_user`` ORs together),
    so the common case neither compiles nor plans the nested subqueries of grants, plans
    asked to agree and plans owed. Any other plan goes through ``for_user`` (404 when it
    is not visible at all)."""
    try:
        roadmap = Roadmap.objects.select_related("owner").get(pk=pk)
    except (Roadmap.DoesNotExist, ValueError, TypeError):
        roadmap = None
    if roadmap is not None and user is not None and user.is_authenticated and user.is_active:
        owner = roadmap.owner
        if scope_for(user, "roadmaps.view_roadmap").contains(
            region_id=owner.region_id,
            municipality_id=owner.municipality_id,
            organisation_id=owner.pk,
        ):
            return roadmap
    return get_object_for_user(Roadmap, user, pk, select_related=("owner",))


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


def plan_today(roadmap: Roadmap, now: datetime.datetime | None = None) -> datetime.date:
    """Today in the time zone of the plan's region (plan → owner → region): a window due
    25.11 is overdue in Novosibirsk from 17:00 UTC, in Moscow from 21:00 UTC."""
    return today_in(roadmap.owner.region, now)


def plan_rows(
    roadmap: Roadmap, filters: PlanFilters | None = None, sections: list[Section] | None = None
) -> list[Row]:
    """The plan as the document's table, depth-first, in the written order.

    Queries: sections (unless given), measures, the plan's due dates (3)."""
    filters = filters or PlanFilters()
    if sections is None:
        sections = list(Section.objects.filter(roadmap=roadmap).order_by("order", "pk"))
    measures_qs = (
        Measure.objects.filter(roadmap=roadmap).select_related("indicator").order_by("order", "pk")
    )
    measures_qs = _filter_measures(measures_qs, sections, filters, roadmap)
    measures = list(measures_qs)
    # Only the dates the table shows, as tuples: no window objects for thousands of rows.
    due = _due_dates(
        measures,
        MeasureWindow.objects.filter(measure__roadmap=roadmap)
        .order_by("measure_id", "due_on")
        .values_list("measure_id", "due_on", "schedule_changed")
        if measures
        else (),
    )

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
                rows.append(_measure_row(item, depth, due[item.pk]))
                found = True
        return found

    walk(None, 0)
    return rows


def measure_order(roadmap: Roadmap) -> list[int]:
    """The plan's measure ids in the order of the document (depth-first through the
    sections, as ``plan_rows`` lays them out), from ids alone: 2 queries."""
    children: dict[int | None, list[tuple[int, bool, int]]] = {}
    for pk, parent_id, order in Section.objects.filter(roadmap=roadmap).values_list(
        "pk", "parent_id", "order"
    ):
        children.setdefault(parent_id, []).append((order, False, pk))
    for pk, section_id, order in Measure.objects.filter(roadmap=roadmap).values_list(
        "pk", "section_id", "order"
    ):
        children.setdefault(section_id, []).append((order, True, pk))
    found: list[int] = []
    stack: list[tuple[int, bool, int]] = sorted(children.get(None, []), reverse=True)
    while stack:
        _, is_measure, pk = stack.pop()
        if is_measure:
            found.append(pk)
        else:
            stack.extend(sorted(children.get(pk, []), reverse=True))
    return found


def _filter_measures(qs, sections: list[Section], filters: PlanFilters, roadmap: Roadmap):
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
    # The plan's own calendar day, read only when a date filter needs it.
    today = plan_today(roadmap) if filters.due_this_month or filters.overdue else None
    # A window flagged «срок изменён» is no longer in the schedule: it is neither due nor
    # overdue, only kept for what is recorded against it.
    scheduled = MeasureWindow.objects.filter(measure=OuterRef("pk"), schedule_changed=False)
    if filters.due_this_month:
        first = today.replace(day=1)
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        qs = qs.filter(Exists(scheduled.filter(due_on__range=(first, last))))
    if filters.overdue:
        # A plan in execution: what its records say (``roadmaps.extensions``). Before
        # that, a measure is overdue when a due date has passed and the completion column
        # of the document is empty.
        from .extensions import overdue_measures

        overdue = overdue_measures(roadmap, today)
        if overdue is not None:
            qs = qs.filter(pk__in=overdue)
        else:
            qs = qs.filter(Exists(scheduled.filter(due_on__lt=today)), status_text="")
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
    """How a school's copy of a template stands against the template. ``changed`` lists
    the copy's measures that differ from the template measure they descend from, each
    with the fields that differ («1.1. (текст, сроки)»; «2.1. (номер, было 1.1.)»)."""

    copy: Roadmap
    filled: bool
    approved: bool
    added: list[str]
    removed: list[str]
    changed: list[str]


# The fields compared between a copy's measure and its template measure, as the page names them.
COMPARED_FIELDS = (
    ("number", "номер"),
    ("title", "текст"),
    ("deadline_text", "сроки"),
    ("result", "результат"),
    ("responsible_text", "ответственные"),
)
# Lineage is followed at most this far (a copy of a copy of … a template).
LINEAGE_DEPTH = 50


def _template_origin(template_id: int) -> RawSQL:
    """The id of the template measure a measure descends from, following ``origin`` from
    copy to copy (a school's copy, its next period, a revision), or NULL. One correlated
    recursive subquery, so the number of queries does not grow with the lineage."""
    table = connection.ops.quote_name(Measure._meta.db_table)
    # The table name comes from the model, the values are parameters; the ORM has no
    # recursive query.
    sql = f"""(
        WITH RECURSIVE chain (id, origin_id, roadmap_id, depth) AS (
            SELECT m.id, m.origin_id, m.roadmap_id, 1 FROM {table} m
            WHERE m.id = {table}.origin_id
            UNION ALL
            SELECT p.id, p.origin_id, p.roadmap_id, chain.depth + 1
            FROM chain JOIN {table} p ON p.id = chain.origin_id
            WHERE chain.roadmap_id <> %s AND chain.depth < %s
        )
        SELECT chain.id FROM chain WHERE chain.roadmap_id = %s LIMIT 1
        )"""  # noqa: S608
    return RawSQL(sql, (template_id, LINEAGE_DEPTH, template_id))  # noqa: S611


def _label(measure: Measure) -> str:
    return measure.number.strip() or measure.title.strip()[:80]


def _differences(measure: Measure, original: Measure) -> list[str]:
    differences = []
    for name, label in COMPARED_FIELDS:
        if getattr(measure, name) != getattr(original, name):
            differences.append(f"{label}, было {_label(original)}" if name == "number" else label)
    return differences


def template_copies(template: Roadmap, user) -> list[CopyStatus]:
    """Per school: is its copy filled in (any completion mark or edit), approved, and what
    it changed against the template, by lineage: a measure of the copy is compared with
    the template measure it descends from (``origin``, followed through copies of
    copies), so renumbering is a change of number, not "removed and added". Measures
    without such an ancestor were added; template measures without a descendant in the
    copy were removed.

    Queries: copies, template measures, copies' measures with their template ancestor (3)."""
    from .constants import RoadmapStatus

    copies = list(
        Roadmap.objects.for_user(user, "view")
        .filter(template=template)
        .select_related("owner")
        .order_by("owner__short_name")
    )
    template_measures = {
        m.pk: m for m in Measure.objects.filter(roadmap=template).order_by("order", "pk")
    }
    by_copy: dict[int, list[Measure]] = {c.pk: [] for c in copies}
    if copies:
        for measure in (
            Measure.objects.filter(roadmap__in=copies)
            .annotate(template_origin=_template_origin(template.pk))
            .order_by("order", "pk")
        ):
            by_copy[measure.roadmap_id].append(measure)
    result = []
    for copy in copies:
        added, changed = [], []
        matched: set[int] = set()
        for measure in by_copy[copy.pk]:
            origin = template_measures.get(measure.template_origin)
            if origin is None or origin.pk in matched:
                added.append(_label(measure))
                continue
            matched.add(origin.pk)
            differences = _differences(measure, origin)
            if differences:
                changed.append(f"{_label(measure)} ({'; '.join(differences)})")
        removed = [_label(m) for pk, m in template_measures.items() if pk not in matched]
        filled = bool(added or removed or changed or any(m.status_text for m in by_copy[copy.pk]))
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
    """Every change of the plan, its sections and measures, newest first; each record
    carries ``changes`` (see ``attach_changes``).

    Queries: per model, its records with their authors and the previous version of each
    changed object; the related names of all changes in one query per related model."""
    labelled = []
    for model, records in (
        (Roadmap, Roadmap.history.filter(id=roadmap.pk)),
        (Section, Section.history.filter(roadmap_id=roadmap.pk)),
        (Measure, Measure.history.filter(roadmap_id=roadmap.pk)),
    ):
        page = list(
            history.with_m2m(model, records.select_related("history_user")).order_by(
                "-history_date"
            )[:limit]
        )
        for record in page:
            record.kind_label = str(model._meta.verbose_name).capitalize()
            record.is_measure = model is Measure
        attach_changes(model, page, history.previous_records(model, page))
        labelled.extend(page)
    return sorted(labelled, key=lambda record: record.history_date, reverse=True)[:limit]


def measure_history(measure: Measure) -> list:
    """The measure's versions, newest first, each with its ``changes``."""
    records = list(
        history.with_m2m(Measure, Measure.history.filter(id=measure.pk))
        .select_related("history_user")
        .order_by("-history_date")
    )
    attach_changes(Measure, records)
    return records


def _window_text(window) -> str:
    try:
        start, end = (datetime.date.fromisoformat(part) for part in window)
    except (TypeError, ValueError):
        return str(window)
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


# Roadmap fields whose stored values need the plan's words to be read.
HISTORY_READERS = {
    "manual_windows": lambda value: "; ".join(_window_text(window) for window in value),
    "columns": lambda value: ", ".join(str(LABELS.get(key, key)) for key in value),
}


def attach_changes(model, records: list, previous: dict | None = None) -> None:
    history.attach_changes(model, records, previous, readers=HISTORY_READERS)


def plan_row(
    roadmap: Roadmap, kind: str, pk: int, obj: Section | Measure | None = None
) -> Row | None:
    """One row of the plan table (after an inline edit), without loading the whole plan;
    ``obj`` is the row when the caller already holds it (of this plan).

    Queries: the row (unless given), section parents (unless the row's section is in hand
    and at the top), its due dates (for a measure) (1-3)."""
    if obj is not None and (obj.pk != pk or obj.roadmap_id != roadmap.pk):
        obj = None
    if obj is None and kind == "section":
        obj = Section.objects.filter(roadmap=roadmap, pk=pk).first()
    elif obj is None:
        obj = Measure.objects.filter(roadmap=roadmap, pk=pk).select_related("indicator").first()
    if obj is None:
        return None
    parent_id = obj.parent_id if kind == "section" else obj.section_id
    depth = 0
    section = Measure.section.field.get_cached_value(obj, None) if kind == "measure" else None
    if section is not None and section.pk == parent_id and section.parent_id is None:
        # A measure of a top-level section: its depth needs no look at the other sections.
        depth = 1
        parent_id = None
    elif parent_id is not None:
        # Unordered: the default ordering of sections joins the plan for nothing here.
        parents = dict(
            Section.objects.filter(roadmap=roadmap).order_by().values_list("pk", "parent_id")
        )
        while parent_id is not None and depth < 50:
            depth += 1
            parent_id = parents.get(parent_id)
    if kind == "measure":
        dates = list(
            MeasureWindow.objects.filter(measure=obj)
            .order_by("due_on")
            .values_list("due_on", "schedule_changed")
        )
        return _measure_row(obj, depth, dates)
    return Row(kind, obj, depth)


# --- The plan's life: agreement, approval, revisions, publication -------------------------


@dataclass
class WorkflowPanel:
    """What the plan page shows of the plan's life and which steps the person may take."""

    steps: dict
    concurrences: list  # every «СОГЛАСОВАНО» row: asked parties and the document's own
    asked: list
    answering: list  # asked parties this person may answer for, still waiting
    events: list
    revisions: list  # the family, oldest first
    next_revision: Roadmap | None
    current: Roadmap | None  # the revision in force (approved, in execution, closed)
    public_link: object | None

    @property
    def all_agreed(self) -> bool:
        return not workflow.pending(self.asked)

    @property
    def document_rows(self) -> list:
        return [row for row in self.concurrences if not row.requested]


def workflow_panel(user, roadmap: Roadmap, grants: set[str]) -> WorkflowPanel:
    """The plan's parties, timeline, revisions and live public link, and the steps this
    person may take (``roadmaps.workflow.available``). Queries: the parties, the
    timeline, the family of revisions, the public link (4)."""
    from .models import PlanConcurrence, PlanEvent, PublicLink

    concurrences = list(
        PlanConcurrence.objects.filter(roadmap=roadmap)
        .select_related("organisation", "answered_by")
        .order_by("order", "pk")
    )
    asked = [row for row in concurrences if row.requested]
    events = list(
        PlanEvent.objects.filter(roadmap=roadmap)
        .select_related("actor", "organisation")
        .order_by("at", "pk")
    )
    root = roadmap.first_revision_id or roadmap.pk
    revisions = list(
        Roadmap.objects.filter(Q(pk=root) | Q(first_revision_id=root))
        .only("pk", "revision", "status", "previous_revision_id", "approved_at", "approval_date")
        .order_by("revision")
    )
    next_revision = next((r for r in revisions if r.previous_revision_id == roadmap.pk), None)
    in_force = [
        r for r in revisions if r.status in workflow.APPROVED_STATES - {RoadmapStatus.REPLACED}
    ]
    current = in_force[-1] if in_force else None
    public_link = (
        PublicLink.objects.filter(roadmap=roadmap, withdrawn_at__isnull=True).first()
        if roadmap.status in workflow.APPROVED_STATES
        else None
    )
    steps = workflow.available(
        user, roadmap, concurrences=concurrences, next_revision=next_revision, grants=grants
    )
    answering = [
        row
        for row in workflow.answering_organisations(user, roadmap, concurrences, grants)
        if row.status == ConcurrenceStatus.PENDING
    ]
    return WorkflowPanel(
        steps=steps,
        concurrences=concurrences,
        asked=asked,
        answering=answering if roadmap.status == RoadmapStatus.CONCURRENCE else [],
        events=events,
        revisions=revisions,
        next_revision=next_revision,
        current=current,
        public_link=public_link,
    )


def revision_family(user, roadmap: Roadmap) -> list[Roadmap]:
    """The revisions of the plan the person sees, oldest first (one query)."""
    root = roadmap.first_revision_id or roadmap.pk
    return list(
        Roadmap.objects.for_user(user, "view")
        .filter(Q(pk=root) | Q(first_revision_id=root))
        .order_by("revision")
    )


# What ``secrets.token_urlsafe`` writes: anything else is no link (and never reaches the
# database: a NUL byte would make PostgreSQL refuse the query).
PUBLIC_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def published_link(token: str):
    """The live public link of this token to an approved revision, or None. The one read
    that is not scoped by a person: a published plan is public by its authors' decision."""
    from .models import PublicLink

    if not isinstance(token, str) or not PUBLIC_TOKEN.fullmatch(token):
        return None
    link = (
        PublicLink.objects.filter(token=token, withdrawn_at__isnull=True)
        .select_related("roadmap__owner")
        .first()
    )
    if link is None or link.roadmap.status not in workflow.APPROVED_STATES:
        return None
    return link


def printed_concurrences(roadmap: Roadmap) -> list:
    """The «СОГЛАСОВАНО» blocks the document prints: the parties that agreed here when the
    plan went through agreement in this product, else those its document had."""
    from .models import PlanConcurrence

    rows = list(PlanConcurrence.objects.filter(roadmap=roadmap).order_by("order", "pk"))
    asked = [row for row in rows if row.requested]
    if asked:
        return [row for row in asked if row.status == ConcurrenceStatus.AGREED]
    return rows
