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
MAX_ROWS = 50_000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_CONTENT_TYPES = ("macroEnabled", "vbaProject", "ms-office.activeX")


@dataclass
class RawRow:
    cells: list[str]
    index: int  # 1-based: the line of a text file, the row of a sheet or of a Word table
    merged: bool = False  # one cell spans the whole row
    bold: bool = False
    break_before: bool = False  # a page break (blank line) stood before it in pasted text


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
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if (
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
    ):
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


def read_docx(data: bytes) -> RawDocument:
    _open_zip(data, "docx")
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception:  # noqa: BLE001 — python-docx raises many kinds on broken files
        raise ImportFileError("Файл .docx повреждён или это не документ Word.") from None
    children = list(_blocks(body, qn))
    tables = [child for child in children if child.tag == qn("w:tbl")]
    if not tables:
        raise ImportFileError("В документе нет таблицы с мероприятиями.")
    # The plan table is the largest one (documents sometimes carry small layout tables,
    # e.g. the approval and agreement blocks side by side).
    plan_table = max(tables, key=lambda tbl: len(tbl.findall(qn("w:tr"))))
    result = RawDocument()
    seen_table = False
    for child in children:
        if child is plan_table:
            seen_table = True
            result.rows = _docx_rows(child, qn)
        elif child.tag == qn("w:p"):
            (result.after if seen_table else result.before).append(_text(child, qn))
        elif child.tag == qn("w:tbl"):
            lines = [_text(p, qn) for p in child.iter(qn("w:p"))]
            (result.after if seen_table else result.before).extend(lines)
    return result


def _blocks(parent, qn):
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _blocks(child, qn)


def _text(element, qn) -> str:
    parts = []
    for node in element.iter():
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag in (qn("w:tab"),):
            parts.append(" ")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc, qn) -> str:
    """All paragraphs of a cell, including those of a table nested in it."""
    lines = []
    for child in tc.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_text(child, qn))
        elif child.tag in (qn("w:tbl"), qn("w:sdt"), qn("w:customXml")):
            lines.extend(_text(p, qn) for p in child.iter(qn("w:p")))
    return "\n".join(line.strip() for line in lines).strip()


def _int_val(element, qn, default: int) -> int:
    if element is None:
        return default
    try:
        return max(0, min(int(element.get(qn("w:val")) or default), 100))
    except ValueError:
        return default


def _table_rows(table, qn):
    for child in table.iterchildren():
        if child.tag == qn("w:tr"):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _table_rows(child, qn)


def _row_cells(tr, qn):
    for child in tr.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _row_cells(child, qn)


def _docx_rows(table, qn) -> list[RawRow]:
    """One list of cells per grid row. A horizontally merged cell (gridSpan) gives its text
    once and empty cells for the columns it covers; a vertically merged cell (vMerge) gives
    its text in its first row only. Rows that start or end short (gridBefore/gridAfter) are
    padded so every cell stays under its column."""
    rows = []
    grid_columns = len(table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")) or None
    for index, tr in enumerate(_table_rows(table, qn), start=1):
        row_props = tr.find(qn("w:trPr"))
        before = _int_val(row_props.find(qn("w:gridBefore")), qn, 0) if row_props is not None else 0
        after = _int_val(row_props.find(qn("w:gridAfter")), qn, 0) if row_props is not None else 0
        cells: list[str] = [""] * before
        bold_flags: list[bool] = []
        tcs = list(_row_cells(tr, qn))
        spans = 0
        for tc in tcs:
            props = tc.find(qn("w:tcPr"))
            span = 1
            continued = False
            if props is not None:
                span = max(1, _int_val(props.find(qn("w:gridSpan")), qn, 1))
                merge = props.find(qn("w:vMerge"))
                continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
            text = "" if continued else _cell_text(tc, qn)
            runs = [
                r
                for r in tc.iter(qn("w:r"))
                if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()
            ]
            if text:
                bold_flags.append(bool(runs) and all(_is_bold(r, qn) for r in runs))
            cells.append(text)
            cells.extend([""] * (span - 1))
            spans += span
        cells.extend([""] * after)
        filled = [c for c in cells if c]
        merged = len(tcs) == 1 and (grid_columns or spans) > 1
        if not merged and len(filled) == 1 and grid_columns and len(tcs) < grid_columns:
            # A row of fewer, wider cells carrying one text (e.g. «2020 год» over three columns).
            merged = True
        rows.append(
            RawRow(
                cells=cells, index=index, merged=merged, bold=bool(bold_flags) and all(bold_flags)
            )
        )
    return rows


def _is_bold(run, qn) -> bool:
    props = run.find(qn("w:rPr"))
    if props is None:
        return False
    bold = props.find(qn("w:b"))
    return bold is not None and bold.get(qn("w:val")) not in ("0", "false")


# --- Excel and CSV -----------------------------------------------------------------------


def read_xlsx(data: bytes) -> RawDocument:
    """The first visible sheet, values only: data_only=True reads the values Excel cached
    and never the formulas (nothing is ever evaluated)."""
    _open_zip(data, "xlsx")
    values: list[list[str]] = []
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
            sheet = (visible or book.worksheets)[0]
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                if len(values) >= MAX_ROWS:
                    raise ImportFileError(_too_many_rows())
                values.append([_cell(v) for v in row])
        finally:
            book.close()
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds on broken files
        raise ImportFileError("Файл .xlsx повреждён или это не книга Excel.") from None
    return _grid(values)


MAX_COLUMNS = 60


def _too_many_rows() -> str:
    return f"В таблице больше {MAX_ROWS} строк — разделите план на несколько файлов."


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
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(values) >= MAX_ROWS:
                raise ImportFileError(_too_many_rows())
            values.append([cell.strip() for cell in row[:MAX_COLUMNS]])
    except csv.Error:
        raise ImportFileError(
            "Не удалось разобрать CSV: проверьте разделители и кавычки."
        ) from None
    return _grid(values)


def _grid(values: list[list[str]]) -> RawDocument:
    """Rows of a sheet: single-cell rows above the table are the text before it."""
    width = max((len(row) for row in values), default=0)
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
        result.rows.append(RawRow(cells=row, index=index))
    # Single-cell rows after the last row of the table are the text under it (agreements).
    while (
        result.rows
        and len([c for c in result.rows[-1].cells if c]) == 1
        and _below_table(result.rows)
    ):
        result.after.insert(0, next(c for c in result.rows.pop().cells if c))
    return result


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
