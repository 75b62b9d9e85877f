"""Reading plans people already have: Word, Excel, CSV and pasted text → a parsed plan.

Pure Python (no Django): ``readers`` turn a file into rows and the text around the table,
``structure`` recognises the header, sections, measures and page-break debris, ``header``
reads the approval block, title, period and concurrences. Every failure is an
``ImportFileError`` with a message for the person who uploaded the file. ``sandbox``
runs the same parse in a child process bounded in CPU time and memory (``parse_bounded``):
the only way uploads are parsed by the product.
"""

from __future__ import annotations

import logging
import os

from .errors import ImportFileError
from .model import ParsedPlan
from .readers import MAX_BYTES, load_bytes, read_document
from .structure import build_plan

logger = logging.getLogger(__name__)


def parse_plan(
    source: bytes | str | os.PathLike,
    filename: str | None = None,
    *,
    mapping: dict[int, str] | None = None,
    max_bytes: int = MAX_BYTES,
) -> ParsedPlan:
    """Parse one file (its bytes, or a path) into a plan; nothing is written anywhere.

    ``filename`` decides the format by its extension (a path's own name by default);
    ``mapping`` (column index → key) overrides the recognised columns."""
    if filename is None:
        if isinstance(source, bytes | bytearray | memoryview):
            raise ImportFileError("Не указано имя файла: формат определяется по расширению.")
        filename = os.path.basename(os.fspath(source))
    try:
        data = load_bytes(source, max_bytes=max_bytes)
        document = read_document(data, filename, max_bytes=max_bytes)
        return build_plan(document, mapping=mapping)
    except ImportFileError:
        raise
    except MemoryError:
        raise ImportFileError(
            "Разбор файла превысил предел памяти. Разделите план на несколько файлов."
        ) from None
    except Exception:  # noqa: BLE001 — includes RecursionError and MemoryError
        # Uploaded files are hostile input: whatever a library trips over, the person
        # gets a message, and the details go to the log.
        logger.exception("Unexpected failure while parsing %s", filename)
        raise ImportFileError(
            "Файл не удалось разобрать. Проверьте, что это план мероприятий в формате .docx, "
            ".xlsx, .csv или текст таблицы, и попробуйте сохранить его заново."
        ) from None


from .sandbox import parse_bounded  # noqa: E402 — the sandbox runs parse_plan above

__all__ = ["MAX_BYTES", "ImportFileError", "ParsedPlan", "parse_bounded", "parse_plan"]
