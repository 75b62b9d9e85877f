"""``manage.py bench reminders``: the job's figures at each size, nothing left behind, and
nobody else's digest touched."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from execution.bench import Size
from notifications import bench
from notifications.bench import bench_reminders
from notifications.models import Digest, Notification
from schools.models import Region, User

TINY = {
    "small": Size(municipalities=2, schools=5, plans=1, group=4, measures=20, curated=2),
    "large": Size(municipalities=4, schools=10, plans=2, group=8, measures=20, curated=3),
}


def _nothing_left() -> None:
    assert not Region.objects.filter(name__startswith="Бенчмарк исполнения").exists()
    assert not User.objects.filter(username__startswith="bench-").exists()
    assert not Digest.objects.filter(person__username__startswith="bench-").exists()


@pytest.mark.django_db(transaction=True)
def test_the_job_s_figures_at_each_size(world, reminders):
    result = bench_reminders(sizes=TINY)
    assert result["vendor"] == "postgresql"
    small, large = result["small"], result["large"]
    assert large["data"]["records"] > small["data"]["records"] > 0
    assert large["data"]["people"] > small["data"]["people"]
    for figures in (small, large):
        job = figures["job"]
        assert job["persons"] == figures["data"]["people"]
        assert job["digests_to_send"] > 0
        assert figures["sending"]["digests_sent"] == job["digests_to_send"]
        assert figures["second_run"]["digests_sent"] == 0
        assert figures["second_run"]["skipped_already_sent"] >= job["digests_to_send"]
    # One batch each: the same statements however many records.
    assert small["job"]["batches"] == large["job"]["batches"] == 1
    assert small["job"]["queries"] == large["job"]["queries"]
    _nothing_left()
    # The cast of the test database was not sent anything.
    assert not Digest.objects.exists()
    assert not Notification.objects.exists()


def test_bench_command_prints_one_json_object(monkeypatch, db):
    monkeypatch.setattr(bench, "SIZES", {"small": TINY["small"]})
    out = StringIO()
    call_command("bench", "reminders", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) == {"vendor", "budget_s", "batch", "small"}
    assert result["small"]["job"]["within_budget"] is True
