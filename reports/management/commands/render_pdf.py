"""``manage.py render_pdf --roadmap ID [--revision N] --out FILE [--sign]``: a plan's PDF
in its official layout, rendered synchronously by the same code as the report job
(``reports.services.report_build`` through ``core.jobs.run_job``)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from core.jobs import run_job
from core.models import JobState
from roadmaps.models import Roadmap
from schools.access import SYSTEM


class Command(BaseCommand):
    help = "Сформировать PDF плана в официальном виде (с подписью — --sign)."

    def add_arguments(self, parser):
        parser.add_argument("--roadmap", type=int, required=True, help="id плана")
        parser.add_argument(
            "--revision", type=int, help="номер редакции (по умолчанию — этот план)"
        )
        parser.add_argument("--out", required=True, help="куда записать PDF")
        parser.add_argument(
            "--sign",
            action="store_true",
            help="подписать сертификатом организации-владельца (только утверждённый план)",
        )

    def handle(self, *args, roadmap, revision, out, sign, **options):
        from django.core.exceptions import ValidationError

        from reports import selectors, services
        from reports.constants import ReportKind
        from reports.models import Report

        plan = Roadmap.objects.select_related("owner__region").filter(pk=roadmap).first()
        if plan is None:
            raise CommandError(f"План {roadmap} не найден.")
        if revision is not None:
            root = plan.first_revision_id or plan.pk
            plan = (
                Roadmap.objects.select_related("owner__region")
                .filter(Q(pk=root) | Q(first_revision_id=root), revision=revision)
                .first()
            )
            if plan is None:
                raise CommandError(f"У плана {roadmap} нет редакции {revision}.")
        try:
            report = services.report_request(
                acting_user=SYSTEM,
                kind=ReportKind.ROADMAP,
                roadmap=plan,
                signed=sign,
                enqueue_job=False,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if report.state == JobState.QUEUED:
            run_job(Report, report.pk, services.report_build)
            report.refresh_from_db()
        if report.state != JobState.DONE:
            raise CommandError(report.error or "PDF не сформирован.")
        with selectors.report_file_handle(report) as handle:
            Path(out).write_bytes(handle.read())
        self.stdout.write(
            json.dumps(
                {
                    "out": str(out),
                    "roadmap": plan.pk,
                    "revision": plan.revision,
                    "status": plan.status,
                    "pages": report.pages,
                    "bytes": report.file_size,
                    "signed": report.signed,
                    "signature_level": report.signature_level or None,
                    "verify_url": services.verify_url(report.token) if report.token else None,
                    "reused": report.reused_from_id is not None,
                },
                ensure_ascii=False,
            )
        )
