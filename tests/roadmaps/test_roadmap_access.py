"""Who sees and changes which plan: the rule table applied to roadmaps."""

import datetime

import pytest
from guardian.shortcuts import assign_perm

from roadmaps.models import Measure, Roadmap
from schools.constants import Role
from tests.factories import UserFactory, person


def plan(owner, title="План"):
    return Roadmap.objects.create(
        owner=owner,
        title=title,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )


@pytest.fixture
def plans(world):
    return {
        "authority": plan(world.authority, "Муниципальная дорожная карта"),
        "centre": plan(world.centre, "План ЦРО"),
        "school": plan(world.school, "План школы"),
        "second_school": plan(world.second_school, "План другой школы"),
        "other": plan(world.other_authority, "План другого региона"),
    }


def titles(user, action="view"):
    return {r.title for r in Roadmap.objects.for_user(user, action)}


def test_municipal_coordinator_edits_every_plan_of_the_municipality(world, plans):
    coordinator = world.user("municipal_coordinator")
    expected = {"Муниципальная дорожная карта", "План ЦРО", "План школы", "План другой школы"}
    assert titles(coordinator) == expected
    assert titles(coordinator, "change") == expected


def test_methodologist_sees_the_municipality_but_writes_only_the_centre_plan(world, plans):
    methodologist = world.user("methodologist")
    assert "Муниципальная дорожная карта" in titles(methodologist)
    assert titles(methodologist, "change") == {"План ЦРО"}


def test_school_staff_see_and_edit_only_their_school_plan(world, plans):
    assert titles(world.user("school_deputy")) == {"План школы"}
    assert titles(world.user("school_deputy"), "change") == {"План школы"}
    assert titles(world.user("school_director"), "roadmaps.approve_roadmap") == {"План школы"}
    assert titles(world.user("school_deputy"), "roadmaps.approve_roadmap") == set()


def test_head_of_authority_approves_only_its_own_plans(world, plans):
    assert titles(world.user("head"), "roadmaps.approve_roadmap") == {
        "Муниципальная дорожная карта"
    }
    assert titles(world.user("head"), "change") == set()


def test_regional_coordinator_reads_all_plans_of_the_region(world, plans):
    user = world.user("regional_coordinator")
    assert len(titles(user)) == 4
    assert titles(user, "change") == set()


def test_partner_centre_of_another_municipality_sees_exactly_the_granted_plan(world, plans):
    partner = person("partner-methodologist", world.other_authority, Role.METHODOLOGIST)
    assign_perm("roadmaps.view_roadmap", partner, plans["centre"])
    assign_perm("roadmaps.agree_roadmap", partner, plans["centre"])
    assert titles(partner) == {"План ЦРО", "План другого региона"}
    assert titles(partner, "roadmaps.agree_roadmap") == {"План ЦРО"}
    assert titles(partner, "change") == {"План другого региона"}


def test_partner_head_in_the_neighbour_municipality_gets_exactly_the_grant(world, plans):
    partner = world.user("partner")
    plan(world.neighbour_centre, "План центра Армавира")
    assert titles(partner) == {"План центра Армавира"}
    world.grant_partner(plans["centre"])
    assert titles(partner) == {"План ЦРО", "План центра Армавира"}
    assert titles(partner, "roadmaps.agree_roadmap") == {"План ЦРО"}
    # The grant adds viewing and agreeing, nothing else; the head approves only the plans
    # of their own centre.
    assert titles(partner, "change") == set()
    assert titles(partner, "roadmaps.export_roadmap") == {"План центра Армавира"}
    assert titles(partner, "roadmaps.approve_roadmap") == {"План центра Армавира"}


def test_curator_from_another_municipality_reads_only_the_curated_school(world, plans):
    curator = world.user("foreign_curator")
    assert titles(curator) == {"План школы"}
    assert titles(curator, "roadmaps.export_roadmap") == {"План школы"}
    assert titles(curator, "change") == set()
    assert titles(curator, "add") == set()


def test_two_roles_write_as_a_deputy_at_home_and_as_a_coordinator_only_next_door(world, plans):
    """A coordinator of Армавир who is also a deputy of the home school: the coordinator's
    verbs reach Армавир only; at home they are a deputy."""
    from schools.models import Organisation

    two = world.user("two_roles")
    plan(world.neighbour_school, "План школы Армавира")
    assert titles(two) == {"План школы", "План школы Армавира"}
    assert titles(two, "change") == {"План школы", "План школы Армавира"}
    assert titles(two, "roadmaps.submit_roadmap") == {"План школы", "План школы Армавира"}
    assert titles(two, "add") == {"План школы Армавира"}
    assert titles(two, "roadmaps.import_roadmap") == {"План школы Армавира"}
    editable = set(Organisation.objects.for_user(two, "change"))
    assert world.neighbour_school in editable
    assert world.school not in editable
    assert world.authority not in editable


def test_measures_follow_their_plan(world, plans):
    Measure.objects.create(roadmap=plans["centre"], title="Семинар")
    Measure.objects.create(roadmap=plans["other"], title="Чужое")
    assert {m.title for m in Measure.objects.for_user(world.user("methodologist"), "change")} == {
        "Семинар"
    }
    assert {m.title for m in Measure.objects.for_user(world.user("school_deputy"))} == set()
    assert {m.title for m in Measure.objects.for_user(UserFactory(username="nobody"))} == set()


def test_methodologist_handing_a_template_to_a_school_sees_why_and_nothing_is_written(
    client, world
):
    """Gap 3: the copies would be plans of the school, which a methodologist may not
    create; the page says so (403 with the form, not an error page) and writes nothing."""
    from django.urls import reverse

    from roadmaps import services

    methodologist = world.user("methodologist")
    template = services.roadmap_create(
        acting_user=methodologist,
        owner=world.centre,
        title="Шаблон",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    services.roadmap_mark_template(roadmap=template, acting_user=methodologist, is_template=True)
    client.force_login(methodologist)
    response = client.post(
        reverse("roadmap_distribute", kwargs={"pk": template.pk}),
        {"schools": [world.school.pk]},
    )
    assert response.status_code == 403
    assert services.DISTRIBUTE_FORBIDDEN_MESSAGE in response.content.decode()
    assert not Roadmap.objects.filter(template=template).exists()
    assert Roadmap.objects.count() == 1
