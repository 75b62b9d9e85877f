"""Reading plans people already have: Word, Excel, CSV and pasted text → a parsed plan.

Pure Python (no Django): ``readers`` turn a file into rows and the text around the table,
``structure`` recognises the header, sections, measures and page-break debris, ``header``
reads the approval block, title, period and agreements. Every failure is an
``ImportFileError`` with a message for the person who uploaded the file.
"""

from .errors import ImportFileError
from .model import ParsedPlan
from .readers import MAX_BYTES, read_document
from .structure import build_plan


def parse_plan(
    data: bytes, filename: str, *, mapping: dict[int, str] | None = None, max_bytes: int = MAX_BYTES
) -> ParsedPlan:
    """Parse one uploaded file into a plan (nothing is written anywhere)."""
    document = read_document(data, filename, max_bytes=max_bytes)
    return build_plan(document, mapping=mapping)


__all__ = ["ImportFileError", "ParsedPlan", "parse_plan"]
