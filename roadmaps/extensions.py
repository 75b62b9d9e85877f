"""How the apps that build on plans add to them, without roadmaps importing those apps.

Execution (and later the approval workflow) needs three things of roadmaps: that the
organisations a plan assigns work to see the plan, that the plan page shows where its
measures stand, and that the plan list shows each plan's progress. Roadmaps asks the
extensions registered here (each app registers one in its ``AppConfig.ready``); with none
registered, every hook answers "nothing to add".

======================  ====================================================================
hook                    what it gives
======================  ====================================================================
visible_plans           ``(user) -> QuerySet of plan ids | None``: plans the person sees
                        besides those of their reach and grants (the plans whose measures
                        their organisation owes). Used by ``Roadmap.objects.for_user`` for
                        viewing only; never for changing.
plan_page               ``(request, roadmap, actions) -> PlanPage | None``: a column of the
                        plan table (a cell's HTML per measure id), a summary and buttons;
                        ``actions`` are the page's ``roadmaps.actions.plan_actions``.
overdue_measures        ``(roadmap, today) -> QuerySet of measure ids | None``: the measures
                        the plan page's «Просрочено» filter lists (None: the document's
                        own rule — a due date passed and no completion mark written).
export_columns          ``(roadmap, user) -> roadmaps.exports.ExtraColumns | None``: columns
                        a plan's .xlsx/.docx gains when the request asks for
                        ``export_option`` (``?execution=1``).
plan_list               ``(user, roadmaps) -> {plan id: html}``: a cell per plan of a list
                        page (the progress bar), for the plans shown, in a constant number
                        of queries.
public_links            ``(roadmap, token) -> [(label, url)]``: links of the public page of
                        a published revision (its PDF), for anyone, without login.
======================  ====================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString


@dataclass
class PlanPage:
    """What an extension adds to the plan page: a table column (label, a cell per
    measure id — measures without one get an empty cell) and buttons ``(label, url,
    style)`` for the toolbar."""

    column_label: str = ""
    cells: dict[int, SafeString] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)
    # A block above the table (a summary of the plan's execution), HTML.
    summary: SafeString | str = ""


@dataclass(frozen=True)
class PlanExtension:
    name: str
    visible_plans: Callable | None = None
    plan_page: Callable | None = None
    plan_list: Callable | None = None
    overdue_measures: Callable | None = None
    export_columns: Callable | None = None
    export_option: str = ""
    public_links: Callable | None = None


_EXTENSIONS: dict[str, PlanExtension] = {}


def register(extension: PlanExtension) -> None:
    """Register (or replace, by name) an extension; called from ``AppConfig.ready``."""
    _EXTENSIONS[extension.name] = extension


def registered() -> Iterable[PlanExtension]:
    return tuple(_EXTENSIONS.values())


def extra_visible_plans(user) -> list:
    """The id subqueries of plans the person sees through an extension."""
    found = []
    for extension in registered():
        if extension.visible_plans is not None:
            subquery = extension.visible_plans(user)
            if subquery is not None:
                found.append(subquery)
    return found


def plan_page(request, roadmap, actions) -> list[PlanPage]:
    pages = []
    for extension in registered():
        if extension.plan_page is not None:
            page = extension.plan_page(request, roadmap, actions)
            if page is not None:
                pages.append(page)
    return pages


def plan_list(user, roadmaps) -> dict[int, list[SafeString]]:
    """Cells per plan id from every extension, in registration order."""
    cells: dict[int, list[SafeString]] = {}
    for extension in registered():
        if extension.plan_list is not None:
            for pk, html in extension.plan_list(user, roadmaps).items():
                cells.setdefault(pk, []).append(html)
    return cells


def overdue_measures(roadmap, today):
    """The first extension's answer to «which measures are overdue» (None: none knows)."""
    for extension in registered():
        if extension.overdue_measures is not None:
            found = extension.overdue_measures(roadmap, today)
            if found is not None:
                return found
    return None


def public_links(roadmap, token: str) -> list[tuple[str, str]]:
    """The links the extensions add to the public page of a published revision."""
    found: list[tuple[str, str]] = []
    for extension in registered():
        if extension.public_links is not None:
            found.extend(extension.public_links(roadmap, token))
    return found
