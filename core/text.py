"""Text cleaning at the door: one pure function every entry point shares.

Text pasted from Word carries characters that nothing downstream can hold: a manual line
break arrives as a vertical tab (\\x0b), a page break as a form feed (\\x0c), and stray
control characters ride along. XML 1.0 — and with it .docx and .xlsx — refuses every C0
control except tab, newline and carriage return, as well as lone surrogates and U+FFFE/FFFF;
PostgreSQL refuses NUL in text. Cleaning once where text enters keeps every stored row
exportable.
"""

from __future__ import annotations

import re

# Word's manual line break and page break become a line break.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")
# Everything XML 1.0 cannot hold (and NUL, which PostgreSQL cannot hold), kept out of text:
# C0 controls other than tab and newline, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF.
_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value):
    """Normalise line breaks and drop characters that cannot be stored or exported.

    Non-strings (None, numbers) are returned unchanged so that the function can sit in any
    field's conversion path.
    """
    if not isinstance(value, str):
        return value
    if value.isprintable():
        # Fast path: printable text holds no control characters, surrogates or
        # noncharacters (nor tab and newline, so multi-line text takes the slow path).
        return value
    return _DROPPED.sub("", _BREAKS.sub("\n", value))


def needs_cleaning(value) -> bool:
    """Whether clean_text would change the value (used by the data migration)."""
    return isinstance(value, str) and clean_text(value) != value
