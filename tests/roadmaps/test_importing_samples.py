"""The three real plans of the samples come in whole and right, from .docx and from text."""

import datetime
from pathlib import Path

import pytest

from roadmaps.importing import parse_plan
from tests.roadmaps import sample_plans as expected

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
pytestmark = pytest.mark.skipif(
    not SAMPLES.exists(), reason="../shared/samples is not beside the repository"
)

CASES = {
    "novokubansky-cro-2019-2022": (expected.NOVOKUBANSKY_SECTIONS, expected.NOVOKUBANSKY_MEASURES),
    "ponomarevsky-order-2020": (expected.PONOMAREVSKY_SECTIONS, expected.PONOMAREVSKY_MEASURES),
    "municipal-resources-2020": (expected.RESOURCES_SECTIONS, expected.RESOURCES_MEASURES),
}
FILES = [(name, ext) for name in CASES for ext in ("docx", "txt")]


def parse(name, ext):
    path = SAMPLES / f"{name}.{ext}"
    return parse_plan(path.read_bytes(), path.name)


@pytest.mark.parametrize(("name", "ext"), FILES)
def test_every_section(name, ext):
    plan = parse(name, ext)
    assert [(s.number, s.title, len(s.measures)) for s in plan.sections] == CASES[name][0]


@pytest.mark.parametrize(("name", "ext"), FILES)
def test_every_measure_with_number_text_deadline_and_result(name, ext):
    plan = parse(name, ext)
    assert [(m.number, m.title, m.deadline_text, m.result) for m in plan.all_measures()] == CASES[
        name
    ][1]


@pytest.mark.parametrize("name", CASES)
def test_word_and_pasted_text_give_the_same_plan(name):
    docx, txt = parse(name, "docx").to_json(), parse(name, "txt").to_json()
    for key in ("title", "subtitle", "period", "approval", "agreements", "sections", "measures"):
        assert docx[key] == txt[key], key


@pytest.mark.parametrize("ext", ["docx", "txt"])
def test_novokubansky_header(ext):
    plan = parse("novokubansky-cro-2019-2022", ext)
    assert plan.title == "ДОРОЖНАЯ КАРТА"
    assert plan.subtitle.startswith("деятельности МБУ «Центр развития образования»")
    assert plan.subtitle.endswith("на 2019-2022 годы")
    assert plan.period == (datetime.date(2019, 1, 1), datetime.date(2022, 12, 31))
    assert plan.approval.word == "УТВЕРЖДЕНО"
    assert plan.approval.position == "Директор МБУ «ЦРО»"
    assert plan.approval.organisation == "муниципального образования Новокубанский район"
    assert plan.approval.name == "С.В. Давыденко"
    assert plan.approval.date_text == "« 12 » _____ 2019 г."
    assert [(a.position, a.name) for a in plan.agreements] == [
        ("Директор МКУ «ЦРО и ОК»", "О.В. Мартынова"),
        ("Директор МКУ ДПО «ЦРО»", "Е.С. Ивасенко"),
        ("Директор МКУ СО «ЦРО»", "Н.С. Полякова"),
        ("Директор МКУ ДПО «Методический кабинет»", "Ю.В. Зубоватю"),
        ("Директор МКУ «Организационно-методический центр РО»", "Е.В. Риккер"),
    ]
    assert plan.agreements[0].organisation == "муниципального образования г. Армавир"


@pytest.mark.parametrize("ext", ["docx", "txt"])
def test_novokubansky_keeps_repeated_and_missing_numbers(ext):
    plan = parse("novokubansky-cro-2019-2022", ext)
    numbers = [m.number for m in plan.all_measures()]
    assert numbers.count("4.14.") == 2
    assert "" in numbers
    messages = [w.message for w in plan.warnings]
    assert any("4.14. повторяется" in m for m in messages)
    assert any("без номера" in m for m in messages)


def test_page_break_continuations_are_merged_with_a_warning():
    plan = parse("novokubansky-cro-2019-2022", "txt")
    measure = next(m for m in plan.all_measures() if m.number == "4.4.")
    assert (
        measure.result
        == "Осознанный выбор выпускниками траектории подготовки к ГИА, пути профессионального саморазвития"
    )
    assert sum("перенос страницы" in w.message for w in plan.warnings) == 3


@pytest.mark.parametrize("ext", ["docx", "txt"])
def test_ponomarevsky_order_header(ext):
    plan = parse("ponomarevsky-order-2020", ext)
    assert plan.title == "Муниципальный план мероприятий (дорожная карта)"
    assert plan.approval.organisation == "Отдел образования администрации Пономаревского района"
    assert plan.approval.date == datetime.date(2020, 9, 10)
    assert plan.approval.order == "приказ от 10.09.2020 № 01-10/142-2"
    assert (plan.approval.position, plan.approval.name) == ("Заведующий ОО", "В.А.Бахмутов")
    # The order states no period: it is taken from the years in the plan, with a warning.
    assert plan.period == (datetime.date(2020, 1, 1), datetime.date(2021, 12, 31))
    assert any("Период не указан" in w.message for w in plan.warnings)
    assert plan.columns == ["number", "title", "deadline_text", "responsible", "result"]


@pytest.mark.parametrize("ext", ["docx", "txt"])
def test_resources_plan_group_row_and_header(ext):
    plan = parse("municipal-resources-2020", ext)
    assert plan.title == "Муниципальная дорожная карта"
    assert plan.sections[0].is_group
    assert plan.period == (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert plan.columns == ["number", "title", "deadline_text", "result"]
