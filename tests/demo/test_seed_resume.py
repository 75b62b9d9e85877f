"""An interrupted ``seed_demo`` is finished by the next run: the execution and workflow
demo is played one service call at a time, outside one transaction, and every step checks
whether it was done."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from core.timezones import zone
from demo import execution as replay
from demo import scenario
from demo import workflow as lives
from execution.models import Evidence, ExecutionRecord
from execution.services import AGREEMENT_REASON
from roadmaps.constants import PlanEventKind, RoadmapStatus
from roadmaps.models import Measure, PlanEvent, Roadmap
from schools.models import Organisation


class Interrupted(Exception):
    pass


def failing_after(monkeypatch, module, name: str, calls: int) -> None:
    """Make ``module.name`` fail on its ``calls``-th call, once."""
    real = getattr(module, name)
    count = 0

    def wrapper(*args, **kwargs):
        nonlocal count
        count += 1
        if count == calls:
            raise Interrupted
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def test_an_interrupted_seed_is_finished_by_the_next_run(db, monkeypatch):
    with monkeypatch.context() as patch:
        # The closed plan is written first: stop in the middle of its measures.
        failing_after(patch, replay.roadmap_services, "measure_create", 4)
        with pytest.raises(Interrupted):
            seed()
    assert Measure.objects.filter(roadmap__title__startswith=scenario.CLOSED_TITLE).count() == 3
    with monkeypatch.context() as patch:
        # Then stop in the middle of the marks, reviews and evidence.
        failing_after(patch, replay, "_apply", 70)
        with pytest.raises(Interrupted):
            seed()
    with monkeypatch.context() as patch:
        # Then in the middle of the agreements: the plans' lives go on from their timelines.
        failing_after(patch, lives.roadmap_services, "concurrence_answer", 3)
        with pytest.raises(Interrupted):
            seed()
    seed()

    owner = Organisation.objects.get(short_name=scenario.OWNER)
    day = replay.reference_day(owner)
    plans = scenario.plans(day, zone(owner.region))
    template = scenario.school_template(day, zone(owner.region))
    lived = [act for plan in plans for act in plan.life] + [
        act for copy in template.copies for act in copy.life
    ]
    expected = Counter(lives.event_of(act) for act in lived)
    expected[PlanEventKind.CORRECTION] += 1  # the new revision's own
    assert Counter(PlanEvent.objects.values_list("kind", flat=True)) == expected
    decided = attached = 0
    for plan in plans:
        for script in plan.records:
            for step in script.steps:
                if isinstance(step, scenario.Attach):
                    attached += 1
                else:
                    decided += 1
    # Besides the scripted marks, the signed partnership agreements complete their
    # schools' «sign the agreements» records, each with a link to the agreement.
    by_agreement = ExecutionRecord.history.filter(history_change_reason=AGREEMENT_REASON)
    assert (
        ExecutionRecord.history.filter(history_type="~", history_user__isnull=False)
        .exclude(history_change_reason=AGREEMENT_REASON)
        .count()
        == decided
    )
    assert (
        Evidence.objects.exclude(
            record__in=by_agreement.values("id"), url__contains="/partnerships/"
        ).count()
        == attached
    )
    for plan in plans:
        roadmap = Roadmap.objects.get(title__startswith=plan.title_start, revision=1)
        assert roadmap.measures.count() == sum(len(s.measures) for s in plan.sections)
    closed = Roadmap.objects.get(title__startswith=scenario.CLOSED_TITLE)
    assert closed.status == RoadmapStatus.CLOSED
