"""The column «Отметка об исполнении» of an imported plan read as marks
(execution.imported): a table of texts as people write them."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execution.imported import NOTHING, Reading, Slot, read_mark, slots_to_mark

D = datetime.date
DONE, PARTLY, NOT_DONE = "done", "partly", "not_done"


@pytest.mark.parametrize(
    ("text", "state", "done_on"),
    [
        # Done, without a date.
        ("Выполнено", DONE, None),
        ("выполнено.", DONE, None),
        ("ВЫПОЛНЕНО", DONE, None),
        ("Исполнено", DONE, None),
        ("Проведено", DONE, None),
        ("Проведён", DONE, None),
        ("Проведены", DONE, None),
        ("Мероприятие состоялось", DONE, None),
        ("Выполнено в полном объёме", DONE, None),
        ("Выполнено не в срок", DONE, None),
        ("Выполнено с нарушением сроков", DONE, None),
        ("Соглашения подписаны", DONE, None),
        ("Утверждён", DONE, None),
        ("Провели семинар, протокол № 3", DONE, None),
        ("Выполнено, 1 раз в квартал", DONE, None),
        ("Выполнено (ежегодно)", DONE, None),
        ("Выпoлнено", DONE, None),  # a Latin «o» typed inside
        # Done, with a date in every written form.
        ("Проведено 12.03.2020", DONE, D(2020, 3, 12)),
        ("Проведено 12.03.20", DONE, D(2020, 3, 12)),
        ("Выполнено 5.3.2020", DONE, D(2020, 3, 5)),
        ("Выполнено 12/03/2020", DONE, D(2020, 3, 12)),
        ("Выполнено 12-03-2020", DONE, D(2020, 3, 12)),
        ("Выполнено 2020-03-12", DONE, D(2020, 3, 12)),
        ("Выполнено 12.03.2020г.", DONE, D(2020, 3, 12)),
        ("Проведено 12 марта 2020 г.", DONE, D(2020, 3, 12)),
        ("Проведено «12» марта 2020 года", DONE, D(2020, 3, 12)),
        ("Проведено „12“ марта 2020 года", DONE, D(2020, 3, 12)),
        ("Проведено 12 мар. 2020", DONE, D(2020, 3, 12)),
        ("Проведено 1 сентября 2020", DONE, D(2020, 9, 1)),
        ("Приказ от 10.09.2020 № 01-10/142-2 издан", DONE, D(2020, 9, 10)),
        ("Проведено 10.03.2020–12.03.2020", DONE, D(2020, 3, 12)),
        ("Проведены 12.03.2020 и 15.10.2020", DONE, D(2020, 10, 15)),
        ("Исполнено (протокол от 12.03.2020, в марте 2020)", DONE, D(2020, 3, 12)),
        # Partly.
        ("выполнено частично", PARTLY, None),
        ("Частично выполнено", PARTLY, None),
        ("Частично", PARTLY, None),
        ("Выполнено не в полном объёме", PARTLY, None),
        ("Выполнено не полностью", PARTLY, None),
        ("Проведены не все семинары", PARTLY, None),
        ("Проведено 3 из 5 семинаров", PARTLY, None),
        ("Выполнено на 80 %", PARTLY, None),
        ("Проведено частично 12.03.2020", PARTLY, D(2020, 3, 12)),
        ("Частично выполнено, частично не выполнено", PARTLY, None),
        # Not done.
        ("не выполнено", NOT_DONE, None),
        ("Не исполнено", NOT_DONE, None),
        ("Невыполнено", NOT_DONE, None),
        ("Не проведено", NOT_DONE, None),
        ("Не было проведено", NOT_DONE, None),
        ("Не проводилось", NOT_DONE, None),
        ("Семинар не состоялся", NOT_DONE, None),
        ("Не выполнено 01.06.2020", NOT_DONE, None),
        # No mark: in progress, moved, future, empty, unclear.
        ("", None, None),
        ("   ", None, None),
        ("-", None, None),
        ("нет", None, None),
        ("в работе", None, None),
        ("В процессе", None, None),
        ("Выполняется", None, None),
        ("Проводится ежемесячно", None, None),
        ("Ведётся", None, None),
        ("перенесено", None, None),
        ("Перенесено на 2021 год", None, None),
        ("Отменено", None, None),
        ("Будет проведено в мае", None, None),
        ("Планируется", None, None),
        ("Выполнено частично, в работе", None, None),
        ("Выполнено?", None, None),
        ("Срок не наступил", None, None),
        ("Семинар проведён, анкетирование не проведено", None, None),
        ("выполнено / не выполнено", None, None),
        ("Отчёт направлен в УО", DONE, None),
        ("Информация", None, None),
        ("Протокол заседания", None, None),
        # A time that is not a day: no mark.
        ("Выполнено в марте 2020", None, None),
        ("Выполнено в 2020 году", None, None),
        ("Выполнено во 2 квартале 2020 г.", None, None),
        ("Выполнено в I полугодии", None, None),
        ("Проведено 12.03", None, None),
        ("Проведено 12 марта", None, None),
        # A date that does not exist, or is out of range: no mark.
        ("Проведено 31.02.2020", None, None),
        ("Проведено 12.13.2020", None, None),
        ("Проведено 12.03.1920", None, None),
        # A paragraph is a report, not a mark.
        ("Выполнено. " + "Проведены семинары для учителей. " * 40, None, None),
    ],
)
def test_read_mark(text, state, done_on):
    reading = read_mark(text)
    assert (reading.state, reading.done_on) == (state, done_on)


def test_read_mark_keeps_every_date_in_order():
    assert read_mark("Проведены 15.10.2020 и 12.03.2020, 12.03.2020") == Reading(
        DONE, D(2020, 10, 15), (D(2020, 3, 12), D(2020, 10, 15))
    )
    assert read_mark("Не выполнено 01.06.2020") == Reading(NOT_DONE, None, (D(2020, 6, 1),))


def test_read_mark_takes_none():
    assert read_mark(None) == NOTHING


@given(st.text(max_size=200))
def test_read_mark_never_fails_and_dates_only_dated_marks(text):
    reading = read_mark(text)
    assert reading.state in {None, DONE, PARTLY, NOT_DONE}
    if reading.state is None:
        assert reading == NOTHING
    if reading.done_on is not None:
        assert reading.state in {DONE, PARTLY}
        assert reading.done_on == max(reading.dates)


# --- which records the mark applies to -----------------------------------------------------

TODAY = D(2021, 1, 15)
MARCH = ("school", D(2020, 3, 1), D(2020, 3, 31))
SEPTEMBER = ("school", D(2020, 9, 1), D(2020, 9, 30))
NEXT_MARCH = ("school", D(2021, 3, 1), D(2021, 3, 31))
OTHER_MARCH = ("other", D(2020, 3, 1), D(2020, 3, 31))
UNDATED = ("school", None, None)
RECURRING = [MARCH, SEPTEMBER, NEXT_MARCH, OTHER_MARCH]


def picked(text, slots, today=TODAY):
    rows = [Slot(*slot) for slot in slots]
    return {slots[index]: day for index, day in slots_to_mark(read_mark(text), rows, today).items()}


@pytest.mark.parametrize(
    ("text", "slots", "expected"),
    [
        # No date: every window due before today, for every organisation; open ones stay.
        (
            "Выполнено",
            RECURRING,
            {MARCH: None, SEPTEMBER: None, OTHER_MARCH: None},
        ),
        ("не выполнено", [MARCH, NEXT_MARCH], {MARCH: None}),
        # A date picks the window it falls in, for every organisation.
        (
            "Проведено 12.03.2020",
            RECURRING,
            {MARCH: D(2020, 3, 12), OTHER_MARCH: D(2020, 3, 12)},
        ),
        (
            "Проведено 12.03.2020, 20.09.2020",
            RECURRING,
            {MARCH: D(2020, 3, 12), SEPTEMBER: D(2020, 9, 20), OTHER_MARCH: D(2020, 3, 12)},
        ),
        # A single window with a date inside it ignores the dates outside it.
        ("Проведено 12.03.2020, 20.09.2020", [OTHER_MARCH], {OTHER_MARCH: D(2020, 3, 12)}),
        # Two dates in one window: the latest.
        ("Проведено 02.03.2020 и 12.03.2020", [MARCH], {MARCH: D(2020, 3, 12)}),
        # A single window no date falls in takes the latest: done early, or late.
        ("Проведено 20.02.2020", [MARCH], {MARCH: D(2020, 2, 20)}),
        ("Проведено 12.05.2020", [MARCH], {MARCH: D(2020, 5, 12)}),
        ("Проведено 12.05.2020, 20.02.2020", [MARCH], {MARCH: D(2020, 5, 12)}),
        # Between the windows of a recurring schedule: which occurrence it was is unclear.
        ("Проведено 12.05.2020", [MARCH, SEPTEMBER], {}),
        ("Проведено 12.05.2019", [MARCH, SEPTEMBER], {}),
        # A date after today: a typo, the whole text is unclear.
        ("Проведено 12.03.2020, 12.03.2021", RECURRING + [UNDATED], {}),
        # Records without a date take the mark, with the text's date if any.
        ("Выполнено", [UNDATED], {UNDATED: None}),
        (
            "Проведено 12.03.2020",
            [UNDATED, MARCH],
            {UNDATED: D(2020, 3, 12), MARCH: D(2020, 3, 12)},
        ),
        ("Не выполнено 12.03.2020", [UNDATED, MARCH], {UNDATED: None, MARCH: None}),
        # Nothing clear: nothing marked.
        ("в работе", RECURRING + [UNDATED], {}),
        # Due today is not over yet.
        ("Выполнено", [("school", D(2021, 1, 1), D(2021, 1, 15))], {}),
    ],
)
def test_slots_to_mark(text, slots, expected):
    assert picked(text, slots) == expected


def test_a_reporting_period_without_a_first_day_is_picked_by_its_due_day():
    slot = ("school", None, D(2020, 3, 31))
    assert picked("Проведено 31.03.2020", [slot, SEPTEMBER]) == {slot: D(2020, 3, 31)}
