"""``manage.py bench execution``: every page at each size, and nothing left behind."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command

from execution import bench
from execution.bench import PAGES, Size, bench_execution
from execution.models import Evidence, ExecutionRecord
from roadmaps.models import Measure, Roadmap
from schools.models import Organisation, Region, User

pytestmark = pytest.mark.django_db

TINY = {
    "small": Size(municipalities=2, schools=4, plans=1, group=3, measures=10, curated=2),
    "large": Size(municipalities=3, schools=6, plans=2, group=4, measures=10, curated=3),
}


def _nothing_left() -> None:
    assert not Region.objects.filter(name__startswith="Бенчмарк исполнения").exists()
    assert not Organisation.objects.filter(full_name__endswith="(бенчмарк)").exists()
    assert not User.objects.filter(username__startswith="bench-").exists()
    assert not User.history.filter(username__startswith="bench-").exists()
    assert not Roadmap.objects.exists()
    assert not Measure.objects.exists()
    assert not ExecutionRecord.objects.exists()
    assert not Evidence.objects.exists()
    assert not ExecutionRecord.history.exists()


def test_bench_reports_every_page_at_each_size_and_leaves_no_rows():
    sessions = Session.objects.count()
    result = bench_execution(sizes=TINY, repeat=1)
    assert set(result) == {*PAGES, "data"}
    for page in PAGES:
        small, large = result[page]["small"], result[page]["large"]
        assert small["ms"] > 0
        assert small["queries"] == large["queries"] > 0, page
    data = result["data"]
    assert data["vendor"] == "postgresql"
    assert data["small"]["schools"] == 8
    assert data["large"]["plans"] == 6
    assert data["large"]["records"] > data["small"]["records"] > 0
    assert data["large"]["evidence"] > 0
    _nothing_left()
    assert Session.objects.count() == sessions


@pytest.mark.django_db(transaction=True)
def test_bench_commits_its_data_and_deletes_it_after_a_failure(monkeypatch):
    """Outside a test's transaction (as ``manage.py bench`` runs) the data is committed,
    so that it can be analysed; it is deleted all the same when a page fails."""

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(bench, "_time", broken)
    with pytest.raises(RuntimeError, match="boom"):
        bench_execution(sizes={"small": TINY["small"]}, repeat=1)
    _nothing_left()


def test_bench_command_prints_one_json_object(monkeypatch):
    monkeypatch.setattr(bench, "SIZES", {"small": TINY["small"]})
    out = StringIO()
    call_command("bench", "execution", "--repeat", "1", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result["my_measures"]) == {"small"}
    assert result["data"]["small"]["plans"] == 2
