"""Access-matrix rows of the dashboards (merged into tests/test_access_matrix.py).

A dashboard is shown to those whose reach for viewing execution covers its whole region,
municipality or school; whoever sees the object only as a container gets 403, the rest
404. Targets: the home region / municipality / school, Армавир's municipality and school,
the other region's. The export asks for a report job (302 to its page).
"""

from tests.matrix_codes import codes as _codes
from tests.matrix_codes import redirected as _redirect

WRITE_URLS = {"dashboard_export"}
NEIGHBOURS = ("neighbour_coordinator", "partner", "foreign_curator", "two_roles")
OTHER = _codes(404, anonymous="login", superuser=200)

# The region: its coordinator; every member in it sees the region's name (403).
REGION_OWN = _codes(403, anonymous="login", outsider=404, regional_coordinator=200, superuser=200)
# The home municipality: its staff and the region; its schools' people and the foreign
# curator see it as the container of their school.
MUNICIPALITY_OWN = _codes(
    200,
    anonymous="login",
    outsider=404,
    neighbour_coordinator=404,
    partner=404,
    school_director=403,
    school_deputy=403,
    foreign_curator=403,
    two_roles=403,
)
AREA_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    superuser=200,
    **dict.fromkeys(NEIGHBOURS, 200),
)
# The home school: every member of the home municipality, its curators, the two-role person
# as its deputy.
SCHOOL_OWN = _codes(200, anonymous="login", outsider=404, neighbour_coordinator=404, partner=404)
# Where the dashboards start: everyone with a reach (to their widest dashboard).
START = _codes(302, anonymous="login", outsider=403)

REGIONS = {"own": "region", "other": "other_region"}
MUNICIPALITIES = {
    "own": "municipality",
    "neighbour": "neighbour_municipality",
    "other": "other_municipality",
}
SCHOOLS = {"own": "school", "neighbour": "neighbour_school", "other": "other_school"}


def prepare(world) -> None:
    pass


def _target(names, kind=None):
    def target(world, which):
        pk = getattr(world, names[which]).pk
        return {"kind": kind, "pk": pk} if kind else {"pk": pk}

    return target


def rows(Row):
    return {
        "dashboards": Row(own=START),
        "dashboard_region": Row(target=_target(REGIONS), own=REGION_OWN, other=OTHER),
        "dashboard_municipality": Row(
            target=_target(MUNICIPALITIES),
            own=MUNICIPALITY_OWN,
            neighbour=AREA_NEIGHBOUR,
            other=OTHER,
        ),
        "dashboard_school": Row(
            target=_target(SCHOOLS), own=SCHOOL_OWN, neighbour=AREA_NEIGHBOUR, other=OTHER
        ),
        "dashboard_export POST region": Row(
            target=_target(REGIONS, "region"),
            method="post",
            data={"format": "pdf"},
            own=_redirect(REGION_OWN),
            other=_redirect(OTHER),
        ),
        "dashboard_export POST municipality": Row(
            target=_target(MUNICIPALITIES, "municipality"),
            method="post",
            data={"format": "xlsx"},
            own=_redirect(MUNICIPALITY_OWN),
            neighbour=_redirect(AREA_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
        "dashboard_export POST school": Row(
            target=_target(SCHOOLS, "school"),
            method="post",
            data={"format": "pdf"},
            own=_redirect(SCHOOL_OWN),
            neighbour=_redirect(AREA_NEIGHBOUR),
            other=_redirect(OTHER),
        ),
    }
