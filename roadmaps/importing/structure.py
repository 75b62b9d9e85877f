"""Rows → plan: the header row and column mapping, sections (numbered, merged, bold)
nested by their numbers, group rows, measures, continuation rows after page breaks, and
the debris that conversions leave (column-number rows, repeated headers, empty rows)."""

from __future__ import annotations

import datetime
import re

from .errors import ImportFileError
from .header import parse_agreements, parse_approval, parse_period, title_block
from .model import ParsedMeasure, ParsedPlan, ParsedSection, Warning
from .readers import RawDocument, RawRow

# Column keys and the words real plans use for them (lower case, start of the header).
COLUMN_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("number", ("№", "n п/п", "no", "номер")),
    ("deadline_text", ("срок", "период реализации", "дата")),
    ("audience", ("целевая аудитория", "участники", "исполнители")),
    ("responsible", ("ответствен",)),
    (
        "result",
        (
            "предполагаемый результат",
            "ожидаемый результат",
            "результат",
            "целевой индикатор",
            "показател",
        ),
    ),
    ("status_text", ("отметка", "исполнение", "выполнение", "информация об исполнении")),
    ("title", ("мероприяти", "наименование", "содержание", "направлени", "действи")),
]
COLUMN_LABELS = {
    "number": "№ п/п",
    "title": "Мероприятие",
    "deadline_text": "Сроки",
    "audience": "Целевая аудитория, исполнители",
    "responsible": "Ответственные",
    "result": "Результат",
    "status_text": "Отметка об исполнении",
}
SECTION_NUMBER = re.compile(r"^((?:\d{1,3}\.)*\d{1,3})\.?\s+(\S.*)$", re.S)
NUMBER = re.compile(r"^(?:\d{1,3}\.)*\d{1,3}\.?$")
ROMAN_SECTION = re.compile(r"^([IVXLC]+)\.?\s+(\S.*)$", re.S)


def classify_header(cells: list[str]) -> dict[int, str]:
    """Column index → key, for a row that looks like a header."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(cells):
        text = re.sub(r"\s+", " ", cell.lower()).strip()
        if not text:
            continue
        for key, words in COLUMN_WORDS:
            if key in mapping.values():
                continue
            if any(text.startswith(word) or (len(word) > 4 and word in text) for word in words):
                mapping[index] = key
                break
    return mapping


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


def _norm(text: str) -> str:
    return text.strip()


def build_plan(document: RawDocument, *, mapping: dict[int, str] | None = None) -> ParsedPlan:
    rows = document.rows
    if not rows:
        raise ImportFileError("Таблица пустая.")
    header_at, found = find_header(rows)
    mapping = mapping or found
    plan = ParsedPlan(
        columns=[mapping[i] for i in sorted(mapping)],
        header_cells=list(rows[header_at].cells),
        mapping=dict(mapping),
    )
    if "title" not in mapping.values():
        raise ImportFileError("Укажите, в каком столбце текст мероприятия.")
    header_cells = [re.sub(r"\s+", " ", c.lower()) for c in rows[header_at].cells]
    number_col = next((i for i, k in mapping.items() if k == "number"), None)
    title_col = next(i for i, k in mapping.items() if k == "title")
    if len(set(mapping.values())) != len(mapping):
        raise ImportFileError(
            "Один и тот же смысл назначен двум столбцам: проверьте соответствие столбцов."
        )

    stack: list[ParsedSection] = []  # open numbered sections, outermost first
    group: ParsedSection | None = None
    last: ParsedMeasure | None = None

    def container_children():
        if stack:
            return stack[-1]
        return group

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
        parent = container_children()
        if parent is None:
            plan.measures.append(measure)
            plan.children.append(measure)
        else:
            parent.measures.append(measure)
            parent.children.append(measure)

    for row in rows[header_at + 1 :]:
        cells = [_norm(c) for c in row.cells] + [""] * max(
            0, len(rows[header_at].cells) - len(row.cells)
        )
        filled = [c for c in cells if c]
        if not filled:
            continue
        if _is_column_numbers(cells):
            continue
        if [re.sub(r"\s+", " ", c.lower()) for c in row.cells] == header_cells:
            continue  # the header repeated on every page
        values = {key: cells[i] if i < len(cells) else "" for i, key in mapping.items()}
        number = values.get("number", "")
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
                add_section(ParsedSection(number="", title=text, is_group=True, row=row.index))
            elif last is not None and row.break_before:
                _continue(last, values, plan, row)
            else:
                add_section(ParsedSection(number="", title=text, is_group=True, row=row.index))
            last = None if not (row.break_before and last) else last
            continue
        if number and NUMBER.match(number) and not values.get("title") and not others:
            continue  # a stray number cell
        if number and NUMBER.match(number) and row.bold and not others:
            add_section(
                ParsedSection(
                    number=number if number.endswith(".") else number + ".",
                    title=values.get("title", ""),
                    row=row.index,
                )
            )
            last = None
            continue

        title = values.get("title", "")
        if (
            not number
            and last is not None
            and (row.break_before or not title or title[:1].islower())
        ):
            _continue(last, values, plan, row)
            continue
        measure = ParsedMeasure(
            number=number,
            title=title,
            deadline_text=values.get("deadline_text", ""),
            audience=values.get("audience", ""),
            responsible=values.get("responsible", ""),
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

    _duplicates(plan)
    _header(plan, document)
    if not plan.all_measures():
        raise ImportFileError("В таблице не найдено ни одного мероприятия.")
    return plan


def _continue(measure: ParsedMeasure, values: dict, plan: ParsedPlan, row: RawRow) -> None:
    for key in ("title", "deadline_text", "audience", "responsible", "result", "status_text"):
        text = values.get(key, "")
        if text:
            current = getattr(measure, key)
            setattr(measure, key, f"{current} {text}".strip() if current else text)
    # Shown next to the measure the row was merged into (the row itself disappears).
    plan.warnings.append(
        Warning(
            measure.row,
            f"Строка {row.index + 1} продолжает это мероприятие (перенос страницы) и объединена с ним — проверьте текст.",
        )
    )


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
    plan.agreements = parse_agreements(document.after) or parse_agreements(document.before)


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
