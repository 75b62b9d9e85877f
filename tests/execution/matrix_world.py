"""Execution targets of the access matrix, shared by every ``tests/*/matrix_rows*.py``
module that has rows for execution URLs.

Per target ("own", "neighbour", "other") a municipal network plan of the target's
authority, in execution, with two measures assigned to the target's school (the home
school, the school of Армавир, the school of the other region):

* ``record`` — the school's record of the first measure, not marked yet;
* ``waiting_record`` — the school's record of the second measure, marked done by the
  system and waiting for the curator (the plan's marks need acceptance), with a file of
  evidence (``evidence``).

The partner centre's head holds a guardian grant on the home plan (view and agree): it
sees the plan and its records, but marks and reviews nothing.
Everything is created in ``prepare_execution`` (the matrix builds its world once per
module), idempotently, so every row module may call it.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

AUTHORITIES = {"own": "authority", "neighbour": "neighbour_authority", "other": "other_authority"}
SCHOOLS = {"own": "school", "neighbour": "neighbour_school", "other": "other_school"}
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _build(world, which):
    from execution import services as execution
    from execution.models import ExecutionRecord
    from roadmaps import services
    from roadmaps.constants import AssignmentMode

    # Written by the superuser (a person: plans and marks record who wrote them).
    actor = world.user("superuser")
    plan = services.roadmap_create(
        acting_user=actor,
        owner=getattr(world, AUTHORITIES[which]),
        title=f"Сетевой план {which}",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )
    school = getattr(world, SCHOOLS[which])
    measures = []
    for title, deadline in (("Семинар", "декабрь 2027"), ("Открытые уроки", "март 2026")):
        measure = services.measure_create(
            roadmap=plan, acting_user=actor, title=title, deadline_text=deadline
        )
        services.measure_assign(
            measure=measure,
            acting_user=actor,
            mode=AssignmentMode.ORGANISATIONS,
            organisations=[school],
        )
        measures.append(measure)
    execution.start_execution(roadmap=plan, acting_user=actor)
    record = ExecutionRecord.objects.get(measure=measures[0], organisation=school)
    waiting = ExecutionRecord.objects.get(measure=measures[1], organisation=school)
    execution.mark(records=[waiting], acting_user=actor, state="done", note="Проведены")
    evidence = execution.evidence_add_file(
        record=waiting,
        acting_user=actor,
        uploaded_file=SimpleUploadedFile("протокол.pdf", PDF, "application/pdf"),
    )
    if which == "own":
        world.grant_partner(plan)
    return {"plan": plan, "record": record, "waiting": waiting, "evidence": evidence}


def prepare_execution(world) -> None:
    if hasattr(world, "_execution"):
        return
    world._execution = {which: _build(world, which) for which in AUTHORITIES}


def _target(kind):
    def target(world, which):
        return {"pk": world._execution[which][kind].pk}

    target.__name__ = f"execution_{kind}"
    return target


execution_plan = _target("plan")
record = _target("record")
waiting_record = _target("waiting")
evidence = _target("evidence")
