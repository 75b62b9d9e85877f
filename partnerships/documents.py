"""«Список сетевого партнерства» as a PDF: the list and the drawn network, through the
reports app's renderer (``reports.rendering.render_pdf``: bundled fonts, the safe URL
fetcher, PDF/A-3u with the data attached as JSON). The job's work, run on the "pdf"
queue by ``partnerships.tasks.build_network_pdf``: it reads the network as its requester
sees it and stores the file in the private storage.

The drawing is the page's SVG (``svg.render``), cut into page-high slices between rows
(``network.page_cuts``) so that every name keeps a readable size on paper."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils import timezone

from core.jobs import JobError

from . import network as net
from . import selectors, svg
from .models import NetworkExport

# A4 landscape less the margins of reports/pdf/_base.html: 262 × 178 mm.
PAGE_WIDTH_MM = 262
PAGE_HEIGHT_MM = 165  # the drawing's share of a page, under its heading
DATA_NAME = "network.json"


def _payload(data: selectors.Network) -> dict:
    return {
        "title": data.title,
        "include_all": data.include_all,
        "rows": [
            {
                "supported": row.supported.full_name,
                "partners": [p.full_name for p in row.partners],
                "support_form": row.support_form,
                "agreement": row.agreement.reference,
                "valid_from": row.agreement.valid_from,
                "valid_to": row.agreement.valid_to,
                "status": row.agreement.status,
            }
            for row in data.rows
        ],
    }


def drawing_pages(data: selectors.Network) -> list[str]:
    """The drawing as SVG slices, each sized to a page of the PDF."""
    layout = data.layout
    if layout.is_empty:
        return []
    scale = PAGE_WIDTH_MM / layout.width  # mm per drawing pixel
    slices = net.page_cuts(layout, PAGE_HEIGHT_MM / scale)
    return [
        svg.render(
            layout,
            title=data.title,
            role_labels=selectors.ROLE_LABELS,
            window=window,
            css_class="net-pdf",
            width_mm=PAGE_WIDTH_MM,
        )
        for window in slices
    ]


def network_html(data: selectors.Network, *, requested_by: str = "") -> str:
    return render_to_string(
        "partnerships/pdf/network.html",
        {
            "data": data,
            "drawings": drawing_pages(data),
            "now": timezone.localtime(),
            "requested_by": requested_by,
            "legend": svg.legend(),
        },
    )


def network_pdf_build(job: NetworkExport) -> dict:
    """Render the job's list as its requester sees it; returns the fields of the finished
    job (``core.jobs.run_job``)."""
    from reports.rendering import json_attachment, render_pdf

    job = NetworkExport.objects.select_related("municipality", "roadmap", "created_by").get(
        pk=job.pk
    )
    user = job.created_by
    if user is None or not user.is_active:
        raise JobError(
            "Список строится для того, кто его запросил, а его учётной записи больше нет."
        )
    data = selectors.network(
        user, municipality=job.municipality, roadmap=job.roadmap, include_all=job.include_all
    )
    rendered = render_pdf(
        network_html(data, requested_by=user.get_full_name() or user.username),
        attachments=[json_attachment(DATA_NAME, _payload(data), "Данные списка (JSON)")],
    )
    path = storages["private"].save(
        f"partnerships/{uuid.uuid4().hex}.pdf", ContentFile(rendered.data)
    )
    return {"file_path": path, "file_size": len(rendered.data), "pages": rendered.pages}
