"""Parameters checked before they reach the ORM.

Every id or integer that comes from a URL, a query string or a form is parsed here: ASCII
digits only (no signs, exponents, spaces or other scripts' digits) and within the range of
the database's 64-bit integer columns. Anything else is "no value", never an overflowing
integer in a query (SQLite raises OverflowError on those, PostgreSQL a DataError).
"""

from __future__ import annotations

import re

from .text import clean_text

MAX_ID = 2**63 - 1  # bigint / SQLite INTEGER
MIN_INT = -(2**63)
_DIGITS = re.compile(r"-?[0-9]{1,19}", re.ASCII)


def int_param(value, *, min: int = MIN_INT, max: int = MAX_ID) -> int | None:  # noqa: A002
    """The integer in ``value`` if it is written in ASCII digits and lies in [min, max],
    else None. Accepts ints (not bools) as they are, subject to the same range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if min <= number <= max else None


def id_param(value) -> int | None:
    """A primary key: a positive integer in the database's range, else None."""
    return int_param(value, min=1, max=MAX_ID)


def text_param(value, *, max_length: int = 200) -> str:
    """A free-text query parameter (a search box): cleaned, stripped and cut."""
    if not isinstance(value, str):
        return ""
    return clean_text(value).strip()[:max_length]


def page_param(value) -> int:
    """A page number for Paginator.get_page: a positive integer, else the first page (a page
    beyond the last is clamped to the last by the paginator itself)."""
    return int_param(value, min=1, max=MAX_ID) or 1
