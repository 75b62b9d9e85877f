"""Every write of the partnerships app: recording an agreement (with its parties, the
plans it serves and the measures it fulfils), changing it, signing it with its scan,
terminating it, its expiry, importing a list of them; and the request of a PDF of the
list.

Each service owns its transaction (``durable`` when a person calls it from a page),
checks everything before the first write, records history and the agreement's timeline,
and re-checks the reach after the write (``schools.access.recheck``): an agreement the
person could not manage afterwards — none of its parties in their municipality — rolls
back. Refusals are Russian: ``ValidationError`` (by field where a form can show it) for
what is wrong with the input, ``PermissionDenied`` for what the person may not do.

Signing an agreement completes the parties' execution records of the measures it
fulfils, in the same transaction (``execution.services.records_complete_by_agreement``):
the agreement, with a link to its page, is the evidence.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.jobs import enqueue
from roadmaps.models import Measure, Roadmap
from schools.access import FORBIDDEN_MESSAGE, SYSTEM, recheck, scope_for
from schools.constants import OrganisationKind
from schools.models import Organisation

from .constants import (
    CENTRE_ROLES,
    KIND_ROLES,
    MAX_PARTIES,
    MIN_PARTIES,
    SCAN_CONTENT_TYPES,
    SCAN_LABEL,
    SCHOOL_ROLES,
    AgreementKind,
    AgreementStatus,
    EventKind,
    PartyRole,
)
from .models import Agreement, AgreementEvent, AgreementParty, NetworkExport
from .querysets import ADD, CHANGE, DELETE, IMPORT, VIEW

MAX_TEXT = 5000
STALE_MESSAGE = (
    "Пока вы заполняли форму, это соглашение изменил другой пользователь. Откройте его "
    "заново и внесите изменения ещё раз."
)
NOT_EDITABLE_MESSAGE = "Соглашение «{status}»: его данные больше не меняются."
UNKNOWN_PARTY_MESSAGE = (
    "Одна из сторон не найдена среди организаций, которые вы можете указать (ваш "
    "муниципалитет, региональные организации, партнёры ваших планов). Выберите сторону из "
    "списка."
)
OUTSIDE_MESSAGE = (
    "Хотя бы одна сторона должна быть организацией вашей зоны ответственности: иначе вы "
    "не сможете вести это соглашение."
)


# --- Input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyInput:
    organisation: Organisation
    role: str
    signatory_name: str = ""
    signatory_position: str = ""


@dataclass
class AgreementInput:
    """What a person fills in (or an imported row says): the agreement without its state."""

    kind: str
    subject: str
    valid_from: datetime.date | None
    parties: list[PartyInput]
    number: str = ""
    support_form: str = ""
    valid_to: datetime.date | None = None
    roadmaps: list[Roadmap] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


# --- Checks (before any write) ----------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _check(
    acting_user, data: AgreementInput, *, agreement: Agreement | None = None, verb: str = ADD
) -> dict[str, list[str]]:
    """Everything wrong with ``data`` as {field: [messages]} ("" — the whole agreement;
    "parties"; form fields by name). Reads only; the reach of each party and link is the
    person's (``selectors``)."""
    from . import selectors

    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in AgreementKind.values:
        add("kind", "Выберите вид соглашения.")
    if not (data.subject or "").strip():
        add("subject", "Укажите предмет соглашения.")
    elif len(data.subject) > MAX_TEXT:
        add("subject", f"Предмет длиннее {MAX_TEXT} знаков: сократите его.")
    if len(data.number or "") > 50:
        add("number", "Номер длиннее 50 знаков.")
    if data.valid_from is None:
        add("valid_from", "Укажите, с какого дня действует соглашение.")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        add("valid_to", "Срок действия заканчивается раньше, чем начинается.")

    parties = data.parties
    if len(parties) < MIN_PARTIES:
        add(
            "parties",
            "Соглашение заключают хотя бы две стороны: добавьте ещё одну организацию.",
        )
    if len(parties) > MAX_PARTIES:
        add("parties", f"Сторон больше {MAX_PARTIES}: разделите соглашение.")
    seen: set[int] = set()
    for party in parties:
        if party.organisation.pk in seen:
            add("parties", f"Организация «{party.organisation.short_name}» указана дважды.")
        seen.add(party.organisation.pk)
        if party.role not in PartyRole.values:
            add("parties", "Выберите роль каждой стороны.")
    if seen and acting_user is not SYSTEM:
        candidates = set(
            selectors.party_candidates(acting_user).filter(pk__in=seen).values_list("pk", flat=True)
        )
        existing = (
            set(agreement.parties.values_list("organisation_id", flat=True)) if agreement else set()
        )
        if seen - candidates - existing:
            add("parties", UNKNOWN_PARTY_MESSAGE)
        reach = scope_for(acting_user, verb)
        if not any(
            reach.contains(
                region_id=p.organisation.region_id,
                municipality_id=p.organisation.municipality_id,
                organisation_id=p.organisation.pk,
            )
            for p in parties
        ):
            add("parties", OUTSIDE_MESSAGE)
    if data.kind in AgreementKind.values and not errors.get("parties"):
        for message in _kind_errors(data.kind, parties):
            add("parties", message)

    if data.number and parties and not errors.get("number"):
        registrar = parties[0].organisation
        taken = Agreement.objects.filter(registrar=registrar, number=data.number.strip())
        if agreement is not None:
            taken = taken.exclude(pk=agreement.pk)
        if taken.exists():
            add(
                "number",
                f"Номер «{data.number.strip()}» уже есть среди соглашений «{registrar.short_name}» "
                "(первой стороны, которая ведёт их учёт): номера внутри организации не "
                "повторяются. Укажите другой номер.",
            )

    if acting_user is not SYSTEM:
        plan_ids = {plan.pk for plan in data.roadmaps}
        measure_ids = {m.pk for m in data.measures}
        linked_plans = set(agreement.roadmaps.values_list("pk", flat=True)) if agreement else set()
        linked_measures = (
            set(agreement.measures.values_list("pk", flat=True)) if agreement else set()
        )
        if plan_ids - linked_plans:
            seen_plans = set(
                Roadmap.objects.for_user(acting_user, "view")
                .filter(pk__in=plan_ids - linked_plans)
                .values_list("pk", flat=True)
            )
            if plan_ids - linked_plans - seen_plans:
                add("roadmaps", "Выберите планы из списка: остальные вам не видны.")
        if measure_ids - linked_measures:
            seen_measures = set(
                Measure.objects.for_user(acting_user, "view")
                .filter(pk__in=measure_ids - linked_measures)
                .values_list("pk", flat=True)
            )
            if measure_ids - linked_measures - seen_measures:
                add("measures", "Выберите мероприятия из списка: остальные вам не видны.")
    return errors


def _kind_errors(kind: str, parties: Sequence[PartyInput]) -> list[str]:
    """The rules of who may be party to each kind of agreement and in which role."""
    errors = []
    label = AgreementKind(kind).label
    allowed = KIND_ROLES[kind]
    for party in parties:
        org = party.organisation
        role = PartyRole(party.role)
        if party.role not in allowed:
            errors.append(f"В соглашении вида «{label}» нет роли «{role.label}».")
        elif party.role in SCHOOL_ROLES and not org.is_school:
            errors.append(
                f"Роль «{role.label}» бывает только у школы, а «{org.short_name}» — не школа."
            )
        elif party.role in CENTRE_ROLES and org.is_school:
            errors.append(
                f"Роль «{role.label}» бывает у центра или органа управления, а "
                f"«{org.short_name}» — школа."
            )
    if errors:
        return errors
    schools = [p for p in parties if p.organisation.is_school]
    others = [p for p in parties if not p.organisation.is_school]
    if kind == AgreementKind.SCHOOL_SCHOOL and others:
        errors.append(
            f"В соглашении «школа — школа» все стороны — школы, а "
            f"«{others[0].organisation.short_name}» — не школа."
        )
    elif kind == AgreementKind.CENTRE_CENTRE and schools:
        errors.append(
            f"В соглашении «центр — центр» стороны — методические центры и органы управления, "
            f"а «{schools[0].organisation.short_name}» — школа."
        )
    elif kind == AgreementKind.CENTRE_SCHOOL and not (schools and others):
        errors.append("В соглашении «центр — школа» нужны и центр, и хотя бы одна школа.")
    elif kind == AgreementKind.UNIVERSITY and not any(
        p.organisation.kind == OrganisationKind.OTHER for p in parties
    ):
        errors.append(
            "Соглашение с вузом или колледжем: среди сторон нужен вуз или колледж (организация "
            "вида «Другая организация» в справочнике)."
        )
    elif kind == AgreementKind.THREE_PARTY:
        roles = sorted(p.role for p in parties)
        if roles != sorted(
            [PartyRole.LEADER_SCHOOL, PartyRole.SUPPORTED, PartyRole.CURATOR_CENTRE]
        ):
            errors.append(
                "Трёхстороннее соглашение: ровно три стороны — школа-лидер, поддерживаемая школа "
                "и курирующий центр."
            )
    return errors


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError({name or "__all__": messages for name, messages in errors.items()})


def check_scan(upload):
    """The signed scan, checked by its bytes with the rules of execution evidence (size,
    type, zip bombs, macros): a PDF, a picture or a text document."""
    from execution.evidence import EvidenceError, check_upload

    try:
        checked = check_upload(upload)
    except EvidenceError as error:
        raise ValidationError({"scan": [error.message]}) from None
    if checked.content_type not in SCAN_CONTENT_TYPES:
        raise ValidationError(
            {
                "scan": [
                    f"Скан соглашения — это {SCAN_LABEL}, а «{checked.original_name}» по "
                    "содержимому — таблица. Приложите скан подписанного документа."
                ]
            }
        )
    return checked


def _check_signing(signed_on: datetime.date | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if signed_on is None:
        errors["signed_on"] = ["Укажите дату подписания."]
    elif signed_on > _today():
        errors["signed_on"] = ["Дата подписания не может быть позже сегодняшнего дня."]
    return errors


# --- Writing ----------------------------------------------------------------------------------


def _person(user):
    return None if user is SYSTEM or not getattr(user, "pk", None) else user


def _event(agreement, kind, acting_user, *, day=None, comment="") -> AgreementEvent:
    return AgreementEvent.objects.create(
        agreement=agreement,
        kind=kind,
        actor=_person(acting_user),
        at=timezone.now(),
        day=day,
        comment=comment[:MAX_TEXT],
    )


def _write_parties(agreement: Agreement, parties: Sequence[PartyInput]) -> None:
    """The parties as given, in order: rows kept by organisation (their history goes on),
    the others added or removed."""
    existing = {
        p.organisation_id: p for p in AgreementParty._base_manager.filter(agreement=agreement)
    }
    wanted = {party.organisation.pk for party in parties}
    for organisation_id, row in existing.items():
        if organisation_id not in wanted:
            row.delete()
    for order, party in enumerate(parties):
        row = existing.get(party.organisation.pk) or AgreementParty(
            agreement=agreement, organisation=party.organisation
        )
        changed = (
            row.pk is None
            or row.role != party.role
            or row.signatory_name != party.signatory_name
            or row.signatory_position != party.signatory_position
            or row.order != order
        )
        if changed:
            row.role = party.role
            row.signatory_name = (party.signatory_name or "").strip()[:200]
            row.signatory_position = (party.signatory_position or "").strip()[:300]
            row.order = order
            row.full_clean(exclude=["agreement"])
            row.save()


def _fill(agreement: Agreement, data: AgreementInput) -> None:
    agreement.kind = data.kind
    agreement.number = (data.number or "").strip()
    agreement.subject = data.subject.strip()
    agreement.support_form = (data.support_form or "").strip()
    agreement.valid_from = data.valid_from
    agreement.valid_to = data.valid_to
    agreement.registrar = data.parties[0].organisation


def _store_scan(agreement: Agreement, upload, checked, stored: list[str]) -> str:
    """Save the checked scan under a fresh random name (the previous file's name is
    returned, to be removed once the change is committed)."""
    previous = agreement.scan.name if agreement.scan else ""
    upload.seek(0)
    agreement.scan.save(f"{uuid.uuid4().hex}.{checked.extension}", upload, save=False)
    stored.append(agreement.scan.name)
    agreement.scan_name = checked.original_name
    agreement.scan_content_type = checked.content_type
    agreement.scan_size = checked.size
    agreement.scan_sha256 = checked.sha256
    return previous


def _forget_files(names: list[str]) -> None:
    from .models import private_storage

    storage = private_storage()
    for name in names:
        storage.delete(name)


def _forget_after_commit(name: str) -> None:
    if name:
        from .models import private_storage

        transaction.on_commit(lambda: private_storage().delete(name))


def agreement_url(agreement: Agreement) -> str:
    return settings.SITE_URL + reverse("agreement_detail", kwargs={"pk": agreement.pk})


def _complete_records(agreement: Agreement, acting_user) -> int:
    """A signed agreement completes its parties' records of the measures it fulfils."""
    if agreement.status != AgreementStatus.SIGNED:
        return 0
    from execution.services import records_complete_by_agreement

    measures = list(agreement.measures.values_list("pk", flat=True))
    parties = list(
        AgreementParty._base_manager.filter(agreement=agreement)
        .select_related("organisation")
        .order_by("order")
    )
    if not measures or not parties:
        return 0
    names = ", ".join(p.organisation.short_name for p in parties)
    note = (
        f"Подписано соглашение {'№ ' + agreement.number if agreement.number else 'без номера'} "
        f"от {agreement.signed_on:%d.%m.%Y} ({agreement.get_kind_display().lower()}; стороны: "
        f"{names}). Отмечено автоматически при подписании."
    )
    changed = records_complete_by_agreement(
        pairs=[(m, p.organisation_id) for m in measures for p in parties],
        done_on=agreement.signed_on,
        note=note,
        url=agreement_url(agreement),
        signed_by=_person(acting_user),
    )
    return len(changed)


def _save(agreement: Agreement, acting_user, **kwargs) -> None:
    agreement._history_user = _person(acting_user)
    agreement.full_clean(exclude=["scan", "roadmaps", "measures"])
    agreement.save(**kwargs)


def _lock(agreement: Agreement, acting_user, verb: str) -> Agreement:
    """The agreement, locked, if the person may ``verb`` it (a clean refusal before any
    write; the re-check after the write decides)."""
    if acting_user is not SYSTEM and not (
        Agreement.objects.for_user(acting_user, verb).filter(pk=agreement.pk).exists()
    ):
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _version_check(agreement: Agreement, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != agreement.version:
        raise ValidationError(STALE_MESSAGE)


@transaction.atomic(durable=True)
def agreement_create(
    *,
    acting_user,
    data: AgreementInput,
    signed_on: datetime.date | None = None,
    scan=None,
) -> Agreement:
    """Record an agreement: a draft, or — with ``signed_on`` — signed (with its scan, if
    given), which completes the parties' records of the measures it fulfils."""
    if acting_user is not SYSTEM and scope_for(acting_user, ADD).is_empty:
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    errors = _check(acting_user, data)
    checked = None
    if signed_on is not None:
        errors.update(_check_signing(signed_on))
    if scan:
        try:
            checked = check_scan(scan)
        except ValidationError as error:
            errors.update(error.message_dict)
    _raise(errors)
    agreement = Agreement(created_by=_person(acting_user))
    _fill(agreement, data)
    now = timezone.now()
    agreement.status_changed_at = now
    stored: list[str] = []
    try:
        if checked is not None:
            _store_scan(agreement, scan, checked, stored)
        if signed_on is not None:
            agreement.status = AgreementStatus.SIGNED
            agreement.signed_on = signed_on
        _save(agreement, acting_user)
        _write_parties(agreement, data.parties)
        agreement.roadmaps.set(data.roadmaps)
        agreement.measures.set(data.measures)
        _event(agreement, EventKind.CREATED, acting_user)
        if signed_on is not None:
            _event(agreement, EventKind.SIGNED, acting_user, day=signed_on)
        if checked is not None:
            _event(agreement, EventKind.SCAN, acting_user, comment=checked.original_name)
        _complete_records(agreement, acting_user)
        recheck(acting_user, "add", agreement)
    except BaseException:
        _forget_files(stored)
        raise
    return agreement


@transaction.atomic(durable=True)
def agreement_update(
    *,
    agreement: Agreement,
    acting_user,
    data: AgreementInput,
    expected_version: int | None = None,
) -> Agreement:
    """Change an agreement in force or a draft: its data, parties and links. A signed
    agreement that now fulfils more measures (or has more parties) completes those
    records too."""
    agreement = _lock(agreement, acting_user, CHANGE)
    _version_check(agreement, expected_version)
    if not agreement.is_editable:
        raise ValidationError(NOT_EDITABLE_MESSAGE.format(status=agreement.get_status_display()))
    _raise(_check(acting_user, data, agreement=agreement, verb=CHANGE))
    _fill(agreement, data)
    agreement.version += 1
    _save(agreement, acting_user)
    _write_parties(agreement, data.parties)
    agreement.roadmaps.set(data.roadmaps)
    agreement.measures.set(data.measures)
    _event(agreement, EventKind.CHANGED, acting_user)
    _complete_records(agreement, acting_user)
    recheck(acting_user, CHANGE, agreement)
    return agreement


@transaction.atomic(durable=True)
def agreement_sign(
    *,
    agreement: Agreement,
    acting_user,
    signed_on: datetime.date,
    scan=None,
    expected_version: int | None = None,
) -> Agreement:
    """«Подписано»: a draft becomes an agreement in force on ``signed_on`` (with its scan,
    if given); the parties' records of the measures it fulfils are completed with it."""
    checked = check_scan(scan) if scan else None
    agreement = _lock(agreement, acting_user, CHANGE)
    _version_check(agreement, expected_version)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(
            f"Соглашение уже «{agreement.get_status_display()}»: подписать можно только черновик."
        )
    _raise(_check_signing(signed_on))
    stored: list[str] = []
    try:
        previous = _store_scan(agreement, scan, checked, stored) if checked else ""
        agreement.status = AgreementStatus.SIGNED
        agreement.signed_on = signed_on
        agreement.status_changed_at = timezone.now()
        agreement.version += 1
        _save(agreement, acting_user)
        _event(agreement, EventKind.SIGNED, acting_user, day=signed_on)
        if checked is not None:
            _event(agreement, EventKind.SCAN, acting_user, comment=checked.original_name)
        _complete_records(agreement, acting_user)
        recheck(acting_user, CHANGE, agreement)
    except BaseException:
        _forget_files(stored)
        raise
    _forget_after_commit(previous)
    return agreement


@transaction.atomic(durable=True)
def agreement_attach_scan(*, agreement: Agreement, acting_user, scan) -> Agreement:
    """Attach (or replace) the signed scan; the previous file leaves the storage once the
    change is committed (history keeps who attached what)."""
    checked = check_scan(scan)
    agreement = _lock(agreement, acting_user, CHANGE)
    stored: list[str] = []
    try:
        previous = _store_scan(agreement, scan, checked, stored)
        agreement.version += 1
        _save(agreement, acting_user)
        _event(agreement, EventKind.SCAN, acting_user, comment=checked.original_name)
        recheck(acting_user, CHANGE, agreement)
    except BaseException:
        _forget_files(stored)
        raise
    _forget_after_commit(previous)
    return agreement


@transaction.atomic(durable=True)
def agreement_terminate(
    *, agreement: Agreement, acting_user, terminated_on: datetime.date, reason: str
) -> Agreement:
    """«Расторгнуто» from ``terminated_on`` with its reason. The marks it made stay: the
    measure was done when it was signed."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = ["Укажите основание расторжения (соглашение сторон, приказ…)."]
    elif len(reason) > MAX_TEXT:
        errors["reason"] = [f"Основание длиннее {MAX_TEXT} знаков."]
    if terminated_on is None:
        errors["terminated_on"] = ["Укажите дату расторжения."]
    agreement = _lock(agreement, acting_user, CHANGE)
    if agreement.status != AgreementStatus.SIGNED:
        raise ValidationError(
            f"Расторгнуть можно только действующее соглашение, а это — "
            f"«{agreement.get_status_display()}»."
        )
    if terminated_on and agreement.signed_on and terminated_on < agreement.signed_on:
        errors["terminated_on"] = ["Дата расторжения раньше даты подписания."]
    _raise(errors)
    agreement.status = AgreementStatus.TERMINATED
    agreement.terminated_on = terminated_on
    agreement.termination_reason = reason
    agreement.status_changed_at = timezone.now()
    agreement.version += 1
    _save(agreement, acting_user)
    _event(agreement, EventKind.TERMINATED, acting_user, day=terminated_on, comment=reason)
    recheck(acting_user, CHANGE, agreement)
    return agreement


@transaction.atomic(durable=True)
def agreement_delete(*, agreement: Agreement, acting_user) -> None:
    """Delete a draft entered by mistake (a signed agreement is terminated, never deleted)."""
    if not Agreement.objects.for_user(acting_user, DELETE).filter(pk=agreement.pk).exists():
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError("Удалить можно только черновик; действующее соглашение расторгают.")
    name = agreement.scan.name if agreement.scan else ""
    agreement._history_user = _person(acting_user)
    agreement.delete()
    _forget_after_commit(name)


@transaction.atomic
def agreements_expire(*, today: datetime.date | None = None, acting_user=SYSTEM) -> int:
    """Agreements in force whose validity ended before ``today`` become «Истёк срок» (the
    daily task; the seed). Returns how many."""
    today = today or _today()
    ended = list(
        Agreement.objects.select_for_update()
        .filter(status=AgreementStatus.SIGNED, valid_to__lt=today)
        .order_by("pk")
    )
    now = timezone.now()
    for agreement in ended:
        agreement.status = AgreementStatus.EXPIRED
        agreement.status_changed_at = now
        agreement.version += 1
        agreement._history_user = None
        agreement._change_reason = "Истёк срок действия"
        agreement.save(update_fields=["status", "status_changed_at", "version", "updated_at"])
        _event(
            agreement,
            EventKind.EXPIRED,
            SYSTEM,
            day=agreement.valid_to + datetime.timedelta(days=1),
        )
    recheck(acting_user, CHANGE, *ended)
    return len(ended)


# --- Import -----------------------------------------------------------------------------------


@dataclass
class ImportItem:
    """One agreement of an imported list, with the rows of the file it comes from."""

    data: AgreementInput
    lines: list[int]
    signed_on: datetime.date | None = None


class ImportRefused(ValidationError):
    """The list is refused as a whole: ``rows`` maps a line of the file to its messages."""

    def __init__(self, rows: dict[int, list[str]]):
        self.rows = rows
        super().__init__(
            [
                f"Строка {line}: {message}"
                for line, messages in sorted(rows.items())
                for message in messages
            ]
        )


def import_errors(acting_user, items: Sequence[ImportItem]) -> dict[int, list[str]]:
    """What is wrong with each line of an imported list (nothing written)."""
    rows: dict[int, list[str]] = {}
    numbers: dict[tuple[int, str], int] = {}
    for item in items:
        errors = _check(acting_user, item.data, verb=IMPORT)
        if item.signed_on is not None:
            for name, messages in _check_signing(item.signed_on).items():
                errors.setdefault(name, []).extend(messages)
        if item.data.number and item.data.parties:
            key = (item.data.parties[0].organisation.pk, item.data.number.strip())
            if key in numbers:
                errors.setdefault("number", []).append(
                    f"номер «{key[1]}» повторяет строку {numbers[key]}"
                )
            numbers.setdefault(key, item.lines[0])
        for messages in errors.values():
            for line in item.lines:
                rows.setdefault(line, []).extend(messages)
    return rows


@transaction.atomic(durable=True)
def agreements_import(*, acting_user, items: Sequence[ImportItem]) -> list[Agreement]:
    """Record the agreements of an imported list: all of them, or — when any line is
    wrong — none (``ImportRefused`` with the messages per line). Every agreement must
    stay within the person's reach (re-checked for the whole batch before commit)."""
    if acting_user is not SYSTEM and scope_for(acting_user, IMPORT).is_empty:
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    if not items:
        raise ValidationError("В списке нет ни одной строки с соглашением.")
    rows = import_errors(acting_user, items)
    if rows:
        raise ImportRefused(rows)
    created = []
    now = timezone.now()
    for item in items:
        agreement = Agreement(created_by=_person(acting_user), status_changed_at=now)
        _fill(agreement, item.data)
        if item.signed_on is not None:
            agreement.status = AgreementStatus.SIGNED
            agreement.signed_on = item.signed_on
        _save(agreement, acting_user)
        _write_parties(agreement, item.data.parties)
        agreement.roadmaps.set(item.data.roadmaps)
        agreement.measures.set(item.data.measures)
        lines = ", ".join(map(str, item.lines))
        _event(agreement, EventKind.IMPORTED, acting_user, comment=f"Строки списка: {lines}")
        if item.signed_on is not None:
            _event(agreement, EventKind.SIGNED, acting_user, day=item.signed_on)
        _complete_records(agreement, acting_user)
        created.append(agreement)
    recheck(acting_user, IMPORT, *created)
    return created


# --- The PDF of the list ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def network_pdf_request(
    *, acting_user, municipality=None, roadmap=None, include_all: bool = False
) -> NetworkExport:
    """A job that renders «Список сетевого партнерства» with its graph as a PDF on the
    "pdf" queue (``partnerships.tasks.build_network_pdf``), of what the person sees."""
    if (municipality is None) == (roadmap is None):
        raise ValueError("network_pdf_request(): give a municipality or a plan.")
    if scope_for(acting_user, VIEW).is_empty:
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    where = f"{municipality.name}" if municipality else f"план «{roadmap.title[:200]}»"
    job = NetworkExport(
        municipality=municipality,
        roadmap=roadmap,
        include_all=include_all,
        title=f"Список сетевого партнёрства: {where}"[:300],
        created_by=_person(acting_user),
    )
    job.full_clean()
    job.save()
    from .tasks import build_network_pdf

    enqueue(build_network_pdf, job)
    recheck(acting_user, "view", job)
    return job
