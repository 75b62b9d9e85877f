"""``manage.py parse_deadline "Ежегодно июнь - сентябрь" --period 2020-02-01:2022-12-31``"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from roadmaps.deadlines import parse_deadline


def parse_period(value: str) -> tuple[datetime.date, datetime.date]:
    try:
        first, last = (datetime.date.fromisoformat(part.strip()) for part in value.split(":"))
    except ValueError:
        raise CommandError(
            "Период задаётся как ГГГГ-ММ-ДД:ГГГГ-ММ-ДД, например 2020-01-01:2022-12-31."
        ) from None
    if last < first:
        raise CommandError("Период заканчивается раньше, чем начинается.")
    return first, last


class Command(BaseCommand):
    help = "Показать, какой график выводится из текста срока (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("text", help="текст из столбца «Сроки»")
        parser.add_argument(
            "--period", help="период плана ГГГГ-ММ-ДД:ГГГГ-ММ-ДД (по умолчанию текущий год)"
        )

    def handle(self, *args, text, period, **options):
        if period:
            first, last = parse_period(period)
        else:
            year = timezone.localdate().year
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        schedule = parse_deadline(text, (first, last))
        self.stdout.write(json.dumps(schedule.to_json(), ensure_ascii=False))
