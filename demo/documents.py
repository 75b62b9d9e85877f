"""Small documents of the demo, made in code so that the repository carries no binaries:
what the schools attach as evidence — a one-page PDF (a protocol, a report) and a DOCX (an
order) — and the authority's model plan for schools, a Word table that the importer reads.

The PDF is written by hand, a few hundred bytes of structure: one page, text in Arial that
is not embedded (every viewer has Arial or a metric twin with Cyrillic — Liberation Sans,
Arimo), Cyrillic letters reached through an encoding whose ``Differences`` name the
glyphs by the Adobe Glyph List (``afii10017`` is «А»). Widths are Arial's, so the text is
laid out as it will be drawn. The evidence checker reads such a file as a PDF by its bytes
(``execution.evidence``)."""

from __future__ import annotations

import io
from collections.abc import Sequence

# Adobe Glyph List names of the non-ASCII characters the demo documents use.
_UPPER = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
_LOWER = _UPPER.lower()
GLYPH_NAMES: dict[str, str] = {
    **{ch: f"afii{10017 + i + (1 if i >= 6 else 0)}" for i, ch in enumerate(_UPPER)},
    **{ch: f"afii{10065 + i + (1 if i >= 6 else 0)}" for i, ch in enumerate(_LOWER)},
    "Ё": "afii10023",
    "ё": "afii10071",
    "№": "afii61352",
    "«": "guillemotleft",
    "»": "guillemotright",
    "–": "endash",
    "—": "emdash",
}

# Arial's advance widths (1/1000 em) of the characters above and of printable ASCII.
_ASCII_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584"
)
WIDTHS: dict[str, int] = (
    {chr(32 + i): int(w) for i, w in enumerate(_ASCII_WIDTHS.split())}
    | dict(
        zip(
            _UPPER + _LOWER,
            (
                *(667, 656, 667, 542, 677, 667, 923, 604, 719, 719, 583, 656, 833, 722, 778, 719),
                *(667, 722, 611, 635, 760, 667, 740, 667, 917, 938, 792, 885, 656, 719, 1010, 722),
                *(556, 573, 531, 365, 583, 556, 669, 458, 559, 559, 438, 583, 688, 552, 556, 542),
                *(556, 500, 458, 500, 823, 500, 573, 521, 802, 823, 625, 719, 521, 510, 750, 542),
            ),
            strict=True,
        )
    )
    | {"Ё": 667, "ё": 556, "№": 1073, "«": 556, "»": 556, "–": 556, "—": 1000}
)

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 70


def text_width(text: str, size: float) -> float:
    return sum(WIDTHS.get(ch, 556) for ch in text) * size / 1000


def wrap(text: str, size: float, width: float = PAGE_WIDTH - 2 * MARGIN) -> list[str]:
    """Break a paragraph into lines that fit ``width`` at font ``size`` (by words)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def pdf_document(*, heading: Sequence[str], paragraphs: Sequence[str], signature: Sequence[str]):
    """A one-page A4 PDF: centred heading lines, paragraphs, signature lines. Characters
    outside ASCII and ``GLYPH_NAMES`` are refused (the demo controls every string)."""
    chars = sorted({ch for part in (*heading, *paragraphs, *signature) for ch in part if ch > "~"})
    unknown = [ch for ch in chars if ch not in GLYPH_NAMES]
    if unknown:
        raise ValueError(f"No glyph name for {''.join(unknown)!r}")
    if len(chars) > 128:
        raise ValueError("Too many different characters for one simple font.")
    codes = {ch: 128 + i for i, ch in enumerate(chars)}

    def encoded(text: str) -> bytes:
        raw = bytes(codes.get(ch, ord(ch)) for ch in text)
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    ops: list[bytes] = [b"BT"]
    y = PAGE_HEIGHT - MARGIN

    def line(text: str, size: float, x: float) -> None:
        nonlocal y
        y -= size * 1.45
        ops.append(b"/F1 %.1f Tf 1 0 0 1 %.1f %.1f Tm (%s) Tj" % (size, x, y, encoded(text)))

    for text in heading:
        line(text, 13, (PAGE_WIDTH - text_width(text, 13)) / 2)
    y -= 12
    for paragraph in paragraphs:
        for text in wrap(paragraph, 11):
            line(text, 11, MARGIN)
        y -= 6
    y -= 18
    for text in signature:
        line(text, 11, MARGIN)
    ops.append(b"ET")
    content = b"\n".join(ops)

    first, last = 32, 127 + len(chars)
    widths = [
        WIDTHS.get(chr(code), 556) if code < 128 else WIDTHS[chars[code - 128]]
        for code in range(first, last + 1)
    ]
    differences = b" ".join(b"/" + GLYPH_NAMES[ch].encode() for ch in chars)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar %d /LastChar %d "
        b"/Widths [%s] /FontDescriptor 5 0 R /Encoding << /Type /Encoding "
        b"/BaseEncoding /WinAnsiEncoding /Differences [128 %s] >> >>"
        % (first, last, " ".join(map(str, widths)).encode(), differences),
        b"<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [-665 -325 2000 1040] "
        b"/ItalicAngle 0 /Ascent 905 /Descent -212 /CapHeight 716 /StemV 80 >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content) + 1, content),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_document(*, heading: Sequence[str], paragraphs: Sequence[str], signature: Sequence[str]):
    """A DOCX with the same parts as ``pdf_document`` (python-docx, no macros)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    for text in heading:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    for text in paragraphs:
        document.add_paragraph(text)
    document.add_paragraph()
    for text in signature:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plan_docx(
    *,
    stamps: Sequence[Sequence[str]],
    title: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> bytes:
    """A plan as people type it in Word: the stamp blocks («СОГЛАСОВАНО», «УТВЕРЖДАЮ»)
    side by side in a layout table without borders, the title lines, then the table of
    measures under its header row (a section is a row with only a number and a title)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    if stamps:
        layout = document.add_table(rows=1, cols=len(stamps))
        for cell, block in zip(layout.rows[0].cells, stamps, strict=True):
            cell.text = "\n".join(block)
        document.add_paragraph()
    for text in title:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, columns, strict=True):
        cell.text = label
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
