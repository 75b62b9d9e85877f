"""Every write of the execution app: a plan enters execution, its records follow its
schedules and assignments, organisations mark what they did, curators accept or return.

Each service owns its transaction, records history with the acting user and re-checks
the reach after the write with ``schools.access.recheck`` (the whole change rolls back
otherwise). Refusals are Russian messages: ``ValidationError`` for what is wrong with the
request, ``PermissionDenied`` for what the person may not do, ``EditConflict`` (from
roadmaps) when somebody changed the record since the person opened it.

Records are derived rows and keep their identity: ``sync_records`` matches them by a
stable key — (measure, organisation, window) for scheduled measures, (measure,
organisation, first day) for the reporting periods of continuous measures, (measure,
organisation) for unscheduled ones — updates their dates in place, creates what is new and
deletes only what nobody marked (``models.RECORDED``); a marked record stays, and so does
its window (flagged «срок изменён» by ``roadmaps.windows``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.timezones import today_in
from roadmaps.constants import AssignmentMode, RoadmapStatus, ScheduleKind
from roadmaps.models import Measure, MeasureWindow, Roadmap
from roadmaps.services import EditConflict, assigned_organisations
from schools.access import FORBIDDEN_MESSAGE, SYSTEM, recheck

from .models import RECORDED, Evidence, EvidenceKind, ExecutionRecord, MarkState, ReviewState
from .querysets import MARK, REVIEW

BATCH_SIZE = 2000
MAX_BULK = 500
MAX_NOTE = 5000
MAX_EVIDENCE = 20

REPORTING_MONTHS = (1, 3, 6, 12)
# The fields a mark writes (a person's, or one read from an imported plan).
MARK_FIELDS = [
    "state",
    "done_on",
    "note",
    "marked_by",
    "marked_at",
    "review",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
    "version",
]
STARTABLE_STATUSES = {RoadmapStatus.DRAFT, RoadmapStatus.APPROVED}
MARKS = {MarkState.DONE, MarkState.PARTLY, MarkState.NOT_DONE}
# Marks that say something was done carry the day it was done.
DATED_MARKS = {MarkState.DONE, MarkState.PARTLY}

NOT_IN_EXECUTION_MESSAGE = (
    "План «{title}» не исполняется: отметки принимаются только по планам в статусе «Исполняется»."
)
MARK_FORBIDDEN_MESSAGE = (
    "Отметить можно только мероприятия, назначенные организациям в вашей зоне ответственности."
)
REVIEW_FORBIDDEN_MESSAGE = "Проверять отметки этих организаций вы не можете."
GONE_MESSAGE = "Отметка не найдена: возможно, срок мероприятия изменили. Обновите страницу."
STALE_MESSAGE = (
    "Пока вы заполняли форму, эту отметку изменил другой пользователь. "
    "Обновите страницу и проверьте её."
)


@dataclass(frozen=True)
class SyncResult:
    """What ``sync_records`` (or ``start_execution``) did, in numbers of records."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept_marked: int = 0


# --- Reporting periods (pure) -------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def reporting_periods(
    start: datetime.date, end: datetime.date, months: int
) -> list[tuple[datetime.date, datetime.date]]:
    """The reporting periods of ``months`` months (a divisor of 12: periods are aligned to
    the calendar year — quarters are I–IV, half-years January and July) that cover
    ``start`` … ``end``, each clipped to it."""
    if months < 1 or 12 % months:
        raise ValueError(f"A reporting period must divide the year, not {months} months.")
    if end < start:
        return []
    first = datetime.date(start.year, (start.month - 1) // months * months + 1, 1)
    periods = []
    while first <= end:
        following = _add_months(first, months)
        periods.append((max(first, start), min(following - datetime.timedelta(days=1), end)))
        first = following
    return periods


# --- Records in step with a plan ----------------------------------------------------------

# A record's stable key: ("w", measure, organisation, window) or ("p", measure,
# organisation, first day or None).
Key = tuple


def _key(measure_id: int, organisation_id: int, window_id, starts_on) -> Key:
    if window_id is not None:
        return ("w", measure_id, organisation_id, window_id)
    return ("p", measure_id, organisation_id, starts_on)


def _owed_by(measures: Sequence[Measure]) -> dict[int, list[int]]:
    """The organisations each measure is owed by (``roadmaps.services.assigned_organisations``
    read in bulk): chosen organisations in one query; all ШНОР and the plan's group once
    per plan (they do not depend on the measure); nobody assigned — the plan's owner."""
    Through = Measure.assigned_organisations.through
    chosen: dict[int, list[int]] = defaultdict(list)
    chosen_ids = [m.pk for m in measures if m.assignment_mode == AssignmentMode.ORGANISATIONS]
    if chosen_ids:
        rows = Through.objects.filter(measure_id__in=chosen_ids).order_by("organisation_id")
        for measure_id, organisation_id in rows.values_list("measure_id", "organisation_id"):
            chosen[measure_id].append(organisation_id)
    per_plan: dict[tuple[int, str], list[int]] = {}
    owed: dict[int, list[int]] = {}
    for measure in measures:
        mode = measure.assignment_mode
        if mode == AssignmentMode.ORGANISATIONS:
            ids = chosen.get(measure.pk, [])
        elif mode in {AssignmentMode.LOW_RESULTS, AssignmentMode.PLAN_GROUP}:
            group = (measure.roadmap_id, mode)
            if group not in per_plan:
                per_plan[group] = list(
                    assigned_organisations(measure).order_by("pk").values_list("pk", flat=True)
                )
            ids = per_plan[group]
        else:
            ids = []
        owed[measure.pk] = ids or [measure.roadmap.owner_id]
    return owed


def _desired(measures: Sequence[Measure]) -> dict[Key, tuple]:
    """What should exist for these measures: key → (window id, first day, due day).

    Scheduled measures: one record per current window (a flagged window is not current);
    a scheduled measure whose windows all fell outside the plan gets one record without a
    date, like an unscheduled one. Continuous measures: one per reporting period of the
    plan within the measure's span (its window, or the plan's period)."""
    ids = [m.pk for m in measures]
    windows: dict[int, list[tuple[int, datetime.date, datetime.date]]] = defaultdict(list)
    rows = (
        MeasureWindow._base_manager.filter(measure_id__in=ids, schedule_changed=False)
        .order_by("measure_id", "position")
        .values_list("measure_id", "pk", "starts_on", "due_on")
    )
    for measure_id, window_id, starts_on, due_on in rows:
        windows[measure_id].append((window_id, starts_on, due_on))
    owed = _owed_by(measures)
    desired: dict[Key, tuple] = {}
    for measure in measures:
        roadmap = measure.roadmap
        if measure.schedule_kind == ScheduleKind.CONTINUOUS:
            spans = windows.get(measure.pk) or [(None, roadmap.period_start, roadmap.period_end)]
            slots = [
                (None, starts_on, due_on)
                for _, span_start, span_end in spans
                for starts_on, due_on in reporting_periods(
                    span_start, span_end, roadmap.reporting_months
                )
            ]
        elif measure.schedule_kind != ScheduleKind.UNSCHEDULED and windows.get(measure.pk):
            slots = windows[measure.pk]
        else:
            slots = [(None, None, None)]
        for organisation_id in owed[measure.pk]:
            for window_id, starts_on, due_on in slots:
                key = _key(measure.pk, organisation_id, window_id, starts_on)
                desired[key] = (window_id, starts_on, due_on)
    return desired


def planned_records(measures: Sequence[Measure]) -> dict[Key, tuple]:
    """What the records of these measures would be (``_desired``), for a preview."""
    return _desired(measures)


def _bring_in_step(measures: Sequence[Measure], acting_user) -> SyncResult:
    """Create, re-date and delete the records of these measures (of plans in execution)
    so that they match ``_desired``; marked records are never deleted. Locks the records
    of the measures first (a mark in progress finishes before its record is judged).

    Queries do not depend on the number of measures, organisations or windows."""
    if not measures:
        return SyncResult()
    ids = [m.pk for m in measures]
    desired = _desired(measures)
    existing = list(
        ExecutionRecord._base_manager.select_for_update().filter(measure_id__in=ids).order_by("pk")
    )
    recorded: set[int] = set()
    if existing:
        recorded = set(
            ExecutionRecord._base_manager.filter(RECORDED, measure_id__in=ids)
            .order_by()
            .values_list("pk", flat=True)
            .distinct()
        )
    to_update: list[ExecutionRecord] = []
    to_delete: list[int] = []
    kept_marked = 0
    for record in existing:
        key = _key(record.measure_id, record.organisation_id, record.window_id, record.starts_on)
        wanted = desired.pop(key, None)
        if wanted is None:
            if record.pk in recorded:
                kept_marked += 1
            else:
                to_delete.append(record.pk)
        elif (record.starts_on, record.due_on) != wanted[1:]:
            record.starts_on, record.due_on = wanted[1:]
            record.version += 1
            to_update.append(record)
    if to_delete:
        ExecutionRecord._base_manager.filter(pk__in=to_delete).delete()
    if to_update:
        bulk_update_with_history(
            to_update,
            ExecutionRecord,
            ["starts_on", "due_on", "version"],
            batch_size=BATCH_SIZE,
            default_user=_history_user(acting_user),
            default_change_reason="Срок изменён в плане",
        )
    to_create = [
        ExecutionRecord(
            measure_id=key[1],
            organisation_id=key[2],
            window_id=window_id,
            starts_on=starts_on,
            due_on=due_on,
        )
        for key, (window_id, starts_on, due_on) in desired.items()
    ]
    if to_create:
        bulk_create_with_history(
            to_create,
            ExecutionRecord,
            batch_size=BATCH_SIZE,
            default_user=_history_user(acting_user),
            default_change_reason="Назначено к исполнению",
        )
    if to_delete or to_update or to_create:
        _dashboards_changed(
            {record.organisation_id for record in existing}
            | {record.organisation_id for record in to_create}
        )
    return SyncResult(
        created=len(to_create),
        updated=len(to_update),
        deleted=len(to_delete),
        kept_marked=kept_marked,
    )


def _dashboards_changed(organisation_ids) -> None:
    """The dashboards' figures of these organisations change: their cache is renewed once
    the transaction commits (``dashboard.versions``)."""
    from dashboard.versions import data_changed

    data_changed(organisation_ids=organisation_ids)


def _history_user(user):
    return None if user is SYSTEM or not getattr(user, "pk", None) else user


@transaction.atomic(durable=True)
def start_execution(
    *,
    roadmap: Roadmap,
    acting_user,
    reporting_months: int | None = None,
    marks_need_acceptance: bool | None = None,
) -> SyncResult:
    """«Начать исполнение»: the plan (approved, or for now a draft) moves to «Исполняется»
    and gets its records: every measure × every organisation it is owed by × every
    window (continuous: every reporting period; unscheduled: one record without a date).
    ``reporting_months`` and ``marks_need_acceptance`` set the plan's execution settings
    (kept as they are when not given).

    Queries do not depend on the size of the plan."""
    if not Roadmap.objects.for_user(acting_user, "change").filter(pk=roadmap.pk).exists():
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.is_template:
        raise ValidationError("Шаблон плана не исполняется: исполняют копии, выданные школам.")
    if roadmap.status == RoadmapStatus.EXECUTION:
        raise ValidationError("План уже исполняется.")
    if roadmap.status not in STARTABLE_STATUSES:
        raise ValidationError(
            f"План в статусе «{roadmap.get_status_display()}» нельзя отправить на исполнение."
        )
    measures = list(Measure._base_manager.filter(roadmap=roadmap).order_by("pk"))
    for measure in measures:
        measure.roadmap = roadmap  # the locked row, with its owner loaded once
    if not measures:
        raise ValidationError("В плане нет мероприятий: исполнять нечего.")
    fields = ["status", "version", "updated_at"]
    if reporting_months is not None:
        if reporting_months not in REPORTING_MONTHS:
            raise ValidationError("Отчётный период: месяц, квартал, полугодие или год.")
        roadmap.reporting_months = reporting_months
        fields.append("reporting_months")
    if marks_need_acceptance is not None:
        roadmap.marks_need_acceptance = bool(marks_need_acceptance)
        fields.append("marks_need_acceptance")
    roadmap.status = RoadmapStatus.EXECUTION
    roadmap.version += 1
    roadmap._history_user = acting_user
    roadmap.save(update_fields=fields)
    previous = _take_over_previous(roadmap, measures, acting_user)
    result = _bring_in_step(measures, acting_user)
    _mark_from_imported_text(roadmap, measures, acting_user)
    recheck(acting_user, "change", roadmap)
    if previous is not None:
        recheck(acting_user, "change", previous)
    return result


def _take_over_previous(roadmap: Roadmap, measures: Sequence[Measure], acting_user):
    """A correction entering execution continues the revision it corrects: the records of
    the earlier revision's measures move to the measures copied from them (lineage), each
    to the window at the same place in the new schedule (or, if the schedule has no such
    place, keeping its dates without a window); ``_bring_in_step`` then adds and re-dates
    what the new schedules need and drops what nobody marked. Records of measures the
    correction removed stay with the earlier revision, which is replaced. Returns it, or
    None when there is nothing to take over."""
    from roadmaps.constants import PlanEventKind
    from roadmaps.models import PlanEvent

    previous = roadmap.previous_revision
    if previous is None or previous.status != RoadmapStatus.EXECUTION:
        return None
    previous = Roadmap.objects.select_for_update().get(pk=previous.pk)
    new_of = {m.origin_id: m.pk for m in measures if m.origin_id}
    if new_of:
        positions = dict(
            MeasureWindow._base_manager.filter(measure_id__in=list(new_of)).values_list(
                "pk", "position"
            )
        )
        new_windows = {
            (measure_id, position): pk
            for pk, measure_id, position in MeasureWindow._base_manager.filter(
                measure_id__in=list(new_of.values()), schedule_changed=False
            ).values_list("pk", "measure_id", "position")
        }
        records = list(
            ExecutionRecord._base_manager.select_for_update()
            .filter(measure_id__in=list(new_of))
            .order_by("pk")
        )
        for record in records:
            record.measure_id = new_of[record.measure_id]
            if record.window_id is not None:
                record.window_id = new_windows.get(
                    (record.measure_id, positions.get(record.window_id))
                )
            record.version += 1
        if records:
            bulk_update_with_history(
                records,
                ExecutionRecord,
                ["measure", "window", "version"],
                batch_size=BATCH_SIZE,
                default_user=_history_user(acting_user),
                default_change_reason=f"Перенесено в редакцию {roadmap.revision}",
            )
    previous.status = RoadmapStatus.REPLACED
    previous.version += 1
    previous._history_user = _history_user(acting_user)
    previous._change_reason = f"Заменён редакцией {roadmap.revision}"
    previous.save(update_fields=["status", "version", "updated_at"])
    PlanEvent.objects.create(
        roadmap=previous, kind=PlanEventKind.REPLACED, actor=_history_user(acting_user)
    )
    return previous


@transaction.atomic
def sync_records(*, measure_ids: Iterable[int], acting_user=SYSTEM) -> SyncResult:
    """Keep the records of these measures in step after their windows or assignments
    changed; only measures of plans in execution are touched. Runs inside the transaction
    of the roadmaps service that changed them (``roadmaps.signals.schedule_changed``),
    acting for the system unless a person is given."""
    ids = sorted(set(measure_ids))
    if not ids:
        return SyncResult()
    measures = list(
        Measure._base_manager.filter(pk__in=ids, roadmap__status=RoadmapStatus.EXECUTION)
        .select_related("roadmap__owner")
        .order_by("pk")
    )
    if not measures:
        return SyncResult()
    result = _bring_in_step(measures, acting_user)
    plans = {measure.roadmap_id: measure.roadmap for measure in measures}
    recheck(acting_user, "change", *plans.values())
    return result


def records_follow_schedule(sender, *, measure_ids, **kwargs) -> None:
    """Receiver of ``roadmaps.signals.schedule_changed`` (connected in ``apps.py``)."""
    sync_records(measure_ids=measure_ids)


def records_follow_school_flags(sender, *, organisation_ids, **kwargs) -> None:
    """Receiver of ``schools.signals.school_flags_changed``: a school became or stopped
    being ШНОР, so the measures assigned to «все ШНОР» of its municipality, in plans in
    execution, are owed by another set of schools (marked records stay)."""
    from schools.models import Organisation

    municipalities = set(
        Organisation.objects.filter(pk__in=organisation_ids, municipality__isnull=False)
        .order_by()
        .values_list("municipality_id", flat=True)
    )
    if not municipalities:
        return
    ids = list(
        Measure._base_manager.filter(
            assignment_mode=AssignmentMode.LOW_RESULTS,
            roadmap__status=RoadmapStatus.EXECUTION,
            roadmap__owner__municipality_id__in=municipalities,
        ).values_list("pk", flat=True)
    )
    if ids:
        sync_records(measure_ids=ids)


# --- Marks and reviews --------------------------------------------------------------------


def _ids(records) -> list[int]:
    if isinstance(records, ExecutionRecord | int):
        records = [records]
    ids = []
    for record in records:
        pk = record.pk if isinstance(record, ExecutionRecord) else record
        if not isinstance(pk, int):
            raise ValidationError("Неверный номер отметки.")
        ids.append(pk)
    ids = sorted(set(ids))
    if not ids:
        raise ValidationError("Выберите хотя бы одно мероприятие.")
    if len(ids) > MAX_BULK:
        raise ValidationError(f"За один раз можно отметить не больше {MAX_BULK} строк.")
    return ids


def _expected(expected_version, ids: list[int]) -> Mapping[int, int]:
    """The versions the person saw: one number for one record, or a mapping by id."""
    if expected_version is None:
        return {}
    if isinstance(expected_version, Mapping):
        return expected_version
    if len(ids) != 1:
        raise ValueError("Pass the expected versions of several records as a mapping by id.")
    return {ids[0]: expected_version}


def _lock_records(ids: list[int]) -> list[ExecutionRecord]:
    """Lock the records (and first their windows: ``roadmaps.windows.sync_windows`` locks
    windows before it removes them, so a mark and a schedule change queue up in the same
    order). A record that vanished meanwhile is a clear refusal."""
    window_ids = list(
        ExecutionRecord._base_manager.filter(pk__in=ids, window__isnull=False)
        .order_by()
        .values_list("window_id", flat=True)
    )
    if window_ids:
        list(
            MeasureWindow._base_manager.select_for_update()
            .filter(pk__in=window_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    records = list(
        ExecutionRecord._base_manager.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("measure__roadmap__owner__region", "organisation")
        .order_by("pk")
    )
    if len(records) != len(ids):
        raise ValidationError(GONE_MESSAGE)
    return records


def _require_execution(records: Iterable[ExecutionRecord]) -> None:
    for record in records:
        roadmap = record.measure.roadmap
        if roadmap.status != RoadmapStatus.EXECUTION:
            raise ValidationError(NOT_IN_EXECUTION_MESSAGE.format(title=roadmap.title))


def _require_reach(user, verb: str, ids: list[int], message: str) -> None:
    """A clean refusal before anything is locked; ``recheck`` after the write decides."""
    allowed = ExecutionRecord.objects.for_user(user, verb).filter(pk__in=ids)
    if len(set(allowed.values_list("pk", flat=True))) != len(ids):
        raise PermissionDenied(message)


@transaction.atomic(durable=True)
def mark(
    *,
    records,
    acting_user,
    state: str,
    done_on: datetime.date | None = None,
    note: str = "",
    expected_version: int | Mapping[int, int] | None = None,
) -> list[ExecutionRecord]:
    """Mark one record or several (several windows of one school, several schools by the
    authority) with one state, date and note. The mark waits for the curator when the
    plan's marks need acceptance, otherwise it stands accepted. A repeated submit of the
    same mark (same version seen, same answer) is recorded once. Returns the records."""
    rows, _ = _apply_mark(
        _ids(records), acting_user, state, done_on, note, expected_version=expected_version
    )
    recheck(acting_user, MARK, *rows)
    return rows


# Evidence sent with one mark of several records is stored once per record (each record's
# evidence is its own: removing it from one leaves the others); so few records at most.
MAX_BULK_WITH_FILES = 20


@transaction.atomic(durable=True)
def report(
    *,
    records,
    acting_user,
    state: str,
    done_on: datetime.date | None = None,
    note: str = "",
    files: Sequence = (),
    links: Sequence[str] = (),
    expected_version: int | Mapping[int, int] | None = None,
) -> list[ExecutionRecord]:
    """What a school sends from «Мои мероприятия»: a mark (``mark``) with its evidence —
    files checked by content and links — in one transaction: all of it is recorded, or
    nothing (a refused file leaves no mark, a refused mark stores no file). A double
    submit marks once and attaches once. Returns the records."""
    from .evidence import EvidenceError, check_link, check_upload

    ids = _ids(records)
    files = [f for f in files if f]
    links = [link.strip() for link in links if link and link.strip()]
    if files and len(ids) > MAX_BULK_WITH_FILES:
        raise ValidationError(
            f"Файлы можно приложить сразу не больше чем к {MAX_BULK_WITH_FILES} отметкам: "
            "отметьте остальные без файла или частями."
        )
    try:
        checked = [check_upload(f) for f in files]
        links = [check_link(link) for link in links]
    except EvidenceError as error:
        raise ValidationError(error.message) from None
    rows, changed = _apply_mark(
        ids, acting_user, state, done_on, note, expected_version=expected_version
    )
    stored: list[str] = []
    added: list[Evidence] = []
    try:
        for record in changed:
            if len(checked) + len(links) + _evidence_count(record) > MAX_EVIDENCE:
                raise ValidationError(
                    f"К одной отметке можно приложить не больше {MAX_EVIDENCE} файлов и ссылок."
                )
            for upload, facts in zip(files, checked, strict=True):
                added.append(_store_file(record, acting_user, upload, facts, stored))
            for url in links:
                added.append(_store_link(record, acting_user, url))
        recheck(acting_user, MARK, *rows)
        if added:
            recheck(acting_user, "add", *added)
    except BaseException:
        _forget_files(stored)
        raise
    return rows


def _apply_mark(
    ids: list[int],
    acting_user,
    state: str,
    done_on: datetime.date | None,
    note: str,
    *,
    expected_version=None,
) -> tuple[list[ExecutionRecord], list[ExecutionRecord]]:
    """The mark of ``mark`` inside the caller's transaction: (the locked records, those
    changed — a repeated submit changes nothing)."""
    if state not in MARKS:
        raise ValidationError("Выберите отметку: выполнено, выполнено частично или не выполнено.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(f"Комментарий длиннее {MAX_NOTE} знаков: сократите его.")
    if done_on is not None and not isinstance(done_on, datetime.date):
        raise ValidationError("Укажите дату выполнения в формате ДД.ММ.ГГГГ.")
    expected = _expected(expected_version, ids)
    _require_reach(acting_user, MARK, ids, MARK_FORBIDDEN_MESSAGE)
    rows = _lock_records(ids)
    _require_execution(rows)
    now = timezone.now()
    changed: list[ExecutionRecord] = []
    for record in rows:
        roadmap = record.measure.roadmap
        today = today_in(roadmap.owner.region, now)
        day = None
        if state in DATED_MARKS:
            day = done_on or today
            if day > today:
                raise ValidationError("Дата выполнения не может быть позже сегодняшнего дня.")
        seen = expected.get(record.pk)
        if seen is not None and seen != record.version:
            if (record.state, record.done_on, record.note, record.marked_by_id) == (
                state,
                day,
                note,
                getattr(acting_user, "pk", None),
            ):
                continue  # the same mark submitted twice: recorded once
            raise EditConflict(
                current={"state": record.state, "done_on": record.done_on, "note": record.note},
                submitted={"state": state, "done_on": day, "note": note},
                message=STALE_MESSAGE,
            )
        if record.review == ReviewState.ACCEPTED and roadmap.marks_need_acceptance:
            raise ValidationError(
                f"Отметку по мероприятию «{record.measure}» ({record.organisation}) "
                "уже принял куратор: изменить её нельзя."
            )
        record.state = state
        record.done_on = day
        record.note = note
        record.marked_by = _history_user(acting_user)
        record.marked_at = now
        if state == MarkState.NOT_DONE:
            # «Не выполнено» is bad news already: nothing for a curator to accept.
            record.review = ReviewState.NONE
            record.reviewed_by, record.reviewed_at = None, None
        elif roadmap.marks_need_acceptance:
            record.review = ReviewState.WAITING
            record.reviewed_by, record.reviewed_at = None, None
        else:
            record.review = ReviewState.ACCEPTED
            record.reviewed_by, record.reviewed_at = record.marked_by, now
        record.review_comment = ""
        record.version += 1
        changed.append(record)
    if changed:
        bulk_update_with_history(
            changed,
            ExecutionRecord,
            MARK_FIELDS,
            default_user=_history_user(acting_user),
            default_change_reason="Отметка об исполнении",
            default_date=now,
        )
        _dashboards_changed(record.organisation_id for record in changed)
    return rows, changed


@transaction.atomic(durable=True)
def review(
    *,
    records,
    acting_user,
    accept: bool,
    comment: str = "",
    expected_version: int | Mapping[int, int] | None = None,
) -> list[ExecutionRecord]:
    """Accept marks or return them with a comment (required to return), one or many. Two
    curators at once: the second waits for the first and is told who decided; a repeated
    submit of the same decision by the same person is recorded once."""
    ids = _ids(records)
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError("Напишите, что нужно исправить: без комментария отметку не вернуть.")
    if len(comment) > MAX_NOTE:
        raise ValidationError(f"Комментарий длиннее {MAX_NOTE} знаков: сократите его.")
    expected = _expected(expected_version, ids)
    _require_reach(acting_user, REVIEW, ids, REVIEW_FORBIDDEN_MESSAGE)
    rows = list(
        ExecutionRecord._base_manager.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("measure__roadmap", "organisation", "reviewed_by")
        .order_by("pk")
    )
    if len(rows) != len(ids):
        raise ValidationError(GONE_MESSAGE)
    _require_execution(rows)
    decision = ReviewState.ACCEPTED if accept else ReviewState.RETURNED
    now = timezone.now()
    changed: list[ExecutionRecord] = []
    for record in rows:
        if record.review == decision and record.reviewed_by_id == getattr(acting_user, "pk", None):
            continue  # the same decision submitted twice: recorded once
        if record.review in {ReviewState.ACCEPTED, ReviewState.RETURNED}:
            who = record.reviewed_by.get_full_name() if record.reviewed_by else ""
            what = "принята" if record.review == ReviewState.ACCEPTED else "возвращена на доработку"
            when = timezone.localtime(record.reviewed_at) if record.reviewed_at else None
            raise ValidationError(
                f"Отметку по мероприятию «{record.measure}» ({record.organisation}) уже проверили: "
                f"она {what}{f' {when:%d.%m.%Y в %H:%M}' if when else ''}"
                f"{f' ({who})' if who else ''}. Обновите страницу."
            )
        if record.review != ReviewState.WAITING:
            raise ValidationError(
                f"Отметка по мероприятию «{record.measure}» ({record.organisation}) "
                "не ждёт проверки."
            )
        seen = expected.get(record.pk)
        if seen is not None and seen != record.version:
            raise EditConflict(
                current={"state": record.state, "done_on": record.done_on, "note": record.note},
                submitted={"review": decision, "comment": comment},
                message=STALE_MESSAGE,
            )
        record.review = decision
        record.reviewed_by = _history_user(acting_user)
        record.reviewed_at = now
        record.review_comment = comment
        record.version += 1
        changed.append(record)
    if changed:
        bulk_update_with_history(
            changed,
            ExecutionRecord,
            ["review", "reviewed_by", "reviewed_at", "review_comment", "version"],
            default_user=_history_user(acting_user),
            default_change_reason="Отметка принята" if accept else "Отметка возвращена",
            default_date=now,
        )
        _dashboards_changed(record.organisation_id for record in changed)
    recheck(acting_user, REVIEW, *rows)
    return rows


# --- Evidence -----------------------------------------------------------------------------


def _record_for_evidence(record, acting_user) -> ExecutionRecord:
    """The record, locked, if the person may mark it and its mark may still change."""
    ids = _ids(record)
    if len(ids) != 1:
        raise ValidationError("Подтверждение прикрепляется к одной отметке.")
    _require_reach(acting_user, MARK, ids, MARK_FORBIDDEN_MESSAGE)
    (locked,) = _lock_records(ids)
    _require_execution([locked])
    if locked.review == ReviewState.ACCEPTED and locked.measure.roadmap.marks_need_acceptance:
        raise ValidationError("Отметку уже принял куратор: подтверждения к ней не меняются.")
    return locked


def _require_room(record: ExecutionRecord) -> None:
    if Evidence.objects.filter(record=record).count() >= MAX_EVIDENCE:
        raise ValidationError(
            f"К одной отметке можно приложить не больше {MAX_EVIDENCE} файлов и ссылок."
        )


def _evidence_count(record: ExecutionRecord) -> int:
    return Evidence.objects.filter(record=record).count()


def _store_file(record, acting_user, uploaded_file, checked, stored: list[str]) -> Evidence:
    """Save a checked upload under a fresh random name in the private storage and its
    row; the stored name goes into ``stored`` so that a failure removes the file."""
    import uuid

    evidence = Evidence(
        record=record,
        kind=EvidenceKind.FILE,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=_history_user(acting_user),
    )
    evidence._history_user = _history_user(acting_user)
    uploaded_file.seek(0)
    evidence.file.save(f"{uuid.uuid4().hex}.{checked.extension}", uploaded_file, save=False)
    stored.append(evidence.file.name)
    evidence.save()
    return evidence


def _store_link(record, acting_user, url: str) -> Evidence:
    evidence = Evidence(
        record=record, kind=EvidenceKind.LINK, url=url, uploaded_by=_history_user(acting_user)
    )
    evidence._history_user = _history_user(acting_user)
    evidence.save()
    return evidence


def _forget_files(names: list[str]) -> None:
    """Remove stored files whose rows are rolled back."""
    from .models import private_storage

    storage = private_storage()
    for name in names:
        storage.delete(name)


@transaction.atomic(durable=True)
def evidence_add_file(*, record, acting_user, uploaded_file) -> Evidence:
    """Attach a file to a record: its type is checked by content (``execution.evidence``),
    it is stored under a random name in the private storage (nothing serves it; a view
    that checks access streams it). The stored file is removed if the write fails."""
    from .evidence import EvidenceError, check_upload

    try:
        checked = check_upload(uploaded_file)
    except EvidenceError as error:
        raise ValidationError(error.message) from None
    record = _record_for_evidence(record, acting_user)
    _require_room(record)
    stored: list[str] = []
    try:
        evidence = _store_file(record, acting_user, uploaded_file, checked, stored)
        recheck(acting_user, "add", evidence)
    except BaseException:
        _forget_files(stored)
        raise
    return evidence


@transaction.atomic(durable=True)
def evidence_add_link(*, record, acting_user, url: str) -> Evidence:
    """Attach a link (a page of the school's site, a cloud folder), checked and
    normalised by ``execution.evidence.check_link``."""
    from .evidence import EvidenceError, check_link

    try:
        url = check_link(url)
    except EvidenceError as error:
        raise ValidationError(error.message) from None
    record = _record_for_evidence(record, acting_user)
    _require_room(record)
    evidence = _store_link(record, acting_user, url)
    recheck(acting_user, "add", evidence)
    return evidence


@transaction.atomic(durable=True)
def evidence_add(*, record, acting_user, files: Sequence = (), links: Sequence[str] = ()):
    """Attach several files and links to one record at once (the evidence form of a
    mark already sent): all of them, or none. Returns the new evidence."""
    from .evidence import EvidenceError, check_link, check_upload

    files = [f for f in files if f]
    links = [link.strip() for link in links if link and link.strip()]
    if not files and not links:
        raise ValidationError("Приложите файл или укажите ссылку.")
    try:
        checked = [check_upload(f) for f in files]
        links = [check_link(link) for link in links]
    except EvidenceError as error:
        raise ValidationError(error.message) from None
    record = _record_for_evidence(record, acting_user)
    if _evidence_count(record) + len(files) + len(links) > MAX_EVIDENCE:
        raise ValidationError(
            f"К одной отметке можно приложить не больше {MAX_EVIDENCE} файлов и ссылок."
        )
    stored: list[str] = []
    try:
        added = [
            _store_file(record, acting_user, upload, facts, stored)
            for upload, facts in zip(files, checked, strict=True)
        ]
        added += [_store_link(record, acting_user, url) for url in links]
        recheck(acting_user, "add", *added)
    except BaseException:
        _forget_files(stored)
        raise
    return added


@transaction.atomic(durable=True)
def evidence_remove(*, evidence: Evidence, acting_user) -> None:
    """Remove a file or a link from a record whose mark may still change; the file leaves
    the storage once the removal is committed (history keeps who removed what)."""
    record = _record_for_evidence(evidence.record_id, acting_user)
    evidence = Evidence.objects.select_for_update().filter(pk=evidence.pk, record=record).first()
    if evidence is None:
        raise ValidationError("Подтверждение уже удалено. Обновите страницу.")
    name, storage = evidence.file.name, evidence.file.storage
    evidence._history_user = _history_user(acting_user)
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    recheck(acting_user, MARK, record)


# --- Marks made by a signed partnership agreement -----------------------------------------

AGREEMENT_REASON = "Подписано соглашение"


@transaction.atomic
def records_complete_by_agreement(
    *,
    pairs: Iterable[tuple[int, int]],
    done_on: datetime.date,
    note: str,
    url: str,
    signed_by=None,
    acting_user=SYSTEM,
) -> list[ExecutionRecord]:
    """A signed partnership agreement (the partnerships app) completes the records it
    stands for. For each (measure, organisation) pair — a «sign the agreements» measure
    the agreement fulfils and one of its parties — the party's record of the measure in a
    plan in execution: the one whose window the signing day falls in (the latest begun by
    then; the first when none has begun), unless it is marked done already.

    The mark is made by the system on behalf of the agreement: done on the day of signing,
    the note naming the agreement, a link to the agreement's page as evidence (once per
    record). It stands accepted when the plan's marks need no acceptance or ``signed_by``
    (the person who recorded the signing) may review the record; otherwise it waits for
    the curator, like any mark. History names ``signed_by``. Who may sign the agreement
    was decided by the caller; the system acts here, whatever the signer's own reach over
    the parties' records (an agreement of two municipalities completes the records of
    both).

    Runs inside the caller's transaction (the signing): all of it or nothing. Queries do
    not depend on the number of pairs or records."""
    from django.db.models import Count, F

    wanted = {(int(measure), int(organisation)) for measure, organisation in pairs}
    if not wanted:
        return []
    rows = (
        ExecutionRecord._base_manager.filter(
            measure_id__in={m for m, _ in wanted},
            organisation_id__in={o for _, o in wanted},
            measure__roadmap__status=RoadmapStatus.EXECUTION,
        )
        .order_by("measure_id", "organisation_id", F("starts_on").asc(nulls_first=True), "pk")
        .values_list("pk", "measure_id", "organisation_id", "starts_on", "state")
    )
    by_pair: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for row in rows:
        if (row[1], row[2]) in wanted:
            by_pair[(row[1], row[2])].append(row)
    ids = []
    for found in by_pair.values():
        begun = [row for row in found if row[3] is None or row[3] <= done_on]
        pick = begun[-1] if begun else found[0]
        if pick[4] != MarkState.DONE:
            ids.append(pick[0])
    if not ids:
        return []
    records = _lock_records(sorted(ids))
    user = _history_user(signed_by)
    reviewable = (
        set(
            ExecutionRecord.objects.for_user(user, REVIEW)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        if user is not None
        else set()
    )
    now = timezone.now()
    note = (note or "").strip()[:MAX_NOTE]
    changed: list[ExecutionRecord] = []
    for record in records:
        if record.state == MarkState.DONE:
            continue
        record.state = MarkState.DONE
        record.done_on = done_on
        record.note = note
        record.marked_by, record.marked_at = user, now
        if not record.measure.roadmap.marks_need_acceptance or record.pk in reviewable:
            record.review = ReviewState.ACCEPTED
            record.reviewed_by, record.reviewed_at = user, now
        else:
            record.review = ReviewState.WAITING
            record.reviewed_by, record.reviewed_at = None, None
        record.review_comment = ""
        record.version += 1
        changed.append(record)
    if not changed:
        return []
    bulk_update_with_history(
        changed,
        ExecutionRecord,
        MARK_FIELDS,
        default_user=user,
        default_change_reason=AGREEMENT_REASON,
        default_date=now,
    )
    counts = dict(
        Evidence.objects.filter(record__in=changed)
        .order_by()
        .values("record_id")
        .annotate(n=Count("pk"))
        .values_list("record_id", "n")
    )
    linked = set(
        Evidence.objects.filter(record__in=changed, kind=EvidenceKind.LINK, url=url).values_list(
            "record_id", flat=True
        )
    )
    evidence = [
        Evidence(record=record, kind=EvidenceKind.LINK, url=url, uploaded_by=user)
        for record in changed
        if record.pk not in linked and counts.get(record.pk, 0) < MAX_EVIDENCE
    ]
    if evidence:
        bulk_create_with_history(evidence, Evidence, default_user=user)
    recheck(acting_user, MARK, *changed)
    return changed


# --- Marks carried over from an imported plan ---------------------------------------------

IMPORTED_REASON = "Из отметки в импортированном плане"


def _mark_from_imported_text(roadmap: Roadmap, measures: Sequence[Measure], acting_user) -> int:
    """The plan's own column «Отметка об исполнении» (``Measure.status_text``, kept as the
    imported document wrote it) becomes marks where it says clearly done, partly done or
    not done, on the records the text covers (``execution.imported``: by the text's dates,
    or every window already over when it has none; records without a date always), with
    the text as the note. Records somebody marked already are left alone. Returns how many
    records were marked.

    The marks stand accepted: they are the statement of the plan's owner in its own
    document, not a school's claim waiting for a curator, and a queue of past work to
    accept again would only hide the real one. They are marked by the person who started
    the execution (who brought the document's word in), and history says where they come
    from (``IMPORTED_REASON``).

    No query when no measure's text says anything; otherwise four, whatever the size of
    the plan: the time zone, the records, their update and its history."""
    from schools.models import Organisation

    from .imported import Slot, read_mark, slots_to_mark

    readings = {m.pk: reading for m in measures if (reading := read_mark(m.status_text)).state}
    if not readings:
        return 0
    zone_name = (
        Organisation._base_manager.filter(pk=roadmap.owner_id)
        .values_list("region__time_zone", flat=True)
        .get()
    )
    now = timezone.now()
    today = today_in(zone_name, now)
    texts = {m.pk: m.status_text.strip() for m in measures if m.pk in readings}
    by_measure: dict[int, list[ExecutionRecord]] = defaultdict(list)
    for record in ExecutionRecord._base_manager.filter(
        measure_id__in=list(readings), marked_at__isnull=True
    ).order_by("pk"):
        by_measure[record.measure_id].append(record)
    user = _history_user(acting_user)
    changed: list[ExecutionRecord] = []
    for measure_id, records in by_measure.items():
        reading = readings[measure_id]
        slots = [Slot(r.organisation_id, r.starts_on, r.due_on) for r in records]
        for index, done_on in slots_to_mark(reading, slots, today).items():
            record = records[index]
            record.state = reading.state
            record.done_on = done_on
            record.note = texts[measure_id]
            record.marked_by, record.marked_at = user, now
            record.review = ReviewState.ACCEPTED
            record.reviewed_by, record.reviewed_at = user, now
            record.review_comment = ""
            record.version += 1
            changed.append(record)
    if changed:
        bulk_update_with_history(
            changed,
            ExecutionRecord,
            MARK_FIELDS,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=IMPORTED_REASON,
            default_date=now,
        )
    return len(changed)
