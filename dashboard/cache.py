"""The dashboards' figures in the cache, under the versions of their data
(``dashboard.versions``) and the day they were computed for.

A cached dashboard costs one round trip to the cache for the versions and one for the
figures; a cold one computes the figures (``dashboard.figures``: a constant number of
aggregate queries) and stores them. The key names the day (statuses such as «overdue» move
with it) and the school year asked for; a write that changes the figures renews a version,
so the next request misses. ``TIMEOUT`` only bounds how long an unused entry stays."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.cache import cache

from . import figures
from .versions import PREFIX, versions

TIMEOUT = 6 * 60 * 60
# Bumped when the shape of the cached figures changes (a deploy never reads old entries).
SHAPE = 1


def _cached(key: str, compute: Callable[[], object]):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def _key(kind: str, pk: int, tokens: list[str], today: datetime.date, year) -> str:
    return f"{PREFIX}:{kind}:{SHAPE}:{pk}:{'.'.join(tokens)}:{today.isoformat()}:{year or '-'}"


def regional(region, today: datetime.date, school_year: int | None = None) -> figures.Dashboard:
    tokens = versions([("r", region.pk)])
    return _cached(
        _key("region", region.pk, tokens, today, school_year),
        lambda: figures.regional(region, today, school_year),
    )


def municipal(municipality, today: datetime.date, school_year: int | None = None):
    tokens = versions([("m", municipality.pk)])
    return _cached(
        _key("municipality", municipality.pk, tokens, today, school_year),
        lambda: figures.municipal(municipality, today, school_year),
    )


def school(organisation, today: datetime.date) -> figures.SchoolDashboard:
    keys = [("o", organisation.pk)]
    if organisation.municipality_id:
        keys.append(("m", organisation.municipality_id))
    tokens = versions(keys)
    return _cached(
        _key("school", organisation.pk, tokens, today, None),
        lambda: figures.school(organisation, today),
    )
