"""Access-matrix rows of the roadmaps URLs (merged into tests/test_access_matrix.py).

"Own" is the plan of the cast's home school (every member persona sees it; who may change
it follows the rule table); "other" is a plan of a school in another region."""

import datetime

from roadmaps.models import Measure, Roadmap, Section
from tests.conftest import PERSONAS


def _codes(default, **overrides):
    result = dict.fromkeys(PERSONAS, default)
    result.update(overrides)
    return result


def _plan(world, which):
    attr = f"_plan_{which}"
    if not hasattr(world, attr):
        owner = world.school if which == "own" else world.other_school
        roadmap = Roadmap.objects.create(
            owner=owner,
            title=f"План {which}",
            period_start=datetime.date(2020, 1, 1),
            period_end=datetime.date(2022, 12, 31),
        )
        section = Section.objects.create(
            roadmap=roadmap, number="1.", title="Организационные мероприятия", order=1
        )
        Measure.objects.create(
            roadmap=roadmap, section=section, number="1.1.", title="Семинар", order=1
        )
        setattr(world, attr, roadmap)
    return getattr(world, attr)


def plan(world, which):
    return {"pk": _plan(world, which).pk}


def section(world, which):
    return {"pk": _plan(world, which).sections.get().pk}


def measure(world, which):
    return {"pk": _plan(world, which).measures.get().pk}


OTHER = _codes(404, anonymous="login", superuser=200)
VIEW_OWN = _codes(200, anonymous="login", outsider=404)
# Writers of the home school's plan: the municipality's coordinator, the school's director
# and deputy; the rest see it without the verb.
CHANGE_OWN = _codes(
    403,
    anonymous="login",
    outsider=404,
    municipal_coordinator=200,
    school_director=200,
    school_deputy=200,
    superuser=200,
)


def _redirect(codes):
    return {persona: 302 if code == 200 else code for persona, code in codes.items()}


def rows(Row):
    view = {"own": VIEW_OWN, "other": OTHER}
    change = {"own": CHANGE_OWN, "other": OTHER}
    change_post = {"own": _redirect(CHANGE_OWN), "other": _redirect(OTHER)}
    adders = _codes(
        403, anonymous="login", municipal_coordinator=200, methodologist=200, superuser=200
    )
    return {
        "roadmap_list": Row(own=_codes(200, anonymous="login")),
        "roadmap_create": Row(own=adders),
        "roadmap_import_start": Row(own=adders),
        # An unknown upload token: verb holders are sent back to the upload page.
        "roadmap_import_preview": Row(
            target=lambda world, which: {"token": "0" * 32},
            own={**_redirect(adders), "anonymous": "login"},
        ),
        "roadmap_detail": Row(target=plan, **view),
        "roadmap_print": Row(target=plan, **view),
        # Every role holds the export verb except the administrator (directory only).
        "roadmap_export": Row(
            target=lambda world, which: {**plan(world, which), "fmt": "xlsx"},
            own={**VIEW_OWN, "administrator": 403},
            other=OTHER,
        ),
        "roadmap_history": Row(target=plan, **view),
        "roadmap_copies": Row(target=plan, **view),
        "roadmap_duplicate": Row(target=plan, own={**adders, "outsider": 404}, other=OTHER),
        "roadmap_edit": Row(target=plan, **change),
        "roadmap_review": Row(target=plan, **change),
        "roadmap_distribute": Row(target=plan, **change),
        "roadmap_group": Row(target=plan, **change),
        "section_create": Row(target=plan, **change),
        "measure_create": Row(target=plan, **change),
        "item_move": Row(target=plan, method="post", **change_post),
        "section_edit": Row(target=section, **change),
        "section_delete": Row(target=section, method="post", **change_post),
        "measure_row": Row(target=measure, **view),
        "measure_history": Row(target=measure, **view),
        "measure_edit": Row(target=measure, **change),
        "measure_schedule": Row(target=measure, **change),
        "measure_assign": Row(target=measure, **change),
        "measure_delete": Row(target=measure, method="post", **change_post),
    }
