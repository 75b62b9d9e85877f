"""Marks written in an imported plan: the column «Отметка об исполнении». Pure Python, no
Django.

An imported plan keeps that column's text as written (``Measure.status_text``). When the
plan enters execution (``execution.services.start_execution``) the text becomes marks
where it says clearly what happened; this module reads the text (``read_mark``) and says
which of the measure's records the mark applies to (``slots_to_mark``).

Reading the text
================

Nothing is guessed: a text that does not say clearly gives no mark (the record stays
open, a person marks it).

* **State.** A word that says it was done («Выполнено», «Исполнено», «Проведено»,
  «Проведены», «Состоялось», «Утверждён», «Подписаны», «Провели» …) is DONE; «частично»,
  «не в полном объёме», «не полностью», «не все», «3 из 5», «выполнено на 80 %» are
  PARTLY; a done word negated («не выполнено», «невыполнено», «не было проведено»,
  «не проводилось») is NOT_DONE. Work in progress or moved («в работе», «в процессе»,
  «выполняется», «будет проведено», «перенесено», «отменено», «планируется») gives no
  mark; so do a question mark, an unknown text, and a text that says two things («семинар
  проведён, анкетирование не проведено»). A text that says «частично» (or «не в полном
  объёме» …) is PARTLY whatever else it says was and was not done.
* **Dates.** Exact dates in every written form — «12.03.2020», «12.03.20», «12/03/2020»,
  «12-03-2020», «2020-03-12», «12 марта 2020 г.», «„12“ марта 2020 года», «12 мар. 2020» —
  are the days the measure was done; the mark's date is the latest (DONE and PARTLY only:
  a «не выполнено» has no date). A date that does not exist («31.02.2020») or lies outside
  2000–2099 makes the text unclear. A time that is not a day — a month («в марте 2020»),
  a day without a year («12.03», «12 марта»), a numbered quarter or half-year, a year —
  says only roughly when, so a text with such a time and no exact date gives no mark.

Which records the mark applies to
=================================

A record is what one organisation owes for one window (or reporting period) of the
measure, or once when the measure has no date. For each organisation that owes it:

* the text has dates (none may be after today: a mark from the future is a typo, so the
  whole text is unclear): each date picks the window it falls in, dated by the latest date
  that falls in it. A single window that no date falls in takes the latest date (done
  before the window opened, or late). A date between or outside the windows of a
  recurring schedule picks nothing: which occurrence it was is unclear;
* the text has no date: every window due before today (the window is over; the mark's
  date is unknown, and the status counts a done mark without a date as on time). Windows
  still open or to come stay open: the document cannot speak for them;
* records without a date (unscheduled measures) always take the mark, dated by the
  latest date of the text, if any.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import NamedTuple

from roadmaps.deadlines import (
    DAY_MONTH,
    HALF,
    MONTH,
    NUM,
    ORDINAL,
    QUARTER,
    ROMAN_NUMERAL,
    normalise,
    tokenize,
)
from roadmaps.deadlines import classify as classify_word

from .status import State

Date = datetime.date

# A paragraph is a report, not a mark: longer texts are not read.
MAX_TEXT = 1000
FIRST_YEAR, LAST_YEAR = 2000, 2099


class Reading(NamedTuple):
    """What a text says: the state (``status.State``, or None when it says nothing
    clearly), the day the measure was done (DONE and PARTLY only) and every exact date."""

    state: str | None
    done_on: Date | None = None
    dates: tuple[Date, ...] = ()


NOTHING = Reading(None)


class Slot(NamedTuple):
    """A record as ``slots_to_mark`` sees it: who owes it and its dates."""

    owner: Hashable
    starts_on: Date | None
    due_on: Date | None


# --- dates --------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d.])")
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_WORD_DATE = re.compile(r"(?<![\d.])(\d{1,2})\s*[\"»“”]?\s*([а-я]+)\.?\s*(\d{4})(?!\d)")


def _day(year: int, month: int, day: int) -> Date | None:
    if len(str(year)) == 2:
        year += 2000
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return Date(year, month, day)
    except ValueError:
        return None


def _dates(text: str) -> tuple[list[Date], str] | None:
    """The exact dates of the text and the text without them; None when a date-shaped
    part is not a date."""
    found: list[Date] = []
    bad = False

    def take(day: Date | None) -> str:
        nonlocal bad
        if day is None:
            bad = True
        else:
            found.append(day)
        return " "

    def word_date(match: re.Match) -> str:
        kind, month = classify_word(match.group(2))
        if kind != MONTH:
            return match.group(0)
        return take(_day(int(match.group(3)), int(month), int(match.group(1))))

    text = _ISO_DATE.sub(lambda m: take(_day(int(m[1]), int(m[2]), int(m[3]))), text)
    text = _NUMERIC_DATE.sub(lambda m: take(_day(int(m[4]), int(m[3]), int(m[1]))), text)
    text = _WORD_DATE.sub(word_date, text)
    return None if bad else (found, text)


def _rough_time(text: str) -> bool:
    """The text names a time that is not a day: a month, a day without a year, a numbered
    quarter or half-year, a year."""
    tokens = tokenize(text)
    for index, token in enumerate(tokens):
        if token.kind == MONTH:
            return True
        if token.kind == DAY_MONTH:
            month, day = token.value
            if 1 <= month <= 12 and 1 <= day <= 31:
                return True
        # «2 квартал», «IV кв.», «первое полугодие»; «1 раз в квартал» is a frequency.
        previous = tokens[index - 1].kind if index else None
        if token.kind in {QUARTER, HALF} and previous in {NUM, ROMAN_NUMERAL, ORDINAL}:
            return True
        if token.kind == NUM and len(token.text) == 4 and 1900 <= token.value <= 2100:
            return True
    return False


# --- state --------------------------------------------------------------------------------

# Short participles (выполнен, выполнено, выполнена, выполнены) of verbs that say a measure
# was done, and past forms of the same verbs.
_DONE_STEMS = (
    "выполнен",
    "исполнен",
    "проведен",
    "реализован",
    "осуществлен",
    "организован",
    "сделан",
    "завершен",
    "окончен",
    "подготовлен",
    "разработан",
    "утвержден",
    "подписан",
    "заключен",
    "создан",
    "издан",
    "принят",
    "размещен",
    "опубликован",
    "направлен",
    "представлен",
    "составлен",
    "сформирован",
    "оформлен",
    "обновлен",
    "обеспечен",
    "оказан",
    "обучен",
    "прошли",
    "прошел",
    "прошла",
)
_DONE_WORDS = frozenset(
    [stem + ending for stem in _DONE_STEMS for ending in ("", "о", "а", "ы")]
    + ["состоялся", "состоялась", "состоялось", "состоялись"]
    + [
        stem + ending
        for stem in ("выполнил", "исполнил", "провел", "реализовал", "организовал", "сделал")
        for ending in ("", "и", "а")
    ]
)
# Imperfective forms: the work goes on («выполняется», «проводятся»); negated they say it
# was not done («не проводилось»).
_ONGOING = re.compile(
    r"^(выполня|исполня|проводи|проводя|реализу|осуществля|организу|ведет|ведут"
    r"|продолжа|продолже)"
)
# Words that say the work is not finished or not due: no mark.
_OPEN = re.compile(
    r"(?<![а-я])(в работе|в процессе|в стадии|на стадии|будет|будут|планируе|запланир"
    r"|перенес|перенос|отмен|отлож|ожидает|не наступил|на согласовании|на утверждении"
    r"|не начат|не требуется)"
)
_PARTLY = re.compile(
    r"(?<![а-я])(частичн\w*|не в полном объеме|не в полной мере|не полностью|неполностью"
    r"|не все|не всех|не всеми)(?![а-я])"
)
_OUT_OF = re.compile(r"(?<!\d)(\d+)\s*из\s*(\d+)(?!\d)")
_PERCENT = re.compile(r"(?<![а-я])(?:выполнен|исполнен|реализован)\w*\s+на\s+(\d+)\s*%")
# «не было проведено»: a «не» reaches over these to the done word.
_NEGATION_FILLERS = frozenset({"было", "была", "были", "был"})


def _is_done_word(word: str) -> bool:
    return word in _DONE_WORDS


def _state(text: str) -> str | None:
    if "?" in text or _OPEN.search(text):
        return None
    signals: set[str] = set()
    if _PARTLY.search(text):
        signals.add(State.PARTLY)
        text = _PARTLY.sub(" ", text)
    for done, planned in _OUT_OF.findall(text):
        if 0 < int(done) < int(planned):
            signals.add(State.PARTLY)
    for share in _PERCENT.findall(text):
        if int(share) < 100:
            signals.add(State.PARTLY)
    words = re.findall(r"[а-я]+", text)
    for index, word in enumerate(words):
        if word == "не":
            following = words[index + 1 : index + 3]
            # «не было проведено»; «не в срок» is a late mark, not a missing one.
            if following[:1] and following[0] in _NEGATION_FILLERS:
                following = following[1:]
            if following and (_is_done_word(following[0]) or _ONGOING.match(following[0])):
                signals.add(State.NOT_DONE)
            continue
        previous = words[index - 1] if index else ""
        if previous == "не" or (
            index > 1 and previous in _NEGATION_FILLERS and words[index - 2] == "не"
        ):
            continue  # read with its «не» above
        if word.startswith("не") and _is_done_word(word[2:]):
            signals.add(State.NOT_DONE)
        elif _is_done_word(word):
            signals.add(State.DONE)
        elif _ONGOING.match(word):
            return None
    if State.PARTLY in signals:
        # «Частично» says it in one word, whatever else was and was not done.
        return State.PARTLY
    return signals.pop() if len(signals) == 1 else None


def read_mark(text: str | None) -> Reading:
    """What the text of the column «Отметка об исполнении» says (see the module's doc)."""
    text = normalise(text or "")
    if not text or len(text) > MAX_TEXT:
        return NOTHING
    parsed = _dates(text)
    if parsed is None:
        return NOTHING
    dates, rest = parsed
    if not dates and _rough_time(rest):
        return NOTHING
    state = _state(rest)
    if state is None:
        return NOTHING
    dates = sorted(set(dates))
    done_on = dates[-1] if dates and state in {State.DONE, State.PARTLY} else None
    return Reading(state, done_on, tuple(dates))


# --- which records ------------------------------------------------------------------------


def _contains(slot: Slot, day: Date) -> bool:
    return (slot.starts_on or slot.due_on) <= day <= slot.due_on


def slots_to_mark(reading: Reading, slots: Sequence[Slot], today: Date) -> dict[int, Date | None]:
    """The records (indexes into ``slots``) the mark applies to, each with its date (see
    the module's doc for the rule)."""
    if reading.state is None or any(day > today for day in reading.dates):
        return {}
    dated_mark = reading.state in {State.DONE, State.PARTLY}
    picked: dict[int, Date | None] = {}
    windows: dict[Hashable, list[int]] = defaultdict(list)
    for index, slot in enumerate(slots):
        if slot.due_on is None:
            picked[index] = reading.done_on
        elif not reading.dates:
            if slot.due_on < today:
                picked[index] = None
        else:
            windows[slot.owner].append(index)
    for indexes in windows.values():
        found: dict[int, Date] = {}
        for day in reading.dates:  # ascending: the latest date of a window wins
            for index in indexes:
                if _contains(slots[index], day):
                    found[index] = day
        if not found and len(indexes) == 1:
            found[indexes[0]] = reading.dates[-1]
        for index, day in found.items():
            picked[index] = day if dated_mark else None
    return picked
