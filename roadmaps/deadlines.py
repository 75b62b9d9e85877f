"""Deadline text («Сроки») → schedule. Pure Python, no Django.

The author's text is kept as written; this module derives a schedule from it and the
plan's period with the semantics of the domain:

* once — one window: first day of the first month … last day of the last month;
* recurring — several windows by a rule (yearly, half-yearly, quarterly, monthly, every N
  months, N times a year, listed months, quarters, dates or years);
* continuous — throughout one span («постоянно», «в течение периода», «с … года»); the
  span defaults to the plan's period;
* unscheduled — cannot be placed in time («по отдельному плану», empty, unknown or
  ambiguous text). Nothing is guessed: a phrase the grammar does not cover is unscheduled.

How it works
============

1. **Normalisation**: lower case, «ё» → «е», every dash (- ‐ ‑ ‒ – — ― − …) becomes «-»,
   non-breaking spaces become spaces, Latin look-alikes inside Cyrillic words are mapped
   back (a «c» typed in «ceнтябрь»), Cyrillic «і» becomes the Roman «i».
2. **Tokenizer**: dotted dates (``20.05.2021``, ``20.05.21``, ``25.05``), ordinals
   (``1-й``, ``2-го``, ``1е``), numbers, words and the punctuation «, ; - / ( ) :»; a missing
   space does not matter («май-июнь2021», «до01.03.2021», «20.05.2021г»). Words are
   classified by a lexicon: months in every case and common abbreviations («сент.»),
   «квартал»/«кв.», «полугодие», year words («г.», «гг.», «года», «годов»), school-year
   words («учебный», «уч.»), ordinal words («первое»), Roman numerals (I–IV), frequency
   words («ежегодно», «ежеквартально», …). A word of six letters or more that is one edit
   (a letter wrong, missing, extra or two swapped) from exactly one meaning is read as it
   («сентебрь», «ферваль», «кваратал»); if the edit could mean two things it stays unknown.
3. **Grammar** — a recursive-descent parser; every production composes with the others::

       cell      := frequency? body? frequency?          (at most one frequency)
       frequency := ежегодно | ежеквартально | ежемесячно | ежеполугодно | еженедельно
                  | [не реже|не менее] [N|один|два…] раз[а] в [N] (год|полгода|полугодие
                                                                 |квартал|месяц|неделю)
                  | каждый (год|месяц|квартал) | дважды в год | в каждом году
       body      := item ((, | ; | и) item)*
       item      := filler* ( from | until | range | date | group | years
                            | school-years | continuous phrase )
       from      := (с|со|начиная с) target [(по|до|-) target] [и далее|постоянно]
       until     := (до|по|к|не позднее|не позже|в срок до) [конца|начала] target
       range     := point - point                   («ноябрь 2020 - январь 2021»)
       group     := spec ((, | и) spec)* [years | school-years]
       spec      := month [- month] | day[-day] month | dd.mm | numbers (квартал|полугодие)
       numbers   := n ((-|,|и) n)*                   n: 1, 1-й, I, первый
       years     := year ((, | и) year)* [г.|гг.|года|годы|годов]  |  year - year [гг.]
       school-years := year(/|-)year ((,|и) year/year)* (учебный год|уч. г.|…)

   A trailing list of years applies to every yearless spec before it: «в мае 2021 и
   2022 гг.» (two windows), «сентябрь, октябрь 2020» (two windows), «IV квартал 2020,
   II квартал 2021». A range that crosses New Year takes its year from its end
   («декабрь-февраль 2021» = December 2020 – February 2021). A spec followed by a school
   year is placed inside it («май 2020/2021 учебного года» = May 2021); halves of a school
   year are September–December and January–May; quarters of a school year are ambiguous.

4. **Placement** within the plan's period:

   * a spec without a year recurs in every year of a multi-year period in which it falls;
     in a period of at most a year it is placed once, in the year where it falls (but in
     every year when a frequency is written: «ежегодно в мае»);
   * «до <date>» is due on that date; its window starts at the period start (or on
     1 January of the due year when there is no year: «до 25 мая», «ежегодно до 1
     сентября»). Targets are inclusive: «до декабря 2020», «до 2022 года», «по май 2022» are
     due at the end of that month / year; «до 2021/2022 учебного года» on 31 August 2022;
     «до начала X» is due the day before X starts;
   * «с X» is continuous from the start of X to the end of the period; «с X по Y» is one
     window (continuous when X and Y are whole years); a yearless «с X» is placed only in a
     period of at most a year (elsewhere it is ambiguous);
   * a single year is one window («2021», «в 2021 году»), «в течение 2021 года» is
     continuous, a list of years recurs, a range of years «2020-2022 гг.» and a single
     school year «2020/2021 уч. г.» are continuous;
   * a frequency alone lays a grid over the period aligned to calendar years (quarters are
     January–March …, half-years January–June and July–December, «1 раз в 2 месяца» is
     January–February …); with a body, each window no longer than the frequency's step is
     an occurrence kept as it is («ежеквартально (март, июнь, сентябрь, декабрь)»,
     «ежегодно июнь - сентябрь»), a longer one is a span the grid is laid over
     («ежемесячно в 2021 году», «ежеквартально с сентября 2020 г.»);
   * «еженедельно», «ежедневно» are continuous (weekly windows would drown the due list);
   * a continuous phrase («постоянно», «в течение года», …) followed only by words without
     dates is continuous over the period («постоянно (по мере поступления)»).

5. **Windows** are clipped to the period; those wholly outside it are dropped (nothing left
   → unscheduled, «Срок вне периода плана»). The windows of a schedule are sorted and
   pairwise disjoint: a window whose start is implied (a «до …» window) starts the day after
   the previous window ends; two written windows that overlap are ambiguous → unscheduled.
   A continuous schedule has exactly one window; a once schedule one; a recurring several.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

Date = datetime.date
Window = tuple[Date, Date]
Period = tuple[Date, Date]

ONCE = "once"
RECURRING = "recurring"
CONTINUOUS = "continuous"
UNSCHEDULED = "unscheduled"

KINDS = (ONCE, RECURRING, CONTINUOUS, UNSCHEDULED)

REASON_EMPTY = "Срок не указан"
REASON_SEPARATE = "Срок определяется отдельно"
REASON_UNKNOWN = "Не удалось распознать срок"
REASON_OUTSIDE = "Срок вне периода плана"
REASON_AMBIGUOUS = "Срок неоднозначен"


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


def period_years(period: Period) -> range:
    return range(period[0].year, period[1].year + 1)


def is_short(period: Period) -> bool:
    """A plan of at most a year: yearless specs are placed once."""
    start, end = period
    return (end - start).days <= 366


def months_long(window: Window) -> int:
    """How many calendar months a window touches."""
    start, end = window
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _date(year: int, month: int, day: int) -> Date | None:
    try:
        return Date(year, month, day)
    except ValueError:
        return None


# --- vocabulary ---------------------------------------------------------------------------

MONTH = "month"
QUARTER = "quarter"
HALF = "half"
HALF_YEAR = "half_year"  # «полгода»: a unit of frequency only
YEAR_WORD = "year_word"
SCHOOL = "school"
FREQ = "freq"
ORDINAL = "ordinal"
ROMAN_NUMERAL = "roman"
COUNT = "count"
UNIT = "unit"
WORD = "word"
NUM = "num"
DATE = "date"
DAY_MONTH = "day_month"
PUNCT = "punct"
OTHER = "other"

_MONTH_STEMS = {
    "январ": 1,
    "феврал": 2,
    "апрел": 4,
    "июн": 6,
    "июл": 7,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_MONTH_ABBREVIATIONS = {
    "янв": 1,
    "фев": 2,
    "февр": 2,
    "мар": 3,
    "апр": 4,
    "авг": 8,
    "сен": 9,
    "сент": 9,
    "окт": 10,
    "ноя": 11,
    "нояб": 11,
    "дек": 12,
}
_ORDINAL_FORMS = {
    1: ("перв", ("ый", "ого", "ом", "ое", "ая", "ой", "ую", "ому")),
    2: ("втор", ("ой", "ого", "ом", "ое", "ая", "ую", "ому")),
    3: ("трет", ("ий", "ьего", "ьем", "ье", "ья", "ьей", "ью", "ьему")),
    4: ("четверт", ("ый", "ого", "ом", "ое", "ая", "ой", "ую", "ому")),
}
NUMBER_WORDS = {
    "один": 1,
    "одна": 1,
    "одного": 1,
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
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}

# frequency step in months; 0 means finer than a month (continuous)
_FREQ_PREFIXES = {
    "ежегодн": 12,
    "ежеполугодн": 6,
    "ежекварт": 3,
    "ежемесячн": 1,
    "еженедельн": 0,
    "ежедневн": 0,
}
_UNITS = {
    "год": 12,
    "года": 12,
    "полгода": 6,
    "полугодие": 6,
    "квартал": 3,
    "месяц": 1,
    "месяца": 1,
    "месяцев": 1,
    "неделю": 0,
    "недели": 0,
    "недель": 0,
    "день": 0,
    "дня": 0,
    "дней": 0,
}


def _lexicon() -> dict[str, tuple[str, object]]:
    words: dict[str, tuple[str, object]] = {}
    for stem, number in _MONTH_STEMS.items():
        for ending in ("ь", "я", "е", "ю", "ем"):
            words[stem + ending] = (MONTH, number)
    for stem, number in (("март", 3), ("август", 8)):
        for ending in ("", "а", "е", "у", "ом"):
            words[stem + ending] = (MONTH, number)
    for form in ("май", "мая", "мае", "маю", "маем"):
        words[form] = (MONTH, 5)
    for form, number in _MONTH_ABBREVIATIONS.items():
        words[form] = (MONTH, number)
    for ending in ("", "а", "е", "у", "ом", "ы", "ов", "ах", "ам"):
        words["квартал" + ending] = (QUARTER, None)
    words["кв"] = (QUARTER, None)
    for ending in ("ие", "ия", "ии", "ию", "ием", "ье", "ья", "ьи", "иях"):
        words["полугод" + ending] = (HALF, None)
    words["полгода"] = (HALF_YEAR, None)
    for form in ("г", "гг", "год", "года", "году", "годы", "годов", "годах", "годом"):
        words[form] = (YEAR_WORD, None)
    for form in ("учебный", "учебного", "учебном", "учебные", "учебных", "учебному", "учебн"):
        words[form] = (SCHOOL, None)
    for form in ("уч", "учеб"):
        words[form] = (SCHOOL, None)
    for number, (stem, endings) in _ORDINAL_FORMS.items():
        for ending in endings:
            words[stem + ending] = (ORDINAL, number)
    for form, number in NUMBER_WORDS.items():
        words[form] = (COUNT, number)
    # full forms, so that a typo («ежеквартльно», «ежегодоно») is matched to them
    for form, months in (
        ("ежегодно", 12),
        ("ежеполугодно", 6),
        ("ежеквартально", 3),
        ("ежемесячно", 1),
        ("еженедельно", 0),
        ("ежедневно", 0),
    ):
        words[form] = (FREQ, months)
    for form, months in _UNITS.items():
        words.setdefault(form, (UNIT, months))
    for form, number in ROMAN.items():
        words[form] = (ROMAN_NUMERAL, number)
    return words


LEXICON = _lexicon()
# Only long words are corrected: short ones are too close to each other (июнь/июль).
_FUZZY_TARGETS = {
    form: meaning
    for form, meaning in LEXICON.items()
    if len(form) >= 6 and meaning[0] in {MONTH, QUARTER, HALF, SCHOOL, FREQ}
}


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one substitution, insertion, deletion or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def classify(word: str) -> tuple[str, object]:
    if word in LEXICON:
        return LEXICON[word]
    for prefix, months in _FREQ_PREFIXES.items():
        if word.startswith(prefix):
            return FREQ, months
    if len(word) >= 6:
        meanings = {m for form, m in _FUZZY_TARGETS.items() if _one_edit(word, form)}
        if len(meanings) == 1:
            return meanings.pop()
    return WORD, word


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
    "в течение всего года",
    "в течение года",
    "в течение учебного года",
    "в течение всего учебного года",
    "весь учебный год",
    "весь год",
    "круглогодично",
    "ежедневно",
    "еженедельно",
    "в постоянном режиме",
    "на постоянной основе",
)


# --- normalisation and tokens -------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d\u00ad]")
_LATIN_LOOKALIKES = str.maketrans("aceopxykmthb", "асеорхукмтнв")


def normalise(text: str) -> str:
    """Lower case, one kind of dash, one kind of space, «ё» → «е»."""
    text = (text or "").lower().replace("ё", "е").replace("і", "i")
    text = _DASHES.sub("-", text)
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))

    def fix_mixed(match: re.Match) -> str:
        word = match.group(0)
        if re.search(r"[а-я]", word) and re.search(r"[a-z]", word):
            return word.translate(_LATIN_LOOKALIKES)
        return word

    return re.sub(r"[а-яa-z]+", fix_mixed, text).strip()


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    value: object = None


_TOKEN_RE = re.compile(
    r"(?P<date>\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?!\d))"
    r"|(?P<daymonth>\d{1,2}\.\d{2}(?![\d.]))"
    r"|(?P<ordinal>\d{1,2}-?(?:ый|ий|ой|й|ого|го|ом|м|ое|е|ая|я)(?![а-яa-z]))"
    r"|(?P<num>\d+)"
    r"|(?P<word>[а-я]+|[a-z]+)"
    r"|(?P<punct>[,;()/:-])"
    r"|(?P<skip>[\s.\"'«»“”„!?*]+)"
    r"|(?P<other>.)"
)


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN_RE.finditer(normalise(text)):
        group, value = match.lastgroup, match.group(0)
        if group == "skip":
            continue
        if group == "date":
            day, month, year = value.split(".")
            full_year = int(year) if len(year) == 4 else 2000 + int(year)
            tokens.append(Token(DATE, value, (full_year, int(month), int(day))))
        elif group == "daymonth":
            day, month = value.split(".")
            tokens.append(Token(DAY_MONTH, value, (int(month), int(day))))
        elif group == "ordinal":
            tokens.append(Token(ORDINAL, value, int(re.match(r"\d+", value).group(0))))
        elif group == "num":
            tokens.append(Token(NUM, value, int(value)))
        elif group == "word":
            kind, meaning = classify(value)
            tokens.append(Token(kind, value, meaning))
        elif group == "punct":
            tokens.append(Token(PUNCT, value, value))
        else:
            tokens.append(Token(OTHER, value, value))
    return tokens


# --- meanings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """A stretch of the calendar without a year: from (month, day) to (month, day);
    a day of None is the first day (start) or the last day (end) of the month."""

    first: tuple[int, int | None]
    last: tuple[int, int | None]
    unit: str = ""  # QUARTER or HALF when written as numbered quarters or half-years

    @property
    def crosses(self) -> bool:
        return (self.last[0], self.last[1] or 31) < (self.first[0], self.first[1] or 1)

    def at(self, year: int) -> Window | None:
        """The occurrence starting in ``year``."""
        end_year = year + 1 if self.crosses else year
        start = _date(year, self.first[0], self.first[1] or 1)
        end = (
            _date(end_year, self.last[0], self.last[1])
            if self.last[1]
            else month_end(end_year, self.last[0])
        )
        if start is None or end is None or end < start:
            return None
        return start, end

    def ending_in(self, year: int) -> Window | None:
        return self.at(year - 1 if self.crosses else year)


@dataclass(frozen=True)
class Win:
    start: Date
    end: Date
    soft: bool = False  # the start is implied («до …»), not written


@dataclass
class Item:
    """One item of a cell, before the period is known to place yearless specs."""

    windows: list[Win] = field(default_factory=list)
    yearless: list[Spec] = field(default_factory=list)
    until_yearless: list[tuple[Spec, bool]] = field(default_factory=list)  # (target, «начала»)
    from_yearless: Spec | None = None
    period_span: bool = False
    continuous: bool = False


class Ambiguous(Exception):
    """The text parses, but means more than one thing."""


# --- the grammar --------------------------------------------------------------------------

FILLERS = {
    "в",
    "во",
    "на",
    "течение",
    "протяжении",
    "период",
    "срок",
    "сроки",
    "конце",
    "начале",
    "середине",
    "конец",
    "начало",
    "середина",
    "месяц",
    "месяце",
    "месяца",
    "месяцы",
    "каждом",
    "каждого",
    "каждый",
}
FROM_TAILS = (("и", "далее"), ("постоянно",), ("по", "настоящее", "время"), ("далее",))


def _is_year(token: Token | None) -> bool:
    return (
        token is not None
        and token.kind == NUM
        and len(token.text) == 4
        and 1900 <= token.value <= 2100
    )


class Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0

    # token helpers
    def peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def take(self, kind: str, *texts: str) -> Token | None:
        token = self.peek()
        if token is None or token.kind != kind or (texts and token.text not in texts):
            return None
        self.pos += 1
        return token

    def words(self, *words: str) -> bool:
        """Take a sequence of words (or punctuation) exactly, or nothing."""
        for offset, word in enumerate(words):
            token = self.peek(offset)
            if token is None or token.text != word:
                return False
        self.pos += len(words)
        return True

    def attempt(self, production, *args):
        saved = self.pos
        result = production(*args)
        if result is None:
            self.pos = saved
        return result

    def dash(self) -> bool:
        return self.take(PUNCT, "-") is not None

    def separator(self) -> bool:
        return self.take(PUNCT, ",", ";") is not None or self.take(WORD, "и") is not None

    def skip_year_words(self) -> None:
        while self.take(YEAR_WORD):
            pass

    def skip_fillers(self) -> bool:
        """Skip words that carry no date; True when «в течение» was among them."""
        during = False
        while True:
            token = self.peek()
            if token is None:
                return during
            if token.kind in {WORD, UNIT} and token.text in FILLERS:
                during = during or token.text in {"течение", "протяжении"}
            elif not (token.kind == PUNCT and token.text in "():"):
                return during
            self.pos += 1

    def skip_brackets(self) -> None:
        while self.take(PUNCT, "(", ")", ":"):
            pass

    # numbers
    def year(self) -> int | None:
        token = self.peek()
        if _is_year(token):
            self.pos += 1
            return token.value
        return None

    def small_number(self) -> int | None:
        """1, 1-й, I, первый — a number of a quarter or half-year."""
        token = self.peek()
        if token is None:
            return None
        if token.kind in {ORDINAL, ROMAN_NUMERAL} or (token.kind == NUM and len(token.text) <= 2):
            self.pos += 1
            return token.value
        return None

    # productions --------------------------------------------------------------------------
    def years(self) -> list[int] | None:
        """«2021», «2021 и 2022 гг.», «2020, 2021 годы»."""
        first = self.year()
        if first is None:
            return None
        found = [first]
        while True:
            saved = self.pos
            self.skip_year_words()
            if self.separator() and (year := self.year()) is not None:
                found.append(year)
                continue
            self.pos = saved
            break
        self.skip_year_words()
        return found

    def year_range(self) -> tuple[int, int] | None:
        first = self.year()
        if first is None:
            return None
        self.skip_year_words()
        if not self.dash():
            return None
        last = self.year()
        if last is None or last <= first:
            return None
        self.skip_year_words()
        return first, last

    def school_pair(self) -> int | None:
        first = self.year()
        if first is None or not (self.take(PUNCT, "/") or self.dash()):
            return None
        token = self.peek()
        if token is None or token.kind != NUM:
            return None
        self.pos += 1
        if len(token.text) == 4 and token.value == first + 1:
            return first
        if len(token.text) == 2 and token.value == (first + 1) % 100:
            return first
        return None

    def school_years(self) -> list[int] | None:
        """«2020/2021 уч. г.», «2020-2021 учебный год», «2020/21, 2021/22 учебные годы»."""
        first = self.attempt(self.school_pair)
        if first is None:
            return None
        found = [first]
        while True:
            saved = self.pos
            if self.separator() and (year := self.attempt(self.school_pair)) is not None:
                found.append(year)
                continue
            self.pos = saved
            break
        if not self.take(SCHOOL):
            return None
        while self.take(SCHOOL) or self.take(YEAR_WORD):
            pass
        return found

    def numbered(self) -> list[Spec] | None:
        """«II квартал», «1-2 кв.», «I и III кварталы», «первое полугодие»."""
        ranges: list[tuple[int, int]] = []
        first = self.small_number()
        if first is None:
            return None
        last = first
        while True:
            saved = self.pos
            if self.dash() and (number := self.small_number()) is not None:
                last = number
                continue
            self.pos = saved
            if self.separator() and (number := self.small_number()) is not None:
                ranges.append((first, last))
                first = last = number
                continue
            self.pos = saved
            break
        ranges.append((first, last))
        token = self.take(QUARTER) or self.take(HALF)
        if token is None:
            return None
        size = 3 if token.kind == QUARTER else 6
        count = 12 // size
        specs = []
        for low, high in ranges:
            if not (1 <= low <= high <= count):
                return None
            specs.append(Spec(((low - 1) * size + 1, None), (high * size, None), token.kind))
        return specs

    def day_spec(self) -> Spec | None:
        """«15 сентября», «10-15 сентября», «25.05»."""
        token = self.take(DAY_MONTH)
        if token:
            month, day = token.value
            return Spec((month, day), (month, day)) if _date(2000, month, day) else None
        first = self.take(NUM)
        if first is None or not 1 <= first.value <= 31:
            return None
        last = first
        if self.dash():
            last = self.take(NUM)
            if last is None or not first.value <= last.value <= 31:
                return None
        month = self.take(MONTH)
        if month is None:
            return None
        if not (_date(2000, month.value, first.value) and _date(2000, month.value, last.value)):
            return None
        return Spec((month.value, first.value), (month.value, last.value))

    def single_spec(self) -> list[Spec] | None:
        """One yearless stretch (or several numbered quarters / half-years)."""
        month = self.take(MONTH)
        if month:
            return [Spec((month.value, None), (month.value, None))]
        spec = self.attempt(self.day_spec)
        if spec:
            return [spec]
        return self.attempt(self.numbered)

    def spec(self) -> list[Spec] | None:
        """A yearless stretch, possibly a range «июнь - сентябрь», «1 сентября - 15 октября»."""
        first = self.single_spec()
        if first is None:
            return None
        saved = self.pos
        if len(first) == 1 and self.dash():
            self.skip_fillers()
            last = self.attempt(self.single_spec)
            if last is not None and len(last) == 1:
                joined = Spec(first[0].first, last[0].last, first[0].unit)
                if first[0].at(2000) and joined.at(2000):
                    return [joined]
        self.pos = saved
        return first

    def group(self) -> Item | None:
        """Yearless specs, optionally followed by the years or the school year they take."""
        specs = self.spec()
        if specs is None:
            return None
        while True:
            saved = self.pos
            if self.separator():
                self.skip_fillers()
                more = self.attempt(self.spec)
                if more is not None:
                    specs.extend(more)
                    continue
            self.pos = saved
            break
        school = self.attempt(self.school_years)
        if school is not None:
            return Item(windows=[w for y in school for s in specs for w in _in_school_year(s, y)])
        years = self.attempt(self.years)
        if years is not None:
            windows = []
            for year in years:
                for spec in specs:
                    window = spec.ending_in(year)
                    if window is None:
                        return None
                    windows.append(Win(*window))
            return Item(windows=windows)
        if any(spec.at(2000) is None and spec.at(2001) is None for spec in specs):
            return None
        return Item(yearless=specs)

    def point(self) -> tuple[Win, str] | tuple[Spec, str] | None:
        """A target of «с», «до», «по» or an end of a range: a dated stretch, a yearless
        stretch, a year or a school year. Returns the meaning and its sort."""
        token = self.take(DATE)
        if token:
            date = _date(*token.value)
            self.skip_year_words()
            return (Win(date, date), "date") if date else None
        school = self.attempt(self.school_years)
        if school is not None:
            if len(school) != 1:
                return None
            return Win(Date(school[0], 9, 1), Date(school[0] + 1, 8, 31)), "year"
        year = self.year()
        if year is not None:
            self.skip_year_words()
            return Win(Date(year, 1, 1), Date(year, 12, 31)), "year"
        specs = self.attempt(self.single_spec)
        if specs is None or len(specs) != 1:
            return None
        spec = specs[0]
        school = self.attempt(self.school_years)
        if school is not None:
            windows = _in_school_year(spec, school[0]) if len(school) == 1 else []
            return (windows[0], "spec") if len(windows) == 1 else None
        year = self.year()
        if year is not None:
            self.skip_year_words()
            window = spec.ending_in(year)
            return (Win(*window), "spec") if window else None
        return spec, "yearless"

    def dated_range(self) -> Item | None:
        """«ноябрь 2020 - январь 2021», «01.09.2020 - 30.09.2020», «декабрь 2019 - февраль»."""
        first = self.point()
        if first is None or first[1] == "yearless" or not self.dash():
            return None
        self.skip_fillers()
        last = self.point()
        if last is None:
            return None
        return _join(first, last)

    def from_(self) -> Item | None:
        if not (
            self.words("начиная", "с") or self.words("начиная", "со") or self.take(WORD, "с", "со")
        ):
            return None
        self.skip_fillers()
        day = self.attempt(self.from_day_range)
        if day is not None:
            return day
        first = self.point()
        if first is None:
            return None
        saved = self.pos
        if self.take(WORD, "по", "до") or self.dash():
            self.words("конца") or self.words("окончания")
            self.skip_fillers()
            last = self.point()
            if last is not None:
                return _join(first, last)
        self.pos = saved
        for tail in FROM_TAILS:
            if self.words(*tail):
                break
        meaning, sort = first
        if sort == "yearless":
            return Item(from_yearless=meaning, continuous=True)
        return Item(windows=[Win(meaning.start, Date.max)], continuous=True)

    def from_day_range(self) -> Item | None:
        """«с 1 по 15 сентября 2020»."""
        first = self.take(NUM)
        if first is None or not self.take(WORD, "по", "до"):
            return None
        rest = self.point()
        if rest is None:
            return None
        meaning, sort = rest
        if sort == "yearless":
            if meaning.first != meaning.last or meaning.first[1] is None:
                return None
            return Item(yearless=[Spec((meaning.first[0], first.value), meaning.last)])
        if sort not in {"date", "spec"} or meaning.start != meaning.end:
            return None
        start = _date(meaning.end.year, meaning.end.month, first.value)
        if start is None or start > meaning.end:
            return None
        return Item(windows=[Win(start, meaning.end)])

    def until(self) -> Item | None:
        if not (
            self.words("в", "срок", "до")
            or self.words("в", "срок", "не", "позднее")
            or self.words("срок", "до")
            or self.words("не", "позднее")
            or self.words("не", "позже")
            or self.take(WORD, "до", "по", "к")
        ):
            return None
        self.take(WORD, "чем")
        before_start = False
        if self.take(WORD, "начала"):
            before_start = True
        else:
            self.take(WORD, "конца", "концу", "окончания", "окончанию")
        self.skip_fillers()
        target = self.point()
        if target is None:
            return None
        meaning, sort = target
        if sort == "yearless":
            if meaning.crosses:
                return None
            return Item(until_yearless=[(meaning, before_start)])
        due = meaning.start - datetime.timedelta(days=1) if before_start else meaning.end
        return Item(windows=[Win(Date.min, due, soft=True)])

    def date_item(self) -> Item | None:
        """«15.09.2020», «20.05.2021г»."""
        token = self.take(DATE)
        if token is None:
            return None
        date = _date(*token.value)
        self.skip_year_words()
        return Item(windows=[Win(date, date)]) if date else None

    def year_item(self, during: bool) -> Item | None:
        years_range = self.attempt(self.year_range)
        if years_range is not None:
            first, last = years_range
            return Item(windows=[Win(Date(first, 1, 1), Date(last, 12, 31))], continuous=True)
        years = self.attempt(self.years)
        if years is None:
            return None
        windows = [Win(Date(y, 1, 1), Date(y, 12, 31)) for y in years]
        return Item(windows=windows, continuous=during and len(years) == 1)

    def school_item(self) -> Item | None:
        school = self.attempt(self.school_years)
        if school is None:
            return None
        windows = [Win(Date(y, 9, 1), Date(y + 1, 8, 31)) for y in school]
        return Item(windows=windows, continuous=len(windows) == 1)

    def continuous_phrase(self) -> Item | None:
        rest = " ".join(t.text for t in self.tokens[self.pos :])
        for phrase in CONTINUOUS_PHRASES:
            if rest == phrase or rest.startswith(phrase + " "):
                tail = self.tokens[self.pos + len(phrase.split()) :]
                if all(t.kind in {WORD, PUNCT, YEAR_WORD, SCHOOL} for t in tail):
                    self.pos = len(self.tokens)
                    return Item(period_span=True, continuous=True)
        return None

    def item(self) -> Item | None:
        phrase = self.attempt(self.continuous_phrase)
        if phrase is not None:
            return phrase
        for production in (self.from_, self.until):
            found = self.attempt(production)
            if found is not None:
                return found
        saved = self.pos
        during = self.skip_fillers()
        for production in (self.dated_range, self.date_item, self.school_item, self.group):
            found = self.attempt(production)
            if found is not None:
                return found
        found = self.attempt(self.year_item, during)
        if found is not None:
            return found
        self.pos = saved
        return None

    def frequency(self) -> int | None:
        """The step in months (0: finer than a month) or None."""
        self.skip_brackets()
        token = self.take(FREQ)
        if token:
            self.skip_brackets()
            return token.value
        if self.words("каждый", "год") or self.words("в", "каждом", "году"):
            return 12
        if self.words("каждый", "месяц"):
            return 1
        if self.words("каждый", "квартал"):
            return 3
        if self.words("каждую", "неделю"):
            return 0
        self.words("не", "реже") or self.words("не", "менее")
        times = 1
        token = self.peek()
        if token is not None and token.text in {"дважды", "трижды"}:
            self.pos += 1
            times = 2 if token.text == "дважды" else 3
        else:
            if token is not None and token.kind in {NUM, COUNT} and token.value:
                times = token.value
                self.pos += 1
            if not self.take(WORD, "раз", "раза"):
                return None
        if not self.take(WORD, "в"):
            return None
        every = 1
        token = self.peek()
        if token is not None and token.kind in {NUM, COUNT} and token.value:
            every = token.value
            self.pos += 1
        if self.take(SCHOOL):  # «раз в учебный год»
            if not self.take(YEAR_WORD):
                return None
            months = 12
        else:
            token = self.peek()
            if token is None:
                return None
            if token.text in _UNITS:
                months = _UNITS[token.text]
            elif token.kind in {HALF, HALF_YEAR}:
                months = 6
            else:
                return None
            self.pos += 1
        if months == 0:
            return 0
        months *= every
        if times < 1 or months % times:
            return None
        self.skip_brackets()
        return months // times

    def punctuation(self) -> bool:
        """Skip separators between items; True when there was one."""
        found = False
        while self.take(PUNCT, ",", ";", ":", "(", ")") or self.take(WORD, "и"):
            found = True
        return found

    def cell(self) -> tuple[int | None, list[Item]] | None:
        freq = self.attempt(self.frequency)
        items: list[Item] = []
        separated = True
        while True:
            separated = self.punctuation() or separated
            if self.at_end():
                return freq, items
            if freq is None and items:
                tail = self.attempt(self.final_frequency)
                if tail is not None:
                    return tail, items
            if not separated:
                return None
            found = self.item()
            if found is None:
                return None
            items.append(found)
            separated = False

    def final_frequency(self) -> int | None:
        """A frequency closing the cell: «в марте ежегодно», «май, октябрь - ежегодно»."""
        self.dash()
        freq = self.frequency()
        self.punctuation()
        return freq if freq is not None and self.at_end() else None


def _join(first, last) -> Item | None:
    """A range between two points: «ноябрь 2020 - январь 2021», «с сентября по май 2021»."""
    (a, sort_a), (b, sort_b) = first, last
    if sort_a == "yearless" and sort_b == "yearless":
        joined = Spec(a.first, b.last)
        return Item(yearless=[joined]) if joined.at(2000) or joined.at(2001) else None
    if sort_a == "yearless":
        # the start takes the latest year that keeps it before the end
        for year in (b.end.year, b.end.year - 1):
            window = a.at(year)
            if window and window[0] <= b.end:
                return Item(windows=[Win(window[0], b.end)])
        return None
    if sort_b == "yearless":
        for year in (a.start.year, a.start.year + 1):
            window = b.ending_in(year)
            if window and window[1] >= a.start:
                return Item(windows=[Win(a.start, window[1])])
        return None
    if b.end < a.start:
        return None
    return Item(windows=[Win(a.start, b.end)], continuous=sort_a == sort_b == "year")


def _in_school_year(spec: Spec, first_year: int) -> list[Win]:
    """A yearless stretch inside the school year that starts in September ``first_year``."""
    start, end = Date(first_year, 9, 1), Date(first_year + 1, 8, 31)
    if spec.unit == HALF and spec.first == (1, None) and spec.last == (6, None):
        return [Win(start, Date(first_year, 12, 31))]
    if spec.unit == HALF and spec.first == (7, None) and spec.last == (12, None):
        return [Win(Date(first_year + 1, 1, 1), Date(first_year + 1, 5, 31))]
    if spec.unit:
        raise Ambiguous("квартал или полугодие учебного года")
    found = []
    for year in (first_year, first_year + 1):
        window = spec.at(year)
        if window and start <= window[0] and window[1] <= end:
            found.append(Win(*window))
    if len(found) != 1:
        raise Ambiguous("не помещается в учебный год")
    return found


# --- placement ----------------------------------------------------------------------------


def _yearless(specs: list[Spec], period: Period, yearly: bool) -> list[Win]:
    """Place yearless stretches: every year of a multi-year period, once in a period of
    at most a year (unless a frequency asks for every year)."""
    once = is_short(period) and not yearly
    windows = []
    for spec in specs:
        found = []
        for year in range(period[0].year - 1, period[1].year + 1):
            window = spec.at(year)
            if window is None or window[0] > period[1] or window[1] < period[0]:
                continue
            # In a multi-year plan a window reaching back before the period belongs to the
            # previous cycle; in a short plan it is the one occurrence and gets clipped.
            if window[0] < period[0] and year < period[0].year and not once:
                continue
            found.append(Win(*window))
        windows.extend(found[:1] if once else found)
    return windows


def _until_yearless(targets, period: Period, yearly: bool) -> list[Win]:
    windows = []
    for spec, before_start in targets:
        found = []
        for year in period_years(period):
            window = spec.at(year)
            if window is None:
                continue
            due = window[0] - datetime.timedelta(days=1) if before_start else window[1]
            found.append(Win(Date(due.year, 1, 1), due, soft=True))
        if is_short(period) and not yearly:
            found = [w for w in found if period[0] <= w.end <= period[1]][:1]
        windows.extend(found)
    return windows


def _place(item: Item, period: Period, yearly: bool) -> list[Win]:
    windows = []
    for window in item.windows:
        start = period[0] if window.start == Date.min else window.start
        end = period[1] if window.end == Date.max else window.end
        windows.append(Win(start, end, window.soft))
    windows += _yearless(item.yearless, period, yearly)
    windows += _until_yearless(item.until_yearless, period, yearly)
    if item.from_yearless is not None:
        if not is_short(period):
            raise Ambiguous("«с …» без года в многолетнем плане")
        placed = _yearless([item.from_yearless], period, yearly=False)
        windows += [Win(w.start, period[1]) for w in placed]
    if item.period_span:
        windows.append(Win(*period))
    return windows


def _grid(window: Win, months: int) -> list[Win]:
    """Calendar-aligned cells of ``months`` months laid over a window, clipped to it."""
    cells = []
    year, month = window.start.year, 1
    while Date(year, month, 1) <= window.end:
        first, last = span(year, month, months)
        if last >= window.start:
            cells.append(Win(max(first, window.start), min(last, window.end)))
        year, month = add_months(year, month, months)
    return cells


def _clip(windows: list[Win], period: Period) -> list[Win]:
    start, end = period
    return [
        Win(max(w.start, start), min(w.end, end), w.soft)
        for w in windows
        if w.start <= end and w.end >= start
    ]


def _disjoint(windows: list[Win]) -> list[Window]:
    """Sorted, pairwise disjoint windows; an implied start gives way, written ones may not
    overlap."""
    result: list[Win] = []
    for window in sorted(set(windows), key=lambda w: (w.end, w.start, w.soft)):
        if result and window.start <= result[-1].end:
            previous = result[-1]
            if (window.start, window.end) == (previous.start, previous.end):
                continue
            if not window.soft:
                raise Ambiguous("сроки пересекаются")
            if window.end == previous.end:
                continue
            window = Win(previous.end + datetime.timedelta(days=1), window.end, True)
        result.append(window)
    return [(w.start, w.end) for w in result]


def parse_deadline(text: str, period: Period) -> Schedule:
    """Turn the «Сроки» text into a schedule within ``period`` (first day, last day)."""
    start, end = period
    if end < start:
        raise ValueError("period ends before it starts")
    raw = normalise(text).strip(" .;,")
    if not raw or raw in {"-", "—"}:
        return Schedule(UNSCHEDULED, reason=REASON_EMPTY)
    for phrase in UNSCHEDULED_PHRASES:
        if raw.startswith(phrase):
            return Schedule(UNSCHEDULED, reason=REASON_SEPARATE)
    try:
        parsed = Parser(tokenize(raw)).cell()
        if parsed is None or (parsed[0] is None and not parsed[1]):
            return Schedule(UNSCHEDULED, reason=REASON_UNKNOWN)
        return _schedule(*parsed, period)
    except Ambiguous as error:
        return Schedule(UNSCHEDULED, reason=f"{REASON_AMBIGUOUS}: {error}")
    except (ValueError, OverflowError):  # dates beyond the calendar («до начала 01.01.0001»)
        return Schedule(UNSCHEDULED, reason=REASON_UNKNOWN)


def _schedule(freq: int | None, items: list[Item], period: Period) -> Schedule:
    yearly = freq is not None and freq > 0
    rule = "сроки"
    if freq is None:
        if len(items) > 1 and any(item.continuous for item in items):
            raise Ambiguous("постоянный срок вместе с другими")
        windows = [w for item in items for w in _place(item, period, yearly)]
        continuous = len(items) == 1 and items[0].continuous
    elif freq == 0:
        windows = [w for item in items for w in _place(item, period, yearly)] or [Win(*period)]
        continuous = len(_clip(windows, period)) == 1
        rule = "постоянно"
    else:
        placed = [w for item in items for w in _place(item, period, yearly)]
        windows = []
        for window in placed or [Win(*period)]:
            if placed and months_long((window.start, window.end)) <= freq:
                windows.append(window)
            else:
                windows.extend(_grid(window, freq))
        continuous = False
        rule = f"раз в {freq} мес."
    clipped = _clip(windows, period)
    if not clipped:
        return Schedule(UNSCHEDULED, reason=REASON_OUTSIDE, rule=rule)
    final = tuple(_disjoint(clipped))
    if continuous:
        return Schedule(CONTINUOUS, final, rule=rule)
    return Schedule(ONCE if len(final) == 1 else RECURRING, final, rule=rule)
