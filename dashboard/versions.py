"""Versions of the data behind the dashboards, for their cache.

A dashboard's figures are cached under the versions of what they are made of: the
regional one under its region's version, the municipal one under its municipality's, a
school's under its municipality's and its own (a municipal plan started, or a mark of a
neighbour, changes what the school's page compares with). A service that changes such
data — a mark, a review, the start of execution, an indicator value or target, an exam
result, a campaign's answer, a plan's state, a school's flags — calls ``data_changed``
inside its transaction; once the transaction commits, the versions of the region,
municipality and organisation concerned get new tokens, so the next request computes
afresh, and a rolled-back change leaves the cache as it was. Time only bounds how long an
entry may live (``dashboard.cache.TIMEOUT``).

Versions live in the project's cache (Redis in production: shared by every web process
and worker); a version missing from it (evicted, or a fresh cache) is created on read.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

PREFIX = "dash:v1"
VERSION_TIMEOUT = 7 * 24 * 60 * 60


def version_key(kind: str, pk: int) -> str:
    """``kind``: "r" (region), "m" (municipality), "o" (organisation)."""
    return f"{PREFIX}:ver:{kind}:{pk}"


def versions(keys: list[tuple[str, int]]) -> list[str]:
    """The tokens of these versions (one round trip; missing ones are created)."""
    names = [version_key(kind, pk) for kind, pk in keys]
    found = cache.get_many(names)
    result = []
    for name in names:
        token = found.get(name)
        if token is None:
            token = secrets.token_hex(6)
            if not cache.add(name, token, VERSION_TIMEOUT):
                token = cache.get(name) or token
        result.append(token)
    return result


def _bump(names: set[str]) -> None:
    cache.set_many({name: secrets.token_hex(6) for name in names}, VERSION_TIMEOUT)


def data_changed(
    *,
    organisation_ids: Iterable[int] = (),
    municipality_ids: Iterable[int] = (),
    region_ids: Iterable[int] = (),
) -> None:
    """The data of these organisations (their municipalities and regions with them),
    municipalities (their regions with them) and regions changed: renew their versions
    once the current transaction commits (at once outside a transaction). Nothing is read
    inside the writing transaction: the organisations' municipalities and regions are
    looked up after the commit (2 queries at most), a rolled-back change costs nothing."""
    organisation_ids = {int(pk) for pk in organisation_ids if pk is not None}
    municipality_ids = {int(pk) for pk in municipality_ids if pk is not None}
    region_ids = {int(pk) for pk in region_ids if pk is not None}
    if organisation_ids or municipality_ids or region_ids:
        transaction.on_commit(lambda: _renew(organisation_ids, municipality_ids, region_ids))


def _renew(organisation_ids: set[int], municipality_ids: set[int], region_ids: set[int]) -> None:
    from schools.models import Municipality, Organisation

    regions, municipalities = set(region_ids), set(municipality_ids)
    if organisation_ids:
        for region_id, municipality_id in (
            Organisation.objects.filter(pk__in=organisation_ids)
            .order_by()
            .values_list("region_id", "municipality_id")
            .distinct()
        ):
            regions.add(region_id)
            if municipality_id:
                municipalities.add(municipality_id)
    if municipality_ids:
        regions |= set(
            Municipality.objects.filter(pk__in=municipality_ids)
            .order_by()
            .values_list("region_id", flat=True)
            .distinct()
        )
    _bump(
        {
            *(version_key("o", pk) for pk in organisation_ids),
            *(version_key("m", pk) for pk in municipalities),
            *(version_key("r", pk) for pk in regions),
        }
    )
