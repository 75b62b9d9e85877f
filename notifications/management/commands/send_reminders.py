"""``manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]``: the daily job now, in this
process (no broker), printing one JSON object.

It runs the code of the hourly beat task (``notifications.services.reminders_run``) for
one day — by default today in the product's time zone (``TIME_ZONE``) — for everybody
whose region has reached that day, whatever their digest hour; the e-mails are sent here
after each batch commits. Run it twice, or twice at once: people who already have the
day's digest are skipped (``skipped_already_sent``), nobody gets a second letter.

Dates: a past day is allowed (catching up after an outage: people who have a digest of
that day or a later one are skipped — the later digest already covered it); a day after
today in every region is refused — what is due or overdue on a day not begun is not known.
"""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.timezones import today_in
from notifications.services import reminders_run
from schools.models import Region

# A date this far back is refused (a typo of the year, not a catch-up).
MAX_PAST_DAYS = 366


class Command(BaseCommand):
    help = "Разослать ежедневные сводки напоминаний (сразу, без очереди) и вывести итог в JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="день сводки ГГГГ-ММ-ДД (по умолчанию — сегодня); прошедший день — догнать пропущенное",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="только посчитать: ничего не записывать и не отправлять",
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        now = timezone.now()
        day = self._day(date, now)
        result = reminders_run(
            now=now, day=day, inline=True, dry_run=dry_run, resend_after=datetime.timedelta(0)
        )
        data = result.as_dict()
        self.stdout.write(json.dumps(data, ensure_ascii=False))

    def _day(self, text: str | None, now: datetime.datetime) -> datetime.date:
        today = today_in(settings.TIME_ZONE, now)
        if text is None:
            return today
        try:
            day = datetime.date.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(
                f"Неверная дата «{text}»: укажите день в виде ГГГГ-ММ-ДД, например {today:%Y-%m-%d}."
            ) from None
        latest = max(
            [today_in(zone, now) for zone in Region.objects.values_list("time_zone", flat=True)]
            or [today]
        )
        if day > latest:
            raise CommandError(
                f"День {day:%d.%m.%Y} ещё не наступил ни в одном регионе (сегодня самое позднее "
                f"{latest:%d.%m.%Y}): напоминания за будущие дни не рассылаются."
            )
        if (today - day).days > MAX_PAST_DAYS:
            raise CommandError(
                f"День {day:%d.%m.%Y} был больше года назад: за такой давний день сводки не "
                "рассылаются (проверьте год)."
            )
        return day
