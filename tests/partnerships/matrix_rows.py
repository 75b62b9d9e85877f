"""Access-matrix rows of the partnership URLs (merged into tests/test_access_matrix.py).

Targets, per "own" / "neighbour" / "other" (see tests/conftest.py for the cast):

* ``signed`` — an agreement in force with a signed scan: at home the three-party one of
  the home centre, the leader school (СОШ № 5) and the supported home school (СОШ № 3),
  naming the home network plan; in Армавир its centre with its school; in the other
  region its authority with its school;
* ``draft`` — a draft of the same parties (signing, deleting);
* ``plan`` — a network plan of the target's centre (of the other region's authority),
  which ``signed`` names;
* ``job`` — a finished PDF of the list of the target's municipality, asked for by its
  coordinator (the superuser in the other region): a job is its requester's own.

Who does what (the rule table of schools.access and partnerships.querysets): whoever
reaches a party reads the agreement (the region's coordinator; the municipality's
coordinator, methodologists, heads of its authority and centre, administrator; the staff
of a school that is a party; the curators of such a school); the municipal coordinator of
a party's municipality manages it; nobody else learns it exists (404).
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from tests.matrix_codes import codes as _codes
from tests.matrix_codes import redirected as _redirect
from tests.matrix_codes import refused_if_visible

WRITE_URLS = {
    "agreement_create",
    "agreement_edit",
    "agreement_sign",
    "agreement_scan",
    "agreement_terminate",
    "agreement_delete",
    "agreement_import",
    "network_pdf",
}

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MUNICIPALITIES = {
    "own": "municipality",
    "neighbour": "neighbour_municipality",
    "other": "other_municipality",
}
REQUESTERS = {
    "own": "municipal_coordinator",
    "neighbour": "neighbour_coordinator",
    "other": "superuser",
}


def _parties(world, which):
    from partnerships.constants import AgreementKind, PartyRole
    from partnerships.services import PartyInput

    if which == "own":
        return AgreementKind.THREE_PARTY, [
            PartyInput(world.centre, PartyRole.CURATOR_CENTRE),
            PartyInput(world.second_school, PartyRole.LEADER_SCHOOL),
            PartyInput(world.school, PartyRole.SUPPORTED),
        ]
    centre, school = {
        "neighbour": (world.neighbour_centre, world.neighbour_school),
        "other": (world.other_authority, world.other_school),
    }[which]
    return AgreementKind.CENTRE_SCHOOL, [
        PartyInput(centre, PartyRole.CURATOR_CENTRE),
        PartyInput(school, PartyRole.SUPPORTED),
    ]


def _build(world, which):
    from core.models import JobState
    from partnerships import services
    from partnerships.models import NetworkExport
    from partnerships.services import AgreementInput
    from roadmaps.constants import RoadmapLevel
    from roadmaps.models import Roadmap
    from schools.access import SYSTEM

    owner = {"own": world.centre, "neighbour": world.neighbour_centre}.get(
        which, world.other_authority
    )
    plan = Roadmap.objects.create(
        owner=owner,
        title=f"Сетевой план {which}",
        level=RoadmapLevel.CENTRE,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )
    kind, parties = _parties(world, which)

    def data(number):
        return AgreementInput(
            kind=kind,
            subject="Сетевое взаимодействие",
            number=number,
            valid_from=datetime.date(2025, 9, 1),
            parties=parties,
            roadmaps=[plan] if number.endswith("1") else [],
        )

    signed = services.agreement_create(
        acting_user=SYSTEM,
        data=data(f"{which}-1"),
        signed_on=datetime.date(2025, 9, 1),
        scan=ContentFile(PDF, name="соглашение.pdf"),
    )
    draft = services.agreement_create(acting_user=SYSTEM, data=data(f"{which}-2"))
    path = storages["private"].save(f"partnerships/matrix-{which}.pdf", ContentFile(PDF))
    job = NetworkExport.objects.create(
        municipality=getattr(world, MUNICIPALITIES[which]),
        title=f"Список {which}",
        created_by=world.user(REQUESTERS[which]),
        state=JobState.DONE,
        file_path=path,
        file_size=len(PDF),
        pages=1,
    )
    return {"signed": signed, "draft": draft, "plan": plan, "job": job}


def prepare(world) -> None:
    if hasattr(world, "_partnerships"):
        return
    world._partnerships = {which: _build(world, which) for which in MUNICIPALITIES}


def _target(kind):
    def target(world, which):
        return {"pk": world._partnerships[which][kind].pk}

    return target


def _municipality(world, which):
    return {"scope": "municipality", "pk": getattr(world, MUNICIPALITIES[which]).pk}


def _plan(world, which):
    return {"scope": "plan", "pk": world._partnerships[which]["plan"].pk}


NEIGHBOURS = ("neighbour_coordinator", "partner", "foreign_curator", "two_roles")
OTHER = _codes(404, anonymous="login", superuser=200)

# The home agreement: every member of the home municipality (the school's director and
# deputy as a party's staff), the region, the curators of the home school (the foreign one
# included) and the two-role person as the school's deputy; not Армавир's coordinator
# nor its centre's head.
VIEW_OWN = _codes(200, anonymous="login", outsider=404, neighbour_coordinator=404, partner=404)
# Армавир's agreement: the region and Армавир's people.
VIEW_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    superuser=200,
    **dict.fromkeys(NEIGHBOURS, 200),
)
# Managing: the municipal coordinator of a party's municipality (and the superuser).
CHANGE_OWN = {
    **refused_if_visible(VIEW_OWN),
    "municipal_coordinator": 200,
    "superuser": 200,
}
CHANGE_NEIGHBOUR = {
    **refused_if_visible(VIEW_NEIGHBOUR),
    "neighbour_coordinator": 200,
    "two_roles": 200,
    "superuser": 200,
}
# Pages without an object: whoever sees agreements anywhere (every role; not the outsider).
LIST = _codes(200, anonymous="login", outsider=403)
# Recording and importing: the municipal coordinators (and the superuser).
COORDINATORS = _codes(
    403,
    anonymous="login",
    municipal_coordinator=200,
    superuser=200,
    neighbour_coordinator=200,
    two_roles=200,
)
# A municipality's network: whoever sees the municipality (containers upwards included).
NETWORK_OWN = _codes(200, anonymous="login", outsider=404, neighbour_coordinator=404, partner=404)
NETWORK_NEIGHBOUR = VIEW_NEIGHBOUR
# A network plan of the home centre: those who see the plan — by reach (not the school's
# people, nor a curator of a school: their reach is the school), and the staff of the
# parties of the signed agreement naming it (the home school's director and deputy, the
# two-role person as its deputy).
PLAN_OWN = _codes(
    200,
    anonymous="login",
    outsider=404,
    neighbour_coordinator=404,
    partner=404,
    foreign_curator=404,
)
PLAN_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    superuser=200,
    **dict.fromkeys(NEIGHBOURS, 200),
)
# A PDF job: its requester's own.
JOB_OWN = _codes(404, anonymous="login", municipal_coordinator=200)
JOB_NEIGHBOUR = _codes(404, anonymous="login", neighbour_coordinator=200)
JOB_OTHER = _codes(404, anonymous="login", superuser=200)


def _edit_data(world, which):
    agreement = world._partnerships[which]["signed"]
    _, parties = _parties(world, which)
    data = {
        "number": agreement.number,
        "kind": agreement.kind,
        "subject": "Сетевое взаимодействие (изм.)",
        "valid_from": "2025-09-01",
        "version": str(agreement.version),
        "roadmaps": [world._partnerships[which]["plan"].pk],
        "party-TOTAL_FORMS": str(len(parties)),
        "party-INITIAL_FORMS": str(len(parties)),
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "30",
    }
    for index, party in enumerate(parties):
        data[f"party-{index}-organisation"] = str(party.organisation.pk)
        data[f"party-{index}-role"] = party.role
    return data


def _create_data(world, which):
    """A new agreement of the home centre and the home school: the home coordinator (and the
    superuser) record it; Армавир's coordinators may not name the home organisations (the
    form refuses them, 200, nothing written)."""
    return {
        "number": "Н-1",
        "kind": "centre_school",
        "subject": "Методическое сопровождение",
        "valid_from": "2025-09-01",
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "30",
        "party-0-organisation": str(world.centre.pk),
        "party-0-role": "curator_centre",
        "party-1-organisation": str(world.school.pk),
        "party-1-role": "supported",
    }


CREATE_POST = {
    **COORDINATORS,
    "municipal_coordinator": 302,
    "superuser": 302,
}


def rows(Row):
    draft, signed = _target("draft"), _target("signed")
    return {
        "agreement_list": Row(own=LIST),
        "agreement_create": Row(own=COORDINATORS),
        "agreement_create POST": Row(method="post", data=_create_data, own=CREATE_POST),
        "agreement_import": Row(own=COORDINATORS),
        # Without a file the form is refused: holders of the verb see it again.
        "agreement_import POST": Row(method="post", data={}, own=COORDINATORS),
        "agreement_detail": Row(target=signed, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=OTHER),
        "agreement_scan_download": Row(
            target=signed, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=OTHER
        ),
        "agreement_edit": Row(
            target=signed, own=CHANGE_OWN, neighbour=CHANGE_NEIGHBOUR, other=OTHER
        ),
        "agreement_edit POST": Row(
            target=signed,
            method="post",
            data=_edit_data,
            own=_redirect(CHANGE_OWN),
            neighbour=_redirect(CHANGE_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "agreement_sign POST": Row(
            target=draft,
            method="post",
            data={"signed_on": "2025-09-02"},
            own=_redirect(CHANGE_OWN),
            neighbour=_redirect(CHANGE_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "agreement_scan POST": Row(
            target=signed,
            method="post",
            data=lambda world, which: {"scan": ContentFile(PDF, name="скан.pdf")},
            own=_redirect(CHANGE_OWN),
            neighbour=_redirect(CHANGE_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "agreement_terminate POST": Row(
            target=signed,
            method="post",
            data={"terminated_on": "2025-12-01", "reason": "Соглашение сторон"},
            own=_redirect(CHANGE_OWN),
            neighbour=_redirect(CHANGE_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "agreement_delete POST": Row(
            target=draft,
            method="post",
            own=_redirect(CHANGE_OWN),
            neighbour=_redirect(CHANGE_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "network": Row(
            target=_municipality, own=NETWORK_OWN, neighbour=NETWORK_NEIGHBOUR, other=OTHER
        ),
        "network plan": Row(target=_plan, own=PLAN_OWN, neighbour=PLAN_NEIGHBOUR, other=OTHER),
        "network_export": Row(
            target=_municipality, own=NETWORK_OWN, neighbour=NETWORK_NEIGHBOUR, other=OTHER
        ),
        "network_export plan": Row(
            target=_plan, own=PLAN_OWN, neighbour=PLAN_NEIGHBOUR, other=OTHER
        ),
        "network_pdf POST": Row(
            target=_municipality,
            method="post",
            own=_redirect(NETWORK_OWN),
            neighbour=_redirect(NETWORK_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "network_pdf_detail": Row(
            target=_target("job"), own=JOB_OWN, neighbour=JOB_NEIGHBOUR, other=JOB_OTHER
        ),
        "network_pdf_download": Row(
            target=_target("job"), own=JOB_OWN, neighbour=JOB_NEIGHBOUR, other=JOB_OTHER
        ),
    }
