"""What execution adds to a plan's .xlsx and .docx: the marks per organisation.

Registered in ``ExecutionConfig.ready`` with ``roadmaps.extensions`` (``export_columns``) under
the option ``execution``: ``/roadmaps/<pk>/export.xlsx?execution=1`` adds a column per
organisation that owes records, ``…/export.docx?execution=1`` one column «Отметка об
исполнении» with each organisation's lines. Roadmaps never imports this app; the export
view (roadmaps) passes the person, and only the records that person may view are shown.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import F

from core.timezones import today_in
from roadmaps.constants import RoadmapStatus
from roadmaps.exports import ExtraColumns, OrganisationLines
from roadmaps.models import Roadmap

from .models import ExecutionRecord
from .status import LABELS, RecordFacts, Status, status

OPTION = "execution"
TITLE = "Отметка об исполнении"
TRACKED = frozenset({RoadmapStatus.EXECUTION, RoadmapStatus.CLOSED})
# Statuses whose line carries the day the measure was done.
DATED = frozenset({Status.DONE, Status.DONE_LATE, Status.PARTLY})


def record_line(facts: RecordFacts, today: datetime.date) -> str:
    """One record as a line of the export: «до 31.03.2026: Выполнено 12.03.2026»,
    «до 30.09.2026: Срок не наступил», «Без срока» (a record without a due date)."""
    value = status(facts, today)
    text = LABELS[value]
    if value in DATED and facts.done_on is not None:
        text = f"{text} {facts.done_on:%d.%m.%Y}"
    return f"до {facts.due_on:%d.%m.%Y}: {text}" if facts.due_on else text


def export_columns(roadmap: Roadmap, user) -> ExtraColumns | None:
    """The marks of a plan in execution (or closed) per organisation that owes records the
    person may view, organisations by name, each measure's windows by due date (records
    without one last). None for a plan that never entered execution.

    Queries: the records with their organisations (1), the region's time zone unless the
    plan's owner came with it (1), the person's scope (cached per request)."""
    if roadmap.status not in TRACKED:
        return None
    rows = (
        ExecutionRecord.objects.for_user(user, "view")
        .filter(measure__roadmap_id=roadmap.pk)
        .order_by(
            "organisation__short_name",
            "organisation_id",
            "measure_id",
            F("due_on").asc(nulls_last=True),
            "starts_on",
            "pk",
        )
        .values_list(
            "organisation_id",
            "organisation__short_name",
            "measure_id",
            "due_on",
            "starts_on",
            "state",
            "done_on",
            "review",
        )
    )
    today = today_in(roadmap.owner.region)
    names: dict[int, str] = {}
    lines: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for organisation_id, name, measure_id, *facts in rows:
        names[organisation_id] = name
        lines[organisation_id][measure_id].append(record_line(RecordFacts(*facts), today))
    return ExtraColumns(
        title=TITLE,
        organisations=[
            OrganisationLines(name=name, lines=dict(lines[organisation_id]))
            for organisation_id, name in names.items()
        ],
    )
