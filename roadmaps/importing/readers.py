"""Files → rows of cells and the text around the table.

Each reader checks that the file is what its name says before parsing it, and refuses
macros, encrypted files, zip bombs and oversized uploads with a Russian message."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from .errors import ImportFileError

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RawRow:
    cells: list[str]
    index: int
    merged: bool = False  # one cell spans the whole row
    bold: bool = False
    break_before: bool = False  # a page break (blank line) stood before it in pasted text


@dataclass
class RawDocument:
    before: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def read_document(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> RawDocument:
    if len(data) > max_bytes:
        raise ImportFileError(
            f"Файл больше {max_bytes // (1024 * 1024)} МБ. Разделите его или уберите лишнее (картинки, приложения)."
        )
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
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
        raise ImportFileError(
            "Файл распаковывается в слишком большой объём — такой файл не принимается."
        )
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        raise ImportFileError("Файлы с макросами не принимаются. Сохраните документ без макросов.")
    return archive


# --- Word -------------------------------------------------------------------------------


def read_docx(data: bytes) -> RawDocument:
    _open_zip(data, "docx")
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — python-docx raises many kinds on broken files
        raise ImportFileError("Файл .docx повреждён или это не документ Word.") from None
    body = document.element.body
    tables = [child for child in body.iterchildren() if child.tag == qn("w:tbl")]
    if not tables:
        raise ImportFileError("В документе нет таблицы с мероприятиями.")
    # The plan table is the largest one (documents sometimes carry small layout tables).
    plan_table = max(tables, key=lambda tbl: len(tbl.findall(qn("w:tr"))))
    result = RawDocument()
    seen_table = False
    for child in body.iterchildren():
        if child is plan_table:
            seen_table = True
            result.rows = _docx_rows(child, qn)
        elif child.tag == qn("w:p"):
            text = _text(child, qn)
            (result.after if seen_table else result.before).append(text)
        elif child.tag == qn("w:tbl"):
            lines = [_text(p, qn) for p in child.iter(qn("w:p"))]
            (result.after if seen_table else result.before).extend(lines)
    return result


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


def _docx_rows(table, qn) -> list[RawRow]:
    rows = []
    grid_columns = len(table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")) or None
    for index, tr in enumerate(table.findall(qn("w:tr"))):
        cells: list[str] = []
        bold_flags: list[bool] = []
        spans = 0
        for tc in tr.findall(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            span = 1
            continued = False
            if props is not None:
                grid = props.find(qn("w:gridSpan"))
                if grid is not None:
                    span = int(grid.get(qn("w:val")) or 1)
                merge = props.find(qn("w:vMerge"))
                continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
            paragraphs = ["".join(_text(p, qn)) for p in tc.findall(qn("w:p"))]
            text = "" if continued else "\n".join(paragraphs).strip()
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
        filled = [c for c in cells if c]
        merged = len(tr.findall(qn("w:tc"))) == 1 and (grid_columns or spans) > 1
        if (
            not merged
            and len(filled) == 1
            and grid_columns
            and len(tr.findall(qn("w:tc"))) < grid_columns
        ):
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
    archive = _open_zip(data, "xlsx")
    names = {info.filename for info in archive.infolist()}
    if "xl/workbook.xml" not in names:
        raise ImportFileError("Это не книга Excel .xlsx.")
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        values = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds on broken files
        raise ImportFileError("Файл .xlsx повреждён или это не книга Excel.") from None
    return _grid(values)


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
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if text.count(";") > text.count(",") else ","
    try:
        values = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
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
    for index, row in enumerate(values):
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
        result.rows.append(RawRow(cells=cells, index=index, break_before=pending_break))
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
                current, start = [], index
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
