"""Plans as people write them, built in memory from a compact description.

A description is a tree of ``Section`` and ``Measure`` items: what a person reads in the
document. The builders write it as a Word table (python-docx), an Excel sheet (openpyxl)
or pasted text, with the layout and formatting each row asks for (merged cells, bold,
centred, a number typed into the heading's text, a blank form's empty cells, a table cut
by a page break). ``expected`` walks the same tree into what the importer must give back,
so every fixture states its reading once.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
import openpyxl
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl.styles import Alignment, Font

# Column keys of a description, in the order of the usual plan.
KEYS = ("number", "title", "deadline", "audience", "responsible", "result", "status")
LABELS = {
    "number": "№ п/п",
    "title": "Мероприятие",
    "deadline": "Сроки",
    "audience": "Целевая аудитория, исполнители",
    "responsible": "Ответственные",
    "result": "Ожидаемый результат",
    "status": "Отметка об исполнении",
}
SCHOOL_COLUMNS = ("number", "title", "deadline", "responsible", "result", "status")
MUNICIPAL_COLUMNS = ("number", "title", "deadline", "responsible", "result")


@dataclass
class Measure:
    """A measure row. ``tail`` is the end of the row that a page break moved into the next
    table: (the rest of the text, the rest of the result)."""

    number: str = ""
    title: str = ""
    deadline: str = ""
    audience: str = ""
    responsible: str = ""
    result: str = ""
    status: str = ""
    tail: tuple[str, str] | None = None
    bold: bool = False


@dataclass
class Section:
    """A heading row and what stands under it. ``number`` "" is an unnumbered heading.

    ``layout``: "cells" (number and title in their own columns, the rest empty),
    "merged" (one cell over the whole row holding «N. Title»), "span" (the number cell and
    the title over all the other columns), "inline" («N. Title» typed in the first cell,
    nothing merged)."""

    number: str
    title: str
    children: list = field(default_factory=list)
    layout: str = "cells"
    bold: bool = False
    centred: bool = False


@dataclass
class Plan:
    heading: tuple[str, ...]
    columns: tuple[str, ...]
    items: list
    # Positions (in the flattened rows) before which the table is cut by a page break and
    # goes on in a new table that repeats the header.
    breaks: tuple[int, ...] = ()
    column_numbers: bool = False  # a row «1 2 3 4 5» under the header


# --- Reading a description -----------------------------------------------------------


def expected(plan: Plan) -> list[tuple[str, tuple[str, ...], str, str]]:
    """(number, section path, text, deadline) of every measure, in order. A section in the
    path is «N. Title» (or the title of an unnumbered heading)."""
    found = []

    def walk(items, path):
        for item in items:
            if isinstance(item, Section):
                name = f"{item.number} {item.title}".strip()
                walk(item.children, (*path, name))
            else:
                title = item.title
                if item.tail:
                    title = f"{title} {item.tail[0]}".strip()
                found.append((item.number, path, title, item.deadline))

    walk(plan.items, ())
    return found


def counts(plan: Plan) -> tuple[int, int, int]:
    """(top-level sections, all sections, measures) of a description."""
    sections = 0

    def walk(items):
        nonlocal sections
        measures = 0
        for item in items:
            if isinstance(item, Section):
                sections += 1
                measures += walk(item.children)
            else:
                measures += 1
        return measures

    measures = walk(plan.items)
    top = sum(1 for item in plan.items if isinstance(item, Section))
    return top, sections, measures


def parsed(result) -> list[tuple[str, tuple[str, ...], str, str]]:
    """The same view of a ParsedPlan."""
    from roadmaps.importing.model import ParsedSection

    found = []

    def walk(children, path):
        for child in children:
            if isinstance(child, ParsedSection):
                walk(child.children, (*path, f"{child.number} {child.title}".strip()))
            else:
                found.append((child.number, path, child.title, child.deadline_text))

    walk(result.children, ())
    return found


def parsed_counts(result) -> tuple[int, int, int]:
    from roadmaps.importing.model import ParsedSection

    sections = sum(1 for _, item in result.rows() if isinstance(item, ParsedSection))
    return len(result.sections), sections, len(result.all_measures())


# --- Rows ----------------------------------------------------------------------------


@dataclass
class _Row:
    cells: dict[str, str]
    layout: str = "cells"  # cells, merged, span, inline
    bold: bool = False
    centred: bool = False


def rows(plan: Plan) -> list[_Row]:
    """The table rows of a description (without the header), in order."""
    found: list[_Row] = []

    def walk(items):
        for item in items:
            if isinstance(item, Section):
                if item.layout in ("merged", "inline"):
                    text = f"{item.number} {item.title}".strip()
                    found.append(_Row({"number": text}, item.layout, item.bold, item.centred))
                else:
                    found.append(
                        _Row(
                            {"number": item.number, "title": item.title},
                            item.layout,
                            item.bold,
                            item.centred,
                        )
                    )
                walk(item.children)
            else:
                found.append(
                    _Row(
                        {
                            "number": item.number,
                            "title": item.title,
                            "deadline": item.deadline,
                            "audience": item.audience,
                            "responsible": item.responsible,
                            "result": item.result,
                            "status": item.status,
                        },
                        bold=item.bold,
                    )
                )
                if item.tail:
                    found.append(_Row({"title": item.tail[0], "result": item.tail[1]}))

    walk(plan.items)
    return found


# --- Word ----------------------------------------------------------------------------


def _bold_text(cell, text: str, *, bold: bool, centred: bool) -> None:
    """Text into a cell, one paragraph per line, with the run formatting asked for."""
    lines = text.split("\n") if text else [""]
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold or None
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _header(table, columns, column_numbers: bool) -> None:
    for cell, key in zip(table.add_row().cells, columns, strict=True):
        _bold_text(cell, LABELS[key], bold=True, centred=True)
    if column_numbers:
        for index, cell in enumerate(table.add_row().cells, start=1):
            cell.text = str(index)


def _word_row(table, row: _Row, columns) -> None:
    cells = table.add_row().cells
    if row.layout == "merged":
        merged = cells[0].merge(cells[-1])
        _bold_text(merged, row.cells["number"], bold=row.bold, centred=row.centred)
        return
    if row.layout == "span":
        cells[0].text = row.cells.get("number", "")
        merged = cells[1].merge(cells[-1])
        _bold_text(merged, row.cells.get("title", ""), bold=row.bold, centred=row.centred)
        return
    for cell, key in zip(cells, columns, strict=True):
        text = row.cells.get(key, "")
        _bold_text(cell, text, bold=row.bold and key == "title", centred=row.centred)


def word_document(plan: Plan) -> docx.Document:
    document = docx.Document()
    for line in plan.heading:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=len(plan.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _header(table, plan.columns, plan.column_numbers)
    for position, row in enumerate(rows(plan)):
        if position in plan.breaks:
            # The table ends on this page; the next page starts a new table with the header.
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            table = document.add_table(rows=0, cols=len(plan.columns))
            _header(table, plan.columns, False)
        _word_row(table, row, plan.columns)
    document.add_paragraph("СОГЛАСОВАНО")
    return document


def word_bytes(plan: Plan) -> bytes:
    data = io.BytesIO()
    word_document(plan).save(data)
    return data.getvalue()


def legacy_hmerge(data: bytes) -> bytes:
    """The same document with every gridSpan written as Word 97 does it: a cell with
    hMerge="restart" and hMerge="continue" cells after it."""
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        for tr in table._tbl.tr_lst:
            for tc in list(tr.tc_lst):
                span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
                if span is None:
                    continue
                count = int(span.get(qn("w:val")))
                tc.tcPr.remove(span)
                restart = OxmlElement("w:hMerge")
                restart.set(qn("w:val"), "restart")
                tc.tcPr.append(restart)
                anchor = tc
                for _ in range(count - 1):
                    cont = OxmlElement("w:tc")
                    props = OxmlElement("w:tcPr")
                    merge = OxmlElement("w:hMerge")
                    props.append(merge)  # no w:val: «continue»
                    cont.append(props)
                    cont.append(OxmlElement("w:p"))
                    anchor.addnext(cont)
                    anchor = cont
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- Excel ---------------------------------------------------------------------------


def excel_bytes(plan: Plan) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in plan.heading:
        sheet.append([line])
    sheet.append([LABELS[key] for key in plan.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    width = len(plan.columns)
    for row in rows(plan):
        values = [row.cells.get(key, "") or None for key in plan.columns]
        if row.layout in ("merged", "inline"):
            values = [row.cells["number"]] + [None] * (width - 1)
        sheet.append(values)
        at = sheet.max_row
        if row.layout == "merged":
            sheet.merge_cells(start_row=at, start_column=1, end_row=at, end_column=width)
        elif row.layout == "span":
            sheet.merge_cells(start_row=at, start_column=2, end_row=at, end_column=width)
        text_column = 1 if row.layout in ("merged", "inline") else 2
        cell = sheet.cell(row=at, column=text_column)
        if row.bold:
            cell.font = Font(bold=True)
        if row.centred:
            cell.alignment = Alignment(horizontal="center")
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


# --- Pasted text ---------------------------------------------------------------------


def text_bytes(plan: Plan) -> bytes:
    """The table copied as text: one row a line, cells separated by tabs; a merged row is
    its text in the first cell."""
    lines = list(plan.heading) + [""]
    lines.append("\t".join(LABELS[key] for key in plan.columns))
    for row in rows(plan):
        if row.layout in ("merged", "inline"):
            cells = [row.cells["number"]] + [""] * (len(plan.columns) - 1)
        else:
            cells = [row.cells.get(key, "").replace("\n", " ") for key in plan.columns]
        lines.append("\t".join(cells))
    return "\n".join(lines).encode()
