"""The execution records, their evidence and what the database guarantees about them."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from execution.models import Evidence, ExecutionRecord, MarkState
from roadmaps import services
from roadmaps.models import MeasureWindow, Roadmap
from roadmaps.windows import recorded_window_ids

D = datetime.date


@pytest.fixture
def measure(world):
    coordinator = world.user("municipal_coordinator")
    plan = services.roadmap_create(
        acting_user=coordinator,
        owner=world.authority,
        title="План",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
    )
    return services.measure_create(
        roadmap=plan, acting_user=coordinator, title="Семинар", deadline_text="март, сентябрь 2020"
    )


def windows(measure):
    return list(MeasureWindow.objects.filter(measure=measure).order_by("position"))


def test_a_plan_reports_quarterly_and_needs_acceptance_by_default(world):
    plan = Roadmap.objects.create(
        owner=world.authority, title="План", period_start=D(2020, 1, 1), period_end=D(2020, 12, 31)
    )
    assert (plan.reporting_months, plan.marks_need_acceptance) == (3, True)


def test_one_record_per_window_and_organisation(world, measure):
    march, _ = windows(measure)
    ExecutionRecord.objects.create(
        measure=measure, window=march, organisation=world.school, due_on=march.due_on
    )
    ExecutionRecord.objects.create(
        measure=measure, window=march, organisation=world.second_school, due_on=march.due_on
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ExecutionRecord.objects.create(measure=measure, window=march, organisation=world.school)


def test_one_record_per_period_and_one_undated_per_organisation(world, measure):
    ExecutionRecord.objects.create(
        measure=measure, organisation=world.school, starts_on=D(2020, 1, 1), due_on=D(2020, 3, 31)
    )
    ExecutionRecord.objects.create(
        measure=measure, organisation=world.school, starts_on=D(2020, 4, 1), due_on=D(2020, 6, 30)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ExecutionRecord.objects.create(
            measure=measure,
            organisation=world.school,
            starts_on=D(2020, 1, 1),
            due_on=D(2020, 2, 1),
        )
    ExecutionRecord.objects.create(measure=measure, organisation=world.school)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExecutionRecord.objects.create(measure=measure, organisation=world.school)


def test_a_record_cannot_end_before_it_starts(world, measure):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExecutionRecord.objects.create(
            measure=measure,
            organisation=world.school,
            starts_on=D(2020, 5, 1),
            due_on=D(2020, 4, 1),
        )


def test_an_organisation_that_owes_a_record_is_not_deleted(world, measure):
    from django.db.models import ProtectedError

    ExecutionRecord.objects.create(measure=measure, organisation=world.second_school)
    with pytest.raises(ProtectedError):
        world.second_school.delete()


def test_only_marked_records_hold_a_window(world, measure):
    march, september = windows(measure)
    ExecutionRecord.objects.create(measure=measure, window=march, organisation=world.school)
    marked = ExecutionRecord.objects.create(
        measure=measure, window=september, organisation=world.school
    )
    assert recorded_window_ids([march.pk, september.pk]) == set()
    ExecutionRecord.objects.filter(pk=marked.pk).update(
        state=MarkState.DONE, marked_at=datetime.datetime(2020, 9, 20, tzinfo=datetime.UTC)
    )
    assert recorded_window_ids([march.pk, september.pk]) == {september.pk}


def test_evidence_is_a_file_in_the_private_storage_or_a_link(world, measure):
    record = ExecutionRecord.objects.create(measure=measure, organisation=world.school)
    evidence = Evidence(
        record=record,
        kind="file",
        original_name="Протокол.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    evidence.file.save("protocol.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    assert evidence.file.storage is storages["private"]
    assert evidence.file.name.startswith("evidence/")
    assert storages["private"].exists(evidence.file.name)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(record=record, kind="link", url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(record=record, kind="file", url="https://example.org")
    link = Evidence.objects.create(record=record, kind="link", url="https://school3.ru/news")
    assert str(link) == "https://school3.ru/news"
    assert str(evidence) == "Протокол.pdf"


def test_the_record_names_its_measure_organisation_and_due_date(world, measure):
    march, _ = windows(measure)
    record = ExecutionRecord.objects.create(
        measure=measure,
        window=march,
        organisation=world.school,
        starts_on=march.starts_on,
        due_on=march.due_on,
    )
    assert str(record) == f"{measure} — {world.school} до 31.03.2020"
    assert not record.is_marked


def test_the_custom_verbs_are_declared():
    codenames = {codename for codename, _ in ExecutionRecord._meta.permissions}
    assert codenames == {"mark_executionrecord", "review_executionrecord"}
