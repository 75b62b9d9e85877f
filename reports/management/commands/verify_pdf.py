"""``manage.py verify_pdf FILE``: check a PDF's signature as the verification page does;
print one JSON object; exit 0 only when the signature is valid, the file intact and the
certificate trusted."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Проверить электронную подпись PDF-документа (JSON; код 0 — подпись верна)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="PDF-файл")

    def handle(self, *args, file, **options):
        from reports.selectors import verify_pdf

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл {file} не найден.")
        result = verify_pdf(path.read_bytes())
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        if not (result.valid and result.intact and result.trusted):
            sys.exit(1)
