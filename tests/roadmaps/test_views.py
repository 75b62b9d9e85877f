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


def _queries(client, method: str, url: str, data=None, **kwargs) -> list[str]:
    """The SQL of one request (warmed up: the session's activity stamp is written at most
    once a minute, so the first request after a login writes it and later ones do not)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data, **kwargs)
    assert response.status_code == 200, response.content[:300]
    return [query["sql"] for query in captured.captured_queries]


def _tables(sql: list[str]) -> list[str]:
    """A readable list for a failing budget: the first table each query names."""
    import re

    return [
        (re.search(r'(?:FROM|UPDATE|INTO) "(\w+)"', q) or re.search(r"^\w+", q)).group(
            1 if "FROM" in q or "UPDATE" in q or "INTO" in q else 0
        )
        for q in sql
    ]


def test_plan_page_query_budget_is_the_same_for_2_and_42_measures(client, coordinator, roadmap):
    client.force_login(coordinator)
    url = reverse("roadmap_detail", kwargs={"pk": roadmap.pk})
    client.get(url)  # the first request stamps the session's activity
    small = _queries(client, "get", url)
    fill(roadmap, coordinator, sections=4, per_section=10)
    large = _queries(client, "get", url)
    # 7: user, the access version (memberships and role permissions come from the cache),
    #    plan+owner (visible), the person's grants on the plan (the buttons), sections,
    #    measures+indicator, due dates (values only) — then the review count (8) and the
    #    bell's unread count (9: notifications, one index-only count on every page with
    #    the menu), then the plan's life (12: the parties asked or named by the document,
    #    the timeline, the family of revisions; a draft has no public link to read), then
    #    the partnerships column (13: one UNION of the plan's «sign the agreements»
    #    measures and the visible agreements linked to it). The session comes from the
    #    cache; no windows as objects, no responsible organisations.
    assert len(small) == len(large) == 13, _tables(large)
    assert not any("responsible_organisations" in q for q in large)


def test_plan_page_renders_edit_controls_once_and_binds_rows_by_id(client, coordinator, roadmap):
    client.force_login(coordinator)
    fill(roadmap, coordinator, sections=2, per_section=5)
    html = client.get(reverse("roadmap_detail", kwargs={"pk": roadmap.pk})).content.decode()
    measures = list(Measure.objects.filter(roadmap=roadmap))
    # One <template> per row kind, whatever the size of the plan.
    assert html.count('<template id="row-actions-measure">') == 1
    assert html.count('<template id="row-actions-section">') == 1
    # Rows carry their id; no row repeats the per-row URLs of the controls.
    for measure in measures:
        assert f'data-id="{measure.pk}" data-actions="measure"' in html
        assert reverse("measure_edit", kwargs={"pk": measure.pk}) not in html
        assert reverse("measure_history", kwargs={"pk": measure.pk}) not in html
        assert measure.title in html
    assert "/roadmaps/measures/__id__/edit/" in html or "__id__/edit/" in html
    # Every row's text is in the page (the browser's search sees it), dates without per-row
    # includes: the recurring measures list their due dates.
    assert html.count("до 30.06.2020") >= 10


def test_print_view_and_page_carry_every_row_escaped_with_line_breaks(client, coordinator, roadmap):
    client.force_login(coordinator)
    fill(roadmap, coordinator, sections=3, per_section=14)
    measure = Measure.objects.get(number="1.1.")
    services.measure_update(
        measure=measure,
        acting_user=coordinator,
        data={"title": "Первая строка <b>жирно</b> & co\r\nвторая строка"},
        expected_version=None,
    )
    page = client.get(reverse("roadmap_detail", kwargs={"pk": roadmap.pk})).content.decode()
    printed = client.get(reverse("roadmap_print", kwargs={"pk": roadmap.pk})).content.decode()
    for html in (page, printed):
        assert "Первая строка &lt;b&gt;жирно&lt;/b&gt; &amp; co<br>вторая строка" in html
        assert "<b>жирно" not in html
        for other in Measure.objects.filter(roadmap=roadmap).exclude(pk=measure.pk):
            assert f"<td>{other.title}</td>" in html
    assert "row-actions" not in printed
    assert "__id__" not in printed


def test_plan_page_for_a_viewer_has_no_edit_controls(client, world, roadmap):
    world.grant_partner(roadmap)
    client.force_login(world.user("partner"))
    response = client.get(reverse("roadmap_detail", kwargs={"pk": roadmap.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Создание рабочей группы" in html
    assert "row-actions-measure" not in html
    assert "data-actions" not in html


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


def _edit_post(measure, title: str) -> dict:
    return {
        "version": Measure.objects.get(pk=measure.pk).version,
        "number": measure.number,
        "title": title,
        "deadline_text": "2 раза в год",
        "responsible_text": measure.responsible_text,
    }


def test_inline_edit_query_budget_is_the_same_for_2_and_42_measures(client, coordinator, roadmap):
    client.force_login(coordinator)
    measure = Measure.objects.get(number="1.1.")
    url = reverse("measure_edit", kwargs={"pk": measure.pk})
    htmx = {"headers": {"HX-Request": "true"}}
    client.get(url, **htmx)  # the first request stamps the session's activity
    small_form = _queries(client, "get", url, **htmx)
    small_save = _queries(client, "post", url, _edit_post(measure, "Первое"), **htmx)
    fill(roadmap, coordinator, sections=4, per_section=10)
    # Back to the first deadline: the large save makes the same change (new due dates).
    services.measure_update(
        measure=Measure.objects.get(pk=measure.pk),
        acting_user=coordinator,
        data={"deadline_text": "Сентябрь 2020"},
        expected_version=None,
    )
    large_form = _queries(client, "get", url, **htmx)
    large_save = _queries(client, "post", url, _edit_post(measure, "Второе"), **htmx)
    # The form, 5: user, measure+plan+owner+section (one plain load; the change scope is
    # decided from the person's loaded reach), the access version (memberships and role
    # permissions come from the cache), the indicators of the form's choice, the plan's
    # sections for «Перенести в раздел».
    assert len(small_form) == len(large_form) == 5, _tables(large_form)
    # The save, 17 (30, then 20 before: the service checked the plan again before the
    # write, read the section twice, asked full_clean for the plan and section ids and the
    # origin constraint (savepoint, check, release) and read the saved row back for its
    # version; the session now comes from the cache; the m2m history read each field
    # apart, joining the measure and the organisation; the row read the plan's sections
    # for its depth; memberships and role permissions were read on every request):
    #  view (3): user, measure+plan+owner+section (the proof the service takes, decided
    #    from the person's reach; the form's model clean reuses the section), the access
    #    version (memberships and role permissions come from the cache)
    #  service (13): savepoint, lock, plan (read after the lock), update (version computed
    #    under the lock), history + its m2m read (both fields in one) + m2m history,
    #    windows: lock, read, update, insert, the reach re-check, release
    #  row (1): the row's due dates — the saved measure and its top-level section are
    #    reused (no look at the other sections for its depth).
    assert len(small_save) == len(large_save) == 17, "\n".join(q[:120] for q in large_save)
    # The plan's change scope in SQL: only the re-check after the write (the load is
    # decided from the person's reach, which covers the plan).
    scope_checks = [q for q in large_save if "roadmapuserobjectpermission" in q]
    assert len(scope_checks) == 1, scope_checks
    # Unordered: the measures' default ordering would join the plan for nothing.
    assert "ORDER BY" not in scope_checks[0]


def test_the_saved_row_keeps_its_depth_in_nested_sections(client, coordinator, roadmap):
    """The row after a save is indented as in the table: a measure of a top-level section
    from the section in hand, one of a nested section from the plan's sections."""
    client.force_login(coordinator)
    top = Section.objects.get(roadmap=roadmap, number="1.")
    inner = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Подраздел", number="1.1.", parent=top
    )
    nested = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, section=inner, number="1.1.1.", title="Вложенное"
    )
    loose = services.measure_create(
        roadmap=roadmap, acting_user=coordinator, number="2.", title="Вне раздела"
    )
    for measure, depth in ((Measure.objects.get(number="1.1."), 1), (nested, 2), (loose, 0)):
        response = client.post(
            reverse("measure_edit", kwargs={"pk": measure.pk}),
            _edit_post(measure, f"{measure.title} (изменено)"),
            headers={"HX-Request": "true"},
        )
        assert f'class="plan-measure depth-{depth}"' in response.content.decode()


def test_inline_edit_of_a_foreign_measure_is_404_and_of_a_visible_one_403(
    client, world, coordinator, roadmap
):
    """One load with the verb check still tells "not yours" (404) from "read only" (403)."""
    measure = Measure.objects.get(number="1.1.")
    url = reverse("measure_edit", kwargs={"pk": measure.pk})
    client.force_login(world.user("neighbour_coordinator"))
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    world.grant_partner(roadmap)
    client.force_login(world.user("partner"))
    response = client.post(url, _edit_post(measure, "Чужая правка"))
    assert response.status_code == 403
    assert "нет прав" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).title == "Создание рабочей группы"
    client.force_login(coordinator)
    assert client.get(reverse("measure_edit", kwargs={"pk": 10**12})).status_code == 404


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


# --- one request, one service, one transaction ----------------------------------------


def test_next_period_page_of_a_plan_ending_on_29_february(client, world, coordinator):
    roadmap = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="План на 2023/24 учебный год",
        period_start=D(2023, 3, 1),
        period_end=D(2024, 2, 29),
    )
    client.force_login(coordinator)
    response = client.get(reverse("roadmap_duplicate", kwargs={"pk": roadmap.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="2025-03-01"' in html
    assert 'value="2026-02-28"' in html


def test_nesting_a_section_under_its_own_child_shows_the_error_and_saves_nothing(
    client, coordinator, roadmap
):
    parent = Section.objects.get(roadmap=roadmap, number="1.")
    child = services.section_create(
        roadmap=roadmap, acting_user=coordinator, title="Подраздел", number="1.1.", parent=parent
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("section_edit", kwargs={"pk": parent.pk}),
        {
            "version": parent.version,
            "number": "1.",
            "title": "Новое название раздела",
            "parent": child.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "собственный подраздел" in html
    assert "Новое название раздела" in html  # the form keeps what was typed
    saved = Section.objects.get(pk=parent.pk)
    assert (saved.title, saved.parent_id, saved.version) == (
        "Организационные мероприятия",
        None,
        parent.version,
    )
    # The same form saved again (without the impossible parent) is not a conflict.
    response = client.post(
        reverse("section_edit", kwargs={"pk": parent.pk}),
        {"version": parent.version, "number": "1.", "title": "Новое название раздела"},
    )
    assert response.status_code == 302
    assert Section.objects.get(pk=parent.pk).title == "Новое название раздела"


def test_create_a_template_plan_in_one_write(client, world, coordinator):
    client.force_login(coordinator)
    client.post(
        reverse("roadmap_create"),
        {
            "owner": world.authority.pk,
            "level": "municipal",
            "title": "Шаблон",
            "period_start": "2025-09-01",
            "period_end": "2026-05-31",
            "is_template": "on",
        },
    )
    roadmap = Roadmap.objects.get(title="Шаблон")
    assert roadmap.is_template
    assert roadmap.history.count() == 1


def test_moving_a_measure_down_and_by_position(client, coordinator, roadmap):
    client.force_login(coordinator)
    first = Measure.objects.get(number="1.1.")
    url = reverse("item_move", kwargs={"pk": roadmap.pk})
    client.post(url, {"kind": "measure", "id": first.pk, "direction": "down"})

    def numbers():
        return list(
            Measure.objects.filter(roadmap=roadmap)
            .order_by("order")
            .values_list("number", flat=True)
        )

    assert numbers() == ["1.2.", "1.1."]
    client.post(url, {"kind": "measure", "id": first.pk, "position": "0"})
    assert numbers() == ["1.1.", "1.2."]
    # An absurd position is refused by the parser, never sent to the database.
    response = client.post(
        url, {"kind": "measure", "id": first.pk, "position": "99999999999999999999"}
    )
    assert response.status_code == 302
