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
change         ``change`` on this plan, whatever its status (later steps of the plan's life
               — «Начать исполнение» — check their own statuses)
edit           «Шапка и паспорт», «Группа школ», «Сроки на проверку», adding and editing
               rows — ``change`` on this plan, and the plan is still a draft
duplicate      «Сделать план на следующий период» — ``add`` for the plan's owner (the copy
               keeps the owner, and the service re-checks ``add`` on it)
copies         «Копии школ» — the plan is a template (visible is enough)
distribute     «Передать школам» — a template, ``change`` on it, and ``add`` over the
               owner's municipality (each copy is a plan of one of its schools)
=============  ===========================================================================

``plan_actions`` asks the database once (the person's grants on this plan) besides the
person's memberships and verbs, which ``schools.access`` loads once per request anyway.
A flag for a new button (sending for agreement, approving) goes here, next to its verb.
"""

from __future__ import annotations

from schools.access import has_verb, object_grants, scope_for

from .models import Roadmap
from .services import EDITABLE_STATUSES

VIEW_VERB = "roadmaps.view_roadmap"
CHANGE_VERB = "roadmaps.change_roadmap"
EXPORT_VERB = "roadmaps.export_roadmap"
ADD_VERB = "roadmaps.add_roadmap"

PLAN_ACTIONS = (
    "print",
    "history",
    "export",
    "change",
    "edit",
    "duplicate",
    "copies",
    "distribute",
)


def plan_actions(
    user, roadmap: Roadmap, *, visible: bool = False, grants: set[str] | None = None
) -> dict[str, bool]:
    """The buttons of the plan page this person may use on this plan (see the table).

    Decided from the person's scopes (loaded once per request) and the plan's owner, by
    the rule ``ScopedQuerySet.scope_q`` applies in SQL, plus the person's grants on this
    plan: one query. Adding has no grants (a copy is a new plan, which no grant names)."""
    actions = dict.fromkeys(PLAN_ACTIONS, False)
    if roadmap is None or roadmap.pk is None or not getattr(user, "is_authenticated", False):
        return actions
    owner = roadmap.owner
    where = {
        "region_id": owner.region_id,
        "municipality_id": owner.municipality_id,
        "organisation_id": owner.pk,
    }
    if grants is None:
        grants = object_grants(user, roadmap)

    def may(verb: str) -> bool:
        return verb in grants or scope_for(user, verb).contains(**where)

    # ``visible``: the page loaded the plan through ``Roadmap.objects.for_user`` (which also
    # shows a plan to the organisations it assigns work to); otherwise answer safely.
    if not (visible or may(VIEW_VERB)):
        return actions
    add = scope_for(user, ADD_VERB)
    # A template's copies belong to schools all over the owner's municipality.
    add_wide = (
        add.everything
        or owner.region_id in add.regions
        or (owner.municipality_id is not None and owner.municipality_id in add.municipalities)
    )
    can_change = may(CHANGE_VERB)
    actions.update(
        print=True,
        history=True,
        export=may(EXPORT_VERB),
        change=can_change,
        edit=can_change and roadmap.status in EDITABLE_STATUSES,
        duplicate=add.contains(**where),
        copies=roadmap.is_template,
        distribute=roadmap.is_template and can_change and add_wide,
    )
    return actions


def list_actions(user) -> dict[str, bool]:
    """The buttons of the plan list: creating a plan and importing one need the verb
    somewhere within the person's reach (the form then offers only those owners)."""
    return {
        "add": has_verb(user, ADD_VERB),
        "import": has_verb(user, "roadmaps.import_roadmap"),
    }
