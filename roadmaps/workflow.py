"""The life of a plan as one table: from which states a step is taken, to which state, by
whom (the verb, and how far it reaches), and what it does. The services in
``roadmaps.services.workflow`` carry each step out; the plan page offers exactly the steps
``available`` returns, so nobody sees a button that answers «Нет прав».

=========  ====================  =============  ===============================  ==================================
step       from                  to             who                              effect
=========  ====================  =============  ===============================  ==================================
submit     draft                 on agreement   ``submit_roadmap`` over the      the named organisations are asked
                                                owner (coordinator; a centre's   (each one's head and coordinator,
                                                methodologist; a school's        and a partner granted this plan);
                                                deputy)                          none named: straight to approval
withdraw   on agreement          draft          ``submit_roadmap`` (as above)    the request is taken back to edit
agree      on agreement          on agreement   a party asked: ``agree_roadmap`` its answer, dated; when every party
                                                in an organisation asked, or a   agreed, the approver is told
                                                grant on this plan
return     on agreement          draft          a party asked (as above)         its remarks; the plan goes back to
                                                                                 its authors (comment required)
approve    on agreement          approved       ``approve_roadmap`` over the     every party agreed; date and order
                                                owner (its head; a school's      number written into «УТВЕРЖДАЮ»;
                                                director)                        the text is frozen; an approved
                                                                                 earlier revision is replaced
reject     on agreement          draft          ``approve_roadmap`` (as above)   back to the authors with remarks
start      draft, approved       in execution   ``change_roadmap`` (execution    the execution records are created
                                                app: «Начать исполнение»)        (a correction takes over the
                                                                                 records of the revision it corrects,
                                                                                 which is then replaced)
close      in execution          closed         ``change_roadmap``               execution ends; marks stay readable
correct    approved, in          (a new draft   ``change_roadmap``, the current  «Корректировка»: a new revision with
           execution             revision)      revision only                    lineage, assignments and partner
                                                                                 grants; it goes through the same steps
publish    approved, in          (same)         ``change_roadmap``               a public read-only page of this
           execution, closed                                                     revision (withdrawable)
=========  ====================  =============  ===============================  ==================================

Refusals are Russian messages (``refusal``); the services check again inside their
transaction, with the plan row locked, so two people acting at once get one success and
one clear answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from schools.access import member_organisations, member_roles, object_grants, scope_for
from schools.roles import AGREE_ROLES

from .constants import ConcurrenceStatus, RoadmapStatus

SUBMIT_VERB = "roadmaps.submit_roadmap"
AGREE_VERB = "roadmaps.agree_roadmap"
APPROVE_VERB = "roadmaps.approve_roadmap"
CHANGE_VERB = "roadmaps.change_roadmap"
VIEW_VERB = "roadmaps.view_roadmap"


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the plan keeps its state (or a new revision is made)
    verb: str


S = RoadmapStatus
STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "submit", "Отправить на согласование", frozenset({S.DRAFT}), S.CONCURRENCE, SUBMIT_VERB
        ),
        Step(
            "withdraw", "Отозвать с согласования", frozenset({S.CONCURRENCE}), S.DRAFT, SUBMIT_VERB
        ),
        Step("agree", "Согласовать", frozenset({S.CONCURRENCE}), S.CONCURRENCE, AGREE_VERB),
        Step("return", "Вернуть с замечаниями", frozenset({S.CONCURRENCE}), S.DRAFT, AGREE_VERB),
        Step("approve", "Утвердить", frozenset({S.CONCURRENCE}), S.APPROVED, APPROVE_VERB),
        Step("reject", "Вернуть на доработку", frozenset({S.CONCURRENCE}), S.DRAFT, APPROVE_VERB),
        Step("close", "Закрыть план", frozenset({S.EXECUTION}), S.CLOSED, CHANGE_VERB),
        Step("correct", "Корректировка", frozenset({S.APPROVED, S.EXECUTION}), None, CHANGE_VERB),
        Step(
            "publish",
            "Опубликовать",
            frozenset({S.APPROVED, S.EXECUTION, S.CLOSED}),
            None,
            CHANGE_VERB,
        ),
    )
}

# States whose text is the approved one (shown with its «УТВЕРЖДАЮ», frozen).
APPROVED_STATES = frozenset({S.APPROVED, S.EXECUTION, S.CLOSED, S.REPLACED})


def _where(roadmap) -> dict:
    owner = roadmap.owner
    return {
        "region_id": owner.region_id,
        "municipality_id": owner.municipality_id,
        "organisation_id": owner.pk,
    }


def holds(user, verb: str, roadmap, grants: set[str] | None = None) -> bool:
    """Whether the person holds ``verb`` over this plan: by the reach of a membership
    over its owner, or by a grant on this plan (``grants``: ``object_grants``, passed when
    already loaded)."""
    if grants is None:
        grants = object_grants(user, roadmap)
    return verb in grants or scope_for(user, verb).contains(**_where(roadmap))


def answering_organisations(user, roadmap, concurrences, grants: set[str] | None = None) -> list:
    """The asked parties (``concurrences`` of the plan, loaded) the person may answer for:
    those of an organisation where they hold the agree verb; with a grant to agree this
    plan, those of any organisation they belong to."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = set(agreeing_organisations(user))
    if grants is None:
        grants = object_grants(user, roadmap)
    if AGREE_VERB in grants:
        mine |= set(member_organisations(user, VIEW_VERB))
    if getattr(user, "is_superuser", False):
        return [c for c in concurrences if c.requested]
    return [c for c in concurrences if c.requested and c.organisation_id in mine]


def agreeing_organisations(user) -> list[int]:
    """The organisations the person answers for when asked to agree a plan: those where
    they are head or coordinator (``schools.roles.AGREE_ROLES``)."""
    return sorted({org for role, org, _, _ in member_roles(user) if role in AGREE_ROLES})


def pending(concurrences) -> list:
    """Asked parties that have not agreed yet (waiting or returned)."""
    return [c for c in concurrences if c.requested and c.status != ConcurrenceStatus.AGREED]


def is_current(roadmap, next_revision) -> bool:
    """The revision in force: no later revision of it was approved."""
    return next_revision is None or next_revision.status not in APPROVED_STATES


def available(user, roadmap, *, concurrences, next_revision, grants: set[str]) -> dict[str, bool]:
    """The steps the person may take now on this plan (their buttons). Conditions that
    only the step's form checks (every party agreed before approval) are left to it, so
    the button is there and its form says what is missing."""
    steps = dict.fromkeys(STEPS, False)
    if roadmap.is_template or not getattr(user, "is_authenticated", False):
        return steps
    status = roadmap.status
    for name, step in STEPS.items():
        if status not in step.sources:
            continue
        if name in {"agree", "return"}:
            steps[name] = bool(
                [
                    c
                    for c in answering_organisations(user, roadmap, concurrences, grants)
                    if c.status == ConcurrenceStatus.PENDING
                ]
            )
        else:
            steps[name] = holds(user, step.verb, roadmap, grants)
    if steps["correct"]:
        steps["correct"] = next_revision is None
    return steps
