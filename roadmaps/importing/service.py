"""Importing plans: the upload kept privately as an import job, its bounded parse in a
worker, and writing the parsed plan into the database — one transaction, history with the
importer, schedules derived from the deadline texts, and a record of the file.

The file lives in the private storage only between upload and commit, cancel, a refused
parse or expiry (``imports_cleanup``, run by the periodic task ``cleanup_imports``)."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.jobs import JobError, enqueue
from core.models import JobState
from schools import access
from schools.access import FORBIDDEN_MESSAGE
from schools.constants import OrganisationKind

from .. import schedules
from ..constants import RoadmapLevel
from ..models import (
    ImportJob,
    Measure,
    MeasureWindow,
    PlanConcurrence,
    Roadmap,
    RoadmapImport,
    Section,
)
from ..windows import new_windows
from . import ImportFileError, parse_bounded
from .columns import LABELS as COLUMN_LABELS
from .model import ParsedMeasure, ParsedPlan, ParsedSection
from .structure import check_mapping

logger = logging.getLogger(__name__)
IMPORT_VERB = "roadmaps.import_roadmap"
GONE_MESSAGE = "Загруженный файл уже удалён. Загрузите его ещё раз."

LEVEL_BY_KIND = {
    OrganisationKind.SCHOOL: RoadmapLevel.SCHOOL,
    OrganisationKind.METHOD_CENTRE: RoadmapLevel.CENTRE,
}


def with_schedules(plan: ParsedPlan) -> ParsedPlan:
    """Fill each measure's schedule from its deadline text and the plan's period; a text
    that could not be placed in time is a warning beside its row."""
    from .model import Warning

    if plan.period is None:
        return plan
    for measure in plan.all_measures():
        derived = schedules.derive(measure.deadline_text, *plan.period)
        measure.schedule = derived.to_json()
        if derived.kind == "unscheduled" and measure.deadline_text.strip():
            plan.warnings.append(
                Warning(
                    measure.row,
                    f"Срок «{measure.deadline_text}» не переведён в даты ({derived.reason.lower()}).",
                )
            )
    return plan


ORGANISATION_NAME = re.compile(r"\b[А-ЯЁ]{2,}(?:\s[А-ЯЁ]{2,})*\s?«[^»]{2,60}»")


def with_organisation_warnings(plan: ParsedPlan, known_short_names: set[str]) -> ParsedPlan:
    """Organisation names in «Ответственные» (like «МКУ «ЦМТО»») that the directory does
    not know: the measure keeps the text, the person sees a warning."""
    from .model import Warning

    known = {name.lower() for name in known_short_names}
    for measure in plan.all_measures():
        for name in dict.fromkeys(ORGANISATION_NAME.findall(measure.responsible_text)):
            if name.lower() not in known:
                plan.warnings.append(
                    Warning(measure.row, f"Организация «{name}» не найдена в справочнике.")
                )
    return plan


@transaction.atomic
def roadmap_import(
    *,
    plan: ParsedPlan,
    owner,
    acting_user=None,
    file_name: str,
    data: bytes | None = None,
    file_size: int | None = None,
    sha256: str | None = None,
) -> Roadmap:
    """Create the plan with its sections, measures and concurrences. With an acting user,
    the owner must be within that user's reach for importing plans; without one (the
    command, the demo seed) the actor is ``access.SYSTEM``. The file is recorded by its
    bytes, or by the size and checksum taken when it was uploaded."""
    if data is not None:
        file_size, sha256 = len(data), hashlib.sha256(data).hexdigest()
    if acting_user is not None:
        from schools.models import Organisation

        if (
            not Organisation.objects.for_user(acting_user, "roadmaps.import_roadmap")
            .filter(pk=owner.pk)
            .exists()
        ):
            raise PermissionDenied(FORBIDDEN_MESSAGE)
    if plan.period is None:
        raise ValidationError("В документе не найден период плана: укажите его перед импортом.")
    approval = plan.approval
    roadmap = Roadmap(
        owner=owner,
        level=LEVEL_BY_KIND.get(owner.kind, RoadmapLevel.MUNICIPAL),
        title=plan.title or "План мероприятий",
        subtitle=plan.subtitle,
        period_start=plan.period[0],
        period_end=plan.period[1],
        period_text=plan.period_text,
        approval_word=approval.word or "УТВЕРЖДАЮ",
        approval_position=approval.position,
        approval_organisation=approval.organisation,
        approval_name=approval.name,
        approval_date=approval.date,
        approval_date_text=approval.date_text,
        approval_order=approval.order,
        columns=[c for c in plan.columns if c in COLUMN_LABELS],
        created_by=acting_user,
    )
    roadmap.full_clean()
    roadmap._history_user = acting_user
    roadmap.save()

    measures: list[Measure] = []
    derived: list[schedules.Derived] = []

    def add_children(children, parent: Section | None) -> None:
        for order, child in enumerate(children, 1):
            if isinstance(child, ParsedSection):
                section = Section(
                    roadmap=roadmap,
                    parent=parent,
                    number=child.number,
                    title=child.title,
                    is_group=child.is_group,
                    order=order,
                )
                section._history_user = acting_user
                section.save()
                add_children(child.children, section)
            else:
                measures.append(_measure(roadmap, parent, child, order))
                derived.append(
                    schedules.derive(child.deadline_text, roadmap.period_start, roadmap.period_end)
                )

    add_children(plan.children, None)
    for measure, schedule in zip(measures, derived, strict=True):
        measure.schedule_kind = schedule.kind
    created = bulk_create_with_history(
        measures, Measure, default_user=acting_user, default_change_reason="Импорт"
    )
    MeasureWindow.objects.bulk_create(
        window
        for measure, schedule in zip(created, derived, strict=True)
        for window in new_windows(measure, schedule.windows)
    )
    _link_responsible(roadmap, created)
    PlanConcurrence.objects.bulk_create(
        PlanConcurrence(
            roadmap=roadmap,
            organisation_text=a.organisation,
            position=a.position,
            name=a.name,
            date_text=a.date_text,
            order=index,
        )
        for index, a in enumerate(plan.concurrences, 1)
    )
    RoadmapImport.objects.create(
        roadmap=roadmap,
        imported_by=acting_user,
        file_name=file_name[:300],
        file_size=file_size or 0,
        sha256=sha256 or "",
        warnings=[{"row": w.row, "message": w.message} for w in plan.warnings],
    )
    access.recheck(acting_user or access.SYSTEM, IMPORT_VERB, roadmap)
    return roadmap


def _link_responsible(roadmap: Roadmap, measures: list[Measure]) -> None:
    """Link the organisations named in «Ответственные» (by short name), as editing does."""
    from schools.selectors import match_responsible, responsible_candidates

    candidates = responsible_candidates(roadmap.owner)
    through = Measure.responsible_organisations.through
    links = [
        through(measure_id=measure.pk, organisation_id=org_id)
        for measure in measures
        for org_id in match_responsible(measure.responsible_text, candidates)
    ]
    through.objects.bulk_create(links)


def _measure(
    roadmap: Roadmap, section: Section | None, parsed: ParsedMeasure, order: int
) -> Measure:
    return Measure(
        roadmap=roadmap,
        section=section,
        number=parsed.number[:50],
        title=parsed.title or "(без текста)",
        deadline_text=parsed.deadline_text,
        audience=parsed.audience,
        responsible_text=parsed.responsible_text,
        result=parsed.result,
        status_text=parsed.status_text,
        order=order,
    )


# --- Import jobs: upload → bounded parse in a worker → preview → commit ------------------


def _private():
    return storages["private"]


def _delete_file_after_commit(path: str) -> None:
    if path:
        transaction.on_commit(lambda: _private().delete(path))


def import_job_create(*, acting_user, owner, file_name: str, data: bytes) -> ImportJob:
    """Keep a validated upload in the private storage and queue its parse. The owner must
    be within the person's reach for importing plans."""
    from schools.models import Organisation

    if not Organisation.objects.for_user(acting_user, IMPORT_VERB).filter(pk=owner.pk).exists():
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    path = ""
    try:
        with transaction.atomic():
            job = ImportJob(
                owner=owner,
                created_by=acting_user,
                file_name=file_name[:300],
                file_size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                expires_at=timezone.now() + settings.IMPORT_UPLOAD_TTL,
                progress_text="Файл ждёт разбора",
            )
            job.full_clean()
            job.save()
            path = _private().save(f"imports/{job.pk.hex}", ContentFile(data))
            job.file_path = path
            job.save(update_fields=["file_path"])
            access.recheck(acting_user, IMPORT_VERB, job)
            from ..tasks import parse_import

            enqueue(parse_import, job)
    except BaseException:
        if path:
            _private().delete(path)
        raise
    return job


def import_job_parse(job: ImportJob) -> dict:
    """The work of ``parse_import``: the stored file parsed in the bounded sandbox, the
    schedules and the warnings added; returns the fields to store with the done state.
    A refused file raises ``JobError`` with the reader's Russian message."""
    from core.jobs import set_progress
    from schools.models import Organisation

    if not job.file_path:
        raise JobError(GONE_MESSAGE)
    set_progress(job, 10, "Читаем файл")
    try:
        with _private().open(job.file_path, "rb") as handle:
            data = handle.read(settings.IMPORT_MAX_UPLOAD_BYTES + 1)
    except (FileNotFoundError, OSError):
        raise JobError(GONE_MESSAGE) from None
    set_progress(job, 30, "Разбираем таблицу")
    mapping = {int(index): key for index, key in job.mapping} if job.mapping else None
    try:
        plan = parse_bounded(data, job.file_name, mapping=mapping)
    except ImportFileError as error:
        raise JobError(str(error)) from None
    set_progress(job, 80, "Переводим сроки в даты")
    with_schedules(plan)
    if job.created_by is not None:
        known = Organisation.objects.for_user(job.created_by, "view").values_list(
            "short_name", flat=True
        )
        with_organisation_warnings(plan, set(known))
    return {
        "preview": plan.to_stored(),
        "warnings": [{"row": w.row, "message": w.message} for w in plan.warnings],
        "progress_text": "Готово",
    }


def import_job_refused(job: ImportJob) -> dict:
    """A refused parse keeps nothing: the file goes once the failure is recorded."""
    _delete_file_after_commit(job.file_path)
    return {"file_path": "", "preview": None}


def _locked(job: ImportJob, acting_user) -> ImportJob:
    locked = ImportJob.objects.for_user(acting_user).select_for_update().filter(pk=job.pk).first()
    if locked is None:
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    return locked


@transaction.atomic
def import_job_remap(*, job: ImportJob, mapping: dict[int, str], acting_user) -> ImportJob:
    """Parse the same stored file again with the person's column mapping (queued)."""
    job = _locked(job, acting_user)
    if job.roadmap_id or job.state in (JobState.QUEUED, JobState.RUNNING):
        raise ValidationError("Файл уже разбирается или импортирован.")
    if not job.file_path:
        raise ValidationError(GONE_MESSAGE)
    try:
        mapping = check_mapping(mapping)
    except ImportFileError as error:
        raise ValidationError(str(error)) from None
    job.mapping = sorted(mapping.items())
    job.state = JobState.QUEUED
    job.preview, job.warnings, job.error = None, [], ""
    job.progress, job.progress_text = 0, "Файл ждёт разбора"
    job.started_at = job.finished_at = None
    job.save(
        update_fields=[
            "mapping",
            "state",
            "preview",
            "warnings",
            "error",
            "progress",
            "progress_text",
            "started_at",
            "finished_at",
        ]
    )
    access.recheck(acting_user, IMPORT_VERB, job)
    from ..tasks import parse_import

    enqueue(parse_import, job)
    return job


@transaction.atomic
def import_job_commit(*, job: ImportJob, acting_user) -> Roadmap:
    """Write the plan from the stored preview (never a re-parse) and delete the file."""
    job = _locked(job, acting_user)
    if job.roadmap_id:
        raise ValidationError("Этот файл уже импортирован.")
    if job.state != JobState.DONE or job.preview is None:
        raise ValidationError("Файл ещё не разобран: дождитесь предпросмотра.")
    roadmap = roadmap_import(
        plan=ParsedPlan.from_stored(job.preview),
        owner=job.owner,
        acting_user=acting_user,
        file_name=job.file_name,
        file_size=job.file_size,
        sha256=job.sha256,
    )
    path = job.file_path
    job.roadmap, job.file_path, job.preview = roadmap, "", None
    job.save(update_fields=["roadmap", "file_path", "preview"])
    access.recheck(acting_user, IMPORT_VERB, job)
    _delete_file_after_commit(path)
    return roadmap


@transaction.atomic
def import_job_cancel(*, job: ImportJob, acting_user) -> ImportJob:
    """«Отменить»: the file goes, a queued or running parse is dropped."""
    job = _locked(job, acting_user)
    if job.roadmap_id:
        raise ValidationError("Этот файл уже импортирован.")
    path = job.file_path
    job.state, job.finished_at = JobState.CANCELLED, timezone.now()
    job.file_path, job.preview = "", None
    job.save(update_fields=["state", "finished_at", "file_path", "preview"])
    access.recheck(acting_user, IMPORT_VERB, job)
    _delete_file_after_commit(path)
    return job


def imports_cleanup(*, now: datetime.datetime | None = None) -> dict:
    """Housekeeping of uploads (periodic task ``cleanup_imports``): files of expired jobs
    are deleted, jobs stuck in «выполняется» past every time limit fail, old rows go, and
    files in the private imports folder that no job points to are removed."""
    now = now or timezone.now()
    counts = {"expired": 0, "stuck": 0, "deleted_rows": 0, "orphans": 0}
    doomed: set[str] = set()
    with transaction.atomic():
        counts["stuck"] = ImportJob.objects.filter(
            state=JobState.RUNNING, started_at__lt=now - datetime.timedelta(hours=1)
        ).update(
            state=JobState.FAILED,
            finished_at=now,
            error="Разбор файла прервался. Загрузите файл ещё раз.",
        )
        for job in (
            ImportJob.objects.select_for_update()
            .filter(expires_at__lt=now)
            .exclude(file_path="", state__in=ImportJob.FINISHED)
        ):
            path = job.file_path
            if not job.is_finished:
                job.state, job.finished_at = JobState.CANCELLED, now
            job.file_path, job.preview = "", None
            job.progress_text = "Срок хранения файла истёк"
            job.save(
                update_fields=["state", "finished_at", "file_path", "preview", "progress_text"]
            )
            _delete_file_after_commit(path)
            doomed.add(path)
            counts["expired"] += 1
        old = ImportJob.objects.filter(created_at__lt=now - settings.IMPORT_JOB_RETENTION)
        for path in old.exclude(file_path="").values_list("file_path", flat=True):
            _delete_file_after_commit(path)
            doomed.add(path)
        counts["deleted_rows"], _ = old.delete()
    storage = _private()
    try:
        _, names = storage.listdir("imports")
    except (FileNotFoundError, OSError):
        names = []
    known = set(ImportJob.objects.exclude(file_path="").values_list("file_path", flat=True))
    settled = now - datetime.timedelta(hours=1)  # a file saved by an upload still committing
    for name in names:
        path = f"imports/{name}"
        if path in known or path in doomed:
            continue
        if storage.get_modified_time(path) < settled:
            storage.delete(path)
            counts["orphans"] += 1
    return counts
