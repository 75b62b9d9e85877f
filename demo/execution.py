"""Play the script of ``demo.scenario`` through the services, as the demo users.

Each step runs as of its moment in the past (``as_of``): the services read the time from
``django.utils.timezone.now`` — the mark's time, «today» for the date check, the history
row, the evidence's upload time, the plan's timeline — so the plan, its agreement and
approval, its records, the marks, the reviews and the history all agree on when things
happened, as if people had done them over the last months.

The services own durable transactions, so they run one after another outside the seed's
transaction, and every step first checks whether it was done: a plan is found by its
owner and the stable start of its title, sections and measures by number, the acts of its
life by its timeline (``demo.workflow``), a record's marks and reviews are counted in its
history, evidence is found by name or link. A second run — or a run after an interrupted
one — does only what is missing. The script is computed from the day the demo was first
seeded (``reference_day``), so a run months later finds exactly the steps it played then
and adds nothing; the demo simply ages.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.files.base import ContentFile
from django.db.models import Count, F
from django.utils import timezone

from core.timezones import today_in, zone
from execution import services as execution_services
from execution.evidence import check_link, clean_display_name
from execution.models import Evidence, ExecutionRecord
from roadmaps import services as roadmap_services
from roadmaps.constants import AssignmentMode, RoadmapStatus
from roadmaps.models import Roadmap
from schools.models import Organisation, User

from . import scenario
from .documents import docx_document, pdf_document
from .timeshift import as_of
from .workflow import play_life, seed_school_plans


def reference_day(owner: Organisation) -> datetime.date:
    """The day the script counts from: the day the demo was first seeded (the current plan
    was created a fixed number of days before it), or today in the owner's region."""
    plan = (
        Roadmap.objects.filter(owner=owner, title__startswith=scenario.CURRENT_TITLE)
        .order_by("pk")
        .first()
    )
    if plan is None:
        return today_in(owner.region)
    created = timezone.localtime(plan.created_at, zone(owner.region)).date()
    return created + datetime.timedelta(days=scenario.CURRENT_CREATED_DAYS_AGO)


def seed_execution(by_short: dict[str, Organisation]) -> list[Roadmap]:
    """The demo's plans of Новокубанский район beyond the samples: built, agreed,
    approved, executed, marked, reviewed, closed, corrected and published as the script
    says; then the model plan for schools and the schools' copies. Returns them."""
    owner = by_short[scenario.OWNER]
    day, region_zone = reference_day(owner), zone(owner.region)
    plans = scenario.plans(day, region_zone)
    template = scenario.school_template(day, region_zone)
    names = (
        {plan.author for plan in plans}
        | {step.who for plan in plans for script in plan.records for step in script.steps}
        | {act.who for plan in plans for act in plan.life}
        | {template.author}
        | {copy.author for copy in template.copies}
        | {act.who for copy in template.copies for act in copy.life}
    )
    people = {user.username: user for user in User.objects.filter(username__in=names)}
    played = [_play(plan, by_short, people) for plan in plans]
    return played + seed_school_plans(template, by_short, people)


def _play(plan: scenario.PlanScript, by_short, people) -> Roadmap:
    owner = by_short[plan.owner]
    author = people[plan.author]
    roadmap = (
        Roadmap.objects.filter(owner=owner, title__startswith=plan.title_start)
        .order_by("pk")
        .first()
    )
    if roadmap is None:
        with as_of(plan.created_at):
            roadmap = roadmap_services.roadmap_create(
                acting_user=author,
                owner=owner,
                title=plan.title,
                period_start=plan.period[0],
                period_end=plan.period[1],
                **plan.header,
            )
    if roadmap.status == RoadmapStatus.DRAFT:
        _write(roadmap, plan, author, by_short)
    started = plan.started_at
    # Agreement and approval come before the start; closing, a correction, publication
    # after it (and after the marks).
    roadmap = play_life(
        roadmap, plan.life, people, by_short, now=lambda act: not started or act.at < started
    )
    if started and roadmap.status == RoadmapStatus.APPROVED:
        with as_of(started):
            execution_services.start_execution(roadmap=roadmap, acting_user=author)
        roadmap.refresh_from_db()
    if roadmap.status == RoadmapStatus.EXECUTION:
        _play_records(roadmap, plan, people)
    if started:
        roadmap = play_life(roadmap, plan.life, people, by_short, now=lambda act: act.at >= started)
    return roadmap


def _write(roadmap: Roadmap, plan: scenario.PlanScript, author, by_short) -> None:
    """Sections and measures the plan lacks (by number), and their assignments, each a
    minute after the previous, as the author typed them in."""
    sections = {s.number: s for s in roadmap.sections.all()}
    measures = {m.number: m for m in roadmap.measures.all()}
    moment = plan.created_at
    for section_spec in plan.sections:
        moment += datetime.timedelta(minutes=1)
        section = sections.get(section_spec.number)
        if section is None:
            with as_of(moment):
                section = roadmap_services.section_create(
                    roadmap=roadmap,
                    acting_user=author,
                    number=section_spec.number,
                    title=section_spec.title,
                )
        for spec in section_spec.measures:
            moment += datetime.timedelta(minutes=1)
            measure = measures.get(spec.number)
            if measure is None:
                with as_of(moment):
                    measure = roadmap_services.measure_create(
                        roadmap=roadmap,
                        acting_user=author,
                        section=section,
                        number=spec.number,
                        title=spec.title,
                        deadline_text=spec.deadline,
                        audience=spec.audience,
                        responsible_text=spec.responsible,
                        result=spec.result,
                    )
            chosen = [by_short[short] for short in spec.assigned]
            if spec.mode != AssignmentMode.NONE and (
                measure.assignment_mode != spec.mode
                or {o.pk for o in chosen}
                != set(measure.assigned_organisations.values_list("pk", flat=True))
            ):
                with as_of(moment + datetime.timedelta(seconds=30)):
                    roadmap_services.measure_assign(
                        measure=measure, acting_user=author, mode=spec.mode, organisations=chosen
                    )


def _play_records(roadmap: Roadmap, plan: scenario.PlanScript, people) -> None:
    """The steps of the script that the records do not show yet, in the order of time."""
    records = (
        ExecutionRecord.objects.filter(measure__roadmap=roadmap)
        .select_related("measure", "organisation")
        .order_by(
            "measure_id",
            "organisation_id",
            F("due_on").asc(nulls_first=True),
            "starts_on",
            "pk",
        )
    )
    slots: dict[tuple[str, str], list[ExecutionRecord]] = defaultdict(list)
    for record in records:
        slots[(record.measure.number, record.organisation.short_name)].append(record)
    ids = [record.pk for group in slots.values() for record in group]
    # Marks and reviews are changes of the record by a person; creation and re-dating are
    # the system's (or the starter's, as a creation).
    decided = dict(
        ExecutionRecord.history.filter(id__in=ids, history_type="~", history_user__isnull=False)
        .values("id")
        .annotate(n=Count("history_id"))
        .values_list("id", "n")
    )
    attached = {
        (record_id, name or url)
        for record_id, name, url in Evidence.objects.filter(record_id__in=ids).values_list(
            "record_id", "original_name", "url"
        )
    }
    todo: list[tuple[datetime.datetime, int, ExecutionRecord, scenario.Step]] = []
    for script in plan.records:
        record = slots[(script.measure, script.organisation)][script.slot]
        done = decided.get(record.pk, 0)
        for step in script.steps:
            if isinstance(step, scenario.Attach):
                # As the evidence services store them: a cleaned name, a normalised link.
                stored = clean_display_name(step.name) if step.name else check_link(step.url)
                if (record.pk, stored) in attached:
                    continue
            elif done:
                done -= 1
                continue
            todo.append((step.at, len(todo), record, step))
    for moment, _, record, step in sorted(todo, key=lambda item: item[:2]):
        with as_of(moment):
            _apply(record, step, people[step.who])


def _apply(record: ExecutionRecord, step: scenario.Step, user) -> None:
    if isinstance(step, scenario.Mark):
        execution_services.mark(
            records=[record.pk],
            acting_user=user,
            state=step.state,
            done_on=step.done_on,
            note=step.note,
        )
    elif isinstance(step, scenario.Review):
        execution_services.review(
            records=[record.pk], acting_user=user, accept=step.accept, comment=step.comment
        )
    elif step.url:
        execution_services.evidence_add_link(record=record.pk, acting_user=user, url=step.url)
    else:
        make = pdf_document if step.name.endswith(".pdf") else docx_document
        data = make(heading=step.heading, paragraphs=step.paragraphs, signature=step.signature)
        execution_services.evidence_add_file(
            record=record.pk, acting_user=user, uploaded_file=ContentFile(data, name=step.name)
        )
