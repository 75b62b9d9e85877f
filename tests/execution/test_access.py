"""Who sees, marks and reviews which execution records (execution.querysets, the verbs of
schools.roles)."""

import datetime
from pathlib import Path

import pytest

from execution import services as execution
from execution.models import Evidence, ExecutionRecord
from roadmaps import services
from roadmaps.constants import AssignmentMode
from schools.roles import CURATOR_PERMISSIONS, ROLE_PERMISSIONS

D = datetime.date
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def plan(world):
    """A network plan of the home authority: a seminar (March, September 2020) for both
    home schools and the school of Армавир."""
    root = world.user("superuser")
    plan = services.roadmap_create(
        acting_user=root,
        owner=world.authority,
        title="Сетевой план",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    measure = services.measure_create(
        roadmap=plan, acting_user=root, title="Семинар", deadline_text="март, сентябрь 2020"
    )
    services.measure_assign(
        measure=measure,
        acting_user=root,
        mode=AssignmentMode.ORGANISATIONS,
        organisations=[world.school, world.second_school, world.neighbour_school],
    )
    execution.start_execution(roadmap=plan, acting_user=root)
    return plan


ALL = {"school", "second_school", "neighbour_school"}


def reached(world, persona, action):
    names = {
        world.school.pk: "school",
        world.second_school.pk: "second_school",
        world.neighbour_school.pk: "neighbour_school",
    }
    rows = ExecutionRecord.objects.for_user(world.user(persona), action)
    ids = list(rows.values_list("pk", flat=True))
    assert len(ids) == len(set(ids)), "a record listed twice"
    return {names[o] for o in rows.values_list("organisation_id", flat=True)}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", set()),
        ("outsider", set()),
        # whoever sees the plan sees all its records
        ("regional_coordinator", ALL),
        ("municipal_coordinator", ALL),
        ("methodologist", ALL),
        ("head", ALL),
        ("administrator", ALL),
        ("superuser", ALL),
        # a school sees its own rows of the plan, without seeing the plan
        ("school_director", {"school"}),
        ("school_deputy", {"school"}),
        # Армавир sees its school's rows of the network plan, nothing else of it
        ("neighbour_coordinator", {"neighbour_school"}),
        ("partner", {"neighbour_school"}),
        ("foreign_curator", {"school", "neighbour_school"}),
        ("two_roles", {"school", "neighbour_school"}),
    ],
)
def test_who_sees_which_records(world, plan, persona, expected):
    assert reached(world, persona, "view") == expected


def test_a_partner_with_a_grant_on_the_plan_sees_all_its_records(world, plan):
    world.grant_partner(plan)
    assert reached(world, "partner", "view") == ALL


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("school_director", {"school"}),
        ("school_deputy", {"school"}),
        ("municipal_coordinator", {"school", "second_school"}),
        ("methodologist", {"school", "second_school"}),
        ("neighbour_coordinator", {"neighbour_school"}),
        ("foreign_curator", {"neighbour_school"}),
        # a deputy at home, a coordinator in Армавир
        ("two_roles", {"school", "neighbour_school"}),
        ("regional_coordinator", set()),
        ("head", set()),
        ("partner", set()),
        ("administrator", set()),
        ("outsider", set()),
        ("anonymous", set()),
    ],
)
def test_who_marks_which_records(world, plan, persona, expected):
    assert reached(world, persona, "execution.mark_executionrecord") == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("municipal_coordinator", {"school", "second_school"}),
        # curators: only the schools assigned to them, wherever they come from
        ("methodologist", {"school"}),
        ("foreign_curator", {"school"}),
        ("neighbour_coordinator", {"neighbour_school"}),
        ("two_roles", {"neighbour_school"}),
        ("school_director", set()),
        ("school_deputy", set()),
        ("regional_coordinator", set()),
        ("head", set()),
        ("outsider", set()),
    ],
)
def test_who_reviews_which_records(world, plan, persona, expected):
    assert reached(world, persona, "execution.review_executionrecord") == expected


def test_evidence_is_seen_with_its_record(world, plan):
    school_row = ExecutionRecord.objects.filter(organisation=world.school).first()
    other_row = ExecutionRecord.objects.filter(organisation=world.second_school).first()
    mine = Evidence.objects.create(record=school_row, kind="link", url="https://school3.ru/a")
    Evidence.objects.create(record=other_row, kind="link", url="https://school5.ru/b")
    deputy = world.user("school_deputy")
    assert list(Evidence.objects.for_user(deputy, "view")) == [mine]
    assert list(Evidence.objects.for_user(deputy, "add")) == [mine]
    assert Evidence.objects.for_user(world.user("municipal_coordinator"), "view").count() == 2
    assert not Evidence.objects.for_user(world.user("outsider"), "view").exists()


def test_the_role_table_names_the_execution_verbs():
    mark, review = "execution.mark_executionrecord", "execution.review_executionrecord"
    markers = {role for role, perms in ROLE_PERMISSIONS.items() if mark in perms}
    reviewers = {role for role, perms in ROLE_PERMISSIONS.items() if review in perms}
    assert markers == {"school_director", "school_deputy", "municipal_coordinator", "methodologist"}
    assert reviewers == {"municipal_coordinator"}
    assert {review, "execution.view_executionrecord"} <= CURATOR_PERMISSIONS
    assert all(
        "execution.view_executionrecord" in perms
        for perms in ROLE_PERMISSIONS.values()
        if "roadmaps.view_roadmap" in perms
    )


def test_the_role_groups_hold_the_execution_verbs(world):
    deputy = world.user("school_deputy")
    assert deputy.has_perm("execution.mark_executionrecord")
    assert not deputy.has_perm("execution.review_executionrecord")
    assert world.user("municipal_coordinator").has_perm("execution.review_executionrecord")


def test_schools_never_imports_execution():
    for path in (ROOT / "schools").rglob("*.py"):
        text = path.read_text()
        assert "from execution" not in text, path
        assert "import execution" not in text, path
