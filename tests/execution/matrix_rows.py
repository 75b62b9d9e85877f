"""Access-matrix rows of the execution URLs (merged into tests/test_access_matrix.py).

Targets are built by ``tests.execution.matrix_world``: per "own" / "neighbour" / "other" a
municipal plan in execution (of the home authority, of Армавир's, of the other region's)
with a record of the target's school not marked yet (``record``) and one marked and
waiting for the curator, with a file (``waiting_record``, ``evidence``). The partner
holds a guardian grant (view, agree) on the home plan.

Who does what (the rule table of schools.access):

* viewing a record: the plan's viewers by reach or grant, and whoever reaches the school
  that owes it (its director and deputy, the curators of the school) — a school sees the
  plan it executes, never another school's rows;
* marking: the school's director and deputy, the municipality's coordinator and
  methodologists (the authority marks for its schools);
* reviewing: the curators of the school and the municipality's coordinator.
"""

from tests.execution.matrix_world import (
    evidence,
    execution_plan,
    prepare_execution,
    record,
    waiting_record,
)
from tests.matrix_codes import codes as _codes
from tests.matrix_codes import redirected as _redirect
from tests.roadmaps.matrix_rows import CHANGE_NEIGHBOUR, CHANGE_OWN
from tests.roadmaps.matrix_rows import OTHER as OTHER_PLAN
from tests.roadmaps.matrix_rows import plan as school_plan

WRITE_URLS = {
    "record_mark",
    "records_mark",
    "record_review",
    "records_review",
    "record_evidence",
    "evidence_delete",
    "roadmap_start_execution",
}


def prepare(world) -> None:
    prepare_execution(world)


NEIGHBOURS = ("neighbour_coordinator", "partner", "foreign_curator", "two_roles")
OTHER = _codes(404, anonymous="login", superuser=200)

# Records (and their evidence) of the home school on the home plan: every member of the
# home municipality; the partner through its grant on the plan; the foreign curator
# through the curated school; the two-role person as the school's deputy.
VIEW_OWN = _codes(200, anonymous="login", outsider=404, neighbour_coordinator=404)
# Of Армавир's school on Армавир's plan: the region and Армавир's people.
VIEW_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    superuser=200,
    **dict.fromkeys(NEIGHBOURS, 200),
)
# Marking the home school's record: those who see it without the verb get 403.
MARK_OWN = {
    **VIEW_OWN,
    "regional_coordinator": 403,
    "head": 403,
    "administrator": 403,
    "partner": 403,
    "foreign_curator": 403,
}
MARK_NEIGHBOUR = {**VIEW_NEIGHBOUR, "regional_coordinator": 403, "partner": 403}
# Reviewing the home school's mark: the coordinator, the school's two curators.
REVIEW_OWN = {
    **MARK_OWN,
    "school_director": 403,
    "school_deputy": 403,
    "two_roles": 403,
    "foreign_curator": 200,
}
REVIEW_NEIGHBOUR = {**MARK_NEIGHBOUR, "foreign_curator": 403}


# A bulk request names its records in the body: whoever may not act on all of them gets
# 403 (a record out of reach and a missing one give the same answer).
def _bulk(codes):
    return {
        persona: ("login" if code == "login" else 302 if code == 200 else 403)
        for persona, code in codes.items()
    }


def _records(kind):
    def data(world, which):
        return {"records": [world._execution[which][kind].pk], "state": "done", "note": "Сделано"}

    return data


def _waiting_ids(world, which):
    return {"records": [world._execution[which]["waiting"].pk]}


def _municipality(world, which):
    attr = {"own": "municipality", "neighbour": "neighbour_municipality"}.get(
        which, "other_municipality"
    )
    return {"municipality": getattr(world, attr).pk}


def _school(world, which):
    attr = {"own": "school", "neighbour": "neighbour_school"}.get(which, "other_school")
    return {"pk": getattr(world, attr).pk}


# The overview needs the verb to view records somewhere (the outsider: 403); a director
# or deputy, who reaches one school, is sent to «Мои мероприятия».
OVERVIEW = _codes(200, anonymous="login", outsider=403, school_director=302, school_deputy=302)
# The overview of one municipality: whoever sees the municipality.
OVERVIEW_OWN = _codes(200, anonymous="login", outsider=403, neighbour_coordinator=404, partner=404)
OVERVIEW_NEIGHBOUR = {**VIEW_NEIGHBOUR, "outsider": 403}
OVERVIEW_OTHER = {**OTHER, "outsider": 403}
# Reviewers anywhere (the queue): coordinators, curators, the superuser.
REVIEWERS = _codes(
    403,
    anonymous="login",
    municipal_coordinator=200,
    methodologist=200,
    superuser=200,
    neighbour_coordinator=200,
    foreign_curator=200,
    two_roles=200,
)
# The start of a plan already in execution: those who may change the plan are sent to
# its execution page; it is the home authority's plan, which no school person changes.
STARTED_OWN = _codes(
    403,
    anonymous="login",
    outsider=404,
    neighbour_coordinator=404,
    municipal_coordinator=302,
    superuser=302,
)
STARTED_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=403,
    partner=403,
    foreign_curator=403,
    neighbour_coordinator=302,
    two_roles=302,
    superuser=302,
)


def rows(Row):
    return {
        "my_measures": Row(own=_codes(200, anonymous="login")),
        "my_access": Row(own=_codes(200, anonymous="login")),
        "review_queue": Row(own=REVIEWERS),
        "execution_overview": Row(own=OVERVIEW),
        "execution_overview municipality": Row(
            data=_municipality,
            own=OVERVIEW_OWN,
            neighbour=OVERVIEW_NEIGHBOUR,
            other=OVERVIEW_OTHER,
        ),
        "record_detail": Row(target=record, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=OTHER),
        "record_mark": Row(target=record, own=MARK_OWN, neighbour=MARK_NEIGHBOUR, other=OTHER),
        "record_mark POST": Row(
            target=record,
            method="post",
            data={"state": "done", "note": "Проведено"},
            own=_redirect(MARK_OWN),
            neighbour=_redirect(MARK_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "records_mark POST": Row(
            method="post",
            data=_records("record"),
            own=_bulk(MARK_OWN),
            neighbour=_bulk(MARK_NEIGHBOUR),
            other=_bulk(OTHER),
        ),
        "record_review POST": Row(
            target=waiting_record,
            method="post",
            data={"decision": "accept"},
            own=_redirect(REVIEW_OWN),
            neighbour=_redirect(REVIEW_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "records_review POST": Row(
            method="post",
            data=_waiting_ids,
            own=_bulk(REVIEW_OWN),
            neighbour=_bulk(REVIEW_NEIGHBOUR),
            other=_bulk(OTHER),
        ),
        "record_evidence POST": Row(
            target=waiting_record,
            method="post",
            data={"link": "https://school.example/protokol"},
            own=_redirect(MARK_OWN),
            neighbour=_redirect(MARK_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "evidence_download": Row(
            target=evidence, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=OTHER
        ),
        "evidence_delete POST": Row(
            target=evidence,
            method="post",
            own=_redirect(MARK_OWN),
            neighbour=_redirect(MARK_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "organisation_execution": Row(
            target=_school,
            own=_codes(
                200, anonymous="login", outsider=404, neighbour_coordinator=404, partner=404
            ),
            neighbour=VIEW_NEIGHBOUR,
            other=OTHER,
        ),
        "roadmap_execution": Row(
            target=execution_plan, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=OTHER
        ),
        # A draft plan of a school (tests/roadmaps/matrix_rows): its writers start it.
        "roadmap_start_execution": Row(
            target=school_plan, own=CHANGE_OWN, neighbour=CHANGE_NEIGHBOUR, other=OTHER_PLAN
        ),
        "roadmap_start_execution POST": Row(
            target=school_plan,
            method="post",
            data={"reporting_months": "3", "marks_need_acceptance": "on"},
            own=_redirect(CHANGE_OWN),
            neighbour=_redirect(CHANGE_NEIGHBOUR),
            other=_redirect(OTHER_PLAN),
        ),
        "roadmap_start_execution started": Row(
            target=execution_plan,
            own=STARTED_OWN,
            neighbour=STARTED_NEIGHBOUR,
            other=_codes(404, anonymous="login", superuser=302),
        ),
    }
