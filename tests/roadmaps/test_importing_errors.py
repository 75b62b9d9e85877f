"""Files that are not what they say get a clear Russian message, never another error."""

import datetime
import io
import json
import time
import zipfile

import docx
import openpyxl
import pytest

from demo.plans import SAMPLES_DIR as SAMPLES
from roadmaps.importing import ImportFileError, parse_plan


def docx_bytes():
    path = SAMPLES / "novokubansky-cro-2019-2022.docx"
    return path.read_bytes()


def refuses(data, name, words):
    with pytest.raises(ImportFileError) as error:
        parse_plan(data, name)
    assert words in str(error.value)


def test_text_renamed_to_docx():
    refuses("1.\tМероприятие\tСентябрь".encode(), "plan.docx", "не соответствует расширению")


def test_truncated_docx():
    refuses(docx_bytes()[:5000], "plan.docx", "повреждён")


@pytest.mark.parametrize("cut", [100, 1000, 20000, -1000, -22])
def test_docx_cut_anywhere_gives_only_import_errors(cut):
    with pytest.raises(ImportFileError):
        parse_plan(docx_bytes()[:cut], "plan.docx")


def test_text_renamed_to_xlsx_and_docx_renamed_to_xlsx():
    refuses("№\tМероприятия".encode(), "plan.xlsx", "не соответствует расширению")
    refuses(docx_bytes(), "plan.xlsx", "не соответствует расширению")


def test_random_bytes_as_xlsx():
    refuses(bytes(range(256)) * 10, "plan.xlsx", "не соответствует расширению")


def test_encrypted_office_file():
    refuses(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "plan.docx", "зашифрован")


def test_zip_bomb():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    refuses(data.getvalue(), "plan.docx", "слишком большой объём")


def test_zip_bomb_hidden_among_small_parts():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(200):
            archive.writestr(f"word/filler{index}.xml", bytes(range(256)) * 40)
        archive.writestr("word/document.xml", b" " * (20 * 1024 * 1024))
    refuses(data.getvalue(), "plan.docx", "слишком большой объём")


def test_macros_are_refused():
    refuses(b"anything", "plan.docm", "макрос")
    refuses(b"anything", "plan.xlsm", "макрос")
    renamed = io.BytesIO()
    with zipfile.ZipFile(renamed, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    refuses(renamed.getvalue(), "plan.xlsx", "макрос")
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


def word_file(rows, *, paragraphs=("ПЛАН МЕРОПРИЯТИЙ на 2021 год",), table=True):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        width = max((len(row) for row in rows), default=1)
        grid = document.add_table(rows=max(len(rows), 1), cols=width)
        for tr, row in zip(grid.rows, rows, strict=False):
            for cell, text in zip(tr.cells, row, strict=False):
                cell.text = text
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def test_word_file_without_a_table():
    refuses(word_file([], table=False), "plan.docx", "нет таблицы")


def test_word_file_with_an_empty_table():
    refuses(word_file([["", "", ""], ["", "", ""]]), "plan.docx", "Таблица пустая")


def test_word_table_with_only_the_header():
    refuses(word_file([["№ п/п", "Мероприятия", "Сроки"]]), "plan.docx", "ни одного мероприятия")


def test_word_table_without_a_recognisable_header():
    refuses(word_file([["а", "б"], ["1.", "Текст"]]), "plan.docx", "Не найдена строка заголовков")


def test_word_merged_section_row_is_read_once():
    data = word_file(
        [
            ["№ п/п", "Мероприятия", "Сроки", "Ответственные"],
            ["1. Организационные мероприятия", "", "", ""],
            ["1.1.", "Совещание", "Март 2021", "УО"],
        ]
    )
    document = docx.Document(io.BytesIO(data))
    row = document.tables[0].rows[1]
    row.cells[0].merge(row.cells[3])  # gridSpan=4: python-docx repeats it in row.cells
    row.cells[0].text = "1. Организационные мероприятия"
    out = io.BytesIO()
    document.save(out)
    plan = parse_plan(out.getvalue(), "plan.docx")
    assert [(s.number, s.title) for s in plan.sections] == [("1.", "Организационные мероприятия")]
    assert [(m.number, m.title) for m in plan.sections[0].measures] == [("1.1.", "Совещание")]
    assert plan.period == (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))


def test_column_mapping_can_be_overridden():
    text = "№\tМероприятия\tСроки\tПримечание\n1.\tСеминар\tМарт\tВыполнено\n"
    plan = parse_plan(
        text.encode(), "plan.txt", mapping={0: "number", 1: "title", 3: "status_text"}
    )
    measure = plan.all_measures()[0]
    assert (measure.title, measure.deadline_text, measure.status_text) == (
        "Семинар",
        "",
        "Выполнено",
    )
    with pytest.raises(ImportFileError, match="Неизвестное назначение"):
        parse_plan(text.encode(), "plan.txt", mapping={1: "title", 2: "owner"})
    with pytest.raises(ImportFileError, match="текст мероприятия"):
        parse_plan(text.encode(), "plan.txt", mapping={0: "number", 2: "deadline_text"})


def test_text_without_a_table():
    refuses("Просто текст без таблицы".encode(), "plan.txt", "не найдена таблица")


def test_old_formats_and_unknown_extensions():
    refuses(b"abc", "plan.doc", "Старые форматы")
    refuses(b"abc", "plan.pdf", "Поддерживаются файлы")


def test_csv_comma_separated_utf8_with_bom_and_utf16_text():
    text = '№ п/п,Мероприятия,Сроки\n1.,"Совещание, итоги",Май\n'
    plan = parse_plan(text.encode("utf-8-sig"), "plan.csv")
    assert plan.all_measures()[0].title == "Совещание, итоги"
    pasted = "№ п/п\tМероприятия\tСроки\r\n1.\tСовещание\tМай\r\n"
    assert parse_plan(pasted.encode("utf-16"), "plan.txt").all_measures()[0].deadline_text == "Май"


def test_csv_in_windows_1251_with_semicolons():
    text = "№ п/п;Мероприятия;Сроки;Ответственные\n1.;Семинар для заместителей;Сентябрь 2020;МБУ «ЦРО»\n"
    plan = parse_plan(text.encode("cp1251"), "plan.csv")
    assert [
        (m.number, m.title, m.deadline_text, m.responsible_text) for m in plan.all_measures()
    ] == [("1.", "Семинар для заместителей", "Сентябрь 2020", "МБУ «ЦРО»")]


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
    assert plan.columns == ["number", "title", "deadline_text", "responsible_text", "status_text"]


def test_numbered_rows_are_sections_when_numbers_nest_under_them():
    text = (
        "№ п/п\tМероприятие\tСрок\tОтветственный\n"
        "1.\tОрганизация работы\t\t\n"
        "1.1.\tПриказ о рабочей группе\tСентябрь\tУО\n"
        "2.\tСовещание без сроков\t\t\n"
        "3.\tСеминар\tОктябрь\tИМЦ\n"
        "- 2 -\t\t\t\n"
        "Страница 3 из 5\t\t\t\n"
    )
    plan = parse_plan(text.encode(), "plan.txt")
    assert [(s.number, s.title) for s in plan.sections] == [("1.", "Организация работы")]
    # «2.» has no child rows: a measure with empty cells, not a section; page numbers dropped.
    assert [m.number for m in plan.all_measures()] == ["1.1.", "2.", "3."]


def test_lone_executors_column_is_the_responsible_one():
    text = "№\tМероприятие\tСрок\tИсполнители\n1.\tСеминар\tМай\tИМЦ\n"
    assert parse_plan(text.encode(), "plan.txt").all_measures()[0].responsible_text == "ИМЦ"


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


# --- Work bounded by what is read, not by the file's size ------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def streamed_docx(rows: int, *, block_rows: int = 2000) -> bytes:
    """A .docx written straight with zipfile: one table of ``rows`` rows whose cells carry
    random tokens, so the XML packs about 20:1 like a real table (a 100 MB document.xml
    gives a file of a few MB) and passes the archive's size and ratio checks."""
    import random

    rng = random.Random(7)  # noqa: S311 — test data, not secrets
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f"<w:document {W_NS}><w:body><w:tbl>".encode())
            header = "<w:tr>" + "".join(
                f"<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"
                for t in ("№ п/п", "Мероприятия", "Сроки")
            )
            part.write(f"{header}</w:tr>".encode())
            written = 0
            while written < rows:
                count = min(block_rows, rows - written)
                block = "".join(
                    f"<w:tr><w:tc><w:p><w:r><w:t>{written + i + 1}.</w:t></w:r></w:p></w:tc>"
                    f"<w:tc><w:p><w:r><w:t>Мероприятие {rng.getrandbits(40):x}</w:t></w:r></w:p></w:tc>"
                    f"<w:tc><w:p><w:r><w:t>Март {rng.getrandbits(24):x}</w:t></w:r></w:p></w:tc></w:tr>"
                    for i in range(count)
                )
                part.write(block.encode())
                written += count
            part.write(b"</w:tbl><w:p/></w:body></w:document>")
    return data.getvalue()


@pytest.fixture(scope="module")
def docx_100mb():
    return streamed_docx(500_000)


def test_docx_whose_document_unpacks_to_100_mb_is_refused_at_once(docx_100mb):
    info = zipfile.ZipFile(io.BytesIO(docx_100mb)).getinfo("word/document.xml")
    assert info.file_size > 95 * 1024 * 1024
    assert len(docx_100mb) < 20 * 1024 * 1024  # passes the upload size check
    started = time.perf_counter()
    refuses(docx_100mb, "plan.docx", "предел распакованного размера — 50 МБ")
    assert time.perf_counter() - started < 3


def test_docx_rows_beyond_the_limit_are_refused_while_streaming():
    data = streamed_docx(60_000)  # about 18 MB of XML: under the unpacked limit
    started = time.perf_counter()
    refuses(data, "plan.docx", "больше 20 000 строк (предел — 20 000)")
    assert time.perf_counter() - started < 15


def test_docx_markup_beyond_the_limit_is_refused(monkeypatch):
    from roadmaps.importing import readers

    monkeypatch.setattr(readers, "MAX_ELEMENTS", 10_000)
    refuses(streamed_docx(2000), "plan.docx", "больше 10 000 элементов разметки")


def test_docx_under_the_limits_is_read_by_streaming():
    plan = parse_plan(streamed_docx(5000), "plan.docx")
    assert len(plan.all_measures()) == 5000
    assert plan.all_measures()[-1].number == "5000."


def test_zip_part_is_never_read_beyond_the_limit(monkeypatch):
    from roadmaps.importing import readers

    data = streamed_docx(3000)
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    # The declared size passes; the stream itself stops at the limit.
    monkeypatch.setattr(readers, "MAX_DOCUMENT_BYTES", size + 1)
    assert len(parse_plan(data, "plan.docx").all_measures()) == 3000
    stream = readers._LimitedStream(io.BytesIO(b"x" * 1000), 100, "word/document.xml")
    assert stream.read(64) == b"x" * 64
    with pytest.raises(ImportFileError, match="предел распакованного размера"):
        stream.read(64)


def test_xlsx_with_more_rows_than_the_limit_is_refused():
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["№ п/п", "Мероприятия", "Сроки"])
    for index in range(1, 25_001):
        sheet.append([f"{index}.", "Семинар", "Май"])
    data = io.BytesIO()
    book.save(data)
    refuses(data.getvalue(), "plan.xlsx", "больше 20 000 строк")


def test_too_many_cells_and_too_long_cells_are_refused():
    wide = "\n".join(";".join(["ячейка"] * 30) for _ in range(15_000))
    refuses(wide.encode(), "plan.csv", "больше 400 000 ячеек")
    long_cell = "№ п/п;Мероприятия\n1.;" + "а" * 60_000 + "\n"
    refuses(long_cell.encode(), "plan.csv", "длиннее 50 000 знаков")


def test_bounded_parse_names_its_limits():
    from roadmaps.importing import parse_bounded

    text = "№ п/п\tМероприятия\tСроки\n1.\tСеминар\tМай\n".encode()
    assert parse_bounded(text, "plan.txt").all_measures()[0].title == "Семинар"
    with pytest.raises(ImportFileError, match="превысил пределы: 0 с процессорного времени"):
        parse_bounded(text, "plan.txt", cpu_seconds=0)
    with pytest.raises(ImportFileError, match="20 МБ памяти"):
        parse_bounded(text, "plan.txt", memory_bytes=20 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="не соответствует расширению"):
        parse_bounded(b"not a zip", "plan.docx")


def test_stored_preview_round_trips_the_whole_plan():
    from roadmaps.importing.model import ParsedPlan

    plan = parse_plan(docx_bytes(), "plan.docx")
    stored = json.loads(json.dumps(plan.to_stored()))
    assert ParsedPlan.from_stored(stored) == plan
