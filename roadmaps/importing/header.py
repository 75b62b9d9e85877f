"""The text around the table: approval block, title and subtitle, period, concurrences."""

from __future__ import annotations

import datetime
import re

from .model import Approval, ParsedConcurrence

APPROVAL_WORD = re.compile(r"^\s*(УТВЕРЖДАЮ|УТВЕРЖДЕН[АЫО]?)\s*:?\s*$", re.IGNORECASE)
AGREED_WORD = re.compile(r"^\s*СОГЛАСОВАН[АЫО]?\s*:?\s*$", re.IGNORECASE)
# «С.В. Давыденко», «В.А.Бахмутов», «Давыденко С.В.»
NAME = re.compile(r"^(?:[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё-]+|[А-ЯЁ][а-яё-]+\s[А-ЯЁ]\.\s?[А-ЯЁ]\.)$")
DATE_LINE = re.compile(
    r"^«?\s*\d{0,2}\s*»?\s*_*\s*[а-я_ ]*\s*\d{4}\s*г?\.?$|^\d{1,2}\.\d{1,2}\.\d{4}\s*г?\.?$",
    re.IGNORECASE,
)
ORDER = re.compile(
    r"(?:приказ\w*\s+)?(?:от\s+)?(\d{1,2}\.\d{1,2}\.\d{4})\s*г?\.?\s*№\s*([\w\-/.]+)", re.IGNORECASE
)
ANNEX = re.compile(
    r"^Приложение\s*№?\s*\d*\s+к\s+приказу\s+(.+?)\s+от\s+(\d{1,2}\.\d{1,2}\.\d{4})\s*г?\.?\s*№\s*([\w\-/.]+)",
    re.IGNORECASE | re.S | re.M,
)
MONTHS_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_date(text: str) -> datetime.date | None:
    match = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if match:
        try:
            return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return None
    match = re.search(
        r"(\d{1,2})\s*»?\s*(" + "|".join(MONTHS_GENITIVE) + r")\s+(\d{4})", text, re.IGNORECASE
    )
    if match:
        try:
            return datetime.date(
                int(match.group(3)),
                MONTHS_GENITIVE.index(match.group(2).lower()) + 1,
                int(match.group(1)),
            )
        except ValueError:
            return None
    return None


def _signature_block(lines: list[str]) -> tuple[str, str, str, str]:
    """Position, organisation, name and date text of a signature block."""
    position, organisation, name, date_text = "", [], "", ""
    for line in lines:
        if NAME.match(line):
            name = line
        elif DATE_LINE.match(line) or parse_date(line):
            date_text = line
        elif not position:
            position = line
        elif not name:
            organisation.append(line)
    return position, " ".join(organisation), name, date_text


def parse_approval(before: list[str]) -> Approval:
    lines = [line.strip() for line in before]
    for index, line in enumerate(lines):
        if APPROVAL_WORD.match(line):
            block: list[str] = []
            seen_end = False
            for following in lines[index + 1 :]:
                if not following:
                    continue
                is_end = bool(DATE_LINE.match(following) or ORDER.search(following))
                if (
                    (seen_end and not is_end)
                    or len(block) >= 8
                    or (following.isupper() and len(following) > 12)
                ):
                    break
                block.append(following)
                seen_end = seen_end or is_end
            order_match = next((ORDER.search(b) for b in block if ORDER.search(b)), None)
            block = [b for b in block if not (ORDER.search(b) and not DATE_LINE.match(b))]
            position, organisation, name, date_text = _signature_block(block)
            return Approval(
                word=APPROVAL_WORD.match(line).group(1).upper(),
                position=position,
                organisation=organisation,
                name=name,
                date=parse_date(date_text),
                date_text=date_text,
                order=f"приказ от {order_match.group(1)} № {order_match.group(2)}"
                if order_match
                else "",
            )
    # An order with the plan as its annex: «Приложение № 1 к приказу … от 10.09.2020 № 01-10/142-2».
    text = "\n".join(lines)
    annex = ANNEX.search(text)
    if annex:
        organisation = re.sub(r"\s+", " ", annex.group(1)).strip()
        organisation = re.sub(
            r"^(отдела|управления|министерства|комитета)", lambda m: m.group(1), organisation
        )
        position, name = "", ""
        # The order is signed above its annexes: the last position/name pair before them.
        head = text[: annex.start()]
        head_lines = [line for line in head.split("\n") if line.strip()]
        for i in range(len(head_lines) - 1, -1, -1):
            if NAME.match(head_lines[i].strip()):
                name = head_lines[i].strip()
                position = head_lines[i - 1].strip() if i > 0 else ""
                break
        date = parse_date(annex.group(2))
        return Approval(
            word="УТВЕРЖДЕНО",
            position=position,
            organisation=_organisation_nominative(organisation),
            name=name,
            date=date,
            date_text=annex.group(2),
            order=f"приказ от {annex.group(2)} № {annex.group(3)}",
        )
    return Approval()


def _organisation_nominative(text: str) -> str:
    """«отдела образования администрации …» → «Отдел образования администрации …»."""
    replacements = {
        "отдела ": "Отдел ",
        "управления ": "Управление ",
        "министерства ": "Министерство ",
        "комитета ": "Комитет ",
    }
    for genitive, nominative in replacements.items():
        if text.lower().startswith(genitive):
            return nominative + text[len(genitive) :]
    return text


def parse_concurrences(lines: list[str]) -> list[ParsedConcurrence]:
    concurrences = []
    stripped = [line.strip() for line in lines]
    for index, line in enumerate(stripped):
        if not AGREED_WORD.match(line):
            continue
        block = []
        for following in stripped[index + 1 :]:
            if AGREED_WORD.match(following) or APPROVAL_WORD.match(following):
                break
            if following:
                block.append(following)
            if following and (DATE_LINE.match(following) or parse_date(following)):
                break
        position, organisation, name, date_text = _signature_block(block)
        concurrences.append(
            ParsedConcurrence(
                position=position,
                organisation=organisation,
                name=name,
                date_text=date_text,
                date=parse_date(date_text),
            )
        )
    return concurrences


PERIOD_PATTERNS = [
    (re.compile(r"(?:на\s+)?(\d{4})\s*[/-]\s*(\d{4})\s+учебн\w+\s+год", re.I), "school"),
    (re.compile(r"на\s+(\d{4})\s+год\w*\s+и\s+(?:на\s+)?период\s+до\s+(\d{4})", re.I), "years"),
    (re.compile(r"на\s+(\d{4})\s*[-–—]\s*(\d{4})\s*(?:годы|гг|г)", re.I), "years"),
    (re.compile(r"на\s+(\d{4})\s+год", re.I), "year"),
]


def parse_period(text: str) -> tuple[tuple[datetime.date, datetime.date] | None, str]:
    """The period from «на 2019-2022 годы», «на 2020 год и период до 2022 года»,
    «на 2020/2021 учебный год»; returns (period, the words as written)."""
    text = re.sub(r"\s+", " ", text.replace("–", "-").replace("—", "-"))
    for pattern, kind in PERIOD_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        first = int(match.group(1))
        if kind == "school":
            return (
                datetime.date(first, 9, 1),
                datetime.date(int(match.group(2)), 8, 31),
            ), match.group(0)
        if kind == "year":
            return (datetime.date(first, 1, 1), datetime.date(first, 12, 31)), match.group(0)
        return (
            datetime.date(first, 1, 1),
            datetime.date(int(match.group(2)), 12, 31),
        ), match.group(0)
    return None, ""


def title_block(before: list[str]) -> list[str]:
    """The heading right above the table: the lines after the approval block or the annex
    note (whichever ends last), and of those the last block separated by a blank line."""
    lines = [line.strip() for line in before]
    start = 0
    in_approval = False
    for index, line in enumerate(lines):
        if APPROVAL_WORD.match(line):
            in_approval = True
        if in_approval and (DATE_LINE.match(line) or ORDER.search(line)):
            start, in_approval = index + 1, False
        elif start == index and start and (DATE_LINE.match(line) or ORDER.search(line)):
            start = index + 1  # the order line right after the approval date
        if re.search(r"от\s+\d{1,2}\.\d{1,2}\.\d{4}", line) and any(
            lines[j].lower().startswith("приложение") for j in range(max(0, index - 4), index + 1)
        ):
            start = index + 1
    blocks = _blocks(lines[start:])
    return blocks[-1] if blocks else []
