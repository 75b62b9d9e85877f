"""House rules that keep the access model in one place (see schools/access.py)."""

import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
GUARDED_MODULES = ("views.py", "tasks.py", "resources.py", "admin.py")


def tenant_models():
    from schools.access import ScopedQuerySet

    return sorted(
        model.__name__
        for model in apps.get_models()
        if isinstance(model._default_manager.all(), ScopedQuerySet)
    )


def test_views_tasks_resources_never_use_raw_tenant_querysets():
    """Only ``Model.objects.for_user(...)`` may be called on a tenant model's manager in
    these modules; everything else goes through selectors and services."""
    names = "|".join(tenant_models())
    pattern = re.compile(rf"\b({names})\.(objects|_default_manager)\.(?!for_user\()")
    hits = []
    for app_dir in ("schools", "roadmaps", "partnerships", "monitoring", "reports"):
        for module in GUARDED_MODULES:
            path = ROOT / app_dir / module
            if not path.exists():
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hits == []


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
