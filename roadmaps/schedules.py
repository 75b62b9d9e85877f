"""Between the pure deadline parser and the database: derive a measure's schedule from
its text and the plan's period, validate hand-made schedules, and store the windows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .constants import ScheduleKind
from .deadlines import parse_deadline


@dataclass(frozen=True)
class Derived:
    kind: str
    windows: tuple[tuple[datetime.date, datetime.date], ...]
    reason: str = ""

    def to_json(self) -> dict:
        data: dict = {
            "kind": self.kind,
            "windows": [[s.isoformat(), e.isoformat()] for s, e in self.windows],
        }
        if self.reason:
            data["reason"] = self.reason
        return data


def derive(text: str, period_start: datetime.date, period_end: datetime.date) -> Derived:
    schedule = parse_deadline(text or "", (period_start, period_end))
    return Derived(
        kind=schedule.kind,
        windows=tuple(schedule.windows),
        reason=getattr(schedule, "reason", "") or "",
    )


def manual(
    kind: str, windows: list, period_start: datetime.date, period_end: datetime.date
) -> Derived:
    """A schedule entered by hand: windows inside the plan's period, first day not after
    the last; continuous and once have exactly one window; unscheduled has none."""
    if kind not in ScheduleKind.values:
        raise ValidationError("Неизвестный вид срока.")
    parsed = []
    for raw in windows:
        try:
            start, end = (
                v if isinstance(v, datetime.date) else datetime.date.fromisoformat(str(v))
                for v in raw
            )
        except (TypeError, ValueError):
            raise ValidationError("Даты окна указаны неверно.") from None
        if end < start:
            raise ValidationError("Окно заканчивается раньше, чем начинается.")
        if start < period_start or end > period_end:
            raise ValidationError(
                f"Срок выходит за период плана ({period_start:%d.%m.%Y} – {period_end:%d.%m.%Y})."
            )
        parsed.append((start, end))
    parsed.sort()
    if kind == ScheduleKind.UNSCHEDULED and parsed:
        raise ValidationError("У мероприятия без срока не может быть окон.")
    if kind in {ScheduleKind.ONCE, ScheduleKind.CONTINUOUS} and len(parsed) != 1:
        raise ValidationError("Для однократного или постоянного срока укажите ровно одно окно.")
    if kind == ScheduleKind.RECURRING and len(parsed) < 2:
        raise ValidationError("Для периодического срока укажите не меньше двух окон.")
    return Derived(kind=kind, windows=tuple(parsed))
