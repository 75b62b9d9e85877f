"""Deadline text («Сроки») → schedule. Pure Python, no Django.

The author's text is kept as written; this module derives a schedule from it and the
plan's period with the semantics of the domain:

* once — one window: first day of the first month … last day of the last month;
* recurring — several windows by a rule (yearly, half-yearly, quarterly, monthly, every N
  months, N times a year, listed months or years);
* continuous — throughout a span («постоянно», «в течение периода», «с … года»); the span
  defaults to the plan's period;
* unscheduled — cannot be placed in time («по отдельному плану», empty, unknown text).

Windows are clipped to the period; windows wholly outside it are dropped. Text that no
rule understands is unscheduled with a reason — never guessed.

Choices made where plans are ambiguous:

* a month without a year recurs in every year of a multi-year period in which it falls;
  in a period of at most a year it is placed once, in the year where it falls;
* «до <дата>» is due on that date; its window starts at the period start (or on 1 January
  of that year when the phrase recurs yearly: «ежегодно до 1 сентября»);
* «до <год> года» is due at the end of that year;
* a school year «2020/2021 учебный год» runs 1 September 2020 – 31 August 2021;
* «1 полугодие» is January–June, «2 полугодие» July–December of a calendar year;
* «еженедельно» is continuous (weekly windows would drown the due list);
* a year range «2020-2022 гг.» is one continuous span; a list «2020, 2021 годы» recurs.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

Date = datetime.date
Window = tuple[Date, Date]

ONCE = "once"
RECURRING = "recurring"
CONTINUOUS = "continuous"
UNSCHEDULED = "unscheduled"


@dataclass(frozen=True)
class Schedule:
    kind: str
    windows: tuple[Window, ...] = ()
    reason: str = ""
    rule: str = ""

    @property
    def due_dates(self) -> tuple[Date, ...]:
        return tuple(end for _, end in self.windows)

    def to_json(self) -> dict:
        data: dict = {
            "kind": self.kind,
            "windows": [[s.isoformat(), e.isoformat()] for s, e in self.windows],
        }
        if self.reason:
            data["reason"] = self.reason
        return data


# --- small date helpers -------------------------------------------------------------------


def month_end(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def span(year: int, month: int, months: int) -> Window:
    """A window of ``months`` whole months starting at ``month`` of ``year``."""
    end_year, end_month = add_months(year, month, months - 1)
    return Date(year, month, 1), month_end(end_year, end_month)


def period_years(period: tuple[Date, Date]) -> range:
    return range(period[0].year, period[1].year + 1)


def is_short(period: tuple[Date, Date]) -> bool:
    """A plan of at most a year: yearless months are placed once."""
    start, end = period
    return (end - start).days <= 366


# --- vocabulary ---------------------------------------------------------------------------

MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
MONTH_RE = (
    r"(?:январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
NUMBER_WORDS = {
    "один": 1,
    "одна": 1,
    "одного": 1,
    "раз": 1,
    "два": 2,
    "две": 2,
    "двух": 2,
    "три": 3,
    "трех": 3,
    "четыре": 4,
    "четырех": 4,
    "шесть": 6,
    "шести": 6,
    "двенадцать": 12,
}
ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
YEAR_RE = r"(?:19|20)\d{2}"

UNSCHEDULED_PHRASES = (
    "по отдельному плану",
    "по мере необходимости",
    "по необходимости",
    "по запросу",
    "по согласованию",
    "по графику",
    "по плану",
    "по мере поступления",
    "по приглашению",
    "по отдельному графику",
    "по мере",
    "в соответствии с графиком",
)
CONTINUOUS_PHRASES = (
    "постоянно",
    "в течение всего периода",
    "в течение периода",
    "весь период",
    "систематически",
    "на протяжении всего периода",
    "в течение реализации",
    "в период реализации",
    "регулярно",
    "в течение года",
    "в течение учебного года",
    "в течение всего учебного года",
    "весь год",
    "круглогодично",
    "ежедневно",
    "еженедельно",
    "в постоянном режиме",
    "на постоянной основе",
)


def month_number(word: str) -> int:
    for stem, number in MONTHS.items():
        if word.startswith(stem):
            return number
    raise ValueError(word)


def normalise(text: str) -> str:
    """Lower case, one kind of dash, one space, no trailing dots or year words."""
    text = (text or "").lower().replace("ё", "е")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(\d{4})\s*(?:гг|г)\b\.?", r"\1", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return text.strip(" .;,")


def strip_year_words(text: str) -> str:
    return re.sub(r"\b(?:года|годов|годы|год|году|гг|г)\b\.?", " ", text)


# --- the parser ---------------------------------------------------------------------------


@dataclass
class Draft:
    """What a rule found before clipping."""

    windows: list[Window] = field(default_factory=list)
    continuous: bool = False
    rule: str = ""


Rule = Callable[[str, tuple[Date, Date], bool], Draft | None]


def parse_deadline(text: str, period: tuple[Date, Date]) -> Schedule:
    """Turn the «Сроки» text into a schedule within ``period`` (first day, last day)."""
    start, end = period
    if end < start:
        raise ValueError("period ends before it starts")
    raw = normalise(text)
    if not raw or raw in {"-", "—"}:
        return Schedule(UNSCHEDULED, reason="Срок не указан")
    for phrase in UNSCHEDULED_PHRASES:
        if raw.startswith(phrase):
            return Schedule(UNSCHEDULED, reason="Срок определяется отдельно")
    yearly = bool(re.search(r"\bежегодн\w*|\bкаждый год\b|\bв каждом году\b", raw))
    body = re.sub(r"\bежегодн\w*|\bкаждый год\b|\bв каждом году\b", " ", raw)
    body = re.sub(r"\s+", " ", body).strip(" ,.;:")
    for rule in RULES:
        draft = rule(body, period, yearly)
        if draft is not None:
            return finish(draft, period)
    return Schedule(UNSCHEDULED, reason="Не удалось распознать срок")


def finish(draft: Draft, period: tuple[Date, Date]) -> Schedule:
    start, end = period
    clipped = sorted(
        {(max(s, start), min(e, end)) for s, e in draft.windows if s <= end and e >= start}
    )
    if not clipped:
        return Schedule(UNSCHEDULED, reason="Срок вне периода плана", rule=draft.rule)
    if draft.continuous:
        return Schedule(CONTINUOUS, tuple(clipped), rule=draft.rule)
    kind = ONCE if len(clipped) == 1 else RECURRING
    return Schedule(kind, tuple(clipped), rule=draft.rule)


def _filler(text: str) -> str:
    """Drop words that carry no date: «в», «во», «течение», «срок», «не позднее» …"""
    text = re.sub(
        r"\b(?:в течение|на протяжении|в период|в|во|на|срок|сроки|не позднее|не позже|до конца|к|по|месяц[ае]?|месяцы|"
        r"начало|конец|середина|начале|конце|середине|течение|месяца|месяцев)\b",
        " ",
        text,
    )
    return re.sub(r"\s+", " ", text).strip(" ,.;:-")


def rule_continuous(text: str, period, yearly) -> Draft | None:
    for phrase in CONTINUOUS_PHRASES:
        if text.startswith(phrase) and not re.search(rf"{YEAR_RE}|{MONTH_RE}", text[len(phrase) :]):
            return Draft([period], continuous=True, rule=phrase)
    if not text and yearly:  # «Ежегодно» alone
        return Draft([span(y, 1, 12) for y in period_years(period)], rule="ежегодно")
    # «В течение 2020 года», «в течение 2020-2021 учебного года»
    match = re.fullmatch(rf"(?:в )?течение ({YEAR_RE})(?: года| году| г)?", text)
    if match:
        year = int(match.group(1))
        return Draft([span(year, 1, 12)], continuous=True, rule="в течение года")
    return None


def rule_from(text: str, period, yearly) -> Draft | None:
    """«с сентября 2020 года», «с 2021 года», «с 01.09.2020» → continuous to the period end."""
    match = re.fullmatch(
        rf"(?:начиная )?с ({MONTH_RE}) ({YEAR_RE})(?: года| г)?(?: и далее| постоянно| по настоящее время)?",
        text,
    )
    if match:
        first = Date(int(match.group(2)), month_number(match.group(1)), 1)
        return Draft([(first, period[1])], continuous=True, rule="с месяца")
    match = re.fullmatch(
        rf"(?:начиная )?с ({YEAR_RE})(?: года| г| уч\w*)?(?: и далее| постоянно)?", text
    )
    if match:
        return Draft([(Date(int(match.group(1)), 1, 1), period[1])], continuous=True, rule="с года")
    match = re.fullmatch(r"(?:начиная )?с (\d{1,2})\.(\d{1,2})\.(\d{4})(?: г| года)?", text)
    if match:
        first = _date(match.group(3), match.group(2), match.group(1))
        return Draft([(first, period[1])], continuous=True, rule="с даты") if first else None
    return None


def _date(year, month, day) -> Date | None:
    try:
        return Date(int(year), int(month), int(day))
    except ValueError:
        return None


def rule_until(text: str, period, yearly) -> Draft | None:
    """«до 1 октября 2020», «до 01.10.2020», «до конца 2020 года», «до 2022 года»,
    «ежегодно до 1 сентября»."""
    if not text.startswith(("до ", "не позднее ", "не позже ", "к ")):
        return None
    rest = re.sub(r"^(?:до|не позднее|не позже|к)\s+", "", text)
    rest = re.sub(r"^конца\s+", "", rest)
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?: г| года)?", rest)
    if match:
        due = _date(match.group(3), match.group(2), match.group(1))
        return Draft([(period[0], due)], rule="до даты") if due else None
    match = re.fullmatch(rf"(\d{{1,2}}) ({MONTH_RE})(?: ({YEAR_RE}))?(?: года| г)?", rest)
    if match:
        day, month = int(match.group(1)), month_number(match.group(2))
        if match.group(3):
            due = _date(match.group(3), month, day)
            return Draft([(period[0], due)], rule="до даты") if due else None
        windows = []
        for year in period_years(period):
            due = _date(year, month, day)
            if due:
                windows.append((Date(year, 1, 1), due))
        if not yearly and is_short(period):
            windows = [w for w in windows if period[0] <= w[1] <= period[1]][:1]
        return Draft(windows, rule="ежегодно до даты" if len(windows) > 1 else "до даты")
    match = re.fullmatch(rf"({MONTH_RE}) ({YEAR_RE})(?: года| г)?", rest)
    if match:
        due = month_end(int(match.group(2)), month_number(match.group(1)))
        return Draft([(period[0], due)], rule="до месяца")
    match = re.fullmatch(rf"({YEAR_RE})(?: года| г)?", rest)
    if match:
        return Draft([(period[0], Date(int(match.group(1)), 12, 31))], rule="до года")
    return None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def rule_frequency(text: str, period, yearly) -> Draft | None:
    """«ежеквартально», «ежемесячно», «2 раза в год», «1 раз в 2 месяца», «раз в полгода»."""
    years = period_years(period)
    if re.fullmatch(r"ежемесячн\w*(?: в течение (?:всего )?периода)?", text):
        return _every(period, 1, 1, "ежемесячно")
    if re.fullmatch(r"ежекварт\w*(?: в течение (?:всего )?периода)?", text):
        return _every(period, 3, 1, "ежеквартально")
    if re.fullmatch(r"(?:ежеполугодн\w*|раз в полугодие|1 раз в полугодие)", text):
        return _every(period, 6, 1, "раз в полгода")
    match = re.fullmatch(
        r"(?:не (?:реже|менее) )?(\d+|один|одна|раз|два|две|три|четыре|шесть)?\s*(?:раз|раза)?\s*в\s*"
        r"(\d+|двух|трех|четырех|шести)?\s*(год|года|полгода|полугодие|квартал|месяц|месяца|месяцев|учебный год)",
        text,
    )
    if match:
        times = _count(match.group(1) or "1") or 1
        every = _count(match.group(2) or "1") or 1
        unit = match.group(3)
        unit_months = {
            "год": 12,
            "года": 12,
            "учебный год": 12,
            "полгода": 6,
            "полугодие": 6,
            "квартал": 3,
        }.get(unit, 1)
        months = unit_months * every
        if times < 1 or months % times:
            return None
        return _every(period, months // times, 1, f"{times} раз в {months} мес.")
    if yearly and not text:
        return Draft([span(y, 1, 12) for y in years], rule="ежегодно")
    return None


def _every(period, months: int, start_month: int, rule: str) -> Draft:
    windows = []
    year, month = period[0].year, start_month
    while Date(year, month, 1) <= period[1]:
        windows.append(span(year, month, months))
        year, month = add_months(year, month, months)
    return Draft(windows, rule=rule)


def _roman_or_number(token: str) -> int | None:
    if token in ROMAN:
        return ROMAN[token]
    if token.isdigit() and 1 <= int(token) <= 4:
        return int(token)
    for stem, number in ORDINALS.items():
        if token.startswith(stem):
            return number
    return None


def rule_quarter(text: str, period, yearly) -> Draft | None:
    """«2 квартал», «IV квартал 2020», «I-II квартал 2021», «в течение III квартала»."""
    body = _filler(strip_year_words(text))
    match = re.fullmatch(
        rf"((?:i{{1,3}}|iv|[1-4]|перв\w*|втор\w*|трет\w*|четверт\w*))(?:-?(?:й|го|м))?"
        rf"(?:-((?:i{{1,3}}|iv|[1-4])))?(?:-?(?:й|го))?\s*(?:кв\.?|квартал\w*)(?: ({YEAR_RE}))?",
        body,
    )
    if not match:
        return None
    first = _roman_or_number(match.group(1))
    last = _roman_or_number(match.group(2)) if match.group(2) else first
    if first is None or last is None or last < first:
        return None
    months = (last - first + 1) * 3
    if match.group(3):
        return Draft([span(int(match.group(3)), (first - 1) * 3 + 1, months)], rule="квартал")
    return _yearless([((first - 1) * 3 + 1, months)], period, yearly, "квартал")


def rule_half(text: str, period, yearly) -> Draft | None:
    """«1 полугодие 2020», «II полугодие», «первое полугодие»."""
    body = _filler(strip_year_words(text))
    match = re.fullmatch(
        rf"((?:i{{1,2}}|[12]|перв\w*|втор\w*))(?:-?(?:е|ое|м))?\s*полугод\w*(?: ({YEAR_RE}))?", body
    )
    if not match:
        return None
    half = _roman_or_number(match.group(1))
    if half not in (1, 2):
        return None
    if match.group(2):
        return Draft([span(int(match.group(2)), 1 if half == 1 else 7, 6)], rule="полугодие")
    return _yearless([(1 if half == 1 else 7, 6)], period, yearly, "полугодие")


def rule_school_year(text: str, period, yearly) -> Draft | None:
    """«2020-2021 учебный год», «2020/2021 уч. г.», «2020/2021, 2021/2022 учебные годы»."""
    if "уч" not in text:
        return None
    pairs = re.findall(rf"({YEAR_RE})\s*[-/]\s*({YEAR_RE}|\d{{2}})", text)
    if not pairs:
        return None
    rest = re.sub(rf"({YEAR_RE})\s*[-/]\s*({YEAR_RE}|\d{{2}})", " ", text)
    rest = re.sub(r"\b(?:учебн\w*|уч|г|гг|года?|годы|годов|в|течение|,|и)\b\.?", " ", rest)
    if re.sub(r"[\s.,;-]+", "", rest):
        return None
    windows = []
    for first, second in pairs:
        year = int(first)
        second_year = int(second) if len(second) == 4 else 2000 + int(second)
        if second_year != year + 1:
            return None
        windows.append((Date(year, 9, 1), Date(year + 1, 8, 31)))
    return Draft(windows, continuous=len(windows) == 1, rule="учебный год")


DATE_NUMERIC = r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})"


def rule_dates(text: str, period, yearly) -> Draft | None:
    """Exact dates: «15.09.2020», «15 сентября 2020 г.», «10-15 сентября 2020»,
    «01.09.2020-30.09.2020», «20 октября» (yearless)."""
    body = strip_year_words(text).strip()
    body = re.sub(r"\s+", " ", body).strip(" ,.;")
    numeric = re.fullmatch(rf"{DATE_NUMERIC}(?:\s*-\s*{DATE_NUMERIC})?", body)
    if numeric:
        g = numeric.groups()
        first = _date(_year4(g[2]), g[1], g[0])
        last = _date(_year4(g[5]), g[4], g[3]) if g[3] else first
        if not first or not last or last < first:
            return None
        return Draft([(first, last)], rule="дата")
    # «10-15 сентября 2020», «15 сентября 2020», «20 октября», several joined by commas
    parts = [p.strip() for p in re.split(r",|;| и ", body) if p.strip()]
    windows = []
    yearless = []
    for part in parts:
        match = re.fullmatch(rf"(\d{{1,2}})(?:-(\d{{1,2}}))? ({MONTH_RE})(?: ({YEAR_RE}))?", part)
        if not match:
            return None
        month = month_number(match.group(3))
        day_first, day_last = int(match.group(1)), int(match.group(2) or match.group(1))
        if match.group(4):
            first, last = (
                _date(match.group(4), month, day_first),
                _date(match.group(4), month, day_last),
            )
            if not first or not last or last < first:
                return None
            windows.append((first, last))
        else:
            yearless.append((month, day_first, day_last))
    for month, day_first, day_last in yearless:
        for year in period_years(period):
            first, last = _date(year, month, day_first), _date(year, month, day_last)
            if first and last and period[0] <= last and first <= period[1]:
                windows.append((first, last))
                if is_short(period) and not yearly:
                    break
    return Draft(windows, rule="дата") if windows or yearless else None


def _year4(value: str) -> int:
    return int(value) if len(value) == 4 else 2000 + int(value)


def rule_years(text: str, period, yearly) -> Draft | None:
    """«2020», «2020, 2021 годы», «2020-2022 гг.» (a range is one continuous span)."""
    body = re.sub(r"\b(?:года|годов|годы|год|году|гг|г|в|течение|ежегодно)\b\.?", " ", text)
    body = re.sub(r"\s+", " ", body).strip(" ,.;")
    match = re.fullmatch(rf"({YEAR_RE})\s*-\s*({YEAR_RE})", body)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if last < first:
            return None
        if yearly:
            return Draft([span(y, 1, 12) for y in range(first, last + 1)], rule="годы")
        return Draft([(Date(first, 1, 1), Date(last, 12, 31))], continuous=True, rule="период лет")
    if re.fullmatch(rf"{YEAR_RE}(?:\s*(?:,|;|и)\s*{YEAR_RE})*", body):
        years = [int(y) for y in re.findall(YEAR_RE, body)]
        return Draft([span(y, 1, 12) for y in years], rule="годы")
    return None


MONTH_ITEM = rf"({MONTH_RE})(?: ({YEAR_RE}))?"


def rule_months(text: str, period, yearly) -> Draft | None:
    """Months and month ranges, with or without years, in lists:
    «Август-сентябрь 2019», «Ноябрь», «Март-май», «сентябрь, декабрь, март, май»,
    «ноябрь 2020 - январь 2021», «декабрь-февраль», «июнь - сентябрь»."""
    body = re.sub(r"\s*-\s*", "-", strip_year_words(text))
    parts = [_filler(p) for p in re.split(r",|;|\sи\s|/", body)]
    parts = [p for p in parts if p]
    if not parts:
        return None
    items: list[tuple[int, int | None, int, int | None]] = []  # first month, year, last month, year
    for part in parts:
        match = re.fullmatch(rf"{MONTH_ITEM}(?:-{MONTH_ITEM})?", part)
        if not match:
            return None
        m1, y1, m2, y2 = match.groups()
        first = month_number(m1)
        last = month_number(m2) if m2 else first
        year1 = int(y1) if y1 else None
        year2 = int(y2) if y2 else (None if m2 else year1)
        if m2 and year1 is None and year2 is not None:
            year1 = year2 - (1 if last < first else 0)
        items.append((first, year1, last, year2))
    # A trailing year applies to the yearless months listed before it: «сентябрь, октябрь 2020».
    trailing = None
    for index in range(len(items) - 1, -1, -1):
        first, year1, last, year2 = items[index]
        if year1 is not None:
            trailing = year1
        elif trailing is not None:
            items[index] = (first, trailing, last, trailing + (1 if last < first else 0))
    windows: list[Window] = []
    yearless: list[tuple[int, int]] = []
    for first, year1, last, year2 in items:
        length = (last - first) % 12 + 1
        if year1 is not None:
            end_year = year2 if year2 is not None else year1 + (1 if last < first else 0)
            if (end_year * 12 + last) < (year1 * 12 + first):
                return None
            windows.append((Date(year1, first, 1), month_end(end_year, last)))
        else:
            yearless.append((first, length))
    if yearless:
        windows.extend(_yearless(yearless, period, yearly, "месяцы").windows)
    return Draft(windows, rule="месяцы")


def _yearless(items: list[tuple[int, int]], period, yearly: bool, rule: str) -> Draft:
    """Place (first month, length) items without a year: every year of a multi-year
    period, once in a period of at most a year."""
    windows = []
    for first_month, length in items:
        for year in range(period[0].year - 1, period[1].year + 1):
            window = span(year, first_month, length)
            if window[0] > period[1] or window[1] < period[0]:
                continue
            # In a multi-year plan a window reaching back before the period belongs to the
            # previous cycle; in a short plan it is the one occurrence and gets clipped.
            if (
                window[0] < period[0]
                and year < period[0].year
                and not (is_short(period) and not yearly)
            ):
                continue
            windows.append(window)
    if is_short(period) and not yearly:
        # once: the first occurrence of each item that lies in the period
        seen, once = set(), []
        for window in sorted(windows):
            key = (
                window[0].month,
                (window[1].year - window[0].year) * 12 + window[1].month - window[0].month,
            )
            if key not in seen:
                seen.add(key)
                once.append(window)
        windows = once
    return Draft(windows, rule=rule)


def rule_compound(text: str, period, yearly) -> Draft | None:
    """Several phrases in one cell separated by commas or «;»: each must parse."""
    parts = [p.strip() for p in re.split(r";|,(?![^()]*\))", text) if p.strip()]
    if len(parts) < 2:
        return None
    windows: list[Window] = []
    for part in parts:
        for rule in RULES:
            if rule is rule_compound:
                continue
            draft = rule(part, period, yearly)
            if draft is not None:
                if draft.continuous:
                    return None
                windows.extend(draft.windows)
                break
        else:
            return None
    return Draft(windows, rule="несколько сроков")


RULES: list[Rule] = [
    rule_continuous,
    rule_from,
    rule_until,
    rule_frequency,
    rule_school_year,
    rule_quarter,
    rule_half,
    rule_dates,
    rule_years,
    rule_months,
    rule_compound,
]
