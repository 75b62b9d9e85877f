"""Rows → plan: the header row and column mapping, sections (numbered, merged, bold)
nested by their numbers, group rows, measures, continuation rows after page breaks, and
the debris that conversions leave (column-number rows, repeated headers, empty rows)."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from .columns import HEADER_WORDS, LABELS
from .errors import ImportFileError
from .header import parse_concurrences, parse_header
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
ROMAN = re.compile(r"^[IVXLC]{1,6}\.?$")
# A number typed at the start of the text's own cell: «3.2. Работа с педагогами» (a dot is
# required, so that «2 раза в год» stays text).
TITLE_NUMBER = re.compile(r"^((?:\d{1,3}\.)+\d{0,3})\.?\s+(\S.*)$", re.S)
# A row of its own that is an item of a list: «- по математике».
BULLET = re.compile(r"^[-–—•]\s*\S")


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


@dataclass
class _Line:
    """One row of the table with what the structure is decided from."""

    row: RawRow
    values: dict[str, str]
    number: str
    title: str
    others: bool  # text in a column other than the number and the title
    key: tuple[int, ...] | None  # the number as digits, when it is a number
    layout: bool = False  # merged over the row, or a lone text in the number column
    bold: bool = False
    centred: bool = False
    broken: bool = False  # a page break stood before it
    kind: str = ""  # section, measure, skip (decided for numbered rows before the tree)


def _key(number: str) -> tuple[int, ...] | None:
    number = number[:-1] if number.endswith(")") else number  # «1)», «2.1)»
    if not NUMBER.match(number):
        return None
    return tuple(int(part) for part in number.rstrip(".").split("."))


def _nested(child: tuple[int, ...], parent: tuple[int, ...]) -> bool:
    """3.2.1. under 3.2. (and under 3.)."""
    return len(child) > len(parent) and child[: len(parent)] == parent


def _after(key: tuple[int, ...], other: tuple[int, ...]) -> bool:
    """``key`` goes on with the numbering after ``other``: 3.3. after 3.2., 4. after 3.2."""
    common = min(len(key), len(other))
    return key[: common - 1] == other[: common - 1] and key[common - 1] > other[common - 1]


def _section_number(number: str) -> str:
    return number if number.endswith(".") else number + "."


def _lines(
    rows: list[RawRow],
    start: int,
    mapping: dict[int, str],
    header_cells: list[str],
    found: dict[int, str],
    plan: ParsedPlan,
) -> list[_Line]:
    """The table's rows without debris, each with its number, text and signals."""
    number_col = next((i for i, k in mapping.items() if k == "number"), None)
    title_col = next(i for i, k in mapping.items() if k == "title")
    width = len(rows[start - 1].cells)
    lines: list[_Line] = []
    for row in rows[start:]:
        cells = [c.strip() for c in row.cells] + [""] * max(0, width - len(row.cells))
        filled = [i for i, c in enumerate(cells) if c]
        if not filled or _is_debris(cells, header_cells, found):
            continue
        values = {key: cells[i] if i < len(cells) else "" for i, key in mapping.items()}
        number, title = values.get("number", ""), values.get("title", "")
        others = any(i not in (number_col, title_col) for i in filled)
        text_at = title_col
        single = cells[filled[0]] if len(filled) == 1 else None
        # A lone text where the number goes («3. Методическое сопровождение», «2020 год»
        # typed over the row): a heading's layout, like a merged row.
        layout = (
            single is not None
            and filled[0] != title_col
            and filled[0] in (0, number_col)
            and not NUMBER.match(single)
        )
        if row.merged or layout:
            text = single if single is not None else " ".join(cells[i] for i in filled)
            text_at = filled[0]
            if row.merged and number and title and not others:
                pass  # the number cell and the title spread over the rest
            else:
                match = SECTION_NUMBER.match(text)
                roman = ROMAN_SECTION.match(text)
                if match:
                    number, title = _section_number(match.group(1)), match.group(2).strip()
                elif roman and text[len(roman.group(1)) :].startswith("."):
                    number, title = roman.group(1) + ".", roman.group(2).strip()
                elif PAGE_NUMBER.match(text):
                    plan.warnings.append(
                        Warning(row.index, f"Строка «{text}» пропущена: похоже на номер страницы.")
                    )
                    continue
                else:
                    number, title = "", text
            others = False
        elif not number and title:
            # The number typed into the text's cell: «3.2. Работа с педагогами».
            match = TITLE_NUMBER.match(title)
            if match:
                number, title = _section_number(match.group(1)), match.group(2).strip()
        if not title and single is not None and filled[0] != number_col:
            text_at = filled[0]
        line = _Line(
            row=row,
            values=values,
            number=number,
            title=title,
            others=others,
            key=_key(number),
            layout=row.merged or layout,
            broken=row.break_before,
        )
        if text_at < len(row.bold_cells):
            line.bold = row.bold_cells[text_at]
        if text_at < len(row.centred_cells):
            line.centred = row.centred_cells[text_at]
        lines.append(line)
    return lines


def _telling(lines: list[_Line], flag: str) -> bool:
    """Bold or centred text tells headings apart only when it is the exception: in a table
    set all in bold it says nothing."""
    titled = [line for line in lines if line.title]
    marked = sum(1 for line in titled if getattr(line, flag))
    return 0 < marked <= len(titled) // 2


def _continuation_like(line: _Line) -> bool:
    """An unnumbered row that may carry the rest of the previous measure."""
    return (
        line.key is None
        and (line.broken or not line.title or line.title[:1].islower())
        and not BULLET.match(line.title)
    )


def _decide_numbered(lines: list[_Line], heading) -> None:
    """Numbered rows: a section or a measure, from every signal of the row and of the rows
    around it."""
    following: list[int | None] = [None] * len(lines)
    upcoming = None
    for position in range(len(lines) - 1, -1, -1):
        following[position] = upcoming
        if lines[position].key is not None:
            upcoming = position

    def nested_next(position: int) -> bool:
        after = following[position]
        return after is not None and _nested(lines[after].key, lines[position].key)

    # Unnumbered headings over numbered measures («Организационная работа», then 1., 2.):
    # the table opens with an unnumbered row, then a 1. that nothing is nested in.
    first = lines[0] if lines else None
    under_unnumbered = (
        first is not None
        and first.key is None
        and not first.others
        and bool(first.title)
        and len(lines) > 1
        and lines[1].key == (1,)
        and not nested_next(1)
        and not heading(lines[1])
    )
    # First what a row says of itself: text in other columns makes a measure; a heading's
    # layout or format, or deeper numbers that follow («3.» → «3.1.»), a section.
    siblings: dict[tuple[int, ...], Counter] = {}
    for position, line in enumerate(lines):
        if line.key is None:
            continue
        if line.others:
            line.kind = "measure"
        elif (line.title and heading(line)) or nested_next(position):
            line.kind = "section"
        else:
            continue
        siblings.setdefault(line.key[:-1], Counter())[line.kind] += 1
    # Then the rows that say nothing of themselves (a blank form: number and title only).
    previous: _Line | None = None
    for position, line in enumerate(lines):
        if line.key is None:
            continue
        if not line.kind:
            line.kind = _decide_bare(line, lines, position, siblings, previous, under_unnumbered)
        previous = line


def _decide_bare(line, lines, position, siblings, previous, under_unnumbered) -> str:
    if not line.title:
        # A number alone: a blank line of the form to fill in, unless it is a page number
        # (no dot, out of the numbering).
        fits = (previous is None and line.key[0] == 1) or (
            previous is not None and previous.key[0] in (line.key[0] - 1, line.key[0])
        )
        return "measure" if len(line.key) > 1 or line.number.endswith(".") or fits else "skip"
    counts = siblings.get(line.key[:-1], Counter())
    if counts["measure"] and not counts["section"]:
        # Its siblings are measures: one with empty cells is still a measure.
        return "measure"
    after = lines[position + 1] if position + 1 < len(lines) else None
    if (
        not under_unnumbered
        and after is not None
        and after.key is None
        and after.title
        and not _continuation_like(after)
    ):
        # Unnumbered rows follow before the next number: they are its measures.
        return "section"
    # «3.2.» followed by «3.3.»: a measure.
    return "measure"


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
    lines = _lines(rows, header_at + 1, mapping, header_cells, found, plan)
    bold, centred = _telling(lines, "bold"), _telling(lines, "centred")

    def heading(line: _Line) -> bool:
        if line.layout:
            return True
        if line.others or BULLET.match(line.title):
            return False
        return (bold and line.bold) or (centred and line.centred)

    _decide_numbered(lines, heading)
    _assemble(plan, lines, heading)
    if _nonsense(plan):
        plan.sections.clear()
        plan.measures.clear()
        plan.children.clear()
        plan.warnings = [w for w in plan.warnings if "номер страницы" in w.message]
        for line in lines:
            if line.kind != "skip":
                line.kind = "measure"
        _assemble(plan, lines, lambda line: False, flat=True)
        plan.warnings.append(
            Warning(
                0,
                "Разделы плана не распознаны: мероприятия загружены списком, без разделов. "
                "Проверьте структуру и при необходимости расставьте разделы вручную.",
            )
        )
    elif (
        not plan.sections and plan.all_measures() and not any(m.number for m in plan.all_measures())
    ):
        plan.warnings.append(
            Warning(
                0,
                "В таблице нет ни номеров, ни разделов: мероприятия загружены списком, "
                "без разделов. Проверьте структуру.",
            )
        )

    if not plan.all_measures():
        raise ImportFileError("В таблице не найдено ни одного мероприятия.")
    _duplicates(plan)
    _header(plan, document)
    plan.warnings.sort(key=lambda warning: warning.row)  # stable: document-level ones first
    return plan


def _nonsense(plan: ParsedPlan) -> bool:
    """A structure no person would read into the table: sections without a single measure,
    or mostly empty sections."""
    sections: list[ParsedSection] = []

    def walk(items):
        for item in items:
            sections.append(item)
            walk(item.sections)

    walk(plan.sections)
    if not sections:
        return False
    if not plan.all_measures():
        return True
    empty = sum(1 for s in sections if not s.sections and not s.measures)
    return len(sections) >= 3 and empty * 2 > len(sections)


def _assemble(plan: ParsedPlan, lines: list[_Line], heading, *, flat: bool = False) -> None:
    """Place the rows in the tree, in order: sections by their numbers, unnumbered headings
    (groups) at the top or inside the section they stand in, measures in the innermost
    open section their number belongs to; continuation rows join the measure before."""
    # Open sections, outermost first: (depth, section, number key). A numbered section's
    # depth is its number's; a group inside a section sits half a level below it.
    stack: list[tuple[float, ParsedSection, tuple[int, ...] | None]] = []
    last: ParsedMeasure | None = None
    top_group_seen = False
    heading_mode = False  # unnumbered headings over numbered measures
    following: list[_Line | None] = [None] * len(lines)
    upcoming = None
    for position in range(len(lines) - 1, -1, -1):
        following[position] = upcoming
        if lines[position].key is not None:
            upcoming = lines[position]

    def attach(item, parent: ParsedSection | None) -> None:
        if parent is None:
            (plan.sections if isinstance(item, ParsedSection) else plan.measures).append(item)
            plan.children.append(item)
        else:
            (parent.sections if isinstance(item, ParsedSection) else parent.measures).append(item)
            parent.children.append(item)

    def open_section(section: ParsedSection, depth: float, key) -> None:
        while stack and stack[-1][0] >= depth:
            stack.pop()
        attach(section, stack[-1][1] if stack else None)
        stack.append((depth, section, key))

    def add_measure(line: _Line) -> ParsedMeasure:
        if line.key is not None:
            # 3.2. after the sub-section 3.1.: back to 3.; 2. after the section 1.: top level.
            while (
                stack
                and stack[-1][2] is not None
                and not _nested(line.key, stack[-1][2])
                and _after(line.key, stack[-1][2])
            ):
                stack.pop()
        measure = ParsedMeasure(
            number=line.number,
            title=line.title,
            deadline_text=line.values.get("deadline_text", ""),
            audience=line.values.get("audience", ""),
            responsible_text=line.values.get("responsible_text", ""),
            result=line.values.get("result", ""),
            status_text=line.values.get("status_text", ""),
            row=line.row.index,
        )
        if not measure.title:
            plan.warnings.append(Warning(line.row.index, "У мероприятия нет текста."))
        if not measure.number:
            plan.warnings.append(
                Warning(
                    line.row.index,
                    "Мероприятие без номера — номер оставлен пустым, как в документе.",
                )
            )
        attach(measure, stack[-1][1] if stack else None)
        return measure

    def open_group(line: _Line, after: _Line | None) -> None:
        nonlocal top_group_seen
        inner = next((entry for entry in reversed(stack) if entry[2] is not None), None)
        depth = 0.0
        if inner is not None:
            key = inner[2]
            # Inside the open section when the numbers under the heading are the section's
            # own, or when they go on after it and no heading stood at the top before.
            within = after is not None and _nested(after.key, key)
            goes_on = after is None or _after(after.key, key)
            if within or (goes_on and not top_group_seen):
                depth = inner[0] + 0.5
        top_group_seen = top_group_seen or depth == 0
        open_section(
            ParsedSection(number="", title=line.title, is_group=True, row=line.row.index),
            depth,
            None,
        )

    for position, line in enumerate(lines):
        before = lines[position - 1] if position else None
        after = lines[position + 1] if position + 1 < len(lines) else None
        if line.kind == "skip":
            plan.warnings.append(
                Warning(
                    line.row.index, f"Строка «{line.number}» пропущена: похоже на номер страницы."
                )
            )
            continue
        if line.key is not None or (line.number and not flat):
            roman = line.key is None and ROMAN.match(line.number) and not line.others
            if line.kind == "section" or (line.key is None and heading(line)) or roman:
                number = _section_number(line.number)
                # «I.», «II.» stand over the arabic numbers: 1. under I. is one level down.
                depth = len(line.key) if line.key else 0.5 if roman else _depth(number)
                open_section(
                    ParsedSection(number=number, title=line.title, row=line.row.index),
                    depth,
                    line.key,
                )
                last = None
            else:
                last = add_measure(line)
            continue
        if flat:
            if last is not None and not line.number and _continuation_like(line):
                _continue(last, line, plan)
            else:
                last = add_measure(line)
            continue
        if line.layout:
            open_group(line, following[position])
            last = None
            continue
        if BULLET.match(line.title):
            # «- …» in a row of its own is a measure; after a page break it may be the rest
            # of a list the break cut.
            if line.broken and last is not None and _open_list(last.title):
                _continue(last, line, plan)
            else:
                last = add_measure(line)
            continue
        if last is not None and _continuation_like(line):
            _continue(last, line, plan)
            continue
        if heading(line):
            open_group(line, following[position])
            last = None
            continue
        if (
            line.title
            and not line.others
            and after is not None
            and after.key is not None
            and after.kind == "measure"
        ):
            # A bare unnumbered row over numbered measures: their heading when the numbers
            # start over under it, when earlier rows like it were headings, or when it alone
            # lacks the dates and names that the measures around it have.
            starts = after.key[-1] == 1 and not (
                before is not None and before.key is not None and _nested(after.key, before.key)
            )
            between = heading_mode and before is not None and before.key is not None
            bare = (
                before is not None
                and before.key is not None
                and before.kind == "measure"
                and before.others
                and after.others
            )
            if starts or between or bare:
                heading_mode = heading_mode or starts
                open_group(line, after)
                last = None
                continue
        last = add_measure(line)


def _open_list(text: str) -> bool:
    """A text that ends in a list of «- …» lines or announces one («…:»)."""
    tail = text.rstrip()
    last_line = tail.rsplit("\n", 1)[-1].strip()
    return tail.endswith((":", ";", ",")) or bool(BULLET.match(last_line))


def _continue(measure: ParsedMeasure, line: _Line, plan: ParsedPlan) -> None:
    for key in ("title", "deadline_text", "audience", "responsible_text", "result", "status_text"):
        text = line.values.get(key, "") if key != "title" else line.title
        if text:
            current = getattr(measure, key)
            setattr(measure, key, f"{current} {text}".strip() if current else text)
    # Shown next to the measure the row was merged into (the row itself disappears).
    plan.warnings.append(Warning(measure.row, CONTINUATION_MESSAGE.format(row=line.row.index)))


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
    header = parse_header(document.before)
    plan.approval = header.approval
    plan.title, plan.subtitle = header.title or plan.title, header.subtitle
    plan.period, plan.period_text = header.period, header.period_text
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
