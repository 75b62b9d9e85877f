"""The steps of a plan's life (``roadmaps.workflow`` is the table): sending for agreement,
the parties' answers, approval, closing, corrections as new revisions, publication.

Each step locks the plan row, checks again inside its transaction that the step may be
taken now by this person (two people acting at once: one succeeds, the other is told who
did what), writes the plan with history, a ``PlanEvent`` for the timeline, and tells the
people who act next (``roadmaps.signals.plan_event``), then re-checks the reach.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.timezones import today_in
from schools.access import FORBIDDEN_MESSAGE, object_grants, recheck
from schools.constants import Role
from schools.models import Membership, Organisation
from schools.roles import AGREE_ROLES, roles_with

from .. import workflow
from ..constants import ROADMAP_HEADER_FIELDS, ConcurrenceStatus, PlanEventKind, RoadmapStatus
from ..models import PlanConcurrence, PlanEvent, PublicLink, Roadmap, RoadmapUserObjectPermission
from ..signals import plan_event, plan_published
from .plans import _copy_contents

MAX_COMMENT = 5000
MAX_ORDER = 100

NOT_ASKED_MESSAGE = "Согласование этого плана у вашей организации не запрашивали."


def _lock_plan(roadmap: Roadmap) -> Roadmap:
    return Roadmap.objects.select_for_update().select_related("owner__region").get(pk=roadmap.pk)


def _comment(comment: str, *, required: bool = False, what: str = "замечания") -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError(f"Напишите {what}: без комментария план не вернуть.")
    if len(comment) > MAX_COMMENT:
        raise ValidationError(f"Комментарий длиннее {MAX_COMMENT} знаков: сократите его.")
    return comment


def _require_state(roadmap: Roadmap, step: str) -> None:
    if roadmap.status not in workflow.STEPS[step].sources:
        raise ValidationError(
            f"План в статусе «{roadmap.get_status_display()}»: действие «"
            f"{workflow.STEPS[step].label}» сейчас недоступно. Обновите страницу."
        )


def _require_verb(user, roadmap: Roadmap, step: str) -> None:
    if not workflow.holds(user, workflow.STEPS[step].verb, roadmap):
        raise PermissionDenied(FORBIDDEN_MESSAGE)


def _history_user(user):
    return user if getattr(user, "pk", None) else None


def _save(roadmap: Roadmap, user, fields: list[str], reason: str) -> None:
    roadmap.version = F("version") + 1
    roadmap._history_user = _history_user(user)
    roadmap._change_reason = reason
    roadmap.save(update_fields=[*fields, "version", "updated_at"])
    roadmap.refresh_from_db(fields=["version"])


def _event(roadmap, kind, user, *, comment="", organisation=None) -> PlanEvent:
    return PlanEvent.objects.create(
        roadmap=roadmap,
        kind=kind,
        actor=_history_user(user),
        comment=comment,
        organisation=organisation,
    )


def people_with(verb: str, organisation_ids: Iterable[int], roadmap: Roadmap | None = None) -> set:
    """Ids of the active people holding ``verb`` through a membership in these
    organisations (for agreeing: the roles that answer for an organisation), and (with
    ``roadmap``) through a grant on it."""
    organisation_ids = list(organisation_ids)
    ids: set[int] = set()
    roles = sorted(AGREE_ROLES) if verb == workflow.AGREE_VERB else roles_with(verb)
    if organisation_ids:
        ids |= set(
            Membership.objects.filter(
                organisation_id__in=organisation_ids,
                role__in=roles,
                is_active=True,
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
    if roadmap is not None:
        app_label, codename = verb.split(".", 1)
        ids |= set(
            RoadmapUserObjectPermission.objects.filter(
                content_object=roadmap,
                permission__codename=codename,
                permission__content_type__app_label=app_label,
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
    return ids


def _tell(event: PlanEvent, recipients: set, text: str, acting_user) -> None:
    recipients = {pk for pk in recipients if pk and pk != getattr(acting_user, "pk", None)}
    if recipients:
        plan_event.send(
            sender=PlanEvent,
            event=event,
            recipients=sorted(recipients),
            text=text,
            url=reverse("roadmap_detail", kwargs={"pk": event.roadmap_id}),
        )


def _authors(roadmap: Roadmap) -> set:
    """Who writes the plan and sent it: the sender and the holders of the submit verb in
    the owner organisation."""
    ids = people_with(workflow.SUBMIT_VERB, [roadmap.owner_id])
    if roadmap.submitted_by_id:
        ids.add(roadmap.submitted_by_id)
    if roadmap.owner.municipality_id:
        ids |= set(
            Membership.objects.filter(
                organisation__municipality_id=roadmap.owner.municipality_id,
                role=Role.MUNICIPAL_COORDINATOR,
                is_active=True,
            ).values_list("user_id", flat=True)
        )
    return ids


# --- Who may be asked -------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return re.sub(r"[\"«»“”„'`]+", '"', (text or "").lower()).replace("ё", "е")


_WORD = re.compile(r"[а-яa-z0-9]+")
# Share of an organisation's full name (as word stems) a «СОГЛАСОВАНО» row must carry to
# name it: documents write the name in the genitive («Начальник управления образования
# администрации …»), so whole names rarely occur verbatim.
STEM_SHARE = 0.75


def _stems(text: str) -> set[str]:
    return {word[:5] for word in _WORD.findall(_normalised(text)) if len(word) >= 4}


def document_matches(roadmap: Roadmap, rows: list[PlanConcurrence]) -> dict[int, int]:
    """The «СОГЛАСОВАНО» rows read from the document matched to organisations of the
    directory in the plan's region: row id → organisation id, only where one organisation
    is clearly meant — its short name is written in the row, or most of its full name is
    (word stems, so that the genitive of the documents matches)."""
    texts = {
        row.pk: " ".join((row.organisation_text, row.position))
        for row in rows
        if row.organisation_id is None and (row.organisation_text or row.position)
    }
    if not texts:
        return {}
    candidates = [
        (pk, _normalised(short), _normalised(full), _stems(full))
        for pk, short, full in Organisation.objects.filter(
            region_id=roadmap.owner.region_id, is_active=True
        )
        .exclude(pk=roadmap.owner_id)
        .values_list("pk", "short_name", "full_name")
    ]
    found = {}
    for row_id, raw in texts.items():
        text, stems = _normalised(raw), _stems(raw)
        hits = {
            pk
            for pk, short, full, _ in candidates
            if (full and full in text) or (len(short) > 5 and short in text)
        }
        if not hits:
            scored = sorted(
                (
                    (len(own & stems) / len(own), pk)
                    for pk, _, _, own in candidates
                    if len(own) >= 2
                ),
                reverse=True,
            )
            if (
                scored
                and scored[0][0] >= STEM_SHARE
                and (len(scored) == 1 or scored[1][0] < scored[0][0])
            ):
                hits = {scored[0][1]}
        if len(hits) == 1:
            found[row_id] = hits.pop()
    return found


def agreement_candidates(user, roadmap: Roadmap) -> list[Organisation]:
    """The organisations the sender may ask to agree this plan: the authorities and
    centres of the plan's municipality and the region's bodies (a school's deputy asks its
    УО and centre), those of the sender's reach (not the owner itself), those the
    document's «СОГЛАСОВАНО» names (matched in the directory), the organisations of people
    granted this plan (partner centres of other municipalities) and those asked before."""
    rows = list(PlanConcurrence.objects.filter(roadmap=roadmap))
    ids = {row.organisation_id for row in rows if row.organisation_id}
    ids |= set(document_matches(roadmap, rows).values())
    granted = RoadmapUserObjectPermission.objects.filter(content_object=roadmap).values("user_id")
    ids |= set(
        Membership.objects.filter(user_id__in=granted, is_active=True).values_list(
            "organisation_id", flat=True
        )
    )
    reach = (
        Organisation.objects.for_user(user, "view").filter(is_active=True).exclude(kind="school")
    )
    organisations = Organisation.objects.filter(is_active=True).exclude(pk=roadmap.owner_id)
    owner = roadmap.owner
    governing = Q(region_id=owner.region_id, municipality__isnull=True)
    if owner.municipality_id:
        governing |= Q(municipality_id=owner.municipality_id)
    governing &= ~Q(kind="school")
    return list(
        organisations.filter(Q(pk__in=ids) | Q(pk__in=reach.values("pk")) | governing)
        .select_related("municipality")
        .order_by("municipality__name", "short_name")
    )


# --- Steps ------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def roadmap_submit(
    *, roadmap: Roadmap, acting_user, organisations: Iterable[Organisation], comment: str = ""
) -> Roadmap:
    """Send a draft for agreement to these organisations (none: straight to approval).
    Each party's head and coordinator (and a partner granted this plan) are asked; the
    rows the document's «СОГЛАСОВАНО» names become the parties they match."""
    comment = _comment(comment)
    roadmap = _lock_plan(roadmap)
    _require_verb(acting_user, roadmap, "submit")
    _require_state(roadmap, "submit")
    if roadmap.is_template:
        raise ValidationError("Шаблон для школ не согласуют: согласуют планы, сделанные по нему.")
    if not roadmap.measures.exists():
        raise ValidationError("В плане нет мероприятий: согласовывать нечего.")
    chosen = {org.pk: org for org in organisations}
    allowed = {org.pk for org in agreement_candidates(acting_user, roadmap)}
    if set(chosen) - allowed:
        raise ValidationError(
            "Среди выбранных есть организация, которую нельзя указать для согласования."
        )
    now = timezone.now()
    rows = list(
        PlanConcurrence.objects.select_for_update().filter(roadmap=roadmap).order_by("order", "pk")
    )
    matches = document_matches(roadmap, rows)
    by_org: dict[int, PlanConcurrence] = {}
    for row in rows:
        org_id = row.organisation_id or matches.get(row.pk)
        if org_id in chosen and org_id not in by_org:
            by_org[org_id] = row
            row.organisation_id = org_id
    order = max((row.order for row in rows), default=0)
    for org_id, org in chosen.items():
        if org_id not in by_org:
            order += 1
            by_org[org_id] = PlanConcurrence(
                roadmap=roadmap,
                organisation=org,
                organisation_text=org.full_name or org.short_name,
                order=order,
            )
    asked = set(by_org)
    chosen_rows = list(by_org.values())
    for row in rows:
        if row.requested and not any(row is other for other in chosen_rows):
            row.requested = False
            row.save(update_fields=["requested"])
    for row in chosen_rows:
        row.requested = True
        row.requested_at = now
        row.status = ConcurrenceStatus.PENDING
        row.answered_at = row.answered_by = None
        row.comment = ""
        row._history_user = _history_user(acting_user)
        row.save()
    roadmap.status = RoadmapStatus.CONCURRENCE
    roadmap.submitted_at = now
    roadmap.submitted_by = _history_user(acting_user)
    _save(
        roadmap,
        acting_user,
        ["status", "submitted_at", "submitted_by"],
        "Отправлен на согласование",
    )
    # A correction says what changed, in the request and in the timeline.
    changes = ""
    if roadmap.previous_revision_id:
        from ..compare import compare_revisions

        summary = compare_revisions(roadmap.previous_revision, roadmap).summary
        changes = f"Редакция {roadmap.revision}, изменения: {summary}."
    event = _event(
        roadmap,
        PlanEventKind.SUBMITTED,
        acting_user,
        comment=" ".join(part for part in (changes, comment) if part),
    )
    if asked:
        _tell(
            event,
            people_with(workflow.AGREE_VERB, asked, roadmap),
            f"Просят согласовать план «{roadmap.title}»" + (f" ({changes})" if changes else ""),
            acting_user,
        )
    else:
        _tell(
            event,
            people_with(workflow.APPROVE_VERB, [roadmap.owner_id]),
            f"План «{roadmap.title}» ждёт утверждения",
            acting_user,
        )
    recheck(acting_user, workflow.SUBMIT_VERB, roadmap)
    return roadmap


def _take_step(roadmap: Roadmap, acting_user, step: str, reason: str, kind, comment: str = ""):
    """A step that only moves the plan to the step's target state: lock, check verb and
    state, save with history, add the timeline's event. Returns (plan, event)."""
    roadmap = _lock_plan(roadmap)
    _require_verb(acting_user, roadmap, step)
    _require_state(roadmap, step)
    roadmap.status = workflow.STEPS[step].target
    _save(roadmap, acting_user, ["status"], reason)
    return roadmap, _event(roadmap, kind, acting_user, comment=comment)


@transaction.atomic(durable=True)
def roadmap_withdraw(*, roadmap: Roadmap, acting_user, comment: str = "") -> Roadmap:
    """Take a plan back from agreement to edit it (the parties' answers stay in history)."""
    roadmap, event = _take_step(
        roadmap,
        acting_user,
        "withdraw",
        "Отозван с согласования",
        PlanEventKind.WITHDRAWN,
        _comment(comment),
    )
    asked = PlanConcurrence.objects.filter(roadmap=roadmap, requested=True).values_list(
        "organisation_id", flat=True
    )
    _tell(
        event,
        people_with(workflow.AGREE_VERB, asked, roadmap),
        f"План «{roadmap.title}» отозван с согласования",
        acting_user,
    )
    recheck(acting_user, workflow.SUBMIT_VERB, roadmap)
    return roadmap


@transaction.atomic(durable=True)
def concurrence_answer(
    *,
    roadmap: Roadmap,
    acting_user,
    agree: bool,
    comment: str = "",
    organisation: Organisation | None = None,
) -> PlanConcurrence:
    """A party's answer: agree, or return with remarks (the plan goes back to draft).
    ``organisation``: the party answered for, when the person may answer for several."""
    comment = _comment(comment, required=not agree)
    roadmap = _lock_plan(roadmap)
    rows = list(
        PlanConcurrence.objects.select_for_update(of=("self",))
        .filter(roadmap=roadmap, requested=True)
        .select_related("organisation", "answered_by")
        .order_by("order", "pk")
    )
    mine = workflow.answering_organisations(acting_user, roadmap, rows)
    if organisation is not None:
        mine = [row for row in mine if row.organisation_id == organisation.pk]
    if not mine:
        if not Roadmap.objects.for_user(acting_user, "view").filter(pk=roadmap.pk).exists():
            raise PermissionDenied(FORBIDDEN_MESSAGE)
        raise ValidationError(NOT_ASKED_MESSAGE)
    waiting = [row for row in mine if row.status == ConcurrenceStatus.PENDING]
    if roadmap.status != RoadmapStatus.CONCURRENCE or not waiting:
        done = mine[0]
        if done.status != ConcurrenceStatus.PENDING and done.answered_at:
            who = done.answered_by.get_short_name() if done.answered_by else ""
            raise ValidationError(
                f"{done.organisation}: ответ уже дан — «{done.get_status_display()}» "
                f"{timezone.localtime(done.answered_at):%d.%m.%Y %H:%M}{f' ({who})' if who else ''}."
            )
        _require_state(roadmap, "agree")
    row = waiting[0]
    now = timezone.now()
    row.status = ConcurrenceStatus.AGREED if agree else ConcurrenceStatus.RETURNED
    row.comment = comment
    row.answered_at = now
    row.answered_by = _history_user(acting_user)
    row.date = today_in(roadmap.owner.region, now)
    row.date_text = ""
    if _history_user(acting_user):
        row.name = acting_user.get_short_name()
        membership = (
            Membership.objects.filter(user=acting_user, organisation_id=row.organisation_id)
            .exclude(position="")
            .first()
        )
        row.position = (membership.position if membership else acting_user.position) or row.position
    row._history_user = _history_user(acting_user)
    row.save()
    if agree:
        event = _event(
            roadmap,
            PlanEventKind.AGREED,
            acting_user,
            comment=comment,
            organisation=row.organisation,
        )
        if not workflow.pending(rows):
            _tell(
                event,
                people_with(workflow.APPROVE_VERB, [roadmap.owner_id]),
                f"План «{roadmap.title}» согласован всеми: можно утверждать",
                acting_user,
            )
        else:
            _tell(
                event,
                _authors(roadmap),
                f"{row.organisation}: план «{roadmap.title}» согласован",
                acting_user,
            )
    else:
        roadmap.status = RoadmapStatus.DRAFT
        _save(roadmap, acting_user, ["status"], f"Возвращён с замечаниями: {row.organisation}")
        event = _event(
            roadmap,
            PlanEventKind.RETURNED,
            acting_user,
            comment=comment,
            organisation=row.organisation,
        )
        _tell(
            event,
            _authors(roadmap),
            f"{row.organisation} вернул(а) план «{roadmap.title}» с замечаниями",
            acting_user,
        )
    recheck(acting_user, "view", roadmap)
    return row


def order_text(order_date: datetime.date, number: str) -> str:
    """«приказ от 10.09.2020 № 01-10/142-2» as the documents write it."""
    return f"приказ от {order_date:%d.%m.%Y} № {number}"


@transaction.atomic(durable=True)
def roadmap_approve(
    *,
    roadmap: Roadmap,
    acting_user,
    approval_date: datetime.date,
    order_number: str,
    order_date: datetime.date | None = None,
    position: str = "",
    comment: str = "",
) -> Roadmap:
    """Approve a plan every asked party agreed: the date and the order go into its
    «УТВЕРЖДАЮ» with the approver's name and position; the text is frozen from now on.
    An approved earlier revision that this one corrects is replaced (one in execution is
    replaced when this one starts execution and takes its records over)."""
    comment = _comment(comment)
    order_number = (order_number or "").strip()
    if not order_number:
        raise ValidationError("Укажите номер приказа об утверждении.")
    if len(order_number) > MAX_ORDER:
        raise ValidationError(f"Номер приказа длиннее {MAX_ORDER} знаков.")
    roadmap = _lock_plan(roadmap)
    _require_verb(acting_user, roadmap, "approve")
    if roadmap.status in workflow.APPROVED_STATES and roadmap.approved_at:
        who = roadmap.approved_by.get_short_name() if roadmap.approved_by else ""
        raise ValidationError(
            f"План уже утверждён {timezone.localtime(roadmap.approved_at):%d.%m.%Y %H:%M}"
            f"{f' ({who})' if who else ''}. Обновите страницу."
        )
    _require_state(roadmap, "approve")
    today = today_in(roadmap.owner.region)
    order_date = order_date or approval_date
    if approval_date > today or order_date > today:
        raise ValidationError(
            "Дата утверждения и дата приказа не могут быть позже сегодняшнего дня."
        )
    rows = list(
        PlanConcurrence.objects.filter(roadmap=roadmap, requested=True).select_related(
            "organisation"
        )
    )
    missing = workflow.pending(rows)
    if missing:
        names = ", ".join(str(row.organisation or row.organisation_text) for row in missing)
        raise ValidationError(
            f"Утвердить можно после согласования всеми. Ещё не согласовали: {names}."
        )
    now = timezone.now()
    if not position and _history_user(acting_user):
        membership = (
            Membership.objects.filter(
                user=acting_user, organisation_id=roadmap.owner_id, is_active=True
            )
            .exclude(position="")
            .first()
        )
        position = membership.position if membership else acting_user.position
    roadmap.approval_word = roadmap.approval_word or "УТВЕРЖДАЮ"
    roadmap.approval_position = (position or "Руководитель").strip()[:500]
    roadmap.approval_organisation = roadmap.owner.full_name or roadmap.owner.short_name
    roadmap.approval_name = acting_user.get_short_name() if _history_user(acting_user) else ""
    roadmap.approval_date = approval_date
    roadmap.approval_date_text = ""
    roadmap.approval_order = order_text(order_date, order_number)
    roadmap.status = RoadmapStatus.APPROVED
    roadmap.approved_at = now
    roadmap.approved_by = _history_user(acting_user)
    _save(
        roadmap,
        acting_user,
        [
            "approval_word",
            "approval_position",
            "approval_organisation",
            "approval_name",
            "approval_date",
            "approval_date_text",
            "approval_order",
            "status",
            "approved_at",
            "approved_by",
        ],
        "Утверждён",
    )
    event = _event(roadmap, PlanEventKind.APPROVED, acting_user, comment=comment)
    previous = roadmap.previous_revision
    if previous is not None and previous.status == RoadmapStatus.APPROVED:
        previous = Roadmap.objects.select_for_update().get(pk=previous.pk)
        previous.status = RoadmapStatus.REPLACED
        _save(previous, acting_user, ["status"], f"Заменён редакцией {roadmap.revision}")
        _event(previous, PlanEventKind.REPLACED, acting_user)
    _tell(event, _authors(roadmap), f"План «{roadmap.title}» утверждён", acting_user)
    recheck(acting_user, workflow.APPROVE_VERB, roadmap)
    return roadmap


@transaction.atomic(durable=True)
def roadmap_reject(*, roadmap: Roadmap, acting_user, comment: str) -> Roadmap:
    """The approver sends the plan back to its authors with remarks."""
    roadmap, event = _take_step(
        roadmap,
        acting_user,
        "reject",
        "Возвращён на доработку при утверждении",
        PlanEventKind.REJECTED,
        _comment(comment, required=True),
    )
    _tell(event, _authors(roadmap), f"План «{roadmap.title}» возвращён на доработку", acting_user)
    recheck(acting_user, workflow.APPROVE_VERB, roadmap)
    return roadmap


@transaction.atomic(durable=True)
def roadmap_close(*, roadmap: Roadmap, acting_user, comment: str = "") -> Roadmap:
    """Execution ends: the plan is closed; its marks stay readable."""
    roadmap, _ = _take_step(
        roadmap, acting_user, "close", "Закрыт", PlanEventKind.CLOSED, _comment(comment)
    )
    recheck(acting_user, "change", roadmap)
    return roadmap


# Header fields a correction starts from; its approval is its own.
CORRECTION_SKIPS = {"approval_date", "approval_date_text", "approval_order"}


@transaction.atomic(durable=True)
def roadmap_correct(*, roadmap: Roadmap, acting_user, comment: str = "") -> Roadmap:
    """«Корректировка»: a new draft revision of an approved plan (the current revision
    only), with every section and measure copied with lineage, the assignments, the plan's
    group of schools and the partner grants; the parties of the last agreement are offered
    again. It goes through agreement and approval; the earlier revision stays in force (and
    in execution) until then."""
    comment = _comment(comment)
    roadmap = _lock_plan(roadmap)
    _require_verb(acting_user, roadmap, "correct")
    _require_state(roadmap, "correct")
    following = Roadmap.objects.filter(previous_revision=roadmap).first()
    if following is not None:
        raise ValidationError(
            f"У плана уже есть редакция {following.revision} ({following.get_status_display().lower()}): "
            "корректируйте её."
        )
    copy = Roadmap(
        owner=roadmap.owner,
        period_start=roadmap.period_start,
        period_end=roadmap.period_end,
        revision=roadmap.revision + 1,
        previous_revision=roadmap,
        first_revision_id=roadmap.first_revision_id or roadmap.pk,
        template=roadmap.template,
        created_by=_history_user(acting_user),
        reporting_months=roadmap.reporting_months,
        marks_need_acceptance=roadmap.marks_need_acceptance,
    )
    for name in ROADMAP_HEADER_FIELDS:
        if name not in CORRECTION_SKIPS and name not in {"period_start", "period_end"}:
            setattr(copy, name, getattr(roadmap, name))
    copy.full_clean()
    copy._history_user = _history_user(acting_user)
    copy._change_reason = f"Корректировка редакции {roadmap.revision}"
    copy.save()
    copy.school_group.set(roadmap.school_group.all())
    _copy_contents(roadmap, copy, acting_user)
    PlanConcurrence.objects.filter(roadmap=copy).update(requested=False)
    for grant in RoadmapUserObjectPermission.objects.filter(content_object=roadmap):
        RoadmapUserObjectPermission.objects.get_or_create(
            user_id=grant.user_id, permission_id=grant.permission_id, content_object=copy
        )
    _event(roadmap, PlanEventKind.CORRECTION, acting_user, comment=comment)
    _event(copy, PlanEventKind.CORRECTION, acting_user, comment=comment)
    recheck(acting_user, "change", copy)
    return copy


@transaction.atomic(durable=True)
def roadmap_publish(*, roadmap: Roadmap, acting_user) -> PublicLink:
    """A public read-only page of this approved revision (one live link at a time)."""
    roadmap = _lock_plan(roadmap)
    _require_verb(acting_user, roadmap, "publish")
    _require_state(roadmap, "publish")
    live = PublicLink.objects.filter(roadmap=roadmap, withdrawn_at__isnull=True).first()
    if live is not None:
        return live
    link = PublicLink.objects.create(
        roadmap=roadmap, token=secrets.token_urlsafe(24), created_by=_history_user(acting_user)
    )
    _event(roadmap, PlanEventKind.PUBLISHED, acting_user)
    plan_published.send(sender=PublicLink, link=link)
    recheck(acting_user, "change", roadmap)
    return link


@transaction.atomic(durable=True)
def roadmap_unpublish(*, roadmap: Roadmap, acting_user) -> int:
    """Withdraw the public page: its link answers «не найдено» from now on."""
    roadmap = _lock_plan(roadmap)
    _require_verb(acting_user, roadmap, "publish")
    withdrawn = PublicLink.objects.filter(roadmap=roadmap, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if withdrawn:
        _event(roadmap, PlanEventKind.UNPUBLISHED, acting_user)
    recheck(acting_user, "change", roadmap)
    return withdrawn


def may_answer_for(user, roadmap: Roadmap) -> list[PlanConcurrence]:
    """The asked parties this person may answer for (a read for forms)."""
    rows = list(
        PlanConcurrence.objects.filter(roadmap=roadmap, requested=True)
        .select_related("organisation")
        .order_by("order", "pk")
    )
    return workflow.answering_organisations(user, roadmap, rows, object_grants(user, roadmap))


__all__ = [
    "agreement_candidates",
    "concurrence_answer",
    "document_matches",
    "may_answer_for",
    "order_text",
    "people_with",
    "roadmap_approve",
    "roadmap_close",
    "roadmap_correct",
    "roadmap_publish",
    "roadmap_reject",
    "roadmap_submit",
    "roadmap_unpublish",
    "roadmap_withdraw",
]
