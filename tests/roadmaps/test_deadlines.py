"""The deadline parser, table-driven: phrases as Russian plans word them."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from roadmaps.deadlines import parse_deadline

D = datetime.date
NOVOKUBANSKY = (D(2019, 1, 1), D(2022, 12, 31))  # «на 2019-2022 годы»
PONOMAREVSKY = (D(2020, 1, 1), D(2022, 12, 31))  # «на 2020 год и период до 2022 года»
RESOURCES = (D(2020, 1, 1), D(2020, 12, 31))  # «2020 год»
SCHOOL_YEAR = (D(2020, 9, 1), D(2021, 8, 31))  # «на 2020/2021 учебный год»
FEB_START = (D(2020, 2, 1), D(2022, 12, 31))


def m(year, month, last_month=None, last_year=None):
    """A window of whole months."""
    import calendar

    last_month = last_month or month
    last_year = last_year or year
    return (
        D(year, month, 1),
        D(last_year, last_month, calendar.monthrange(last_year, last_month)[1]),
    )


def yearly(years, month, last_month=None):
    return [m(y, month, last_month) for y in years]


Y19_22 = range(2019, 2023)
Y20_22 = range(2020, 2023)

CASES = [
    # --- the samples, with their periods -------------------------------------------------
    ("В течение периода", NOVOKUBANSKY, "continuous", [NOVOKUBANSKY]),
    ("Сентябрь-октябрь 2019", NOVOKUBANSKY, "once", [m(2019, 9, 10)]),
    ("март", NOVOKUBANSKY, "recurring", yearly(Y19_22, 3)),
    ("апрель", NOVOKUBANSKY, "recurring", yearly(Y19_22, 4)),
    ("Ноябрь", NOVOKUBANSKY, "recurring", yearly(Y19_22, 11)),
    ("Август-сентябрь 2019", NOVOKUBANSKY, "once", [m(2019, 8, 9)]),
    (
        "2 раза в год",
        NOVOKUBANSKY,
        "recurring",
        [w for y in Y19_22 for w in (m(y, 1, 6), m(y, 7, 12))],
    ),
    ("1 раз в год", NOVOKUBANSKY, "recurring", [m(y, 1, 12) for y in Y19_22]),
    ("Январь", NOVOKUBANSKY, "recurring", yearly(Y19_22, 1)),
    ("Февраль", NOVOKUBANSKY, "recurring", yearly(Y19_22, 2)),
    ("Сентябрь 2019", NOVOKUBANSKY, "once", [m(2019, 9)]),
    ("Октябрь-ноябрь 2019", NOVOKUBANSKY, "once", [m(2019, 10, 11)]),
    ("Ноябрь-декабрь 2019", NOVOKUBANSKY, "once", [m(2019, 11, 12)]),
    ("Март-май", NOVOKUBANSKY, "recurring", yearly(Y19_22, 3, 5)),
    ("Июнь", NOVOKUBANSKY, "recurring", yearly(Y19_22, 6)),
    ("Июль-август", NOVOKUBANSKY, "recurring", yearly(Y19_22, 7, 8)),
    ("Июль- август 2021", NOVOKUBANSKY, "once", [m(2021, 7, 8)]),
    ("Июль", NOVOKUBANSKY, "recurring", yearly(Y19_22, 7)),
    ("Декабрь", NOVOKUBANSKY, "recurring", yearly(Y19_22, 12)),
    ("Август 2019", NOVOKUBANSKY, "once", [m(2019, 8)]),
    (
        "1 раз в 2 месяца",
        NOVOKUBANSKY,
        "recurring",
        [m(y, mo, mo + 1) for y in Y19_22 for mo in (1, 3, 5, 7, 9, 11)],
    ),
    ("", NOVOKUBANSKY, "unscheduled", []),
    ("сентябрь 2020 года", PONOMAREVSKY, "once", [m(2020, 9)]),
    ("в течение всего периода", PONOMAREVSKY, "continuous", [PONOMAREVSKY]),
    ("сентябрь- октябрь 2020 года", PONOMAREVSKY, "once", [m(2020, 9, 10)]),
    ("январь-февраль 2021 года", PONOMAREVSKY, "once", [m(2021, 1, 2)]),
    ("январь-май 2021 года", PONOMAREVSKY, "once", [m(2021, 1, 5)]),
    ("сентябрь-октябрь 2020 года", PONOMAREVSKY, "once", [m(2020, 9, 10)]),
    ("сентябрь- декабрь 2021 года", PONOMAREVSKY, "once", [m(2021, 9, 12)]),
    ("сентябрь", PONOMAREVSKY, "recurring", yearly(Y20_22, 9)),
    ("по отдельному плану", PONOMAREVSKY, "unscheduled", []),
    ("октябрь-ноябрь 2020 года", PONOMAREVSKY, "once", [m(2020, 10, 11)]),
    ("октябрь 2020 года", PONOMAREVSKY, "once", [m(2020, 10)]),
    ("март 2021 года", PONOMAREVSKY, "once", [m(2021, 3)]),
    ("в течение года", PONOMAREVSKY, "continuous", [PONOMAREVSKY]),
    ("2020 года", PONOMAREVSKY, "once", [m(2020, 1, 12)]),
    ("октябрь", RESOURCES, "once", [m(2020, 10)]),
    ("ноябрь", RESOURCES, "once", [m(2020, 11)]),
    ("декабрь", RESOURCES, "once", [m(2020, 12)]),
    ("октябрь - ноябрь", RESOURCES, "once", [m(2020, 10, 11)]),
    ("             октябрь", RESOURCES, "once", [m(2020, 10)]),
    # --- the families of DOMAIN.md ----------------------------------------------------------
    ("Ежегодно июнь - сентябрь", FEB_START, "recurring", yearly(Y20_22, 6, 9)),
    ("ежегодно в сентябре", PONOMAREVSKY, "recurring", yearly(Y20_22, 9)),
    ("Ежегодно", PONOMAREVSKY, "recurring", [m(y, 1, 12) for y in Y20_22]),
    (
        "ежегодно, до 1 сентября",
        PONOMAREVSKY,
        "recurring",
        [(D(y, 1, 1), D(y, 9, 1)) for y in Y20_22],
    ),
    (
        "Ежеквартально",
        RESOURCES,
        "recurring",
        [m(2020, 1, 3), m(2020, 4, 6), m(2020, 7, 9), m(2020, 10, 12)],
    ),
    ("ежемесячно", RESOURCES, "recurring", [m(2020, mo) for mo in range(1, 13)]),
    (
        "1 раз в квартал",
        RESOURCES,
        "recurring",
        [m(2020, 1, 3), m(2020, 4, 6), m(2020, 7, 9), m(2020, 10, 12)],
    ),
    (
        "раз в квартал",
        RESOURCES,
        "recurring",
        [m(2020, 1, 3), m(2020, 4, 6), m(2020, 7, 9), m(2020, 10, 12)],
    ),
    ("один раз в полгода", RESOURCES, "recurring", [m(2020, 1, 6), m(2020, 7, 12)]),
    ("1 раз в полугодие", RESOURCES, "recurring", [m(2020, 1, 6), m(2020, 7, 12)]),
    ("раз в месяц", RESOURCES, "recurring", [m(2020, mo) for mo in range(1, 13)]),
    ("1 раз в месяц", RESOURCES, "recurring", [m(2020, mo) for mo in range(1, 13)]),
    (
        "4 раза в год",
        RESOURCES,
        "recurring",
        [m(2020, 1, 3), m(2020, 4, 6), m(2020, 7, 9), m(2020, 10, 12)],
    ),
    ("2 раза в полгода", RESOURCES, "recurring", [m(2020, mo, mo + 2) for mo in (1, 4, 7, 10)]),
    ("1 раз в 3 месяца", RESOURCES, "recurring", [m(2020, mo, mo + 2) for mo in (1, 4, 7, 10)]),
    ("1 раз в 6 месяцев", RESOURCES, "recurring", [m(2020, 1, 6), m(2020, 7, 12)]),
    (
        "не реже 1 раза в квартал",
        RESOURCES,
        "recurring",
        [m(2020, mo, mo + 2) for mo in (1, 4, 7, 10)],
    ),
    ("два раза в год", RESOURCES, "recurring", [m(2020, 1, 6), m(2020, 7, 12)]),
    ("ежегодно", RESOURCES, "once", [m(2020, 1, 12)]),
    ("2 квартал", PONOMAREVSKY, "recurring", yearly(Y20_22, 4, 6)),
    ("IV квартал", PONOMAREVSKY, "recurring", yearly(Y20_22, 10, 12)),
    ("IV квартал 2020", PONOMAREVSKY, "once", [m(2020, 10, 12)]),
    ("IV квартал 2020 г.", PONOMAREVSKY, "once", [m(2020, 10, 12)]),
    ("I квартал 2021 года", PONOMAREVSKY, "once", [m(2021, 1, 3)]),
    ("III квартал", RESOURCES, "once", [m(2020, 7, 9)]),
    ("в течение III квартала", RESOURCES, "once", [m(2020, 7, 9)]),
    ("1 квартал 2021", PONOMAREVSKY, "once", [m(2021, 1, 3)]),
    ("I-II квартал 2021", PONOMAREVSKY, "once", [m(2021, 1, 6)]),
    ("II-III кв. 2020", PONOMAREVSKY, "once", [m(2020, 4, 9)]),
    ("4 кв. 2021 г.", PONOMAREVSKY, "once", [m(2021, 10, 12)]),
    ("1 полугодие 2020", PONOMAREVSKY, "once", [m(2020, 1, 6)]),
    ("II полугодие 2021 года", PONOMAREVSKY, "once", [m(2021, 7, 12)]),
    ("II полугодие", RESOURCES, "once", [m(2020, 7, 12)]),
    ("первое полугодие", SCHOOL_YEAR, "once", [m(2021, 1, 6)]),
    ("2 полугодие", PONOMAREVSKY, "recurring", yearly(Y20_22, 7, 12)),
    ("Постоянно", PONOMAREVSKY, "continuous", [PONOMAREVSKY]),
    ("постоянно", SCHOOL_YEAR, "continuous", [SCHOOL_YEAR]),
    ("Систематически", RESOURCES, "continuous", [RESOURCES]),
    ("в течение учебного года", SCHOOL_YEAR, "continuous", [SCHOOL_YEAR]),
    ("В течение 2021 года", PONOMAREVSKY, "continuous", [m(2021, 1, 12)]),
    ("еженедельно", RESOURCES, "continuous", [RESOURCES]),
    ("с сентября 2020 года", PONOMAREVSKY, "continuous", [(D(2020, 9, 1), D(2022, 12, 31))]),
    ("с 2021 года", PONOMAREVSKY, "continuous", [(D(2021, 1, 1), D(2022, 12, 31))]),
    ("с 01.09.2020", PONOMAREVSKY, "continuous", [(D(2020, 9, 1), D(2022, 12, 31))]),
    ("начиная с января 2021 г.", PONOMAREVSKY, "continuous", [(D(2021, 1, 1), D(2022, 12, 31))]),
    ("до 1 октября 2020", PONOMAREVSKY, "once", [(D(2020, 1, 1), D(2020, 10, 1))]),
    ("до 01.10.2020", PONOMAREVSKY, "once", [(D(2020, 1, 1), D(2020, 10, 1))]),
    ("до 01.10.2020 г.", PONOMAREVSKY, "once", [(D(2020, 1, 1), D(2020, 10, 1))]),
    ("до конца 2020 года", PONOMAREVSKY, "once", [(D(2020, 1, 1), D(2020, 12, 31))]),
    ("до 2022 года", PONOMAREVSKY, "once", [PONOMAREVSKY]),
    ("до декабря 2020", PONOMAREVSKY, "once", [(D(2020, 1, 1), D(2020, 12, 31))]),
    ("не позднее 15 сентября 2020 г.", PONOMAREVSKY, "once", [(D(2020, 1, 1), D(2020, 9, 15))]),
    ("до 25 мая", SCHOOL_YEAR, "once", [(D(2021, 1, 1), D(2021, 5, 25))]),
    ("15.09.2020", PONOMAREVSKY, "once", [(D(2020, 9, 15), D(2020, 9, 15))]),
    ("15.09.20", PONOMAREVSKY, "once", [(D(2020, 9, 15), D(2020, 9, 15))]),
    ("15 сентября 2020 г.", PONOMAREVSKY, "once", [(D(2020, 9, 15), D(2020, 9, 15))]),
    ("10-15 сентября 2020", PONOMAREVSKY, "once", [(D(2020, 9, 10), D(2020, 9, 15))]),
    ("01.09.2020 - 30.09.2020", PONOMAREVSKY, "once", [m(2020, 9)]),
    ("01.09.2020–30.09.2020", PONOMAREVSKY, "once", [m(2020, 9)]),
    ("20 октября", RESOURCES, "once", [(D(2020, 10, 20), D(2020, 10, 20))]),
    ("25 августа", PONOMAREVSKY, "recurring", [(D(y, 8, 25), D(y, 8, 25)) for y in Y20_22]),
    ("2020-2021 учебный год", PONOMAREVSKY, "continuous", [(D(2020, 9, 1), D(2021, 8, 31))]),
    ("2020/2021 уч. г.", PONOMAREVSKY, "continuous", [(D(2020, 9, 1), D(2021, 8, 31))]),
    ("2020/21 учебный год", PONOMAREVSKY, "continuous", [(D(2020, 9, 1), D(2021, 8, 31))]),
    (
        "2020/2021, 2021/2022 учебные годы",
        PONOMAREVSKY,
        "recurring",
        [(D(2020, 9, 1), D(2021, 8, 31)), (D(2021, 9, 1), D(2022, 8, 31))],
    ),
    ("2021", PONOMAREVSKY, "once", [m(2021, 1, 12)]),
    ("2020, 2021 годы", PONOMAREVSKY, "recurring", [m(2020, 1, 12), m(2021, 1, 12)]),
    ("2020 и 2022 гг.", PONOMAREVSKY, "recurring", [m(2020, 1, 12), m(2022, 1, 12)]),
    ("2020-2022 гг.", PONOMAREVSKY, "continuous", [PONOMAREVSKY]),
    ("2020 - 2021 годы", PONOMAREVSKY, "continuous", [(D(2020, 1, 1), D(2021, 12, 31))]),
    ("ежегодно 2020-2022", PONOMAREVSKY, "recurring", [m(y, 1, 12) for y in Y20_22]),
    (
        "сентябрь, декабрь, март, май",
        SCHOOL_YEAR,
        "recurring",
        [m(2020, 9), m(2020, 12), m(2021, 3), m(2021, 5)],
    ),
    ("Сентябрь 2020, январь 2021", PONOMAREVSKY, "recurring", [m(2020, 9), m(2021, 1)]),
    ("сентябрь, октябрь 2020", PONOMAREVSKY, "recurring", [m(2020, 9), m(2020, 10)]),
    ("ноябрь 2020 - январь 2021", PONOMAREVSKY, "once", [m(2020, 11, 1, 2021)]),
    ("декабрь-февраль", SCHOOL_YEAR, "once", [m(2020, 12, 2, 2021)]),
    ("Март", SCHOOL_YEAR, "once", [m(2021, 3)]),
    ("в марте", SCHOOL_YEAR, "once", [m(2021, 3)]),
    ("в течение сентября", SCHOOL_YEAR, "once", [m(2020, 9)]),
    ("май, сентябрь", RESOURCES, "recurring", [m(2020, 5), m(2020, 9)]),
    ("апрель и октябрь", RESOURCES, "recurring", [m(2020, 4), m(2020, 10)]),
    ("август 2019", PONOMAREVSKY, "unscheduled", []),
    ("май 2025", PONOMAREVSKY, "unscheduled", []),
    ("Декабрь 2019 - февраль 2020", PONOMAREVSKY, "once", [m(2020, 1, 2)]),
    ("сентябрь\n2020", PONOMAREVSKY, "once", [m(2020, 9)]),
    ("СЕНТЯБРЬ 2020 Г.", PONOMAREVSKY, "once", [m(2020, 9)]),
    ("сентябрь 2020 г.;", PONOMAREVSKY, "once", [m(2020, 9)]),
    (
        "IV квартал 2020, II квартал 2021",
        PONOMAREVSKY,
        "recurring",
        [m(2020, 10, 12), m(2021, 4, 6)],
    ),
    ("по мере необходимости", PONOMAREVSKY, "unscheduled", []),
    ("По запросу школ", PONOMAREVSKY, "unscheduled", []),
    ("по согласованию с ИРО", PONOMAREVSKY, "unscheduled", []),
    ("-", PONOMAREVSKY, "unscheduled", []),
    ("после утверждения плана", PONOMAREVSKY, "unscheduled", []),
    ("в каникулы", PONOMAREVSKY, "unscheduled", []),
    ("32.13.2020", PONOMAREVSKY, "unscheduled", []),
    ("V квартал", PONOMAREVSKY, "unscheduled", []),
]


def test_there_are_enough_phrases():
    assert len(CASES) >= 110


@pytest.mark.parametrize(
    ("text", "period", "kind", "windows"), CASES, ids=[repr(c[0])[:40] for c in CASES]
)
def test_phrase(text, period, kind, windows):
    schedule = parse_deadline(text, period)
    assert schedule.kind == kind, schedule
    assert list(schedule.windows) == sorted(windows)


def test_unscheduled_says_why():
    assert parse_deadline("по отдельному плану", PONOMAREVSKY).reason
    assert parse_deadline("май 2025", PONOMAREVSKY).reason == "Срок вне периода плана"
    assert parse_deadline("как получится", PONOMAREVSKY).reason == "Не удалось распознать срок"


def test_windows_are_clipped_to_the_period():
    schedule = parse_deadline("в течение всего периода", (D(2020, 3, 15), D(2020, 6, 10)))
    assert schedule.windows == ((D(2020, 3, 15), D(2020, 6, 10)),)
    schedule = parse_deadline("2 раза в год", (D(2020, 3, 1), D(2020, 12, 31)))
    assert schedule.windows == ((D(2020, 3, 1), D(2020, 6, 30)), (D(2020, 7, 1), D(2020, 12, 31)))


def test_due_dates_are_the_last_days_of_windows():
    assert parse_deadline("Март-май", (D(2020, 1, 1), D(2021, 12, 31))).due_dates == (
        D(2020, 5, 31),
        D(2021, 5, 31),
    )


def test_json_shape():
    assert parse_deadline("Сентябрь 2019", NOVOKUBANSKY).to_json() == {
        "kind": "once",
        "windows": [["2019-09-01", "2019-09-30"]],
    }


def test_reversed_period_is_refused():
    with pytest.raises(ValueError, match="period"):
        parse_deadline("Сентябрь", (D(2021, 1, 1), D(2020, 1, 1)))


def test_the_parser_is_pure_python():
    code = "import sys, roadmaps.deadlines; print(any(name.startswith('django') for name in sys.modules))"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
