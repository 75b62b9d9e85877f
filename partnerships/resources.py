"""«Список сетевого партнерства» in and out of files.

Out: the list of a network as .xlsx in the shape of the Пономаревский order's appendix 4
(№ п/п · образовательная организация с низкими образовательными результатами ·
образовательная организация-партнёр · форма поддержки), with the agreement and its term
beside it — the columns the import reads back. Cells that look like formulas are written
with an apostrophe (``core.cells.escape_cell``).

In: such a list from .xlsx or .docx (the largest table of the document), read by the
importer's safe readers (``roadmaps.importing.readers``: zip bombs, macros, sizes). The
header row is found by its words; each row names a supported organisation and its
partners, matched by name among the organisations the person may name
(``schools.selectors.NameIndex`` over ``selectors.party_candidates``); the kind of
agreement and the roles follow from who the parties are. Every problem is a Russian
message for its line of the file; ``services.agreements_import`` writes all or nothing.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from core.cells import escape_cell
from core.text import clean_text
from schools.constants import OrganisationKind
from schools.selectors import NameCandidate, NameIndex

from .constants import IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, AgreementKind, PartyRole
from .network import ListRow
from .services import AgreementInput, ImportItem, PartyInput

HEADERS = (
    "№ п/п",
    "Образовательная организация с низкими образовательными результатами",
    "Образовательная организация-партнёр",
    "Форма поддержки",
    "Соглашение",
    "Срок действия",
)

# --- Export ----------------------------------------------------------------------------------


def _cell(value) -> str:
    return escape_cell(clean_text(str(value or "")))


def _term(row: ListRow) -> str:
    agreement = row.agreement
    if agreement.valid_from and agreement.valid_to:
        return f"{agreement.valid_from:%d.%m.%Y} – {agreement.valid_to:%d.%m.%Y}"
    if agreement.valid_from:
        return f"с {agreement.valid_from:%d.%m.%Y}, бессрочно"
    return ""


def list_xlsx(title: str, rows: list[ListRow], *, note: str = "") -> bytes:
    """The list as an .xlsx workbook: a title, the header, a row per supported party."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Список сетевого партнерства"
    sheet.append([_cell(title)])
    sheet["A1"].font = Font(bold=True, size=12)
    if note:
        sheet.append([_cell(note)])
    sheet.append([])
    sheet.append(list(HEADERS))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, 1):
        partners = "; ".join(p.name for p in row.partners)
        sheet.append(
            [
                number,
                _cell(row.supported.name),
                _cell(partners),
                _cell(row.support_form),
                _cell(row.agreement.reference),
                _cell(_term(row)),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate((7, 42, 42, 40, 22, 26), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Import ----------------------------------------------------------------------------------


class ListFileError(Exception):
    """A file that cannot be read as a list; the message is for the person."""


@dataclass
class ParsedRow:
    line: int
    supported: str
    partners: list[str]
    support_form: str = ""
    number: str = ""
    signed_on: datetime.date | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


COLUMN_WORDS = (
    ("supported", ("низк", "поддерживаем", "шнор", "слаб")),
    ("partner", ("партн", "базов", "лидер", "наставни")),
    ("form", ("форм", "вид поддерж", "направлен", "содержани")),
    ("agreement", ("соглашени", "договор", "реквизит")),
    ("term", ("срок",)),
)
NUMBER = re.compile(r"№\s*([^\s,;]+)")
DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
SPLIT = re.compile(r"\s*(?:;|\n)\s*")


def _columns(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = " ".join(cell.lower().replace("ё", "е").split())
        for key, words in COLUMN_WORDS:
            if key not in found and any(word in text for word in words):
                found[key] = index
                break
    return found


def _dates(text: str) -> list[datetime.date]:
    found = []
    for day, month, year in DATE.findall(text or ""):
        try:
            found.append(datetime.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return found


def read_list(data: bytes, name: str) -> list[ParsedRow]:
    """The rows of a list file (nothing is matched or written). Raises ``ListFileError``."""
    from roadmaps.importing.errors import ImportFileError
    from roadmaps.importing.readers import read_document

    lowered = (name or "").lower()
    if not lowered.endswith((".xlsx", ".docx")):
        raise ListFileError("Загрузите список в формате .xlsx или .docx.")
    try:
        document = read_document(data, name, max_bytes=IMPORT_MAX_BYTES)
    except ImportFileError as error:
        message = str(error)
        if "мероприят" in message:
            message = "В документе нет таблицы со списком сетевого партнёрства."
        raise ListFileError(message) from None
    rows = document.rows
    header = None
    for position, row in enumerate(rows[:20]):
        columns = _columns(row.cells)
        if "supported" in columns and "partner" in columns:
            header = (position, columns)
            break
    if header is None:
        raise ListFileError(
            "Не найдена строка заголовка. Нужны столбцы «Образовательная организация с низкими "
            "образовательными результатами» и «Образовательная организация-партнёр» (и, "
            "по желанию, «Форма поддержки», «Соглашение», «Срок действия»)."
        )
    position, columns = header
    parsed: list[ParsedRow] = []
    previous_supported = ""

    def cell(row, key: str) -> str:
        index = columns.get(key)
        if index is None or index >= len(row.cells):
            return ""
        return " ".join(clean_text(row.cells[index]).replace("\n", "; ").split())

    for row in rows[position + 1 :]:
        supported, partner = cell(row, "supported"), cell(row, "partner")
        if not supported and not partner:
            continue
        if all(part.strip().rstrip(".").isdigit() for part in (supported, partner) if part):
            continue  # a row of column numbers «1 2 3 4» under the header
        if not supported:
            supported = previous_supported  # a merged cell: the row goes on
        previous_supported = supported
        agreement = cell(row, "agreement")
        number = NUMBER.search(agreement)
        signed = _dates(agreement)
        term = cell(row, "term")
        term_dates = _dates(term)
        valid_from = valid_to = None
        if len(term_dates) >= 2:
            valid_from, valid_to = term_dates[0], term_dates[1]
        elif term_dates and term.lower().lstrip().startswith(("до", "по")):
            valid_to = term_dates[0]
        elif term_dates:
            valid_from = term_dates[0]
        parsed.append(
            ParsedRow(
                line=row.index,
                supported=supported,
                partners=[p for p in SPLIT.split(partner) if p] if partner else [],
                support_form=cell(row, "form")[:500],
                number=number.group(1)[:50] if number else "",
                signed_on=signed[0] if signed else None,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
        if len(parsed) > IMPORT_MAX_ROWS:
            raise ListFileError(
                f"В списке больше {IMPORT_MAX_ROWS} строк: разделите его на несколько файлов."
            )
    if not parsed:
        raise ListFileError("В таблице под заголовком нет ни одной строки.")
    return parsed


@dataclass
class ImportOptions:
    """What the import form adds to every row: validity, signing, links."""

    valid_from: datetime.date
    valid_to: datetime.date | None = None
    signed: bool = False
    signed_on: datetime.date | None = None
    roadmaps: list = field(default_factory=list)
    measures: list = field(default_factory=list)


@dataclass
class PreviewRow:
    line: int
    supported: str
    partners: str
    kind: str
    support_form: str
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[PreviewRow]
    items: list[ImportItem]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)


DEFAULT_SUBJECT = "Сетевое взаимодействие в целях повышения качества образования"


def _roles(supported, partners) -> tuple[str, list[tuple[object, str]]] | str:
    """The kind of agreement and the parties with their roles (the supporting side first:
    the first party keeps the register), or the reason the row cannot say."""
    schools = [p for p in partners if p.is_school]
    others = [p for p in partners if not p.is_school]
    if not supported.is_school:
        if schools:
            return (
                f"«{supported.short_name}» — не школа, а среди партнёров есть школа: внесите "
                "такое соглашение вручную."
            )
        lead, *rest = partners
        return AgreementKind.CENTRE_CENTRE, [
            (lead, PartyRole.NETWORK_LEADER),
            *((p, PartyRole.PARTNER) for p in rest),
            (supported, PartyRole.PARTNER),
        ]
    if others and any(p.kind == OrganisationKind.OTHER for p in others):
        return AgreementKind.UNIVERSITY, [
            *((p, PartyRole.PARTNER) for p in partners),
            (supported, PartyRole.SUPPORTED),
        ]
    if not others:
        return AgreementKind.SCHOOL_SCHOOL, [
            *((p, PartyRole.LEADER_SCHOOL) for p in schools),
            (supported, PartyRole.SUPPORTED),
        ]
    if len(schools) == 1 and len(others) == 1:
        return AgreementKind.THREE_PARTY, [
            (others[0], PartyRole.CURATOR_CENTRE),
            (schools[0], PartyRole.LEADER_SCHOOL),
            (supported, PartyRole.SUPPORTED),
        ]
    return AgreementKind.CENTRE_SCHOOL, [
        *((p, PartyRole.CURATOR_CENTRE) for p in others),
        *((p, PartyRole.LEADER_SCHOOL) for p in schools),
        (supported, PartyRole.SUPPORTED),
    ]


def _one(index: NameIndex, text: str, organisations: dict, what: str) -> tuple[object, str]:
    ids = index.match(text)
    if len(ids) == 1:
        return organisations[ids[0]], ""
    if not ids:
        return None, (
            f"{what} «{text}» не найдена среди организаций, которые вы можете указать "
            "(ваш муниципалитет, региональные организации, партнёры ваших планов)."
        )
    names = ", ".join(f"«{organisations[pk].short_name}»" for pk in ids[:5])
    return None, f"{what} «{text}»: подходит несколько организаций ({names}) — напишите точнее."


def preview(rows: list[ParsedRow], candidates, options: ImportOptions) -> Preview:
    """Match the rows' names among ``candidates`` (organisations the person may name) and
    build the agreements; per line what would be recorded, or why not."""
    organisations = {org.pk: org for org in candidates}
    index = NameIndex(
        NameCandidate(org.pk, org.short_name, org.full_name) for org in organisations.values()
    )
    result = Preview(rows=[], items=[])
    seen: dict[tuple, int] = {}
    for row in rows:
        errors: list[str] = []
        supported, error = _one(index, row.supported, organisations, "Организация")
        if error:
            errors.append(error)
        partners = []
        if not row.partners:
            errors.append("Не указана организация-партнёр.")
        for text in row.partners:
            partner, error = _one(index, text, organisations, "Организация-партнёр")
            if error:
                errors.append(error)
            elif partner is not None:
                partners.append(partner)
        kind_label = ""
        if supported is not None and partners and not errors:
            if supported.pk in {p.pk for p in partners}:
                errors.append(f"«{supported.short_name}» указана и как школа, и как партнёр.")
            else:
                roles = _roles(supported, partners)
                if isinstance(roles, str):
                    errors.append(roles)
                else:
                    kind, parties = roles
                    kind_label = AgreementKind(kind).label
                    key = (supported.pk, frozenset(p.pk for p in partners), row.number)
                    if key in seen:
                        errors.append(f"Повторяет строку {seen[key]}.")
                    seen.setdefault(key, row.line)
                    signed_on = (row.signed_on or options.signed_on) if options.signed else None
                    if options.signed and signed_on is None:
                        errors.append(
                            "Нет даты подписания: укажите её в столбце «Соглашение» или в поле "
                            "«Дата подписания» формы."
                        )
                    result.items.append(
                        ImportItem(
                            data=AgreementInput(
                                kind=kind,
                                subject=(
                                    f"Сетевое партнёрство: {row.support_form}"
                                    if row.support_form
                                    else DEFAULT_SUBJECT
                                ),
                                support_form=row.support_form,
                                number=row.number,
                                valid_from=row.valid_from or options.valid_from,
                                valid_to=row.valid_to or options.valid_to,
                                parties=[PartyInput(org, role) for org, role in parties],
                                roadmaps=list(options.roadmaps),
                                measures=list(options.measures),
                            ),
                            lines=[row.line],
                            signed_on=signed_on,
                        )
                    )
        result.rows.append(
            PreviewRow(
                line=row.line,
                supported=supported.short_name if supported is not None else row.supported,
                partners="; ".join(p.short_name for p in partners) or "; ".join(row.partners),
                kind=kind_label,
                support_form=row.support_form,
                errors=errors,
            )
        )
    return result


# --- Uploads waiting for confirmation ----------------------------------------------------------
#
# A checked list waits in the private storage (no URL serves it) between the preview and
# the person's confirmation; ``uploads_cleanup`` (the periodic task) removes what nobody
# confirmed.

UPLOAD_FOLDER = "agreement-imports"


def _uploads():
    from django.core.files.storage import storages

    return storages["private"]


def stage_upload(token: str, content: bytes) -> str:
    from django.core.files.base import ContentFile

    return _uploads().save(f"{UPLOAD_FOLDER}/{token}", ContentFile(content))


def upload_exists(path: str) -> bool:
    return bool(path) and path.startswith(f"{UPLOAD_FOLDER}/") and _uploads().exists(path)


def take_upload(path: str) -> bytes:
    """The staged file's bytes; the file leaves the storage (a confirmation is used once)."""
    storage = _uploads()
    with storage.open(path, "rb") as handle:
        content = handle.read()
    storage.delete(path)
    return content


def uploads_cleanup(*, older_than: datetime.timedelta) -> int:
    from django.utils import timezone

    storage = _uploads()
    try:
        _, names = storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, OSError):
        return 0
    limit = timezone.now() - older_than
    deleted = 0
    for name in names:
        path = f"{UPLOAD_FOLDER}/{name}"
        if storage.get_modified_time(path) < limit:
            storage.delete(path)
            deleted += 1
    return deleted
