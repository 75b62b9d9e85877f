"""The one matcher of responsible organisations (used by editing and by the import)."""

from schools.selectors import match_responsible, responsible_candidates
from tests.factories import SchoolFactory


def test_candidates_are_the_owner_municipality_and_the_regional_bodies(world):
    SchoolFactory(municipality=world.municipality, short_name="Закрытая", is_active=False)
    candidates = dict(responsible_candidates(world.authority))
    assert world.centre.pk in candidates
    assert world.school.pk in candidates
    assert world.regional_authority.pk in candidates
    assert candidates[world.centre.pk] == world.centre.short_name.lower()
    # Neither a neighbour's nor another region's organisations, nor the inactive.
    assert world.neighbour_centre.pk not in candidates
    assert world.other_school.pk not in candidates
    assert "закрытая" not in candidates.values()


def test_a_regional_owner_sees_only_the_regional_bodies(world):
    candidates = dict(responsible_candidates(world.regional_authority))
    assert world.regional_authority.pk in candidates
    assert world.centre.pk not in candidates
    assert world.school.pk not in candidates


def test_match_is_by_short_name_as_written_case_aside():
    candidates = [(1, "мбу «цро»"), (2, "мбоу сош № 3"), (3, "мон кк")]
    assert match_responsible("Специалисты МБУ «ЦРО», мбоу СОШ № 3", candidates) == [1, 2]
    assert match_responsible("ЦРО", candidates) == []
    assert match_responsible(None, candidates) == []
    assert match_responsible("", candidates) == []
