"""What changed between two revisions of a plan: measures added, removed, moved and
changed field by field, with the sections they sit in, in the document's own order, and a
one-line summary («добавлено 3, изменено 7, удалено 1»).

Measures are matched by lineage (``Measure.origin``: a correction copies every measure with
a link to the one it came from), not by number or title — renumbering is a change of the
number, not "everything removed and added". Between revisions further apart the links are
followed through the revisions in between.

``diff`` is pure (rows in, changes out); ``compare_revisions`` reads the rows (a constant
number of queries: the revisions' sections and measures, whatever their size).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import ngettext

# The fields compared, as the page names them.
FIELDS = (
    ("number", "Номер"),
    ("title", "Мероприятие"),
    ("deadline_text", "Сроки"),
    ("audience", "Целевая аудитория, исполнители"),
    ("responsible_text", "Ответственные"),
    ("result", "Предполагаемый результат"),
    ("indicator_text", "Целевой индикатор"),
)

ADDED, REMOVED, CHANGED, MOVED = "added", "removed", "changed", "moved"
KIND_LABELS = {ADDED: "добавлено", CHANGED: "изменено", MOVED: "перемещено", REMOVED: "удалено"}


@dataclass(frozen=True)
class Item:
    """A measure as compared: its id, lineage link, section path and fields."""

    pk: int
    origin_id: int | None
    section: str  # «3. Кадровое обеспечение → 3.1. Повышение квалификации»
    fields: Mapping[str, str]


@dataclass
class Change:
    kinds: list[str]  # one of ADDED/REMOVED, or CHANGED and/or MOVED
    old: Item | None
    new: Item | None
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)

    @property
    def item(self) -> Item:
        return self.new or self.old  # type: ignore[return-value]


@dataclass
class Comparison:
    changes: list[Change]
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        parts = [
            f"{KIND_LABELS[kind]} {self.counts[kind]}" for kind in KIND_LABELS if self.counts[kind]
        ]
        return ", ".join(parts) if parts else "изменений нет"

    @property
    def total(self) -> int:
        return len(self.changes)


def _ancestor_in(pk: int, origins: Mapping[int, int | None], targets: set[int]) -> int | None:
    """Follow the lineage of ``pk`` back until a measure of ``targets``."""
    seen = set()
    current: int | None = pk
    while current is not None and current not in seen:
        if current in targets:
            return current
        seen.add(current)
        current = origins.get(current)
    return None


def diff(old: list[Item], new: list[Item], origins: Mapping[int, int | None]) -> Comparison:
    """Changes from ``old`` to ``new`` (each in the document's order). ``origins`` maps a
    measure id to the id it was copied from, for every revision from ``old`` to ``new``."""
    old_ids = {item.pk for item in old}
    by_old = {item.pk: item for item in old}
    matched: dict[int, int] = {}  # old id → new id
    for item in new:
        ancestor = _ancestor_in(item.origin_id, origins, old_ids) if item.origin_id else None
        if ancestor is not None and ancestor not in matched:
            matched[ancestor] = item.pk
    new_of_old = matched
    old_of_new = {v: k for k, v in matched.items()}
    # Order within a section among measures present in both: a moved measure changed it.
    old_rank = _ranks([by_old[pk] for pk in (i.pk for i in old) if pk in new_of_old])
    new_rank = _ranks([item for item in new if item.pk in old_of_new])
    changes_by_new: dict[int, Change] = {}
    ordered: list[Change] = []
    for item in new:
        origin = old_of_new.get(item.pk)
        if origin is None:
            change = Change([ADDED], None, item)
            ordered.append(change)
            changes_by_new[item.pk] = change
            continue
        before = by_old[origin]
        fields = [
            (label, before.fields.get(name, ""), item.fields.get(name, ""))
            for name, label in FIELDS
            if before.fields.get(name, "") != item.fields.get(name, "")
        ]
        kinds = []
        if fields:
            kinds.append(CHANGED)
        if before.section != item.section or old_rank.get(before.pk) != new_rank.get(item.pk):
            kinds.append(MOVED)
            if before.section != item.section:
                fields.append(("Раздел", before.section, item.section))
        change = Change(kinds, before, item, fields)
        changes_by_new[item.pk] = change
        ordered.append(change)
    # Removed measures stand after the measure that preceded them in the old revision.
    result: list[Change] = []
    removed_after: dict[int | None, list[Change]] = {}
    previous_new: int | None = None
    for item in old:
        if item.pk in new_of_old:
            previous_new = new_of_old[item.pk]
        else:
            removed_after.setdefault(previous_new, []).append(Change([REMOVED], item, None))
    result.extend(removed_after.get(None, []))
    for change in ordered:
        result.append(change)
        result.extend(removed_after.get(change.new.pk if change.new else None, []))
    shown = [change for change in result if change.kinds]
    counts = dict.fromkeys(KIND_LABELS, 0)
    for change in shown:
        for kind in change.kinds:
            counts[kind] += 1
    return Comparison(shown, counts)


def _ranks(items: Iterable[Item]) -> dict[int, int]:
    """The position of each measure among those of its section (in the given order)."""
    ranks: dict[int, int] = {}
    per_section: dict[str, int] = {}
    for item in items:
        ranks[item.pk] = per_section.get(item.section, 0)
        per_section[item.section] = ranks[item.pk] + 1
    return ranks


def summary_line(comparison: Comparison) -> str:
    """«Изменения относительно редакции N: добавлено 1, изменено 2» without the prefix."""
    return comparison.summary


def changes_count_text(count: int) -> str:
    return ngettext("%(count)s изменение", "%(count)s изменений", count) % {"count": count}


# --- Reading revisions ---------------------------------------------------------------------


def items_of(roadmap) -> list[Item]:
    """The plan's measures as compared, in the document's order (2 queries)."""
    from .models import Measure, Section
    from .selectors import measure_order

    sections = {
        pk: (parent_id, f"{number} {title}".strip())
        for pk, parent_id, number, title in Section.objects.filter(roadmap=roadmap).values_list(
            "pk", "parent_id", "number", "title"
        )
    }

    def path(section_id):
        parts = []
        seen = set()
        while section_id is not None and section_id in sections and section_id not in seen:
            seen.add(section_id)
            parent_id, label = sections[section_id]
            parts.append(label)
            section_id = parent_id
        return " → ".join(reversed(parts)) or "вне разделов"

    names = ["pk", "origin_id", "section_id", *(name for name, _ in FIELDS)]
    rows = {row["pk"]: row for row in Measure.objects.filter(roadmap=roadmap).values(*names)}
    order = measure_order(roadmap)
    return [
        Item(
            pk=pk,
            origin_id=rows[pk]["origin_id"],
            section=path(rows[pk]["section_id"]),
            fields={name: rows[pk][name] or "" for name, _ in FIELDS},
        )
        for pk in order
        if pk in rows
    ]


def compare_revisions(older, newer) -> Comparison:
    """Compare two revisions of one plan (``older`` before ``newer`` in the family)."""
    from .models import Measure, Roadmap

    low, high = sorted((older.revision, newer.revision))
    root = older.first_revision_id or older.pk
    family = Roadmap.objects.filter(
        pk__in=[root, *Roadmap.objects.filter(first_revision_id=root).values_list("pk", flat=True)],
        revision__gte=low,
        revision__lte=high,
    ).values_list("pk", flat=True)
    origins = dict(
        Measure.objects.filter(roadmap_id__in=list(family)).values_list("pk", "origin_id")
    )
    return diff(items_of(older), items_of(newer), origins)
