"""A plan's life: sent for agreement, agreed or returned by the parties, approved with an
order, frozen, corrected as a new revision, compared, published (roadmaps.workflow and
roadmaps.services.workflow), as the people of the cast do it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from roadmaps import compare, services
from roadmaps.constants import ConcurrenceStatus, PlanEventKind, RoadmapStatus
from roadmaps.models import Measure, PlanConcurrence, PlanEvent, Roadmap
from roadmaps.signals import plan_event
from schools.constants import Role
from tests.factories import person

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def cast(world):
    """The home authority's network plan, partner-granted to Армавир's centre; a head
    for the home centre (a second party)."""
    coordinator = world.user("municipal_coordinator")
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Сетевой план",
        period_start=D(2026, 1, 1),
        period_end=D(2027, 12, 31),
    )
    section = services.section_create(
        roadmap=plan, acting_user=coordinator, title="Организация", number="1."
    )
    for n, (title, deadline) in enumerate(
        [("Семинар для заместителей", "март 2026"), ("Консультации", "по отдельному плану")], 1
    ):
        services.measure_create(
            roadmap=plan,
            acting_user=coordinator,
            section=section,
            number=f"1.{n}.",
            title=title,
            deadline_text=deadline,
        )
    world.grant_partner(plan)
    centre_head = person("centre-head", world.centre, Role.HEAD)
    return world, coordinator, Roadmap.objects.get(pk=plan.pk), centre_head


def _submit(world, coordinator, plan):
    return services.roadmap_submit(
        roadmap=plan,
        acting_user=coordinator,
        organisations=[world.centre, world.neighbour_centre],
        comment="Просим согласовать",
    )


def test_the_whole_path_from_draft_to_approved(cast):
    world, coordinator, plan, centre_head = cast
    heard = []
    plan_event.connect(
        lambda **kw: heard.append((kw["event"].kind, kw["recipients"])),
        weak=False,
        dispatch_uid="t",
    )
    try:
        _submit(world, coordinator, plan)
        plan.refresh_from_db()
        assert plan.status == RoadmapStatus.CONCURRENCE
        # The partner (a grant on this plan) and the centre's head are asked.
        assert heard[-1][0] == PlanEventKind.SUBMITTED
        assert set(heard[-1][1]) == {world.user("partner").pk, centre_head.pk}
        services.concurrence_answer(roadmap=plan, acting_user=world.user("partner"), agree=True)
        returned = services.concurrence_answer(
            roadmap=plan, acting_user=centre_head, agree=False, comment="Уточните сроки семинара"
        )
        assert returned.status == ConcurrenceStatus.RETURNED
        plan.refresh_from_db()
        assert plan.status == RoadmapStatus.DRAFT
        # Fixed and sent again: every party is asked anew.
        measure = Measure.objects.get(roadmap=plan, number="1.1.")
        services.measure_update(
            measure=measure,
            acting_user=coordinator,
            data={"deadline_text": "апрель 2026"},
            expected_version=None,
        )
        _submit(world, coordinator, plan)
        services.concurrence_answer(roadmap=plan, acting_user=world.user("partner"), agree=True)
        services.concurrence_answer(roadmap=plan, acting_user=centre_head, agree=True)
        assert heard[-1][0] == PlanEventKind.AGREED
        assert heard[-1][1] == [world.user("head").pk]  # the approver is told
        services.roadmap_approve(
            roadmap=plan,
            acting_user=world.user("head"),
            approval_date=D(2026, 1, 20),
            order_number="01-10/142-2",
        )
    finally:
        plan_event.disconnect(dispatch_uid="t")
    plan.refresh_from_db()
    assert plan.status == RoadmapStatus.APPROVED
    assert plan.approval_order == "приказ от 20.01.2026 № 01-10/142-2"
    assert plan.approval_name == world.user("head").get_short_name()
    assert plan.approval_organisation == world.authority.full_name
    kinds = list(PlanEvent.objects.filter(roadmap=plan).values_list("kind", flat=True))
    assert kinds == ["submitted", "agreed", "returned", "submitted", "agreed", "agreed", "approved"]
    # Frozen: nobody edits an approved revision.
    with pytest.raises(ValidationError, match="не редактируется"):
        services.measure_update(
            measure=Measure.objects.get(roadmap=plan, number="1.1."),
            acting_user=coordinator,
            data={"title": "Иначе"},
            expected_version=None,
        )


def test_approval_waits_for_every_party(cast):
    world, coordinator, plan, _ = cast
    _submit(world, coordinator, plan)
    services.concurrence_answer(roadmap=plan, acting_user=world.user("partner"), agree=True)
    with pytest.raises(ValidationError, match="Ещё не согласовали: МБУ «ЦРО»"):
        services.roadmap_approve(
            roadmap=plan,
            acting_user=world.user("head"),
            approval_date=D(2026, 1, 20),
            order_number="5",
        )
    assert Roadmap.objects.get(pk=plan.pk).status == RoadmapStatus.CONCURRENCE


def test_agreeing_twice_and_uninvited_agreement_are_refused(cast):
    world, coordinator, plan, centre_head = cast
    _submit(world, coordinator, plan)
    services.concurrence_answer(roadmap=plan, acting_user=world.user("partner"), agree=True)
    with pytest.raises(ValidationError, match="ответ уже дан"):
        services.concurrence_answer(roadmap=plan, acting_user=world.user("partner"), agree=True)
    # The coordinator sees the plan but was not asked (the authority is the owner).
    with pytest.raises(ValidationError, match="не запрашивали"):
        services.concurrence_answer(roadmap=plan, acting_user=coordinator, agree=True)
    # The other region's people do not even see it.
    with pytest.raises(PermissionDenied):
        services.concurrence_answer(roadmap=plan, acting_user=world.user("outsider"), agree=True)


def test_only_the_owner_head_approves(cast):
    world, coordinator, plan, centre_head = cast
    services.roadmap_submit(roadmap=plan, acting_user=coordinator, organisations=[])
    for user in (coordinator, centre_head, world.user("school_director")):
        with pytest.raises(PermissionDenied):
            services.roadmap_approve(
                roadmap=plan, acting_user=user, approval_date=D(2026, 1, 1), order_number="1"
            )
    services.roadmap_approve(
        roadmap=plan, acting_user=world.user("head"), approval_date=D(2026, 1, 1), order_number="1"
    )
    with pytest.raises(ValidationError, match="План уже утверждён"):
        services.roadmap_approve(
            roadmap=plan,
            acting_user=world.user("superuser"),
            approval_date=D(2026, 1, 1),
            order_number="2",
        )


def test_a_draft_cannot_be_corrected_and_an_organisation_out_of_reach_cannot_be_asked(cast):
    world, coordinator, plan, _ = cast
    with pytest.raises(ValidationError, match="недоступно"):
        services.roadmap_correct(roadmap=plan, acting_user=coordinator)
    with pytest.raises(ValidationError, match="нельзя указать"):
        services.roadmap_submit(
            roadmap=plan, acting_user=coordinator, organisations=[world.other_authority]
        )
    assert Roadmap.objects.get(pk=plan.pk).status == RoadmapStatus.DRAFT


def _approved(world, coordinator, plan):
    services.roadmap_submit(roadmap=plan, acting_user=coordinator, organisations=[])
    services.roadmap_approve(
        roadmap=plan, acting_user=world.user("head"), approval_date=D(2026, 1, 10), order_number="7"
    )
    return Roadmap.objects.get(pk=plan.pk)


def test_a_correction_is_a_new_revision_and_the_comparison_shows_its_changes(cast):
    world, coordinator, plan, _ = cast
    plan = _approved(world, coordinator, plan)
    copy = services.roadmap_correct(roadmap=plan, acting_user=coordinator, comment="Новые сроки")
    assert (copy.revision, copy.previous_revision_id, copy.status) == (
        2,
        plan.pk,
        RoadmapStatus.DRAFT,
    )
    # The partner's grant came along.
    assert Roadmap.objects.for_user(world.user("partner")).filter(pk=copy.pk).exists()
    seminar = Measure.objects.get(roadmap=copy, number="1.1.")
    services.measure_update(
        measure=seminar,
        acting_user=coordinator,
        data={"deadline_text": "май 2026"},
        expected_version=None,
    )
    services.measure_create(
        roadmap=copy, acting_user=coordinator, section=seminar.section, number="1.3.", title="Отчёт"
    )
    comparison = compare.compare_revisions(plan, Roadmap.objects.get(pk=copy.pk))
    assert comparison.summary == "добавлено 1, изменено 1"
    changed = next(c for c in comparison.changes if "changed" in c.kinds)
    assert changed.fields == [("Сроки", "март 2026", "май 2026")]
    # A second correction of the same revision is refused while one exists.
    with pytest.raises(ValidationError, match="уже есть редакция 2"):
        services.roadmap_correct(roadmap=plan, acting_user=coordinator)
    # The request for agreement says what changed.
    services.roadmap_submit(
        roadmap=Roadmap.objects.get(pk=copy.pk), acting_user=coordinator, organisations=[]
    )
    event = PlanEvent.objects.filter(roadmap=copy, kind=PlanEventKind.SUBMITTED).get()
    assert event.comment == "Редакция 2, изменения: добавлено 1, изменено 1."
    services.roadmap_approve(
        roadmap=copy, acting_user=world.user("head"), approval_date=D(2026, 1, 12), order_number="8"
    )
    plan.refresh_from_db()
    assert plan.status == RoadmapStatus.REPLACED


def test_renumbering_a_copy_is_one_change_not_everything(cast):
    world, coordinator, plan, _ = cast
    plan = _approved(world, coordinator, plan)
    copy = services.roadmap_correct(roadmap=plan, acting_user=coordinator)
    for measure in Measure.objects.filter(roadmap=copy):
        services.measure_update(
            measure=measure,
            acting_user=coordinator,
            data={"number": "2" + measure.number[1:]},
            expected_version=None,
        )
    comparison = compare.compare_revisions(plan, Roadmap.objects.get(pk=copy.pk))
    assert comparison.summary == "изменено 2"


def test_a_correction_in_execution_takes_the_records_over(cast):
    from execution import services as execution
    from execution.models import ExecutionRecord

    world, coordinator, plan, _ = cast
    plan = _approved(world, coordinator, plan)
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    record = ExecutionRecord.objects.get(measure__roadmap=plan, measure__number="1.1.")
    execution.mark(records=[record], acting_user=coordinator, state="done", done_on=D(2026, 3, 20))
    copy = services.roadmap_correct(
        roadmap=Roadmap.objects.get(pk=plan.pk), acting_user=coordinator
    )
    copy = _approved(world, coordinator, copy)
    assert (
        Roadmap.objects.get(pk=plan.pk).status == RoadmapStatus.EXECUTION
    )  # in force until the start
    execution.start_execution(roadmap=copy, acting_user=coordinator)
    record.refresh_from_db()
    assert record.measure.roadmap_id == copy.pk
    assert record.state == "done"
    assert record.window.measure_id == record.measure_id
    assert Roadmap.objects.get(pk=plan.pk).status == RoadmapStatus.REPLACED


def test_document_rows_are_proposed_not_approved(cast):
    world, coordinator, plan, _ = cast
    PlanConcurrence.objects.create(
        roadmap=plan,
        organisation_text="МКУ «ЦРО и ОК» г. Армавира",
        position="Директор",
        name="А. А. Иванова",
        date_text="«__» ______ 2026",
    )
    candidates = services.agreement_candidates(coordinator, plan)
    assert world.neighbour_centre in candidates
    rows = list(PlanConcurrence.objects.filter(roadmap=plan))
    assert list(services.workflow.document_matches(plan, rows).values()) == [
        world.neighbour_centre.pk
    ]
    # Not asked until the coordinator sends it.
    assert not PlanConcurrence.objects.filter(roadmap=plan, requested=True).exists()


# --- pages -------------------------------------------------------------------------------


def test_the_pages_of_the_path(cast, client):
    world, coordinator, plan, centre_head = cast
    client.force_login(coordinator)
    page = client.get(reverse("roadmap_detail", args=[plan.pk])).content.decode()
    assert "Отправить на согласование" in page
    form = client.get(reverse("roadmap_submit", args=[plan.pk])).content.decode()
    assert world.neighbour_centre.short_name in form
    response = client.post(
        reverse("roadmap_submit", args=[plan.pk]),
        {"organisations": [world.neighbour_centre.pk], "comment": "Прошу согласовать"},
    )
    assert response.status_code == 302
    client.force_login(world.user("partner"))
    page = client.get(reverse("roadmap_detail", args=[plan.pk])).content.decode()
    assert "Ваше решение от имени" in page
    client.post(
        reverse("roadmap_answer", args=[plan.pk]),
        {"decision": "agree", "organisation": world.neighbour_centre.pk},
    )
    client.force_login(world.user("head"))
    response = client.post(
        reverse("roadmap_approve", args=[plan.pk]),
        {"approval_date": "2026-01-15", "order_number": "01-13/232"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == RoadmapStatus.APPROVED
    # Editing a frozen revision through any URL: refused.
    client.force_login(coordinator)
    measure = Measure.objects.filter(roadmap=plan).first()
    edit = client.post(
        reverse("measure_edit", args=[measure.pk]), {"title": "Иначе", "version": measure.version}
    )
    assert edit.status_code in {403, 200}
    assert Measure.objects.get(pk=measure.pk).title == measure.title
    # Publication: a public page without login, withdrawable.
    client.post(reverse("roadmap_publish", args=[plan.pk]))
    link = plan.public_links.get()
    client.logout()
    public = client.get(reverse("public_roadmap", args=[link.token]))
    assert public.status_code == 200
    text = public.content.decode()
    assert "Семинар для заместителей" in text
    assert "приказ от" in text
    assert "Главная" not in text
    assert "/roadmaps/" not in text
    client.force_login(coordinator)
    client.post(reverse("roadmap_publish", args=[plan.pk]), {"action": "withdraw"})
    client.logout()
    assert client.get(reverse("public_roadmap", args=[link.token])).status_code == 404
    assert client.get(reverse("public_roadmap", args=["x" * 200])).status_code == 404


def test_the_comparison_page(cast, client):
    world, coordinator, plan, _ = cast
    plan = _approved(world, coordinator, plan)
    copy = services.roadmap_correct(roadmap=plan, acting_user=coordinator)
    services.measure_create(
        roadmap=copy, acting_user=coordinator, number="2.", title="Новое мероприятие"
    )
    client.force_login(coordinator)
    page = client.get(reverse("roadmap_compare", args=[copy.pk])).content.decode()
    assert "добавлено 1" in page
    assert "Новое мероприятие" in page
    assert (
        client.get(reverse("roadmap_compare", args=[copy.pk]), {"with": 999999}).status_code == 404
    )


def test_a_document_row_in_the_genitive_names_the_authority(world):
    from tests.roadmaps.factories import RoadmapFactory

    plan = RoadmapFactory(owner=world.school)
    row = PlanConcurrence.objects.create(
        roadmap=plan,
        position="Начальник управления образования администрации муниципального образования Новокубанский район",
        name="Е. Н. Кравченко",
    )
    assert services.workflow.document_matches(plan, [row]) == {row.pk: world.authority.pk}


def test_a_school_deputy_may_ask_the_authority_and_the_centre(world):
    from tests.roadmaps.factories import RoadmapFactory

    deputy = world.user("school_deputy")
    plan = RoadmapFactory(owner=world.school)
    candidates = services.agreement_candidates(deputy, plan)
    assert {world.authority, world.centre} <= set(candidates)
    assert world.neighbour_authority not in candidates
