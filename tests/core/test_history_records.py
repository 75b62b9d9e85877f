"""``core.history_records.HistoricalRecords``: every historical record carries the rows of
each tracked many-to-many field as they were, read for all fields in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import previous_records, with_m2m
from core.history_records import HistoricalRecords
from roadmaps.models import Measure
from tests.roadmaps.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def snapshot(record, name: str) -> set[tuple[int, int, int]]:
    """The m2m rows a historical record carries for one field: (row id, measure, other)."""
    field = Measure._meta.get_field(name)
    rows = HistoricalRecords.m2m_models[field].objects.filter(history=record)
    return {(row.id, row.measure_id, row.organisation_id) for row in rows}


def current(measure, name: str) -> set[tuple[int, int, int]]:
    through = Measure._meta.get_field(name).remote_field.through
    rows = through.objects.filter(measure=measure)
    return {(row.id, row.measure_id, row.organisation_id) for row in rows}


def test_each_record_carries_both_fields_as_they_were(world):
    measure = MeasureFactory()
    measure.responsible_organisations.set([world.authority, world.centre])
    measure.assigned_organisations.set([world.school])
    before = {
        name: current(measure, name)
        for name in ("responsible_organisations", "assigned_organisations")
    }
    measure.title = "Новое название"
    with CaptureQueriesContext(connection) as captured:
        measure.save()
    record = measure.history.first()
    for name, rows in before.items():
        assert snapshot(record, name) == rows
        assert len(rows) > 0
    # The update, the record, one read of both fields, the rows of each non-empty field.
    reads = [q["sql"] for q in captured.captured_queries if "UNION ALL" in q["sql"]]
    assert len(reads) == 1
    assert len(captured.captured_queries) == 5

    measure.assigned_organisations.clear()
    record = measure.history.first()
    assert snapshot(record, "assigned_organisations") == set()
    assert snapshot(record, "responsible_organisations") == before["responsible_organisations"]


def test_the_history_pages_read_the_snapshots(world):
    measure = MeasureFactory()
    measure.responsible_organisations.set([world.authority])
    measure.responsible_organisations.set([world.authority, world.centre])
    records = list(with_m2m(Measure, Measure.history.filter(id=measure.pk)))
    assert {r.organisation_id for r in records[0].responsible_organisations.all()} == {
        world.authority.pk,
        world.centre.pk,
    }
    assert previous_records(Measure, records[:1])
