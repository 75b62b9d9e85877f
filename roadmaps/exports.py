"""A plan as a file in the document's layout: .xlsx and .docx. Importing such a file again
gives the same plan (the round trip is tested on every sample).

Other apps may add columns to an export when asked (execution: the marks per
organisation, ``?execution=1``) through the ``export_columns`` hook of
``roadmaps.extensions``: roadmaps never imports them and only prints what they give
(``ExtraColumns``); the export is unchanged when nothing is registered or asked for."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.cells import escape_cell
from core.text import clean_text

from . import selectors
from .importing.columns import LABELS
from .importing.header import DOCUMENT_STAMP_LABEL, DRAFT_MARK, PERIOD_LABEL
from .models import Roadmap
from .workflow import APPROVED_STATES


def _text(value) -> str:
    """Stored text as a cell can hold it. Text is cleaned where it enters (core.fields);
    this is the second belt, for rows written around the models (raw SQL, old rows), so
    that an export never fails on a character XML cannot hold."""
    return clean_text(value or "")


# The approval block of a plan that is not approved yet is the document's, not an approval:
# the export says «ПРОЕКТ» and shows the block, muted, under «Гриф утверждения в документе:»
# (as the plan page does). Read back by the importer, both lines are recognised and skipped.
APPROVED_STATUSES = APPROVED_STATES
NORMAL, MARK, MUTED = "normal", "mark", "muted"
MUTED_RGB = "595959"


def is_approved(roadmap: Roadmap) -> bool:
    """Whether the plan's approval block is an approval (and not the draft's imported stamp)."""
    return roadmap.status in APPROVED_STATUSES


def _header_lines(roadmap: Roadmap) -> list[tuple[str, str]]:
    """(text, style) of the lines above the title, right-aligned in the document."""
    approval = [_text(line) for line in _raw_header_lines(roadmap)]
    if is_approved(roadmap):
        return [(line, NORMAL) for line in approval]
    lines = [(DRAFT_MARK, MARK)]
    if approval:
        lines.append((DOCUMENT_STAMP_LABEL, MUTED))
        lines.extend((line, MUTED) for line in approval)
    return lines


def _raw_header_lines(roadmap: Roadmap) -> list[str]:
    lines = []
    if roadmap.approval_position or roadmap.approval_name or roadmap.approval_order:
        lines.append(roadmap.approval_word or "УТВЕРЖДАЮ")
        for value in (
            roadmap.approval_position,
            roadmap.approval_organisation,
            roadmap.approval_name,
        ):
            if value:
                lines.extend(_text(value).split("\n"))
        if roadmap.approval_date:
            lines.append(f"{roadmap.approval_date:%d.%m.%Y}")
        elif roadmap.approval_date_text:
            lines.append(roadmap.approval_date_text)
        if roadmap.approval_order:
            lines.append(roadmap.approval_order)
    return lines


def period_line(roadmap: Roadmap) -> str:
    """«Период: 01.01.2020 – 31.12.2022 (на 2020-2022 годы)»: the dates, and the words as
    the document states them when they are known."""
    line = f"{PERIOD_LABEL} {roadmap.period_start:%d.%m.%Y} – {roadmap.period_end:%d.%m.%Y}"
    words = _text(roadmap.period_text).strip()
    return f"{line} ({words})" if words else line


def _title_lines(roadmap: Roadmap) -> list[str]:
    subtitle = _text(roadmap.subtitle).split("\n")
    return [_text(roadmap.title), *[line for line in subtitle if line.strip()]]


def _concurrence_lines(roadmap: Roadmap) -> list[list[str]]:
    blocks = []
    for concurrence in roadmap.concurrences.all():
        block = ["СОГЛАСОВАНО:"]
        for value in (concurrence.position, concurrence.organisation_text, concurrence.name):
            if value:
                block.extend(_text(value).split("\n"))
        if concurrence.date:
            block.append(f"{concurrence.date:%d.%m.%Y}")
        elif concurrence.date_text:
            block.append(_text(concurrence.date_text))
        blocks.append(block)
    return blocks


# --- Columns other apps add -------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationLines:
    """One organisation's lines per measure id («до 31.03.2026: Выполнено 12.03.2026»)."""

    name: str
    lines: Mapping[int, Sequence[str]]


@dataclass(frozen=True)
class ExtraColumns:
    """What an app adds to an export, per organisation: the .xlsx gets a column per
    organisation (headed by its name), the .docx one column ``title`` listing each
    organisation's lines under its name."""

    title: str
    organisations: Sequence[OrganisationLines]


def extra_columns(roadmap: Roadmap, user, params: Mapping[str, str]) -> list[ExtraColumns]:
    """The columns the request's parameters ask for (``option=1``) from the extensions
    that offer them (``roadmaps.extensions``), in registration order; unknown options are
    ignored. Each provider gives only what the person may see, in a number of queries that
    does not depend on the plan's size."""
    from .extensions import registered

    found = []
    for extension in registered():
        if extension.export_columns is None or params.get(extension.export_option) != "1":
            continue
        columns = extension.export_columns(roadmap, user)
        if columns is not None and columns.organisations:
            found.append(columns)
    return found


def _lines(organisation: OrganisationLines, measure_id: int) -> list[str]:
    return [_text(line) for line in organisation.lines.get(measure_id, ())]


# --- The table ----------------------------------------------------------------------------


def _table(roadmap: Roadmap) -> tuple[list[str], list[tuple[str, list[str], int | None]]]:
    """Column keys and rows: ("section", [text], None) or ("measure", [cell per column],
    measure id)."""
    keys = [key for key in roadmap.columns if key in LABELS]
    rows: list[tuple[str, list[str], int | None]] = []
    for row in selectors.plan_rows(roadmap):
        if row.kind == "section":
            rows.append(("section", [_text(f"{row.obj.number} {row.obj.title}").strip()], None))
        else:
            rows.append(("measure", [_text(getattr(row.obj, key)) for key in keys], row.obj.pk))
    return keys, rows


def roadmap_xlsx(roadmap: Roadmap, extra: Sequence[ExtraColumns] = ()) -> bytes:
    """The plan as a workbook; ``extra`` adds a column per organisation after the plan's
    columns, each cell the organisation's lines for the measure."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    keys, rows = _table(roadmap)
    added = [(columns, organisation) for columns in extra for organisation in columns.organisations]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "План"
    width = len(keys) + len(added)
    for line, style in _header_lines(roadmap):
        sheet.append(
            [None] * (width - 1) + [escape_cell(line)] if width > 1 else [escape_cell(line)]
        )
        if style != NORMAL:
            sheet.cell(row=sheet.max_row, column=width).font = (
                Font(bold=True) if style == MARK else Font(italic=True, color=MUTED_RGB)
            )
    sheet.append([])
    for line in _title_lines(roadmap):
        sheet.append([escape_cell(line)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([escape_cell(period_line(roadmap))])
    sheet.append([])
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append(
        [LABELS[key] for key in keys]
        + [escape_cell(_text(organisation.name)) for _, organisation in added]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.border = border
    for kind, cells, measure_id in rows:
        if kind == "measure":
            cells = cells + [
                "\n".join(_lines(organisation, measure_id)) for columns, organisation in added
            ]
        sheet.append([escape_cell(value) for value in cells])
        current = sheet.max_row
        if kind == "section":
            sheet.merge_cells(start_row=current, start_column=1, end_row=current, end_column=width)
            sheet.cell(row=current, column=1).font = Font(bold=True)
        for cell in sheet[current]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
    for block in _concurrence_lines(roadmap):
        sheet.append([])
        for line in block:
            sheet.append([escape_cell(line)])
    widths = {
        "number": 8,
        "title": 50,
        "deadline_text": 18,
        "audience": 25,
        "responsible_text": 25,
        "result": 35,
        "status_text": 25,
    }
    for index, key in enumerate(keys, 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = widths.get(key, 20)
    for index in range(len(keys) + 1, width + 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 30
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def roadmap_docx(roadmap: Roadmap, extra: Sequence[ExtraColumns] = ()) -> bytes:
    """The plan as a Word document; each of ``extra`` adds one column after the plan's,
    listing per measure each organisation's lines under its name."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    keys, rows = _table(roadmap)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    for line, style in _header_lines(roadmap):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(17)
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(line)
        if style == MARK:
            run.bold = True
        elif style == MUTED:
            run.italic = True
            run.font.color.rgb = RGBColor.from_string(MUTED_RGB)
    for line in _title_lines(roadmap):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(line).bold = True
    paragraph = document.add_paragraph(period_line(roadmap))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    labels = [LABELS[key] for key in keys] + [_extra_label(columns, keys) for columns in extra]
    table = document.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(label).bold = True
    for kind, cells, measure_id in rows:
        row = table.add_row()
        if kind == "section":
            merged = row.cells[0].merge(row.cells[-1]) if len(labels) > 1 else row.cells[0]
            merged.text = ""
            merged.paragraphs[0].add_run(cells[0]).bold = True
            continue
        for cell, value in zip(row.cells, cells, strict=False):
            lines = value.split("\n") if value else [""]
            cell.text = lines[0]
            for more in lines[1:]:
                cell.add_paragraph(more)
        for cell, columns in zip(row.cells[len(keys) :], extra, strict=True):
            _organisation_lines(cell, columns, measure_id)
    for block in _concurrence_lines(roadmap):
        document.add_paragraph("")
        for line in block:
            paragraph = document.add_paragraph(line)
            paragraph.paragraph_format.space_after = Pt(0)
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def _extra_label(columns: ExtraColumns, keys: list[str]) -> str:
    """The column's title; when the plan shows a column of the same name (an imported
    plan's «Отметка об исполнении»), the added one says it is per organisation."""
    if columns.title in {LABELS[key] for key in keys}:
        return f"{columns.title} (по организациям)"
    return columns.title


def _organisation_lines(cell, columns: ExtraColumns, measure_id: int) -> None:
    """Each organisation with lines for the measure: its name in bold, then its lines (a
    new cell holds one empty paragraph: the first name goes there)."""
    first = True
    for organisation in columns.organisations:
        lines = _lines(organisation, measure_id)
        if not lines:
            continue
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.add_run(_text(organisation.name)).bold = True
        for line in lines:
            cell.add_paragraph(line)
        first = False
