"""The parsed plan, before anything is written."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from .columns import OLD_KEYS


@dataclass
class Approval:
    """The «УТВЕРЖДАЮ/УТВЕРЖДЕНО» block, or the order the plan is an annex of."""

    word: str = ""
    position: str = ""
    organisation: str = ""
    name: str = ""
    date: datetime.date | None = None
    date_text: str = ""
    order: str = ""

    def to_json(self) -> dict:
        return {
            "position": self.position,
            "organisation": self.organisation,
            "name": self.name,
            "date": self.date.isoformat() if self.date else (self.date_text or None),
            "order": self.order,
        }


@dataclass
class ParsedConcurrence:
    """A «СОГЛАСОВАНО» block under the table."""

    position: str = ""
    organisation: str = ""
    name: str = ""
    date_text: str = ""
    date: datetime.date | None = None

    def to_json(self) -> dict:
        return {
            "position": self.position,
            "organisation": self.organisation,
            "name": self.name,
            "date": self.date.isoformat() if self.date else self.date_text,
        }


@dataclass
class ParsedMeasure:
    """A measure (мероприятие) with the cells as written; ``row`` is the 1-based row (line)
    of the source, ``schedule`` is filled later from the deadline text."""

    number: str
    title: str
    deadline_text: str = ""
    audience: str = ""
    responsible_text: str = ""
    result: str = ""
    status_text: str = ""
    row: int = 0
    schedule: dict | None = None

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "deadline_text": self.deadline_text,
            "schedule": self.schedule,
            "audience": self.audience,
            "responsible_text": self.responsible_text,
            "result": self.result,
            "status_text": self.status_text,
        }


@dataclass
class ParsedSection:
    """A section (раздел) or, with ``is_group``, an unnumbered group row («2020 год»)."""

    number: str
    title: str
    is_group: bool = False
    row: int = 0
    sections: list[ParsedSection] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)
    # The written order of children (sections and measures interleaved).
    children: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "is_group": self.is_group,
            "sections": [s.to_json() for s in self.sections],
            "measures": [m.to_json() for m in self.measures],
        }


@dataclass
class Warning:  # noqa: A001 — the import's own notion, never the builtin category
    """Something a person should check; ``row`` 0 is about the whole document."""

    row: int
    message: str


@dataclass
class ParsedPlan:
    """Everything read from one file, before anything is written."""

    title: str = ""
    subtitle: str = ""
    period: tuple[datetime.date, datetime.date] | None = None
    period_text: str = ""
    approval: Approval = field(default_factory=Approval)
    concurrences: list[ParsedConcurrence] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    header_cells: list[str] = field(default_factory=list)
    mapping: dict[int, str] = field(default_factory=dict)
    sections: list[ParsedSection] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)
    children: list = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def all_measures(self) -> list[ParsedMeasure]:
        """Every measure in the document's order (a plan built without ``children`` lists
        its top-level measures first)."""
        if self.children:
            return [item for _, item in self.rows() if isinstance(item, ParsedMeasure)]
        found: list[ParsedMeasure] = list(self.measures)

        def walk(sections):
            for section in sections:
                found.extend(section.measures)
                walk(section.sections)

        walk(self.sections)
        return found

    def rows(self) -> list[tuple[int, ParsedSection | ParsedMeasure]]:
        """(depth, item) in the document's order, for a preview table."""
        found: list[tuple[int, ParsedSection | ParsedMeasure]] = []

        def walk(children, depth):
            for child in children:
                found.append((depth, child))
                if isinstance(child, ParsedSection):
                    walk(child.children, depth + 1)

        walk(self.children, 0)
        return found

    # The whole plan as JSON and back, for the preview stored on the import job: unlike
    # ``to_json`` (the command's output), nothing is lost — rows, order, mapping, header.
    def to_stored(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "period": [d.isoformat() for d in self.period] if self.period else None,
            "period_text": self.period_text,
            "approval": {
                **asdict(self.approval),
                "date": self.approval.date.isoformat() if self.approval.date else None,
            },
            "concurrences": [
                {**asdict(a), "date": a.date.isoformat() if a.date else None}
                for a in self.concurrences
            ],
            "columns": self.columns,
            "header_cells": self.header_cells,
            "mapping": [[index, key] for index, key in self.mapping.items()],
            "children": [_stored_child(child) for child in self.children],
            "warnings": [[w.row, w.message] for w in self.warnings],
        }

    @classmethod
    def from_stored(cls, data: dict) -> ParsedPlan:
        approval = dict(data["approval"])
        approval["date"] = _date(approval.get("date"))
        plan = cls(
            title=data["title"],
            subtitle=data["subtitle"],
            period=tuple(_date(d) for d in data["period"]) if data["period"] else None,
            period_text=data["period_text"],
            approval=Approval(**approval),
            # Previews stored before the rename keep the old key.
            concurrences=[
                ParsedConcurrence(**{**a, "date": _date(a.get("date"))})
                for a in data.get("concurrences", data.get("agreements", []))
            ],
            columns=[OLD_KEYS.get(key, key) for key in data["columns"]],
            header_cells=list(data["header_cells"]),
            mapping={int(index): OLD_KEYS.get(key, key) for index, key in data["mapping"]},
            warnings=[Warning(row, message) for row, message in data["warnings"]],
        )
        for child in data["children"]:
            item = _loaded_child(child)
            plan.children.append(item)
            (plan.sections if isinstance(item, ParsedSection) else plan.measures).append(item)
        return plan

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "period": [d.isoformat() for d in self.period] if self.period else None,
            "approval": self.approval.to_json(),
            "concurrences": [a.to_json() for a in self.concurrences],
            "columns": self.columns,
            "sections": [s.to_json() for s in self.sections],
            "measures": [m.to_json() for m in self.measures],
            "warnings": [{"row": w.row, "message": w.message} for w in self.warnings],
        }


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _stored_child(child: ParsedSection | ParsedMeasure) -> dict:
    if isinstance(child, ParsedSection):
        return {
            "section": True,
            "number": child.number,
            "title": child.title,
            "is_group": child.is_group,
            "row": child.row,
            "children": [_stored_child(c) for c in child.children],
        }
    return {"section": False, **asdict(child)}


def _loaded_child(data: dict) -> ParsedSection | ParsedMeasure:
    data = dict(data)
    if not data.pop("section"):
        for old, new in OLD_KEYS.items():
            if old in data:
                data[new] = data.pop(old)
        return ParsedMeasure(**data)
    children = data.pop("children")
    section = ParsedSection(**data)
    for child in children:
        item = _loaded_child(child)
        section.children.append(item)
        (section.sections if isinstance(item, ParsedSection) else section.measures).append(item)
    return section
