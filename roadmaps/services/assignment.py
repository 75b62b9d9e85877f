"""To whom a measure applies, and the plan's group of schools."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from schools.access import recheck

from ..constants import AssignmentMode
from ..models import Measure, Roadmap
from ..signals import schedule_changed
from .base import _require, _require_editable, _visible_organisations


@transaction.atomic(durable=True)
def measure_assign(*, measure: Measure, acting_user, mode: str, organisations=()) -> Measure:
    """Say to whom a measure applies. Chosen organisations must be within the acting
    user's reach; "all ШНОР" and "the plan's group" are resolved when read."""

    from ..constants import AssignmentMode

    roadmap = measure.roadmap
    _require(roadmap, acting_user)
    _require_editable(roadmap)
    if mode not in AssignmentMode.values:
        raise ValidationError("Неизвестный способ назначения.")
    organisations = list(organisations)
    if mode == AssignmentMode.ORGANISATIONS:
        if not organisations:
            raise ValidationError("Выберите хотя бы одну организацию.")
        organisations = _visible_organisations(acting_user, organisations)
    else:
        organisations = []
    measure.assignment_mode = mode
    measure.version = F("version") + 1
    measure._history_user = acting_user
    measure.save(update_fields=["assignment_mode", "version"])
    measure.assigned_organisations.set(organisations)
    measure.refresh_from_db()
    schedule_changed.send(sender=Measure, measure_ids=[measure.pk])
    recheck(acting_user, "change", measure)
    recheck(acting_user, "view", *organisations)
    return measure


def assigned_organisations(measure: Measure):
    """The organisations a measure applies to, as a queryset (execution builds on it)."""
    from schools.models import Organisation

    from ..constants import AssignmentMode

    mode = measure.assignment_mode
    if mode == AssignmentMode.ORGANISATIONS:
        return measure.assigned_organisations.all()
    if mode == AssignmentMode.LOW_RESULTS:
        owner = measure.roadmap.owner
        if owner.municipality_id is None:
            return Organisation.objects.schools().filter(
                region_id=owner.region_id, is_low_results=True, is_active=True
            )
        return Organisation.objects.schools().filter(
            municipality_id=owner.municipality_id, is_low_results=True, is_active=True
        )
    if mode == AssignmentMode.PLAN_GROUP:
        return measure.roadmap.school_group.all()
    return Organisation.objects.none()


@transaction.atomic(durable=True)
def roadmap_set_school_group(*, roadmap: Roadmap, acting_user, schools) -> Roadmap:
    _require(roadmap, acting_user)
    # Who executes «группа школ плана» is part of the approved text: a draft only.
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    _require_editable(roadmap)
    schools = _visible_organisations(acting_user, schools, schools_only=True)
    roadmap.school_group.set(schools)
    schedule_changed.send(
        sender=Roadmap,
        measure_ids=list(
            roadmap.measures.filter(assignment_mode=AssignmentMode.PLAN_GROUP).values_list(
                "pk", flat=True
            )
        ),
    )
    recheck(acting_user, "change", roadmap)
    recheck(acting_user, "view", *schools)
    return roadmap
