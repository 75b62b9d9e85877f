"""Files → rows of cells and the text around the table.

Each reader checks that the file is what its name says before parsing it, and refuses
macros, encrypted files, zip bombs and oversized uploads with a Russian message."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field

from .errors import ImportFileError

MAX_BYTES = 20 * 1024 * 1024
# Zip bombs: refuse archives that unpack to more than this in total or in one part, or
# whose parts are compressed suspiciously well (XML of a real plan packs about 10:1).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
# The work is bounded by what is read, not by the file's size: the part holding the table
# (word/document.xml, a sheet, the shared strings) is never unpacked beyond this, and the
# table never holds more rows, non-empty cells or characters in one cell than these.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CELLS = 400_000
MAX_CELL_CHARS = 50_000
# Elements of word/document.xml (runs, bookmarks, properties…): markup that carries no
# text still costs time to stream, so it is bounded too (about 30 s of parsing at most).
MAX_ELEMENTS = 3_000_000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_CONTENT_TYPES = ("macroEnabled", "vbaProject", "ms-office.activeX")


@dataclass
class RawRow:
    """One row of the plan's table with the formatting signals its format carries.

    ``merged``: the row is laid out as a heading — one cell spans the whole row, or the
    number cell and one cell spanning the rest (Word gridSpan/hMerge, Excel merged
    ranges). ``bold_cells`` and ``centred_cells`` follow ``cells`` (a cell whose text is
    all bold, a cell whose paragraphs are all centred); they are empty when the format
    has no formatting (CSV, text)."""

    cells: list[str]
    index: int  # 1-based: the line of a text file, the row of a sheet or of a Word table
    merged: bool = False
    bold: bool = False  # every filled cell is bold
    break_before: bool = False  # a page break stood before it (pasted text, split tables)
    bold_cells: list[bool] = field(default_factory=list)
    centred_cells: list[bool] = field(default_factory=list)


@dataclass
class RawDocument:
    before: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def _too_big(max_bytes: int) -> ImportFileError:
    size = f"{max_bytes // (1024 * 1024)} МБ" if max_bytes >= 1024 * 1024 else f"{max_bytes} байт"
    return ImportFileError(
        f"Файл больше {size}. Разделите его или уберите лишнее (картинки, приложения)."
    )


def load_bytes(source: bytes | str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes; a path is checked against the size cap before it is read."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > max_bytes:
            raise _too_big(max_bytes)
        return data
    try:
        with open(source, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                raise _too_big(max_bytes)
            data = handle.read(max_bytes + 1)
    except OSError:
        raise ImportFileError("Файл не удалось открыть.") from None
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    return data


def read_document(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> RawDocument:
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    if not data.strip():
        raise ImportFileError("Файл пустой.")
    name = (filename or "").lower()
    if name.endswith((".docm", ".xlsm", ".dotm")):
        raise ImportFileError(
            "Файлы с макросами не принимаются. Сохраните документ как .docx или .xlsx без макросов."
        )
    if name.endswith(".docx"):
        return read_docx(data)
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    if name.endswith(".csv"):
        return read_csv(data)
    if name.endswith(".txt") or not name:
        return read_text(decode(data))
    if name.endswith((".doc", ".xls")):
        raise ImportFileError(
            "Старые форматы .doc и .xls не поддерживаются: сохраните файл как .docx или .xlsx."
        )
    raise ImportFileError(
        "Поддерживаются файлы .docx, .xlsx, .csv и .txt, а также текст, вставленный из таблицы."
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM («Юникод» text from Excel or Notepad),
    else Windows-1251. Binary content (NUL bytes) is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ImportFileError(
        "Не удалось прочитать текст: сохраните его в кодировке UTF-8 или Windows-1251."
    )


def unpacks_too_big(infos: list[zipfile.ZipInfo]) -> bool:
    """Whether an archive's parts, as its central directory declares them, unpack past the
    limits above (total, one part, compression ratio). Shared with evidence uploads."""
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    return (
        total > MAX_UNZIPPED_BYTES
        or total / packed > MAX_RATIO
        or any(
            info.file_size > MAX_PART_BYTES
            or (
                info.file_size > 1024 * 1024
                and info.file_size / max(info.compress_size, 1) > MAX_RATIO
            )
            for info in infos
        )
    )


def _open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    if data.startswith(OLE_SIGNATURE):
        raise ImportFileError(
            f"Файл {kind} зашифрован паролем или сохранён в старом формате. Снимите пароль и сохраните как .{kind}."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(
            f"Это не файл .{kind}: содержимое не соответствует расширению, или файл повреждён."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(
            f"Файл .{kind} повреждён (возможно, загружен не полностью)."
        ) from None
    # Sizes come from the archive's directory: nothing is unpacked before they are checked.
    if unpacks_too_big(infos):
        raise ImportFileError(
            "Файл распаковывается в слишком большой объём — такой файл не принимается."
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportFileError(
            f"Файл .{kind} зашифрован паролем. Снимите пароль и сохраните как .{kind}."
        )
    names = {info.filename.lower() for info in infos}
    if any(name.endswith("vbaproject.bin") for name in names) or _macro_content_types(archive):
        raise ImportFileError("Файлы с макросами не принимаются. Сохраните документ без макросов.")
    required = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}.get(kind)
    if required and required not in names:
        raise ImportFileError(
            f"Это не файл .{kind}: содержимое не соответствует расширению, или файл повреждён."
        )
    return archive


def _macro_content_types(archive: zipfile.ZipFile) -> bool:
    """A .docm/.xlsm renamed to .docx/.xlsx still declares macro content types."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return False
    if info.file_size > 1024 * 1024:
        return False
    try:
        text = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        raise ImportFileError("Файл повреждён (возможно, загружен не полностью).") from None
    return any(marker in text for marker in MACRO_CONTENT_TYPES)


# --- Word -------------------------------------------------------------------------------
#
# word/document.xml is read as a stream of parse events (lxml ``iterparse`` over the zip
# entry, itself never read beyond its declared size nor beyond MAX_DOCUMENT_BYTES). Every
# element is cleared as soon as it ends, so memory holds the texts and row data the plan
# needs, never the document's tree. Only the plan table (the largest one) becomes rows;
# the other tables and the paragraphs become the text before and after it.

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}r"
_T, _TAB, _BR, _CR = f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"
_CONTAINERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml"})
_VAL = f"{W}val"


class _LimitedStream:
    """A zip entry read in chunks that refuses to go past ``limit`` unpacked bytes."""

    def __init__(self, stream, limit: int, part: str) -> None:
        self.stream, self.limit, self.part, self.total = stream, limit, part, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(64 * 1024 if size is None or size < 0 else size)
        self.total += len(data)
        if self.total > self.limit:
            raise _unpacked_too_big(self.part, self.total, self.limit)
        return data


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} МБ"


def _unpacked_too_big(part: str, size: int, limit: int) -> ImportFileError:
    return ImportFileError(
        f"Файл распаковывается в слишком большой объём: часть {part} занимает больше "
        f"{_mb(limit)} (предел распакованного размера — {_mb(limit)}, здесь не меньше {_mb(size)}). "
        "Разделите план на несколько файлов."
    )


def _int_attr(element, default: int) -> int:
    try:
        return max(0, min(int(element.get(_VAL) or default), 100))
    except ValueError:
        return default


@dataclass
class _Table:
    rows: list[RawRow] = field(default_factory=list)
    lines: list = field(default_factory=list)  # every paragraph, for a table that is not the plan
    direct_rows: int = 0  # w:tr children of w:tbl itself: how the plan table is chosen
    grid_columns: int = 0


@dataclass
class _Row:
    before: int = 0
    after: int = 0
    cells: list[str] = field(default_factory=list)
    bold_flags: list[bool] = field(default_factory=list)  # per filled cell
    bold_cells: list[bool] = field(default_factory=list)  # per grid column, like cells
    centred_cells: list[bool] = field(default_factory=list)
    cell_spans: list[int] = field(default_factory=list)  # per distinct cell (hMerge joined)
    tcs: int = 0
    spans: int = 0
    props_seen: bool = False
    before_seen: bool = False
    after_seen: bool = False


@dataclass
class _Cell:
    lines: list = field(default_factory=list)
    span: int = 1
    continued: bool = False
    hcontinued: bool = False  # legacy horizontal merge: part of the cell on its left
    props_seen: bool = False
    span_seen: bool = False
    merge_seen: bool = False
    hmerge_seen: bool = False
    has_runs: bool = False
    all_bold: bool = True
    has_paragraphs: bool = False  # paragraphs with text (for all_centred)
    all_centred: bool = True
    collect_depth: int = 0  # >0 inside a table or content control that sits in the cell


@dataclass
class _Run:
    text: list[str] = field(default_factory=list)
    bold: bool = False
    props_seen: bool = False
    bold_seen: bool = False


@dataclass
class _Frame:
    tag: str
    role: str = ""
    paragraph: list | None = None  # text buffer of an open paragraph
    sinks: list = field(default_factory=list)  # (list, index) slots its text goes to
    length: int = 0
    run: _Run | None = None
    collects: bool = False  # a direct child of a cell whose paragraphs are all cell lines
    centred: bool = False  # a paragraph whose w:pPr/w:jc centres it
    in_cell: bool = False  # a paragraph whose text is a line of the current cell


class _DocxReader:
    """A state machine over the start/end events of word/document.xml."""

    BODY_ROLES = frozenset({"body", "bodyc"})

    def __init__(self) -> None:
        self.blocks: list = []  # paragraph texts and _Table objects of the body, in order
        self.stack: list[_Frame] = []
        self.paragraphs: list[_Frame] = []  # open paragraphs (nested ones in text boxes too)
        self.runs: list[_Run] = []
        self.table: _Table | None = None
        self.row: _Row | None = None
        self.cell: _Cell | None = None
        self.rows = 0
        self.cells = 0
        self.lines = 0
        self.saw_body = False
        self.elements = 0

    # The limits, counted as the document streams by.
    def _count_line(self) -> None:
        self.lines += 1
        if self.lines > MAX_CELLS:
            raise ImportFileError(
                f"В документе больше {MAX_CELLS:,} абзацев и ячеек (предел {MAX_CELLS:,}) — "
                "разделите план на несколько файлов.".replace(",", " ")
            )

    def _add_text(self, text: str) -> None:
        for frame in self.paragraphs:
            frame.paragraph.append(text)
            frame.length += len(text)
            if frame.length > MAX_CELL_CHARS:
                raise _cell_too_long()

    def start(self, element) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise ImportFileError(
                f"В документе больше {MAX_ELEMENTS:,} элементов разметки (предел — "
                f"{MAX_ELEMENTS:,}): разделите план на несколько файлов.".replace(",", " ")
            )
        tag = element.tag
        parent = self.stack[-1] if self.stack else None
        prole = parent.role if parent else ""
        frame = _Frame(tag)
        if parent is None:
            frame.role = "document" if tag == f"{W}document" else "other"
        elif prole == "document" and tag == f"{W}body":
            frame.role = "body"
            self.saw_body = True
        elif prole in self.BODY_ROLES:
            if tag in _CONTAINERS:
                frame.role = "bodyc"
            elif tag == _TBL:
                frame.role = "tbl"
                self.table = _Table()
                self.blocks.append(self.table)
        elif prole in ("tbl", "tblc"):
            if tag in _CONTAINERS:
                frame.role = "tblc"
            elif tag == _TR:
                frame.role = "tr"
                self.row = _Row()
                if prole == "tbl":
                    self.table.direct_rows += 1
            elif tag == f"{W}tblGrid" and prole == "tbl":
                frame.role = "grid"
        elif prole == "grid" and tag == f"{W}gridCol":
            self.table.grid_columns += 1
        elif prole in ("tr", "trc"):
            row = self.row
            if tag in _CONTAINERS:
                frame.role = "trc"
            elif tag == _TC:
                frame.role = "tc"
                self.cell = _Cell()
            elif tag == f"{W}trPr" and prole == "tr" and not row.props_seen:
                row.props_seen = True
                frame.role = "trpr"
        elif prole == "trpr":
            row = self.row
            if tag == f"{W}gridBefore" and not row.before_seen:
                row.before_seen, row.before = True, _int_attr(element, 0)
            elif tag == f"{W}gridAfter" and not row.after_seen:
                row.after_seen, row.after = True, _int_attr(element, 0)
        elif prole == "tc":
            cell = self.cell
            if tag == f"{W}tcPr" and not cell.props_seen:
                cell.props_seen = True
                frame.role = "tcpr"
            elif tag in (_TBL, *_CONTAINERS):
                frame.collects = True
                cell.collect_depth += 1
        elif prole == "tcpr":
            cell = self.cell
            if tag == f"{W}gridSpan" and not cell.span_seen:
                cell.span_seen, cell.span = True, max(1, _int_attr(element, 1))
            elif tag == f"{W}vMerge" and not cell.merge_seen:
                cell.merge_seen = True
                cell.continued = element.get(_VAL) in (None, "continue")
            elif tag == f"{W}hMerge" and not cell.hmerge_seen:
                cell.hmerge_seen = True
                cell.hcontinued = element.get(_VAL) in (None, "continue")
        if tag == _P:
            self._open_paragraph(frame, prole)
        elif tag == f"{W}pPr" and parent is not None and parent.in_cell:
            frame.role = "ppr"
        elif tag == f"{W}jc" and prole == "ppr":
            # stack[-1] is the w:pPr, stack[-2] its paragraph.
            self.stack[-2].centred = element.get(_VAL) in ("center", "centre")
        elif tag == _R and self.cell is not None:
            frame.run = _Run()
            self.runs.append(frame.run)
        elif tag == f"{W}rPr" and parent is not None and parent.run is not None:
            if not parent.run.props_seen:
                parent.run.props_seen = True
                frame.role = "rpr"
        elif tag == f"{W}b" and prole == "rpr":
            run = self.stack[-2].run
            if not run.bold_seen:
                run.bold_seen = True
                run.bold = element.get(_VAL) not in ("0", "false")
        self.stack.append(frame)

    def _open_paragraph(self, frame: _Frame, prole: str) -> None:
        frame.paragraph = []
        if prole in self.BODY_ROLES:
            self.blocks.append(None)
            frame.sinks.append((self.blocks, len(self.blocks) - 1))
        if self.table is not None:
            self.table.lines.append(None)
            frame.sinks.append((self.table.lines, len(self.table.lines) - 1))
        if self.cell is not None and (prole == "tc" or self.cell.collect_depth):
            self.cell.lines.append(None)
            frame.sinks.append((self.cell.lines, len(self.cell.lines) - 1))
            frame.in_cell = True
        if frame.sinks:
            self._count_line()
        self.paragraphs.append(frame)

    def end(self, element) -> None:
        frame = self.stack.pop()
        tag = frame.tag
        if tag == _T:
            text = element.text or ""
            if text:
                self._add_text(text)
                for run in self.runs:
                    run.text.append(text)
        elif tag == _TAB:
            self._add_text(" ")
        elif tag in (_BR, _CR):
            self._add_text("\n")
        if frame.paragraph is not None:
            self.paragraphs.pop()
            text = "".join(frame.paragraph)
            for target, index in frame.sinks:
                target[index] = text
            if frame.in_cell and self.cell is not None and text.strip():
                self.cell.has_paragraphs = True
                self.cell.all_centred = self.cell.all_centred and frame.centred
        if frame.run is not None:
            self.runs.pop()
            if "".join(frame.run.text).strip():
                self.cell.has_runs = True
                self.cell.all_bold = self.cell.all_bold and frame.run.bold
        if frame.collects:
            self.cell.collect_depth -= 1
        role = frame.role
        if role == "tc":
            self._end_cell()
        elif role == "tr":
            self._end_row()
        elif role == "tbl":
            self.table = None
        # Nothing of an ended element is looked at again: drop it and its finished siblings.
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]

    def _end_cell(self) -> None:
        cell, row = self.cell, self.row
        self.cell = None
        text = (
            ""
            if cell.continued
            else "\n".join(line.strip() for line in cell.lines if line is not None).strip()
        )
        if len(text) > MAX_CELL_CHARS:
            raise _cell_too_long()
        bold = bool(text) and cell.has_runs and cell.all_bold
        centred = bool(text) and cell.has_paragraphs and cell.all_centred
        if text:
            row.bold_flags.append(bold)
        if cell.hcontinued and row.cell_spans and not text:
            # Word 97's horizontal merge: this cell is the right part of the one before.
            row.cell_spans[-1] += cell.span
        else:
            row.cell_spans.append(cell.span)
        row.cells.append(text)
        row.cells.extend([""] * (cell.span - 1))
        row.bold_cells.extend([bold] + [False] * (cell.span - 1))
        row.centred_cells.extend([centred] + [False] * (cell.span - 1))
        row.spans += cell.span
        row.tcs += 1
        if self.cells + len(row.cells) > MAX_CELLS:
            raise _too_many_cells()

    def _end_row(self) -> None:
        row, table = self.row, self.table
        self.row = None
        cells = [""] * row.before + row.cells + [""] * row.after
        self.cells += len(cells)
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise ImportFileError(_too_many_rows())
        if self.cells > MAX_CELLS:
            raise _too_many_cells()
        grid_columns = table.grid_columns or None
        filled = [c for c in cells if c]
        distinct = len(row.cell_spans)
        width = grid_columns or row.spans
        merged = distinct == 1 and width > 1
        if not merged and len(filled) == 1 and grid_columns and row.tcs < grid_columns:
            # A row of fewer, wider cells carrying one text (e.g. «2020 год» over three columns).
            merged = True
        if not merged and distinct == 2 and width >= 3 and row.cell_spans[1] >= width - 1:
            # The number cell and one cell over all the others: a heading's layout.
            merged = row.cell_spans[0] == 1 and row.before == 0
        flags = [False] * row.before, [False] * row.after
        table.rows.append(
            RawRow(
                cells=cells,
                index=len(table.rows) + 1,
                merged=merged,
                bold=bool(row.bold_flags) and all(row.bold_flags),
                bold_cells=flags[0] + row.bold_cells + flags[1],
                centred_cells=flags[0] + row.centred_cells + flags[1],
            )
        )


def _cell_too_long() -> ImportFileError:
    return ImportFileError(
        f"В файле есть ячейка или абзац длиннее {MAX_CELL_CHARS:,} знаков (предел — "
        f"{MAX_CELL_CHARS:,}). Такой файл не принимается.".replace(",", " ")
    )


def _too_many_cells() -> ImportFileError:
    return ImportFileError(
        f"В таблице больше {MAX_CELLS:,} ячеек (предел — {MAX_CELLS:,}): разделите план на "
        "несколько файлов.".replace(",", " ")
    )


def read_docx(data: bytes) -> RawDocument:
    archive = _open_zip(data, "docx")
    part = "word/document.xml"
    info = archive.getinfo(part)
    if info.file_size > MAX_DOCUMENT_BYTES:
        raise _unpacked_too_big(part, info.file_size, MAX_DOCUMENT_BYTES)
    from lxml import etree

    reader = _DocxReader()
    try:
        with archive.open(info) as raw:
            stream = _LimitedStream(raw, min(info.file_size, MAX_DOCUMENT_BYTES), part)
            for event, element in etree.iterparse(
                stream,
                events=("start", "end"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            ):
                if event == "start":
                    reader.start(element)
                else:
                    reader.end(element)
    except ImportFileError:
        raise
    except (etree.LxmlError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise ImportFileError("Файл .docx повреждён или это не документ Word.") from None
    if not reader.saw_body:
        raise ImportFileError("Файл .docx повреждён или это не документ Word.")
    tables = [block for block in reader.blocks if isinstance(block, _Table)]
    if not tables:
        raise ImportFileError("В документе нет таблицы с мероприятиями.")
    # The plan table is the largest one (documents sometimes carry small layout tables,
    # e.g. the approval and concurrence blocks side by side).
    plan_table = max(tables, key=lambda table: table.direct_rows)
    parts = _table_parts(reader.blocks, plan_table)
    result = RawDocument()
    seen_table = False
    for block in reader.blocks:
        if block is parts[0]:
            seen_table = True
            result.rows = _joined_rows(parts)
        elif any(block is part for part in parts):
            continue
        elif isinstance(block, _Table):
            (result.after if seen_table else result.before).extend(block.lines)
        else:
            (result.after if seen_table else result.before).append(block)
    return result


def _table_parts(blocks: list, plan_table: _Table) -> list[_Table]:
    """The plan table and the tables it was cut into: a page break (or a conversion) often
    splits one table into several with the same columns, separated only by empty
    paragraphs. They are read as one table, in order."""
    at = next(i for i, block in enumerate(blocks) if block is plan_table)

    def same(block) -> bool:
        return (
            isinstance(block, _Table)
            and block.direct_rows > 0
            and block.grid_columns == plan_table.grid_columns
            and plan_table.grid_columns > 1
        )

    def neighbours(indices) -> list[_Table]:
        found = []
        for i in indices:
            block = blocks[i]
            if block is None or (isinstance(block, str) and not block.strip()):
                continue
            if not same(block):
                break
            found.append(block)
        return found

    before = neighbours(range(at - 1, -1, -1))
    after = neighbours(range(at + 1, len(blocks)))
    return [*reversed(before), plan_table, *after]


def _joined_rows(parts: list[_Table]) -> list[RawRow]:
    rows: list[RawRow] = []
    header = [_squashed(c) for c in parts[0].rows[0].cells] if parts[0].rows else []
    for number, part in enumerate(parts):
        # The first row of a later part after the header it repeats (and the column
        # numbers) stood after the break: it may carry the end of the row the break cut.
        first = 0
        while first < len(part.rows) and (
            [_squashed(c) for c in part.rows[first].cells] == header
            or all(c.strip().rstrip(".").isdigit() for c in part.rows[first].cells if c.strip())
        ):
            first += 1
        for position, row in enumerate(part.rows):
            row.index = len(rows) + 1
            row.break_before = number > 0 and position == first
            rows.append(row)
    return rows


def _squashed(text: str) -> str:
    return " ".join(text.lower().split())


# --- Excel and CSV -----------------------------------------------------------------------


def read_xlsx(data: bytes) -> RawDocument:
    """The first visible sheet, values only: data_only=True reads the values Excel cached
    and never the formulas (nothing is ever evaluated). openpyxl's read-only mode streams
    the sheet; the rows, cells and characters read are bounded as they come. Bold and
    centred cells and the merged ranges (which the read-only mode does not give) are kept
    as signals of headings."""
    archive = _open_zip(data, "xlsx")
    for info in archive.infolist():
        name = info.filename.lower()
        if (name.startswith("xl/worksheets/") or name == "xl/sharedstrings.xml") and (
            info.file_size > MAX_DOCUMENT_BYTES
        ):
            raise _unpacked_too_big(info.filename, info.file_size, MAX_DOCUMENT_BYTES)
    values: list[list[str]] = []
    formats: list[tuple[list[bool], list[bool]]] = []
    merges: list[tuple[int, int, int, int]] = []
    cells = 0
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
            sheet = (visible or book.worksheets)[0]
            for row in sheet.iter_rows(max_col=MAX_COLUMNS):
                if len(values) >= MAX_ROWS:
                    raise ImportFileError(_too_many_rows())
                texts = [_cell(getattr(c, "value", None)) for c in row]
                cells += _count_cells(texts)
                if cells > MAX_CELLS:
                    raise _too_many_cells()
                values.append(texts)
                formats.append(_xlsx_formats(row, texts))
            path = getattr(sheet, "_worksheet_path", None)
            if path:
                merges = _merged_ranges(archive, path)
        finally:
            book.close()
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds on broken files
        raise ImportFileError("Файл .xlsx повреждён или это не книга Excel.") from None
    return _grid(values, formats=formats, merges=merges)


def _xlsx_formats(row, texts: list[str]) -> tuple[list[bool], list[bool]]:
    """(bold, centred) per cell; only filled cells are looked at (styles cost a lookup)."""
    bold, centred = [False] * len(texts), [False] * len(texts)
    for position, (cell, text) in enumerate(zip(row, texts, strict=False)):
        if not text:
            continue
        font = getattr(cell, "font", None)
        alignment = getattr(cell, "alignment", None)
        bold[position] = bool(font is not None and font.b)
        centred[position] = bool(
            alignment is not None and alignment.horizontal in ("center", "centerContinuous")
        )
    return bold, centred


MERGE_CELL = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\""
)
MAX_MERGES = 50_000


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of the sheet's merged ranges, read
    by scanning the sheet's XML in chunks (its size was checked above); 1-based."""
    name = path.lstrip("/")
    try:
        info = archive.getinfo(name)
    except KeyError:
        return []
    found: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(info) as raw:
        stream = _LimitedStream(raw, min(info.file_size, MAX_DOCUMENT_BYTES), name)
        while True:
            chunk = stream.read(1024 * 1024)
            if not chunk:
                break
            text = tail + chunk
            last = 0
            for match in MERGE_CELL.finditer(text):
                top, left = int(match.group(2)), _column(match.group(1))
                bottom, right = int(match.group(4)), _column(match.group(3))
                found.append((top, left, bottom, right))
                last = match.end()
                if len(found) > MAX_MERGES:
                    return found
            # Keep the unmatched end: a tag may be cut by the chunk's border.
            tail = text[max(last, len(text) - 200) :]
    return found


def _count_cells(texts: list[str]) -> int:
    """Non-empty cells of one row; a cell longer than the limit refuses the file."""
    filled = 0
    for text in texts:
        if text:
            filled += 1
            if len(text) > MAX_CELL_CHARS:
                raise _cell_too_long()
    return filled


MAX_COLUMNS = 60


def _too_many_rows() -> str:
    return (
        f"В таблице больше {MAX_ROWS:,} строк (предел — {MAX_ROWS:,}): разделите план на "
        "несколько файлов.".replace(",", " ")
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        # Our own exports guard formula-like text with an apostrophe: read it back as written.
        return value[1:].strip()
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(data: bytes) -> RawDocument:
    """CSV as Excel writes it: UTF-8 (with BOM or not) or Windows-1251, separated by «;»,
    «,» or tabs (sniffed from the first lines, else the most frequent of them)."""
    text = decode(data)
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = max(";,\t", key=sample.count)
    values: list[list[str]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(values) >= MAX_ROWS:
                raise ImportFileError(_too_many_rows())
            texts = [cell.strip() for cell in row[:MAX_COLUMNS]]
            cells += _count_cells(texts)
            if cells > MAX_CELLS:
                raise _too_many_cells()
            values.append(texts)
    except csv.Error:
        raise ImportFileError(
            "Не удалось разобрать CSV: проверьте разделители и кавычки."
        ) from None
    return _grid(values)


def _grid(
    values: list[list[str]],
    *,
    formats: list[tuple[list[bool], list[bool]]] | None = None,
    merges: list[tuple[int, int, int, int]] = (),
) -> RawDocument:
    """Rows of a sheet: single-cell rows above the table are the text before it."""
    width = max((len(row) for row in values), default=0)
    # The table's own width: the rightmost column that holds text somewhere.
    used = max(
        (max((i for i, c in enumerate(row) if c), default=-1) + 1 for row in values), default=0
    )
    spans: dict[int, list[tuple[int, int]]] = {}
    for top, left, _bottom, right in merges:
        if right > left:
            spans.setdefault(top, []).append((left, right))
    result = RawDocument()
    started = False
    for index, row in enumerate(values, start=1):
        row = row + [""] * (width - len(row))
        filled = [c for c in row if c]
        if not filled:
            continue
        if not started and len(filled) == 1 and width > 1:
            result.before.append(filled[0])
            continue
        started = True
        raw = RawRow(cells=row, index=index)
        if formats is not None:
            bold, centred = formats[index - 1]
            raw.bold_cells = bold + [False] * (width - len(bold))
            raw.centred_cells = centred + [False] * (width - len(centred))
            flags = [b for b, c in zip(raw.bold_cells, row, strict=False) if c]
            raw.bold = bool(flags) and all(flags)
        raw.merged = _merged_row(row, spans.get(index, ()), used)
        result.rows.append(raw)
    # Single-cell rows after the last row of the table are the text under it (concurrences).
    while (
        result.rows
        and len([c for c in result.rows[-1].cells if c]) == 1
        and _below_table(result.rows)
    ):
        result.after.insert(0, next(c for c in result.rows.pop().cells if c))
    return result


def _merged_row(row: list[str], spans, used: int) -> bool:
    """A row whose text is in one merged range over the table's width, or in the first
    column and one merged range over all the others (the heading layouts)."""
    if used < 2:
        return False
    for left, right in spans:
        if right < used:
            continue
        if left == 1 and not any(row[right:]):
            return True
        if left == 2:
            return True
    return False


def _below_table(rows: list[RawRow]) -> bool:
    """Whether the trailing single-cell rows follow an «СОГЛАСОВАНО» line (text, not table)."""
    for row in reversed(rows):
        filled = [c for c in row.cells if c]
        if len(filled) != 1:
            return False
        if filled[0].upper().startswith("СОГЛАСОВАН"):
            return True
    return False


# --- Pasted text -------------------------------------------------------------------------

ONE_CELL_LINE = re.compile(r"^\t[^\t]*$")


def read_text(text: str) -> RawDocument:
    """Text copied out of a Word table or a PDF: either one table row per line with tabs
    between cells, or one cell per line (each starting with a tab) with blank lines
    between rows. Lines without tabs before and after the table are its surroundings."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tab_lines = [line for line in lines if "\t" in line]
    if not tab_lines:
        raise ImportFileError(
            "В тексте не найдена таблица: строки таблицы должны разделяться табуляцией."
        )
    if len(tab_lines) > MAX_ROWS * 10:
        raise ImportFileError(_too_many_rows())
    one_cell = sum(1 for line in tab_lines if ONE_CELL_LINE.match(line))
    if one_cell > len(tab_lines) * 0.8:
        return _read_cell_per_line(lines)
    return _read_row_per_line(lines)


def _read_row_per_line(lines: list[str]) -> RawDocument:
    first = next(i for i, line in enumerate(lines) if "\t" in line)
    last = max(i for i, line in enumerate(lines) if "\t" in line)
    result = RawDocument(before=lines[:first], after=lines[last + 1 :])
    pending_break = False
    for index in range(first, last + 1):
        line = lines[index]
        if not line.strip():
            pending_break = True
            continue
        if "\t" not in line:
            # A line break inside a cell that lost its row: continue the last cell.
            if result.rows:
                row = result.rows[-1]
                filled = [i for i, c in enumerate(row.cells) if c]
                if filled:
                    row.cells[filled[-1]] = f"{row.cells[filled[-1]]}\n{line.strip()}"
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        result.rows.append(RawRow(cells=cells, index=index + 1, break_before=pending_break))
        pending_break = False
    return result


def _read_cell_per_line(lines: list[str]) -> RawDocument:
    result = RawDocument()
    groups: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    seen_table = False
    for index, line in enumerate(lines):
        if line.startswith("\t"):
            if current is None:
                current, start = [], index + 1
            current.append(line[1:].strip())
            seen_table = True
        elif line.strip() and current is not None and current:
            current[-1] = f"{current[-1]}\n{line.strip()}".strip()
        else:
            if current is not None:
                groups.append((start, current))
                current = None
            if line.strip():
                (result.after if seen_table else result.before).append(line)
            elif not seen_table:
                result.before.append(line)
            else:
                result.after.append(line)
    if current is not None:
        groups.append((start, current))
    width = max(len(cells) for _, cells in groups)
    # A row split by a stray blank line («10» alone, then its other cells): join it back.
    joined: list[tuple[int, list[str]]] = []
    for start, cells in groups:
        if (
            joined
            and len(joined[-1][1]) < width
            and len(joined[-1][1]) + len(cells) == width
            and len(cells) < width
        ):
            joined[-1] = (joined[-1][0], joined[-1][1] + cells)
        else:
            joined.append((start, cells))
    for start, cells in joined:
        filled = [c for c in cells if c]
        merged = len(cells) < width and len(filled) == 1
        result.rows.append(
            RawRow(cells=cells + [""] * (width - len(cells)), index=start, merged=merged)
        )
    return result
