"""Access-matrix rows of the roadmaps URLs (merged into tests/test_access_matrix.py).

Targets (see tests/conftest.py for the cast):

* "own" — the plan of the home school. Every member persona of the home municipality sees
  it; the partner centre of Армавир holds a guardian grant on exactly this plan (view and
  agree); who may change it follows the rule table.
* "neighbour" — a plan of the school of Армавир, the neighbouring municipality of the same
  region: the regional coordinator and Армавир's people see it, the home municipality's
  people do not.
* "other" — a plan of a school in another region.

Keys are URL names; a second row of the same URL adds a word (``"roadmap_edit POST"``).
Every object a row points at is created in ``prepare`` (the matrix builds its world once
per module and rolls each case back, so an object made lazily inside a case would vanish
while the world still remembered it).
POST rows send valid data unless said otherwise: those without the verb get 403/404 and
the test checks that nothing was written; those with it get 302 (or 200 with the form's
error, nothing written either).
"""

import datetime

from roadmaps.constants import RoadmapLevel
from roadmaps.models import Measure, Roadmap, Section
from tests.conftest import PERSONAS

NEIGHBOURS = ("neighbour_coordinator", "partner", "foreign_curator", "two_roles")


def _codes(default, **overrides):
    result = dict.fromkeys(PERSONAS, default)
    result.update(overrides)
    return result


PLAN_OWNERS = {"own": "school", "neighbour": "neighbour_school", "other": "other_school"}
TEMPLATE_OWNERS = {"own": "centre", "neighbour": "neighbour_centre"}


def _new_plan(owner, title, **fields):
    roadmap = Roadmap.objects.create(
        owner=owner,
        title=title,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2022, 12, 31),
        **fields,
    )
    section = Section.objects.create(
        roadmap=roadmap, number="1.", title="Организационные мероприятия", order=1
    )
    Measure.objects.create(
        roadmap=roadmap, section=section, number="1.1.", title="Семинар", order=1
    )
    return roadmap


def _plan(world, which):
    attr = f"_plan_{which}"
    if not hasattr(world, attr):
        roadmap = _new_plan(getattr(world, PLAN_OWNERS[which]), f"План {which}")
        if which == "own":
            world.grant_partner(roadmap)
        setattr(world, attr, roadmap)
    return getattr(world, attr)


def _template(world, which):
    """A template plan of a centre (home or Армавир), to be handed to schools."""
    if which not in TEMPLATE_OWNERS:
        return _plan(world, which)
    attr = f"_template_{which}"
    if not hasattr(world, attr):
        owner = getattr(world, TEMPLATE_OWNERS[which])
        roadmap = _new_plan(owner, f"Шаблон {which}", is_template=True, level=RoadmapLevel.CENTRE)
        setattr(world, attr, roadmap)
    return getattr(world, attr)


def prepare(world) -> None:
    """Create every object the rows point at, before the first request (the matrix
    builds its world once per module, so nothing may be created lazily in a test)."""
    for which in PLAN_OWNERS:
        _plan(world, which)
    for which in TEMPLATE_OWNERS:
        _template(world, which)
    for which in ("own", "other"):
        _import_job(world, which)


def plan(world, which):
    return {"pk": _plan(world, which).pk}


def template(world, which):
    return {"pk": _template(world, which).pk}


def section(world, which):
    return {"pk": _plan(world, which).sections.get().pk}


def measure(world, which):
    return {"pk": _plan(world, which).measures.get().pk}


def _school(world, which):
    return getattr(world, PLAN_OWNERS[which])


# --- expected codes -----------------------------------------------------------------------

OTHER = _codes(404, anonymous="login", superuser=200)
# The home school's plan: every member sees it; of the neighbours, the partner through the
# grant, the foreign curator through the curatorship, the two-role person as a deputy.
VIEW_OWN = _codes(200, anonymous="login", outsider=404, neighbour_coordinator=404)
# Writers of the home school's plan: the municipality's coordinator, the school's director
# and deputy (the two-role person as a deputy); the rest see it without the verb.
CHANGE_OWN = _codes(
    403,
    anonymous="login",
    outsider=404,
    neighbour_coordinator=404,
    municipal_coordinator=200,
    school_director=200,
    school_deputy=200,
    two_roles=200,
    superuser=200,
)
# A plan of Армавир: the region's coordinator and Армавир's people see it.
VIEW_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    superuser=200,
    **dict.fromkeys(NEIGHBOURS, 200),
)
# Армавир's coordinators write it (the two-role person as Армавир's coordinator); the
# head and the methodologist of Армавир's centre do not (a methodologist writes only the
# centre's own plans).
CHANGE_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=403,
    partner=403,
    foreign_curator=403,
    neighbour_coordinator=200,
    two_roles=200,
    superuser=200,
)


def _redirect(codes):
    return {persona: 302 if code == 200 else code for persona, code in codes.items()}


def _header_data(world, which):
    """The plan's header form as the page shows it, with a new title."""
    from roadmaps.forms import RoadmapHeaderForm

    roadmap = _plan(world, which)
    form = RoadmapHeaderForm(instance=roadmap, initial={"version": roadmap.version})
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    data["title"] = f"{roadmap.title} (изменён)"
    return data


def _import_job(world, which):
    """An upload waiting for its parse: the home coordinator's for the centre, or one of
    the other region's authority (uploaded by nobody of the cast)."""
    attr = f"_import_job_{which}"
    if not hasattr(world, attr):
        from django.utils import timezone

        from roadmaps.models import ImportJob

        own = which == "own"
        job = ImportJob.objects.create(
            owner=world.centre if own else world.other_authority,
            created_by=world.user("municipal_coordinator") if own else None,
            file_name="план.docx",
            file_size=1,
            sha256="0" * 64,
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )
        setattr(world, attr, job)
    return {"pk": getattr(world, attr).pk}


UPLOADER = _codes(404, anonymous="login", municipal_coordinator=200)
NOBODY = _codes(404, anonymous="login")


def rows(Row):
    view = {"own": VIEW_OWN, "other": OTHER, "neighbour": VIEW_NEIGHBOUR}
    change = {"own": CHANGE_OWN, "other": OTHER, "neighbour": CHANGE_NEIGHBOUR}
    change_post = {key: _redirect(codes) for key, codes in change.items()}
    # The next-period copy: the plan's viewers who may add plans for its owner.
    duplicate = {
        "own": _codes(
            403,
            anonymous="login",
            outsider=404,
            neighbour_coordinator=404,
            municipal_coordinator=200,
            superuser=200,
        ),
        "other": OTHER,
        "neighbour": _codes(
            404,
            anonymous="login",
            regional_coordinator=403,
            partner=403,
            foreign_curator=403,
            neighbour_coordinator=200,
            two_roles=200,
            superuser=200,
        ),
    }
    # Holders of the add verb anywhere (the create and import pages).
    adders = _codes(
        403,
        anonymous="login",
        municipal_coordinator=200,
        methodologist=200,
        superuser=200,
        neighbour_coordinator=200,
        foreign_curator=200,
        two_roles=200,
    )
    return {
        "roadmap_list": Row(own=_codes(200, anonymous="login")),
        "roadmap_create": Row(own=adders),
        # A plan for a school: only a coordinator of the school's municipality (and the
        # superuser) may; other holders of the add verb get the form back with the
        # school refused (200, nothing written).
        "roadmap_create POST": Row(
            method="post",
            data=lambda world, which: {
                "owner": _school(world, which).pk,
                "level": RoadmapLevel.SCHOOL,
                "title": "Новый план школы",
                "period_start": "2023-01-01",
                "period_end": "2023-12-31",
            },
            own={**adders, "municipal_coordinator": 302, "superuser": 302},
            neighbour={
                **adders,
                "neighbour_coordinator": 302,
                "two_roles": 302,
                "superuser": 302,
            },
        ),
        "roadmap_import_start": Row(own=adders),
        # Without a file or text the form is refused: holders of the verb see it again.
        "roadmap_import_start POST": Row(
            method="post",
            data=lambda world, which: {"owner": world.school.pk},
            own=adders,
        ),
        # An upload being imported is its uploader's alone: everyone else — colleagues of
        # the same organisation and the superuser included — gets 404, as for no upload.
        "roadmap_import_preview": Row(target=_import_job, own=UPLOADER, other=NOBODY),
        "roadmap_import_status": Row(target=_import_job, own=UPLOADER, other=NOBODY),
        "roadmap_import_cancel": Row(
            target=_import_job, method="post", own=_redirect(UPLOADER), other=NOBODY
        ),
        "roadmap_detail": Row(target=plan, **view),
        "roadmap_print": Row(target=plan, **view),
        # Every role holds the export verb except the administrator (directory only); the
        # partner's grant is to view and agree, not to export; a methodologist exports
        # only the centre's plans and those of the schools they curate.
        "roadmap_export": Row(
            target=lambda world, which: {**plan(world, which), "fmt": "xlsx"},
            own={**VIEW_OWN, "administrator": 403, "partner": 403},
            other=OTHER,
            neighbour={**VIEW_NEIGHBOUR, "foreign_curator": 403},
        ),
        "roadmap_history": Row(target=plan, **view),
        "roadmap_copies": Row(target=plan, **view),
        # Only those who may add plans for the plan's owner (the copy keeps the owner) get
        # the form, and only they can save it: nobody is shown a form they cannot save.
        "roadmap_duplicate": Row(target=plan, **duplicate),
        "roadmap_duplicate POST": Row(
            target=plan,
            method="post",
            data={
                "title": "План на следующий период",
                "period_start": "2023-01-01",
                "period_end": "2025-12-31",
            },
            **{side: _redirect(codes) for side, codes in duplicate.items()},
        ),
        "roadmap_edit": Row(target=plan, **change),
        "roadmap_edit POST": Row(target=plan, method="post", data=_header_data, **change_post),
        "roadmap_review": Row(target=plan, **change),
        "roadmap_distribute": Row(target=plan, **change),
        # The plan is not a template: writers get the form back with the reason.
        "roadmap_distribute POST": Row(
            target=plan,
            method="post",
            data=lambda world, which: {"schools": [_school(world, which).pk]},
            **change,
        ),
        # Gap 3: a centre's template handed to a school of its municipality. The copy is a
        # plan of the school, so only the municipality's coordinator (and the superuser)
        # may; the centre's methodologist writes the template but is refused here.
        "roadmap_distribute POST template": Row(
            target=template,
            method="post",
            data=lambda world, which: {"schools": [_school(world, which).pk]},
            own=_codes(
                404,
                anonymous="login",
                regional_coordinator=403,
                municipal_coordinator=302,
                methodologist=403,
                head=403,
                administrator=403,
                superuser=302,
            ),
            other=OTHER,
            neighbour=_codes(
                404,
                anonymous="login",
                regional_coordinator=403,
                neighbour_coordinator=302,
                partner=403,
                foreign_curator=403,
                two_roles=302,
                superuser=302,
            ),
        ),
        "roadmap_group": Row(target=plan, **change),
        "roadmap_group POST": Row(
            target=plan,
            method="post",
            data=lambda world, which: {"schools": [_school(world, which).pk]},
            **change_post,
        ),
        "section_create": Row(target=plan, **change),
        "section_create POST": Row(
            target=plan,
            method="post",
            data={"title": "Новый раздел", "number": "9."},
            **change_post,
        ),
        "measure_create": Row(target=plan, **change),
        "measure_create POST": Row(
            target=plan, method="post", data={"title": "Новое мероприятие"}, **change_post
        ),
        "item_move": Row(
            target=plan,
            method="post",
            data=lambda world, which: {
                "kind": "measure",
                "id": _plan(world, which).measures.get().pk,
                "parent": "",
            },
            **change_post,
        ),
        "section_edit": Row(target=section, **change),
        "section_edit POST": Row(
            target=section,
            method="post",
            data={"title": "Раздел (изменён)", "number": "1.", "version": 1},
            **change_post,
        ),
        "section_delete": Row(target=section, method="post", **change_post),
        "measure_row": Row(target=measure, **view),
        "measure_history": Row(target=measure, **view),
        "measure_edit": Row(target=measure, **change),
        "measure_edit POST": Row(
            target=measure,
            method="post",
            data={"title": "Семинар (изменён)", "version": 1},
            **change_post,
        ),
        "measure_schedule": Row(target=measure, **change),
        "measure_schedule POST": Row(
            target=measure,
            method="post",
            data={"kind": "once", "windows": "01.09.2020 – 30.09.2020", "version": 1},
            **change_post,
        ),
        "measure_assign": Row(target=measure, **change),
        "measure_assign POST": Row(
            target=measure,
            method="post",
            data=lambda world, which: {
                "mode": "organisations",
                "organisations": [_school(world, which).pk],
            },
            **change_post,
        ),
        "measure_delete": Row(target=measure, method="post", **change_post),
    }
