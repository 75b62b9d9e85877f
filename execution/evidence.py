"""Checks for evidence attached to execution marks: uploaded files and links.

An uploaded file is hostile input that a curator will open on a work computer, so its type
is decided by its bytes, never by its name or the browser's content type: PDF, DOCX, XLSX,
ODT, JPG and PNG only. Office files are zip packages: their central directory is read and
checked (sizes, compression ratio, number of parts, encryption, nested archives, macros)
before a byte of any part is unpacked, with the limits the plan importer uses for .docx
(``roadmaps.importing.readers``). Images are checked by header and dimensions through
Pillow, without decoding the pixels. Every refusal is an ``EvidenceError`` whose message
is for the person who uploaded the file.

No models here: ``check_upload`` returns a ``CheckedFile`` that the model layer stores
under ``stored_name`` in the private storage; ``check_link`` returns the normalised URL;
``safe_download_name`` builds the Content-Disposition header for the download view.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import uuid
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from roadmaps.importing.readers import (
    MACRO_CONTENT_TYPES,
    MAX_UNZIPPED_BYTES,
    OLE_SIGNATURE,
    unpacks_too_big,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # settings.EVIDENCE_MAX_BYTES overrides it
# A real .docx or .xlsx has tens of parts, one with many pictures a few hundred.
MAX_MEMBERS = 2_000
# An Office file embedded in another (the spreadsheet behind a Word chart) is inspected
# too, one level deep, which needs it in memory: charts' workbooks weigh tens of KB.
MAX_EMBEDDED_BYTES = 10 * 1024 * 1024
# Phone cameras give 12–50 megapixels; Pillow itself warns above ~89 MP.
MAX_IMAGE_PIXELS = 80_000_000
MAX_IMAGE_SIDE = 30_000
MAX_XML_BYTES = 1024 * 1024  # [Content_Types].xml, META-INF/manifest.xml, mimetype
MAX_NAME_CHARS = 150
MAX_LINK_LENGTH = 2000
CHUNK_BYTES = 1024 * 1024


class EvidenceError(Exception):
    """A file or a link refused as evidence; the message is for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Kind:
    """An accepted type: canonical extension, MIME type, label, names it may go by."""

    extension: str
    content_type: str
    label: str
    aliases: tuple[str, ...]


PDF = Kind("pdf", "application/pdf", "PDF", ("pdf",))
DOCX = Kind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "документ DOCX",
    ("docx",),
)
XLSX = Kind(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "таблица XLSX",
    ("xlsx",),
)
ODT = Kind("odt", "application/vnd.oasis.opendocument.text", "документ ODT", ("odt",))
JPG = Kind("jpg", "image/jpeg", "изображение JPG", ("jpg", "jpeg", "jpe", "jfif"))
PNG = Kind("png", "image/png", "изображение PNG", ("png",))
KINDS = (PDF, DOCX, XLSX, ODT, JPG, PNG)
ACCEPTED_ALIASES = frozenset(alias for kind in KINDS for alias in kind.aliases)
ALLOWED_LABEL = "PDF, DOCX, XLSX, ODT, JPG и PNG"
# For <input type="file" accept="…">: a hint to the browser, never a check.
ACCEPT = ",".join(f".{alias}" for kind in KINDS for alias in kind.aliases if alias != "jpe")

# What a name's extension claims, for extensions that name a type: a name that claims one
# type while the bytes are another is refused (an unknown suffix such as «от 12.03.2023»
# claims nothing).
CLAIMS: dict[str, str] = {alias: kind.label for kind in KINDS for alias in kind.aliases}
OTHER_EXTENSIONS = (
    *("doc", "docm", "dot", "dotx", "dotm", "xls", "xlsm", "xlsb", "xlt", "xltx"),
    *("ods", "odp", "odg", "ppt", "pptx", "pptm", "pps", "ppsx", "rtf", "txt", "csv"),
    *("xml", "html", "htm", "svg", "gif", "bmp", "tif", "tiff", "webp", "heic", "heif"),
    *("zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "cab", "iso"),
    *("exe", "msi", "dll", "com", "bat", "cmd", "scr", "js", "vbs", "ps1", "jar", "apk"),
    *("mp3", "mp4", "mov", "avi", "mkv", "wav"),
)
CLAIMS.update({ext: f"файл .{ext}" for ext in OTHER_EXTENSIONS})

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
ODF_PREFIX = "application/vnd.oasis.opendocument."
ODF_LABELS = {
    "spreadsheet": "таблица ODS",
    "presentation": "презентация ODP",
    "graphics": "рисунок ODG",
}
OOXML_LABELS = (
    ("presentationml", "презентация PPTX"),
    ("wordprocessingml.template", "шаблон Word (.dotx)"),
    ("spreadsheetml.template", "шаблон Excel (.xltx)"),
    ("wordprocessingml", "документ Word"),
    ("spreadsheetml", "таблица Excel"),
)
ARCHIVE_EXTENSIONS = frozenset(
    ("zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "cab", "iso", "jar", "apk", "arj")
) | {"lzh", "lha", "z", "zst"}
ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"MSCF",
    b"\x28\xb5\x2f\xfd",
)
EMBEDDED_PACKAGE = re.compile(r"^(word|xl)/embeddings/[^/]+\.(docx|xlsx|pptx)$", re.IGNORECASE)
PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what the model layer stores."""

    stored_name: str  # random, with the canonical extension: the name in the storage
    original_name: str  # the uploader's name, cleaned for display and downloads
    content_type: str  # from the content, never from the browser
    extension: str
    size: int
    sha256: str


# --- Uploaded files -----------------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_upload(uploaded_file) -> CheckedFile:
    """Check an uploaded file (a Django ``File``/``UploadedFile`` or any seekable binary
    file object with a ``name``); raise ``EvidenceError`` with a Russian message if it is
    not acceptable evidence. Nothing is written anywhere."""
    name = clean_display_name(getattr(uploaded_file, "name", "") or "")
    limit = max_bytes()
    size = _size(uploaded_file)
    if size == 0:
        raise EvidenceError(f"Файл «{name}» пустой: выберите файл с содержимым.")
    if size > limit:
        raise _too_big(name, size, limit)
    head = _read_at(uploaded_file, 0, 64)
    if head.startswith(OLE_SIGNATURE):
        raise EvidenceError(
            f"Файл «{name}» сохранён в старом формате Word или Excel (.doc, .xls) или защищён "
            "паролем. Сохраните его как PDF или DOCX (без пароля) и загрузите снова."
        )
    kind, label = _sniff(uploaded_file, head, name)
    claimed = _extension(name)
    # A name that claims an accepted type the bytes are not, or bytes of an accepted type
    # under the name of another: both named. A .txt that is text is simply not accepted.
    if claimed in CLAIMS and (
        (kind is None and claimed in ACCEPTED_ALIASES)
        or (kind is not None and claimed not in kind.aliases)
    ):
        raise EvidenceError(
            f"Имя файла «{name}» говорит, что это {CLAIMS[claimed]}, а по содержимому это "
            f"{label}. Сохраните файл в нужном формате ({ALLOWED_LABEL}) и загрузите его снова."
        )
    if kind is None:
        raise EvidenceError(
            f"Файл «{name}» не принимается: по содержимому это {label}. "
            f"Принимаются файлы {ALLOWED_LABEL}."
        )
    if kind is PDF:
        _check_pdf(uploaded_file, size, name)
    elif kind in (JPG, PNG):
        _check_image(uploaded_file, kind, name)
    else:
        _check_package(uploaded_file, kind, name)
    digest, hashed = _sha256(uploaded_file, limit, name)
    if hashed == 0:
        raise EvidenceError(f"Файл «{name}» пустой: выберите файл с содержимым.")
    if claimed not in kind.aliases:
        name = f"{name}.{kind.extension}"
    return CheckedFile(
        stored_name=f"{uuid.uuid4().hex}.{kind.extension}",
        original_name=name,
        content_type=kind.content_type,
        extension=kind.extension,
        size=hashed,
        sha256=digest,
    )


def clean_display_name(name: str) -> str:
    """The uploader's file name without folders, control and direction-override characters
    (U+202E makes «fdp.exe» read as «exe.pdf»), squeezed to MAX_NAME_CHARS."""
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[\\/]", name)[-1]
    kept = []
    for ch in name:
        category = unicodedata.category(ch)
        if category == "Cc":  # tabs and line breaks (a header could be split on them)
            kept.append(" ")
        elif not category.startswith("C"):  # Cf: direction overrides, zero widths
            kept.append(ch)
    name = "".join(kept)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = f"{stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip(' .')}.{ext}"
        else:
            name = name[:MAX_NAME_CHARS].rstrip(" .")
    return name or "файл"


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _size(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    fileobj.seek(0, io.SEEK_END)
    return fileobj.tell()


def _read_at(fileobj, offset: int, length: int) -> bytes:
    fileobj.seek(offset)
    return fileobj.read(length) or b""


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        value = f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
        return f"{value} МБ"
    if size >= 1024:
        return f"{size // 1024} КБ"
    return f"{size} байт"


def _too_big(name: str, size: int, limit: int) -> EvidenceError:
    return EvidenceError(
        f"Файл «{name}» больше {_human(limit)} (в нём {_human(size)}). Уменьшите его: сожмите "
        "фотографии или сохраните документ в PDF — и загрузите снова."
    )


def _corrupt(name: str) -> EvidenceError:
    return EvidenceError(
        f"Файл «{name}» повреждён или загружен не полностью. Откройте его у себя, сохраните "
        "заново и загрузите снова."
    )


def _sniff(fileobj, head: bytes, name: str) -> tuple[Kind | None, str]:
    """The accepted kind the bytes are (or None) and a label of what they are."""
    if PDF_HEADER.match(head):
        return PDF, PDF.label
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG, PNG.label
    if head.startswith(b"\xff\xd8\xff"):
        return JPG, JPG.label
    if head.startswith(b"PK\x03\x04"):
        return _sniff_package(fileobj, name)
    return None, _describe(head)


def _describe(head: bytes) -> str:
    """What a file we do not accept looks like, for the message."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"heim", b"heis"):
            return "фотография HEIC (сохраните или отправьте её как JPG)"
        return "видео или аудио"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "изображение GIF"
    if head.startswith(b"BM") and head[14:15] in (b"\x0c", b"\x28", b"\x38", b"\x6c", b"\x7c"):
        return "изображение BMP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "изображение TIFF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "изображение WebP"
    if head.startswith(b"{\\rtf"):
        return "документ RTF"
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        return "программа (исполняемый файл)"
    if head.startswith(ARCHIVE_MAGIC):
        return "архив"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml")):
        return "веб-страница или XML"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            decoded = head.decode("cp1251")
        except UnicodeDecodeError:
            return "файл неизвестного формата"
        return "текст" if "\x00" not in decoded else "файл неизвестного формата"
    return "текст" if b"\x00" not in head else "файл неизвестного формата"


# Zip packages: DOCX, XLSX, ODT.


def _open_archive(fileobj, name: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _corrupt(name) from None
    _check_directory(infos, name)
    return archive, infos


def _check_directory(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Limits read from the central directory alone, before any part is unpacked: the
    importer's rule for .docx (total, part and ratio), plus the number of parts."""
    if len(infos) > MAX_MEMBERS:
        raise EvidenceError(
            f"Файл «{name}» состоит из слишком многих частей ({len(infos)}, предел — "
            f"{MAX_MEMBERS}). Сохраните документ в PDF и загрузите снова."
        )
    if unpacks_too_big(infos):
        raise EvidenceError(
            f"Файл «{name}» распаковывается в слишком большой объём (больше "
            f"{_human(MAX_UNZIPPED_BYTES)} или сжат подозрительно сильно) — такой файл не "
            "принимается. Сохраните документ в PDF и загрузите снова."
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise EvidenceError(
            f"Файл «{name}» зашифрован паролем. Снимите пароль, сохраните файл и загрузите снова."
        )


# Unpacking a part of a damaged or odd archive (bad CRC, unknown compression method).
ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    if info.file_size > MAX_XML_BYTES:
        raise _corrupt(name)
    try:
        with archive.open(info) as member:
            return member.read(MAX_XML_BYTES + 1)[:MAX_XML_BYTES]
    except ZIP_READ_ERRORS:
        raise _corrupt(name) from None


def _member(archive: zipfile.ZipFile, path: str) -> zipfile.ZipInfo | None:
    """A part by name, whatever the case of its name in the archive."""
    wanted = path.lower()
    return next((info for info in archive.infolist() if info.filename.lower() == wanted), None)


def _content_types(archive: zipfile.ZipFile, name: str) -> list[tuple[str, str]]:
    """(part name, content type) of the Override entries of [Content_Types].xml."""
    text = _read_member(archive, _member(archive, "[Content_Types].xml"), name)
    text = text.decode("utf-8", "replace")
    found = []
    for element in re.finditer(r"<(?:\w+:)?Override\b([^>]*)>", text):
        attributes = dict(re.findall(r'(\w+)\s*=\s*["\']([^"\']*)["\']', element.group(1)))
        found.append((attributes.get("PartName", ""), attributes.get("ContentType", "")))
    return found


def _sniff_package(fileobj, name: str) -> tuple[Kind | None, str]:
    archive, infos = _open_archive(fileobj, name)
    names = {info.filename.lower() for info in infos}
    if "mimetype" in names:
        mimetype = _read_member(archive, _member(archive, "mimetype"), name).strip()
        mimetype = mimetype.decode("ascii", "replace")
        if mimetype == ODT.content_type:
            return ODT, ODT.label
        if mimetype.startswith(ODF_PREFIX):
            sort = mimetype.removeprefix(ODF_PREFIX).split("-")[0]
            return None, ODF_LABELS.get(sort, "документ OpenDocument другого вида")
    if "[content_types].xml" in names:
        parts = _content_types(archive, name)
        for part, content_type in parts:
            member = part.lstrip("/").lower()
            if member not in names:
                continue
            if content_type == WORD_MAIN and member.startswith("word/"):
                return DOCX, DOCX.label
            if content_type == EXCEL_MAIN and member.startswith("xl/"):
                return XLSX, XLSX.label
        for _part, content_type in parts:
            if "macroEnabled" in content_type:
                return None, "документ с макросами (сохраните его как DOCX или XLSX без макросов)"
        for marker, label in OOXML_LABELS:
            if any(marker in content_type for _part, content_type in parts):
                return None, label
    return None, "ZIP-архив"


def _check_package(fileobj, kind: Kind, name: str) -> None:
    archive, infos = _open_archive(fileobj, name)
    _check_parts(archive, infos, name, depth=0)
    if kind is ODT:
        manifest = _member(archive, "META-INF/manifest.xml")
        if manifest is not None and b"encryption-data" in _read_member(archive, manifest, name):
            raise EvidenceError(
                f"Файл «{name}» зашифрован паролем. Снимите пароль, сохраните файл и "
                "загрузите снова."
            )


def _check_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, *, depth: int):
    """Macros and nested archives. A part's first bytes are read (a few bytes unpacked) to
    catch an archive under an innocent name; an Office file embedded where Office puts
    them (a chart's workbook) is inspected in turn, and may hold no archive itself."""
    names = [info.filename.lower() for info in infos]
    if any(part.endswith("vbaproject.bin") for part in names) or (
        "[content_types].xml" in names
        and any(
            marker in content_type
            for _part, content_type in _content_types(archive, name)
            for marker in MACRO_CONTENT_TYPES
        )
    ):
        raise EvidenceError(
            f"Файл «{name}» содержит макросы — такие файлы не принимаются. Сохраните его без "
            "макросов (как DOCX или XLSX) или в PDF и загрузите снова."
        )
    for info in infos:
        if info.is_dir() or info.file_size == 0:
            continue
        by_name = _extension(info.filename.rsplit("/", 1)[-1]) in ARCHIVE_EXTENSIONS
        try:
            with archive.open(info) as member:
                magic = member.read(8)
        except ZIP_READ_ERRORS:
            raise _corrupt(name) from None
        if not by_name and not magic.startswith(ARCHIVE_MAGIC):
            continue
        if depth == 0 and not by_name and EMBEDDED_PACKAGE.match(info.filename):
            _check_embedded(archive, info, name)
            continue
        raise EvidenceError(
            f"Файл «{name}» содержит вложенный архив ({info.filename}) — такие файлы не "
            "принимаются. Уберите вложение или сохраните документ в PDF и загрузите снова."
        )


def _check_embedded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    if info.file_size > MAX_EMBEDDED_BYTES:
        raise EvidenceError(
            f"Файл «{name}» содержит слишком большой встроенный документ ({info.filename}). "
            "Сохраните документ в PDF и загрузите снова."
        )
    try:
        with archive.open(info) as member:
            data = member.read(MAX_EMBEDDED_BYTES + 1)
    except ZIP_READ_ERRORS:
        raise _corrupt(name) from None
    inner, infos = _open_archive(io.BytesIO(data), name)
    _check_parts(inner, infos, name, depth=1)


# PDF and images.


def _check_pdf(fileobj, size: int, name: str) -> None:
    # Readers look for the end marker in the last 1024 bytes; without it the file was cut.
    tail = _read_at(fileobj, max(0, size - 1024), 1024)
    if b"%%EOF" not in tail:
        raise _corrupt(name)


def _check_image(fileobj, kind: Kind, name: str) -> None:
    """Header and dimensions through Pillow; pixels are never decoded. PNG chunks are
    walked with their checksums by ``verify``."""
    from PIL import Image, UnidentifiedImageError

    too_large = EvidenceError(
        f"Изображение «{name}» слишком большое по числу точек (предел — "
        f"{MAX_IMAGE_PIXELS // 1_000_000} мегапикселей и {MAX_IMAGE_SIDE} точек по стороне). "
        "Уменьшите его и загрузите снова."
    )
    fileobj.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(fileobj, formats=["PNG" if kind is PNG else "JPEG"]) as image:
                width, height = image.size
                if width < 1 or height < 1:
                    raise _corrupt(name)
                if (
                    width > MAX_IMAGE_SIDE
                    or height > MAX_IMAGE_SIDE
                    or width * height > MAX_IMAGE_PIXELS
                ):
                    raise too_large
                image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
            raise _corrupt(name) from None


def _sha256(fileobj, limit: int, name: str) -> tuple[str, int]:
    """The hash, streamed in chunks (an upload may be a temporary file on disk)."""
    digest = hashlib.sha256()
    total = 0
    fileobj.seek(0)
    while chunk := fileobj.read(CHUNK_BYTES):
        total += len(chunk)
        if total > limit:
            raise _too_big(name, total, limit)
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), total


# --- Links --------------------------------------------------------------------------------

_url_validator = URLValidator(schemes=["http", "https"])
LOCAL_PATH = re.compile(r"^(?:[a-z]:[\\/]|\\\\|file:)", re.IGNORECASE)
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?!\d)", re.IGNORECASE)


def check_link(url: str) -> str:
    """A link to evidence (a page of the school's site, a cloud folder): http or https, a
    host, no login or password in it, at most MAX_LINK_LENGTH characters. A link pasted
    without a scheme («school.ru/otchet») gets https://. Returns the normalised URL:
    scheme and host in lower case, no default port, «/» for an empty path."""
    text = str(url or "").strip()
    if not text:
        raise EvidenceError("Укажите ссылку.")
    if len(text) > MAX_LINK_LENGTH:
        raise EvidenceError(
            f"Ссылка длиннее {MAX_LINK_LENGTH} символов. Дайте ссылку покороче (например, на "
            "папку или страницу с документом)."
        )
    if LOCAL_PATH.match(text):
        raise EvidenceError(
            "Это путь к файлу на компьютере или в локальной сети — проверяющий его не откроет. "
            "Прикрепите сам файл или дайте ссылку на сайт (http:// или https://)."
        )
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text):
        raise EvidenceError(
            "В ссылке есть пробелы или переводы строки. Скопируйте её из адресной строки "
            "браузера целиком."
        )
    if "://" not in text:
        scheme = SCHEME.match(text)
        if scheme and "." not in scheme.group(1):
            raise _bad_scheme(scheme.group(1))
        text = "https:" + text if text.startswith("//") else "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise EvidenceError("Ссылка не похожа на адрес сайта. Проверьте её.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _bad_scheme(parts.scheme)
    if "@" in parts.netloc:
        raise EvidenceError(
            "Ссылка не должна содержать логин или пароль. Уберите их (часть до «@») и "
            "откройте доступ по ссылке."
        )
    host = parts.hostname or ""
    if not host:
        raise EvidenceError("В ссылке нет адреса сайта. Проверьте её.")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        netloc = f"{netloc}:{port}"
    normalised = urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))
    try:
        _url_validator(normalised)
    except ValidationError:
        raise EvidenceError("Ссылка не похожа на адрес сайта. Проверьте её.") from None
    if len(normalised) > MAX_LINK_LENGTH:
        raise EvidenceError(f"Ссылка длиннее {MAX_LINK_LENGTH} символов. Дайте ссылку покороче.")
    return normalised


def _bad_scheme(scheme: str) -> EvidenceError:
    return EvidenceError(
        f"Принимаются только ссылки на сайты (http:// или https://), а здесь «{scheme}:». "
        "Скопируйте адрес из адресной строки браузера."
    )


# --- Downloads ----------------------------------------------------------------------------

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
LATIN = (
    *("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o"),
    *("p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu"),
    "ya",
)
TRANSLIT = dict(zip(CYRILLIC, LATIN, strict=True))


def _ascii_name(name: str) -> str:
    """A plain-ASCII stand-in for clients that ignore filename* (Cyrillic transliterated)."""
    letters = []
    for ch in name:
        lower = ch.lower()
        if lower in TRANSLIT:
            latin = TRANSLIT[lower]
            letters.append(latin.capitalize() if ch != lower else latin)
        else:
            letters.append(ch)
    text = unicodedata.normalize("NFKD", "".join(letters))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9 ._()\-]+", "_", text)
    text = re.sub(r"_+", "_", text).strip(" ._")
    _stem, dot, ext = name.rpartition(".")
    if not text or (dot and text.lower() == ext.lower()):  # nothing left of the stem
        text = f"file.{ext}" if dot and ext.isascii() and ext.isalnum() else "file"
    return text


def safe_download_name(original: str, *, as_attachment: bool = True) -> str:
    """The Content-Disposition header value for a stored file: the cleaned name as an ASCII
    ``filename`` and, when it is not plain ASCII, as RFC 5987 UTF-8 ``filename*``."""
    name = clean_display_name(original)
    fallback = _ascii_name(name)
    value = f'{"attachment" if as_attachment else "inline"}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
