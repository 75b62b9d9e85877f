"""Access-matrix rows of the monitoring URLs (merged into tests/test_access_matrix.py).

Targets, per "own" / "neighbour" / "other": the home school (Армавир's school, the other
region's school) and a campaign of its municipal authority asking it for one indicator —
twice: one answer still pending (the school answers it), one sent (the coordinator
reopens it); for plan targets the school's plan of the roadmaps rows.

Who does what (schools.roles): everyone within reach reads; the school's director and
deputy and the municipality's coordinator and methodologists report values, answer and
enter exam results (the foreign curator reads the curated school, nothing more); the
municipal coordinator (and a school's director for the school) sets targets; coordinators
and methodologists run campaigns.
"""

import datetime

from monitoring import services
from monitoring.models import CampaignResponse, Indicator
from schools.access import SYSTEM
from tests.matrix_codes import codes as _codes
from tests.matrix_codes import redirected as _redirect
from tests.roadmaps.matrix_rows import OTHER, VIEW_NEIGHBOUR, VIEW_OWN
from tests.roadmaps.matrix_rows import plan as school_plan

WRITE_URLS = {
    "campaign_create",
    "campaign_close",
    "response_detail",
    "response_reopen",
    "school_values",
    "targets_school",
    "targets_municipality",
    "targets_plan",
    "exam_results",
    "exam_import",
}
SCHOOLS = {"own": "school", "neighbour": "neighbour_school", "other": "other_school"}
AUTHORITIES = {"own": "authority", "neighbour": "neighbour_authority", "other": "other_authority"}
MUNICIPALITIES = {
    "own": "municipality",
    "neighbour": "neighbour_municipality",
    "other": "other_municipality",
}


def prepare(world) -> None:
    training = Indicator.objects.get(code="staff-training")
    world._monitoring = {}
    for which in SCHOOLS:
        school = getattr(world, SCHOOLS[which])
        found = {}
        for state in ("pending", "submitted"):
            campaign = services.campaign_create(
                owner=getattr(world, AUTHORITIES[which]),
                title=f"Мониторинг {which} {state}",
                school_year=2025,
                due_on=datetime.date(2030, 1, 1),
                indicators=[training],
                schools=[school],
                acting_user=SYSTEM,
            )
            response = CampaignResponse.objects.get(campaign=campaign)
            if state == "submitted":
                services.campaign_response_submit(
                    response=response,
                    entries=[services.Entry(training, numerator=1, denominator=2)],
                    acting_user=SYSTEM,
                )
            found[state] = (campaign, response)
        world._monitoring[which] = found


def _school(world, which):
    return {"pk": getattr(world, SCHOOLS[which]).pk}


def _municipality(world, which):
    return {"pk": getattr(world, MUNICIPALITIES[which]).pk}


def _campaign(state):
    return lambda world, which: {"pk": world._monitoring[which][state][0].pk}


def _response(state):
    return lambda world, which: {"pk": world._monitoring[which][state][1].pk}


def _answer(world, which):
    pk = Indicator.objects.get(code="staff-training").pk
    return {f"n{pk}": "18", f"d{pk}": "21"}


def _value(world, which):
    return {f"v{Indicator.objects.get(code='staff-vacancies').pk}": "2"}


def _target(world, which):
    return {f"t{Indicator.objects.get(code='staff-training').pk}": "90"}


def _exams(world, which):
    from monitoring.models import Subject

    pk = Subject.objects.get(name="Русский язык").pk
    return {f"s{pk}_participants": "10", f"s{pk}_not_passed": "0", f"s{pk}_average": "70"}


SIGNED_IN = _codes(200, anonymous="login")
HIDDEN_AT_HOME = {"neighbour_coordinator": 404, "partner": 404}
# The home school (its values, targets and exam pages): every member of the home
# municipality, the curator from Армавир, the two-role person as its deputy.
SCHOOL_OWN = _codes(200, anonymous="login", outsider=404, **HIDDEN_AT_HOME)
NEIGHBOURS = ("neighbour_coordinator", "partner", "foreign_curator", "two_roles")
SCHOOL_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    superuser=200,
    **dict.fromkeys(NEIGHBOURS, 200),
)
# Reporting for the home school: its director and deputy (the two-role person as a deputy),
# the municipality's coordinator and methodologist.
REPORT_OWN = {
    **SCHOOL_OWN,
    "regional_coordinator": 403,
    "head": 403,
    "administrator": 403,
    "foreign_curator": 403,
}
REPORT_NEIGHBOUR = {**SCHOOL_NEIGHBOUR, "regional_coordinator": 403, "partner": 403}
# Targets of the home school: the municipality's coordinator and the school's director.
TARGETS_OWN = {**REPORT_OWN, "methodologist": 403, "school_deputy": 403, "two_roles": 403}
TARGETS_NEIGHBOUR = {**REPORT_NEIGHBOUR, "foreign_curator": 403}
# A municipality's targets: its coordinator (the school's director sees it as a container).
TARGETS_MUNICIPALITY_OWN = {**TARGETS_OWN, "school_director": 403}
# A campaign of the home authority: the municipality's staff and the region see it.
CAMPAIGN_OWN = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    municipal_coordinator=200,
    methodologist=200,
    head=200,
    administrator=200,
    superuser=200,
)
CAMPAIGN_NEIGHBOUR = SCHOOL_NEIGHBOUR
MANAGE_OWN = {**CAMPAIGN_OWN, "regional_coordinator": 403, "head": 403, "administrator": 403}
MANAGE_NEIGHBOUR = {**SCHOOL_NEIGHBOUR, "regional_coordinator": 403, "partner": 403}
# Reopening an answer: it is seen by the school and its curators, changed by who runs it.
REOPEN_OWN = {
    **SCHOOL_OWN,
    "regional_coordinator": 403,
    "head": 403,
    "administrator": 403,
    "school_director": 403,
    "school_deputy": 403,
    "foreign_curator": 403,
    "two_roles": 403,
}
CAMPAIGN_CREATORS = _codes(
    403,
    anonymous="login",
    municipal_coordinator=200,
    methodologist=200,
    superuser=200,
    neighbour_coordinator=200,
    foreign_curator=200,
    two_roles=200,
)
# Plan targets (the home school's plan): its viewers see; the coordinator and the
# school's director set them.
TARGETS_PLAN_OWN = {
    **VIEW_OWN,
    **{
        persona: 403
        for persona, code in VIEW_OWN.items()
        if code == 200 and persona not in {"municipal_coordinator", "school_director", "superuser"}
    },
}
TARGETS_PLAN_NEIGHBOUR = {
    **VIEW_NEIGHBOUR,
    "regional_coordinator": 403,
    "partner": 403,
    "foreign_curator": 403,
}


def _campaign_form(world, which):
    return {
        "title": "Мониторинг кадров",
        "owner": world.authority.pk,
        "school_year": "2025",
        "due_on": "2035-01-01",
        "indicators": [Indicator.objects.get(code="staff-training").pk],
        "schools": [world.school.pk],
    }


def rows(Row):
    return {
        "indicator_list": Row(own=SIGNED_IN),
        "campaign_list": Row(own=SIGNED_IN),
        "exam_template": Row(own=SIGNED_IN),
        "campaign_create": Row(own=CAMPAIGN_CREATORS),
        # Only the home coordinator runs campaigns for the home authority: the others'
        # forms offer other organisations (the form's error, nothing written).
        "campaign_create POST": Row(
            method="post",
            data=_campaign_form,
            own={**CAMPAIGN_CREATORS, "municipal_coordinator": 302},
        ),
        "campaign_detail": Row(
            target=_campaign("pending"), own=CAMPAIGN_OWN, neighbour=CAMPAIGN_NEIGHBOUR, other=OTHER
        ),
        "campaign_close POST": Row(
            target=_campaign("pending"),
            method="post",
            own=_redirect(MANAGE_OWN),
            neighbour=_redirect(MANAGE_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "response_detail": Row(
            target=_response("pending"), own=SCHOOL_OWN, neighbour=SCHOOL_NEIGHBOUR, other=OTHER
        ),
        "response_detail POST": Row(
            target=_response("pending"),
            method="post",
            data=_answer,
            own=_redirect(REPORT_OWN),
            neighbour=_redirect(REPORT_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "response_reopen POST": Row(
            target=_response("submitted"),
            method="post",
            data={"comment": "Уточните число педагогов"},
            own=_redirect(REOPEN_OWN),
            neighbour=_redirect(MANAGE_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "school_values": Row(
            target=_school, own=SCHOOL_OWN, neighbour=SCHOOL_NEIGHBOUR, other=OTHER
        ),
        "school_values POST": Row(
            target=_school,
            method="post",
            data=_value,
            own=_redirect(REPORT_OWN),
            neighbour=_redirect(REPORT_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "targets_school": Row(
            target=_school, own=SCHOOL_OWN, neighbour=SCHOOL_NEIGHBOUR, other=OTHER
        ),
        "targets_school POST": Row(
            target=_school,
            method="post",
            data=_target,
            own=_redirect(TARGETS_OWN),
            neighbour=_redirect(TARGETS_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "targets_municipality": Row(
            target=_municipality, own=SCHOOL_OWN, neighbour=SCHOOL_NEIGHBOUR, other=OTHER
        ),
        "targets_municipality POST": Row(
            target=_municipality,
            method="post",
            data=_target,
            own=_redirect(TARGETS_MUNICIPALITY_OWN),
            neighbour=_redirect(TARGETS_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "targets_plan": Row(
            target=school_plan, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=OTHER
        ),
        "targets_plan POST": Row(
            target=school_plan,
            method="post",
            data=_target,
            own=_redirect(TARGETS_PLAN_OWN),
            neighbour=_redirect(TARGETS_PLAN_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "exam_results": Row(
            target=_school, own=SCHOOL_OWN, neighbour=SCHOOL_NEIGHBOUR, other=OTHER
        ),
        "exam_results POST": Row(
            target=_school,
            method="post",
            data=_exams,
            own=_redirect(REPORT_OWN),
            neighbour=_redirect(REPORT_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        # Without a file: holders of the verb are sent back with the message, nothing written.
        "exam_import POST": Row(
            target=_school,
            method="post",
            own=_redirect(REPORT_OWN),
            neighbour=_redirect(REPORT_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
    }
