"""Which buttons a person sees: the actions of the plan page and the plan list, computed
once per page from the access model (``schools.access``), so that nobody is shown a
button that answers «Нет прав».

Each flag mirrors the check of the view or service the button leads to:

=============  ===========================================================================
flag           the button and what it needs
=============  ===========================================================================
print          «Версия для печати» — the plan is visible (always, on a page that shows it)
history        «История изменений» — the plan is visible
export         «Word», «Excel» — ``roadmaps.export_roadmap`` on this plan
edit           «Шапка и паспорт», «Группа школ», «Сроки на проверку», adding and editing
               rows — ``change`` on this plan, and the plan is still a draft
duplicate      «Сделать план на следующий период» — ``add`` for the plan's owner (the copy
               keeps the owner, and the service re-checks ``add`` on it)
copies         «Копии школ» — the plan is a template (visible is enough)
distribute     «Передать школам» — a template, ``change`` on it, and ``add`` over the
               owner's municipality (each copy is a plan of one of its schools)
=============  ===========================================================================

``plan_actions`` asks the database once (one row with an ``EXISTS`` per verb) besides the
person's memberships and verbs, which ``schools.access`` loads once per request anyway.
A flag for a new button (sending for agreement, approving) goes here, next to its verb.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from schools.access import has_verb, scope_for

from .models import Roadmap
from .services import EDITABLE_STATUSES

# Verbs checked on the plan itself, through its scoped queryset (grants included).
OBJECT_VERBS = {
    "can_change": "change",
    "can_export": "roadmaps.export_roadmap",
}
ADD_VERB = "roadmaps.add_roadmap"

PLAN_ACTIONS = (
    "print",
    "history",
    "export",
    "edit",
    "duplicate",
    "copies",
    "distribute",
)


def _add_reach(user) -> tuple[Q, Q]:
    """Two filters over plans from the reach of the ``add`` verb (no object grants: a copy
    is a new plan, which no grant names): whose owner the person may add a plan for, and
    whose owner's municipality the person may add plans all over (a template's copies
    belong to schools of that municipality)."""
    scope = scope_for(user, ADD_VERB)
    if scope.everything:
        return Q(), Q()
    nothing = Q(pk__in=[])
    owner = Roadmap.objects.all().scope_q(scope, "add")
    wide = nothing
    if scope.regions:
        wide |= Q(owner__region_id__in=scope.regions)
    if scope.municipalities:
        wide |= Q(owner__municipality_id__in=scope.municipalities)
    return owner, wide


def plan_actions(user, roadmap: Roadmap) -> dict[str, bool]:
    """The buttons of the plan page this person may use on this plan (see the table)."""
    actions = dict.fromkeys(PLAN_ACTIONS, False)
    if roadmap is None or roadmap.pk is None or not getattr(user, "is_authenticated", False):
        return actions
    same = Roadmap.objects.filter(pk=OuterRef("pk"))
    add_owner, add_wide = _add_reach(user)
    checks = {
        name: Exists(Roadmap.objects.for_user(user, verb).filter(pk=OuterRef("pk")))
        for name, verb in OBJECT_VERBS.items()
    }
    checks["can_add"] = Exists(same.filter(add_owner))
    checks["can_add_wide"] = Exists(same.filter(add_wide))
    found = Roadmap.objects.for_user(user, "view").filter(pk=roadmap.pk).values(**checks).first()
    if found is None:  # not visible: a page that shows it never asks, but answer safely
        return actions
    draft = roadmap.status in EDITABLE_STATUSES
    actions.update(
        print=True,
        history=True,
        export=found["can_export"],
        edit=found["can_change"] and draft,
        duplicate=found["can_add"],
        copies=roadmap.is_template,
        distribute=roadmap.is_template and found["can_change"] and found["can_add_wide"],
    )
    return actions


def list_actions(user) -> dict[str, bool]:
    """The buttons of the plan list: creating a plan and importing one need the verb
    somewhere within the person's reach (the form then offers only those owners)."""
    return {
        "add": has_verb(user, ADD_VERB),
        "import": has_verb(user, "roadmaps.import_roadmap"),
    }
