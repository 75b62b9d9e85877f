"""Rows → plan: the header row and column mapping, sections (numbered, merged, bold)
nested by their numbers, group rows, measures, continuation rows after page breaks, and
the debris that conversions leave (column-number rows, repeated headers, empty rows)."""

from __future__ import annotations

import datetime
import re

from .columns import HEADER_WORDS, LABELS
from .errors import ImportFileError
from .header import parse_approval, parse_concurrences, parse_period, title_block
from .model import ParsedMeasure, ParsedPlan, ParsedSection, Warning
from .readers import RawDocument, RawRow

# Column keys and the words real plans use for them (lower case, start of the header), and
# the labels of the keys: both from the one vocabulary of columns.
COLUMN_WORDS: list[tuple[str, tuple[str, ...]]] = HEADER_WORDS
COLUMN_LABELS = LABELS
SECTION_NUMBER = re.compile(r"^((?:\d{1,3}\.)*\d{1,3})\.?\s+(\S.*)$", re.S)
NUMBER = re.compile(r"^(?:\d{1,3}\.)*\d{1,3}\.?$")
# Page numbers and running footers left by conversions: «12», «- 3 -», «Страница 2 из 7».
PAGE_NUMBER = re.compile(
    r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|(?:стр\.?|страница)\s*\d{1,4}(?:\s*из\s*\d{1,4})?)$", re.I
)
CONTINUATION_MESSAGE = (
    "Строка {row} объединена с этим мероприятием: возможный перенос строки "
    "(перенос страницы разрезал строку таблицы). Проверьте текст."
)
ROMAN_SECTION = re.compile(r"^([IVXLC]+)\.?\s+(\S.*)$", re.S)


def classify_header(cells: list[str]) -> dict[int, str]:
    """Column index → key, for a row that looks like a header."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(cells):
        text = re.sub(r"\s+", " ", cell.lower()).strip()
        if not text or len(text) > 120:
            continue
        for key, words in COLUMN_WORDS:
            if key in mapping.values():
                continue
            if any(text.startswith(word) or (len(word) > 4 and word in text) for word in words):
                mapping[index] = key
                break
    keys = set(mapping.values())
    if "responsible_text" not in keys and "audience" in keys:
        # A lone «Исполнители» column names who answers for the measure.
        index = next(i for i, k in mapping.items() if k == "audience")
        text = cells[index].lower()
        if "аудитор" not in text and "участ" not in text:
            mapping[index] = "responsible_text"
    return mapping


def check_mapping(mapping: dict[int, str]) -> dict[int, str]:
    """A column mapping chosen by a person: known keys, each once, and the measure text."""
    unknown = sorted({key for key in mapping.values() if key not in COLUMN_LABELS})
    if unknown:
        raise ImportFileError(f"Неизвестное назначение столбца: {', '.join(unknown)}.")
    if len(set(mapping.values())) != len(mapping):
        raise ImportFileError(
            "Один и тот же смысл назначен двум столбцам: проверьте соответствие столбцов."
        )
    if "title" not in mapping.values():
        raise ImportFileError("Укажите, в каком столбце текст мероприятия.")
    if any(not isinstance(index, int) or index < 0 for index in mapping):
        raise ImportFileError("Номер столбца в соответствии столбцов указан неверно.")
    return dict(mapping)


def find_header(rows: list[RawRow]) -> tuple[int, dict[int, str]]:
    for position, row in enumerate(rows[:15]):
        mapping = classify_header(row.cells)
        if "title" in mapping.values() and len(mapping) >= 2:
            return position, mapping
    raise ImportFileError(
        "Не найдена строка заголовков таблицы. Ожидаются столбцы вроде «№ п/п», «Мероприятия», «Сроки», «Ответственные»."
    )


def _is_column_numbers(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return (
        len(filled) >= 2
        and all(c.rstrip(".").isdigit() for c in filled)
        and [int(c.rstrip(".")) for c in filled] == list(range(1, len(filled) + 1))
    )


def _depth(number: str) -> int:
    return len([part for part in number.rstrip(".").split(".") if part])


def _squash(cells: list[str]) -> list[str]:
    return [re.sub(r"\s+", " ", c.lower()).strip() for c in cells]


def _is_debris(cells: list[str], header: list[str], header_mapping: dict[int, str]) -> bool:
    """Rows that conversions and page breaks leave behind: column numbers «1 2 3 4 5», the
    header repeated at the top of every page, page numbers and running footers."""
    filled = [c for c in cells if c]
    if _is_column_numbers(cells):
        return True
    squashed = _squash(cells)
    if squashed[: len(header)] == header[: len(squashed)] and any(squashed):
        return True
    if len(header_mapping) >= 2 and classify_header(cells) == header_mapping:
        return True
    # A lone «12» under the number column is left to the caller (it warns about it).
    return (
        len(filled) == 1
        and bool(PAGE_NUMBER.match(filled[0]))
        and not (NUMBER.match(filled[0]) and cells[0] == filled[0])
    )


def _next_number(rows: list[RawRow], start: int, number_col: int | None) -> str:
    """The number of the next numbered row (for telling a numbered section from a measure)."""
    for row in rows[start : start + 5]:
        if number_col is not None and number_col < len(row.cells) and row.cells[number_col].strip():
            return row.cells[number_col].strip()
        first = next((c.strip() for c in row.cells if c.strip()), "")
        match = SECTION_NUMBER.match(first)
        if match:
            return match.group(1) + "."
    return ""


def _nested_under(child: str, parent: str) -> bool:
    parent = parent.rstrip(".") + "."
    return child.startswith(parent) and _depth(child) > _depth(parent)


def build_plan(document: RawDocument, *, mapping: dict[int, str] | None = None) -> ParsedPlan:
    """Recognise the plan in the rows. ``mapping`` (column index → key) overrides the
    columns recognised from the header row."""
    rows = document.rows
    if not any(any(c.strip() for c in row.cells) for row in rows):
        raise ImportFileError("Таблица пустая.")
    header_at, found = find_header(rows)
    mapping = check_mapping(mapping) if mapping else found
    plan = ParsedPlan(
        columns=[mapping[i] for i in sorted(mapping)],
        header_cells=list(rows[header_at].cells),
        mapping=dict(mapping),
    )
    header_cells = _squash(rows[header_at].cells)
    number_col = next((i for i, k in mapping.items() if k == "number"), None)
    title_col = next(i for i, k in mapping.items() if k == "title")

    stack: list[ParsedSection] = []  # open numbered sections, outermost first
    group: ParsedSection | None = None
    last: ParsedMeasure | None = None

    def add_section(section: ParsedSection) -> None:
        nonlocal group
        if section.is_group:
            # A group row («2020 год») opens a new top-level group.
            plan.sections.append(section)
            plan.children.append(section)
            group = section
            stack.clear()
            return
        depth = _depth(section.number) if section.number else (len(stack) + 1)
        while stack and (_depth(stack[-1].number) if stack[-1].number else 1) >= depth:
            stack.pop()
        parent = stack[-1] if stack else group
        if parent is None:
            plan.sections.append(section)
            plan.children.append(section)
        else:
            parent.sections.append(section)
            parent.children.append(section)
        stack.append(section)

    def add_measure(measure: ParsedMeasure) -> None:
        parent = stack[-1] if stack else group
        if parent is None:
            plan.measures.append(measure)
            plan.children.append(measure)
        else:
            parent.measures.append(measure)
            parent.children.append(measure)

    width = len(rows[header_at].cells)
    for position in range(header_at + 1, len(rows)):
        row = rows[position]
        cells = [c.strip() for c in row.cells] + [""] * max(0, width - len(row.cells))
        filled = [c for c in cells if c]
        if not filled or _is_debris(cells, header_cells, found):
            continue
        values = {key: cells[i] if i < len(cells) else "" for i, key in mapping.items()}
        number = values.get("number", "")
        title = values.get("title", "")
        others = [c for i, c in enumerate(cells) if c and i not in (number_col, title_col)]

        # Sections: a merged row, a row with text in one cell only, or a bold title row.
        single = filled[0] if len(filled) == 1 else None
        if row.merged or (
            single is not None
            and (cells[0] == single or cells[title_col] == single)
            and not others
            and number in ("", single)
        ):
            text = single if single is not None else " ".join(filled)
            match = SECTION_NUMBER.match(text)
            if match and (row.merged or cells[0] == text):
                add_section(
                    ParsedSection(
                        number=match.group(1) + ".", title=match.group(2).strip(), row=row.index
                    )
                )
            elif row.merged or cells[0] == text:
                if PAGE_NUMBER.match(text):
                    plan.warnings.append(
                        Warning(row.index, f"Строка «{text}» пропущена: похоже на номер страницы.")
                    )
                    continue
                add_section(ParsedSection(number="", title=text, is_group=True, row=row.index))
            elif last is not None and _continues(row, title):
                _continue(last, values, plan, row)
                continue
            else:
                add_section(ParsedSection(number="", title=text, is_group=True, row=row.index))
            last = None
            continue
        if number and NUMBER.match(number) and not title and not others:
            plan.warnings.append(
                Warning(row.index, f"Строка «{number}» пропущена: похоже на номер страницы.")
            )
            continue
        if number and NUMBER.match(number) and title and not others:
            # «3.» + title with every other cell empty: a section when it is bold or the
            # next numbered row is nested in it (3. → 3.1.); otherwise a bare measure.
            following = _next_number(rows, position + 1, number_col)
            if row.bold or _nested_under(following, number):
                add_section(
                    ParsedSection(
                        number=number if number.endswith(".") else number + ".",
                        title=title,
                        row=row.index,
                    )
                )
                last = None
                continue

        if not number and last is not None and _continues(row, title):
            _continue(last, values, plan, row)
            continue
        measure = ParsedMeasure(
            number=number,
            title=title,
            deadline_text=values.get("deadline_text", ""),
            audience=values.get("audience", ""),
            responsible_text=values.get("responsible_text", ""),
            result=values.get("result", ""),
            status_text=values.get("status_text", ""),
            row=row.index,
        )
        if not title:
            plan.warnings.append(Warning(row.index, "У мероприятия нет текста."))
        if not number:
            plan.warnings.append(
                Warning(
                    row.index, "Мероприятие без номера — номер оставлен пустым, как в документе."
                )
            )
        add_measure(measure)
        last = measure

    if not plan.all_measures():
        raise ImportFileError("В таблице не найдено ни одного мероприятия.")
    _duplicates(plan)
    _header(plan, document)
    plan.warnings.sort(key=lambda warning: warning.row)  # stable: document-level ones first
    return plan


def _continues(row: RawRow, title: str) -> bool:
    """An unnumbered row that carries the rest of the previous measure: a page break stood
    before it, or it has no measure text of its own, or its text goes on in lower case."""
    return row.break_before or not title or title[:1].islower()


def _continue(measure: ParsedMeasure, values: dict, plan: ParsedPlan, row: RawRow) -> None:
    for key in ("title", "deadline_text", "audience", "responsible_text", "result", "status_text"):
        text = values.get(key, "")
        if text:
            current = getattr(measure, key)
            setattr(measure, key, f"{current} {text}".strip() if current else text)
    # Shown next to the measure the row was merged into (the row itself disappears).
    plan.warnings.append(Warning(measure.row, CONTINUATION_MESSAGE.format(row=row.index)))


def _duplicates(plan: ParsedPlan) -> None:
    seen: dict[str, int] = {}
    for measure in plan.all_measures():
        if measure.number:
            if measure.number in seen:
                plan.warnings.append(
                    Warning(
                        measure.row,
                        f"Номер {measure.number} повторяется — оставлен как в документе.",
                    )
                )
            seen[measure.number] = measure.row


def _header(plan: ParsedPlan, document: RawDocument) -> None:
    plan.approval = parse_approval(document.before)
    block = title_block(document.before)
    if block:
        plan.title = block[0]
        plan.subtitle = "\n".join(block[1:])
    text = " ".join([plan.title, plan.subtitle])
    plan.period, plan.period_text = parse_period(text)
    if plan.period is None:
        plan.period, plan.period_text = parse_period(" ".join(document.before))
    if plan.period is None:
        plan.period = _period_from_contents(plan)
        if plan.period:
            plan.warnings.append(
                Warning(
                    0,
                    f"Период не указан в заголовке — принят {plan.period[0]:%d.%m.%Y}–{plan.period[1]:%d.%m.%Y} по годам в плане. Проверьте.",
                )
            )
    plan.concurrences = parse_concurrences(document.after) or parse_concurrences(document.before)


def _period_from_contents(plan: ParsedPlan) -> tuple[datetime.date, datetime.date] | None:
    years = set()
    for section in plan.sections:
        years.update(int(y) for y in re.findall(r"\b(20\d{2})\b", section.title))
    for measure in plan.all_measures():
        years.update(int(y) for y in re.findall(r"\b(20\d{2})\b", measure.deadline_text))
    if plan.approval.date:
        years.add(plan.approval.date.year)
    if not years:
        return None
    return datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)
