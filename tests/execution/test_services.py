"""A plan enters execution, schools mark what they did, curators accept or return
(execution.services)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from execution import services as execution
from execution.models import ExecutionRecord, MarkState, ReviewState
from roadmaps import services
from roadmaps.constants import AssignmentMode, RoadmapStatus
from roadmaps.models import MeasureWindow, Roadmap
from roadmaps.services import EditConflict

D = datetime.date


@pytest.fixture
def coordinator(world):
    return world.user("municipal_coordinator")


def build_plan(world, coordinator, copies: int = 1, **fields) -> Roadmap:
    """A municipal plan for 2020–2021 with, per copy: a seminar in March and September
    2020 for both home schools, a continuous measure nobody is assigned to (owed by the
    authority), and an unscheduled one for all ШНОР (the first school only)."""
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта Новокубанского района",
        period_start=D(2020, 1, 1),
        period_end=D(2021, 12, 31),
        **fields,
    )
    for n in range(copies):
        seminar = services.measure_create(
            roadmap=plan,
            acting_user=coordinator,
            title=f"Семинар {n}",
            deadline_text="март, сентябрь 2020",
        )
        services.measure_assign(
            measure=seminar,
            acting_user=coordinator,
            mode=AssignmentMode.ORGANISATIONS,
            organisations=[world.school, world.second_school],
        )
        services.measure_create(
            roadmap=plan,
            acting_user=coordinator,
            title=f"Мониторинг {n}",
            deadline_text="В течение периода",
        )
        unscheduled = services.measure_create(
            roadmap=plan,
            acting_user=coordinator,
            title=f"Консультации {n}",
            deadline_text="по отдельному плану",
        )
        services.measure_assign(
            measure=unscheduled, acting_user=coordinator, mode=AssignmentMode.LOW_RESULTS
        )
    return Roadmap.objects.get(pk=plan.pk)


@pytest.fixture
def plan(world, coordinator):
    plan = build_plan(world, coordinator)
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    return Roadmap.objects.get(pk=plan.pk)


def records(plan, **filters):
    return ExecutionRecord.objects.filter(measure__roadmap=plan, **filters).order_by(
        "measure__order", "organisation_id", "due_on"
    )


def record_of(plan, organisation, title="Семинар 0"):
    return records(plan, organisation=organisation, measure__title=title).first()


# --- start_execution ----------------------------------------------------------------------


def test_start_creates_a_record_per_measure_organisation_and_window(world, coordinator):
    plan = build_plan(world, coordinator)
    result = execution.start_execution(roadmap=plan, acting_user=coordinator)
    plan.refresh_from_db()
    assert plan.status == RoadmapStatus.EXECUTION
    rows = {
        (r.measure.title, r.organisation.short_name, r.starts_on, r.due_on, r.window_id is None)
        for r in records(plan).select_related("measure", "organisation")
    }
    school, second = world.school.short_name, world.second_school.short_name
    authority = world.authority.short_name
    seminar = {
        (title, org, start, due, False)
        for title in ["Семинар 0"]
        for org in [school, second]
        for start, due in [(D(2020, 3, 1), D(2020, 3, 31)), (D(2020, 9, 1), D(2020, 9, 30))]
    }
    quarters = {
        ("Мониторинг 0", authority, D(year, month, 1), due, True)
        for year in (2020, 2021)
        for month, due in [
            (1, D(year, 3, 31)),
            (4, D(year, 6, 30)),
            (7, D(year, 9, 30)),
            (10, D(year, 12, 31)),
        ]
    }
    assert rows == seminar | quarters | {("Консультации 0", school, None, None, True)}
    assert result.created == 13
    # The window records point at the seminar's windows.
    window_ids = set(
        MeasureWindow.objects.filter(measure__title="Семинар 0").values_list("pk", flat=True)
    )
    assert (
        set(records(plan, window__isnull=False).values_list("window_id", flat=True)) == window_ids
    )
    assert set(records(plan).values_list("state", "review")) == {("pending", "none")}


def test_start_records_history_with_who_started(world, coordinator, plan):
    record = records(plan).first()
    (created,) = record.history.all()
    assert created.history_type == "+"
    assert created.history_user == coordinator


def test_half_year_reporting_periods_follow_the_plan_setting(world, coordinator):
    plan = build_plan(world, coordinator)
    Roadmap.objects.filter(pk=plan.pk).update(reporting_months=6)
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    assert list(
        records(plan, measure__title="Мониторинг 0").values_list("starts_on", "due_on")
    ) == [
        (D(2020, 1, 1), D(2020, 6, 30)),
        (D(2020, 7, 1), D(2020, 12, 31)),
        (D(2021, 1, 1), D(2021, 6, 30)),
        (D(2021, 7, 1), D(2021, 12, 31)),
    ]


def test_start_takes_as_many_queries_for_a_large_plan_as_for_a_small(world, coordinator):
    counts = []
    for copies in (1, 6):
        plan = build_plan(world, coordinator, copies=copies)
        with CaptureQueriesContext(connection) as queries:
            result = execution.start_execution(roadmap=plan, acting_user=coordinator)
        assert result.created == 13 * copies
        counts.append(len(queries))
    # 15: savepoint and release (the test's outer transaction), the plan in reach, lock the
    # plan, measures, plan save and its history, windows, chosen organisations, the owner,
    # the ШНОР, existing records, records insert and their history, recheck.
    assert counts == [15, 15]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (RoadmapStatus.EXECUTION, "План уже исполняется."),
        (RoadmapStatus.CLOSED, "План в статусе «Закрыт» нельзя отправить на исполнение."),
        (RoadmapStatus.CONCURRENCE, "«На согласовании» нельзя отправить на исполнение."),
    ],
)
def test_start_refuses_plans_that_cannot_start(world, coordinator, status, message):
    plan = build_plan(world, coordinator)
    Roadmap.objects.filter(pk=plan.pk).update(status=status)
    with pytest.raises(ValidationError) as error:
        execution.start_execution(roadmap=plan, acting_user=coordinator)
    assert message in str(error.value)
    assert not records(plan).exists()


def test_start_refuses_a_template_and_an_empty_plan(world, coordinator):
    plan = build_plan(world, coordinator)
    Roadmap.objects.filter(pk=plan.pk).update(is_template=True)
    with pytest.raises(ValidationError, match="Шаблон плана не исполняется"):
        execution.start_execution(roadmap=plan, acting_user=coordinator)
    empty = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Пустой план",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    with pytest.raises(ValidationError, match="В плане нет мероприятий"):
        execution.start_execution(roadmap=empty, acting_user=coordinator)
    assert Roadmap.objects.get(pk=empty.pk).status == RoadmapStatus.DRAFT


@pytest.mark.parametrize("persona", ["school_deputy", "neighbour_coordinator", "outsider", "head"])
def test_start_needs_the_right_to_change_the_plan(world, coordinator, persona):
    plan = build_plan(world, coordinator)
    with pytest.raises(PermissionDenied):
        execution.start_execution(roadmap=plan, acting_user=world.user(persona))
    assert Roadmap.objects.get(pk=plan.pk).status == RoadmapStatus.DRAFT
    assert not records(plan).exists()


# --- mark ---------------------------------------------------------------------------------


def test_deputy_marks_a_measure_done_and_it_waits_for_the_curator(world, plan):
    deputy = world.user("school_deputy")
    record = record_of(plan, world.school)
    (marked,) = execution.mark(
        records=record,
        acting_user=deputy,
        state=MarkState.DONE,
        done_on=D(2020, 3, 20),
        note="Протокол семинара № 3",
        expected_version=record.version,
    )
    record.refresh_from_db()
    assert (record.state, record.done_on, record.note) == (
        "done",
        D(2020, 3, 20),
        "Протокол семинара № 3",
    )
    assert (record.review, record.marked_by, record.version) == ("waiting", deputy, 2)
    assert record.marked_at is not None
    assert marked.pk == record.pk
    latest = record.history.first()
    assert (latest.history_user, latest.state, latest.history_change_reason) == (
        deputy,
        "done",
        "Отметка об исполнении",
    )


def test_a_mark_without_a_date_is_dated_today_in_the_plans_region(world, plan):
    record = record_of(plan, world.school)
    execution.mark(
        records=record, acting_user=world.user("school_director"), state=MarkState.PARTLY
    )
    record.refresh_from_db()
    from core.timezones import today_in

    assert record.done_on == today_in(world.region)
    execution.mark(
        records=record, acting_user=world.user("school_director"), state=MarkState.NOT_DONE
    )
    record.refresh_from_db()
    assert (record.state, record.done_on) == ("not_done", None)


def test_a_plan_without_acceptance_takes_marks_as_accepted(world, coordinator):
    plan = build_plan(world, coordinator)
    Roadmap.objects.filter(pk=plan.pk).update(marks_need_acceptance=False)
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    record = record_of(plan, world.school)
    deputy = world.user("school_deputy")
    execution.mark(records=record, acting_user=deputy, state=MarkState.DONE, done_on=D(2020, 3, 5))
    record.refresh_from_db()
    assert (record.review, record.reviewed_by) == ("accepted", deputy)
    # Nobody accepted it but the school: the school may still correct its mark.
    execution.mark(
        records=record, acting_user=deputy, state=MarkState.PARTLY, done_on=D(2020, 3, 6)
    )
    assert ExecutionRecord.objects.get(pk=record.pk).state == "partly"


def test_deputy_marks_several_windows_of_the_school_at_once(world, plan):
    rows = list(records(plan, organisation=world.school, measure__title="Семинар 0"))
    assert len(rows) == 2
    marked = execution.mark(
        records=rows,
        acting_user=world.user("school_deputy"),
        state=MarkState.DONE,
        done_on=D(2020, 9, 30),
        note="Оба семинара проведены",
        expected_version={r.pk: r.version for r in rows},
    )
    assert {r.pk for r in marked} == {r.pk for r in rows}
    assert set(
        records(plan, organisation=world.school, measure__title="Семинар 0").values_list(
            "note", flat=True
        )
    ) == {"Оба семинара проведены"}


def test_coordinator_marks_several_schools_with_one_note(world, coordinator, plan):
    rows = list(records(plan, measure__title="Семинар 0", due_on=D(2020, 3, 31)))
    assert {r.organisation_id for r in rows} == {world.school.pk, world.second_school.pk}
    execution.mark(
        records=rows, acting_user=coordinator, state=MarkState.DONE, note="Проведён в УО"
    )
    assert set(
        records(plan, measure__title="Семинар 0", due_on=D(2020, 3, 31)).values_list(
            "state", "marked_by"
        )
    ) == {("done", coordinator.pk)}


@pytest.mark.parametrize(
    ("persona", "organisation"),
    [
        # the deputy of СОШ № 3 on a row of СОШ № 5
        ("school_deputy", "second_school"),
        # a curator checks marks, the curator of СОШ № 3 from Армавир does not mark them
        ("foreign_curator", "school"),
        # another municipality of the region and another tenant see nothing of it
        ("neighbour_coordinator", "school"),
        ("regional_coordinator", "school"),
        ("head", "school"),
        ("outsider", "school"),
    ],
)
def test_marks_outside_the_persons_reach_are_refused(world, plan, persona, organisation):
    record = record_of(plan, getattr(world, organisation))
    with pytest.raises(PermissionDenied) as error:
        execution.mark(records=record, acting_user=world.user(persona), state=MarkState.DONE)
    assert "Отметить можно только" in str(error.value)
    record.refresh_from_db()
    assert (record.state, record.version) == ("pending", 1)


def test_a_bulk_mark_with_one_foreign_row_records_nothing(world, plan):
    rows = list(records(plan, measure__title="Семинар 0", due_on=D(2020, 3, 31)))
    with pytest.raises(PermissionDenied):
        execution.mark(records=rows, acting_user=world.user("school_deputy"), state=MarkState.DONE)
    assert not records(plan).exclude(state="pending").exists()


def test_marks_on_a_plan_not_in_execution_are_refused(world, plan):
    Roadmap.objects.filter(pk=plan.pk).update(status=RoadmapStatus.CLOSED)
    record = record_of(plan, world.school)
    with pytest.raises(ValidationError) as error:
        execution.mark(
            records=record, acting_user=world.user("school_deputy"), state=MarkState.DONE
        )
    assert "не исполняется" in str(error.value)
    assert ExecutionRecord.objects.get(pk=record.pk).state == "pending"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"state": "pending"}, "Выберите отметку"),
        ({"state": "сделано"}, "Выберите отметку"),
        ({"state": "done", "done_on": D(2999, 1, 1)}, "не может быть позже сегодняшнего дня"),
        ({"state": "done", "done_on": "вчера"}, "ДД.ММ.ГГГГ"),
        ({"state": "done", "note": "я" * 5001}, "Комментарий длиннее 5000 знаков"),
    ],
)
def test_bad_marks_get_a_russian_message(world, plan, kwargs, message):
    record = record_of(plan, world.school)
    with pytest.raises(ValidationError) as error:
        execution.mark(records=record, acting_user=world.user("school_deputy"), **kwargs)
    assert message in str(error.value)


def test_an_empty_choice_is_refused(world, plan):
    with pytest.raises(ValidationError, match="Выберите хотя бы одно мероприятие"):
        execution.mark(records=[], acting_user=world.user("school_deputy"), state=MarkState.DONE)


def test_a_stale_version_is_an_edit_conflict(world, plan):
    record = record_of(plan, world.school)
    execution.mark(
        records=record, acting_user=world.user("school_director"), state=MarkState.PARTLY
    )
    with pytest.raises(EditConflict) as error:
        execution.mark(
            records=record,
            acting_user=world.user("school_deputy"),
            state=MarkState.DONE,
            expected_version=record.version,
        )
    assert "изменил другой пользователь" in str(error.value)
    assert ExecutionRecord.objects.get(pk=record.pk).state == "partly"


def test_a_double_submit_is_recorded_once(world, plan):
    deputy = world.user("school_deputy")
    record = record_of(plan, world.school)
    for _ in range(2):
        execution.mark(
            records=record,
            acting_user=deputy,
            state=MarkState.DONE,
            done_on=D(2020, 3, 20),
            note="Проведён",
            expected_version=1,
        )
    record.refresh_from_db()
    assert record.version == 2
    assert record.history.count() == 2  # created, marked once


def test_an_accepted_mark_cannot_be_changed_by_the_school(world, plan):
    record = record_of(plan, world.school)
    deputy = world.user("school_deputy")
    execution.mark(records=record, acting_user=deputy, state=MarkState.DONE)
    execution.review(records=record, acting_user=world.user("methodologist"), accept=True)
    with pytest.raises(ValidationError, match="уже принял куратор"):
        execution.mark(records=record, acting_user=deputy, state=MarkState.NOT_DONE)


# --- review -------------------------------------------------------------------------------


def test_curator_returns_the_school_marks_again_the_curator_accepts(world, plan):
    deputy, curator = world.user("school_deputy"), world.user("methodologist")
    record = record_of(plan, world.school)
    execution.mark(records=record, acting_user=deputy, state=MarkState.DONE, note="Сделано")
    execution.review(records=record, acting_user=curator, accept=False, comment="Нет протокола")
    record.refresh_from_db()
    assert (record.review, record.review_comment, record.reviewed_by) == (
        "returned",
        "Нет протокола",
        curator,
    )
    execution.mark(
        records=record, acting_user=deputy, state=MarkState.DONE, note="Протокол приложен"
    )
    record.refresh_from_db()
    assert (record.review, record.review_comment) == ("waiting", "")
    execution.review(records=record, acting_user=curator, accept=True)
    record.refresh_from_db()
    assert record.review == "accepted"
    steps = [
        (h.history_user.username, h.state, h.review, h.review_comment)
        for h in record.history.order_by("history_date", "history_id")
    ]
    assert steps == [
        ("coordinator", "pending", "none", ""),
        ("deputy", "done", "waiting", ""),
        ("methodologist", "done", "returned", "Нет протокола"),
        ("deputy", "done", "waiting", ""),
        ("methodologist", "done", "accepted", ""),
    ]
    assert all(h.history_date for h in record.history.all())


def test_returning_needs_a_comment(world, plan):
    record = record_of(plan, world.school)
    execution.mark(records=record, acting_user=world.user("school_deputy"), state=MarkState.DONE)
    with pytest.raises(ValidationError, match="без комментария отметку не вернуть"):
        execution.review(
            records=record, acting_user=world.user("methodologist"), accept=False, comment="  "
        )
    assert ExecutionRecord.objects.get(pk=record.pk).review == "waiting"


def test_coordinator_accepts_several_schools_at_once(world, coordinator, plan):
    rows = list(records(plan, measure__title="Семинар 0", due_on=D(2020, 3, 31)))
    execution.mark(records=rows[:1], acting_user=world.user("school_deputy"), state=MarkState.DONE)
    execution.mark(records=rows[1:], acting_user=coordinator, state=MarkState.DONE)
    execution.review(records=rows, acting_user=coordinator, accept=True)
    assert set(records(plan, pk__in=[r.pk for r in rows]).values_list("review", flat=True)) == {
        "accepted"
    }


@pytest.mark.parametrize(
    ("persona", "organisation"),
    [
        # the curator of СОШ № 3 is not the curator of СОШ № 5
        ("methodologist", "second_school"),
        ("foreign_curator", "second_school"),
        # a school does not accept its own marks
        ("school_deputy", "school"),
        ("school_director", "school"),
        ("neighbour_coordinator", "school"),
        ("two_roles", "school"),
        ("outsider", "school"),
    ],
)
def test_reviews_outside_the_persons_reach_are_refused(
    world, coordinator, plan, persona, organisation
):
    record = record_of(plan, getattr(world, organisation))
    execution.mark(records=record, acting_user=coordinator, state=MarkState.DONE)
    with pytest.raises(PermissionDenied, match="Проверять отметки этих организаций вы не можете"):
        execution.review(records=record, acting_user=world.user(persona), accept=True)
    assert ExecutionRecord.objects.get(pk=record.pk).review == "waiting"


def test_a_curator_from_another_municipality_reviews_the_assigned_school(world, plan):
    record = record_of(plan, world.school)
    execution.mark(records=record, acting_user=world.user("school_deputy"), state=MarkState.DONE)
    execution.review(records=record, acting_user=world.user("foreign_curator"), accept=True)
    assert ExecutionRecord.objects.get(pk=record.pk).review == "accepted"


def test_only_waiting_marks_are_reviewed(world, plan):
    record = record_of(plan, world.school)
    with pytest.raises(ValidationError, match="не ждёт проверки"):
        execution.review(records=record, acting_user=world.user("methodologist"), accept=True)


def test_a_repeated_decision_is_recorded_once(world, plan):
    curator = world.user("methodologist")
    record = record_of(plan, world.school)
    execution.mark(records=record, acting_user=world.user("school_deputy"), state=MarkState.DONE)
    execution.review(records=record, acting_user=curator, accept=True)
    execution.review(records=record, acting_user=curator, accept=True)
    assert ExecutionRecord.objects.get(pk=record.pk).history.filter(review="accepted").count() == 1


def test_a_review_on_a_plan_not_in_execution_is_refused(world, plan):
    record = record_of(plan, world.school)
    execution.mark(records=record, acting_user=world.user("school_deputy"), state=MarkState.DONE)
    Roadmap.objects.filter(pk=plan.pk).update(status=RoadmapStatus.CLOSED)
    with pytest.raises(ValidationError, match="не исполняется"):
        execution.review(records=record, acting_user=world.user("methodologist"), accept=True)


@pytest.mark.django_db(transaction=True)
def test_two_curators_at_once_the_second_is_told_who_decided(world, coordinator):
    """Both curators of СОШ № 3 act on the same mark at the same moment: one decision is
    recorded, the other curator gets a Russian message, nothing is recorded twice."""
    plan = build_plan(world, coordinator)
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    record = record_of(plan, world.school)
    execution.mark(records=record, acting_user=world.user("school_deputy"), state=MarkState.DONE)
    version = ExecutionRecord.objects.get(pk=record.pk).version
    start = threading.Barrier(2)
    outcomes = {}

    def act(persona, accept):
        try:
            start.wait(5)
            execution.review(
                records=[record.pk],
                acting_user=world.user(persona),
                accept=accept,
                comment="" if accept else "Приложите протокол",
                expected_version={record.pk: version},
            )
            outcomes[persona] = "ok"
        except (ValidationError, EditConflict) as error:
            outcomes[persona] = str(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("methodologist", True)),
        threading.Thread(target=act, args=("foreign_curator", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcome == "ok" for outcome in outcomes.values()) == [False, True]
    (refusal,) = [outcome for outcome in outcomes.values() if outcome != "ok"]
    assert "уже проверили" in refusal
    assert "Обновите страницу" in refusal
    final = ExecutionRecord.objects.get(pk=record.pk)
    assert final.version == version + 1
    reviews = final.history.exclude(review__in=[ReviewState.NONE, ReviewState.WAITING])
    assert reviews.count() == 1


# --- evidence -----------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_deputy_attaches_a_pdf_kept_in_the_private_storage(world, plan):
    from django.core.files.storage import storages

    deputy = world.user("school_deputy")
    record = record_of(plan, world.school)
    evidence = execution.evidence_add_file(
        record=record, acting_user=deputy, uploaded_file=upload("Протокол.pdf", PDF)
    )
    assert (evidence.kind, evidence.original_name, evidence.content_type, evidence.size) == (
        "file",
        "Протокол.pdf",
        "application/pdf",
        len(PDF),
    )
    assert evidence.file.name.startswith("evidence/")
    assert evidence.file.name.endswith(".pdf")
    with storages["private"].open(evidence.file.name) as stored:
        assert stored.read() == PDF
    assert evidence.history.first().history_user == deputy
    # The record now holds its window like a mark does.
    from roadmaps.windows import recorded_window_ids

    assert recorded_window_ids([record.window_id]) == {record.window_id}


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_stored(world, plan):
    from django.core.files.storage import storages

    def stored():
        private = storages["private"]
        return set(private.listdir("evidence")[1]) if private.exists("evidence") else set()

    before = stored()
    record = record_of(plan, world.school)
    with pytest.raises(ValidationError) as error:
        execution.evidence_add_file(
            record=record,
            acting_user=world.user("school_deputy"),
            uploaded_file=upload("Протокол.pdf", b"just some text, not a pdf at all"),
        )
    assert "Протокол.pdf" in str(error.value)
    assert not record.evidence.exists()
    assert stored() == before


def test_another_schools_deputy_cannot_attach_evidence(world, plan):
    record = record_of(plan, world.second_school)
    with pytest.raises(PermissionDenied):
        execution.evidence_add_link(
            record=record, acting_user=world.user("school_deputy"), url="https://school5.ru"
        )
    assert not record.evidence.exists()


def test_links_are_checked_and_normalised_and_can_be_removed(world, plan):
    deputy = world.user("school_deputy")
    record = record_of(plan, world.school)
    with pytest.raises(ValidationError, match="Укажите ссылку"):
        execution.evidence_add_link(record=record, acting_user=deputy, url="  ")
    link = execution.evidence_add_link(
        record=record, acting_user=deputy, url="school3.ru/news/seminar"
    )
    assert link.url == "https://school3.ru/news/seminar"
    execution.evidence_remove(evidence=link, acting_user=deputy)
    assert not record.evidence.exists()
    with pytest.raises(ValidationError, match="уже удалено"):
        execution.evidence_remove(evidence=link, acting_user=deputy)


def test_a_file_stored_before_a_refused_write_is_removed(world, plan, monkeypatch):
    from django.core.files.storage import storages

    from execution import services as module

    def refuse(*args, **kwargs):
        raise PermissionDenied("нет")

    monkeypatch.setattr(module, "recheck", refuse)
    record = record_of(plan, world.school)
    private = storages["private"]
    before = set(private.listdir("evidence")[1]) if private.exists("evidence") else set()
    with pytest.raises(PermissionDenied):
        execution.evidence_add_file(
            record=record,
            acting_user=world.user("school_deputy"),
            uploaded_file=upload("a.pdf", PDF),
        )
    after = set(private.listdir("evidence")[1]) if private.exists("evidence") else set()
    assert after == before
    assert not record.evidence.exists()
