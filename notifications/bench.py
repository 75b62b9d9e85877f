"""``manage.py bench reminders``: the daily job on the execution benchmark's data.

The data is ``execution.bench.build`` (1,500 schools, 150 plans, about 300,000 records at
the large size; a tenth at the small one) with the people a region really has on top:
every school a director, a deputy (two schools of three a second one) and a head; every
municipality a coordinator, a head, an administrator and ten methodologists, each the
curator of five schools — about 6,000 people at the large size. Written with
``bulk_create``, committed (the tables are analysed as in production) and deleted
afterwards whatever happens.

Measured, per size: the job (``reminders_run`` for today, everybody's hour ignored, as
``send_reminders`` runs it) without the e-mails — wall time and queries; then the e-mails
of every digest it claimed, rendered and handed to an in-memory mail backend; then the
same job again (everybody already has the day's digest). The budget of the job is 60 s,
and its queries grow with the people sent to (one batch of 500 people costs a fixed
number of statements), never with the records.
"""

from __future__ import annotations

import math
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core.timezones import today_in
from execution import bench as execution_bench
from schools.constants import OrganisationKind, Role
from schools.models import CuratorAssignment, Membership, Organisation, User

from .constants import DigestState
from .models import Digest, Notification, NotificationPreference
from .services import BATCH, digest_send, reminders_run

BUDGET_S = 60
SIZES = execution_bench.SIZES
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def add_people(cast) -> int:
    """The people of the region (see the module docstring); returns how many were added."""
    run = cast.region.name.rsplit(" ", 1)[-1]
    organisations = list(
        Organisation.objects.filter(region=cast.region).values_list("pk", "kind", "municipality_id")
    )
    schools: dict[int, list[int]] = {}
    bodies: dict[int, list[int]] = {}
    for pk, kind, municipality in organisations:
        if municipality is None:
            continue
        (schools if kind == OrganisationKind.SCHOOL else bodies).setdefault(
            municipality, []
        ).append(pk)
    unusable = make_password(None)
    users: list[User] = []
    roles: list[tuple[int, int, str]] = []  # (user index, organisation, role)
    curated: list[tuple[int, int]] = []

    def person(role: str, organisation: int) -> int:
        index = len(users)
        users.append(
            User(
                username=f"bench-people-{run}-{index}",
                last_name="Бенчмарк",
                first_name=f"Сотрудник {index}",
                email=f"person{index}@bench.example",
                password=unusable,  # never signs in
            )
        )
        roles.append((index, organisation, role))
        return index

    for municipality, school_ids in schools.items():
        authority = bodies[municipality][0]
        centre = bodies[municipality][-1]
        for n, school in enumerate(school_ids):
            person(Role.SCHOOL_DIRECTOR, school)
            person(Role.SCHOOL_DEPUTY, school)
            if n % 3 != 2:
                person(Role.SCHOOL_DEPUTY, school)
            person(Role.HEAD, school)
        person(Role.MUNICIPAL_COORDINATOR, authority)
        person(Role.HEAD, authority)
        person(Role.ADMINISTRATOR, authority)
        for m in range(10):
            curator = person(Role.METHODOLOGIST, centre)
            curated.extend((curator, school) for school in school_ids[m * 5 : m * 5 + 5])
    created = User.objects.bulk_create(users, batch_size=execution_bench.BATCH)
    Membership.objects.bulk_create(
        (Membership(user=created[i], organisation_id=org, role=role) for i, org, role in roles),
        batch_size=execution_bench.BATCH,
    )
    CuratorAssignment.objects.bulk_create(
        (CuratorAssignment(curator=created[i], school_id=school) for i, school in curated),
        batch_size=execution_bench.BATCH,
        ignore_conflicts=True,
    )
    return len(created)


def _drop_notifications(region_id: int) -> None:
    people = Membership.objects.filter(organisation__region_id=region_id).values("user_id")
    with transaction.atomic():
        for queryset in (
            Notification.objects.filter(person__in=people),
            Digest.objects.filter(person__in=people),
            NotificationPreference.objects.filter(person__in=people),
        ):
            queryset._raw_delete(queryset.db)


def _timed(fn):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        value = fn()
    return value, round(time.perf_counter() - started, 2), len(captured.captured_queries)


def _bench_size(size) -> dict:
    started = time.perf_counter()
    with transaction.atomic():
        cast = execution_bench.build(size)
        people = add_people(cast)
    built = round(time.perf_counter() - started, 1)
    try:
        execution_bench._analyse()
        day = today_in(cast.region)
        regions = [cast.region.pk]  # never anybody else's digest: the database is shared
        claimed: list[int] = []

        def collect(ids, result):
            claimed.extend(ids)

        job, job_s, job_queries = _timed(
            lambda: reminders_run(day=day, deliver=collect, regions=regions, resend=False)
        )
        with override_settings(MAILERS=LOCMEM):
            _, send_s, send_queries = _timed(lambda: [digest_send(pk) for pk in claimed])
        again, again_s, again_queries = _timed(
            lambda: reminders_run(day=day, deliver=collect, regions=regions, resend=False)
        )
        sent = Digest.objects.filter(pk__in=claimed, state=DigestState.SENT).count()
        return {
            "data": {
                **cast.counts,
                "people": people + 3,
                "build_s": built,
            },
            "job": {
                "wall_s": job_s,
                "queries": job_queries,
                "persons": job.persons,
                "batches": math.ceil(job.persons / BATCH),
                "digests_to_send": len(claimed),
                "notifications": job.notifications,
                "escalations": job.escalations,
                "empty": job.empty,
                "within_budget": job_s < BUDGET_S,
            },
            "sending": {
                "wall_s": send_s,
                "queries": send_queries,
                "digests_sent": sent,
                "ms_per_digest": round(send_s * 1000 / max(len(claimed), 1), 1),
                "queries_per_digest": round(send_queries / max(len(claimed), 1), 1),
            },
            "second_run": {
                "wall_s": again_s,
                "queries": again_queries,
                "digests_sent": again.digests_sent,
                "skipped_already_sent": again.skipped_already_sent,
            },
        }
    finally:
        _drop_notifications(cast.region.pk)
        execution_bench.drop(cast.region.pk)


def bench_reminders(*, sizes=None, repeat: int = 1) -> dict:
    """The job at each size: ``{size: {"data", "job", "sending", "second_run"}}``. The job
    claims what it sends, so each size is run once whatever ``repeat`` says."""
    sizes = SIZES if sizes is None else sizes
    result: dict = {"vendor": connection.vendor, "budget_s": BUDGET_S, "batch": BATCH}
    for label, size in sizes.items():
        result[label] = _bench_size(size)
    return result
