"""Local dates of the regions. Instants are stored in UTC; "today", "overdue" and due dates
are days of the calendar of the region the plan belongs to (Russia spans eleven zones)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import timezone

DEFAULT_TIME_ZONE = "Europe/Moscow"


def zone(region_or_name) -> zoneinfo.ZoneInfo:
    """The time zone of a region (anything with ``time_zone``), or of an IANA name."""
    name = getattr(region_or_name, "time_zone", region_or_name) or DEFAULT_TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def today_in(region_or_name, now: datetime.datetime | None = None) -> datetime.date:
    """The date it is now (or at the instant ``now``) in the region's time zone."""
    return timezone.localtime(now or timezone.now(), zone(region_or_name)).date()


def validate_time_zone(value: str) -> None:
    """An IANA time zone name that this system knows (Europe/Moscow, Asia/Novosibirsk)."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            "Неизвестный часовой пояс «%(value)s». Укажите его по базе IANA, например "
            "Europe/Moscow или Asia/Novosibirsk.",
            code="invalid_time_zone",
            params={"value": value},
        ) from None
