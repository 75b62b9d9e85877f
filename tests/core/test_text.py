"""core.text.clean_text: what Word pastes becomes what XML and PostgreSQL can hold."""

import pytest

from core.text import clean_text, needs_cleaning


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Обычный текст", "Обычный текст"),
        ("", ""),
        ("строка 1\nстрока 2", "строка 1\nстрока 2"),
        ("колонка\tколонка", "колонка\tколонка"),
        # Word's manual line break and page break
        ("Семинар\x0bдля учителей", "Семинар\nдля учителей"),
        ("лист 1\x0cлист 2", "лист 1\nлист 2"),
        # Windows and old Mac line ends
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\n\r\nb", "a\n\nb"),
        # other C0 controls are dropped, NUL included
        ("a\x00b", "ab"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08текст", "текст"),
        ("a\x0e\x0f\x10\x1b\x1c\x1d\x1e\x1fb", "ab"),
        # DEL and C1 controls
        ("a\x7fb", "ab"),
        ("a\x80\x85\x9fb", "ab"),
        # lone surrogates and the two noncharacters XML refuses
        ("a\ud800b\udfffc", "abc"),
        ("a\ufffeb\uffffc", "abc"),
        # what XML holds stays: non-breaking space, soft hyphen, emoji, quotes, dashes
        ("№\xa03 — «школа»\xad 😀", "№\xa03 — «школа»\xad 😀"),
        ("\u2028\u00a0", "\u2028\u00a0"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean
    assert needs_cleaning(raw) is (raw != clean)


@pytest.mark.parametrize("value", [None, 5, 1.5, b"\x0b", ["\x0b"]])
def test_non_text_passes_unchanged(value):
    assert clean_text(value) is value


def test_clean_text_is_idempotent():
    raw = "".join(chr(code) for code in range(0x00, 0xA0)) + "\ud800\ufffe\uffff"
    once = clean_text(raw)
    assert clean_text(once) == once
    assert once == "\t\n\n\n\n" + "".join(chr(code) for code in range(0x20, 0x7F))
