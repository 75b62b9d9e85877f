"""``selectors.part_for_change``: the change scope of a measure or section decided from the
person's loaded reach gives, persona by persona, exactly the rows of
``for_user(user, "change")``."""

import pytest
from guardian.shortcuts import assign_perm

from roadmaps.models import Measure, Section
from roadmaps.selectors import part_for_change
from schools import access
from tests.conftest import PERSONAS
from tests.roadmaps.factories import MeasureFactory, RoadmapFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(world):
    """A section with a measure in a plan of every owner of the cast."""
    rows = []
    for owner in (
        world.authority,
        world.centre,
        world.school,
        world.second_school,
        world.neighbour_authority,
        world.regional_authority,
        world.other_authority,
    ):
        roadmap = RoadmapFactory(owner=owner)
        section = SectionFactory(roadmap=roadmap)
        rows += [section, MeasureFactory(roadmap=roadmap, section=section)]
    return rows


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_reach_in_python_is_the_change_scope_in_sql(world, parts, persona):
    user = world.user(persona)
    # A grant of change on one foreign plan: decided by the query of its grants.
    granted = parts[-1].roadmap
    if user is not None:
        assign_perm("roadmaps.change_roadmap", user, granted)
        access.forget(user)
    for model in (Measure, Section):
        expected = set(model.objects.for_user(user, "change").values_list("pk", flat=True))
        decided = {
            part.pk
            for part in parts
            if isinstance(part, model) and part_for_change(model, user, part.pk) is not None
        }
        assert decided == expected & {part.pk for part in parts if isinstance(part, model)}
        if user is not None and not user.is_superuser:
            assert {part.pk for part in parts if part.roadmap_id == granted.pk} & decided


def test_a_missing_part_is_none(world):
    coordinator = world.user("municipal_coordinator")
    assert part_for_change(Measure, coordinator, 10**12) is None
    assert part_for_change(Measure, coordinator, "not a number") is None
