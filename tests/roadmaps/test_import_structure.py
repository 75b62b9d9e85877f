"""Sections and measures are read the way a person reads them, from every signal of the
document: merged, bold and centred rows, numbers and the numbers that follow them, the
rows around — and not from empty cells alone, since a blank form is all empty cells.

Every fixture is a description (tests/roadmaps/docx_builders.py) of what a person reads
in the document; the builders write it as Word, Excel or text, and each test compares
every measure's number, section path, text and deadline with the description.
"""

import dataclasses

import pytest

from roadmaps.importing import parse_plan
from tests.roadmaps import docx_builders as build
from tests.roadmaps.docx_builders import Measure as M
from tests.roadmaps.docx_builders import Plan
from tests.roadmaps.docx_builders import Section as S

SCHOOL_HEADING = (
    "УТВЕРЖДАЮ",
    "Директор МБОУ СОШ № 3",
    "ДОРОЖНАЯ КАРТА",
    "по повышению качества образования МБОУ СОШ № 3 на 2020/2021 учебный год",
)


def blank(number="", title=""):
    return M(number, title)


def school_template() -> Plan:
    """The regional school template as a blank form: 13 top sections, sub-sections two
    levels deep (3 → 3.2 → 3.2.1), numbered rows with only the number (lines to fill in),
    unnumbered measures with only the text, every other column empty. Sections 1–4 are
    bold, the others are plain rows like their measures."""
    return Plan(
        heading=SCHOOL_HEADING,
        columns=build.SCHOOL_COLUMNS,
        items=[
            S(
                "1.",
                "Организационно-управленческая деятельность",
                [
                    blank("1.1.", "Создание рабочей группы по реализации дорожной карты"),
                    blank("1.2.", "Разработка и утверждение дорожной карты школы"),
                    blank("1.3.", "Назначение ответственного за качество образования"),
                    blank("1.4."),
                    blank("1.5."),
                ],
                bold=True,
            ),
            S(
                "2.",
                "Нормативно-правовое обеспечение",
                [
                    blank("2.1.", "Приказ о реализации программы повышения качества"),
                    blank("2.2.", "Положение о внутренней системе оценки качества образования"),
                    blank("2.3."),
                ],
                bold=True,
            ),
            S(
                "3.",
                "Работа с педагогическими кадрами",
                [
                    blank("3.1.", "Диагностика профессиональных дефицитов педагогов"),
                    S(
                        "3.2.",
                        "Повышение квалификации педагогов",
                        [
                            blank("3.2.1.", "Курсы повышения квалификации по предметам"),
                            blank("3.2.2.", "Стажировки на базе школ-лидеров"),
                            blank("3.2.3."),
                        ],
                        bold=True,
                    ),
                    S(
                        "3.3.",
                        "Методическая работа",
                        [
                            blank("3.3.1.", "Заседания методических объединений"),
                            blank("3.3.2.", "Открытые уроки и взаимопосещения"),
                        ],
                    ),
                    blank("3.4.", "Наставничество для молодых педагогов"),
                ],
                bold=True,
            ),
            S(
                "4.",
                "Работа с обучающимися",
                [
                    S(
                        "4.1.",
                        "Подготовка к государственной итоговой аттестации",
                        [
                            blank("4.1.1.", "Пробные экзамены ОГЭ и ЕГЭ"),
                            blank("4.1.2.", "Консультации по предметам"),
                            blank("4.1.3."),
                        ],
                    ),
                    S(
                        "4.2.",
                        "Работа с неуспевающими обучающимися",
                        [
                            blank("4.2.1.", "Индивидуальные образовательные маршруты"),
                            blank("4.2.2."),
                        ],
                    ),
                    blank("4.3.", "Участие в олимпиадах и конкурсах"),
                ],
                bold=True,
            ),
            S(
                "5.",
                "Работа с родителями (законными представителями)",
                [
                    blank("", "Родительские собрания по подготовке к ГИА"),
                    blank("", "Индивидуальные консультации для родителей"),
                    blank("", "Анкетирование родителей об удовлетворённости качеством"),
                ],
            ),
            S(
                "6.",
                "Психолого-педагогическое сопровождение",
                [
                    blank("6.1.", "Диагностика тревожности выпускников"),
                    blank("6.2.", "Тренинги для выпускников"),
                    blank("6.3."),
                ],
            ),
            S(
                "7.",
                "Внутришкольный контроль",
                [
                    blank("", "Контроль преподавания предметов с низкими результатами"),
                    blank("", "Контроль работы с неуспевающими"),
                    blank("", "Контроль подготовки к ГИА"),
                    blank("", "Контроль ведения электронного журнала"),
                ],
            ),
            S(
                "8.",
                "Мониторинг образовательных результатов",
                [
                    blank("8.1.", "Входная диагностика"),
                    blank("8.2.", "Анализ результатов ВПР"),
                    blank("8.3.", "Анализ результатов ГИА"),
                    blank("8.4."),
                ],
            ),
            S(
                "9.",
                "Сетевое взаимодействие",
                [
                    blank("9.1.", "Заключение договоров о сетевом взаимодействии"),
                    blank("9.2.", "Совместные методические мероприятия со школой-лидером"),
                    blank("9.3."),
                ],
            ),
            S(
                "10.",
                "Деятельность по повышению качества преподавания отдельных предметов",
                [
                    blank("", "Анализ результатов по математике"),
                    blank("", "Анализ результатов по русскому языку"),
                    blank("", "Корректировка рабочих программ"),
                    blank("", "Использование цифровых образовательных ресурсов"),
                    blank("", "Проведение предметных недель"),
                ],
            ),
            S(
                "11.",
                "Материально-техническое обеспечение",
                [
                    blank("11.1.", "Обновление оборудования кабинетов"),
                    blank("11.2.", "Пополнение библиотечного фонда"),
                    blank("11.3."),
                ],
            ),
            S(
                "12.",
                "Информационное сопровождение",
                [
                    blank("", "Размещение информации на сайте школы"),
                    blank("", "Публичный отчёт о реализации дорожной карты"),
                    blank("", "Информирование родителей через электронный журнал"),
                ],
            ),
            S(
                "13.",
                "Финансовое обеспечение",
                [
                    blank("13.1.", "Стимулирующие выплаты педагогам"),
                    blank("13.2."),
                ],
            ),
        ],
    )


def grow(plan: Plan, extra: int) -> Plan:
    """The template with ``extra`` more lines to fill in at the end of sections 8, 9 and
    11 (real templates leave many)."""
    plan = dataclasses.replace(plan, items=[dataclasses.replace(s) for s in plan.items])
    targets = [s for s in plan.items if s.number in ("8.", "9.", "11.")]
    for index in range(extra):
        section = targets[index % len(targets)]
        section.children = [
            *section.children,
            blank(f"{section.number}{len(section.children) + 1}."),
        ]
    return plan


def unformatted(plan: Plan) -> Plan:
    """The same description with every heading written as a plain row."""

    def strip(items):
        out = []
        for item in items:
            if isinstance(item, S):
                out.append(
                    dataclasses.replace(
                        item,
                        layout="cells",
                        bold=False,
                        centred=False,
                        children=strip(item.children),
                    )
                )
            else:
                out.append(item)
        return out

    return dataclasses.replace(plan, items=strip(plan.items))


def filled(plan: Plan) -> Plan:
    """The template filled in by a school: every measure has a text, a deadline, someone
    responsible and a result; headings are merged over the row and bold."""
    months = ["Сентябрь 2020", "Октябрь 2020", "В течение года", "Ежемесячно", "Май 2021"]
    counter = iter(range(1000))

    def fill(items, top):
        out = []
        for item in items:
            if isinstance(item, S):
                layout = "merged" if top else "span"
                out.append(
                    dataclasses.replace(
                        item, layout=layout, bold=True, children=fill(item.children, False)
                    )
                )
            else:
                index = next(counter)
                out.append(
                    dataclasses.replace(
                        item,
                        title=item.title or f"Мероприятие школы № {index + 1}",
                        deadline=months[index % len(months)],
                        responsible="Заместитель директора по УВР",
                        result="Справка, протокол",
                    )
                )
        return out

    return dataclasses.replace(plan, items=fill(plan.items, True))


def with_status(plan: Plan) -> Plan:
    """The filled template as a report: «Отметка об исполнении» filled for some measures."""
    marks = ["Выполнено", "", "Выполнено частично, перенесено на май", ""]
    counter = iter(range(1000))

    def mark(items):
        out = []
        for item in items:
            if isinstance(item, S):
                out.append(dataclasses.replace(item, children=mark(item.children)))
            else:
                out.append(dataclasses.replace(item, status=marks[next(counter) % len(marks)]))
        return out

    return dataclasses.replace(plan, items=mark(plan.items))


def three_levels() -> Plan:
    """Sections three levels deep: 3. → 3.2. → 3.2.1. with measures 3.2.1.1.; 3.2.2. and
    3.3. are measures next to the sub-sections."""
    return Plan(
        heading=("ПЛАН МЕРОПРИЯТИЙ", "на 2020-2022 годы"),
        columns=build.MUNICIPAL_COLUMNS,
        items=[
            S(
                "1.",
                "Организационные мероприятия",
                [
                    M("1.1.", "Создание рабочей группы", "Сентябрь 2020", responsible="УО"),
                    M("1.2.", "Утверждение плана", "Октябрь 2020", responsible="УО"),
                ],
                bold=True,
            ),
            S(
                "3.",
                "Методическое сопровождение",
                [
                    M("3.1.", "Анализ результатов ГИА", "Июль", responsible="ИМЦ"),
                    S(
                        "3.2.",
                        "Работа с педагогами",
                        [
                            S(
                                "3.2.1.",
                                "Семинары",
                                [
                                    M(
                                        "3.2.1.1.",
                                        "Семинар для учителей математики",
                                        "Октябрь",
                                        responsible="ИМЦ",
                                    ),
                                    M(
                                        "3.2.1.2.",
                                        "Семинар для учителей русского языка",
                                        "Ноябрь",
                                        responsible="ИМЦ",
                                    ),
                                ],
                            ),
                            M(
                                "3.2.2.",
                                "Курсы повышения квалификации",
                                "2 раза в год",
                                responsible="ИРО",
                            ),
                        ],
                    ),
                    M("3.3.", "Мониторинг эффективности", "1 раз в год", responsible="ИМЦ"),
                ],
                bold=True,
            ),
            S(
                "4.",
                "Мониторинг",
                [M("4.1.", "Мониторинг результатов", "Декабрь 2021", responsible="УО")],
                bold=True,
            ),
        ],
    )


def numbered_headings_unnumbered_measures() -> Plan:
    """Numbered headings in plain rows, measures without numbers under them."""
    return Plan(
        heading=("ДОРОЖНАЯ КАРТА", "на 2021 год"),
        columns=build.MUNICIPAL_COLUMNS,
        items=[
            S(
                "1.",
                "Организационная деятельность",
                [
                    M("", "Создание рабочей группы", "Январь", responsible="УО"),
                    M("", "Утверждение плана работы", "Февраль", responsible="УО"),
                ],
            ),
            S(
                "2.",
                "Аналитическая деятельность",
                [
                    M("", "Анализ результатов ВПР", "Март", responsible="ИМЦ"),
                    M("", "Анализ результатов ГИА", "Июль", responsible="ИМЦ"),
                    M("", "Мониторинг успеваемости", "Ежеквартально", responsible="ИМЦ"),
                ],
            ),
            S("3.", "Работа с родителями", [M("", "Родительские собрания", "2 раза в год")]),
        ],
    )


def numbered_headings_blank() -> Plan:
    """The same as a blank form: headings and measures are texts only."""
    plan = numbered_headings_unnumbered_measures()

    def bare(items):
        return [
            dataclasses.replace(i, children=bare(i.children))
            if isinstance(i, S)
            else M(i.number, i.title)
            for i in items
        ]

    return dataclasses.replace(plan, items=bare(plan.items))


def roman_parts() -> Plan:
    """Parts numbered «I.», «II.» over sections 1., 2. (one merged, one in cells)."""
    return Plan(
        heading=("ПЛАН", "на 2021 год"),
        columns=build.MUNICIPAL_COLUMNS,
        items=[
            S(
                "I.",
                "Организационный раздел",
                [
                    S("1.", "Рабочая группа", [M("1.1.", "Приказ", "Январь", responsible="УО")]),
                    S("2.", "Планирование", [M("2.1.", "План", "Февраль", responsible="УО")]),
                ],
                layout="merged",
            ),
            S(
                "II.",
                "Содержательный раздел",
                [S("3.", "Семинары", [M("3.1.", "Семинар", "Март", responsible="ИМЦ")])],
            ),
        ],
    )


def unnumbered_headings(*, dates: bool = True) -> Plan:
    """Unnumbered headings (plain rows) over numbered measures; the numbering goes on
    from one heading to the next."""

    def m(number, title, deadline):
        return M(number, title, deadline if dates else "", responsible="УО" if dates else "")

    return Plan(
        heading=("ПЛАН", "на 2021 год"),
        columns=build.MUNICIPAL_COLUMNS,
        items=[
            S(
                "",
                "Организационная работа",
                [m("1.", "Приказ о рабочей группе", "Январь"), m("2.", "План работы", "Январь")],
            ),
            S(
                "",
                "Методическая работа",
                [m("3.", "Семинар для учителей", "Март"), m("4.", "Открытые уроки", "Апрель")],
            ),
            S("", "Контроль", [m("5.", "Мониторинг результатов", "Май")]),
        ],
    )


def topic_lines() -> Plan:
    """A cell whose text lists topics on «-» lines, and «-» rows of their own."""
    return Plan(
        heading=("ПЛАН", "на 2021 год"),
        columns=build.MUNICIPAL_COLUMNS,
        items=[
            S(
                "1.",
                "Подготовка к ГИА",
                [
                    M(
                        "1.1.",
                        "Проведение пробных экзаменов:\n- по математике;\n- по русскому языку",
                        "Март",
                        responsible="ИМЦ",
                    ),
                    M("1.2.", "Семинары для учителей:", "Октябрь", responsible="ИМЦ"),
                    M("", "- по математике", "Октябрь", responsible="ИМЦ"),
                    M("", "- по русскому языку", "Ноябрь", responsible="ИМЦ"),
                    M("1.3.", "Консультации для выпускников", "В течение года", responsible="ОО"),
                ],
                layout="merged",
            ),
            S(
                "2.",
                "Работа с родителями",
                [M("2.1.", "Родительское собрание", "Февраль", responsible="ОО")],
                layout="merged",
            ),
        ],
    )


def split_municipal_plan() -> Plan:
    """A municipal plan without sections, numbered 1.–10., with «4.» twice, column numbers
    under the header, and a page break that cuts row 7. and row 9.: the table goes on in a
    new table that repeats the header."""
    items = [
        M(
            "1.",
            "Формирование списка школ с низкими результатами",
            "Сентябрь 2020",
            responsible="Отдел образования",
            result="Список школ",
        ),
        M(
            "2.",
            "Создание рабочей группы",
            "Сентябрь 2020",
            responsible="Отдел образования",
            result="Приказ",
        ),
        M(
            "3.",
            "Выявление проблемных зон",
            "Октябрь 2020",
            responsible="МКУ «ЦМТО»",
            result="Анализ",
        ),
        M(
            "4.",
            "Корректировка плана мероприятий",
            "Октябрь 2020",
            responsible="МКУ «ЦМТО»",
            result="План",
        ),
        M(
            "4.",
            "Утверждение списка сетевых пар",
            "Ноябрь 2020",
            responsible="Отдел образования",
            result="Приказ",
        ),
        M(
            "5.",
            "Создание сетевых сообществ",
            "Ноябрь 2020",
            responsible="МКУ «ЦМТО»",
            result="Сообщества",
        ),
        M(
            "6.",
            "Адресная помощь школам",
            "В течение года",
            responsible="МКУ «ЦМТО»",
            result="Помощь",
        ),
        M(
            "7.",
            "Организация сетевого взаимодействия школ",
            "Январь 2021",
            responsible="Отдел образования",
            result="Заключены",
            tail=("с низкими результатами и школ-лидеров", "договоры"),
        ),
        M(
            "8.",
            "Мониторинг профессиональных дефицитов",
            "Февраль 2021",
            responsible="МКУ «ЦМТО»",
            result="Справка",
        ),
        M(
            "9.",
            "Совещание с директорами",
            "По отдельному плану",
            responsible="Отдел образования",
            result="Решения",
        ),
        M(
            "10.",
            "Информационное сопровождение",
            "В течение всего периода",
            responsible="Отдел образования",
            result="Публикации",
        ),
    ]
    return Plan(
        heading=("Муниципальный план мероприятий", "на 2020-2021 годы"),
        columns=build.MUNICIPAL_COLUMNS,
        items=items,
        # Row 8 of the table (0-based) is the tail of 7.; row 11 is 9.
        breaks=(8, 11),
        column_numbers=True,
    )


def no_structure() -> Plan:
    """A table with texts and some dates, no numbers, no headings, no formatting."""
    return Plan(
        heading=("Мероприятия", "на 2021 год"),
        columns=("title", "deadline", "responsible"),
        items=[
            M("", "Совещание с руководителями школ", "Январь"),
            M("", "Семинар для заместителей директоров"),
            M("", "Анализ результатов ВПР", "Апрель"),
            M("", "Консультации для учителей"),
            M("", "Подведение итогов года", "Июнь"),
        ],
    )


FIXTURES = {
    "blank-school-template": lambda: grow(school_template(), 27),
    "blank-school-template-unformatted": lambda: unformatted(grow(school_template(), 27)),
    "filled-school-template": lambda: filled(school_template()),
    "school-template-with-status": lambda: with_status(filled(school_template())),
    "three-levels": three_levels,
    "numbered-headings-unnumbered-measures": numbered_headings_unnumbered_measures,
    "numbered-headings-blank": numbered_headings_blank,
    "roman-parts": roman_parts,
    "unnumbered-headings": unnumbered_headings,
    "unnumbered-headings-blank": lambda: unnumbered_headings(dates=False),
    "topic-lines": topic_lines,
    "split-municipal-plan": split_municipal_plan,
    "no-structure": no_structure,
}
WORD = list(FIXTURES)
EXCEL = [
    "blank-school-template",
    "blank-school-template-unformatted",
    "filled-school-template",
    "three-levels",
    "unnumbered-headings",
    "topic-lines",
]
TEXT = [
    "numbered-headings-blank",
    "roman-parts",
    "blank-school-template-unformatted",
    "filled-school-template",
    "three-levels",
    "numbered-headings-unnumbered-measures",
    "unnumbered-headings",
    "unnumbered-headings-blank",
    "no-structure",
]


def check(plan: Plan, result) -> None:
    assert build.parsed(result) == build.expected(plan)
    assert build.parsed_counts(result) == build.counts(plan)


@pytest.mark.parametrize("name", WORD)
def test_word_fixture_imports_as_a_person_reads_it(name):
    plan = FIXTURES[name]()
    check(plan, parse_plan(build.word_bytes(plan), "plan.docx"))


@pytest.mark.parametrize("name", EXCEL)
def test_excel_fixture_imports_as_a_person_reads_it(name):
    plan = FIXTURES[name]()
    check(plan, parse_plan(build.excel_bytes(plan), "plan.xlsx"))


@pytest.mark.parametrize("name", TEXT)
def test_pasted_text_fixture_imports_as_a_person_reads_it(name):
    plan = FIXTURES[name]()
    check(plan, parse_plan(build.text_bytes(plan), "plan.txt"))


def test_blank_template_has_the_shape_of_the_regional_one():
    plan = FIXTURES["blank-school-template"]()
    top, sections, measures = build.counts(plan)
    assert (top, sections, measures) == (13, 17, 78)
    rows = build.rows(plan)
    bare = [r for r in rows if r.layout == "cells" and not r.cells.get("deadline")]
    assert len(bare) == len(rows)  # nothing in the columns after the text
    only_number = [r for r in rows if r.cells.get("number") and not r.cells.get("title")]
    only_title = [r for r in rows if r.cells.get("title") and not r.cells.get("number")]
    assert len(only_number) >= 20
    assert len(only_title) >= 15


def test_blank_template_lines_to_fill_in_are_measures_without_text():
    plan = FIXTURES["blank-school-template"]()
    result = parse_plan(build.word_bytes(plan), "plan.docx")
    one = result.sections[0]
    assert [(m.number, m.title) for m in one.measures][3:] == [("1.4.", ""), ("1.5.", "")]
    to_fill = [m for m in build.expected(plan) if not m[2]]
    assert len(to_fill) > 30
    assert sum("нет текста" in w.message for w in result.warnings) == len(to_fill)
    assert not [w for w in result.warnings if "номер страницы" in w.message]


def test_blank_template_keeps_its_status_column():
    result = parse_plan(build.word_bytes(school_template()), "plan.docx")
    assert result.columns == [
        "number",
        "title",
        "deadline_text",
        "responsible_text",
        "result",
        "status_text",
    ]


def test_status_marks_are_read_with_their_measures():
    plan = FIXTURES["school-template-with-status"]()
    result = parse_plan(build.word_bytes(plan), "plan.docx")
    got = [(m.number, m.title, m.status_text) for m in result.all_measures()]
    wanted = []

    def walk(items):
        for item in items:
            if isinstance(item, S):
                walk(item.children)
            else:
                wanted.append((item.number, item.title, item.status))

    walk(plan.items)
    assert got == wanted
    assert "Выполнено частично, перенесено на май" in [s for _, _, s in got]


def test_legacy_horizontal_merge_reads_like_grid_span():
    plan = filled(school_template())
    check(plan, parse_plan(build.legacy_hmerge(build.word_bytes(plan)), "plan.docx"))


def test_docx_reader_carries_bold_centred_and_merged():
    from roadmaps.importing.readers import read_document

    plan = Plan(
        heading=("ПЛАН на 2021 год",),
        columns=build.MUNICIPAL_COLUMNS,
        items=[
            S("1.", "Раздел", [M("1.1.", "Семинар", "Май")], layout="merged", bold=True),
            S(
                "2.",
                "Раздел в ячейке",
                [M("2.1.", "Совещание", "Июнь")],
                layout="span",
                centred=True,
            ),
        ],
    )
    document = read_document(build.word_bytes(plan), "plan.docx")
    merged, measure, span = document.rows[1], document.rows[2], document.rows[3]
    assert (merged.merged, merged.bold, merged.bold_cells[0]) == (True, True, True)
    assert (measure.merged, measure.bold, any(measure.centred_cells)) == (False, False, False)
    assert (span.merged, span.centred_cells[1], span.bold) == (True, True, False)
    assert len(span.bold_cells) == len(span.cells) == 5


def test_xlsx_reader_carries_bold_centred_and_merged_ranges():
    from roadmaps.importing.readers import read_document

    plan = three_levels()
    plan.items[1] = dataclasses.replace(plan.items[1], layout="merged", centred=True)
    document = read_document(build.excel_bytes(plan), "plan.xlsx")
    by_text = {next(c for c in row.cells if c): row for row in document.rows}
    three = by_text["3. Методическое сопровождение"]
    assert (three.merged, three.bold, three.centred_cells[0]) == (True, True, True)
    assert (by_text["1."].merged, by_text["1."].bold_cells[1]) == (False, True)
    assert (by_text["3.1."].merged, any(by_text["3.1."].bold_cells)) == (False, False)


def test_split_table_rows_join_with_a_warning_and_duplicates_are_kept():
    plan = split_municipal_plan()
    result = parse_plan(build.word_bytes(plan), "plan.docx")
    seven = result.all_measures()[7]
    assert (seven.number, seven.result) == ("7.", "Заключены договоры")
    assert [m.number for m in result.all_measures()].count("4.") == 2
    messages = [w.message for w in result.warnings]
    assert sum("возможный перенос строки" in m for m in messages) == 1
    assert sum("4. повторяется" in m for m in messages) == 1
    # The second cut falls between whole rows: nothing is merged there.
    assert result.all_measures()[9].title == "Совещание с директорами"


def test_topic_lines_stay_in_their_measure_and_dash_rows_are_measures():
    result = parse_plan(build.word_bytes(topic_lines()), "plan.docx")
    first = result.all_measures()[0]
    assert first.title == "Проведение пробных экзаменов:\n- по математике;\n- по русскому языку"
    dashes = [m for m in result.all_measures() if m.title.startswith("-")]
    assert [(m.number, m.deadline_text) for m in dashes] == [("", "Октябрь"), ("", "Ноябрь")]


def test_no_structure_imports_as_a_flat_list_with_a_warning():
    result = parse_plan(build.word_bytes(no_structure()), "plan.docx")
    assert result.sections == []
    assert len(result.measures) == 5
    assert any(w.row == 0 and "загружены списком" in w.message for w in result.warnings)


def test_headings_without_measures_fall_back_to_a_flat_list():
    """Every row merged over the table: no person reads that as sections of nothing."""
    plan = Plan(
        heading=("ПЛАН на 2021 год",),
        columns=build.MUNICIPAL_COLUMNS,
        items=[
            S("", "Совещание с руководителями", layout="merged"),
            S("", "Семинар для заместителей", layout="merged"),
            S("", "Анализ результатов ВПР", layout="merged"),
        ],
    )
    result = parse_plan(build.word_bytes(plan), "plan.docx")
    assert result.sections == []
    assert [m.title for m in result.all_measures()] == [
        "Совещание с руководителями",
        "Семинар для заместителей",
        "Анализ результатов ВПР",
    ]
    assert any("Разделы плана не распознаны" in w.message for w in result.warnings)


def test_a_lone_page_number_is_still_dropped_but_a_line_to_fill_in_is_kept():
    text = "№ п/п\tМероприятие\tСроки\n1.\tСовещание\tМай\n12\t\t\n2.\t\t\n2.1.\t\t\n"
    result = parse_plan(text.encode(), "plan.txt")
    assert [m.number for m in result.all_measures()] == ["1.", "2.1."]
    assert [s.number for s in result.sections] == ["2."]
    assert any("«12» пропущена" in w.message for w in result.warnings)


def test_stored_preview_round_trips_a_nested_template():
    import json

    from roadmaps.importing.model import ParsedPlan

    result = parse_plan(build.word_bytes(filled(school_template())), "plan.docx")
    stored = json.loads(json.dumps(result.to_stored()))
    assert ParsedPlan.from_stored(stored) == result
