"""Signals of the roadmaps app, for data derived from plans elsewhere (roadmaps never
imports the apps that listen).

``schedule_changed`` — the windows or the assignment of some measures changed; sent
inside the writing transaction with ``measure_ids`` (a list of ids). The execution app
keeps its records in step (``execution.services.sync_records``).
"""

from django.dispatch import Signal

schedule_changed = Signal()
