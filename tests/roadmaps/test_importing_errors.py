"""Files that are not what they say get a clear Russian message, never another error."""

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from roadmaps.importing import ImportFileError, parse_plan

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


def docx_bytes():
    path = SAMPLES / "novokubansky-cro-2019-2022.docx"
    if not path.exists():
        pytest.skip("../shared/samples is not beside the repository")
    return path.read_bytes()


def refuses(data, name, words):
    with pytest.raises(ImportFileError) as error:
        parse_plan(data, name)
    assert words in str(error.value)


def test_text_renamed_to_docx():
    refuses("1.\tМероприятие\tСентябрь".encode(), "plan.docx", "не соответствует расширению")


def test_truncated_docx():
    refuses(docx_bytes()[:5000], "plan.docx", "")


def test_random_bytes_as_xlsx():
    refuses(bytes(range(256)) * 10, "plan.xlsx", "не соответствует расширению")


def test_encrypted_office_file():
    refuses(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "plan.docx", "зашифрован")


def test_zip_bomb():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    refuses(data.getvalue(), "plan.docx", "слишком большой объём")


def test_macros_are_refused():
    refuses(b"anything", "plan.docm", "макрос")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/vbaProject.bin", b"macro")
    refuses(data.getvalue(), "plan.docx", "макрос")


def test_oversized_upload():
    with pytest.raises(ImportFileError, match="больше 1 МБ"):
        parse_plan(b"x" * (2 * 1024 * 1024), "plan.txt", max_bytes=1024 * 1024)


def test_empty_file_and_empty_table():
    refuses(b"", "plan.txt", "пустой")
    refuses("№ п/п\tМероприятия\tСроки\n".encode(), "plan.txt", "ни одного мероприятия")


def test_no_recognisable_header():
    refuses("а\tб\tв\n1\t2\t3\n".encode(), "plan.txt", "Не найдена строка заголовков")


def test_text_without_a_table():
    refuses("Просто текст без таблицы".encode(), "plan.txt", "не найдена таблица")


def test_old_formats_and_unknown_extensions():
    refuses(b"abc", "plan.doc", "Старые форматы")
    refuses(b"abc", "plan.pdf", "Поддерживаются файлы")


def test_csv_in_windows_1251_with_semicolons():
    text = "№ п/п;Мероприятия;Сроки;Ответственные\n1.;Семинар для заместителей;Сентябрь 2020;МБУ «ЦРО»\n"
    plan = parse_plan(text.encode("cp1251"), "plan.csv")
    assert [(m.number, m.title, m.deadline_text, m.responsible) for m in plan.all_measures()] == [
        ("1.", "Семинар для заместителей", "Сентябрь 2020", "МБУ «ЦРО»")
    ]


def test_xlsx_values_are_read_and_formulas_are_not_run():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["План мероприятий на 2021 год"])
    sheet.append(
        [
            "№ п/п",
            "Наименование мероприятия",
            "Срок проведения",
            "Ответственный исполнитель",
            "Ожидаемый результат",
        ]
    )
    sheet.append([1, 2, 3, 4, 5])
    sheet.append(["1. Организационные мероприятия"])
    sheet.append(["1.1.", '=HYPERLINK("http://evil")', "Март", "УО", "Справка"])
    data = io.BytesIO()
    book.save(data)
    plan = parse_plan(data.getvalue(), "plan.xlsx")
    assert plan.period[0].year == 2021
    assert [(s.number, s.title) for s in plan.sections] == [("1.", "Организационные мероприятия")]
    measure = plan.all_measures()[0]
    assert measure.number == "1.1."
    # Without cached values a formula cell reads as empty: it is never evaluated.
    assert measure.title in ("", '=HYPERLINK("http://evil")')


def test_nested_sections_bold_rows_repeated_headers_and_debris():
    text = (
        "ДОРОЖНАЯ КАРТА\nна 2020/2021 учебный год\n\n"
        "№ п/п\tМероприятие\tСроки\tОтветственные\tОтметка об исполнении\n"
        "1\t2\t3\t4\t5\n"
        "3. Методическое сопровождение\t\t\t\t\n"
        "3.2. Работа с педагогами\t\t\t\t\n"
        "3.2.1. Семинары\t\t\t\t\n"
        "3.2.1.1.\tСеминар для учителей математики\tОктябрь\tИМЦ\tВыполнено\n"
        "\t\t\t\t\n"
        "№ п/п\tМероприятие\tСроки\tОтветственные\tОтметка об исполнении\n"
        "\tСеминар без номера\tНоябрь\tИМЦ\t\n"
        "4. Мониторинг\t\t\t\t\n"
        "4.1.\tМониторинг\t2 раза в год\tИМЦ\t\n"
    )
    plan = parse_plan(text.encode(), "plan.txt")
    assert plan.period == (datetime.date(2020, 9, 1), datetime.date(2021, 8, 31))
    three = plan.sections[0]
    assert (three.number, three.title) == ("3.", "Методическое сопровождение")
    assert three.sections[0].number == "3.2."
    assert three.sections[0].sections[0].number == "3.2.1."
    inner = three.sections[0].sections[0]
    assert [(m.number, m.title, m.status_text) for m in inner.measures] == [
        ("3.2.1.1.", "Семинар для учителей математики", "Выполнено"),
        ("", "Семинар без номера", ""),
    ]
    assert [s.number for s in plan.sections] == ["3.", "4."]
    assert plan.columns == ["number", "title", "deadline_text", "responsible", "status_text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("План на 2019-2022 годы", (datetime.date(2019, 1, 1), datetime.date(2022, 12, 31))),
        (
            "План на 2020 год и период до 2022 года",
            (datetime.date(2020, 1, 1), datetime.date(2022, 12, 31)),
        ),
        ("План на 2020/2021 учебный год", (datetime.date(2020, 9, 1), datetime.date(2021, 8, 31))),
        ("План на 2021 год", (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))),
    ],
)
def test_periods_as_plans_state_them(text, expected):
    from roadmaps.importing.header import parse_period

    assert parse_period(text)[0] == expected
