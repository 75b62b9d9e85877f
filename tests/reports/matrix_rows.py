"""Access-matrix rows of the reports URLs (merged into tests/test_access_matrix.py).

Targets: the draft plan of the target's school (``tests.roadmaps.matrix_rows.plan``), the
school itself, and a finished report per target, asked for by the municipality's
coordinator at home, Армавир's coordinator in the neighbour, the superuser in the other
region. A report is its requester's own: nobody else sees it (404), whatever they see of
the plan. The verification pages are public.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from tests.conftest import PERSONAS
from tests.roadmaps.matrix_rows import OTHER, VIEW_NEIGHBOUR, VIEW_OWN
from tests.roadmaps.matrix_rows import plan as school_plan

WRITE_URLS = {"roadmap_report_create", "organisation_report_create"}

REQUESTERS = {
    "own": "municipal_coordinator",
    "neighbour": "neighbour_coordinator",
    "other": "superuser",
}
SCHOOLS = {"own": "school", "neighbour": "neighbour_school", "other": "other_school"}
TOKEN = "matrix-signed-report-token-0123456789"


def _codes(default, **overrides):
    result = dict.fromkeys(PERSONAS, default)
    result.update(overrides)
    return result


def prepare(world) -> None:
    if hasattr(world, "_reports"):
        return
    from core.models import JobState
    from reports.constants import ReportKind
    from reports.models import Report

    storage = storages["private"]
    world._reports = {}
    for which, persona in REQUESTERS.items():
        roadmap = _plan(world, which)
        path = storage.save(f"reports/matrix-{which}.pdf", ContentFile(b"%PDF-1.7\n%matrix\n"))
        world._reports[which] = Report.objects.create(
            kind=ReportKind.ROADMAP,
            roadmap=roadmap,
            revision=roadmap.revision,
            fingerprint=f"matrix-{which}",
            state=JobState.DONE,
            file_path=path,
            file_size=17,
            created_by=world.user(persona),
            signed=which == "own",
            token=TOKEN if which == "own" else None,
        )


def _plan(world, which):
    from roadmaps.models import Roadmap

    return Roadmap.objects.get(pk=school_plan(world, which)["pk"])


def report(world, which):
    return {"pk": world._reports[which].pk}


def school(world, which):
    return {"pk": getattr(world, SCHOOLS[which]).pk}


def _redirect(codes):
    return {persona: 302 if code == 200 else code for persona, code in codes.items()}


def _refused(codes):
    return {persona: 400 if code == 200 else code for persona, code in codes.items()}


# The home school: whoever sees it (not Армавир's coordinator, nor the partner).
SCHOOL_OWN = _codes(200, anonymous="login", outsider=404, neighbour_coordinator=404, partner=404)
SCHOOL_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    superuser=200,
    neighbour_coordinator=200,
    partner=200,
    foreign_curator=200,
    two_roles=200,
)


def _only(persona):
    return _codes(404, anonymous="login", **{persona: 200})


PUBLIC = _codes(200)


def rows(Row):
    return {
        "roadmap_reports": Row(
            target=school_plan, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=OTHER
        ),
        # A PDF of the plan: whoever sees it gets a job (302 to its page).
        "roadmap_report_create POST": Row(
            target=school_plan,
            method="post",
            data={"kind": "roadmap"},
            own=_redirect(VIEW_OWN),
            neighbour=_redirect(VIEW_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        # Signing a draft: refused with a message (400) for everyone who sees it; nothing
        # is written.
        "roadmap_report_create signed": Row(
            target=school_plan,
            method="post",
            data={"kind": "roadmap", "signed": "1"},
            own=_refused(VIEW_OWN),
            neighbour=_refused(VIEW_NEIGHBOUR),
            other=_refused(OTHER),
        ),
        "organisation_reports": Row(
            target=school,
            own=SCHOOL_OWN,
            neighbour=SCHOOL_NEIGHBOUR,
            other=OTHER,
        ),
        "organisation_report_create POST": Row(
            target=school,
            method="post",
            data={"format": "xlsx"},
            own=_redirect(SCHOOL_OWN),
            neighbour=_redirect(SCHOOL_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "report_detail": Row(
            target=report,
            own=_only("municipal_coordinator"),
            neighbour=_only("neighbour_coordinator"),
            other=_only("superuser"),
        ),
        "report_download": Row(
            target=report,
            own=_only("municipal_coordinator"),
            neighbour=_only("neighbour_coordinator"),
            other=_only("superuser"),
        ),
        "report_verify": Row(own=PUBLIC),
        # Without a file the form is refused (400) for anyone; nothing is written.
        "report_verify POST": Row(method="post", data={}, own=_codes(400)),
        "report_verify_token": Row(target=lambda world, which: {"token": TOKEN}, own=PUBLIC),
        # The PDF of a published revision (the workflow rows' public link): anyone, no
        # login (its file is still being made: the page that says so); an unknown link: 404.
        "public_pdf": Row(
            target=lambda world, which: {
                "token": world._public.token if which == "own" else "no-such-link"
            },
            own=PUBLIC,
            other=_codes(404),
        ),
    }
