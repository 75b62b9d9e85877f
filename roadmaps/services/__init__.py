"""Every write of the roadmaps app, one module per entity (plans, sections, measures,
moves, assignment, templates handed to schools); ``base`` holds what they share.

Each service owns its transaction, validates with ``full_clean()``, records history with
the acting user, and re-checks after the write, with ``schools.access.recheck``, that
everything it created or moved is within the acting user's reach for the verb (otherwise
the whole change rolls back; tests/test_architecture.py keeps the rule). Checks before
the write stay where they give a clean answer early (a visible plan without the verb, a
plan that is no longer a draft). Edits of one row carry the version the editor saw: a
stale version raises ``EditConflict`` with both versions, and nothing is written
(optimistic locking).
"""

from .assignment import assigned_organisations, measure_assign, roadmap_set_school_group
from .base import (
    EDITABLE_STATUSES,
    KEEP,
    MEASURE_FIELDS,
    MOVE_TO_END,
    SECTION_FIELDS,
    EditConflict,
    mark_change_checked,
)
from .measures import measure_create, measure_delete, measure_set_schedule, measure_update
from .moves import item_move
from .plans import roadmap_create, roadmap_duplicate, roadmap_update
from .sections import section_create, section_delete, section_update
from .templates import DISTRIBUTE_FORBIDDEN_MESSAGE, roadmap_mark_template, template_distribute
from .workflow import (
    agreement_candidates,
    concurrence_answer,
    may_answer_for,
    roadmap_approve,
    roadmap_close,
    roadmap_correct,
    roadmap_publish,
    roadmap_reject,
    roadmap_submit,
    roadmap_unpublish,
    roadmap_withdraw,
)

__all__ = [
    "DISTRIBUTE_FORBIDDEN_MESSAGE",
    "EDITABLE_STATUSES",
    "KEEP",
    "MEASURE_FIELDS",
    "MOVE_TO_END",
    "SECTION_FIELDS",
    "EditConflict",
    "assigned_organisations",
    "item_move",
    "mark_change_checked",
    "measure_assign",
    "measure_create",
    "measure_delete",
    "measure_set_schedule",
    "measure_update",
    "roadmap_create",
    "roadmap_duplicate",
    "roadmap_mark_template",
    "roadmap_set_school_group",
    "roadmap_update",
    "section_create",
    "section_delete",
    "section_update",
    "template_distribute",
    "agreement_candidates",
    "concurrence_answer",
    "may_answer_for",
    "roadmap_approve",
    "roadmap_close",
    "roadmap_correct",
    "roadmap_publish",
    "roadmap_reject",
    "roadmap_submit",
    "roadmap_unpublish",
    "roadmap_withdraw",
]
