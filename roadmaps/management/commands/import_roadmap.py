"""``manage.py import_roadmap FILE --owner ORG_ID [--dry-run] [--json]``

The file is parsed exactly as uploads are: by ``parse_bounded``, in a child process with
CPU-time and memory limits, after the size cap; the command's own process never holds
more than the file and the parsed plan."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roadmaps.importing import ImportFileError, parse_bounded
from roadmaps.importing.readers import load_bytes
from roadmaps.importing.service import roadmap_import, with_schedules
from schools.models import Organisation


class Command(BaseCommand):
    help = "Импортировать дорожную карту из .docx, .xlsx, .csv или .txt."

    def add_arguments(self, parser):
        parser.add_argument("file", help="путь к файлу")
        parser.add_argument(
            "--owner", type=int, required=True, help="id организации-владельца плана"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="только разобрать, ничего не записывать"
        )
        parser.add_argument(
            "--json", action="store_true", help="напечатать разобранный план в JSON"
        )

    def handle(self, *args, file, owner, dry_run, json: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        try:
            organisation = Organisation.objects.get(pk=owner)
        except Organisation.DoesNotExist:
            raise CommandError(f"Организация с id {owner} не найдена.") from None
        try:
            data = load_bytes(path)
            plan = with_schedules(parse_bounded(data, path.name))
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if json:
            self.stdout.write(_dumps(plan.to_json()))
        else:
            measures = plan.all_measures()
            self.stdout.write(
                f"{plan.title}: разделов {len(plan.sections)}, мероприятий {len(measures)}, предупреждений {len(plan.warnings)}"
            )
            for warning in plan.warnings:
                self.stdout.write(f"  строка {warning.row}: {warning.message}")
        if dry_run:
            return
        try:
            roadmap = roadmap_import(plan=plan, owner=organisation, file_name=path.name, data=data)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(f"Создан план id={roadmap.pk}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
