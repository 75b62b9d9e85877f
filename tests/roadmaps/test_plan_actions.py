"""``plan_actions``: the buttons of the plan page per persona — each flag true exactly when
the view behind the button lets the person through, in one query per page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from roadmaps.actions import PLAN_ACTIONS, list_actions, plan_actions
from roadmaps.constants import RoadmapStatus
from schools import access
from tests.roadmaps.factories import RoadmapFactory

pytestmark = pytest.mark.django_db

NOTHING = dict.fromkeys(PLAN_ACTIONS, False)
READ = {**NOTHING, "print": True, "history": True}
READ_EXPORT = {**READ, "export": True}
EDIT = {**READ_EXPORT, "change": True, "edit": True}


def plan(world, owner=None, **fields):
    return RoadmapFactory(owner=owner or world.authority, **fields)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("municipal_coordinator", {**EDIT, "duplicate": True}),
        ("partner", READ),
        ("regional_coordinator", READ_EXPORT),
        ("head", READ_EXPORT),
        ("school_deputy", NOTHING),  # the authority's plan is not the school's
        ("methodologist", READ),  # sees the municipality's plans, writes only the centre's
        ("neighbour_coordinator", NOTHING),
        ("outsider", NOTHING),
        ("anonymous", NOTHING),
        ("superuser", {**EDIT, "duplicate": True}),
    ],
)
def test_actions_on_the_authority_plan(world, persona, expected):
    roadmap = plan(world)
    world.grant_partner(roadmap)
    assert plan_actions(world.user(persona) or _anonymous(), roadmap) == expected


def test_partner_without_the_grant_has_nothing(world):
    assert plan_actions(world.user("partner"), plan(world)) == NOTHING


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("methodologist", {**EDIT, "duplicate": True}),
        ("municipal_coordinator", {**EDIT, "duplicate": True}),
        ("head", READ_EXPORT),
        ("foreign_curator", NOTHING),  # curates a school, not the centre
    ],
)
def test_actions_on_the_centre_plan(world, persona, expected):
    assert plan_actions(world.user(persona), plan(world, owner=world.centre)) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("school_deputy", EDIT),  # writes and submits the school's plan, adds none
        ("school_director", EDIT),
        ("two_roles", EDIT),  # a deputy here, a coordinator only in Армавир
        ("municipal_coordinator", {**EDIT, "duplicate": True}),
        ("methodologist", READ_EXPORT),  # curator of the school: look and export
    ],
)
def test_actions_on_the_school_plan(world, persona, expected):
    assert plan_actions(world.user(persona), plan(world, owner=world.school)) == expected


def test_a_plan_that_is_no_longer_a_draft_is_not_edited(world):
    roadmap = plan(world, status=RoadmapStatus.APPROVED)
    actions = plan_actions(world.user("municipal_coordinator"), roadmap)
    assert actions == {**READ_EXPORT, "change": True, "duplicate": True}


def test_templates_are_handed_to_schools_only_by_who_may_create_their_plans(world):
    coordinator_template = plan(world, is_template=True)
    coordinator = plan_actions(world.user("municipal_coordinator"), coordinator_template)
    assert coordinator == {**EDIT, "duplicate": True, "copies": True, "distribute": True}
    # A methodologist edits the centre's template but adds plans only for the centre.
    centre_template = plan(world, owner=world.centre, is_template=True)
    methodologist = plan_actions(world.user("methodologist"), centre_template)
    assert methodologist == {**EDIT, "duplicate": True, "copies": True}
    # Whoever sees a template may look at its copies.
    assert plan_actions(world.user("regional_coordinator"), coordinator_template) == {
        **READ_EXPORT,
        "copies": True,
    }


def test_the_flags_agree_with_the_views(world, client):
    """Each button a persona is shown works; each one hidden answers 403 (or 404). The
    next period's copy is checked by making it: the form opens for anyone who may add
    some plan, the copy only for who may add a plan of this owner."""
    roadmap = plan(world)
    world.grant_partner(roadmap)
    urls = {
        "export": reverse("roadmap_export", args=[roadmap.pk, "docx"]),
        "history": reverse("roadmap_history", args=[roadmap.pk]),
        "edit": reverse("roadmap_edit", args=[roadmap.pk]),
        "print": reverse("roadmap_print", args=[roadmap.pk]),
    }
    for persona in (
        "municipal_coordinator",
        "partner",
        "regional_coordinator",
        "head",
        "methodologist",
    ):
        user = world.user(persona)
        actions = plan_actions(user, roadmap)
        client.force_login(user)
        for action, url in urls.items():
            status = client.get(url).status_code
            assert (status == 200) is actions[action], (persona, action, status)
        status = client.post(
            reverse("roadmap_duplicate", args=[roadmap.pk]),
            {"title": "Следующий план", "period_start": "2023-01-01", "period_end": "2023-12-31"},
        ).status_code
        assert (status == 302) is actions["duplicate"], (persona, "duplicate", status)


def test_one_query_once_the_person_is_known(world, django_assert_num_queries):
    coordinator = world.user("municipal_coordinator")
    roadmap = plan(world, is_template=True)
    plan_actions(coordinator, roadmap)  # loads the memberships, as the page already has
    with django_assert_num_queries(1):
        plan_actions(coordinator, roadmap)
    access.forget(coordinator)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("municipal_coordinator", {"add": True, "import": True}),
        ("methodologist", {"add": True, "import": True}),
        ("partner", {"add": False, "import": False}),
        ("regional_coordinator", {"add": False, "import": False}),
        ("head", {"add": False, "import": False}),
        ("school_deputy", {"add": False, "import": False}),
        ("anonymous", {"add": False, "import": False}),
    ],
)
def test_list_actions(world, persona, expected):
    assert list_actions(world.user(persona) or _anonymous()) == expected


def _anonymous():
    return AnonymousUser()
