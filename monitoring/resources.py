"""Exam results as .xlsx: the template to download and the reader of a filled one.

The template has a sheet «Результаты» (one line per exam × subject × year, the columns
below, drop-down lists for the exam and the subject), «Предметы» (the catalogue: any other
subject is refused) and «Как заполнять». The reader takes the first sheet whose header row
has «Экзамен» and «Предмет»; every line is checked, and the messages name the line, so the
whole file is accepted or none of it. The school is never a column: it is the school the
person imports into.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.core.exceptions import ValidationError

from .constants import EXAM_BANDS, FIRST_YEAR, LAST_YEAR, Exam
from .models import Subject

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 2000
SHEET = "Результаты"

# (key, header, help) — the columns of the template in order.
COLUMNS = [
    ("exam", "Экзамен", "ЕГЭ, ОГЭ или ВПР"),
    ("subject", "Предмет", "как в листе «Предметы»"),
    ("year", "Год", "год экзамена, например 2025"),
    ("participants", "Участников", "сколько человек писали"),
    ("not_passed", "Не преодолели порог", "ЕГЭ: ниже минимального балла; ОГЭ и ВПР: «2»"),
    ("band_low", "Группа 1", "ЕГЭ: от минимального до 60 баллов; ОГЭ и ВПР: «3»"),
    ("band_mid", "Группа 2", "ЕГЭ: 61–80 баллов; ОГЭ и ВПР: «4»"),
    ("band_high", "Группа 3", "ЕГЭ: 81–100 баллов; ОГЭ и ВПР: «5»"),
    ("average", "Средний балл", "ЕГЭ: 0–100; ОГЭ и ВПР: средняя отметка 2–5"),
    ("high_scorers", "80 баллов и выше", "только ЕГЭ"),
]
COUNTS = ("participants", "not_passed", "band_low", "band_mid", "band_high", "high_scorers")
EXAM_NAMES = {label.lower(): value for value, label in Exam.choices}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", str(text or "").replace("ё", "е").replace("Ё", "Е")).strip().lower()


def subject_lookup() -> dict[str, Subject]:
    """Subjects by their normalised names and other spellings (one query)."""
    found: dict[str, Subject] = {}
    for subject in Subject.objects.all():
        found[_normal(subject.name)] = subject
        for alias in subject.aliases.splitlines():
            if alias.strip():
                found.setdefault(_normal(alias), subject)
    return found


def template_xlsx() -> bytes:
    """The template to fill (the subjects of the catalogue as a drop-down list)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header for _, header, _ in COLUMNS])
    sheet.append([hint for _, _, hint in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="666666")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJ", (10, 34, 8, 12, 16, 16, 14, 14, 13, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    subjects = list(Subject.objects.order_by("order", "name").values_list("name", flat=True))
    listing = book.create_sheet("Предметы")
    listing.append(["Предмет"])
    for name in subjects:
        listing.append([name])
    exams = DataValidation(type="list", formula1='"ЕГЭ,ОГЭ,ВПР"', allow_blank=True)
    names = DataValidation(
        type="list", formula1=f"=Предметы!$A$2:$A${len(subjects) + 1}", allow_blank=True
    )
    for validation, column in ((exams, "A"), (names, "B")):
        validation.add(f"{column}3:{column}{MAX_LINES + 2}")
        sheet.add_data_validation(validation)
    help_sheet = book.create_sheet("Как заполнять")
    for line in (
        "Одна строка — один экзамен по одному предмету за один год.",
        "Вторая строка листа «Результаты» — подсказки; её можно оставить или удалить.",
        "Предметы — только из листа «Предметы»; другие названия не принимаются.",
        "Не преодолели порог + группы 1–3 = участников (группы можно оставить пустыми).",
        "Файл загружается целиком: если в какой-то строке ошибка, не сохраняется ничего.",
        *(f"{Exam(value).label}: " + "; ".join(bands) for value, bands in EXAM_BANDS.items()),
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _count(value, header: str, line: str) -> tuple[int | None, str | None]:
    if value is None or str(value).strip() == "":
        return None, None
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        number = int(float(text))
        if number < 0:
            return None, f"{line}: «{header}» не может быть отрицательным ({number})."
        return number, None
    return None, f"{line}: «{header}» — не целое число («{value}»)."


def read_exam_file(data: bytes) -> list:
    """The lines of a filled template as ``services.ResultRow``; ``ValidationError`` with
    every problem (by line) when any line is wrong."""
    from decimal import Decimal, InvalidOperation

    from .services import ResultRow

    if len(data) > MAX_BYTES:
        raise ValidationError("Файл больше 2 МБ: в шаблоне столько строк не бывает.")
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError("Это не файл .xlsx: скачайте шаблон и заполните его.")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any damage of the file is the same refusal
        raise ValidationError("Файл .xlsx повреждён или не открывается.") from None
    try:
        rows = None
        for sheet in book.worksheets:
            lines = sheet.iter_rows(values_only=True)
            for number, values in enumerate(lines, start=1):
                cells = [_normal(v) for v in values or ()]
                if "экзамен" in cells and "предмет" in cells:
                    positions = {}
                    for key, header, _ in COLUMNS:
                        if _normal(header) in cells:
                            positions[key] = cells.index(_normal(header))
                    rows = (number, positions, lines)
                    break
                if number > 10:
                    break
            if rows:
                break
        if rows is None:
            raise ValidationError(
                "Не найдена строка заголовков («Экзамен», «Предмет», «Год», …): "
                "заполните шаблон, скачанный со страницы."
            )
        header_line, positions, lines = rows
        missing = [header for key, header, _ in COLUMNS[:4] if key not in positions]
        if missing:
            raise ValidationError(f"В файле нет столбцов: {', '.join(missing)}.")
        subjects = subject_lookup()
        result, errors = [], []
        for number, values in enumerate(lines, start=header_line + 1):
            values = list(values or ())

            def cell(key, values=values):
                index = positions.get(key)
                return values[index] if index is not None and index < len(values) else None

            if all(v is None or str(v).strip() == "" for v in values):
                continue
            line = f"Строка {number}"
            exam_text = _normal(cell("exam"))
            if exam_text.startswith("егэ, огэ"):  # the template's hint line
                continue
            if len(result) + len(errors) >= MAX_LINES:
                errors.append(f"В файле больше {MAX_LINES} строк.")
                break
            problems = []
            exam = EXAM_NAMES.get(exam_text)
            if exam is None:
                problems.append(
                    f"{line}: экзамен «{cell('exam') or ''}» — укажите ЕГЭ, ОГЭ или ВПР."
                )
            subject_text = cell("subject")
            subject = subjects.get(_normal(subject_text))
            if subject is None:
                problems.append(
                    f"{line}: предмет «{subject_text or ''}» не найден в перечне предметов "
                    "(лист «Предметы» шаблона)."
                )
            year, problem = _count(cell("year"), "Год", line)
            if problem or year is None or not FIRST_YEAR <= year <= LAST_YEAR:
                problems.append(
                    problem or f"{line}: год «{cell('year') or ''}» — укажите год, например 2025."
                )
            figures = {}
            for key in COUNTS:
                header = next(h for k, h, _ in COLUMNS if k == key)
                figures[key], problem = _count(cell(key), header, line)
                if problem:
                    problems.append(problem)
            if figures["participants"] is None:
                problems.append(f"{line}: укажите число участников.")
            average = cell("average")
            if average is not None and str(average).strip() != "":
                try:
                    figures["average"] = Decimal(str(average).strip().replace(",", ".")).quantize(
                        Decimal("0.01")
                    )
                except InvalidOperation:
                    problems.append(f"{line}: средний балл «{average}» — не число.")
            else:
                figures["average"] = None
            if problems:
                errors.extend(problems)
                continue
            result.append(ResultRow(exam, subject, year, figures, line))
        if errors:
            raise ValidationError(errors)
        if not result:
            raise ValidationError("В файле нет ни одной строки с результатами.")
        return result
    finally:
        book.close()
