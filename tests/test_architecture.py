"""House rules that keep the access model in one place (see schools/access.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent

# Modules that read on behalf of a request, a job or an import/export: they may touch a
# tenant model's manager only through ``for_user``.
GUARDED_PATTERNS = (
    "*views*.py",
    "views/**/*.py",
    "*/views.py",
    "*/views/**/*.py",
    "*_io.py",
    "exports.py",
    "exports/**/*.py",
    "tasks.py",
    "tasks/**/*.py",
    "resources.py",
    "resources/**/*.py",
    "admin.py",
    "admin/**/*.py",
)

# Modules that write: every app's services, whatever their shape.
SERVICE_PATTERNS = (
    "services.py",
    "*_service.py",
    "*_services.py",
    "services/**/*.py",
    "*/service.py",
)


def app_dirs() -> list[Path]:
    """The project's own apps (any app, including future ones), not libraries."""
    dirs = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            dirs.add(path)
    return sorted(dirs)


def modules(patterns) -> list[Path]:
    found = set()
    for app_dir in app_dirs():
        for pattern in patterns:
            found.update(p for p in app_dir.glob(pattern) if "migrations" not in p.parts)
    return sorted(found)


def tenant_models():
    from schools.access import ScopedQuerySet

    return sorted(
        model.__name__
        for model in apps.get_models()
        if isinstance(model._default_manager.all(), ScopedQuerySet)
    )


def test_views_tasks_resources_never_use_raw_tenant_querysets():
    """Only ``Model.objects.for_user(...)`` (or ``.none()``, the empty placeholder of a
    form field narrowed later) may be called on a tenant model's manager in these modules;
    everything else goes through selectors and services."""
    names = "|".join(tenant_models())
    pattern = re.compile(rf"\b({names})\.(objects|_default_manager)\.(?!for_user\(|none\(\))")
    hits = []
    for path in modules(GUARDED_PATTERNS):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hits == []


def test_the_raw_queryset_rule_reads_import_and_export_modules():
    read = {str(path.relative_to(ROOT)) for path in modules(GUARDED_PATTERNS)}
    assert {
        "roadmaps/views/plans.py",
        "roadmaps/views/measures.py",
        "roadmaps/importing/views.py",
        "roadmaps/exports.py",
        "schools/directory_io.py",
        "schools/resources.py",
        "schools/admin.py",
    } <= read


def test_every_tenant_model_is_scoped():
    assert {
        "Organisation",
        "Municipality",
        "Region",
        "Membership",
        "CuratorAssignment",
        "User",
    } <= set(tenant_models())


def test_guardian_shortcuts_never_accept_global_permissions():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text()
        for call in re.finditer(r"get_objects_for_user\((.*?)\)", text, re.S):
            if "accept_global_perms=False" not in call.group(1):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# --- every write re-checks the reach ------------------------------------------------------
#
# A service that creates or moves tenant rows must call ``access.recheck(...)`` inside its
# transaction after the write. The checker below reads each services module with ``ast``:
# a function that writes (saves, creates, bulk writes, updates querysets, sets or adds to
# many-to-many relations) must call ``recheck`` after its last write. A private helper
# (``_name``) that writes is fine when it is called in its module, and only from functions
# that re-check after calling it.

# Calls that always write.
WRITE_METHODS = {
    "save",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
WRITE_FUNCTIONS = {"bulk_create_with_history", "bulk_update_with_history"}
# Calls that write when made on a relation or a queryset (``measure.schools.set(...)``,
# ``Model.objects.filter(...).update(...)``), not on a local set or dict.
RELATION_WRITES = {"add", "set", "update", "remove", "clear"}
QUERY_HINTS = {"objects", "_default_manager", "filter", "exclude", "all", "select_for_update"}
RECHECK = "recheck"

# Functions that write without an acting user, each with the reason.
NOT_TENANT_WRITES = {
    # Role groups and the staff flag derived from the person's memberships (called by the
    # membership signal); the membership itself was re-checked by the service that wrote it.
    "schools/services.py:user_sync_groups",
    # Housekeeping of the periodic task, acting for nobody: expires and deletes upload jobs
    # (and their files); it never creates a row or moves one to another owner.
    "roadmaps/importing/service.py:imports_cleanup",
    # Notifications are personal rows, never moved to another owner. ``notify`` writes the
    # recipients' rows for the calling service (which re-checked its own change) and drops
    # recipients who cannot see the plan or record first; the daily job acts for nobody and
    # writes each person's own digest and lines, computed from what their memberships reach;
    # sending records the state of one e-mail; an operator (a superuser, in the admin) puts
    # a failed digest back in the queue; marking all read updates only the rows
    # ``for_user(acting_user)`` selects.
    "notifications/services.py:notify",
    "notifications/services.py:_claim_batch",
    "notifications/services.py:_attach_events",
    "notifications/services.py:digest_send",
    "notifications/services.py:digest_resend",
    "notifications/services.py:notifications_mark_all_read",
    # The work of a report job: it saves the rendered file into the private storage (the
    # "save" seen here) and returns the fields that ``core.jobs.run_job`` writes on the
    # job's own row; who may ask for the report was checked by ``report_request``.
    "reports/services.py:report_build",
}


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _mentions_query(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Attribute) and n.attr in QUERY_HINTS)
        or (isinstance(n, ast.Name) and n.id in QUERY_HINTS)
        for n in ast.walk(node)
    )


class _Unit:
    """One function of a services module: where it writes, re-checks, calls helpers."""

    def __init__(self, name: str, node: ast.AST, helpers: set[str]) -> None:
        self.name = name
        self.writes: list[int] = []
        self.rechecks: list[int] = []
        self.calls: list[tuple[str, int]] = []
        query_names = {
            target.id
            for n in ast.walk(node)
            if isinstance(n, ast.Assign | ast.AnnAssign) and n.value is not None
            if _mentions_query(n.value)
            for target in (n.targets if isinstance(n, ast.Assign) else [n.target])
            if isinstance(target, ast.Name)
        }
        for n in ast.walk(node):
            if not isinstance(n, ast.Call):
                continue
            name = _call_name(n)
            if name == RECHECK:
                # ``recheck(user, action)`` without objects checks nothing.
                if len(n.args) > 2 or any(isinstance(a, ast.Starred) for a in n.args):
                    self.rechecks.append(n.lineno)
            elif name in (WRITE_METHODS if isinstance(n.func, ast.Attribute) else WRITE_FUNCTIONS):
                self.writes.append(n.lineno)
            elif isinstance(n.func, ast.Attribute) and name in RELATION_WRITES:
                receiver = n.func.value
                if not isinstance(receiver, ast.Name) or receiver.id in query_names:
                    self.writes.append(n.lineno)
            elif isinstance(n.func, ast.Name) and name in helpers:
                self.calls.append((name, n.lineno))

    @property
    def is_private(self) -> bool:
        return self.name.startswith("_")


def unchecked_writers(sources: str | dict[str, str], module: str = "<string>") -> list[str]:
    """The functions of a services module (or of the modules of a services package, given
    as ``{module: source}``, which share their private helpers) that write tenant rows
    without a re-check of the reach after the write, as ``module:function: reason``."""
    if isinstance(sources, str):
        sources = {module: sources}
    trees = {name: ast.parse(source) for name, source in sources.items()}
    functions = {
        node.name: node
        for tree in trees.values()
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    home = {
        node.name: name
        for name, tree in trees.items()
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    helpers = {name for name in functions if name.startswith("_")}
    units = {name: _Unit(name, node, helpers) for name, node in functions.items()}
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        # Methods are judged on their own (``Class.method`` is never private).
                        name = f"{node.name}.{item.name}"
                        units[name] = _Unit(name, item, helpers)
                        home[name] = home[node.name]

    def writes(name: str, seen: frozenset = frozenset()) -> bool:
        unit = units[name]
        return bool(unit.writes) or any(
            writes(callee, seen | {name}) for callee, _ in unit.calls if callee not in seen
        )

    def rechecks(name: str, seen: frozenset = frozenset()) -> bool:
        unit = units[name]
        return bool(unit.rechecks) or any(
            rechecks(callee, seen | {name}) for callee, _ in unit.calls if callee not in seen
        )

    def last(lines) -> int:
        return max(lines, default=0)

    def checks_after_writing(name: str) -> bool:
        """The function re-checks (itself or through a helper) after its last write (its
        own or a helper's)."""
        unit = units[name]
        write_lines = [*unit.writes, *(line for callee, line in unit.calls if writes(callee))]
        check_lines = [*unit.rechecks, *(line for callee, line in unit.calls if rechecks(callee))]
        return bool(check_lines) and last(check_lines) >= last(write_lines)

    def covered(name: str, seen: frozenset = frozenset()) -> bool:
        if checks_after_writing(name):
            return True
        if not units[name].is_private:
            return False
        callers = [
            caller
            for caller, unit in units.items()
            if caller != name and any(callee == name for callee, _ in unit.calls)
        ]
        return bool(callers) and all(
            caller not in seen and covered(caller, seen | {name}) for caller in callers
        )

    problems = []
    for name, unit in units.items():
        if not unit.writes or f"{home[name]}:{name}" in NOT_TENANT_WRITES:
            continue
        if not covered(name):
            if unit.is_private:
                reason = "private helper writes, but not every caller re-checks after it"
            elif unit.rechecks:
                reason = "writes after its last recheck()"
            else:
                reason = "writes without recheck()"
            problems.append(f"{home[name]}:{name}: {reason} (line {unit.writes[0]})")
    return problems


def test_every_service_that_writes_rechecks_the_reach_after_the_write():
    service_modules = modules(SERVICE_PATTERNS)
    assert {
        "schools/services.py",
        "roadmaps/services/measures.py",
        "roadmaps/services/plans.py",
        "roadmaps/importing/service.py",
    } <= {str(path.relative_to(ROOT)) for path in service_modules}
    # A services package is read as one unit: its modules share private helpers.
    units: dict[str, dict[str, str]] = {}
    for path in service_modules:
        relative = path.relative_to(ROOT)
        unit = str(relative.parent) if path.parent.name == "services" else str(relative)
        units.setdefault(unit, {})[str(relative)] = path.read_text()
    problems = []
    for sources in units.values():
        problems += unchecked_writers(sources)
    assert problems == []


GOOD_SERVICE = """
from django.db import transaction
from schools import access


def _store_windows(measure, windows):
    MeasureWindow.objects.bulk_create(windows)


def _link(measure, organisations):
    measure.organisations.set(organisations)


@transaction.atomic
def measure_create(*, roadmap, acting_user, title):
    seen = set()
    seen.add(title)
    data = {}
    data.update(title=title)
    measure = Measure(roadmap=roadmap, title=title)
    measure.save()
    _store_windows(measure, [])
    _link(measure, [])
    access.recheck(acting_user, "change", measure)
    return measure


def measure_titles(roadmap):
    return [m.title for m in Measure.objects.filter(roadmap=roadmap)]
"""


def test_the_write_checker_passes_services_that_recheck():
    assert unchecked_writers(GOOD_SERVICE) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            """
def roadmap_create(*, acting_user, owner):
    roadmap = Roadmap(owner=owner)
    roadmap.save()
    return roadmap
""",
            ["<string>:roadmap_create: writes without recheck() (line 4)"],
            id="save-without-recheck",
        ),
        pytest.param(
            """
def roadmap_create(*, acting_user, owner):
    roadmap = Roadmap(owner=owner)
    recheck(acting_user, "add", owner)
    roadmap.save()
    return roadmap
""",
            ["<string>:roadmap_create: writes after its last recheck() (line 5)"],
            id="recheck-before-the-write",
        ),
        pytest.param(
            """
def _copy(source, target):
    Section.objects.create(roadmap=target, title=source.title)


def roadmap_duplicate(*, roadmap, acting_user):
    copy = Roadmap.objects.create(owner=roadmap.owner)
    recheck(acting_user, "add", copy)
    _copy(roadmap, copy)
    return copy


def template_distribute(*, template, acting_user, schools):
    for school in schools:
        copy = Roadmap.objects.create(owner=school)
        _copy(template, copy)
    recheck(acting_user, "add", template)
""",
            [
                "<string>:_copy: private helper writes, but not every caller re-checks after it"
                " (line 3)",
                "<string>:roadmap_duplicate: writes after its last recheck() (line 7)",
            ],
            id="helper-called-after-the-recheck",
        ),
        pytest.param(
            """
def roadmap_create(*, acting_user, owner):
    roadmap = Roadmap.objects.create(owner=owner)
    recheck(acting_user, "add")
    return roadmap
""",
            ["<string>:roadmap_create: writes without recheck() (line 3)"],
            id="recheck-of-nothing",
        ),
        pytest.param(
            """
def _orphan(measure):
    measure.schools.add(1)
""",
            [
                "<string>:_orphan: private helper writes, but not every caller re-checks after it"
                " (line 3)"
            ],
            id="private-helper-without-callers",
        ),
        pytest.param(
            """
def plan_move(*, roadmap, acting_user, municipality):
    plans = Roadmap.objects.filter(owner__municipality=municipality)
    plans.update(owner=acting_user.organisation)
""",
            ["<string>:plan_move: writes without recheck() (line 4)"],
            id="queryset-update",
        ),
        pytest.param(
            """
def group_set(*, roadmap, acting_user, schools):
    roadmap.school_group.set(schools)
""",
            ["<string>:group_set: writes without recheck() (line 3)"],
            id="many-to-many-set",
        ),
        pytest.param(
            """
def import_plan(*, plan, acting_user):
    measures = [Measure(title=m) for m in plan]
    bulk_create_with_history(measures, Measure, default_user=acting_user)
""",
            ["<string>:import_plan: writes without recheck() (line 4)"],
            id="bulk-create-with-history",
        ),
        pytest.param(
            """
class Importer:
    def run(self, acting_user):
        Roadmap.objects.create(title="План")
""",
            ["<string>:Importer.run: writes without recheck() (line 4)"],
            id="method",
        ),
    ],
)
def test_the_write_checker_finds_writes_without_recheck(source, expected):
    assert unchecked_writers(source) == expected


# --- the layout: arrows point view → service/selector → model ----------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_schools_never_reaches_into_roadmaps_or_the_demo():
    """The directory and the access model are the base every other app stands on."""
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "schools").rglob("*.py")
        if "migrations" not in path.parts
        for name in _imports(path)
        if name.split(".")[0] in {"roadmaps", "demo", "monitoring"}
    ]
    assert offenders == []


def test_roadmaps_never_imports_execution():
    """Execution and partnerships build on plans; plans ask them through hooks they
    register (``roadmaps.extensions`` (``export_columns``, ``visible_plans``), the
    ``schedule_changed`` signal)."""
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "roadmaps").rglob("*.py")
        if "migrations" not in path.parts
        for name in _imports(path)
        if name.split(".")[0] in {"execution", "partnerships"}
    ]
    assert offenders == []


def test_notifications_never_imports_the_apps_that_feed_it():
    """Other apps tell notifications through ``notify`` and its item sources
    (``notifications.sources``); it never reaches into them."""
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "notifications").rglob("*.py")
        if "migrations" not in path.parts
        for name in _imports(path)
        if name.split(".")[0] == "partnerships"
    ]
    assert offenders == []


VIEW_WRITES = {"save", "delete", "create", "bulk_create", "bulk_update", "update_or_create"}


def test_views_write_only_through_services():
    """A view parses, calls one service, renders: no model write of its own."""
    offenders = []
    for path in modules(GUARDED_PATTERNS):
        if "views" not in path.name and path.parent.name != "views":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in VIEW_WRITES
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "form")
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.func.attr}()")
    assert offenders == []


# --- scopes never duplicate rows ---------------------------------------------------------


def test_scope_paths_follow_forward_foreign_keys_only():
    """A scope path that crossed a many-to-many or reverse relation would repeat a row once
    per related row; such a scope must be written as ``pk__in`` a subquery instead (as
    ``UserQuerySet`` does with memberships)."""
    from schools.access import ScopedQuerySet

    crossing = []
    for model in apps.get_models():
        queryset = model._default_manager.all()
        if not isinstance(queryset, ScopedQuerySet):
            continue
        paths = [
            getattr(queryset, name, None)
            for name in ("region_path", "municipality_path", "organisation_path", "roadmap_path")
        ]
        for path in filter(None, paths):
            current = model
            for part in path.split("__"):
                field = current._meta.get_field(part.removesuffix("_id"))
                if not (field.many_to_one or field.one_to_one or not field.is_relation):
                    crossing.append(f"{model.__name__}: {path}")
                    break
                current = field.related_model if field.is_relation else current
    assert crossing == []


@pytest.mark.django_db
def test_no_scope_returns_a_row_twice(world):
    """Every persona (two memberships, guardian grants, curators included) and every verb."""
    from tests.conftest import PERSONAS
    from tests.roadmaps.factories import MeasureFactory, RoadmapFactory

    plan = RoadmapFactory(owner=world.authority)
    MeasureFactory(roadmap=plan)
    world.grant_partner(plan)
    duplicated = []
    for model in apps.get_models():
        manager = model._default_manager
        if not hasattr(manager.all(), "for_user"):
            continue
        for persona in PERSONAS:
            for action in ("view", "change", "add", "delete"):
                rows = list(
                    manager.for_user(world.user(persona), action).values_list("pk", flat=True)
                )
                if len(rows) != len(set(rows)):
                    duplicated.append(f"{model.__name__} {persona} {action}")
    assert duplicated == []
