"""Signals of the roadmaps app, for data derived from plans elsewhere (roadmaps never
imports the apps that listen).

``schedule_changed`` — the windows or the assignment of some measures changed; sent
inside the writing transaction with ``measure_ids`` (a list of ids). The execution app
keeps its records in step (``execution.services.sync_records``).

``plan_event`` — a step of a plan's life was taken (``roadmaps.services.workflow``); sent
inside the writing transaction with ``event`` (the PlanEvent), ``recipients`` (ids of the
people who act next or should know), ``text`` and ``url`` (where they act). The
notifications app turns it into notifications and digest lines.

``plan_published`` — an approved revision was given a public page (``roadmap_publish``);
sent inside the writing transaction with ``link`` (the PublicLink). The reports app has
the revision's PDF made for the public page.
"""

from django.dispatch import Signal

schedule_changed = Signal()
plan_event = Signal()
plan_published = Signal()
