"""Item sources: what other apps add to the daily digest, without this app importing them.

An app registers a ``Source`` in its ``AppConfig.ready`` (the partnerships app: agreements
about to expire, «sign the agreements» measures whose schools have none; the monitoring
app: campaigns a school has not answered, and their late schools to the campaign's
owner). The daily job
asks every source once per day it sends (``reminders.day_facts``) for the notices of the
days ``since < d ≤ day``; ``planner.plan_day`` then tells each notice to the people of its
audience whose digest covers its day, once, if they have not switched its kind off.

A source reads set-based, in a constant number of queries whatever the number of rows
(the daily job's query budget does not grow with the data), and returns
``planner.Notice`` items: kind (one of ``constants.Kind``), a stable key, the event day,
the organisations and which of their people (``markers``, ``reviewers``, ``escalation``,
``managers`` — the lists of ``planner.audience``), the text and the page to open.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import planner


@dataclass(frozen=True)
class SourceQuery:
    """What a source is asked: the notices whose event day falls in ``since < d ≤ day``;
    ``rules(municipality id)`` gives the municipality's (offsets, grace days)."""

    day: datetime.date
    since: datetime.date
    rules: planner.Rules
    offsets: frozenset[int]


@dataclass(frozen=True)
class Source:
    name: str
    notices: Callable[[SourceQuery], Iterable[planner.Notice]]


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Register (or replace, by name) a source; called from ``AppConfig.ready``."""
    _SOURCES[source.name] = source


def registered() -> tuple[Source, ...]:
    return tuple(_SOURCES.values())


def collect(query: SourceQuery) -> list[planner.Notice]:
    """Every registered source's notices for the query, in registration order."""
    found: list[planner.Notice] = []
    for source in registered():
        found.extend(source.notices(query))
    return found
