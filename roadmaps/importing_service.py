"""Writing a parsed plan into the database: one transaction, history with the importer,
schedules derived from the deadline texts, and a record of the file."""

from __future__ import annotations

import hashlib
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from schools.access import FORBIDDEN_MESSAGE
from schools.constants import OrganisationKind

from . import schedules
from .constants import RoadmapLevel
from .importing.model import ParsedMeasure, ParsedPlan, ParsedSection
from .models import Measure, MeasureWindow, Roadmap, RoadmapAgreement, RoadmapImport, Section

COLUMN_FIELDS = {
    "number": "number",
    "title": "title",
    "deadline_text": "deadline_text",
    "audience": "audience",
    "responsible": "responsible_text",
    "result": "result",
    "status_text": "status_text",
}
LEVEL_BY_KIND = {
    OrganisationKind.SCHOOL: RoadmapLevel.SCHOOL,
    OrganisationKind.METHOD_CENTRE: RoadmapLevel.CENTRE,
}


def with_schedules(plan: ParsedPlan) -> ParsedPlan:
    """Fill each measure's schedule from its deadline text and the plan's period; a text
    that could not be placed in time is a warning beside its row."""
    from .importing.model import Warning

    if plan.period is None:
        return plan
    for measure in plan.all_measures():
        derived = schedules.derive(measure.deadline_text, *plan.period)
        measure.schedule = derived.to_json()
        if derived.kind == "unscheduled" and measure.deadline_text.strip():
            plan.warnings.append(
                Warning(
                    measure.row,
                    f"Срок «{measure.deadline_text}» не переведён в даты ({derived.reason.lower()}).",
                )
            )
    return plan


ORGANISATION_NAME = re.compile(r"\b[А-ЯЁ]{2,}(?:\s[А-ЯЁ]{2,})*\s?«[^»]{2,60}»")


def with_organisation_warnings(plan: ParsedPlan, known_short_names: set[str]) -> ParsedPlan:
    """Organisation names in «Ответственные» (like «МКУ «ЦМТО»») that the directory does
    not know: the measure keeps the text, the person sees a warning."""
    from .importing.model import Warning

    known = {name.lower() for name in known_short_names}
    for measure in plan.all_measures():
        for name in dict.fromkeys(ORGANISATION_NAME.findall(measure.responsible)):
            if name.lower() not in known:
                plan.warnings.append(
                    Warning(measure.row, f"Организация «{name}» не найдена в справочнике.")
                )
    return plan


@transaction.atomic
def roadmap_import(
    *, plan: ParsedPlan, owner, acting_user=None, file_name: str, data: bytes
) -> Roadmap:
    """Create the plan with its sections, measures and agreements. With an acting user,
    the owner must be within that user's reach for importing plans."""
    if acting_user is not None:
        from schools.models import Organisation

        if (
            not Organisation.objects.for_user(acting_user, "roadmaps.import_roadmap")
            .filter(pk=owner.pk)
            .exists()
        ):
            raise PermissionDenied(FORBIDDEN_MESSAGE)
    if plan.period is None:
        raise ValidationError("В документе не найден период плана: укажите его перед импортом.")
    approval = plan.approval
    roadmap = Roadmap(
        owner=owner,
        level=LEVEL_BY_KIND.get(owner.kind, RoadmapLevel.MUNICIPAL),
        title=plan.title or "План мероприятий",
        subtitle=plan.subtitle,
        period_start=plan.period[0],
        period_end=plan.period[1],
        period_text=plan.period_text,
        approval_word=approval.word or "УТВЕРЖДАЮ",
        approval_position=approval.position,
        approval_organisation=approval.organisation,
        approval_name=approval.name,
        approval_date=approval.date,
        approval_date_text=approval.date_text,
        approval_order=approval.order,
        columns=[COLUMN_FIELDS[c] for c in plan.columns if c in COLUMN_FIELDS],
        created_by=acting_user,
    )
    roadmap.full_clean()
    roadmap._history_user = acting_user
    roadmap.save()

    measures: list[Measure] = []
    derived: list[schedules.Derived] = []

    def add_children(children, parent: Section | None) -> None:
        for order, child in enumerate(children, 1):
            if isinstance(child, ParsedSection):
                section = Section(
                    roadmap=roadmap,
                    parent=parent,
                    number=child.number,
                    title=child.title,
                    is_group=child.is_group,
                    order=order,
                )
                section._history_user = acting_user
                section.save()
                add_children(child.children, section)
            else:
                measures.append(_measure(roadmap, parent, child, order))
                derived.append(
                    schedules.derive(child.deadline_text, roadmap.period_start, roadmap.period_end)
                )

    add_children(plan.children, None)
    for measure, schedule in zip(measures, derived, strict=True):
        measure.schedule_kind = schedule.kind
    created = bulk_create_with_history(
        measures, Measure, default_user=acting_user, default_change_reason="Импорт"
    )
    MeasureWindow.objects.bulk_create(
        MeasureWindow(measure=measure, starts_on=start, due_on=end)
        for measure, schedule in zip(created, derived, strict=True)
        for start, end in schedule.windows
    )
    _link_responsible(roadmap, created)
    RoadmapAgreement.objects.bulk_create(
        RoadmapAgreement(
            roadmap=roadmap,
            organisation_text=a.organisation,
            position=a.position,
            name=a.name,
            date_text=a.date_text,
            order=index,
        )
        for index, a in enumerate(plan.agreements, 1)
    )
    RoadmapImport.objects.create(
        roadmap=roadmap,
        imported_by=acting_user,
        file_name=file_name[:300],
        file_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=[{"row": w.row, "message": w.message} for w in plan.warnings],
    )
    return roadmap


def _link_responsible(roadmap: Roadmap, measures: list[Measure]) -> None:
    """Link the organisations named in «Ответственные» (by short name), as editing does."""
    from django.db.models import Q

    from schools.models import Organisation

    owner = roadmap.owner
    scope = Q(municipality__isnull=True)
    if owner.municipality_id:
        scope |= Q(municipality_id=owner.municipality_id)
    candidates = [
        (org.pk, org.short_name.lower())
        for org in Organisation.objects.filter(
            scope, region_id=owner.region_id, is_active=True
        ).only("pk", "short_name")
        if org.short_name
    ]
    through = Measure.responsible_organisations.through
    links = [
        through(measure_id=measure.pk, organisation_id=org_id)
        for measure in measures
        for org_id, name in candidates
        if name in (measure.responsible_text or "").lower()
    ]
    through.objects.bulk_create(links)


def _measure(
    roadmap: Roadmap, section: Section | None, parsed: ParsedMeasure, order: int
) -> Measure:
    return Measure(
        roadmap=roadmap,
        section=section,
        number=parsed.number[:50],
        title=parsed.title or "(без текста)",
        deadline_text=parsed.deadline_text,
        audience=parsed.audience,
        responsible_text=parsed.responsible,
        result=parsed.result,
        status_text=parsed.status_text,
        order=order,
    )
