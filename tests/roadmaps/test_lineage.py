"""Lineage of copies: every copied section and measure points to its origin, and the
template-divergence view compares copies by it."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from roadmaps import selectors, services
from roadmaps.models import Measure, MeasureWindow, Roadmap, Section

D = datetime.date


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


@pytest.fixture
def template(world, coordinator):
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Шаблон дорожной карты школы",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    first = services.section_create(
        roadmap=plan, acting_user=coordinator, number="1.", title="Организационные мероприятия"
    )
    inner = services.section_create(
        roadmap=plan, acting_user=coordinator, title="Для педагогов", parent=first
    )
    services.measure_create(
        roadmap=plan,
        acting_user=coordinator,
        section=first,
        number="1.1.",
        title="Совещание",
        deadline_text="Сентябрь 2020",
    )
    services.measure_create(
        roadmap=plan,
        acting_user=coordinator,
        section=inner,
        number="1.2.",
        title="Семинар",
        deadline_text="Октябрь 2020",
    )
    services.measure_create(
        roadmap=plan, acting_user=coordinator, section=first, number="1.3.", title="Мониторинг"
    )
    return services.roadmap_mark_template(roadmap=plan, acting_user=coordinator, is_template=True)


def distribute(template, coordinator, *schools):
    return services.template_distribute(
        template=template, acting_user=coordinator, schools=list(schools)
    )


def renumber(measure, user, number):
    measure = Measure.objects.get(pk=measure.pk)
    return services.measure_update(
        measure=measure, acting_user=user, data={"number": number}, expected_version=measure.version
    )


def status_of(template, user, copy):
    return next(s for s in selectors.template_copies(template, user) if s.copy.pk == copy.pk)


def test_template_distribute_points_every_copied_row_to_its_origin(world, template, coordinator):
    (copy,) = distribute(template, coordinator, world.school)
    sections = {s.title: s for s in Section.objects.filter(roadmap=template)}
    for section in Section.objects.filter(roadmap=copy):
        assert section.origin == sections[section.title]
    measures = {m.number: m for m in Measure.objects.filter(roadmap=template)}
    copied = list(Measure.objects.filter(roadmap=copy))
    assert len(copied) == 3
    for measure in copied:
        assert measure.origin == measures[measure.number]
        assert measure.section.origin == measure.origin.section


def test_roadmap_duplicate_points_every_copied_row_to_its_origin(template, coordinator):
    copy = services.roadmap_duplicate(
        roadmap=template,
        acting_user=coordinator,
        title="План на 2021 год",
        period_start=D(2021, 1, 1),
        period_end=D(2021, 12, 31),
    )
    pairs = {m.origin_id: m for m in Measure.objects.filter(roadmap=copy)}
    assert set(pairs) == set(Measure.objects.filter(roadmap=template).values_list("pk", flat=True))
    assert all(s.origin.roadmap_id == template.pk for s in Section.objects.filter(roadmap=copy))


def test_renumbering_a_school_copy_is_a_change_of_number_not_added_and_removed(
    world, template, coordinator
):
    (copy,) = distribute(template, coordinator, world.school)
    deputy = world.user("school_deputy")
    renumber(Measure.objects.get(roadmap=copy, number="1.1."), deputy, "2.1.")
    renumber(Measure.objects.get(roadmap=copy, number="1.2."), deputy, "2.2.")
    status = status_of(template, coordinator, copy)
    assert status.added == []
    assert status.removed == []
    assert sorted(status.changed) == ["2.1. (номер, было 1.1.)", "2.2. (номер, было 1.2.)"]
    assert status.filled


def test_an_untouched_copy_is_without_changes(world, template, coordinator):
    (copy,) = distribute(template, coordinator, world.school)
    status = status_of(template, coordinator, copy)
    assert (status.added, status.removed, status.changed, status.filled) == ([], [], [], False)


def test_added_and_removed_measures_are_found_by_lineage(world, template, coordinator):
    (copy,) = distribute(template, coordinator, world.school)
    deputy = world.user("school_deputy")
    services.measure_delete(
        measure=Measure.objects.get(roadmap=copy, number="1.3."), acting_user=deputy
    )
    # Same number and title as the deleted one, but written anew: added, not the original.
    services.measure_create(roadmap=copy, acting_user=deputy, number="1.3.", title="Мониторинг")
    status = status_of(template, coordinator, copy)
    assert status.added == ["1.3."]
    assert status.removed == ["1.3."]
    assert status.changed == []


def test_a_copy_of_a_copy_leads_back_to_the_template(world, template, coordinator):
    (school_copy,) = distribute(template, coordinator, world.school)
    next_year = services.roadmap_duplicate(
        roadmap=school_copy,
        acting_user=coordinator,
        title="План школы на 2021 год",
        period_start=D(2021, 1, 1),
        period_end=D(2021, 12, 31),
    )
    # The next plan (as a revision will) still answers to the template.
    Roadmap.objects.filter(pk=next_year.pk).update(template=template)
    seminar = Measure.objects.get(roadmap=next_year, number="1.2.")
    assert seminar.origin.roadmap_id == school_copy.pk
    assert seminar.origin.origin.roadmap_id == template.pk
    renumber(seminar, coordinator, "3.")
    status = status_of(template, coordinator, next_year)
    assert status.added == []
    assert status.removed == []
    assert status.changed == ["3. (номер, было 1.2.)"]


def test_the_divergence_view_takes_the_same_number_of_queries_for_more_copies(
    world, template, coordinator
):
    distribute(template, coordinator, world.school)
    with CaptureQueriesContext(connection) as one:
        selectors.template_copies(template, coordinator)
    distribute(template, coordinator, world.second_school)
    for copy in Roadmap.objects.filter(template=template):
        for measure in Measure.objects.filter(roadmap=copy):
            renumber(measure, coordinator, f"{measure.number}1")
    with CaptureQueriesContext(connection) as two:
        statuses = selectors.template_copies(template, coordinator)
    assert len(statuses) == 2
    assert len(two) == len(one)


def test_an_origin_in_the_same_plan_is_refused(world, template, coordinator):
    first, second = Measure.objects.filter(roadmap=template).order_by("order")[:2]
    second.origin = first
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "из другого плана" in str(error.value)
    section = Section.objects.filter(roadmap=template).first()
    section.origin = section
    with pytest.raises(ValidationError):
        section.full_clean()


def test_a_row_cannot_be_its_own_origin_in_the_database(template):
    measure = Measure.objects.filter(roadmap=template).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(origin=measure.pk)
    section = Section.objects.filter(roadmap=template).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.filter(pk=section.pk).update(origin=section.pk)


def test_deleting_the_origin_keeps_the_copy(world, template, coordinator):
    (copy,) = distribute(template, coordinator, world.school)
    original = Measure.objects.get(roadmap=template, number="1.3.")
    original.delete()
    measure = Measure.objects.get(roadmap=copy, number="1.3.")
    assert measure.origin is None


def test_backfill_links_existing_copies_by_number_and_title(world, template, coordinator):
    (copy,) = distribute(template, coordinator, world.school)
    deputy = world.user("school_deputy")
    renumber(Measure.objects.get(roadmap=copy, number="1.2."), deputy, "7.")
    Measure.objects.filter(roadmap=copy).update(origin=None)
    Section.objects.filter(roadmap=copy).update(origin=None)

    backfill = importlib.import_module("roadmaps.migrations.0010_lineage_backfill")
    backfill.link_copies(apps, None)

    for measure in Measure.objects.filter(roadmap=copy).select_related("origin"):
        assert measure.origin.roadmap_id == template.pk
        assert measure.origin.title == measure.title
    for section in Section.objects.filter(roadmap=copy).select_related("origin"):
        assert section.origin.title == section.title
    status = status_of(template, coordinator, copy)
    assert (status.added, status.removed) == ([], [])
    assert status.changed == ["7. (номер, было 1.2.)"]


def test_window_backfill_numbers_windows_by_due_date(template):
    measure = Measure.objects.get(roadmap=template, number="1.1.")
    MeasureWindow.objects.filter(measure=measure).update(position=5)
    MeasureWindow.objects.create(
        measure=measure, position=9, starts_on=D(2020, 3, 1), due_on=D(2020, 3, 31)
    )
    backfill = importlib.import_module("roadmaps.migrations.0007_window_positions_backfill")
    backfill.number_windows(apps, None)
    assert list(
        MeasureWindow.objects.filter(measure=measure)
        .order_by("position")
        .values_list("position", "due_on")
    ) == [(0, D(2020, 3, 31)), (1, D(2020, 9, 30))]
