"""Recording, signing, changing and ending agreements through the services: what is
written, what the parties' execution records become, and every refusal in Russian with
nothing written."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from execution import services as execution
from execution.models import Evidence, EvidenceKind, ExecutionRecord, MarkState, ReviewState
from partnerships import services
from partnerships.constants import AgreementKind, AgreementStatus, EventKind, PartyRole
from partnerships.models import Agreement, AgreementEvent, AgreementParty
from partnerships.services import AgreementInput, PartyInput
from roadmaps import services as roadmap_services
from roadmaps.constants import AssignmentMode
from schools.access import SYSTEM
from tests.partnerships.conftest import PDF, centres, record, three_party

SIGNED = datetime.date(2025, 9, 2)


def nothing_written():
    return (
        Agreement.objects.count(),
        AgreementParty.objects.count(),
        AgreementEvent.objects.count(),
    )


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def sign_plan(world, *, title="Заключение договоров о сетевом взаимодействии со школами-лидерами"):
    """The home authority's plan in execution with a «sign the agreements» measure owed by
    both home schools, due at the end of the year."""
    coordinator = world.user("municipal_coordinator")
    plan = roadmap_services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="Дорожная карта ШНОР",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    measure = roadmap_services.measure_create(
        roadmap=plan, acting_user=coordinator, title=title, deadline_text="декабрь 2025"
    )
    roadmap_services.measure_assign(
        measure=measure,
        acting_user=coordinator,
        mode=AssignmentMode.ORGANISATIONS,
        organisations=[world.school, world.second_school],
    )
    execution.start_execution(roadmap=plan, acting_user=coordinator)
    return plan, measure


# --- Recording --------------------------------------------------------------------------------


def test_coordinator_records_a_three_party_agreement_with_its_scan(world, coordinator):
    agreement = record(
        world,
        three_party(world),
        signed_on=SIGNED,
        scan=ContentFile(PDF, name="Соглашение № 12.pdf"),
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_on == SIGNED
    assert agreement.registrar == world.centre
    assert [(p.organisation, p.role) for p in agreement.parties.order_by("order")] == [
        (world.centre, PartyRole.CURATOR_CENTRE),
        (world.second_school, PartyRole.LEADER_SCHOOL),
        (world.school, PartyRole.SUPPORTED),
    ]
    assert agreement.scan_name == "Соглашение № 12.pdf"
    assert agreement.scan_content_type == "application/pdf"
    assert agreement.scan.read() == PDF
    assert list(agreement.events.values_list("kind", "day")) == [
        (EventKind.CREATED, None),
        (EventKind.SIGNED, SIGNED),
        (EventKind.SCAN, None),
    ]
    assert agreement.history.first().history_user == coordinator


def test_an_agreement_without_a_signing_day_is_a_draft(world):
    agreement = record(world, three_party(world))
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.signed_on is None


# --- Bad input --------------------------------------------------------------------------------


def test_a_party_from_a_municipality_the_person_cannot_see_is_refused(world):
    before = nothing_written()
    data = three_party(
        world,
        parties=[
            PartyInput(world.centre, PartyRole.CURATOR_CENTRE),
            PartyInput(world.other_school, PartyRole.SUPPORTED),
        ],
        kind=AgreementKind.CENTRE_SCHOOL,
    )
    with pytest.raises(ValidationError) as error:
        record(world, data)
    assert "не найдена среди организаций, которые вы можете указать" in messages(error.value)
    assert nothing_written() == before


def test_validity_that_ends_before_it_starts_is_refused(world):
    data = three_party(
        world, valid_from=datetime.date(2026, 9, 1), valid_to=datetime.date(2026, 8, 31)
    )
    with pytest.raises(ValidationError) as error:
        record(world, data)
    assert error.value.message_dict["valid_to"] == [
        "Срок действия заканчивается раньше, чем начинается."
    ]
    assert not Agreement.objects.exists()


def test_an_agreement_with_one_party_is_refused(world):
    data = three_party(
        world,
        kind=AgreementKind.SCHOOL_SCHOOL,
        parties=[PartyInput(world.school, PartyRole.SUPPORTED)],
    )
    with pytest.raises(ValidationError) as error:
        record(world, data)
    assert "хотя бы две стороны" in messages(error.value)
    assert not Agreement.objects.exists()


def test_a_number_twice_within_the_registrar_is_refused(world):
    record(world, three_party(world, number="12"))
    before = nothing_written()
    with pytest.raises(ValidationError) as error:
        record(world, three_party(world, number=" 12 "))
    assert "номера внутри организации не повторяются" in error.value.message_dict["number"][0]
    assert nothing_written() == before


def test_the_same_number_in_another_registrar_is_fine(world):
    record(world, three_party(world, number="1"))
    other = three_party(
        world,
        number="1",
        kind=AgreementKind.SCHOOL_SCHOOL,
        parties=[
            PartyInput(world.second_school, PartyRole.LEADER_SCHOOL),
            PartyInput(world.school, PartyRole.SUPPORTED),
        ],
    )
    assert record(world, other).registrar == world.second_school


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("скан.txt", "Это не документ".encode(), "не принимается"),
        ("скан.pdf", b"MZ\x90\x00 not a pdf at all", "Имя файла «скан.pdf» говорит, что это PDF"),
        ("пусто.pdf", b"", "пустой"),
    ],
)
def test_a_scan_that_is_not_a_document_is_refused(world, name, content, expected):
    before = nothing_written()
    with pytest.raises(ValidationError) as error:
        record(world, three_party(world), signed_on=SIGNED, scan=ContentFile(content, name=name))
    assert expected in " ".join(error.value.message_dict["scan"])
    assert nothing_written() == before


def test_a_spreadsheet_is_not_a_scan(world):
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "не скан"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as error:
        record(
            world,
            three_party(world),
            signed_on=SIGNED,
            scan=ContentFile(out.getvalue(), name="скан.xlsx"),
        )
    assert "Приложите скан подписанного документа" in error.value.message_dict["scan"][0]


@pytest.mark.parametrize(
    ("kind", "parties", "expected"),
    [
        (
            AgreementKind.THREE_PARTY,
            lambda w: [
                PartyInput(w.centre, PartyRole.CURATOR_CENTRE),
                PartyInput(w.school, PartyRole.SUPPORTED),
            ],
            "ровно три стороны",
        ),
        (
            AgreementKind.CENTRE_SCHOOL,
            lambda w: [
                PartyInput(w.centre, PartyRole.SUPPORTED),
                PartyInput(w.school, PartyRole.SUPPORTED),
            ],
            "бывает только у школы",
        ),
        (
            AgreementKind.CENTRE_CENTRE,
            lambda w: [
                PartyInput(w.centre, PartyRole.NETWORK_LEADER),
                PartyInput(w.school, PartyRole.PARTNER),
            ],
            "— школа",
        ),
        (
            AgreementKind.SCHOOL_SCHOOL,
            lambda w: [
                PartyInput(w.centre, PartyRole.CURATOR_CENTRE),
                PartyInput(w.school, PartyRole.SUPPORTED),
            ],
            "нет роли «Курирующий центр»",
        ),
        (
            AgreementKind.UNIVERSITY,
            lambda w: [
                PartyInput(w.centre, PartyRole.PARTNER),
                PartyInput(w.school, PartyRole.SUPPORTED),
            ],
            "нужен вуз или колледж",
        ),
    ],
)
def test_parties_must_fit_the_kind_of_agreement(world, kind, parties, expected):
    with pytest.raises(ValidationError) as error:
        record(world, three_party(world, kind=kind, parties=parties(world)))
    assert expected in messages(error.value)
    assert not Agreement.objects.exists()


def test_an_organisation_twice_is_refused(world):
    data = three_party(
        world,
        kind=AgreementKind.SCHOOL_SCHOOL,
        parties=[
            PartyInput(world.school, PartyRole.SUPPORTED),
            PartyInput(world.school, PartyRole.LEADER_SCHOOL),
        ],
    )
    with pytest.raises(ValidationError) as error:
        record(world, data)
    assert "указана дважды" in messages(error.value)


def test_a_signing_day_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as error:
        record(
            world, three_party(world), signed_on=timezone.localdate() + datetime.timedelta(days=3)
        )
    assert error.value.message_dict["signed_on"] == [
        "Дата подписания не может быть позже сегодняшнего дня."
    ]


def test_school_staff_may_not_record_agreements(world):
    with pytest.raises(PermissionDenied):
        record(world, three_party(world), acting_user=world.user("school_director"))
    assert not Agreement.objects.exists()


def test_an_agreement_none_of_whose_parties_is_in_the_persons_reach_is_refused(world):
    """The home coordinator may name the region's bodies and the partner centre its plan is
    agreed with, but an agreement between only those two would be outside their reach:
    refused before anything is written."""
    from roadmaps.models import PlanConcurrence
    from tests.roadmaps.factories import RoadmapFactory

    plan = RoadmapFactory(owner=world.authority)
    PlanConcurrence.objects.create(roadmap=plan, organisation=world.neighbour_centre)
    data = centres(
        world,
        parties=[
            PartyInput(world.regional_authority, PartyRole.NETWORK_LEADER),
            PartyInput(world.neighbour_centre, PartyRole.PARTNER),
        ],
    )
    with pytest.raises(ValidationError) as error:
        record(world, data)
    assert "Хотя бы одна сторона должна быть организацией вашей зоны" in messages(error.value)
    assert not Agreement.objects.exists()


def test_the_partner_centre_a_plan_is_agreed_with_may_be_a_party(world):
    """The «СОГЛАСОВАНО» of the home centre's network plan names Армавир's centre (as the
    imported document writes it): the home coordinator records their agreement."""
    from roadmaps.models import PlanConcurrence
    from tests.roadmaps.factories import RoadmapFactory

    plan = RoadmapFactory(owner=world.centre)
    PlanConcurrence.objects.create(
        roadmap=plan,
        position="Директор МКУ «ЦРО и ОК»",
        organisation_text="муниципального образования город Армавир",
    )
    agreement = record(world, centres(world, roadmaps=[plan]), signed_on=SIGNED)
    assert agreement.parties.count() == 2


# --- Signing completes the measure -------------------------------------------------------------


def test_signing_completes_the_parties_records_with_the_agreement_as_evidence(world, coordinator):
    plan, measure = sign_plan(world)
    data = three_party(world, measures=[measure])
    agreement = record(world, data)
    pending = ExecutionRecord.objects.get(measure=measure, organisation=world.school)
    assert pending.state == MarkState.PENDING

    services.agreement_sign(
        agreement=agreement,
        acting_user=coordinator,
        signed_on=SIGNED,
        scan=ContentFile(PDF, name="скан.pdf"),
    )

    done = ExecutionRecord.objects.get(pk=pending.pk)
    assert done.state == MarkState.DONE
    assert done.done_on == SIGNED
    assert done.review == ReviewState.ACCEPTED  # the coordinator reviews the municipality
    assert done.marked_by == coordinator
    assert "Подписано соглашение № 12 от 02.09.2025" in done.note
    evidence = Evidence.objects.get(record=done)
    assert evidence.kind == EvidenceKind.LINK
    assert evidence.url.endswith(f"/partnerships/{agreement.pk}/")
    assert done.history.first().history_change_reason == "Подписано соглашение"
    # The leader school owes the measure too, and is a party: done as well.
    leader = ExecutionRecord.objects.get(measure=measure, organisation=world.second_school)
    assert leader.state == MarkState.DONE


def test_a_mark_made_by_an_agreement_waits_for_the_curator_when_the_signer_may_not_review(world):
    """Армавир's coordinator manages an agreement of its centre with the home school (the
    home coordinator recorded it): its signing completes the home school's record, which
    the home curator then accepts."""
    plan, measure = sign_plan(world)
    data = AgreementInput(
        kind=AgreementKind.CENTRE_SCHOOL,
        subject="Тьюторское сопровождение",
        valid_from=datetime.date(2025, 9, 1),
        parties=[
            PartyInput(world.school, PartyRole.SUPPORTED),
            PartyInput(world.neighbour_centre, PartyRole.CURATOR_CENTRE),
        ],
        measures=[measure],
    )
    agreement = record(world, data, acting_user=SYSTEM)
    services.agreement_sign(
        agreement=agreement, acting_user=world.user("neighbour_coordinator"), signed_on=SIGNED
    )
    mark = ExecutionRecord.objects.get(measure=measure, organisation=world.school)
    assert (mark.state, mark.review) == (MarkState.DONE, ReviewState.WAITING)


def test_a_record_done_already_is_left_as_it_was(world, coordinator):
    plan, measure = sign_plan(world)
    done = ExecutionRecord.objects.get(measure=measure, organisation=world.school)
    execution.mark(records=[done], acting_user=coordinator, state="done", note="Сделано раньше")
    record(world, three_party(world, measures=[measure]), signed_on=SIGNED)
    done.refresh_from_db()
    assert done.note == "Сделано раньше"
    assert not Evidence.objects.filter(record=done).exists()


def test_linking_a_measure_to_an_agreement_in_force_completes_it(world, coordinator):
    plan, measure = sign_plan(world)
    agreement = record(world, three_party(world), signed_on=SIGNED)
    services.agreement_update(
        agreement=agreement,
        acting_user=coordinator,
        data=three_party(world, measures=[measure]),
        expected_version=agreement.version,
    )
    assert ExecutionRecord.objects.get(measure=measure, organisation=world.school).state == "done"


def test_signing_a_draft_twice_is_refused(world, coordinator):
    agreement = record(world, three_party(world), signed_on=SIGNED)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(agreement=agreement, acting_user=coordinator, signed_on=SIGNED)
    assert "подписать можно только черновик" in messages(error.value)


# --- Changing, ending ----------------------------------------------------------------------------


def test_a_change_seen_late_is_refused(world, coordinator):
    agreement = record(world, three_party(world))
    services.agreement_update(
        agreement=agreement, acting_user=coordinator, data=three_party(world, subject="Новый")
    )
    with pytest.raises(ValidationError) as error:
        services.agreement_update(
            agreement=agreement,
            acting_user=coordinator,
            data=three_party(world, subject="Другой"),
            expected_version=1,
        )
    assert "изменил другой пользователь" in messages(error.value)
    assert Agreement.objects.get().subject == "Новый"


def test_a_change_keeps_the_links_the_person_does_not_see(world):
    """Армавир's coordinator changes the centres' agreement; the home network plan it
    names (which Армавир's coordinator does not see) stays named."""
    from tests.roadmaps.factories import RoadmapFactory

    plan = RoadmapFactory(owner=world.centre)
    agreement = record(world, centres(world, roadmaps=[plan]), acting_user=SYSTEM, signed_on=SIGNED)
    neighbour = world.user("neighbour_coordinator")
    from partnerships.selectors import link_objects

    plans, _ = link_objects(neighbour, agreement, [], [])
    services.agreement_update(
        agreement=agreement,
        acting_user=neighbour,
        data=centres(world, subject="Изменено в Армавире", roadmaps=plans),
    )
    assert list(Agreement.objects.get().roadmaps.all()) == [plan]


def test_terminating_keeps_the_marks_and_records_the_day(world, coordinator):
    plan, measure = sign_plan(world)
    agreement = record(world, three_party(world, measures=[measure]), signed_on=SIGNED)
    services.agreement_terminate(
        agreement=agreement,
        acting_user=coordinator,
        terminated_on=datetime.date(2025, 12, 1),
        reason="Соглашение сторон",
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.TERMINATED
    assert agreement.events.last().day == datetime.date(2025, 12, 1)
    assert ExecutionRecord.objects.get(measure=measure, organisation=world.school).state == "done"


def test_only_a_draft_is_deleted(world, coordinator):
    signed = record(world, three_party(world), signed_on=SIGNED)
    with pytest.raises(ValidationError):
        services.agreement_delete(agreement=signed, acting_user=coordinator)
    draft = record(world, three_party(world, number="13"))
    services.agreement_delete(agreement=draft, acting_user=coordinator)
    assert list(Agreement.objects.all()) == [signed]


def test_agreements_past_their_validity_expire(world):
    ended = record(
        world,
        three_party(
            world, valid_from=datetime.date(2024, 9, 1), valid_to=datetime.date(2025, 8, 31)
        ),
        signed_on=datetime.date(2024, 9, 1),
    )
    running = record(world, centres(world), acting_user=SYSTEM, signed_on=SIGNED)
    assert services.agreements_expire(today=datetime.date(2025, 9, 1)) == 1
    assert services.agreements_expire(today=datetime.date(2025, 9, 1)) == 0
    ended.refresh_from_db()
    assert ended.status == AgreementStatus.EXPIRED
    assert ended.events.last().day == datetime.date(2025, 9, 1)
    running.refresh_from_db()
    assert running.status == AgreementStatus.SIGNED


def test_the_old_scan_leaves_the_storage_when_replaced(
    world, coordinator, django_capture_on_commit_callbacks
):
    agreement = record(
        world, three_party(world), signed_on=SIGNED, scan=ContentFile(PDF, name="a.pdf")
    )
    old = agreement.scan.name
    storage = agreement.scan.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_attach_scan(
            agreement=agreement, acting_user=coordinator, scan=ContentFile(PDF, name="b.pdf")
        )
    assert not storage.exists(old)
    agreement.refresh_from_db()
    assert agreement.scan_name == "b.pdf"
    assert storage.exists(agreement.scan.name)
