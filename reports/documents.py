"""A plan as its official document: what the PDF prints and the data it carries.

``plan_document`` reads the plan once (the table in the document's order, the
«СОГЛАСОВАНО» blocks, the approval block) into plain values; the PDF layout
(``templates/reports/pdf/roadmap.html``) prints them and the same values, as JSON, are
attached to the PDF/A file and digested into the report's fingerprint — so two requests
for an unchanged revision get the same file, and any edit of a draft makes a new one.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from roadmaps import selectors
from roadmaps.constants import LABELS
from roadmaps.exports import is_approved
from roadmaps.models import Roadmap

from .constants import LAYOUT_VERSION

DATA_FORMAT = "roadmaps-edu/plan"
DATA_NAME = "plan.json"

# Relative widths of the plan's columns on an A4 landscape page (the samples' proportions).
COLUMN_WEIGHTS = {
    "number": 6,
    "title": 30,
    "deadline_text": 12,
    "audience": 16,
    "responsible_text": 16,
    "result": 24,
    "indicator_text": 16,
    "status_text": 14,
}

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def long_date(day: datetime.date | None) -> str:
    """«12» сентября 2026 г. — as dates are written under a signature."""
    if day is None:
        return ""
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


@dataclass
class Column:
    key: str
    label: str
    width: str  # a CSS percentage


@dataclass
class DocumentRow:
    kind: str  # "section" | "measure"
    depth: int
    cells: list[str] = field(default_factory=list)  # a section: one cell


@dataclass
class Block:
    """An approval («УТВЕРЖДАЮ») or agreement («СОГЛАСОВАНО») block, line by line."""

    word: str
    position: str = ""
    organisation: str = ""
    name: str = ""
    date: str = ""
    order: str = ""


@dataclass
class PlanDocument:
    roadmap: Roadmap
    approved: bool
    title: str
    subtitle: str
    period: str
    approval: Block | None
    columns: list[Column]
    rows: list[DocumentRow]
    concurrences: list[Block]
    data: dict

    @property
    def fingerprint(self) -> str:
        return digest(self.data)


@lru_cache(maxsize=1)
def layout_digest() -> str:
    """The layout's version and the text of its templates: a changed template makes new
    files instead of reusing those of the old layout."""
    folder = Path(__file__).resolve().parent.parent / "templates" / "reports" / "pdf"
    hashed = hashlib.sha256(str(LAYOUT_VERSION).encode())
    for path in sorted(folder.glob("*.html")):
        hashed.update(path.name.encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


def digest(data: dict, *extra: object) -> str:
    """The SHA-256 of the data (canonical JSON), the layout and ``extra``."""
    text = json.dumps(
        [layout_digest(), data, [str(item) for item in extra]],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def period_text(roadmap: Roadmap) -> str:
    """«на 2019-2022 годы» as the document says it, else the dates."""
    words = (roadmap.period_text or "").strip()
    if words:
        return words
    return f"на период с {roadmap.period_start:%d.%m.%Y} по {roadmap.period_end:%d.%m.%Y}"


def _normal(text: str) -> str:
    return " ".join(text.replace("–", "-").replace("—", "-").lower().split())


def _period_line(roadmap: Roadmap) -> str:
    """The period under the title, unless the title already states it (as the samples'
    titles do: «… на 2019-2022 годы»)."""
    line = period_text(roadmap)
    words = (roadmap.period_text or "").strip()
    if words and _normal(words) in _normal(f"{roadmap.title} {roadmap.subtitle}"):
        return ""
    return line


def plan_document(roadmap: Roadmap) -> PlanDocument:
    """The plan's document (queries: sections, measures, due dates, concurrences — 4)."""
    keys = [key for key in roadmap.columns if key in LABELS] or ["number", "title"]
    weights = [COLUMN_WEIGHTS.get(key, 14) for key in keys]
    total = sum(weights)
    columns = [
        Column(key, str(LABELS[key]), f"{weight * 100 / total:.2f}%")
        for key, weight in zip(keys, weights, strict=True)
    ]
    rows, data_rows = [], []
    for row in selectors.plan_rows(roadmap):
        obj = row.obj
        if row.kind == "section":
            text = f"{obj.number} {obj.title}".strip()
            rows.append(DocumentRow("section", row.depth, [text]))
            data_rows.append(
                {
                    "kind": "section",
                    "depth": row.depth,
                    "number": obj.number,
                    "title": obj.title,
                    "group": obj.is_group,
                }
            )
        else:
            cells = [getattr(obj, key) or "" for key in keys]
            rows.append(DocumentRow("measure", row.depth, cells))
            data_rows.append(
                {
                    "kind": "measure",
                    "depth": row.depth,
                    **{
                        key: getattr(obj, key) or ""
                        for key in (
                            "number",
                            "title",
                            "deadline_text",
                            "audience",
                            "responsible_text",
                            "result",
                            "indicator_text",
                            "status_text",
                        )
                    },
                }
            )
    approved = is_approved(roadmap)
    approval = None
    if roadmap.approval_position or roadmap.approval_name or roadmap.approval_order:
        approval = Block(
            word=roadmap.approval_word or "УТВЕРЖДАЮ",
            position=roadmap.approval_position,
            organisation=roadmap.approval_organisation,
            name=roadmap.approval_name,
            date=long_date(roadmap.approval_date) or roadmap.approval_date_text,
            order=roadmap.approval_order,
        )
    concurrences = []
    for row in selectors.printed_concurrences(roadmap):
        day = row.date or (row.answered_at.date() if row.answered_at else None)
        concurrences.append(
            Block(
                word="СОГЛАСОВАНО",
                position=row.position,
                organisation=row.organisation_text
                or (row.organisation.full_name if row.organisation_id else ""),
                name=row.name,
                date=long_date(day) if day else row.date_text,
            )
        )
    data = {
        "format": DATA_FORMAT,
        "version": 1,
        "roadmap": {
            "id": roadmap.pk,
            "revision": roadmap.revision,
            "status": roadmap.status,
            "status_label": roadmap.get_status_display(),
            "approved": approved,
            "owner": {"id": roadmap.owner_id, "name": roadmap.owner.full_name},
            "title": roadmap.title,
            "subtitle": roadmap.subtitle,
            "period": {
                "start": roadmap.period_start.isoformat(),
                "end": roadmap.period_end.isoformat(),
                "text": roadmap.period_text,
            },
            "approval": approval.__dict__ if approval else None,
            "columns": keys,
        },
        "rows": data_rows,
        "concurrences": [block.__dict__ for block in concurrences],
    }
    return PlanDocument(
        roadmap=roadmap,
        approved=approved,
        title=roadmap.title,
        subtitle=roadmap.subtitle,
        period=_period_line(roadmap),
        approval=approval,
        columns=columns,
        rows=rows,
        concurrences=concurrences,
        data=data,
    )


# The QR code of the footer: its side on paper, and pixels per module of its picture (a
# few, so that a viewer that smooths pictures still shows sharp modules).
QR_SIDE_MM = 11
QR_SCALE = 4


@dataclass(frozen=True)
class QrPicture:
    """The verification link's QR code as a small PNG (a ``data:`` URL the safe fetcher
    serves) and the CSS resolution at which it is ``QR_SIDE_MM`` wide on paper («304.8dpi»:
    text, so that no locale's decimal comma gets into the stylesheet)."""

    data_url: str
    resolution: str


@dataclass
class Signature:
    """What the visible stamp and the footer of a signed PDF say."""

    signer: str
    position: str
    organisation: str
    serial: str
    valid_from: datetime.date
    valid_to: datetime.date
    signed_at: datetime.datetime
    verify_url: str
    qr: QrPicture

    @property
    def footer_css(self) -> SafeString:
        """The footer's two lines as a CSS string (the page margin's ``content``)."""
        return css_string(
            f"Документ подписан электронной подписью.\nПроверить подлинность: {self.verify_url}"
        )


def qr_picture(url: str) -> QrPicture:
    """The verification link as a QR code picture (segno, pure Python).

    A picture, not inline SVG: WeasyPrint draws an SVG anew on every page (and lays out a
    running element on every page), which made a signed plan of a thousand measures
    seconds slower than the same plan unsigned; a PNG is one image object that every
    page's margin refers to."""
    import segno

    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=QR_SCALE, border=0)
    width, _ = code.symbol_size(scale=QR_SCALE, border=0)
    return QrPicture(
        data_url="data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
        resolution=f"{width * 25.4 / QR_SIDE_MM:.3f}dpi",
    )


def css_string(text: str) -> SafeString:
    """``text`` as a quoted CSS string safe inside ``<style>``: every character outside
    plain letters, digits, spaces and a few signs becomes a CSS escape (so no quote,
    backslash or ``</style>`` can end the string or the element); a newline becomes
    ``\\A`` (a line break where ``white-space`` keeps it)."""
    safe = set(" .,:;-_/()«»№")
    out = []
    for char in text:
        if char.isalnum() or char in safe:
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return mark_safe('"' + "".join(out) + '"')  # noqa: S308 - every other character escaped


def roadmap_html(document: PlanDocument, signature: Signature | None = None) -> str:
    from .watermark import outline_svg

    return render_to_string(
        "reports/pdf/roadmap.html",
        {
            "doc": document,
            "signature": signature,
            "watermark": "" if document.approved else outline_svg("ПРОЕКТ"),
        },
    )
