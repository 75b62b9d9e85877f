"""The text around the table: approval block, title and subtitle, period, concurrences.

Pure Python (no Django). The input is the list of lines the readers give for the text
above (or below) the plan table: paragraphs, the paragraphs of layout tables (an approval
block in the left or right cell of a two-column table comes out as its lines, cell after
cell), lines of pasted text; a line may hold manual line breaks.

What real headers look like, and what is read from them:

* a stamp word «УТВЕРЖДАЮ» / «УТВЕРЖДЕНО» / «УТВЕРЖДЕН(А)», alone on its line or followed
  by the rest of the block on the same line («УТВЕРЖДЕНО приказом управления образования
  от 10.09.2020 № 142»);
* the signer's position over one or several lines (kept with its line breaks), the
  organisation when a line names one («муниципального образования», «администрации …»,
  «МБОУ СОШ № 5»), the name («С.В. Давыденко», «Давыденко С.В.», «_____ /И.И. Иванов/»);
* a date in any of the forms people type («20» 02 2020, «"12" _____ 2019 г.» (blank month:
  the text is kept, the date is not guessed), 10.09.2020г, “20” февраля 2020 года);
* an order («приказ от 10.09.2020 № 01-10/142-2», «Приказ № 45 от 31.08.2020», «приказом
  управления образования … от 10 сентября 2020 г. № 142»), or the note of an order whose
  annex the plan is («Приложение № 1 к приказу отдела образования … от … № …»);
* the heading: «ДОРОЖНАЯ КАРТА» / «План мероприятий» and the lines that continue it,
  joined into one title («Дорожная карта по повышению качества образования в МБОУ СОШ № 5
  на 2020–2022 годы»), the period stated in it or on a line of its own
  («Период: 01.01.2020 – 31.12.2022»);
* «СОГЛАСОВАНО» blocks (above the table in a layout table, or under it).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .model import Approval, ParsedConcurrence

# --- Vocabulary -------------------------------------------------------------------------

QUOTES = "«»\"“”„'‘’‹›"
# The mark and the label our own exports (and the plan page) put above a draft's header:
# read back, they are recognised and skipped.
DRAFT_MARK = "ПРОЕКТ"
DOCUMENT_STAMP_LABEL = "Гриф утверждения в документе:"
PERIOD_LABEL = "Период:"

APPROVAL_WORD = re.compile(r"^(УТВЕРЖДАЮ|УТВЕРЖДЕН[АЫО]?)(?![а-яё])\s*:?\s*(.*)$", re.I)
AGREED_WORD = re.compile(r"^(СОГЛАСОВАН[АЫО]?)(?![а-яё])\s*:?\s*(.*)$", re.I)
# Stamps that are neither approval nor concurrence («ПРИНЯТО на педагогическом совете»):
# their blocks are skipped, never read as the title.
OTHER_STAMP = re.compile(r"^(ПРИНЯТ[АЫО]?|РАССМОТРЕН[АЫО]?|ОДОБРЕН[АЫО]?)(?![а-яё])", re.I)
PROJECT_MARK = re.compile(r"^ПРОЕКТ\s*\.?$", re.I)
STAMP_LABEL = re.compile(r"^Гриф\s+утверждения(?:\s+в\s+документе)?\s*:?$", re.I)
STAMP_PLACE = re.compile(r"^\(?\s*М\.\s?П\.\s*\)?$", re.I)

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
_MONTH_WORD = "|".join(MONTHS_GENITIVE)
_Q = re.escape(QUOTES)
_YEAR_SUFFIX = r"(?:\s*(?:года|год|г\.?)(?![а-яё]))?"
# One date as written, without the leading «от»: dotted, or day (quoted or not, maybe
# blank) + month (word, number or blank) + year (maybe blank: «20__»).
DATE_DOTTED = r"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?!\d)"
DATE_WORDS = (
    rf"(?:[{_Q}]\s*(?:\d{{1,2}}|_*)\s*[{_Q}]|\d{{1,2}}|_+)?\s*_*\s*"
    rf"(?:(?:{_MONTH_WORD})|\d{{1,2}}|_+)?\s*_*\s*(?:\d{{4}}|\d{{2}}_+|_{{2,}})(?!\d)"
)
DATE_TEXT = rf"(?:{DATE_DOTTED}|{DATE_WORDS})"
_DATE_LINE = re.compile(rf"^(?:(?:дата|от)\s*:?\s*)?(?P<date>{DATE_TEXT}{_YEAR_SUFFIX})\.?$", re.I)
# A date at the end of a line that holds something else before it (a name, a signature).
_DATE_AT_END = re.compile(rf"(?:^|\s)(?:от\s+)?(?P<date>{DATE_TEXT}{_YEAR_SUFFIX})\.?$", re.I)

# Orders: the kind of act (as written, in any case form), the issuer between it and the
# date/number («приказом управления образования от …»), the date and the number, in either
# order («от 10.09.2020 № 142», «№ 142 от 10.09.2020»).
_KINDS = {
    "приказ": "приказ",
    "распоряжени": "распоряжение",
    "постановлени": "постановление",
    "решени": "решение",
    "протокол": "протокол",
}
_KIND = r"(?P<kind>приказ(?:ом|у|а)?|распоряжени(?:ем|ю|е|я)|постановлени(?:ем|ю|е|я)|решени(?:ем|ю|е|я)|протокол(?:ом|у|а)?)"
_ISSUER = r"(?:\s+(?P<issuer>(?:(?!\bот\b)[^()]){1,200}?))?"
_ORDER_DATE = rf"(?P<date>{DATE_DOTTED}|(?:[{_Q}]\s*)?\d{{1,2}}\s*[{_Q}]?\s*(?:{_MONTH_WORD})\s+\d{{4}}|[{_Q}]\s*(?:\d{{1,2}}|_*)\s*[{_Q}]\s*_*\s*(?:(?:{_MONTH_WORD})|\d{{1,2}}|_+)\s*_*\s*(?:\d{{4}}|\d{{2}}_+))"
_ORDER_NUMBER = r"(?P<number>[\w\-/.]*\w|_+)"
# The date first, then the number; tried before the other order, so that in «приказом
# директора МБОУ СОШ № 5 от 31.08.2020 № 45» the school's number stays in the issuer.
ORDER_DATE_FIRST = re.compile(
    rf"(?:{_KIND}{_ISSUER}\s+)?(?:от\s+)?{_ORDER_DATE}{_YEAR_SUFFIX}\.?\s*№\s*{_ORDER_NUMBER}",
    re.I,
)
ORDER_NUMBER_FIRST = re.compile(
    rf"(?:{_KIND}{_ISSUER}\s+)?№\s*{_ORDER_NUMBER}\s+от\s+{_ORDER_DATE}{_YEAR_SUFFIX}", re.I
)
ANNEX_START = re.compile(r"^Приложение(?![а-яё])", re.I)
ANNEX = re.compile(
    r"^Приложение\s*(?:№\s*)?[\dIVX]*\.?\s*к\s+(?:приказу|постановлению|распоряжению|решению)\b",
    re.I,
)
_ANNEX_KIND = {
    "приказу": "приказ",
    "постановлению": "постановление",
    "распоряжению": "распоряжение",
    "решению": "решение",
}

# Names: «С.В. Давыденко», «В.А.Бахмутов», «Давыденко С.В.», «Давыденко Светлана Викторовна».
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
NAME_CORE = (
    rf"[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?{_SURNAME}"
    rf"|{_SURNAME}\s[А-ЯЁ]\.\s?[А-ЯЁ]\.?"
    rf"|{_SURNAME}\s[А-ЯЁ][а-яё]+\s[А-ЯЁ][а-яё]+(?:вич|вна|ична|чна|ич)"
)
NAME = re.compile(rf"^(?:{NAME_CORE})$")
_NAME_AT_END = re.compile(rf"(?:^|\s)(?P<name>{NAME_CORE})$")
_NAME_AT_START = re.compile(rf"^(?P<name>{NAME_CORE})(?:\s|$)")
# Signature debris around a name: lines to sign on, slashes, «(подпись)».
_SIGNATURE = re.compile(r"_{2,}|(?<!\S)/|/(?!\S)|\(?подпись\)?|\(?ф\.?\s?и\.?\s?о\.?\)?", re.I)

# A line that names an organisation (it starts the organisation part of a signature block).
ORG_START = re.compile(
    r"^(?:муниципальн|администрац|управлени|отдел(?:а|е|ом)?\b|комитет|министерств|департамент"
    r"|центр|учреждени|организаци|образовательн\w*\s+(?:учрежд|организ)|школ|гимнази|лице[йяе]"
    r"|город|район|округ|област|кра[яй]\b|г\.\s?[А-ЯЁ]|[«\"“]|[А-ЯЁ]{2,}(?:[\s«\"“]|$))",
)

# Kept in capitals when a shouting heading is put in sentence case.
_ABBREVIATION_TEXT = """
МБОУ МАОУ МКОУ МОУ ГБОУ ГАОУ ГКОУ ЧОУ НОУ МБУ МКУ МАУ ГБУ ГАУ ГКУ МБДОУ МАДОУ МКДОУ ДОУ ДОО
МБУДО МАУДО МКУДО ДПО СПО СОШ ООШ НОШ СШ ШНОР ШНСУ ОО ОУ ООО НОО СОО ЦРО РЦРО ИРО ИМЦ ТМС
ЦМТО ЦДиК ГИА ОГЭ ЕГЭ ГВЭ ВПР НИКО РФ МО ГО МР РО УО ФГОС ООП ИОМ ИКТ ЦОС ЦОР ЭОР ОВЗ ППк
ПМПК КРЦ МСОКО РСОКО ЦОКО ЦНППМ ЦНППМПР ИПК ИПКРО ВУЗ УВР НМР СМИ РМО ШМО ГМО МСО КПК ЦДО
PISA TIMSS PIRLS
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
_VOWELS = set("АЕЁИОУЫЭЮЯаеёиоуыэюя")

TITLE_START = re.compile(
    rf"^[{_Q}]?\s*(?:(?:муниципальн|школьн|сетев|региональн|межведомственн|комплексн|единый"
    r"|совместн|общ)\w*\s+)*(?:дорожн\w+\s+карт\w*|план(?:ы)?\b|комплекс\s+мер|программ\w*"
    r"|перечень\s+мероприятий)",
    re.I,
)
# Another name of the document kind in parentheses belongs to the title: «(план мероприятий)».
_KIND_IN_PARENTHESES = re.compile(r"^\((?:[^)]*(?:дорожн|план|программ|комплекс)[^)]*)\)$", re.I)
# «Цель:», «Ответственный исполнитель:» — a labelled line ends the heading.
_LABEL = re.compile(r"^[А-ЯЁA-Z][а-яёa-z]+(?:\s+[а-яёa-z]+){0,3}\s*:")
_PERIOD_LINE = re.compile(
    r"^(?:период\w*|срок\w*)(?:\s+(?:реализации|действия|исполнения))?(?:\s+\w+)?\s*:", re.I
)
_SENTENCE_END = re.compile(r"(?<!\bг)(?<!\bгг)(?<!\bим)(?<!\bст)(?<!\bобл)(?<!\bул)\.$")
_YEAR_RANGE = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})(?![\d.])")
MAX_TITLE_LINES = 10
MAX_TITLE_CHARS = 900  # the title field holds 1000
MAX_SUBTITLE_LINES = 6
# A line of a signature block or an annex note is short; a longer one is body text.
MAX_SIGNATURE_LINE = 300


@dataclass
class ParsedHeader:
    """Everything read from the text above the table (what ``structure`` puts on the plan)."""

    approval: Approval = field(default_factory=Approval)
    title: str = ""
    subtitle: str = ""
    period: tuple[datetime.date, datetime.date] | None = None
    period_text: str = ""


# --- Lines ------------------------------------------------------------------------------


def _lines(raw: list[str]) -> list[str]:
    """One stripped line per visual line; spaced-out stamps («У Т В Е Р Ж Д А Ю») closed up."""
    lines: list[str] = []
    for item in raw:
        for line in (item or "").replace("\xa0", " ").replace("\t", " ").split("\n"):
            line = re.sub(r" {2,}", " ", line.strip())
            if re.fullmatch(r"(?:[А-ЯЁ] ){3,}[А-ЯЁ]\s?:?", line):
                line = line.replace(" ", "")
            lines.append(line)
    return lines


def _is_stamp(line: str) -> bool:
    return bool(APPROVAL_WORD.match(line) or AGREED_WORD.match(line) or OTHER_STAMP.match(line))


def _is_mark(line: str) -> bool:
    return bool(PROJECT_MARK.match(line) or STAMP_LABEL.match(line))


def _is_title_start(line: str) -> bool:
    return bool(TITLE_START.match(line) and len(line) <= 300 and not re.match(r"^[\d\-–—•]", line))


# --- Dates, names, orders ---------------------------------------------------------------


def _valid_date(year: int, month: int, day: int) -> datetime.date | None:
    if year < 100:
        year += 2000
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    """The date in a text as people write it; None when a part is blank or impossible."""
    match = re.search(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)", text)
    if match:
        return _valid_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    match = re.search(
        rf"(?<!\d)(\d{{1,2}})\s*[{_Q}]?\s*({_MONTH_WORD})\s+(\d{{4}})(?!\d)", text, re.I
    )
    if match:
        month = MONTHS_GENITIVE.index(match.group(2).lower()) + 1
        return _valid_date(int(match.group(3)), month, int(match.group(1)))
    match = re.search(
        rf"[{_Q}]\s*(\d{{1,2}})\s*[{_Q}]\s*(\d{{1,2}})\s+(\d{{4}})(?!\d)|"
        rf"(?<![\d.])(\d{{1,2}})\s+(\d{{1,2}})\s+(\d{{4}})(?!\d)",
        text,
    )
    if match:
        day, month, year = (g for g in match.groups() if g is not None)
        return _valid_date(int(year), int(month), int(day))
    return None


def _date_line(line: str) -> str | None:
    """The date text when the whole line is a date (possibly with blanks), else None."""
    cleaned = line.strip()
    match = _DATE_LINE.match(cleaned)
    if not match or not _looks_like_date(match.group("date")):
        return None
    return match.group("date").strip()


def _looks_like_date(text: str) -> bool:
    """A year alone is not a date; quotes, a month, dots, «г.» or underscores make one."""
    if not re.search(r"\d{4}|\d{2}_|_{2,}", text):
        return False
    return bool(
        re.search(rf"[{_Q}]|{_MONTH_WORD}|\d\.\d|(?<![а-яё])г(?:ода?|\.|$)|_|\d\s+\d", text, re.I)
    )


def _split_date(line: str) -> tuple[str, str]:
    """(the rest of the line, the date written at its end) — «_____ И.И. Иванов «20» мая 2020»."""
    match = _DATE_AT_END.search(line)
    if match and _looks_like_date(match.group("date")) and match.start() > 0:
        rest = line[: match.start()].strip()
        if rest and not re.fullmatch(rf"[\s_{_Q}\d]*", rest):
            return rest, match.group("date").strip()
    return line, ""


def _clean_signature(line: str) -> str:
    return re.sub(r"\s{2,}", " ", _SIGNATURE.sub(" ", line)).strip(" ,;")


def _split_name(line: str) -> tuple[str, str]:
    """(what is left, the name) for a line that holds a signer's name."""
    cleaned = _clean_signature(line)
    if NAME.match(cleaned):
        return "", cleaned
    match = _NAME_AT_END.search(cleaned)
    if match:
        return cleaned[: match.start()].strip(), match.group("name")
    match = _NAME_AT_START.match(cleaned)
    if match and _clean_signature(cleaned[match.end() :]) == "":
        return "", match.group("name")
    return line, ""


def find_order(text: str) -> re.Match | None:
    """An order («приказ от 10.09.2020 № 142», «№ 45 от 31.08.2020») in a text."""
    return ORDER_DATE_FIRST.search(text) or ORDER_NUMBER_FIRST.search(text)


def _order_from(match: re.Match) -> tuple[str, str, str]:
    """(order as stored, date as written, issuer) of an order match."""
    date_text = match.group("date").strip()
    number = match.group("number").strip().rstrip(".")
    written = (match.group("kind") or "приказ").lower()
    kind = next((name for stem, name in _KINDS.items() if written.startswith(stem)), "приказ")
    date = parse_date(date_text)
    shown = f"{date:%d.%m.%Y}" if date else date_text
    issuer = (match.group("issuer") or "").strip(" ,")
    return f"{kind} от {shown} № {number}", date_text, issuer


_NOMINATIVE = {
    "отдела ": "Отдел ",
    "управления ": "Управление ",
    "министерства ": "Министерство ",
    "комитета ": "Комитет ",
    "департамента ": "Департамент ",
    "администрации ": "Администрация ",
    "педагогического совета": "Педагогический совет",
    "методического совета": "Методический совет",
    "управляющего совета": "Управляющий совет",
}


# «приказом директора МБОУ СОШ № 5»: the signer's position before the organisation.
_ISSUER_POSITION = re.compile(
    r"^(?:директора|начальника|заведующего|руководителя|главы|председателя|ректора)\s+", re.I
)


def _organisation_nominative(text: str) -> str:
    """«отдела образования администрации …» → «Отдел образования администрации …»."""
    for genitive, nominative in _NOMINATIVE.items():
        if text.lower().startswith(genitive):
            return nominative + text[len(genitive) :]
    return text


# --- Signature blocks -------------------------------------------------------------------


@dataclass
class _Signature:
    position: str = ""
    organisation: str = ""
    name: str = ""
    date_text: str = ""
    date: datetime.date | None = None
    order: str = ""
    issuer: str = ""


def _line_kind(line: str) -> str:
    if STAMP_PLACE.match(line) or not re.sub(r"[_\s/]", "", line):
        return "blank"
    if _date_line(line):
        return "date"
    if find_order(line) or re.match(r"^(?:№|от\s+\S*\d)", line, re.I):
        return "order"
    rest, name = _split_name(line)
    if name:
        return "name"
    rest, date = _split_date(line)
    if date and _split_name(rest)[1]:
        return "name+date"
    return "text"


def _collect(lines: list[str], start: int, rest: str) -> tuple[list[str], int]:
    """The lines of a signature block whose stamp word is on line ``start`` (``rest`` is the
    text after the word on that line); returns them and the index after the block."""
    block = [rest] if rest else []
    seen_end = bool(rest and (_date_line(rest) or find_order(rest)))
    seen_name = bool(rest and _line_kind(rest) in ("name", "name+date"))
    end = start + 1
    index = start + 1
    while index < len(lines) and len(block) < 12:
        line = lines[index]
        index += 1
        if not line:
            continue
        if (
            _is_stamp(line)
            or _is_mark(line)
            or _is_title_start(line)
            or ANNEX_START.match(line)
            or _PERIOD_LINE.match(line)
            or (line.isupper() and len(line) > 12 and not ORG_START.match(line))
            or len(line) > MAX_SIGNATURE_LINE
        ):
            break
        kind = _line_kind(line)
        if kind == "blank":
            end = index
            continue
        if seen_end and kind not in ("date", "order") and not (kind == "name" and not seen_name):
            break
        if seen_name and kind == "text":
            break
        block.append(line)
        end = index
        seen_end = seen_end or kind in ("date", "order", "name+date")
        seen_name = seen_name or kind in ("name", "name+date")
    return block, end


def _signature(block: list[str]) -> _Signature:
    """Position, organisation, name, date and order of a signature block's lines."""
    result = _Signature()
    # Orders may run over lines («приказом управления образования» / «от … № …»): they are
    # found in the joined text and the lines they cover are taken out.
    joined, spans, offset = "", [], 0
    for line in block:
        spans.append((offset, offset + len(line)))
        joined += line + " "
        offset += len(line) + 1
    match = find_order(joined)
    lines = list(block)
    if match:
        result.order, order_date, result.issuer = _order_from(match)
        kept = []
        for line, (first, last) in zip(block, spans, strict=True):
            if last <= match.start() or first >= match.end():
                kept.append(line)
                continue
            # What the line holds besides the order: «Директор … приказ от …», «… № 5 М.П.».
            prefix = joined[first : match.start()].strip() if first < match.start() else ""
            suffix = joined[match.end() : last].strip(" .,;") if last > match.end() else ""
            kept.extend(part for part in (prefix, suffix) if part)
        lines = kept
        result.date_text = order_date
    date_from_line = ""
    texts: list[str] = []
    for line in lines:
        kind = _line_kind(line)
        if kind == "blank":
            continue
        if kind == "date":
            date_from_line = date_from_line or _date_line(line) or ""
            continue
        rest, date = _split_date(line)
        if date and not date_from_line:
            date_from_line, line = date, rest
        rest, name = _split_name(line)
        if name and not result.name:
            result.name = name
            line = rest
        line = _clean_signature(line) if name or date else line
        if line and re.search(r"[А-ЯЁA-Zа-яёa-z]", line):
            texts.append(line)
    if date_from_line:
        result.date_text = date_from_line
    result.date = parse_date(result.date_text) if result.date_text else None
    position, organisation = [], []
    for index, text in enumerate(texts):
        if index == 0:
            position.append(text)
        elif organisation or ORG_START.match(text) or not text[:1].islower():
            organisation.append(text)
        else:
            position.append(text)
    result.position = "\n".join(position)
    result.organisation = " ".join(organisation)
    if not result.organisation and result.issuer:
        result.organisation = _organisation_nominative(_ISSUER_POSITION.sub("", result.issuer))
    return result


def parse_approval(before: list[str]) -> Approval:
    """The «УТВЕРЖДАЮ / УТВЕРЖДЕНО» block, or the order the plan is an annex of."""
    lines = _lines(before)
    for index, line in enumerate(lines):
        match = APPROVAL_WORD.match(line)
        if not match:
            continue
        block, _ = _collect(lines, index, match.group(2).strip())
        signature = _signature(block)
        return Approval(
            word=match.group(1).upper(),
            position=signature.position,
            organisation=signature.organisation,
            name=signature.name,
            date=signature.date,
            date_text=signature.date_text,
            order=signature.order,
        )
    return _annex_approval(lines)


def _annex(lines: list[str], index: int) -> tuple[re.Match | None, str, int]:
    """The order of an annex note starting on line ``index`` («Приложение № 1» / «к приказу
    …» / «от … № …», on one line or several): (match, the note's text, index after it)."""
    text = ""
    for position in range(index, min(index + 6, len(lines))):
        if not lines[position]:
            continue
        text = f"{text} {lines[position]}".strip()
        if len(text) > 3 * MAX_SIGNATURE_LINE:
            break
        if (
            position > index
            and not ANNEX.match(text)
            and not re.match(r"^Приложение\s*(?:№\s*)?[\dIVX]*\.?$", text, re.I)
        ):
            break
        match = find_order(text)
        if match and ANNEX.match(text):
            return match, text, position + 1
    return None, text, index + 1


def _annex_approval(lines: list[str]) -> Approval:
    """An order with the plan as its annex: «Приложение № 1 к приказу … от 10.09.2020 № 01-10/142-2»."""
    for index, line in enumerate(lines):
        if not ANNEX_START.match(line):
            continue
        match, text, _ = _annex(lines, index)
        if match is None:
            continue
        kind_word = re.search(r"к\s+(\w+)", text, re.I).group(1).lower()
        order, date_text, issuer = _order_from(match)
        if not match.group("kind"):
            issuer = text[ANNEX.match(text).end() : match.start()]
        issuer = re.sub(r"\s+", " ", issuer).strip()
        order = order.replace("приказ ", f"{_ANNEX_KIND.get(kind_word, 'приказ')} ", 1)
        # The order is signed above its annexes: the last position/name pair before them.
        position, name = "", ""
        head_lines = [h for h in lines[:index] if h]
        for back in range(len(head_lines) - 1, -1, -1):
            rest, found = _split_name(head_lines[back])
            if found:
                name = found
                position = rest or (head_lines[back - 1] if back > 0 else "")
                break
        return Approval(
            word="УТВЕРЖДЕНО",
            position=position,
            organisation=_organisation_nominative(issuer),
            name=name,
            date=parse_date(date_text),
            date_text=date_text,
            order=order,
        )
    return Approval()


def parse_concurrences(lines: list[str]) -> list[ParsedConcurrence]:
    """Every «СОГЛАСОВАНО» block, in the order of the document."""
    concurrences = []
    stripped = _lines(lines)
    for index, line in enumerate(stripped):
        match = AGREED_WORD.match(line)
        if not match:
            continue
        block, _ = _collect(stripped, index, match.group(2).strip())
        signature = _signature(block)
        concurrences.append(
            ParsedConcurrence(
                position=signature.position,
                organisation=signature.organisation,
                name=signature.name,
                date_text=signature.date_text,
                date=signature.date,
            )
        )
    return concurrences


# --- Period -----------------------------------------------------------------------------

_EXPLICIT_PERIOD = re.compile(
    r"(?P<label>(?:период\w*|срок\w*)(?:\s+(?:реализации|действия|исполнения))?(?:\s+\w+)?\s*:?\s*)?"
    r"(?P<from>с\s+)?(?P<a>\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?|года)?\s*(?:-|по|до)\s*"
    r"(?P<b>\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?|года)?(?:\s*\((?P<words>[^)]*)\))?",
    re.I,
)
_SCHOOL_YEARS = re.compile(
    r"(?:на\s+)?((?:\d{4}\s*[/-]\s*\d{4}\s*(?:,|и)?\s*)+)(?:учебн\w*|уч\.)\s+год\w*", re.I
)
_YEAR_AND_PLANNING = re.compile(
    r"на\s+(\d{4})\s+год\w*\s+и\s+(?:на\s+)?(?:плановый\s+)?период\w*\s+(?:до\s+)?"
    r"(?:\d{4}\s+(?:и|-)\s+)?(\d{4})\s*(?:год\w*|гг?\.?)?",
    re.I,
)
_YEAR_SPAN = re.compile(
    r"(?:на\s+(?:период\s+)?(?:с\s+)?(\d{4})\s*(?:-|по|до)\s*(\d{4})\s*(?:годы|годов|года|год|г\.\s?г\.|гг\.?|г\.?)"
    r"|(?<![\d.])(\d{4})\s*-\s*(\d{4})\s*(?:годы|годов|г\.\s?г\.|гг\.?))",
    re.I,
)
_ONE_YEAR = re.compile(r"на\s+(\d{4})\s*(?:год\w*|г\.)", re.I)


def _year(value: str) -> int | None:
    year = int(value)
    return year if 1990 <= year <= 2100 else None


def _dated_period(text: str) -> tuple[tuple[datetime.date, datetime.date] | None, str]:
    """A period written with dates and a label or «с … по …»; the words in parentheses."""
    text = re.sub(r"\s+", " ", text.replace("–", "-").replace("—", "-"))
    for match in _EXPLICIT_PERIOD.finditer(text):
        if not (match.group("label") or match.group("from")):
            continue
        first, last = parse_date(match.group("a")), parse_date(match.group("b"))
        if first and last and first <= last:
            return (first, last), (match.group("words") or "").strip()
    return None, ""


def parse_period(text: str) -> tuple[tuple[datetime.date, datetime.date] | None, str]:
    """The period from «Период: 01.01.2020 – 31.12.2022», «с 01.09.2020 по 31.08.2021»,
    «на 2019-2022 годы», «на 2020 год и период до 2022 года», «на 2020/2021 учебный год»;
    returns (period, the words as written — empty when only dates are written)."""
    text = re.sub(r"\s+", " ", text.replace("–", "-").replace("—", "-"))
    dated, words = _dated_period(text)
    if dated:
        return dated, words
    match = _SCHOOL_YEARS.search(text)
    if match:
        years = [_year(y) for y in re.findall(r"\d{4}", match.group(1))]
        if all(years) and min(years) < max(years) <= min(years) + 10:
            return (
                datetime.date(min(years), 9, 1),
                datetime.date(max(years), 8, 31),
            ), match.group(0).strip()
    for pattern in (_YEAR_AND_PLANNING, _YEAR_SPAN):
        for match in pattern.finditer(text):
            groups = [g for g in match.groups() if g]
            first, last = _year(groups[0]), _year(groups[-1])
            if first and last and first <= last <= first + 10:
                return (
                    datetime.date(first, 1, 1),
                    datetime.date(last, 12, 31),
                ), match.group(0).strip()
    match = _ONE_YEAR.search(text)
    if match and _year(match.group(1)):
        first = int(match.group(1))
        return (datetime.date(first, 1, 1), datetime.date(first, 12, 31)), match.group(0).strip()
    return None, ""


# --- Title ------------------------------------------------------------------------------


def _is_abbreviation(token: str) -> bool:
    letters = token.strip(QUOTES + ".,;:()!?")
    if not letters or letters in ABBREVIATIONS:
        return True
    if not re.search(r"[А-ЯЁа-яё]", letters):
        return True  # numbers, Latin names (PISA), «№»
    return len(letters) >= 2 and not (set(letters) & _VOWELS)


def _shouting(line: str) -> bool:
    """All words in capitals (abbreviations aside), at least one of them a real word."""
    words = re.findall(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*", line)
    real = [w for w in words if not all(_is_abbreviation(p) for p in w.split("-"))]
    return bool(real) and all(w.isupper() for w in real) and any(len(w) >= 3 for w in real)


def _quiet(line: str) -> str:
    """An all-capitals line in lower case, abbreviations kept and quoted names capitalised."""
    if not _shouting(line):
        return line

    def lower(match: re.Match) -> str:
        word = match.group(0)
        parts = word.split("-")
        return "-".join(p if _is_abbreviation(p) else p.lower() for p in parts)

    text = re.sub(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*", lower, line)
    # A quoted name keeps its capital: «ЦЕНТР РАЗВИТИЯ» → «Центр развития».
    return re.sub(
        r"(«|(?:^|(?<=[\s(]))[\"'“„])([а-яё])", lambda m: m.group(1) + m.group(2).upper(), text
    )


def _join_title(lines: list[str]) -> str:
    text = ""
    for line in (_quiet(line) for line in lines):
        if text.endswith("-") and re.search(r"[а-яё]-$", text) and line[:1].islower():
            text += line
        else:
            text = f"{text} {line}" if text else line
    text = re.sub(r"\s+([,;:.)»”])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    text = _YEAR_RANGE.sub(r"\1–\2", text)
    return text[:1].upper() + text[1:]


def _consumed(lines: list[str]) -> tuple[set[int], int]:
    """Indexes of lines inside stamps, annex notes and marks; and where the heading may start
    (after the last of them)."""
    consumed: set[int] = set()
    start = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        end = None
        if _is_mark(line):
            end = index + 1
        elif _is_stamp(line):
            match = APPROVAL_WORD.match(line) or AGREED_WORD.match(line)
            rest = match.group(2).strip() if match else ""
            _, end = _collect(lines, index, rest)
        elif ANNEX_START.match(line):
            _, _, end = _annex(lines, index)
        if end is not None:
            consumed.update(range(index, end))
            start = max(start, end)
    return consumed, start


def _ends_title(line: str, title: list[str]) -> bool:
    previous = title[-1]
    if _is_stamp(line) or _is_mark(line) or _PERIOD_LINE.match(line) or _LABEL.match(line):
        return True
    if line.startswith("(") and line.endswith(")") and not _KIND_IN_PARENTHESES.match(line):
        return True
    if len(title) >= MAX_TITLE_LINES or len(" ".join(title)) + len(line) > MAX_TITLE_CHARS:
        return True
    starts_upper = line[:1].isupper() and not _is_abbreviation(line.split()[0])
    if _SENTENCE_END.search(previous) and starts_upper:
        return True
    # The period closes a title: a capitalised line after it is a subtitle.
    return bool(parse_period(" ".join(title))[0] and line[:1].isupper() and not line.isupper())


def parse_title(before: list[str]) -> tuple[str, str]:
    """(title, subtitle): the heading lines joined into one title, and the lines that follow
    it without belonging to it («(в редакции приказа от …)»)."""
    lines = _lines(before)
    consumed, region = _consumed(lines)
    free = [i for i, line in enumerate(lines) if line and i not in consumed]
    starts = [i for i in free if _is_title_start(lines[i])]
    first = next((i for i in starts if i >= region), None)
    if first is None and starts:
        first = starts[-1]
    if first is None:
        # No heading word: the last block of free lines right above the table.
        # Long lines are body text, never a heading.
        short = [i for i in free if len(lines[i]) <= MAX_SIGNATURE_LINE]
        tail = [i for i in short if i >= region] or short
        if not tail:
            return "", ""
        first, last = tail[-1], tail[-1]
        shorts = set(short)  # free lines are never blank
        while first - 1 in shorts and last - first < MAX_TITLE_LINES - 1:
            first -= 1
    title = [lines[first]]
    index = first + 1
    while index < len(lines):
        line = lines[index]
        if index in consumed:
            break
        if not line:
            following = next((j for j in range(index, len(lines)) if lines[j]), None)
            if following is None or following in consumed or not lines[following][:1].islower():
                break
            index = following
            continue
        if _ends_title(line, title):
            break
        title.append(line)
        index += 1
    subtitle: list[str] = []
    while index < len(lines) and len(subtitle) < MAX_SUBTITLE_LINES:
        line = lines[index]
        index += 1
        if index - 1 in consumed or not line:
            break
        if _is_mark(line) or _PERIOD_LINE.match(line):
            continue  # the period line is read as the period, not shown as a subtitle
        if _is_stamp(line) or _LABEL.match(line) or len(line) > MAX_SIGNATURE_LINE:
            break
        subtitle.append(line)
    return _join_title(title), "\n".join(subtitle)


def title_block(before: list[str]) -> list[str]:
    """The title and then the subtitle's lines (``structure`` takes the first as the title
    and joins the rest as the subtitle)."""
    title, subtitle = parse_title(before)
    if not title:
        return []
    return [title, *[line for line in subtitle.split("\n") if line]]


def parse_header(before: list[str]) -> ParsedHeader:
    """Approval, title, subtitle and period of the text above the table.

    A period written with dates («Период: 01.09.2020 – 31.08.2021») is the most exact and
    wins; then the words of the title («на 2020-2022 годы»); then words anywhere above the
    table. ``period_text`` keeps the words."""
    title, subtitle = parse_title(before)
    lines = _lines(before)
    header = ParsedHeader(approval=parse_approval(before), title=title, subtitle=subtitle)
    worded, words = parse_period(" ".join([title, subtitle]))
    for line in lines:
        dated, dated_words = _dated_period(line)
        if dated:
            header.period, header.period_text = dated, words or dated_words
            return header
    if worded:
        header.period, header.period_text = worded, words
        return header
    header.period, header.period_text = parse_period(" ".join(lines))
    return header
