"""``manage.py bench pdf``: the official PDF of generated plans of 100 and 1,000 measures —
render, sign, peak memory — beside WeasyPrint's bare render of the same table (the limit:
the same HTML table and fonts, no PDF/A, no attachment, no layout of ours).

Everything is generated inside a transaction that is rolled back. Each size is measured
in a child process (fork) so that its peak memory is its own; like the pool processes of
the pdf worker (``reports.tasks``), the children start with WeasyPrint and pyHanko already
imported (~4 s that a worker pays once, not per report). Budget: 100 measures under
3 s; 1,000 under 20 s and 500 MB; the product's render within 1.3× of the bare render.
"""

from __future__ import annotations

import datetime
import os
import resource
import statistics
import time
from html import escape

from django.db import transaction

SIZES = (100, 1000)
WORDS = (
    "Проведение муниципального семинара для заместителей директоров по вопросам подготовки "
    "обучающихся к государственной итоговой аттестации и анализу результатов"
)


def _plan(size: int):
    from roadmaps.constants import RoadmapStatus
    from roadmaps.models import Measure, Roadmap, Section
    from schools.constants import OrganisationKind
    from schools.models import Municipality, Organisation, Region

    region = Region.objects.create(name=f"Бенчмарк-регион {size} {time.time_ns()}")
    municipality = Municipality.objects.create(region=region, name="Бенчмарк-район")
    owner = Organisation.objects.create(
        region=region,
        municipality=municipality,
        kind=OrganisationKind.MUNICIPAL_AUTHORITY,
        full_name="Управление образования администрации муниципального образования",
        short_name="УО",
    )
    plan = Roadmap.objects.create(
        owner=owner,
        title=f"Дорожная карта на {size} мероприятий",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        status=RoadmapStatus.APPROVED,
        approval_position="Начальник управления образования",
        approval_name="И.И. Иванова",
        approval_date=datetime.date(2026, 1, 10),
        approval_order="приказ от 10.01.2026 № 1",
    )
    sections = Section.objects.bulk_create(
        Section(roadmap=plan, number=f"{n + 1}.", title=f"Раздел {n + 1}", order=n)
        for n in range(max(1, size // 20))
    )
    Measure.objects.bulk_create(
        Measure(
            roadmap=plan,
            section=sections[n // 20],
            number=f"{n // 20 + 1}.{n % 20 + 1}.",
            title=f"{WORDS} ({n + 1})",
            deadline_text="Сентябрь-октябрь 2026",
            audience="Руководящие и педагогические работники ОО",
            responsible_text="МБУ «ЦРО», руководители ОО",
            result="Проведён семинар, подготовлены методические рекомендации",
            order=n,
        )
        for n in range(size)
    )
    return plan


def _bare_html(document) -> str:
    head = "".join(f"<th>{escape(c.label)}</th>" for c in document.columns)
    rows = []
    for row in document.rows:
        if row.kind == "section":
            rows.append(
                f'<tr><td colspan="{len(document.columns)}">{escape(row.cells[0])}</td></tr>'
            )
        else:
            rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row.cells) + "</tr>")
    return (
        "<html><head><style>"
        '@font-face { font-family: S; src: url("fonts/LiberationSerif-Regular.ttf"); }'
        "@page { size: A4 landscape; margin: 15mm; }"
        "html { font: 10pt S; } table { width: 100%; border-collapse: collapse; }"
        "td, th { border: .75pt solid #000; padding: 1mm; vertical-align: top; }"
        "</style></head><body><table><thead><tr>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>"
    )


def _certificate(owner) -> None:
    """A certificate of the demo CA for the generated owner (uploaded as an administrator
    would)."""
    import secrets

    from demo.signing import _root, issue_pkcs12
    from reports import services
    from schools.access import SYSTEM

    ca_key, ca_certificate = _root()
    password = secrets.token_urlsafe(8)
    data, position, name = issue_pkcs12(owner, ca_key, ca_certificate, password.encode())
    services.certificate_upload(
        acting_user=SYSTEM,
        organisation=owner,
        data=data,
        password=password,
        position=position,
        signer_name=name,
    )


def _measure(size: int, repeat: int) -> dict:
    from core.jobs import run_job
    from reports import documents, services
    from reports.constants import ReportKind
    from reports.models import Report
    from reports.rendering import render_pdf
    from schools.access import SYSTEM

    plan = _plan(size)
    _certificate(plan.owner)
    document = documents.plan_document(plan)
    bare_html = _bare_html(document)
    renders, bares, signs, pages = [], [], [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        render_pdf(bare_html, archival=False)
        bares.append(time.perf_counter() - started)
        report = services.report_request(
            acting_user=SYSTEM, kind=ReportKind.ROADMAP, roadmap=plan, enqueue_job=False
        )
        started = time.perf_counter()
        run_job(Report, report.pk, services.report_build)
        renders.append(time.perf_counter() - started)
        report.refresh_from_db()
        pages = report.pages
        Report.objects.filter(pk=report.pk).delete()
        signed = services.report_request(
            acting_user=SYSTEM,
            kind=ReportKind.ROADMAP,
            roadmap=plan,
            signed=True,
            enqueue_job=False,
        )
        started = time.perf_counter()
        run_job(Report, signed.pk, services.report_build)
        signs.append(time.perf_counter() - started)
        Report.objects.filter(pk=signed.pk).delete()
    render, bare, sign = (statistics.median(v) for v in (renders, bares, signs))
    return {
        "measures": size,
        "pages": pages,
        "render_s": round(render, 2),
        "render_and_sign_s": round(sign, 2),
        "bare_weasyprint_s": round(bare, 2),
        "render_to_bare": round(render / bare, 2) if bare else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _in_child(size: int, repeat: int) -> dict:
    import json

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its own connection, its own peak memory
        os.close(read)
        from django.db import connections

        connections.close_all()
        try:
            with transaction.atomic():
                result = _measure(size, repeat)
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - reported to the parent
            result = {"measures": size, "error": repr(error)}
        os.write(write, json.dumps(result).encode())
        os.close(write)
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))


def bench_pdf(repeat: int = 3) -> dict:
    from django.db import connections

    from .tasks import preload_pdf_libraries

    preload_pdf_libraries()
    connections.close_all()
    repeat = min(repeat, 3)
    results = [_in_child(size, repeat if size <= 100 else 1) for size in SIZES]
    return {
        "benchmark": "pdf",
        "repeat": repeat,
        "budget": {
            "100_measures_s": 3,
            "1000_measures_s": 20,
            "1000_measures_mb": 500,
            "render_to_bare": 1.3,
        },
        "results": results,
    }
