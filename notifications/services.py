"""Every write of the notifications app.

* ``notify`` — the public door for other apps: an event told to people in-app at once and
  in their next digest.
* ``reminders_run`` — the daily job (the hourly beat task and ``manage.py send_reminders``
  run this same code): compute, claim, write, send after commit.
* ``digest_send`` — one digest's e-mail, exactly once.
* A person's own writes: marking notifications read, preferences, unsubscribing, the
  calendar link; a coordinator's: the municipality's reminder settings.

Exactly once
============

1. **Claim.** A person's digest of a day is a ``Digest`` row, unique on (person, day). A
   run inserts the rows of a batch of people with ``ON CONFLICT DO NOTHING`` and reads
   back the rows carrying its own run id: those are its claims; a person whose row
   another run (a second beat, a parallel ``send_reminders``) inserted first is skipped
   (``skipped_already_sent``). The person's notifications are written in the same
   transaction, so a claim never exists without its lines, nor lines without their claim.
2. **Send after commit.** The e-mail leaves only once the claim is committed
   (``transaction.on_commit``): through the ``send_digest`` task (the beat), or in the
   process (``send_reminders``).
3. **Send once.** ``digest_send`` locks the row (``SELECT … FOR UPDATE SKIP LOCKED``: a
   second sender of the same digest skips it), sends only a digest still «claimed», and
   marks it sent in the same transaction. A mail server failure is recorded (attempts,
   error, the time of the next attempt) and retried with a doubling pause; after
   ``MAX_SEND_ATTEMPTS`` the digest is «failed» (logged; an operator may send it again).
4. **Never lost.** A digest claimed but not sent — the worker was killed between the
   send and the commit, the task never reached the broker — is still «claimed»; every run
   sends such digests again once their time has come (``resend_due``). The message is the
   same (its Message-ID and Date come from the digest), so the mail server or
   ``MAIL_BACKEND=file`` sees one message. A person whose digest hour passed while no
   worker ran gets it at the next run, reporting every day missed (``covers_from``).
"""

from __future__ import annotations

import datetime
import logging
import secrets
import smtplib
import uuid
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.text import clean_text
from schools.access import SYSTEM, recheck

from . import planner, reminders
from .constants import (
    EVENT_KINDS,
    MAX_SEND_ATTEMPTS,
    RETRY_BASE_SECONDS,
    RETRY_MAX_SECONDS,
    DigestState,
    Kind,
)
from .mail import digest_message
from .models import Digest, Notification, NotificationPreference, ReminderSettings

logger = logging.getLogger(__name__)

BATCH = 500
MAX_TEXT = 2000
DAY = datetime.timedelta(days=1)
# What a mail server (or the network to it) raises when a letter cannot be handed over.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


# --- Events: the public door ----------------------------------------------------------------


def notify(*, recipients: Iterable, kind: str, text: str, url: str, roadmap=None, record=None):
    """Tell people about an event now (in-app: the bell) and in their next digest.

    The stable API for other apps (the approval workflow calls it for «план на
    согласовании», «согласовано», «возвращено», «утверждено»):

    * ``recipients`` — users (or their ids); inactive and repeated ones are dropped;
    * ``kind`` — one of ``constants.EVENT_KINDS`` (``Kind.APPROVAL``, ``Kind.MESSAGE``); a
      person who switched the kind off is not told;
    * ``text`` — one Russian sentence, shown as it is (cleaned, at most 2000 characters);
    * ``url`` — the path of the page where the person acts, on this site (``/roadmaps/5/``;
      never another site);
    * ``roadmap`` / ``record`` — what it is about: the digest groups lines by plan, and a
      person who cannot see that plan or record is not told (logged) — an event never
      leaks a plan's title.

    Writes inside the caller's transaction (rolled back with it) and returns the
    notifications created. Raises ``ValueError`` for a kind, text or url that a caller
    should never send."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"notify(): kind {kind!r} is not an event kind {EVENT_KINDS}.")
    text = " ".join(clean_text(text or "").split())
    if not text or len(text) > MAX_TEXT:
        raise ValueError(f"notify(): text must be 1–{MAX_TEXT} characters.")
    if (
        not isinstance(url, str)
        or not url.startswith("/")
        or len(url) > 500
        or not url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    ):
        raise ValueError("notify(): url must be a path of this site, such as /roadmaps/5/.")
    if record is not None and roadmap is None:
        roadmap = record.measure.roadmap
    people = _people(recipients)
    if not people:
        return []
    muted = _muted(people, kind)
    told = []
    for person in people:
        if person.pk in muted:
            continue
        if not _may_see(person, roadmap, record):
            logger.warning(
                "notify(%s): %s cannot see %s, not told", kind, person.pk, record or roadmap
            )
            continue
        told.append(person)
    now = timezone.now()
    with transaction.atomic():
        return Notification.objects.bulk_create(
            Notification(
                person=person,
                kind=kind,
                text=text,
                url=url,
                roadmap=roadmap,
                record=record,
                plan_title=roadmap.title[:1000] if roadmap is not None else "",
                created_at=now,
            )
            for person in told
        )


def plan_event_told(sender, *, event, recipients, text: str, url: str, **kwargs) -> None:
    """``roadmaps.signals.plan_event`` (a step of a plan's life: sent for agreement, agreed,
    returned, approved…): told to the people who act next, in the step's transaction."""
    notify(recipients=recipients, kind=Kind.APPROVAL, text=text, url=url, roadmap=event.roadmap)


def _people(recipients: Iterable) -> list:
    User = get_user_model()
    objects, ids = [], []
    for item in recipients:
        if isinstance(item, User):
            objects.append(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            ids.append(item)
        else:
            raise ValueError(f"notify(): recipient {item!r} is neither a user nor an id.")
    if ids:
        objects.extend(User.objects.filter(pk__in=ids))
    unique = {}
    for person in objects:
        if person.pk is not None and person.is_active:
            unique.setdefault(person.pk, person)
    return list(unique.values())


def _muted(people: list, kind: str) -> set[int]:
    return {
        person_id
        for person_id, muted in NotificationPreference.objects.filter(
            person__in=people
        ).values_list("person_id", "muted_kinds")
        if kind in (muted or ())
    }


def _may_see(person, roadmap, record) -> bool:
    from execution.models import ExecutionRecord
    from roadmaps.models import Roadmap

    if record is not None:
        return ExecutionRecord.objects.for_user(person, "view").filter(pk=record.pk).exists()
    if roadmap is not None:
        return Roadmap.objects.for_user(person, "view").filter(pk=roadmap.pk).exists()
    return True


# --- The daily job ----------------------------------------------------------------------------


@dataclass
class RunResult:
    """What a run did (``send_reminders`` prints it as JSON). ``digests_sent``: e-mails sent
    (in the process) or handed to the mail queue (the beat); ``skipped_already_sent``:
    people who already have the day's digest with something in it (another run, an earlier
    one); ``escalations``: records escalated; ``notifications``: lines written."""

    date: str | list[str] = ""
    digests_sent: int = 0
    notifications: int = 0
    skipped_already_sent: int = 0
    escalations: int = 0
    persons: int = 0
    empty: int = 0
    no_email: int = 0
    muted: int = 0
    failed: int = 0
    resent: int = 0
    dry_run: bool = False
    no_email_people: list[int] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("no_email_people")
        return data


Deliver = Callable[[list[int], RunResult], None]


def reminders_run(
    *,
    now: datetime.datetime | None = None,
    day: datetime.date | None = None,
    inline: bool = False,
    dry_run: bool = False,
    resend_after: datetime.timedelta | None = None,
    deliver: Deliver | None = None,
    regions: Iterable[int] | None = None,
    resend: bool = True,
) -> RunResult:
    """The daily job. Without ``day`` (the hourly beat): every region's own local day, to
    the people whose digest hour has come there. With ``day`` (``send_reminders
    --date``): that day for everybody whose region has reached it, whatever the hour.

    ``inline``: send the e-mails in this process after each batch commits (no broker);
    else through ``send_digest``; ``deliver(ids, result)`` replaces both (the benchmark
    collects the ids). ``dry_run``: everything is computed and written in a transaction
    that is rolled back; nothing is sent. Digests claimed earlier and not sent for
    ``resend_after`` (default ``DIGEST_RESEND_AFTER``) are sent again (unless ``resend`` is
    false). ``regions``: only the people of these regions (the benchmark, which shares the
    database with real people)."""
    now = now or timezone.now()
    world = reminders.load_world()
    groups: dict[datetime.date, dict[int, int | None]] = {}
    chosen = set(world.regions) if regions is None else set(regions) & set(world.regions)
    for region_id in sorted(chosen):
        local = reminders.local_now(world, region_id, now)
        if day is None:
            groups.setdefault(local.date(), {})[region_id] = local.hour
        elif local.date() >= day:
            groups.setdefault(day, {})[region_id] = None
    dates = sorted(groups) if day is None else [day]
    result = RunResult(
        date=dates[0].isoformat() if len(dates) == 1 else [d.isoformat() for d in dates],
        dry_run=dry_run,
    )
    deliver = deliver or (_send_now if inline else _enqueue)
    run_id = uuid.uuid4()
    with transaction.atomic() if dry_run else nullcontext():
        for digest_day in sorted(groups):
            _run_day(world, digest_day, groups[digest_day], now, run_id, result, deliver)
        if resend:
            grace = settings.DIGEST_RESEND_AFTER if resend_after is None else resend_after
            result.resent = resend_due(
                now=now - grace,
                exclude_run=run_id,
                deliver=None if dry_run else deliver,
                result=result,
            )
        if dry_run:
            transaction.set_rollback(True)
    if result.no_email_people:
        logger.warning(
            "Reminders %s: %d people with something to tell have no e-mail address (told "
            "in-app only): %s",
            result.date,
            result.no_email,
            ", ".join(map(str, result.no_email_people[:20])),
        )
    logger.info("Reminders run: %s", result.as_dict())
    return result


def _run_day(world, day, hours, now, run_id, result: RunResult, deliver: Deliver) -> None:
    previous = reminders.previous_digests(day)
    candidates: dict[int, planner.Recipient] = {}
    for person in world.people.values():
        if person.region not in hours:
            continue
        hour = hours[person.region]
        if hour is not None and person.hour > hour:
            continue
        before = previous.get(person.pk)
        if before is not None and before.has_day:
            result.skipped_already_sent += int(before.told)
            continue
        candidates[person.pk] = planner.Recipient(
            person.pk,
            reminders.since_of(day, before),
            reminders.region_zone(world, person.region),
            person.kinds,
        )
    result.persons += len(candidates)
    if not candidates:
        return
    facts = reminders.day_facts(world, day, min(r.since for r in candidates.values()))
    plan = planner.plan_day(
        day,
        candidates,
        world.audience,
        world.organisations,
        world.rules,
        unmarked=facts.unmarked,
        returned=facts.returned,
        waiting=facts.waiting,
        waiting_counts=facts.waiting_counts,
        notices=facts.notices,
    )
    ordered = sorted(candidates)
    for start in range(0, len(ordered), BATCH):
        _claim_batch(
            world,
            day,
            ordered[start : start + BATCH],
            candidates,
            plan,
            facts.events,
            now,
            run_id,
            result,
            deliver,
        )


def _state_of(person, has_something: bool) -> str:
    if not has_something:
        return DigestState.EMPTY
    if not person.email_enabled:
        return DigestState.MUTED
    if not person.email:
        return DigestState.NO_EMAIL
    return DigestState.CLAIMED


def _url(item: planner.Item) -> str:
    if item.target == "url":
        return item.url
    if item.target == "queue":
        return reverse("review_queue")
    return reverse("record_detail", kwargs={"pk": item.record})


def _claim_batch(
    world, day, batch, candidates, plan, events, now, run_id, result: RunResult, deliver
) -> None:
    """Claim the digests of a batch of people, write their lines, send after commit."""
    states = {}
    rows = []
    for pk in batch:
        items = plan.items.get(pk, [])
        person_events = events.get(pk, [])
        state = _state_of(world.people[pk], bool(items or person_events))
        states[pk] = state
        rows.append(
            Digest(
                person_id=pk,
                day=day,
                covers_from=candidates[pk].since + DAY,
                state=state,
                run=run_id,
                items=len(items) + len(person_events),
                next_try_at=now if state == DigestState.CLAIMED else None,
            )
        )
    with transaction.atomic():
        Digest.objects.bulk_create(rows, ignore_conflicts=True)
        claimed = dict(
            Digest.objects.filter(run=run_id, day=day, person_id__in=batch).values_list(
                "person_id", "pk"
            )
        )
        notes = []
        escalated = set()
        attach = []
        for pk in batch:
            if pk not in claimed:
                # Another run claimed this person's day first.
                result.skipped_already_sent += int(states[pk] != DigestState.EMPTY)
                continue
            for item in plan.items.get(pk, []):
                notes.append(
                    Notification(
                        person_id=pk,
                        kind=item.kind,
                        text=item.text,
                        url=_url(item),
                        roadmap_id=item.roadmap,
                        record_id=item.record,
                        plan_title=item.plan_title[:1000],
                        created_at=now,
                        digest_id=claimed[pk],
                    )
                )
                if item.kind == planner.ESCALATION:
                    escalated.add(item.record)
            attach.extend(events.get(pk, []))
        Notification.objects.bulk_create(notes, batch_size=1000)
        if attach:
            _attach_events(attach, day, run_id, batch)
        to_send = [
            claimed[pk] for pk in batch if pk in claimed and states[pk] == DigestState.CLAIMED
        ]
        transaction.on_commit(lambda: deliver(to_send, result))
    result.notifications += len(notes)
    result.escalations += len(escalated)
    for pk in batch:
        if pk not in claimed:
            continue
        state = states[pk]
        if state == DigestState.EMPTY:
            result.empty += 1
        elif state == DigestState.MUTED:
            result.muted += 1
        elif state == DigestState.NO_EMAIL:
            result.no_email += 1
            result.no_email_people.append(pk)
    if deliver is not _send_now or result.dry_run:
        result.digests_sent += len(to_send)  # handed over (the in-process sender counts its own)


def _attach_events(event_ids: list[int], day, run_id, people: list[int]) -> None:
    """The events waiting for a digest join the digests just claimed (one UPDATE); the
    digests' counts are taken again, and one whose events another digest took first is
    left with nothing to send (never an empty e-mail)."""
    own_digest = Digest.objects.filter(person_id=OuterRef("person_id"), day=day, run=run_id)
    Notification.objects.filter(pk__in=event_ids, digest__isnull=True).update(
        digest_id=Subquery(own_digest.values("pk")[:1])
    )
    counts = (
        Notification.objects.filter(digest=OuterRef("pk"))
        .order_by()
        .values("digest")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mine = Digest.objects.filter(run=run_id, day=day, person_id__in=people)
    mine.update(items=Coalesce(Subquery(counts), Value(0)))
    mine.filter(items=0).exclude(state=DigestState.EMPTY).update(
        state=DigestState.EMPTY, next_try_at=None
    )


def _enqueue(ids: list[int], result: RunResult) -> None:
    from .tasks import send_digest

    for pk in ids:
        try:
            send_digest.apply_async(args=[pk])
        except Exception:
            # The claim is committed: the next run sends it (resend_due).
            logger.exception("Could not queue the e-mail of digest %s", pk)


def _send_now(ids: list[int], result: RunResult) -> None:
    for pk in ids:
        outcome = digest_send(pk)
        if outcome.state == DigestState.SENT and outcome.sent_now:
            result.digests_sent += 1
        elif outcome.retry_in is not None or outcome.state == DigestState.FAILED:
            result.failed += 1


def resend_due(
    *, now: datetime.datetime, exclude_run=None, deliver: Deliver | None, result: RunResult
) -> int:
    """Send again the digests claimed and still not sent whose next attempt was due by
    ``now``; returns how many (with ``deliver`` None, only counts them)."""
    due = Digest.objects.filter(state=DigestState.CLAIMED, next_try_at__lte=now)
    if exclude_run is not None:
        due = due.exclude(run=exclude_run)
    ids = list(due.order_by("next_try_at", "pk").values_list("pk", flat=True)[:10000])
    if ids and deliver is not None:
        deliver(ids, result)
    return len(ids)


# --- One digest's e-mail ----------------------------------------------------------------------


@dataclass(frozen=True)
class SendOutcome:
    state: str | None  # the digest's state afterwards (None: not found or being sent)
    sent_now: bool = False
    retry_in: int | None = None  # seconds until the next attempt


def retry_pause(attempts: int) -> int:
    """Seconds before attempt ``attempts + 1``: 1, 2, 4 … minutes, at most an hour (below
    the broker's visibility timeout)."""
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def digest_send(digest_id: int) -> SendOutcome:
    """Send one digest's e-mail, exactly once. Idempotent: a digest sent, failed or empty
    is left alone; one being sent by another worker (locked) is skipped."""
    with transaction.atomic():
        digest = (
            Digest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("person")
            .filter(pk=digest_id)
            .first()
        )
        if digest is None:
            return SendOutcome(None)
        if digest.state != DigestState.CLAIMED:
            return SendOutcome(digest.state)
        person = digest.person
        notifications = list(digest.notifications.order_by("created_at", "pk"))
        now = timezone.now()
        fields = ["state", "attempts", "last_error", "next_try_at", "sent_at"]
        if not notifications:
            digest.state, digest.next_try_at = DigestState.EMPTY, None
            digest.save(update_fields=fields)
            return SendOutcome(digest.state)
        if not person.is_active or not (person.email or "").strip():
            digest.state, digest.next_try_at = DigestState.NO_EMAIL, None
            digest.save(update_fields=fields)
            logger.warning("Digest %s: %s has no e-mail address, not sent", digest.pk, person.pk)
            return SendOutcome(digest.state)
        digest.attempts += 1
        try:
            message = digest_message(digest, notifications)
        except Exception as error:
            logger.exception("Digest %s: the e-mail could not be made", digest.pk)
            digest.state, digest.next_try_at = DigestState.FAILED, None
            digest.last_error = f"{type(error).__name__}: {error}"[:2000]
            digest.save(update_fields=fields)
            return SendOutcome(digest.state)
        try:
            mailers.default.send_messages([message])
        except MAIL_ERRORS as error:
            digest.last_error = f"{type(error).__name__}: {error}"[:2000]
            if digest.attempts >= MAX_SEND_ATTEMPTS:
                digest.state, digest.next_try_at = DigestState.FAILED, None
                digest.save(update_fields=fields)
                logger.error(
                    "Digest %s: not sent after %d attempts: %s",
                    digest.pk,
                    digest.attempts,
                    digest.last_error,
                )
                return SendOutcome(digest.state)
            pause = retry_pause(digest.attempts)
            digest.next_try_at = now + datetime.timedelta(seconds=pause)
            digest.save(update_fields=fields)
            logger.warning(
                "Digest %s: attempt %d failed (%s), next in %d s",
                digest.pk,
                digest.attempts,
                digest.last_error,
                pause,
            )
            return SendOutcome(digest.state, retry_in=pause)
        digest.state, digest.sent_at, digest.next_try_at = DigestState.SENT, now, None
        digest.save(update_fields=fields)
    return SendOutcome(DigestState.SENT, sent_now=True)


def digest_resend(*, digest: Digest, acting_user) -> Digest:
    """An operator sends a failed digest again (the admin): back to «claimed», counting
    attempts anew; the hourly run (or the task queued now) sends it."""
    from .tasks import send_digest

    if digest.state != DigestState.FAILED:
        raise ValidationError(
            "Отправить ещё раз можно только сводку, которую не удалось отправить."
        )
    with transaction.atomic():
        updated = Digest.objects.filter(pk=digest.pk, state=DigestState.FAILED).update(
            state=DigestState.CLAIMED, attempts=0, next_try_at=timezone.now()
        )
        if updated:
            transaction.on_commit(lambda: send_digest.apply_async(args=[digest.pk]))
    digest.refresh_from_db()
    return digest


def notifications_cleanup(*, now: datetime.datetime | None = None) -> dict:
    """Housekeeping: read notifications older than ``NOTIFICATION_RETENTION`` go, unread
    ones and finished digests after twice that."""
    now = now or timezone.now()
    keep = settings.NOTIFICATION_RETENTION
    read, _ = Notification.objects.filter(read_at__lt=now - keep).delete()
    old, _ = Notification.objects.filter(created_at__lt=now - 2 * keep).delete()
    digests, _ = (
        Digest.objects.filter(created_at__lt=now - 2 * keep)
        .exclude(state=DigestState.CLAIMED)
        .delete()
    )
    return {"read": read, "old": old, "digests": digests}


# --- A person's own writes --------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, acting_user) -> Notification:
    with transaction.atomic():
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        recheck(acting_user, "change", notification)
    return notification


def notifications_mark_all_read(*, acting_user) -> int:
    """Everything unread of the person becomes read; returns how many."""
    with transaction.atomic():
        return (
            Notification.objects.for_user(acting_user, "change")
            .unread()
            .update(read_at=timezone.now())
        )


def preference_of(person) -> NotificationPreference:
    """The person's preferences (unsaved defaults when they never changed them)."""
    found = NotificationPreference.objects.for_user(person).first()
    return found or NotificationPreference(person=person)


def preference_update(
    *, person, acting_user, email_enabled: bool, digest_hour: int, muted_kinds: Iterable[str]
) -> NotificationPreference:
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
            person=person
        )
        preference.email_enabled = bool(email_enabled)
        preference.digest_hour = digest_hour
        preference.muted_kinds = sorted(set(muted_kinds))
        preference.full_clean()
        preference.save(update_fields=["email_enabled", "digest_hour", "muted_kinds", "updated_at"])
        recheck(acting_user, "change", preference)
    return preference


def preference_unsubscribe(*, person) -> NotificationPreference:
    """E-mails off, by the person's own signed link (no login: the person acts)."""
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
            person=person
        )
        if preference.email_enabled:
            preference.email_enabled = False
            preference.save(update_fields=["email_enabled", "updated_at"])
        recheck(person, "change", preference)
    return preference


def calendar_token_issue(*, person, acting_user) -> NotificationPreference:
    """A new secret address of the person's calendar feed; the old one stops working."""
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
            person=person
        )
        preference.calendar_token = secrets.token_urlsafe(32)
        preference.calendar_token_created = timezone.now()
        preference.save(update_fields=["calendar_token", "calendar_token_created", "updated_at"])
        recheck(acting_user, "change", preference)
    return preference


def calendar_token_revoke(*, person, acting_user) -> NotificationPreference:
    """The feed's address stops working, and none replaces it."""
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
            person=person
        )
        preference.calendar_token = None
        preference.calendar_token_created = None
        preference.save(update_fields=["calendar_token", "calendar_token_created", "updated_at"])
        recheck(acting_user, "change", preference)
    return preference


# --- A municipality's reminder settings --------------------------------------------------------


def reminder_settings_of(municipality) -> ReminderSettings:
    found = ReminderSettings.objects.filter(municipality=municipality).first()
    return found or ReminderSettings(municipality=municipality)


def reminder_settings_update(
    *, municipality, acting_user, offsets: list[int], grace_days: int
) -> ReminderSettings:
    """The coordinator sets when the municipality's organisations are reminded and when
    their overdue records are escalated. History keeps who changed what."""
    with transaction.atomic():
        found, _ = ReminderSettings.objects.select_for_update().get_or_create(
            municipality=municipality
        )
        found.offsets = offsets
        found.grace_days = grace_days
        found._history_user = acting_user if acting_user is not SYSTEM else None
        found.full_clean()
        found.save(update_fields=["offsets", "grace_days", "updated_at"])
        recheck(acting_user, "change", found)
    return found
