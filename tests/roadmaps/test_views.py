"""Plan pages as a person uses them."""

import datetime

import pytest
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Measure, Roadmap, Section
from tests.factories import SchoolFactory

D = datetime.date


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


@pytest.fixture
def roadmap(world, coordinator):
    roadmap = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта по повышению качества образования",
        period_start=D(2020, 1, 1),
        period_end=D(2022, 12, 31),
    )
    section = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Организационные мероприятия", number="1."
    )
    services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        section=section,
        number="1.1.",
        title="Создание рабочей группы",
        deadline_text="Сентябрь 2020",
        responsible_text="МБУ «ЦРО»",
    )
    services.measure_create(
        roadmap=roadmap,
        acting_user=coordinator,
        section=section,
        number="1.2.",
        title="Семинар по отдельному плану",
        deadline_text="по отдельному плану",
        responsible_text="Управление образования",
    )
    return roadmap


def fill(roadmap, coordinator, sections: int, per_section: int):
    for s in range(sections):
        section = services.section_create(
            roadmap=roadmap, acting_user=coordinator, title=f"Раздел {s + 2}", number=f"{s + 2}."
        )
        for m in range(per_section):
            services.measure_create(
                roadmap=roadmap,
                acting_user=coordinator,
                section=section,
                number=f"{s + 2}.{m + 1}.",
                title=f"Мероприятие {m}",
                deadline_text="2 раза в год",
            )


def test_plan_page_shows_the_document_table_with_derived_dates(client, coordinator, roadmap):
    client.force_login(coordinator)
    html = client.get(reverse("roadmap_detail", kwargs={"pk": roadmap.pk})).content.decode()
    assert "1. Организационные мероприятия" in html
    assert "Создание рабочей группы" in html
    assert "Сентябрь 2020" in html
    assert "до 30.09.2020" in html
    assert "без срока" in html


def test_unscheduled_filter_and_review_list(client, coordinator, roadmap):
    client.force_login(coordinator)
    html = client.get(
        reverse("roadmap_detail", kwargs={"pk": roadmap.pk}), {"due": "unscheduled"}
    ).content.decode()
    assert "Семинар по отдельному плану" in html
    assert "Создание рабочей группы" not in html
    review = client.get(reverse("roadmap_review", kwargs={"pk": roadmap.pk})).content.decode()
    assert "по отдельному плану" in review


def test_responsible_filter(client, coordinator, roadmap):
    client.force_login(coordinator)
    html = client.get(
        reverse("roadmap_detail", kwargs={"pk": roadmap.pk}), {"responsible": "ЦРО"}
    ).content.decode()
    assert "Создание рабочей группы" in html
    assert "Семинар по отдельному плану" not in html


def test_htmx_filter_returns_only_the_table(client, coordinator, roadmap):
    client.force_login(coordinator)
    response = client.get(
        reverse("roadmap_detail", kwargs={"pk": roadmap.pk}),
        {"due": "unscheduled"},
        headers={"HX-Request": "true", "HX-Target": "plan-table"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="plan-table"')
    assert "<html" not in html


def test_plan_page_queries_do_not_grow_with_the_plan(
    client, coordinator, roadmap, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    url = reverse("roadmap_detail", kwargs={"pk": roadmap.pk})
    client.get(url)  # the first request stamps the session's activity (once a minute)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fill(roadmap, coordinator, sections=4, per_section=10)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    # session, user, memberships, role permissions, plan, can-edit, sections, measures,
    # windows, responsible organisations, review count — the same for 2 and 42 measures.
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 14


def test_inline_edit_saves_and_returns_the_row(client, coordinator, roadmap):
    client.force_login(coordinator)
    measure = Measure.objects.get(number="1.1.")
    response = client.post(
        reverse("measure_edit", kwargs={"pk": measure.pk}),
        {
            "version": measure.version,
            "number": "1.1.",
            "title": "Создание координационного совета",
            "deadline_text": "Ежегодно июнь - сентябрь",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<tr")
    assert "Создание координационного совета" in html
    assert "до 30.09.2022" in html
    measure.refresh_from_db()
    assert measure.title == "Создание координационного совета"
    assert measure.history.first().history_user == coordinator


def test_stale_inline_edit_shows_both_versions_and_keeps_the_saved_one(
    client, coordinator, roadmap
):
    client.force_login(coordinator)
    measure = Measure.objects.get(number="1.1.")
    seen = measure.version
    services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"title": "Версия коллеги"},
        expected_version=seen,
    )
    response = client.post(
        reverse("measure_edit", kwargs={"pk": measure.pk}),
        {
            "version": seen,
            "number": "1.1.",
            "title": "Моя версия",
            "deadline_text": "Сентябрь 2020",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "изменил другой пользователь" in html
    assert "Версия коллеги" in html
    assert "Моя версия" in html
    assert Measure.objects.get(pk=measure.pk).title == "Версия коллеги"


def test_inline_edit_query_count_is_constant(
    client, coordinator, roadmap, django_assert_max_num_queries
):
    client.force_login(coordinator)
    fill(roadmap, coordinator, sections=3, per_section=10)
    measure = Measure.objects.get(number="1.1.")
    with django_assert_max_num_queries(40):
        client.post(
            reverse("measure_edit", kwargs={"pk": measure.pk}),
            {
                "version": measure.version,
                "number": "1.1.",
                "title": "Новое",
                "deadline_text": "2 раза в год",
            },
            headers={"HX-Request": "true"},
        )


def test_empty_title_gives_a_russian_error_and_saves_nothing(client, coordinator, roadmap):
    client.force_login(coordinator)
    measure = Measure.objects.get(number="1.1.")
    response = client.post(
        reverse("measure_edit", kwargs={"pk": measure.pk}),
        {
            "version": measure.version,
            "number": "1.1.",
            "title": "",
            "deadline_text": "Сентябрь 2020",
        },
    )
    assert "Обязательное поле" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).title == "Создание рабочей группы"


def test_create_plan_with_reversed_period_is_refused(client, world, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("roadmap_create"),
        {
            "owner": world.authority.pk,
            "level": "municipal",
            "title": "План",
            "period_start": "2021-01-01",
            "period_end": "2020-01-01",
        },
    )
    assert "раньше, чем начинается" in response.content.decode()
    assert not Roadmap.objects.filter(title="План").exists()


def test_create_plan_for_another_tenant_is_refused(client, world, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("roadmap_create"),
        {
            "owner": world.other_authority.pk,
            "level": "municipal",
            "title": "Чужой",
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
        },
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Roadmap.objects.filter(title="Чужой").exists()


def test_create_plan_in_the_browser(client, world, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("roadmap_create"),
        {
            "owner": world.authority.pk,
            "level": "municipal",
            "title": "Новый план",
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
        },
    )
    roadmap = Roadmap.objects.get(title="Новый план")
    assert response.url == reverse("roadmap_detail", kwargs={"pk": roadmap.pk})


def test_moving_a_measure_up_and_into_a_foreign_section(client, world, coordinator, roadmap):
    client.force_login(coordinator)
    second = Measure.objects.get(number="1.2.")
    client.post(
        reverse("item_move", kwargs={"pk": roadmap.pk}),
        {"kind": "measure", "id": second.pk, "direction": "up"},
    )
    assert list(
        Measure.objects.filter(roadmap=roadmap).order_by("order").values_list("number", flat=True)
    ) == ["1.2.", "1.1."]
    other = services.roadmap_create(
        acting_user=coordinator,
        owner=world.centre,
        title="Другой план",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    foreign = services.section_create(roadmap=other, acting_user=coordinator, title="Чужой раздел")
    response = client.post(
        reverse("item_move", kwargs={"pk": roadmap.pk}),
        {"kind": "measure", "id": second.pk, "parent": foreign.pk},
        follow=True,
    )
    assert "другого плана" in response.content.decode()
    assert Measure.objects.get(pk=second.pk).section.roadmap_id == roadmap.pk


def test_measure_of_another_plan_cannot_be_moved_through_this_plan(
    client, world, coordinator, roadmap
):
    client.force_login(coordinator)
    other = services.roadmap_create(
        acting_user=coordinator,
        owner=world.centre,
        title="Другой план",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    foreign_measure = services.measure_create(roadmap=other, acting_user=coordinator, title="Чужое")
    response = client.post(
        reverse("item_move", kwargs={"pk": roadmap.pk}),
        {"kind": "measure", "id": foreign_measure.pk, "direction": "up"},
        follow=True,
    )
    assert "другому плану" in response.content.decode()


def test_schedule_override_in_the_browser(client, coordinator, roadmap):
    client.force_login(coordinator)
    measure = Measure.objects.get(number="1.2.")
    response = client.post(
        reverse("measure_schedule", kwargs={"pk": measure.pk}),
        {"kind": "once", "windows": "01.03.2021 – 31.03.2021", "version": measure.version},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.schedule_overridden
    assert measure.deadline_text == "по отдельному плану"
    bad = client.post(
        reverse("measure_schedule", kwargs={"pk": measure.pk}),
        {"kind": "once", "windows": "01.03.2030 – 31.03.2030", "version": measure.version},
    )
    assert "выходит за период" in bad.content.decode()


def test_history_pages(client, coordinator, roadmap):
    client.force_login(coordinator)
    measure = Measure.objects.get(number="1.1.")
    services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"title": "Переименовано"},
        expected_version=measure.version,
    )
    html = client.get(reverse("measure_history", kwargs={"pk": measure.pk})).content.decode()
    assert "Переименовано" in html
    assert "Создание рабочей группы" in html
    plan_html = client.get(reverse("roadmap_history", kwargs={"pk": roadmap.pk})).content.decode()
    assert "Переименовано" in plan_html


def test_print_view_has_the_table_without_controls(client, coordinator, roadmap):
    client.force_login(coordinator)
    html = client.get(reverse("roadmap_print", kwargs={"pk": roadmap.pk})).content.decode()
    assert "Организационные мероприятия" in html
    assert "Изменить" not in html


def test_duplicate_in_the_browser(client, coordinator, roadmap):
    client.force_login(coordinator)
    response = client.post(
        reverse("roadmap_duplicate", kwargs={"pk": roadmap.pk}),
        {
            "title": "План на 2023-2025 годы",
            "period_start": "2023-01-01",
            "period_end": "2025-12-31",
        },
    )
    copy = Roadmap.objects.get(title="План на 2023-2025 годы")
    assert response.url == reverse("roadmap_detail", kwargs={"pk": copy.pk})
    assert Measure.objects.filter(roadmap=copy).count() == 2


def test_assign_to_all_low_results_schools(client, world, coordinator, roadmap):
    client.force_login(coordinator)
    measure = Measure.objects.get(number="1.1.")
    client.post(reverse("measure_assign", kwargs={"pk": measure.pk}), {"mode": "low_results"})
    measure.refresh_from_db()
    assert set(services.assigned_organisations(measure)) == {world.school}


def test_assign_to_a_foreign_school_is_refused(client, world, coordinator, roadmap):
    client.force_login(coordinator)
    measure = Measure.objects.get(number="1.1.")
    response = client.post(
        reverse("measure_assign", kwargs={"pk": measure.pk}),
        {"mode": "organisations", "organisations": [world.other_school.pk]},
    )
    assert "Выберите корректный вариант" in response.content.decode()
    measure.refresh_from_db()
    assert measure.assignment_mode == "none"


def test_template_handed_to_schools_and_their_status(client, world, coordinator, roadmap):
    client.force_login(coordinator)
    services.roadmap_mark_template(roadmap=roadmap, acting_user=coordinator, is_template=True)
    client.post(
        reverse("roadmap_distribute", kwargs={"pk": roadmap.pk}),
        {"schools": [world.school.pk, world.second_school.pk]},
    )
    copies = Roadmap.objects.filter(template=roadmap)
    assert {c.owner for c in copies} == {world.school, world.second_school}
    copy = copies.get(owner=world.school)
    deputy = world.user("school_deputy")
    measure = Measure.objects.get(roadmap=copy, number="1.1.")
    services.measure_update(
        measure=measure,
        acting_user=deputy,
        data={"title": "Своя формулировка"},
        expected_version=measure.version,
    )
    html = client.get(reverse("roadmap_copies", kwargs={"pk": roadmap.pk})).content.decode()
    assert "Изменены: 1.1." in html
    assert world.second_school.short_name in html
    # A school of another municipality cannot be chosen.
    stranger = SchoolFactory(municipality=world.other_municipality)
    client.post(
        reverse("roadmap_distribute", kwargs={"pk": roadmap.pk}), {"schools": [stranger.pk]}
    )
    assert not Roadmap.objects.filter(template=roadmap, owner=stranger).exists()


def test_school_deputy_edits_the_school_plan_but_not_the_municipal_one(client, world, roadmap):
    deputy = world.user("school_deputy")
    school_plan = Roadmap.objects.create(
        owner=world.school,
        title="План школы",
        period_start=D(2020, 9, 1),
        period_end=D(2021, 8, 31),
    )
    client.force_login(deputy)
    assert client.get(reverse("roadmap_detail", kwargs={"pk": roadmap.pk})).status_code == 404
    response = client.post(
        reverse("section_create", kwargs={"pk": school_plan.pk}),
        {"number": "1.", "title": "Раздел школы"},
    )
    assert response.status_code == 302
    assert Section.objects.filter(roadmap=school_plan, title="Раздел школы").exists()


def test_inline_add_of_a_measure_returns_the_table_in_place(client, coordinator, roadmap):
    client.force_login(coordinator)
    section = Section.objects.get(roadmap=roadmap, number="1.")
    url = reverse("measure_create", kwargs={"pk": roadmap.pk})
    form_row = client.get(
        url, {"section": section.pk}, headers={"HX-Request": "true"}
    ).content.decode()
    assert form_row.lstrip().startswith("<tr")
    assert "Новое мероприятие в разделе 1." in form_row
    response = client.post(
        url,
        {"section": section.pk, "number": "1.3.", "title": "Совещание", "deadline_text": "Ноябрь"},
        headers={"HX-Request": "true"},
    )
    assert response.headers["HX-Retarget"] == "#plan-table"
    assert "Совещание" in response.content.decode()
    assert list(
        Measure.objects.filter(section=section).order_by("order").values_list("number", flat=True)
    ) == ["1.1.", "1.2.", "1.3."]
    invalid = client.post(url, {"section": section.pk, "title": ""}, headers={"HX-Request": "true"})
    assert "Обязательное поле" in invalid.content.decode()
    assert Measure.objects.filter(section=section).count() == 3


def test_inline_add_of_a_subsection(client, coordinator, roadmap):
    client.force_login(coordinator)
    parent = Section.objects.get(roadmap=roadmap, number="1.")
    url = reverse("section_create", kwargs={"pk": roadmap.pk})
    assert (
        "Название раздела"
        in client.get(url, {"parent": parent.pk}, headers={"HX-Request": "true"}).content.decode()
    )
    client.post(
        url,
        {"number": "1.1.", "title": "Подраздел", "parent": parent.pk},
        headers={"HX-Request": "true"},
    )
    assert Section.objects.get(title="Подраздел").parent == parent


def test_plan_school_group_drives_group_assignment(client, world, coordinator, roadmap):
    client.force_login(coordinator)
    client.post(
        reverse("roadmap_group", kwargs={"pk": roadmap.pk}), {"schools": [world.second_school.pk]}
    )
    measure = Measure.objects.get(number="1.1.")
    client.post(reverse("measure_assign", kwargs={"pk": measure.pk}), {"mode": "plan_group"})
    measure.refresh_from_db()
    assert set(services.assigned_organisations(measure)) == {world.second_school}
    response = client.post(
        reverse("roadmap_group", kwargs={"pk": roadmap.pk}), {"schools": [world.other_school.pk]}
    )
    assert "Выберите корректный вариант" in response.content.decode()
    assert set(roadmap.school_group.all()) == {world.second_school}


def test_inline_edit_moves_a_measure_into_another_section(client, coordinator, roadmap):
    client.force_login(coordinator)
    other = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Другой раздел", number="2."
    )
    measure = Measure.objects.get(number="1.1.")
    response = client.post(
        reverse("measure_edit", kwargs={"pk": measure.pk}),
        {
            "version": measure.version,
            "number": "1.1.",
            "title": measure.title,
            "deadline_text": "Сентябрь 2020",
            "move_to": other.pk,
        },
        headers={"HX-Request": "true"},
    )
    assert response.headers["HX-Retarget"] == "#plan-table"
    assert Measure.objects.get(pk=measure.pk).section == other
