"""Play the lives of the demo's plans (``demo.scenario``: sent for agreement, agreed or
returned, approved, closed, corrected, published) through the workflow services, as the
demo people, each act at its moment (``as_of``); and the authority's model plan for
schools: imported from its Word document, handed to the schools, completed and sent by
their deputies.

Every act is one service call, in its own transaction, that writes one event into the
plan's timeline; so the timeline tells what was done: the n-th act of a kind is done when
the plan has n events of that kind. A later run — or a run after an interrupted one —
plays only the acts the timeline lacks, and edits (a title, an added measure, a changed
deadline) are found in the history of the plan and its measures. An act that the plan's
state no longer allows (a demo database seeded before plans had a workflow, or a plan
someone has taken further in the browser) is left out rather than forced.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable

from roadmaps import services as roadmap_services
from roadmaps import workflow
from roadmaps.constants import PlanEventKind, RoadmapStatus
from roadmaps.importing import parse_plan
from roadmaps.importing.service import roadmap_import
from roadmaps.models import Measure, PlanEvent, Roadmap
from schools.models import Organisation

from . import scenario
from .documents import plan_docx
from .timeshift import as_of

MINUTE = datetime.timedelta(minutes=1)

# The columns of the model plan's table, as the authority's document names them.
TEMPLATE_COLUMNS = ("№ п/п", "Мероприятие", "Сроки", "Ответственные", "Ожидаемый результат")

# Which event each act leaves in the timeline, and which step of ``roadmaps.workflow``
# it is (the states it may be taken from).
STEP_OF_EVENT = {
    PlanEventKind.SUBMITTED: "submit",
    PlanEventKind.AGREED: "agree",
    PlanEventKind.RETURNED: "return",
    PlanEventKind.APPROVED: "approve",
    PlanEventKind.PUBLISHED: "publish",
    PlanEventKind.CLOSED: "close",
    PlanEventKind.CORRECTION: "correct",
}


def event_of(act: scenario.Act) -> str:
    """The kind of the event the act writes into the plan's timeline."""
    if isinstance(act, scenario.Answer):
        return PlanEventKind.AGREED if act.agree else PlanEventKind.RETURNED
    return {
        scenario.Submit: PlanEventKind.SUBMITTED,
        scenario.Approve: PlanEventKind.APPROVED,
        scenario.Publish: PlanEventKind.PUBLISHED,
        scenario.Close: PlanEventKind.CLOSED,
        scenario.Correct: PlanEventKind.CORRECTION,
    }[type(act)]


def play_life(
    roadmap: Roadmap,
    life: Iterable[scenario.Act],
    people: dict,
    by_short: dict[str, Organisation],
    *,
    now: Callable[[scenario.Act], bool] = lambda act: True,
) -> Roadmap:
    """The acts of ``life`` the timeline does not show yet, of those ``now`` selects
    (the acts before a plan's start, or after it). Returns the plan as it is then."""
    life = list(life)
    done = Counter(PlanEvent.objects.filter(roadmap=roadmap).values_list("kind", flat=True))
    seen: Counter = Counter()
    for act in life:
        kind = event_of(act)
        seen[kind] += 1
        if seen[kind] <= done[kind] or not now(act):
            continue
        roadmap.refresh_from_db()
        if roadmap.status not in workflow.STEPS[STEP_OF_EVENT[kind]].sources:
            continue
        with as_of(act.at):
            _act(roadmap, act, people[act.who], by_short)
    for act in life:
        if isinstance(act, scenario.Correct) and now(act):
            _edit_correction(roadmap, act, people[act.who])
    roadmap.refresh_from_db()
    return roadmap


def _act(roadmap: Roadmap, act: scenario.Act, user, by_short) -> None:
    if isinstance(act, scenario.Submit):
        roadmap_services.roadmap_submit(
            roadmap=roadmap,
            acting_user=user,
            organisations=[by_short[short] for short in act.to],
            comment=act.comment,
        )
    elif isinstance(act, scenario.Answer):
        roadmap_services.concurrence_answer(
            roadmap=roadmap,
            acting_user=user,
            agree=act.agree,
            comment=act.comment,
            organisation=by_short[act.organisation],
        )
    elif isinstance(act, scenario.Approve):
        roadmap_services.roadmap_approve(
            roadmap=roadmap,
            acting_user=user,
            approval_date=act.at.date(),
            order_number=act.order_number,
        )
    elif isinstance(act, scenario.Publish):
        roadmap_services.roadmap_publish(roadmap=roadmap, acting_user=user)
    elif isinstance(act, scenario.Close):
        roadmap_services.roadmap_close(roadmap=roadmap, acting_user=user, comment=act.comment)
    else:
        roadmap_services.roadmap_correct(roadmap=roadmap, acting_user=user, comment=act.comment)


def _edit_correction(roadmap: Roadmap, act: scenario.Correct, user) -> None:
    """The new revision's edits, a few minutes after it was made, while it is a draft."""
    revision = Roadmap.objects.filter(previous_revision=roadmap).first()
    if revision is None or revision.status != RoadmapStatus.DRAFT:
        return
    moment = _add_measures(revision, act.added, user, act.at)
    for number, text in act.deadlines:
        moment += 3 * MINUTE
        measure = revision.measures.filter(number=number).order_by("pk").first()
        if measure is None or Measure.history.filter(id=measure.pk, deadline_text=text).exists():
            continue
        with as_of(moment):
            roadmap_services.measure_update(
                measure=measure,
                acting_user=user,
                data={"deadline_text": text},
                expected_version=None,
            )


def _add_measures(
    roadmap: Roadmap,
    added: Iterable[tuple[str, scenario.MeasureSpec]],
    user,
    moment: datetime.datetime,
) -> datetime.datetime:
    """Measures typed into a plan, three minutes apart, unless the plan ever had a measure
    of that number (someone may have deleted it since: it is not typed in again). Returns
    the moment of the last."""
    sections = {section.number: section for section in roadmap.sections.all()}
    for section_number, spec in added:
        moment += 3 * MINUTE
        if Measure.history.filter(roadmap_id=roadmap.pk, number=spec.number).exists():
            continue
        with as_of(moment):
            roadmap_services.measure_create(
                roadmap=roadmap,
                acting_user=user,
                section=sections.get(section_number),
                number=spec.number,
                title=spec.title,
                deadline_text=spec.deadline,
                audience=spec.audience,
                responsible_text=spec.responsible,
                result=spec.result,
            )
    return moment


# --- The model plan for schools ------------------------------------------------------------


def template_document(script: scenario.TemplateScript) -> bytes:
    """The authority's Word document of the model plan."""
    rows = []
    for section in script.sections:
        rows.append((section.number, section.title, "", "", ""))
        rows.extend(
            (m.number, m.title, m.deadline, m.responsible, m.result) for m in section.measures
        )
    return plan_docx(
        stamps=script.stamps, title=script.title_lines, columns=TEMPLATE_COLUMNS, rows=rows
    )


def seed_school_plans(
    script: scenario.TemplateScript, by_short: dict[str, Organisation], people: dict
) -> list[Roadmap]:
    """The model plan imported by the authority's coordinator, marked a template and handed
    to the schools (minutes apart); each school's copy completed by its deputy and sent on
    as the script says. Returns the copies of the script."""
    owner = by_short[script.owner]
    author = people[script.author]
    template = (
        Roadmap.objects.filter(owner=owner, title__startswith=script.title_start)
        .order_by("pk")
        .first()
    )
    if template is None:
        data = template_document(script)
        with as_of(script.imported_at):
            template = roadmap_import(
                plan=parse_plan(data, script.file_name),
                owner=owner,
                acting_user=author,
                file_name=script.file_name,
                data=data,
            )
    handed = set(template.copies.values_list("owner__short_name", flat=True))
    if not template.is_template and not handed and template.status == RoadmapStatus.DRAFT:
        with as_of(script.imported_at + 5 * MINUTE):
            template = roadmap_services.roadmap_mark_template(
                roadmap=template, acting_user=author, is_template=True
            )
    missing = [by_short[short] for short in script.schools if short not in handed]
    if missing and template.is_template:
        with as_of(script.imported_at + 10 * MINUTE):
            roadmap_services.template_distribute(
                template=template, acting_user=author, schools=missing
            )
    copies = []
    for copy_script in script.copies:
        copy = template.copies.filter(owner=by_short[copy_script.school]).order_by("pk").first()
        if copy is None:
            continue
        if copy.status == RoadmapStatus.DRAFT:
            _complete(copy, copy_script, people[copy_script.author])
        copies.append(play_life(copy, copy_script.life, people, by_short))
    return copies


def _complete(copy: Roadmap, script: scenario.SchoolCopyScript, user) -> None:
    """The deputy names the school's copy and adds the school's own measures."""
    if not Roadmap.history.filter(id=copy.pk, title=script.title).exists():
        copy.refresh_from_db()
        with as_of(script.edited_at):
            roadmap_services.roadmap_update(
                roadmap=copy,
                acting_user=user,
                data={"title": script.title},
                expected_version=copy.version,
            )
    _add_measures(copy, script.added, user, script.edited_at)
