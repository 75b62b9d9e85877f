"""Template plans handed to schools: one draft copy per school."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from schools.access import recheck

from ..constants import ROADMAP_HEADER_FIELDS
from ..models import Roadmap
from .base import _require, _require_editable, _visible_organisations
from .plans import _copy_contents

DISTRIBUTE_FORBIDDEN_MESSAGE = (
    "Передать шаблон школам может только тот, кто вправе создавать планы этих школ "
    "(муниципальный координатор). Копии не созданы."
)


@transaction.atomic(durable=True)
def template_distribute(*, template: Roadmap, acting_user, schools) -> list[Roadmap]:
    """Hand a template plan to schools: each gets its own draft copy to fill in, agree
    and approve. Schools that already have a copy are skipped; returns the new copies.

    Each copy is a plan owned by its school, so handing it over is creating a plan for
    that school: every copy must be within the acting user's reach for adding plans (a
    methodologist adds plans only for their own centre). Otherwise nothing is written."""

    from ..constants import RoadmapLevel

    _require(template, acting_user)
    if not template.is_template:
        raise ValidationError("Раздавать школам можно только план, отмеченный как шаблон.")
    schools = _visible_organisations(acting_user, schools, schools_only=True)
    have = set(
        Roadmap.objects.filter(template=template, owner__in=schools).values_list(
            "owner_id", flat=True
        )
    )
    copies = []
    for school in schools:
        if school.pk in have:
            continue
        copy = Roadmap(
            owner=school,
            level=RoadmapLevel.SCHOOL,
            template=template,
            title=template.title,
            subtitle=template.subtitle,
            period_start=template.period_start,
            period_end=template.period_end,
            period_text=template.period_text,
            columns=template.columns,
            created_by=acting_user,
            **{
                name: getattr(template, name)
                for name in ROADMAP_HEADER_FIELDS
                if name.startswith("passport_")
            },
        )
        copy.full_clean()
        copy._history_user = acting_user
        copy.save()
        _copy_contents(template, copy, acting_user)
        copies.append(copy)
    try:
        recheck(acting_user, "add", *copies)
    except PermissionDenied:
        raise PermissionDenied(DISTRIBUTE_FORBIDDEN_MESSAGE) from None
    return copies


@transaction.atomic(durable=True)
def roadmap_mark_template(*, roadmap: Roadmap, acting_user, is_template: bool) -> Roadmap:
    _require(roadmap, acting_user)
    _require_editable(roadmap)
    roadmap.is_template = is_template
    roadmap._history_user = acting_user
    roadmap.save(update_fields=["is_template", "updated_at"])
    recheck(acting_user, "change", roadmap)
    return roadmap
