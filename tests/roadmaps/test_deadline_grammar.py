"""The deadline grammar: every modifier with every form, as coordinators write them.

A table of phrases with their kind and exact windows for several plan periods, and
property tests over phrases composed from the grammar's parts and over random text.
"""

import calendar
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.deadlines import (
    CONTINUOUS,
    ONCE,
    RECURRING,
    UNSCHEDULED,
    parse_deadline,
)

D = datetime.date
Y2019 = (D(2019, 1, 1), D(2019, 12, 31))
Y2020 = (D(2020, 1, 1), D(2020, 12, 31))
Y2021 = (D(2021, 1, 1), D(2021, 12, 31))
Y2022 = (D(2022, 1, 1), D(2022, 12, 31))
Y19_22 = (D(2019, 1, 1), D(2022, 12, 31))
Y20_22 = (D(2020, 1, 1), D(2022, 12, 31))
SCHOOL = (D(2020, 9, 1), D(2021, 8, 31))  # a school year 2020/2021
FEB = (D(2020, 2, 1), D(2022, 12, 31))  # a period starting 1 February
ONE = (D(2020, 3, 1), D(2021, 2, 28))  # one year, not a calendar one


def last_day(year, month):
    return D(year, month, calendar.monthrange(year, month)[1])


def mo(year, month, last_month=None, last_year=None):
    """Whole months: mo(2020, 9) is September 2020, mo(2020, 12, 2, 2021) Dec–Feb."""
    return D(year, month, 1), last_day(last_year or year, last_month or month)


def q(year, first, last=None):
    return mo(year, first * 3 - 2, (last or first) * 3)


def h(year, half):
    return mo(year, 1, 6) if half == 1 else mo(year, 7, 12)


def yr(year, last=None):
    return D(year, 1, 1), D(last or year, 12, 31)


def day(year, month, first, last=None):
    return D(year, month, first), D(year, month, last or first)


def school(year):
    return D(year, 9, 1), D(year + 1, 8, 31)


def grid(period, months):
    """Calendar-aligned cells of ``months`` months, clipped to the period."""
    cells = []
    year, month = period[0].year, 1
    while D(year, month, 1) <= period[1]:
        index = year * 12 + month - 1 + months - 1
        first, last = D(year, month, 1), last_day(index // 12, index % 12 + 1)
        if last >= period[0]:
            cells.append((max(first, period[0]), min(last, period[1])))
        index += 1
        year, month = index // 12, index % 12 + 1
    return cells


def clip(period, *windows):
    return [
        (max(s, period[0]), min(e, period[1]))
        for s, e in windows
        if s <= period[1] and e >= period[0]
    ]


MONTHS = [
    # nominative, genitive, prepositional, a usual abbreviation
    ("январь", "января", "январе", "янв."),
    ("февраль", "февраля", "феврале", "февр."),
    ("март", "марта", "марте", "мар."),
    ("апрель", "апреля", "апреле", "апр."),
    ("май", "мая", "мае", "май"),
    ("июнь", "июня", "июне", "июнь"),
    ("июль", "июля", "июле", "июль"),
    ("август", "августа", "августе", "авг."),
    ("сентябрь", "сентября", "сентябре", "сент."),
    ("октябрь", "октября", "октябре", "окт."),
    ("ноябрь", "ноября", "ноябре", "нояб."),
    ("декабрь", "декабря", "декабре", "дек."),
]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
ORDINAL = {1: "первый", 2: "второй", 3: "третий", 4: "четвертый"}
ORDINAL_GEN = {1: "первого", 2: "второго", 3: "третьего", 4: "четвертого"}
ORDINAL_PREP = {1: "первом", 2: "втором", 3: "третьем", 4: "четвертом"}
HALF_NOM = {1: "первое", 2: "второе"}


def month_cases():
    cases = []
    for index, (nom, gen, prep, abbr) in enumerate(MONTHS):
        number = index + 1
        year = 2020 + index % 3
        cases += [
            (f"{nom.capitalize()} {year}", Y20_22, ONCE, [mo(year, number)]),
            (f"в {prep} {2022 - index % 3} года", Y20_22, ONCE, [mo(2022 - index % 3, number)]),
            (f"{nom} {2021}г.", Y20_22, ONCE, [mo(2021, number)]),
            (f"{abbr} 2022 г.", Y2022, ONCE, [mo(2022, number)]),
            # a yearless month in a school year is the one occurrence inside it
            (
                f"в течение {gen}",
                SCHOOL,
                ONCE,
                [mo(2020 if number >= 9 else 2021, number)],
            ),
            (f"в {prep}", Y19_22, RECURRING, [mo(y, number) for y in range(2019, 2023)]),
            (f"до {gen} 2021 г.", Y20_22, ONCE, [(D(2020, 1, 1), last_day(2021, number))]),
            (f"с {gen} 2021 года", Y20_22, CONTINUOUS, [(D(2021, number, 1), D(2022, 12, 31))]),
            (
                f"ежегодно в {prep}",
                FEB,
                RECURRING,
                [mo(y, number) for y in range(2020, 2023) if D(y, number, 1) >= FEB[0]],
            ),
            (f"по {nom} 2022", Y20_22, ONCE, [(D(2020, 1, 1), last_day(2022, number))]),
        ]
    return cases


def quarter_cases():
    cases = []
    for n in range(1, 5):
        r = ROMAN[n]
        cases += [
            (f"{n} квартал 2021 г.", Y20_22, ONCE, [q(2021, n)]),
            (f"{r} квартал 2020 года", Y20_22, ONCE, [q(2020, n)]),
            (f"{n}-й квартал 2022 года", Y20_22, ONCE, [q(2022, n)]),
            (f"{ORDINAL[n]} квартал 2021", Y20_22, ONCE, [q(2021, n)]),
            (f"в {ORDINAL_PREP[n]} квартале 2020 г.", Y20_22, ONCE, [q(2020, n)]),
            (f"{n} кв. 2021", Y20_22, ONCE, [q(2021, n)]),
            (f"{r} кв.", Y2021, ONCE, [q(2021, n)]),
            (f"{n}-й квартал", Y20_22, RECURRING, [q(y, n) for y in (2020, 2021, 2022)]),
            (
                f"до конца {r} квартала 2021 г.",
                Y20_22,
                ONCE,
                [(D(2020, 1, 1), q(2021, n)[1])],
            ),
            (
                f"не позднее {n} квартала 2022 г.",
                Y20_22,
                ONCE,
                [(D(2020, 1, 1), q(2022, n)[1])],
            ),
            (
                f"с {ORDINAL_GEN[n]} квартала 2021 года",
                Y20_22,
                CONTINUOUS,
                [(q(2021, n)[0], D(2022, 12, 31))],
            ),
            (f"в течение {r} квартала", Y2019, ONCE, [q(2019, n)]),
            (
                f"ежегодно в {r} квартале",
                Y20_22,
                RECURRING,
                [q(y, n) for y in (2020, 2021, 2022)],
            ),
        ]
    return cases


def half_cases():
    cases = []
    for n in (1, 2):
        r = ROMAN[n]
        cases += [
            (f"{n} полугодие 2021", Y20_22, ONCE, [h(2021, n)]),
            (f"{r} полугодие 2021 г.", Y20_22, ONCE, [h(2021, n)]),
            (f"{n}-е полугодие 2022 года", Y20_22, ONCE, [h(2022, n)]),
            (f"{HALF_NOM[n]} полугодие 2020 г.", Y20_22, ONCE, [h(2020, n)]),
            (f"в {ORDINAL_PREP[n]} полугодии 2021 года", Y20_22, ONCE, [h(2021, n)]),
            (f"до конца {r} полугодия 2021", Y20_22, ONCE, [(D(2020, 1, 1), h(2021, n)[1])]),
            (
                f"не позднее {n} полугодия 2022 г.",
                Y20_22,
                ONCE,
                [(D(2020, 1, 1), h(2022, n)[1])],
            ),
            (f"с {r} полугодия 2021 г.", Y20_22, CONTINUOUS, [(h(2021, n)[0], D(2022, 12, 31))]),
            (f"{r} полугодие", Y2019, ONCE, [h(2019, n)]),
            (f"ежегодно в {n} полугодии", Y20_22, RECURRING, [h(y, n) for y in (2020, 2021, 2022)]),
        ]
    return cases


R_Q = [q(2021, n) for n in range(1, 5)]

HAND_CASES = [
    # --- frequencies alone ------------------------------------------------------------------
    ("ежеквартально", Y19_22, RECURRING, grid(Y19_22, 3)),
    ("Ежеквартально", ONE, RECURRING, grid(ONE, 3)),
    ("ежеквартально", SCHOOL, RECURRING, grid(SCHOOL, 3)),
    ("Ежемесячно", Y2021, RECURRING, grid(Y2021, 1)),
    ("ежемесячно", FEB, RECURRING, grid(FEB, 1)),
    ("раз в полугодие", Y20_22, RECURRING, grid(Y20_22, 6)),
    ("раз в квартал", Y2022, RECURRING, grid(Y2022, 3)),
    ("2 раза в год", Y2021, RECURRING, grid(Y2021, 6)),
    ("дважды в год", Y20_22, RECURRING, grid(Y20_22, 6)),
    ("4 раза в год", Y20_22, RECURRING, grid(Y20_22, 3)),
    ("6 раз в год", Y2021, RECURRING, grid(Y2021, 2)),
    ("3 раза в год", Y2021, RECURRING, grid(Y2021, 4)),
    ("1 раз в месяц", Y2022, RECURRING, grid(Y2022, 1)),
    ("один раз в квартал", Y2021, RECURRING, grid(Y2021, 3)),
    ("не реже одного раза в квартал", Y2021, RECURRING, grid(Y2021, 3)),
    ("не реже 2 раз в год", Y20_22, RECURRING, grid(Y20_22, 6)),
    ("раз в 2 месяца", Y2021, RECURRING, grid(Y2021, 2)),
    ("1 раз в полгода", FEB, RECURRING, grid(FEB, 6)),
    ("ежеполугодно", Y2021, RECURRING, grid(Y2021, 6)),
    ("каждый месяц", Y2021, RECURRING, grid(Y2021, 1)),
    ("каждый квартал", Y2021, RECURRING, grid(Y2021, 3)),
    ("каждый год", Y19_22, RECURRING, grid(Y19_22, 12)),
    ("1 раз в год", FEB, RECURRING, grid(FEB, 12)),
    ("раз в год", Y2021, ONCE, [yr(2021)]),
    (
        "ежегодно",
        ONE,
        RECURRING,
        [(D(2020, 3, 1), D(2020, 12, 31)), (D(2021, 1, 1), D(2021, 2, 28))],
    ),
    ("еженедельно", Y20_22, CONTINUOUS, [Y20_22]),
    ("ежедневно", SCHOOL, CONTINUOUS, [SCHOOL]),
    ("1 раз в неделю", Y2021, CONTINUOUS, [Y2021]),
    ("каждую неделю", Y2021, CONTINUOUS, [Y2021]),
    ("ежемесячно в течение всего периода", Y2021, RECURRING, grid(Y2021, 1)),
    # --- frequencies with lists of months or quarters ---------------------------------------
    (
        "ежегодно в марте и октябре",
        Y20_22,
        RECURRING,
        [mo(y, m) for y in (2020, 2021, 2022) for m in (3, 10)],
    ),
    (
        "ежеквартально (март, июнь, сентябрь, декабрь)",
        Y2021,
        RECURRING,
        [mo(2021, m) for m in (3, 6, 9, 12)],
    ),
    (
        "Ежеквартально: январь, апрель, июль, октябрь",
        Y2022,
        RECURRING,
        [mo(2022, m) for m in (1, 4, 7, 10)],
    ),
    (
        "ежеквартально (март, июнь, сентябрь, декабрь)",
        SCHOOL,
        RECURRING,
        [mo(2020, 9), mo(2020, 12), mo(2021, 3), mo(2021, 6)],
    ),
    ("раз в полугодие (июнь, декабрь)", Y2021, RECURRING, [mo(2021, 6), mo(2021, 12)]),
    ("раз в полугодие (декабрь, июнь)", Y2020, RECURRING, [mo(2020, 6), mo(2020, 12)]),
    ("2 раза в год: май, ноябрь", Y2021, RECURRING, [mo(2021, 5), mo(2021, 11)]),
    (
        "2 раза в год (март, октябрь)",
        Y20_22,
        RECURRING,
        [mo(y, m) for y in (2020, 2021, 2022) for m in (3, 10)],
    ),
    ("ежегодно июнь – сентябрь", Y19_22, RECURRING, [mo(y, 6, 9) for y in range(2019, 2023)]),
    ("ежегодно в апреле и мае", Y2021, RECURRING, [mo(2021, 4), mo(2021, 5)]),
    ("Ежегодно, сентябрь", Y20_22, RECURRING, [mo(y, 9) for y in (2020, 2021, 2022)]),
    ("ежегодно в сентябре", ONE, ONCE, [mo(2020, 9)]),
    ("в марте ежегодно", Y20_22, RECURRING, [mo(y, 3) for y in (2020, 2021, 2022)]),
    (
        "май, октябрь - ежегодно",
        Y20_22,
        RECURRING,
        [mo(y, m) for y in (2020, 2021, 2022) for m in (5, 10)],
    ),
    ("каждый год в мае", Y20_22, RECURRING, [mo(y, 5) for y in (2020, 2021, 2022)]),
    (
        "ежегодно декабрь-февраль",
        Y20_22,
        RECURRING,
        [mo(2020, 12, 2, 2021), mo(2021, 12, 2, 2022), (D(2022, 12, 1), D(2022, 12, 31))],
    ),
    (
        "ежемесячно сентябрь-май",
        SCHOOL,
        RECURRING,
        [mo(2020, m) for m in (9, 10, 11, 12)] + [mo(2021, m) for m in range(1, 6)],
    ),
    ("ежемесячно в 2021 году", Y20_22, RECURRING, grid(Y2021, 1)),
    ("ежеквартально в течение 2021 года", Y20_22, RECURRING, R_Q),
    (
        "ежеквартально с сентября 2020 г.",
        Y20_22,
        RECURRING,
        [mo(2020, 9)] + [q(y, n) for y in (2020, 2021, 2022) for n in range(1, 5)][3:],
    ),
    ("ежемесячно до конца 2020 года", Y20_22, RECURRING, grid(Y2020, 1)),
    ("ежегодно в IV квартале", FEB, RECURRING, [q(y, 4) for y in (2020, 2021, 2022)]),
    ("ежегодно, 2020-2022 гг.", Y19_22, RECURRING, [yr(y) for y in (2020, 2021, 2022)]),
    (
        "ежегодно до 25 мая",
        Y20_22,
        RECURRING,
        [(D(y, 1, 1), D(y, 5, 25)) for y in (2020, 2021, 2022)],
    ),
    ("ежегодно к 1 октября", Y2021, ONCE, [(D(2021, 1, 1), D(2021, 10, 1))]),
    ("ежегодно до 2022 года", Y20_22, RECURRING, [yr(y) for y in (2020, 2021, 2022)]),
    ("еженедельно в сентябре 2020 г.", Y20_22, CONTINUOUS, [mo(2020, 9)]),
    ("еженедельно в течение 2021 года", Y20_22, CONTINUOUS, [yr(2021)]),
    # --- months and ranges with lists of years ---------------------------------------------
    ("в мае 2021 и 2022 гг.", Y20_22, RECURRING, [mo(2021, 5), mo(2022, 5)]),
    ("сентябрь-октябрь 2020, 2021 гг.", Y20_22, RECURRING, [mo(2020, 9, 10), mo(2021, 9, 10)]),
    ("май 2021, 2022 года", Y20_22, RECURRING, [mo(2021, 5), mo(2022, 5)]),
    ("март 2020, 2021, 2022 годов", Y20_22, RECURRING, [mo(y, 3) for y in (2020, 2021, 2022)]),
    ("октябрь 2020 и 2021 годов", Y20_22, RECURRING, [mo(2020, 10), mo(2021, 10)]),
    ("в апреле 2021 г. и 2022 г.", Y20_22, RECURRING, [mo(2021, 4), mo(2022, 4)]),
    ("ноябрь-декабрь 2020 и 2021 гг.", Y20_22, RECURRING, [mo(2020, 11, 12), mo(2021, 11, 12)]),
    (
        "сентябрь, октябрь 2020 и 2021 гг.",
        Y20_22,
        RECURRING,
        [mo(2020, 9), mo(2020, 10), mo(2021, 9), mo(2021, 10)],
    ),
    ("IV квартал 2020 и 2021 гг.", Y20_22, RECURRING, [q(2020, 4), q(2021, 4)]),
    ("II полугодие 2020, 2021 гг.", Y20_22, RECURRING, [h(2020, 2), h(2021, 2)]),
    ("1 сентября 2020, 2021 гг.", Y20_22, RECURRING, [day(2020, 9, 1), day(2021, 9, 1)]),
    (
        "апрель, май 2021 года, 2022 года",
        Y20_22,
        RECURRING,
        [mo(2021, 4), mo(2021, 5), mo(2022, 4), mo(2022, 5)],
    ),
    ("май 2019, 2020 гг.", Y2020, ONCE, [mo(2020, 5)]),
    ("декабрь-февраль 2021", Y20_22, ONCE, [mo(2020, 12, 2, 2021)]),
    (
        "декабрь - январь 2021, 2022 гг.",
        Y20_22,
        RECURRING,
        [mo(2020, 12, 1, 2021), mo(2021, 12, 1, 2022)],
    ),
    (
        "ноябрь, декабрь 2020 г.; март 2021 г.",
        Y20_22,
        RECURRING,
        [mo(2020, 11), mo(2020, 12), mo(2021, 3)],
    ),
    (
        "сентябрь 2020 года, январь, май 2021 года",
        Y20_22,
        RECURRING,
        [mo(2020, 9), mo(2021, 1), mo(2021, 5)],
    ),
    ("I и III кварталы 2021 г.", Y20_22, RECURRING, [q(2021, 1), q(2021, 3)]),
    ("1, 3 кварталы 2021", Y20_22, RECURRING, [q(2021, 1), q(2021, 3)]),
    ("II, IV кварталы", Y2020, RECURRING, [q(2020, 2), q(2020, 4)]),
    ("1 квартал, 3 квартал 2021", Y20_22, RECURRING, [q(2021, 1), q(2021, 3)]),
    ("в III-IV кварталах 2021 года", Y20_22, ONCE, [q(2021, 3, 4)]),
    ("I-IV кварталы 2021", Y20_22, ONCE, [yr(2021)]),
    ("1-2 кв. 2022 г.", Y20_22, ONCE, [q(2022, 1, 2)]),
    ("IV квартал 2020 г., I квартал 2021 г.", Y20_22, RECURRING, [q(2020, 4), q(2021, 1)]),
    # --- ranges of months across years -------------------------------------------------------
    ("ноябрь 2020 – январь 2021", Y20_22, ONCE, [mo(2020, 11, 1, 2021)]),
    ("январь 2021 г. — март 2021 г.", Y20_22, ONCE, [mo(2021, 1, 3)]),
    ("дек. 2020 - февр. 2021", Y20_22, ONCE, [mo(2020, 12, 2, 2021)]),
    ("с сентября по декабрь 2020 г.", Y20_22, ONCE, [mo(2020, 9, 12)]),
    ("с сентября 2020 г. по май 2021 г.", Y20_22, ONCE, [mo(2020, 9, 5, 2021)]),
    ("с января по май 2021", Y20_22, ONCE, [mo(2021, 1, 5)]),
    ("с января по май", Y20_22, RECURRING, [mo(y, 1, 5) for y in (2020, 2021, 2022)]),
    ("с декабря по февраль 2021 г.", Y20_22, ONCE, [mo(2020, 12, 2, 2021)]),
    ("сентябрь-май", SCHOOL, ONCE, [mo(2020, 9, 5, 2021)]),
    ("декабрь-февраль", ONE, ONCE, [mo(2020, 12, 2, 2021)]),
    ("январь", ONE, ONCE, [mo(2021, 1)]),
    ("ноябрь-декабрь", ONE, ONCE, [mo(2020, 11, 12)]),
    ("II полугодие", ONE, ONCE, [h(2020, 2)]),
    ("в 1 полугодии", SCHOOL, ONCE, [h(2021, 1)]),
    ("4 квартал", SCHOOL, ONCE, [q(2020, 4)]),
    ("в 1 полугодии", Y20_22, RECURRING, [h(y, 1) for y in (2020, 2021, 2022)]),
    # --- dashes of every kind, spaces missing -------------------------------------------------
    ("сентябрь-октябрь 2020", Y2020, ONCE, [mo(2020, 9, 10)]),
    ("сентябрь – октябрь 2020", Y2020, ONCE, [mo(2020, 9, 10)]),
    ("сентябрь—октябрь 2020", Y2020, ONCE, [mo(2020, 9, 10)]),
    ("сентябрь ‑ октябрь 2020", Y2020, ONCE, [mo(2020, 9, 10)]),
    ("сентябрь − октябрь 2020", Y2020, ONCE, [mo(2020, 9, 10)]),
    ("сентябрь -октябрь 2020 г.", Y2020, ONCE, [mo(2020, 9, 10)]),
    ("май-июнь2021", Y20_22, ONCE, [mo(2021, 5, 6)]),
    ("сентябрь-октябрь2020г.", Y20_22, ONCE, [mo(2020, 9, 10)]),
    ("сентябрь2020", Y20_22, ONCE, [mo(2020, 9)]),
    ("до01.03.2021", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 3, 1))]),
    ("с01.09.2020", Y20_22, CONTINUOUS, [(D(2020, 9, 1), D(2022, 12, 31))]),
    ("в2021году", Y20_22, ONCE, [yr(2021)]),
    ("2021г.", Y20_22, ONCE, [yr(2021)]),
    ("IIквартал 2021", Y20_22, ONCE, [q(2021, 2)]),
    ("2квартал 2021г.", Y20_22, ONCE, [q(2021, 2)]),
    ("IV кв.2020", Y20_22, ONCE, [q(2020, 4)]),
    # --- dates ------------------------------------------------------------------------------
    ("20.05.2021г", Y20_22, ONCE, [day(2021, 5, 20)]),
    ("20.05.2021 г.", Y20_22, ONCE, [day(2021, 5, 20)]),
    ("20.05.21", Y20_22, ONCE, [day(2021, 5, 20)]),
    ("1.3.2021", Y20_22, ONCE, [day(2021, 3, 1)]),
    ("01.03.2021г.", Y20_22, ONCE, [day(2021, 3, 1)]),
    ("с 01.09.2020 по 31.05.2021", Y20_22, ONCE, [(D(2020, 9, 1), D(2021, 5, 31))]),
    ("01.09.2020—31.05.2021", Y20_22, ONCE, [(D(2020, 9, 1), D(2021, 5, 31))]),
    ("15.09.2020 - 15.10.2021", Y20_22, ONCE, [(D(2020, 9, 15), D(2021, 10, 15))]),
    ("10 – 20 октября 2020 г.", Y20_22, ONCE, [day(2020, 10, 10, 20)]),
    ("25 мая 2021 года", Y20_22, ONCE, [day(2021, 5, 25)]),
    ("1 сентября - 15 октября 2020", Y20_22, ONCE, [(D(2020, 9, 1), D(2020, 10, 15))]),
    ("1 декабря 2020 г. - 31 января 2021 г.", Y20_22, ONCE, [(D(2020, 12, 1), D(2021, 1, 31))]),
    ("с 1 по 10 сентября 2020 г.", Y20_22, ONCE, [day(2020, 9, 1, 10)]),
    ("с 1 по 10 сентября", Y2021, ONCE, [day(2021, 9, 1, 10)]),
    ("01.09.2020, 01.09.2021", Y20_22, RECURRING, [day(2020, 9, 1), day(2021, 9, 1)]),
    ("25.05", Y2021, ONCE, [day(2021, 5, 25)]),
    ("1 сентября", Y20_22, RECURRING, [day(y, 9, 1) for y in (2020, 2021, 2022)]),
    ("15 и 25 мая", Y2021, UNSCHEDULED, []),
    # --- until: до / по / не позднее / не позже / в срок до / к ---------------------------------
    ("к 25 мая 2021 г.", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 5, 25))]),
    ("до 25 мая", SCHOOL, ONCE, [(D(2021, 1, 1), D(2021, 5, 25))]),
    ("до 25.12", SCHOOL, ONCE, [(D(2020, 9, 1), D(2020, 12, 25))]),
    ("до 25.05", Y20_22, RECURRING, [(D(y, 1, 1), D(y, 5, 25)) for y in (2020, 2021, 2022)]),
    ("не позднее 01.09.2021", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 9, 1))]),
    ("не позже 1 сентября 2021 г.", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 9, 1))]),
    ("в срок до 15.04.2021", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 4, 15))]),
    ("в срок до 15 апреля 2021 года", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 4, 15))]),
    ("в срок не позднее 30.06.2021", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 6, 30))]),
    ("до 31.12.2021 г.", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 12, 31))]),
    ("по 31.12.2021", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 12, 31))]),
    ("до 2021 г.", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 12, 31))]),
    ("по 2021 год", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 12, 31))]),
    ("до конца 2021 г.", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 12, 31))]),
    ("к концу 2021 года", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 12, 31))]),
    ("до конца I полугодия 2021", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 6, 30))]),
    ("не позднее 2 квартала 2021 г.", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 6, 30))]),
    ("до 2021/2022 учебного года", Y20_22, ONCE, [(D(2020, 1, 1), D(2022, 8, 31))]),
    ("до начала 2021/2022 учебного года", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 8, 31))]),
    ("до начала 2022 года", Y20_22, ONCE, [(D(2020, 1, 1), D(2021, 12, 31))]),
    ("по май 2022", Y20_22, ONCE, [(D(2020, 1, 1), D(2022, 5, 31))]),
    ("до конца декабря", Y2021, ONCE, [yr(2021)]),
    (
        "до 1 марта, до 1 июня 2021",
        Y2021,
        RECURRING,
        [(D(2021, 1, 1), D(2021, 3, 1)), (D(2021, 3, 2), D(2021, 6, 1))],
    ),
    ("до 31.12.2020, до 31.12.2021", Y20_22, RECURRING, [yr(2020), yr(2021)]),
    ("до 1 октября 2019", Y20_22, UNSCHEDULED, []),
    # --- from: с / со / начиная с ------------------------------------------------------------
    ("с сентября 2020 г.", Y20_22, CONTINUOUS, [(D(2020, 9, 1), D(2022, 12, 31))]),
    ("со 2 квартала 2021 г.", Y20_22, CONTINUOUS, [(D(2021, 4, 1), D(2022, 12, 31))]),
    ("с 2021/2022 учебного года", Y20_22, CONTINUOUS, [(D(2021, 9, 1), D(2022, 12, 31))]),
    ("с сентября 2020 г. и далее", Y20_22, CONTINUOUS, [(D(2020, 9, 1), D(2022, 12, 31))]),
    ("начиная с 01.09.2020 г.", Y20_22, CONTINUOUS, [(D(2020, 9, 1), D(2022, 12, 31))]),
    ("с 2021 года постоянно", Y20_22, CONTINUOUS, [(D(2021, 1, 1), D(2022, 12, 31))]),
    ("с 2020 по 2022 год", Y19_22, CONTINUOUS, [yr(2020, 2022)]),
    ("с сентября", SCHOOL, CONTINUOUS, [SCHOOL]),
    ("с января", SCHOOL, CONTINUOUS, [(D(2021, 1, 1), D(2021, 8, 31))]),
    ("с 2019 года", Y20_22, CONTINUOUS, [Y20_22]),
    # --- years and school years -------------------------------------------------------------
    ("2021 г.", Y20_22, ONCE, [yr(2021)]),
    ("2021 год", Y20_22, ONCE, [yr(2021)]),
    ("в 2021 году", Y20_22, ONCE, [yr(2021)]),
    ("в течение 2021 г.", Y20_22, CONTINUOUS, [yr(2021)]),
    ("2020 г.г.", Y20_22, ONCE, [yr(2020)]),
    ("2021 и 2022 годы", Y20_22, RECURRING, [yr(2021), yr(2022)]),
    ("2020, 2022 гг.", Y19_22, RECURRING, [yr(2020), yr(2022)]),
    ("2021–2022 годы", Y20_22, CONTINUOUS, [yr(2021, 2022)]),
    ("в течение 2021-2022 гг.", Y20_22, CONTINUOUS, [yr(2021, 2022)]),
    ("2019-2020", Y20_22, CONTINUOUS, [yr(2020)]),
    ("2020/2021 учебный год", Y20_22, CONTINUOUS, [school(2020)]),
    ("2020-2021 уч. год", Y20_22, CONTINUOUS, [school(2020)]),
    ("в 2020/2021 учебном году", Y20_22, CONTINUOUS, [school(2020)]),
    ("2021/22 уч.г.", Y20_22, CONTINUOUS, [school(2021)]),
    ("в 2020-2021 уч.году", Y20_22, CONTINUOUS, [school(2020)]),
    ("в течение 2020 - 2021 учебного года", Y20_22, CONTINUOUS, [school(2020)]),
    ("2020/2021, 2021/2022 уч. годы", Y20_22, RECURRING, [school(2020), school(2021)]),
    ("2021/2022 учебный год", Y2021, CONTINUOUS, [(D(2021, 9, 1), D(2021, 12, 31))]),
    ("I полугодие 2020/2021 учебного года", Y20_22, ONCE, [(D(2020, 9, 1), D(2020, 12, 31))]),
    ("II полугодие 2020/2021 уч. г.", Y20_22, ONCE, [(D(2021, 1, 1), D(2021, 5, 31))]),
    ("май 2020/2021 учебного года", Y20_22, ONCE, [mo(2021, 5)]),
    ("октябрь 2021/2022 уч. года", Y20_22, ONCE, [mo(2021, 10)]),
    # --- typos and the writing of coordinators -----------------------------------------------
    ("сентебрь 2020", Y20_22, ONCE, [mo(2020, 9)]),
    ("ферваль 2021", Y20_22, ONCE, [mo(2021, 2)]),
    ("нояборь 2020", Y20_22, ONCE, [mo(2020, 11)]),
    ("октябь 2021 г.", Y20_22, ONCE, [mo(2021, 10)]),
    ("сенятбрь", Y2021, ONCE, [mo(2021, 9)]),
    ("декаьрь 2020 года", Y20_22, ONCE, [mo(2020, 12)]),
    ("в сентябре 2020 г", Y20_22, ONCE, [mo(2020, 9)]),
    ("II кваратал 2021", Y20_22, ONCE, [q(2021, 2)]),
    ("1 полугдие 2021", Y20_22, ONCE, [h(2021, 1)]),
    ("ежеквартльно", Y2021, RECURRING, grid(Y2021, 3)),
    ("ceнтябрь 2020", Y20_22, ONCE, [mo(2020, 9)]),  # a Latin «c» and «e»
    ("СЕНТЯБРЬ-ОКТЯБРЬ 2020 Г.", Y20_22, ONCE, [mo(2020, 9, 10)]),
    ("Сентябрь  2020\u00a0г.", Y20_22, ONCE, [mo(2020, 9)]),
    ("сентябрь 2020 г.;", Y20_22, ONCE, [mo(2020, 9)]),
    ("«сентябрь 2020»", Y20_22, ONCE, [mo(2020, 9)]),
    ("Іквартал 2021", Y20_22, ONCE, [q(2021, 1)]),  # a Cyrillic «І»
    ("в конце сентября 2020", Y20_22, ONCE, [mo(2020, 9)]),
    ("в начале октября 2021 г.", Y20_22, ONCE, [mo(2021, 10)]),
    # --- continuous -------------------------------------------------------------------------
    ("Постоянно", Y2021, CONTINUOUS, [Y2021]),
    ("постоянно (по мере поступления)", Y20_22, CONTINUOUS, [Y20_22]),
    ("систематически", ONE, CONTINUOUS, [ONE]),
    ("на постоянной основе", Y20_22, CONTINUOUS, [Y20_22]),
    ("в течение всего периода реализации дорожной карты", Y20_22, CONTINUOUS, [Y20_22]),
    ("весь период", FEB, CONTINUOUS, [FEB]),
    ("круглогодично", Y2021, CONTINUOUS, [Y2021]),
    ("в постоянном режиме", SCHOOL, CONTINUOUS, [SCHOOL]),
    ("в течение 2020/2021 учебного года", Y20_22, CONTINUOUS, [school(2020)]),
    # --- unscheduled: unknown, ambiguous, outside the period -----------------------------------
    ("", Y2021, UNSCHEDULED, []),
    ("—", Y2021, UNSCHEDULED, []),
    ("по отдельному плану", Y2021, UNSCHEDULED, []),
    ("по мере необходимости", Y2021, UNSCHEDULED, []),
    ("в каникулы", Y2021, UNSCHEDULED, []),
    ("после утверждения плана", Y2021, UNSCHEDULED, []),
    ("по четвергам", Y2021, UNSCHEDULED, []),
    ("ежемесячно до 5 числа", Y2021, UNSCHEDULED, []),
    ("до конца учебного года", Y2021, UNSCHEDULED, []),
    ("V квартал 2021", Y2021, UNSCHEDULED, []),
    ("5 квартал", Y2021, UNSCHEDULED, []),
    ("3 полугодие", Y2021, UNSCHEDULED, []),
    ("I-V квартал 2021", Y2021, UNSCHEDULED, []),
    ("31.02.2021", Y2021, UNSCHEDULED, []),
    ("30 февраля", Y2021, UNSCHEDULED, []),
    ("сентябрь 2025", Y20_22, UNSCHEDULED, []),
    ("2018", Y20_22, UNSCHEDULED, []),
    ("I квартал 2020/2021 учебного года", Y20_22, UNSCHEDULED, []),
    ("с сентября", Y20_22, UNSCHEDULED, []),  # which September?
    ("март-май, апрель 2021", Y20_22, UNSCHEDULED, []),  # overlapping windows
    ("постоянно, в мае 2021", Y20_22, UNSCHEDULED, []),
    ("июнл 2021", Y20_22, UNSCHEDULED, []),  # июнь or июль?
    ("2020/2021", Y20_22, UNSCHEDULED, []),  # a school year or two years?
    ("ежегодно ежемесячно", Y20_22, UNSCHEDULED, []),
    ("январь 2022 - декабрь 2021", Y20_22, UNSCHEDULED, []),
    ("2022-2020 гг.", Y20_22, UNSCHEDULED, []),
    ("до", Y20_22, UNSCHEDULED, []),
    ("квартал", Y20_22, UNSCHEDULED, []),
    ("2 раза", Y20_22, UNSCHEDULED, []),
    ("сентябрь 2020 г. октябрь", Y20_22, UNSCHEDULED, []),
    ("в течение четверти", Y20_22, UNSCHEDULED, []),
    ("I четверть 2020/2021 учебного года", Y20_22, UNSCHEDULED, []),
]

CASES = month_cases() + quarter_cases() + half_cases() + HAND_CASES


def test_the_table_has_at_least_300_distinct_phrases():
    assert len({text for text, *_ in CASES}) >= 300


@pytest.mark.parametrize(
    ("text", "period", "kind", "windows"),
    CASES,
    ids=[f"{c[0][:40]!r}@{c[1][0]:%Y%m}" for c in CASES],
)
def test_phrase(text, period, kind, windows):
    schedule = parse_deadline(text, period)
    assert (schedule.kind, list(schedule.windows)) == (kind, windows), schedule
    if kind == UNSCHEDULED:
        assert schedule.reason


def test_ambiguity_is_explained():
    reason = parse_deadline("март-май, апрель 2021", Y20_22).reason
    assert reason.startswith("Срок неоднозначен")
    assert parse_deadline("с сентября", Y20_22).reason.startswith("Срок неоднозначен")


# --- properties ---------------------------------------------------------------------------

dashes = st.sampled_from(["-", " - ", "–", " – ", "—", "‑", "−", "- "])
years = st.integers(2017, 2025)
year_words = st.sampled_from(["", " г.", " г", "г.", " гг.", " года", " годов", " год", " году"])
months = st.sampled_from([form for forms in MONTHS for form in forms])
numbers = st.sampled_from(["1", "2", "3", "4", "I", "II", "III", "IV", "1-й", "2-го", "первый"])
quarters = st.builds(
    lambda n, word: f"{n} {word}",
    numbers,
    st.sampled_from(["квартал", "кв.", "квартала", "полугодие", "полугодия", "полугодии"]),
)
year_lists = st.lists(years, min_size=1, max_size=3).map(
    lambda ys: ", ".join(str(y) for y in ys)
) | st.builds(lambda a, b: f"{a} и {b}", years, years)
school_years = st.builds(
    lambda y, sep, word: f"{y}{sep}{y + 1} {word}",
    years,
    st.sampled_from(["/", "-"]),
    st.sampled_from(["учебный год", "уч. г.", "учебного года", "уч.год"]),
)
dates = st.builds(
    lambda d, m, y, short, g: f"{d:02d}.{m:02d}.{y % 100 if short else y}{g}",
    st.integers(1, 31),
    st.integers(1, 12),
    years,
    st.booleans(),
    st.sampled_from(["", "г", " г."]),
)
specs = (
    months
    | quarters
    | st.builds(lambda a, d, b: f"{a}{d}{b}", months, dashes, months)
    | st.builds(lambda d, m: f"{d} {m}", st.integers(1, 31), months)
)
dated = st.builds(lambda s, ys, w: f"{s} {ys}{w}", specs, year_lists, year_words) | dates
targets = dated | specs | school_years | st.builds(lambda y, w: f"{y}{w}", years, year_words)
prepositions = st.sampled_from(
    [
        "с",
        "со",
        "до",
        "по",
        "к",
        "не позднее",
        "не позже",
        "в срок до",
        "до конца",
        "в течение",
        "в",
        "",
    ]
)
frequencies = st.sampled_from(
    [
        "",
        "ежегодно",
        "Ежеквартально",
        "ежемесячно",
        "раз в полугодие",
        "раз в квартал",
        "2 раза в год",
        "еженедельно",
        "1 раз в 2 месяца",
    ]
)
items = st.builds(lambda p, t: f"{p} {t}".strip(), prepositions, targets) | st.builds(
    lambda a, d, b: f"с {a} по {b}" if d == "по" else f"{a}{d}{b}",
    dated,
    st.sampled_from(["по", "-", " – "]),
    dated,
)
phrases = st.builds(
    lambda f, sep, body, tail: f"{f}{sep}{body}{tail}",
    frequencies,
    st.sampled_from([" ", ", ", ": ", " ("]),
    st.lists(items, min_size=1, max_size=3).map(", ".join),
    st.sampled_from(["", ")", ";", " ежегодно", "."]),
)
periods = st.builds(
    lambda start, days: (start, start + datetime.timedelta(days=days)),
    st.dates(D(2018, 1, 1), D(2023, 12, 31)),
    st.integers(0, 1600),
)


def check(schedule, period):
    assert schedule.kind in {ONCE, RECURRING, CONTINUOUS, UNSCHEDULED}
    windows = list(schedule.windows)
    for start, end in windows:
        assert period[0] <= start <= end <= period[1]
    assert windows == sorted(windows)
    # pairwise disjoint: each window starts after the previous one ends
    for (_, previous_end), (start, _) in zip(windows, windows[1:], strict=False):
        assert start > previous_end
    if schedule.kind == UNSCHEDULED:
        assert not windows
        assert schedule.reason
    elif schedule.kind == RECURRING:
        assert len(windows) >= 2
    else:
        assert len(windows) == 1
    assert schedule.due_dates == tuple(end for _, end in windows)


@settings(max_examples=300, deadline=None)
@given(phrases, periods)
def test_composed_phrases_keep_the_invariants(text, period):
    check(parse_deadline(text, period), period)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), periods)
def test_random_text_keeps_the_invariants(text, period):
    check(parse_deadline(text, period), period)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="0123456789 .,;-–/()гкв IVаяюеьйи", max_size=30),
    periods,
)
def test_random_date_like_text_keeps_the_invariants(text, period):
    check(parse_deadline(text, period), period)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.sampled_from([0, 1, 2]), dashes, year_words)
def test_a_month_with_a_year_is_that_month(number, form, dash, year_word):
    word = MONTHS[number - 1][form]
    for text in (f"{word} 2021{year_word}", f"{word}{dash}{word} 2021{year_word}"):
        schedule = parse_deadline(text, Y20_22)
        assert (schedule.kind, list(schedule.windows)) == (ONCE, [mo(2021, number)]), text


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4), st.sampled_from(["{n}", "{r}", "{n}-й", "{o}"]), st.booleans())
def test_every_way_of_writing_a_quarter_is_that_quarter(n, pattern, abbreviated):
    number = pattern.format(n=n, r=ROMAN[n], o=ORDINAL[n])
    word = "кв." if abbreviated else "квартал"
    assert parse_deadline(f"{number} {word} 2021 г.", Y20_22).windows == (q(2021, n),)
    assert parse_deadline(f"до конца {number} {word} 2021", Y20_22).windows == (
        (D(2020, 1, 1), q(2021, n)[1]),
    )
    assert parse_deadline(f"ежегодно в {number} {word}", Y20_22).windows == tuple(
        q(y, n) for y in (2020, 2021, 2022)
    )
