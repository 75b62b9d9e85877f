"""The execution pages as their people use them: the deputy marks from «Мои мероприятия»
with a file, the curator returns and accepts, roll-ups follow; nobody sees another school's
rows; bad input gets a Russian message and writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from execution.models import Evidence, ExecutionRecord, MarkState, ReviewState
from roadmaps.constants import RoadmapStatus
from tests.execution.conftest import PDF

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _pdf(name="протокол.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def test_the_deputy_sees_what_the_school_owes_by_urgency(world, live, login):
    client = login(world.user("school_deputy"))
    response = client.get(reverse("my_measures"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Просрочено" in text
    assert "Семинар для заместителей директоров" in text
    assert "Открытые уроки" in text
    assert "Консультации методистов" in text  # unscheduled: «Без срока»
    assert "Педагогический совет" not in text  # later: on its own tab
    later = client.get(reverse("my_measures"), {"tab": "later"}).content.decode()
    assert "Педагогический совет" in later


def test_the_deputy_marks_done_with_a_pdf_in_place(world, live, login):
    client = login(world.user("school_deputy"))
    record = live.record(live.overdue, world.school)
    form = client.get(reverse("record_mark", args=[record.pk]), **HTMX)
    assert form.status_code == 200
    assert 'name="note"' in form.content.decode()
    response = client.post(
        reverse("record_mark", args=[record.pk]),
        {
            "state": "done",
            "note": "Проведён 20 ноября",
            "files": [_pdf()],
            "version": record.version,
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "Отмечено: отметка ушла куратору на проверку." in response.content.decode()
    record.refresh_from_db()
    assert (record.state, record.review, record.note) == ("done", "waiting", "Проведён 20 ноября")
    assert record.done_on == live.today
    evidence = Evidence.objects.get(record=record)
    assert evidence.original_name == "протокол.pdf"
    # The same submit again (a double tap): recorded once, no second file.
    client.post(
        reverse("record_mark", args=[record.pk]),
        {"state": "done", "note": "Проведён 20 ноября", "files": [_pdf()], "version": 1},
        **HTMX,
    )
    assert Evidence.objects.filter(record=record).count() == 1
    assert record.history.count() == 2  # created, marked


def test_return_mark_again_accept_and_the_rollups_follow(world, live, login, client):
    deputy, curator = world.user("school_deputy"), world.user("methodologist")
    record = live.record(live.overdue, world.school)
    client.force_login(deputy)
    client.post(reverse("record_mark", args=[record.pk]), {"state": "done", "note": "Проведён"})
    client.force_login(curator)
    queue = client.get(reverse("review_queue")).content.decode()
    assert "Семинар для заместителей директоров" in queue
    # Returning needs a comment.
    refused = client.post(
        reverse("record_review", args=[record.pk]), {"decision": "return"}, **HTMX
    )
    assert "без комментария" in refused.content.decode()
    assert ExecutionRecord.objects.get(pk=record.pk).review == ReviewState.WAITING
    client.post(
        reverse("record_review", args=[record.pk]),
        {"decision": "return", "comment": "Приложите протокол"},
        **HTMX,
    )
    client.force_login(deputy)
    page = client.get(reverse("my_measures")).content.decode()
    assert "Вернули на доработку" in page
    assert "Приложите протокол" in page
    client.post(
        reverse("record_mark", args=[record.pk]),
        {"state": "done", "note": "Протокол приложен", "files": [_pdf()]},
    )
    client.force_login(curator)
    client.post(reverse("record_review", args=[record.pk]), {"decision": "accept"})
    record.refresh_from_db()
    assert record.review == ReviewState.ACCEPTED
    reasons = list(
        record.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons[-4:] == [
        "Отметка об исполнении",
        "Отметка возвращена",
        "Отметка об исполнении",
        "Отметка принята",
    ]
    # The plan's execution page counts it done (late: marked today, due ten days ago).
    client.force_login(world.user("municipal_coordinator"))
    execution = client.get(reverse("roadmap_execution", args=[live.plan.pk])).content.decode()
    assert "Выполнено с опозданием: 1" in execution
    overview = client.get(
        reverse("execution_overview"), {"municipality": world.municipality.pk}
    ).content.decode()
    assert world.school.short_name in overview


def test_another_school_never_sees_the_rows(world, live, login):
    from schools.constants import Role
    from tests.factories import person

    stranger = person("deputy-5", world.second_school, Role.SCHOOL_DEPUTY)
    client = login(stranger)
    own = live.record(live.overdue, world.second_school)
    foreign = live.record(live.overdue, world.school)
    assert client.get(reverse("record_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("record_detail", args=[foreign.pk])).status_code == 404
    assert (
        client.post(reverse("record_mark", args=[foreign.pk]), {"state": "done"}).status_code == 404
    )
    page = client.get(reverse("roadmap_detail", args=[live.plan.pk]))
    assert page.status_code == 200  # the plan it executes is readable
    text = page.content.decode()
    assert "Открытые уроки" in text  # the plan's text
    assert world.school.short_name not in text  # nobody else's marks
    execution = client.get(reverse("roadmap_execution", args=[live.plan.pk])).content.decode()
    assert world.school.short_name not in execution
    assert ExecutionRecord.objects.get(pk=foreign.pk).state == MarkState.PENDING


def test_the_deputy_sees_the_plan_with_its_own_status_column(world, live, login):
    client = login(world.user("school_deputy"))
    text = client.get(reverse("roadmap_detail", args=[live.plan.pk])).content.decode()
    assert "Исполнение" in text
    assert "Просрочено" in text
    assert f'href="/execution/records/{live.record(live.overdue, world.school).pk}/"' in text


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_marked(world, live, login):
    client = login(world.user("school_deputy"))
    record = live.record(live.overdue, world.school)
    fake = SimpleUploadedFile("протокол.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(
        reverse("record_mark", args=[record.pk]), {"state": "done", "files": [fake]}, **HTMX
    )
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    record.refresh_from_db()
    assert record.state == MarkState.PENDING
    assert not Evidence.objects.exists()


def test_a_future_date_is_refused(world, live, login):
    client = login(world.user("school_deputy"))
    record = live.record(live.overdue, world.school)
    tomorrow = live.today + datetime.timedelta(days=1)
    response = client.post(
        reverse("record_mark", args=[record.pk]),
        {"state": "done", "done_on": tomorrow.isoformat()},
        **HTMX,
    )
    assert "позже сегодняшнего дня" in response.content.decode()
    assert ExecutionRecord.objects.get(pk=record.pk).state == MarkState.PENDING


def test_bulk_mark_of_several_windows_with_one_note(world, live, login):
    client = login(world.user("school_deputy"))
    ids = [
        live.record(live.overdue, world.school).pk,
        live.record(live.this_week, world.school).pk,
    ]
    response = client.post(
        reverse("records_mark"),
        {
            "records": ids,
            "state": "done",
            "note": "Проведено вместе",
            "next": reverse("my_measures"),
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("my_measures")
    assert set(ExecutionRecord.objects.filter(pk__in=ids).values_list("note", flat=True)) == {
        "Проведено вместе"
    }


def test_bulk_mark_with_a_foreign_record_marks_nothing(world, live, login):
    client = login(world.user("school_deputy"))
    own = live.record(live.overdue, world.school)
    foreign = live.record(live.overdue, world.second_school)
    response = client.post(
        reverse("records_mark"), {"records": [own.pk, foreign.pk], "state": "done"}, follow=True
    )
    assert "в вашей зоне ответственности" in response.content.decode()
    assert not ExecutionRecord.objects.exclude(state=MarkState.PENDING).exists()


def test_the_coordinator_marks_several_schools_at_once(world, live, login):
    client = login(world.user("municipal_coordinator"))
    ids = list(ExecutionRecord.objects.filter(measure=live.overdue).values_list("pk", flat=True))
    assert len(ids) == 2
    client.post(
        reverse("records_mark"), {"records": ids, "state": "done", "note": "Семинар проведён УО"}
    )
    assert ExecutionRecord.objects.filter(pk__in=ids, state="done").count() == 2


def test_bulk_accept(world, live, login, client):
    ids = [live.record(live.overdue, world.school).pk, live.record(live.this_week, world.school).pk]
    client.force_login(world.user("school_deputy"))
    client.post(reverse("records_mark"), {"records": ids, "state": "done"})
    client.force_login(world.user("methodologist"))
    response = client.post(reverse("records_review"), {"records": ids}, follow=True)
    assert "Принято отметок: 2." in response.content.decode()
    assert ExecutionRecord.objects.filter(pk__in=ids, review="accepted").count() == 2


def test_marks_on_a_plan_not_in_execution_are_refused(world, live, login):
    from roadmaps.models import Roadmap

    Roadmap.objects.filter(pk=live.plan.pk).update(status=RoadmapStatus.CLOSED)
    client = login(world.user("school_deputy"))
    record = live.record(live.overdue, world.school)
    response = client.post(
        reverse("records_mark"), {"records": [record.pk], "state": "done"}, follow=True
    )
    assert "не исполняется" in response.content.decode()


def test_evidence_is_downloaded_only_through_the_access_check(world, live, login, client):
    record = live.record(live.overdue, world.school)
    client.force_login(world.user("school_deputy"))
    client.post(reverse("record_mark", args=[record.pk]), {"state": "done", "files": [_pdf()]})
    evidence = Evidence.objects.get(record=record)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    client.force_login(world.user("neighbour_coordinator"))
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_start_execution_from_the_plan(world, login):
    from roadmaps import services
    from roadmaps.constants import AssignmentMode

    coordinator = world.user("municipal_coordinator")
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="План на год",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    client = login(coordinator)
    # A draft goes through agreement and approval: no start button…
    page = client.get(reverse("roadmap_detail", args=[plan.pk])).content.decode()
    assert "Начать исполнение" not in page
    # …unless its document says it was approved outside the product.
    services.roadmap_update(
        roadmap=plan,
        acting_user=coordinator,
        data={"approval_order": "приказ от 10.01.2026 № 5"},
        expected_version=None,
    )
    measure = services.measure_create(
        roadmap=plan, acting_user=coordinator, title="Семинар", deadline_text="ежеквартально"
    )
    services.measure_assign(
        measure=measure,
        acting_user=coordinator,
        mode=AssignmentMode.ORGANISATIONS,
        organisations=[world.school],
    )
    page = client.get(reverse("roadmap_detail", args=[plan.pk])).content.decode()
    assert "Начать исполнение (утверждён вне системы)" in page
    preview = client.get(reverse("roadmap_start_execution", args=[plan.pk])).content.decode()
    assert "Будет создано отметок к исполнению: <strong>4</strong>" in preview
    response = client.post(
        reverse("roadmap_start_execution", args=[plan.pk]),
        {"reporting_months": "6", "marks_need_acceptance": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == RoadmapStatus.EXECUTION
    assert (plan.reporting_months, plan.marks_need_acceptance) == (6, False)
    assert ExecutionRecord.objects.filter(measure=measure).count() == 4
    again = client.post(
        reverse("roadmap_start_execution", args=[plan.pk]), {"reporting_months": "3"}, follow=True
    )
    assert "План уже исполняется." in again.content.decode()


def test_the_deputy_cannot_start_execution(world, live, login):
    client = login(world.user("school_deputy"))
    assert client.get(reverse("roadmap_start_execution", args=[live.plan.pk])).status_code == 403


def test_home_pages_ask_for_action(world, live, login, client):
    record = live.record(live.overdue, world.school)
    client.force_login(world.user("school_deputy"))
    home = client.get(reverse("home")).content.decode()
    assert "Мои мероприятия" in home
    assert "просрочено" in home
    client.post(reverse("record_mark", args=[record.pk]), {"state": "done"})
    client.force_login(world.user("methodologist"))
    assert "Ждут проверки: 1" in client.get(reverse("home")).content.decode()
    client.force_login(world.user("municipal_coordinator"))
    home = client.get(reverse("home")).content.decode()
    assert "Новокубанский район: где просрочено" in home
    client.force_login(world.user("school_director"))
    assert f"Исполнение: {world.school.short_name}" in client.get(reverse("home")).content.decode()
    client.force_login(world.user("regional_coordinator"))
    assert "муниципалитеты с просрочками" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("my_access")).status_code == 200


def test_the_plan_list_shows_progress(world, live, login):
    client = login(world.user("municipal_coordinator"))
    text = client.get(reverse("roadmap_list")).content.decode()
    assert "Исполнение" in text
    assert "просрочено" in text


def test_an_organisation_page_lists_its_rows(world, live, login):
    client = login(world.user("municipal_coordinator"))
    response = client.get(reverse("organisation_execution", args=[world.school.pk]))
    assert response.status_code == 200
    assert "Семинар для заместителей директоров" in response.content.decode()


def test_a_not_done_mark_does_not_wait_for_the_curator(world, live, login):
    client = login(world.user("school_deputy"))
    record = live.record(live.overdue, world.school)
    client.post(
        reverse("record_mark", args=[record.pk]), {"state": "not_done", "note": "Перенесено"}
    )
    record.refresh_from_db()
    assert (record.state, record.review) == (MarkState.NOT_DONE, ReviewState.NONE)


def test_the_school_page_shows_its_execution(world, live, login):
    client = login(world.user("municipal_coordinator"))
    page = client.get(reverse("organisation_detail", args=[world.school.pk])).content.decode()
    assert reverse("organisation_execution", args=[world.school.pk]) in page
    summary = client.get(
        reverse("organisation_execution", args=[world.school.pk]),
        {"summary": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Исполнение мероприятий" in summary
    assert "просрочено 1" in summary
