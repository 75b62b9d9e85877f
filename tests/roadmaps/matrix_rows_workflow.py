"""Access-matrix rows of a plan's life (roadmaps.views.workflow), merged into
tests/test_access_matrix.py.

Targets, per "own" / "neighbour" / "other":

* the draft plan of the target's school (``tests.roadmaps.matrix_rows.plan``): sent for
  agreement by those who hold the submit verb over the school (the municipality's
  coordinator, the school's deputy);
* a plan of the target's school on agreement (``agreement_plan``), asked of the
  municipality's authority (and, at home, of Армавир's centre, whose head is the
  partner): the authority's head and coordinator answer, the partner answers for its
  centre; the school's director approves (nobody of the cast directs Армавир's school);
* the authority's plan in execution (``tests.execution.matrix_world``): its writers close,
  correct and publish it;
* a public link of the home plan in execution (anyone, no login) and an unknown one.
"""

from tests.execution.matrix_rows import STARTED_NEIGHBOUR, STARTED_OWN
from tests.execution.matrix_world import execution_plan, prepare_execution
from tests.matrix_codes import codes as _codes
from tests.matrix_codes import redirected as _redirect
from tests.matrix_codes import refused_if_visible
from tests.roadmaps.matrix_rows import CHANGE_NEIGHBOUR, CHANGE_OWN, VIEW_NEIGHBOUR, VIEW_OWN
from tests.roadmaps.matrix_rows import OTHER as OTHER_PLAN
from tests.roadmaps.matrix_rows import plan as school_plan

WRITE_URLS = {
    "roadmap_submit",
    "roadmap_withdraw",
    "roadmap_answer",
    "roadmap_approve",
    "roadmap_reject",
    "roadmap_close",
    "roadmap_correct",
    "roadmap_publish",
}

SCHOOLS = {"own": "school", "neighbour": "neighbour_school", "other": "other_school"}
AUTHORITIES = {"own": "authority", "neighbour": "neighbour_authority", "other": "other_authority"}


def _agreement_plan(world, which):
    import datetime

    from roadmaps import services

    actor = world.user("superuser")
    plan = services.roadmap_create(
        acting_user=actor,
        owner=getattr(world, SCHOOLS[which]),
        title=f"План школы на согласовании {which}",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    services.measure_create(
        roadmap=plan, acting_user=actor, title="Педсовет", deadline_text="май 2026"
    )
    asked = [getattr(world, AUTHORITIES[which])]
    if which == "own":
        asked.append(world.neighbour_centre)
    services.roadmap_submit(roadmap=plan, acting_user=actor, organisations=asked)
    return plan


def prepare(world) -> None:
    prepare_execution(world)
    if hasattr(world, "_workflow"):
        return
    from roadmaps.models import PublicLink

    world._workflow = {which: _agreement_plan(world, which) for which in SCHOOLS}
    world._public = PublicLink.objects.create(
        roadmap=world._execution["own"]["plan"], token="matrix-public-link-0123456789"
    )


def agreement_plan(world, which):
    return {"pk": world._workflow[which].pk}


OTHER = _codes(404, anonymous="login", superuser=200)
# Sending a school's plan: the municipality's coordinator and the school's deputy (the
# two-role person as a deputy); the director approves, he does not send.
SUBMIT_OWN = {
    **CHANGE_OWN,
    "school_director": 403,
}
SUBMIT_NEIGHBOUR = CHANGE_NEIGHBOUR
# The plan on agreement at home is seen by the home municipality, and by the partner (its
# centre is asked).
ANSWER_OWN = {
    **refused_if_visible(VIEW_OWN),
    "municipal_coordinator": 302,
    "head": 302,
    "partner": 302,
    "superuser": 302,
}
ANSWER_NEIGHBOUR = {
    **refused_if_visible(VIEW_NEIGHBOUR),
    "neighbour_coordinator": 302,
    "two_roles": 302,
    "superuser": 302,
}
# Approving a school's plan: its director (and the superuser).
APPROVE_OWN = {
    **refused_if_visible(VIEW_OWN),
    "school_director": 200,
    "superuser": 200,
}
APPROVE_NEIGHBOUR = {
    **refused_if_visible(VIEW_NEIGHBOUR),
    "superuser": 200,
}
# The authority's plan in execution: its writers (the coordinator; Армавир's for theirs),
# as for «Начать исполнение» of it.
WRITE_EXECUTED_OWN = STARTED_OWN
WRITE_EXECUTED_NEIGHBOUR = STARTED_NEIGHBOUR
WRITE_EXECUTED_OTHER = _codes(404, anonymous="login", superuser=302)


def rows(Row):
    executed = {
        "own": WRITE_EXECUTED_OWN,
        "neighbour": WRITE_EXECUTED_NEIGHBOUR,
        "other": WRITE_EXECUTED_OTHER,
    }
    return {
        "roadmap_submit": Row(
            target=school_plan, own=SUBMIT_OWN, neighbour=SUBMIT_NEIGHBOUR, other=OTHER_PLAN
        ),
        # Sent with nobody to ask: straight to the approver.
        "roadmap_submit POST": Row(
            target=school_plan,
            method="post",
            data={"comment": "Прошу утвердить"},
            own=_redirect(SUBMIT_OWN),
            neighbour=_redirect(SUBMIT_NEIGHBOUR),
            other=_redirect(OTHER_PLAN),
        ),
        "roadmap_withdraw POST": Row(
            target=agreement_plan,
            method="post",
            own=_redirect(SUBMIT_OWN),
            neighbour=_redirect(SUBMIT_NEIGHBOUR),
            other=_redirect(OTHER_PLAN),
        ),
        "roadmap_answer POST": Row(
            target=agreement_plan,
            method="post",
            data={"decision": "agree"},
            own=ANSWER_OWN,
            neighbour=ANSWER_NEIGHBOUR,
            other=_codes(404, anonymous="login", superuser=302),
        ),
        "roadmap_answer POST return": Row(
            target=agreement_plan,
            method="post",
            data={"decision": "return", "comment": "Уточните сроки"},
            own=ANSWER_OWN,
            neighbour=ANSWER_NEIGHBOUR,
            other=_codes(404, anonymous="login", superuser=302),
        ),
        "roadmap_approve": Row(
            target=agreement_plan, own=APPROVE_OWN, neighbour=APPROVE_NEIGHBOUR, other=OTHER
        ),
        # Not every party agreed yet: the approver gets the form back with the reason,
        # nothing written.
        "roadmap_approve POST": Row(
            target=agreement_plan,
            method="post",
            data={"approval_date": "2026-01-15", "order_number": "12"},
            own=APPROVE_OWN,
            neighbour=APPROVE_NEIGHBOUR,
            other=OTHER,
        ),
        "roadmap_reject POST": Row(
            target=agreement_plan,
            method="post",
            data={"comment": "Доработайте раздел 2"},
            own=_redirect(APPROVE_OWN),
            neighbour=_redirect(APPROVE_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "roadmap_close POST": Row(target=execution_plan, method="post", **executed),
        "roadmap_correct POST": Row(target=execution_plan, method="post", **executed),
        "roadmap_publish POST": Row(target=execution_plan, method="post", **executed),
        "roadmap_compare": Row(
            target=school_plan, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=OTHER_PLAN
        ),
        # A published revision: anyone, no login; an unknown or withdrawn link: nobody.
        "public_roadmap": Row(
            target=lambda world, which: {
                "token": world._public.token if which == "own" else "no-such-link"
            },
            own=_codes(200),
            other=_codes(404),
        ),
    }
