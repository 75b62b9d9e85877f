"""The one vocabulary of a plan's columns: what a plan shows, what an export writes, what
the import recognises in a header and what it stores in which Measure field.

Pure Python (no Django), so the importer can use it; roadmaps.constants derives its
choices from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """``key`` is the Measure field, the field of ParsedMeasure and the importer's key;
    ``words`` the lower-case starts of header cells that real plans use for it."""

    key: str
    label: str
    words: tuple[str, ...]
    default: bool = True


# In the order of the document.
TABLE: tuple[Column, ...] = (
    Column("number", "№ п/п", ("№", "n п/п", "no", "номер")),
    Column(
        "title",
        "Мероприятие",
        ("мероприяти", "наименование", "содержание", "направлени", "действи"),
    ),
    Column("deadline_text", "Сроки", ("срок", "период реализации", "дата")),
    Column(
        "audience",
        "Целевая аудитория, исполнители",
        ("целевая аудитория", "участники", "исполнители"),
    ),
    Column(
        "responsible_text",
        "Ответственные",
        ("ответствен", "исполнитель"),
    ),
    Column(
        "result",
        "Предполагаемый результат",
        (
            "предполагаемый результат",
            "ожидаемый результат",
            "результат",
            "целевой индикатор",
            "показател",
        ),
    ),
    Column(
        "status_text",
        "Отметка об исполнении",
        ("отметка", "исполнение", "выполнение", "информация об исполнении"),
        default=False,
    ),
)

# The order in which a header cell is tried against the words: «Ответственный
# исполнитель» is the responsible column, «Целевая аудитория, исполнители» the audience,
# so responsibility comes first; the broad words of the title come last.
MATCH_ORDER = (
    "number",
    "deadline_text",
    "responsible_text",
    "audience",
    "result",
    "status_text",
    "title",
)

BY_KEY = {column.key: column for column in TABLE}
# Measure field → label (what a plan shows, an export writes, an import maps).
LABELS = {column.key: column.label for column in TABLE}
# Header words per key, in MATCH_ORDER.
HEADER_WORDS = [(key, BY_KEY[key].words) for key in MATCH_ORDER]
DEFAULT_KEYS = [column.key for column in TABLE if column.default]
# Keys the importer used before it spoke the field names: previews stored on import jobs
# then still load (ParsedPlan.from_stored).
OLD_KEYS = {"responsible": "responsible_text"}
