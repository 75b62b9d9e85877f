"""HTML → PDF/A-3 with WeasyPrint, through the safe fetcher only.

Every PDF of the product goes through ``render_pdf``: the template's HTML (every text
escaped by Django), the bundled fonts (``static/fonts``, embedded as subsets), PDF/A-3u
(archival: fonts embedded, colours defined by an output intent, Unicode text that search
and copy read) with the report's data attached as JSON (``AFRelationship /Data``). The
position of the visible signature stamp, if the layout has one (``id="signature-stamp"``),
is read from the laid-out pages so the signature field can be put over it.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from .fetcher import STATIC_ROOT, SafeFetcher
from .signing import StampBox

PDF_VARIANT = "pdf/a-3u"
STAMP_ID = "signature-stamp"
PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


@dataclass
class Attachment:
    name: str
    data: bytes
    description: str
    content_type: str = "application/json"


@dataclass
class RenderedPdf:
    data: bytes
    pages: int
    stamp: StampBox | None = None
    refused: list[str] = field(default_factory=list)


def json_attachment(name: str, payload: dict, description: str) -> Attachment:
    data = json.dumps(payload, ensure_ascii=False, indent=1, default=_json_default).encode()
    return Attachment(name, data, description)


def _json_default(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def render_pdf(
    html: str, *, attachments: list[Attachment] = (), archival: bool = True
) -> RenderedPdf:
    """Lay out ``html`` and write the PDF (PDF/A-3u unless ``archival`` is off: the bare
    render of the benchmark)."""
    from weasyprint import HTML
    from weasyprint import Attachment as WeasyAttachment
    from weasyprint.text.fonts import FontConfiguration

    fetcher = SafeFetcher()
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=STATIC_ROOT.as_uri() + "/", url_fetcher=fetcher).render(
        font_config=fonts
    )
    stamp = _stamp_box(document)
    options = {}
    if archival:
        options["pdf_variant"] = PDF_VARIANT
        options["attachments"] = [
            WeasyAttachment(
                string=item.data,
                name=item.name,
                description=item.description,
                relationship="Data",
                url_fetcher=fetcher,
            )
            for item in attachments
        ]
    data = document.write_pdf(**options)
    return RenderedPdf(data=data, pages=len(document.pages), stamp=stamp, refused=fetcher.refused)


def _stamp_box(document) -> StampBox | None:
    """The stamp's rectangle (WeasyPrint's anchors: CSS pixels from the top left of the
    page) in PDF points from the bottom left."""
    for index, page in enumerate(document.pages):
        anchor = page.anchors.get(STAMP_ID)
        if anchor is None:
            continue
        x1, y1, x2, y2 = (value * PX_TO_PT for value in anchor)
        height = page.height * PX_TO_PT
        return StampBox(page=index, box=(x1, height - y2, x2, height - y1))
    return None
