"""Writing plans through the services: scope, validation, optimistic locking, history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roadmaps import services
from roadmaps.constants import RoadmapStatus, ScheduleKind
from roadmaps.models import Measure, MeasureWindow, Roadmap, Section

D = datetime.date


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


@pytest.fixture
def roadmap(world, coordinator):
    return services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта по повышению качества образования",
        period_start=D(2020, 1, 1),
        period_end=D(2022, 12, 31),
    )


def windows(measure):
    return [(w.starts_on, w.due_on) for w in MeasureWindow.objects.filter(measure=measure)]


def test_create_outside_own_municipality_is_refused_and_nothing_is_saved(world, coordinator):
    with pytest.raises(PermissionDenied):
        services.roadmap_create(
            acting_user=coordinator,
            owner=world.other_authority,
            title="Чужой план",
            period_start=D(2020, 1, 1),
            period_end=D(2020, 12, 31),
        )
    assert not Roadmap.objects.filter(title="Чужой план").exists()


def test_period_ending_before_it_starts_is_refused(world, coordinator):
    with pytest.raises(ValidationError) as error:
        services.roadmap_create(
            acting_user=coordinator,
            owner=world.authority,
            title="План",
            period_start=D(2021, 1, 1),
            period_end=D(2020, 1, 1),
        )
    assert "раньше" in str(error.value)


def test_empty_title_is_refused(world, coordinator):
    with pytest.raises(ValidationError):
        services.roadmap_create(
            acting_user=coordinator,
            owner=world.authority,
            title="  ",
            period_start=D(2020, 1, 1),
            period_end=D(2020, 12, 31),
        )


def test_measure_deadline_becomes_windows(roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Семинар", deadline_text="Сентябрь 2020"
    )
    assert measure.schedule_kind == ScheduleKind.ONCE
    assert windows(measure) == [(D(2020, 9, 1), D(2020, 9, 30))]


def test_changing_the_text_derives_the_schedule_again(roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Семинар", deadline_text="Сентябрь 2020"
    )
    measure = services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"deadline_text": "по отдельному плану"},
        expected_version=measure.version,
    )
    assert measure.schedule_kind == ScheduleKind.UNSCHEDULED
    assert windows(measure) == []


def test_hand_made_schedule_wins_and_the_text_stays(roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        title="Семинар",
        deadline_text="по отдельному плану",
    )
    measure = services.measure_set_schedule(
        measure=measure,
        acting_user=coordinator,
        kind="once",
        windows=[["2021-03-01", "2021-03-31"]],
        expected_version=measure.version,
    )
    assert measure.deadline_text == "по отдельному плану"
    assert measure.schedule_overridden
    assert windows(measure) == [(D(2021, 3, 1), D(2021, 3, 31))]
    # Editing the text no longer touches the hand-made schedule.
    measure = services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"deadline_text": "Сентябрь 2020"},
        expected_version=measure.version,
    )
    assert windows(measure) == [(D(2021, 3, 1), D(2021, 3, 31))]


def test_hand_made_window_outside_the_period_is_refused(roadmap, coordinator):
    measure = services.measure_create(roadmap=roadmap, acting_user=coordinator, title="Семинар")
    with pytest.raises(ValidationError) as error:
        services.measure_set_schedule(
            measure=measure,
            acting_user=coordinator,
            kind="once",
            windows=[["2023-03-01", "2023-03-31"]],
            expected_version=measure.version,
        )
    assert "период" in str(error.value)
    assert windows(measure) == []


def test_stale_edit_raises_a_conflict_with_both_versions_and_writes_nothing(roadmap, coordinator):
    measure = services.measure_create(roadmap=roadmap, acting_user=coordinator, title="Семинар")
    seen = measure.version
    services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"title": "Семинар для заместителей"},
        expected_version=seen,
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.measure_update(
            measure=measure,
            acting_user=coordinator,
            data={"title": "Семинар для директоров"},
            expected_version=seen,
        )
    assert conflict.value.current["title"] == "Семинар для заместителей"
    assert conflict.value.submitted["title"] == "Семинар для директоров"
    assert Measure.objects.get(pk=measure.pk).title == "Семинар для заместителей"


def test_every_change_is_kept_with_who(roadmap, coordinator):
    measure = services.measure_create(roadmap=roadmap, acting_user=coordinator, title="Семинар")
    services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"title": "Вебинар"},
        expected_version=measure.version,
    )
    history = list(measure.history.order_by("history_date"))
    assert [h.title for h in history] == ["Семинар", "Вебинар"]
    assert {h.history_user for h in history} == {coordinator}


def test_moving_into_a_section_of_another_plan_is_refused(world, roadmap, coordinator):
    other = services.roadmap_create(
        acting_user=coordinator,
        owner=world.centre,
        title="План ЦРО",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    foreign_section = services.section_create(
        roadmap=other, acting_user=coordinator, title="Раздел", number="1."
    )
    measure = services.measure_create(roadmap=roadmap, acting_user=coordinator, title="Семинар")
    with pytest.raises(ValidationError):
        services.item_move(
            item=measure, acting_user=coordinator, parent=foreign_section, position=0
        )
    assert Measure.objects.get(pk=measure.pk).section is None


def test_reorder_keeps_written_numbers_and_records_the_bulk_write(roadmap, coordinator):
    section = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Организационные мероприятия", number="1."
    )
    first = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, section=section, number="1.1.", title="Первое"
    )
    second = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, section=section, number="1.1.", title="Второе"
    )
    services.item_move(item=second, acting_user=coordinator, parent=section, position=0)
    ordered = list(
        Measure.objects.filter(section=section).order_by("order").values_list("title", "number")
    )
    assert ordered == [("Второе", "1.1."), ("Первое", "1.1.")]
    assert first.history.count() == 2  # created, then moved down in the bulk write


def test_section_cannot_be_nested_into_itself(roadmap, coordinator):
    parent = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Раздел 3", number="3."
    )
    child = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Раздел 3.2", number="3.2.", parent=parent
    )
    with pytest.raises(ValidationError):
        services.item_move(item=parent, acting_user=coordinator, parent=child, position=0)


def test_deleting_a_section_keeps_its_measures(roadmap, coordinator):
    section = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Раздел", number="1."
    )
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, section=section, title="Семинар"
    )
    services.section_delete(section=section, acting_user=coordinator)
    assert Measure.objects.get(pk=measure.pk).section is None


def test_duplicate_starts_next_years_plan(roadmap, coordinator):
    section = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Раздел", number="1."
    )
    sub = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Подраздел", number="1.1.", parent=section
    )
    services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        section=sub,
        title="Семинар",
        deadline_text="Сентябрь",
        status_text="Выполнено",
    )
    copy = services.roadmap_duplicate(
        roadmap=roadmap,
        acting_user=coordinator,
        title="План на 2023 год",
        period_start=D(2023, 1, 1),
        period_end=D(2023, 12, 31),
    )
    assert copy.status == RoadmapStatus.DRAFT
    copied = Measure.objects.get(roadmap=copy)
    assert copied.section.parent.title == "Раздел"
    assert copied.status_text == ""
    assert windows(copied) == [(D(2023, 9, 1), D(2023, 9, 30))]
    assert Section.objects.filter(roadmap=copy).count() == 2


def test_approved_plan_is_frozen(roadmap, coordinator):
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.APPROVED)
    roadmap.refresh_from_db()
    with pytest.raises(ValidationError):
        services.measure_create(roadmap=roadmap, acting_user=coordinator, title="Новое")


def test_regional_coordinator_cannot_write(world, roadmap):
    with pytest.raises(PermissionDenied):
        services.measure_create(
            roadmap=roadmap, acting_user=world.user("regional_coordinator"), title="Новое"
        )


def test_responsible_organisations_are_recognised_by_their_short_names(world, roadmap, coordinator):
    measure = services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        title="Семинар",
        responsible_text=f"{world.centre.short_name}, руководители ОО",
    )
    assert set(measure.responsible_organisations.all()) == {world.centre}
    measure = services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"responsible_text": "руководители ОО"},
        expected_version=measure.version,
    )
    assert not measure.responsible_organisations.exists()
    assert measure.responsible_text == "руководители ОО"


def test_measure_links_a_target_indicator_within_reach(world, roadmap, coordinator):
    from monitoring.models import Indicator

    own = Indicator.objects.create(
        owner=world.authority,
        name="Доля педагогов, повысивших квалификацию",
        unit="%",
        category="staff",
    )
    foreign = Indicator.objects.create(
        owner=world.other_authority, name="Чужой показатель", category="staff"
    )
    measure = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, title="Курсы", indicator=own
    )
    assert measure.indicator == own
    with pytest.raises(PermissionDenied):
        services.measure_update(
            measure=measure,
            acting_user=coordinator,
            data={"indicator": foreign},
            expected_version=measure.version,
        )
    assert Measure.objects.get(pk=measure.pk).indicator == own


# --- writes re-check the reach (access.recheck) -----------------------------------------


@pytest.fixture
def centre_template(world):
    """A template plan of the centre, written by its methodologist (who may add and change
    plans of the centre only)."""
    methodologist = world.user("methodologist")
    template = services.roadmap_create(
        acting_user=methodologist,
        owner=world.centre,
        title="Шаблон дорожной карты школы",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    section = services.section_create(
        roadmap=template, acting_user=methodologist, title="Организационные мероприятия"
    )
    services.measure_create(
        roadmap=template, acting_user=methodologist, section=section, title="Семинар"
    )
    return services.roadmap_mark_template(
        roadmap=template, acting_user=methodologist, is_template=True
    )


def test_methodologist_cannot_hand_a_template_to_a_school_and_nothing_is_written(
    world, centre_template
):
    methodologist = world.user("methodologist")
    # Creating a plan for the school directly is refused ...
    with pytest.raises(PermissionDenied):
        services.roadmap_create(
            acting_user=methodologist,
            owner=world.school,
            title="План школы",
            period_start=D(2020, 1, 1),
            period_end=D(2020, 12, 31),
        )
    # ... and so is handing the template over, which would create the same plan.
    counts = (Roadmap.objects.count(), Section.objects.count(), Measure.objects.count())
    with pytest.raises(PermissionDenied) as error:
        services.template_distribute(
            template=centre_template,
            acting_user=methodologist,
            schools=[world.school, world.second_school],
        )
    assert str(error.value) == services.DISTRIBUTE_FORBIDDEN_MESSAGE
    assert not Roadmap.objects.filter(template=centre_template).exists()
    assert (Roadmap.objects.count(), Section.objects.count(), Measure.objects.count()) == counts


def test_coordinator_hands_the_template_to_schools_of_the_municipality(
    world, centre_template, coordinator
):
    copies = services.template_distribute(
        template=centre_template,
        acting_user=coordinator,
        schools=[world.school, world.second_school],
    )
    assert {copy.owner for copy in copies} == {world.school, world.second_school}
    for copy in copies:
        assert [m.title for m in copy.measures.all()] == ["Семинар"]


def test_a_section_cannot_be_created_under_a_section_of_another_plan(world, roadmap, coordinator):
    other = services.roadmap_create(
        acting_user=coordinator,
        owner=world.centre,
        title="План ЦРО",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    foreign = services.section_create(roadmap=other, acting_user=coordinator, title="Раздел")
    with pytest.raises(ValidationError):
        services.section_create(
            roadmap=roadmap, acting_user=coordinator, title="Подраздел", parent=foreign
        )
    with pytest.raises(ValidationError):
        services.measure_create(
            roadmap=roadmap, acting_user=coordinator, title="Семинар", section=foreign
        )
    assert not roadmap.sections.exists()
    assert not roadmap.measures.exists()


def test_recheck_after_the_write_rolls_the_write_back(world, roadmap, coordinator, monkeypatch):
    """The post-write check is what counts: when the saved row falls outside the reach
    (here: the pre-check is bypassed), the whole write is undone."""
    from roadmaps.services import sections, templates

    monkeypatch.setattr(sections, "_require", lambda *args, **kwargs: None)
    monkeypatch.setattr(templates, "_require", lambda *args, **kwargs: None)
    deputy = world.user("school_deputy")
    with pytest.raises(PermissionDenied):
        services.section_create(roadmap=roadmap, acting_user=deputy, title="Чужой раздел")
    with pytest.raises(PermissionDenied):
        services.roadmap_mark_template(roadmap=roadmap, acting_user=deputy, is_template=True)
    assert not roadmap.sections.exists()
    roadmap.refresh_from_db()
    assert roadmap.is_template is False


# --- one request, one service, one transaction ----------------------------------------


def test_nesting_a_section_under_its_own_child_saves_nothing(roadmap, coordinator):
    parent = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Раздел 3", number="3."
    )
    child = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Раздел 3.2", number="3.2.", parent=parent
    )
    with pytest.raises(ValidationError) as error:
        services.section_update(
            section=parent,
            acting_user=coordinator,
            data={"number": "3.", "title": "Новое название", "is_group": False},
            expected_version=parent.version,
            parent=child,
        )
    assert "собственный подраздел" in " ".join(error.value.messages)
    saved = Section.objects.get(pk=parent.pk)
    assert (saved.title, saved.version, saved.parent_id) == ("Раздел 3", parent.version, None)
    assert saved.history.count() == 1


def test_section_title_and_place_change_in_one_service(roadmap, coordinator):
    first = services.section_create(roadmap=roadmap, acting_user=coordinator, title="Раздел 1")
    second = services.section_create(roadmap=roadmap, acting_user=coordinator, title="Раздел 2")
    services.section_update(
        section=second,
        acting_user=coordinator,
        data={"number": "1.1.", "title": "Подраздел", "is_group": False},
        expected_version=second.version,
        parent=first,
    )
    saved = Section.objects.get(pk=second.pk)
    assert (saved.title, saved.parent_id) == ("Подраздел", first.pk)


def test_a_stale_section_edit_does_not_move_it_either(roadmap, coordinator):
    first = services.section_create(roadmap=roadmap, acting_user=coordinator, title="Раздел 1")
    second = services.section_create(roadmap=roadmap, acting_user=coordinator, title="Раздел 2")
    with pytest.raises(services.EditConflict):
        services.section_update(
            section=second,
            acting_user=coordinator,
            data={"number": "", "title": "Подраздел", "is_group": False},
            expected_version=second.version - 1,
            parent=first,
        )
    assert Section.objects.get(pk=second.pk).parent_id is None


@pytest.mark.parametrize(
    "call",
    [
        lambda roadmap, user: services.roadmap_update(
            roadmap=roadmap, acting_user=user, data={"title": "Другое"}, expected_version=None
        ),
        lambda roadmap, user: services.roadmap_duplicate(
            roadmap=roadmap,
            acting_user=user,
            title="Копия",
            period_start=D(2023, 1, 1),
            period_end=D(2023, 12, 31),
        ),
        lambda roadmap, user: services.section_create(roadmap=roadmap, acting_user=user, title="Р"),
        lambda roadmap, user: services.roadmap_mark_template(
            roadmap=roadmap, acting_user=user, is_template=True
        ),
        lambda roadmap, user: services.measure_update(
            measure=Measure.objects.create(roadmap=roadmap, title="М", order=1),
            acting_user=user,
            data={"title": "Другое"},
            expected_version=None,
        ),
        lambda roadmap, user: services.measure_set_schedule(
            measure=Measure.objects.create(roadmap=roadmap, title="М", order=1),
            acting_user=user,
            kind=None,
            windows=[],
            expected_version=None,
        ),
        lambda roadmap, user: services.template_distribute(
            template=roadmap, acting_user=user, schools=[]
        ),
    ],
    ids=[
        "roadmap_update",
        "roadmap_duplicate",
        "section_create",
        "roadmap_mark_template",
        "measure_update",
        "measure_set_schedule",
        "template_distribute",
    ],
)
def test_services_own_a_durable_transaction(roadmap, coordinator, call):
    """Each is the whole change of one request: nested in another transaction, Django
    refuses it rather than let a caller chain two services into a half-applied change."""
    from django.db import transaction

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        call(roadmap, coordinator)


def test_a_plan_created_as_a_template_is_written_once(world, coordinator):
    roadmap = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Шаблон плана школы",
        period_start=D(2025, 9, 1),
        period_end=D(2026, 5, 31),
        is_template=True,
    )
    assert Roadmap.objects.get(pk=roadmap.pk).is_template
    assert roadmap.history.count() == 1


def test_move_up_and_down_is_worked_out_by_the_service(roadmap, coordinator):
    section = services.section_create(roadmap=roadmap, acting_user=coordinator, title="Раздел")
    a, b, c = (
        services.measure_create(
            roadmap=roadmap, acting_user=coordinator, section=section, title=title
        )
        for title in ("А", "Б", "В")
    )

    def order():
        return list(
            Measure.objects.filter(section=section)
            .order_by("order")
            .values_list("title", flat=True)
        )

    services.item_move(item=c, acting_user=coordinator, direction="up")
    assert order() == ["А", "В", "Б"]
    services.item_move(item=Measure.objects.get(pk=a.pk), acting_user=coordinator, direction="down")
    assert order() == ["В", "А", "Б"]
    services.item_move(item=Measure.objects.get(pk=b.pk), acting_user=coordinator, direction="down")
    assert order() == ["В", "А", "Б"]  # already the last one


def test_measure_edit_and_move_in_one_service_and_a_refused_move_saves_nothing(
    world, roadmap, coordinator
):
    section = services.section_create(roadmap=roadmap, acting_user=coordinator, title="Раздел")
    measure = services.measure_create(roadmap=roadmap, acting_user=coordinator, title="Семинар")
    measure = services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"title": "Вебинар"},
        expected_version=measure.version,
        section=section,
    )
    saved = Measure.objects.get(pk=measure.pk)
    assert (saved.title, saved.section_id) == ("Вебинар", section.pk)
    other = services.roadmap_create(
        acting_user=coordinator,
        owner=world.centre,
        title="План ЦРО",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    foreign = services.section_create(roadmap=other, acting_user=coordinator, title="Чужой")
    with pytest.raises(ValidationError):
        services.measure_update(
            measure=saved,
            acting_user=coordinator,
            data={"title": "Конференция"},
            expected_version=saved.version,
            section=foreign,
        )
    again = Measure.objects.get(pk=measure.pk)
    assert (again.title, again.section_id, again.version) == (
        "Вебинар",
        section.pk,
        saved.version,
    )


def test_a_copy_of_a_copy_keeps_the_contents(roadmap, coordinator):
    section = services.section_create(roadmap=roadmap, acting_user=coordinator, title="Раздел")
    services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        section=section,
        title="Семинар",
        deadline_text="Сентябрь",
    )
    copy = services.roadmap_duplicate(
        roadmap=roadmap,
        acting_user=coordinator,
        title="План на 2023 год",
        period_start=D(2023, 1, 1),
        period_end=D(2023, 12, 31),
    )
    copy_of_copy = services.roadmap_duplicate(
        roadmap=copy,
        acting_user=coordinator,
        title="План на 2024 год",
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
    )
    copied = Measure.objects.get(roadmap=copy_of_copy)
    assert copied.section.title == "Раздел"
    assert windows(copied) == [(D(2024, 9, 1), D(2024, 9, 30))]


def test_duplicate_with_a_reversed_period_is_refused_and_writes_nothing(roadmap, coordinator):
    services.measure_create(roadmap=roadmap, acting_user=coordinator, title="Семинар")
    before = Roadmap.objects.count(), Measure.objects.count()
    with pytest.raises(ValidationError) as error:
        services.roadmap_duplicate(
            roadmap=roadmap,
            acting_user=coordinator,
            title="План",
            period_start=D(2024, 12, 31),
            period_end=D(2024, 1, 1),
        )
    assert "раньше" in str(error.value)
    assert (Roadmap.objects.count(), Measure.objects.count()) == before


def test_the_change_proof_spares_the_plan_check_only_for_the_person_it_was_made_for(
    world, roadmap, coordinator
):
    """A measure loaded through the change scope (``mark_change_checked``) is not checked
    against the plan again before the write; marked for someone else, it is, and a person
    without the verb is refused before anything is written."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measure = Measure.objects.create(roadmap=roadmap, title="Мероприятие", order=1)

    def plan_checks(loaded, user, title):
        with CaptureQueriesContext(connection) as captured:
            services.measure_update(
                measure=loaded, acting_user=user, data={"title": title}, expected_version=None
            )
        return [
            q["sql"] for q in captured.captured_queries if "roadmapuserobjectpermission" in q["sql"]
        ]

    plain = Measure.objects.get(pk=measure.pk)
    assert len(plan_checks(plain, coordinator, "Первое")) == 2  # before and after the write
    proven = services.mark_change_checked(Measure.objects.get(pk=measure.pk), coordinator)
    assert len(plan_checks(proven, coordinator, "Второе")) == 1  # the re-check only
    outsider = world.user("neighbour_coordinator")
    foreign_proof = services.mark_change_checked(Measure.objects.get(pk=measure.pk), coordinator)
    with pytest.raises(PermissionDenied):
        services.measure_update(
            measure=foreign_proof,
            acting_user=outsider,
            data={"title": "Чужое"},
            expected_version=None,
        )
    assert Measure.objects.get(pk=measure.pk).title == "Второе"


def test_measure_update_returns_the_saved_version_without_reading_it_back(roadmap, coordinator):
    measure = Measure.objects.create(roadmap=roadmap, title="Мероприятие", order=1)
    saved = services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"title": "Новое"},
        expected_version=measure.version,
    )
    assert saved.version == measure.version + 1 == Measure.objects.get(pk=measure.pk).version
    again = services.measure_set_schedule(
        measure=saved,
        acting_user=coordinator,
        kind=None,
        windows=[],
        expected_version=saved.version,
    )
    assert again.version == saved.version + 1 == Measure.objects.get(pk=measure.pk).version
