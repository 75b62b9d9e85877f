"""The shared UI helpers live in core: roadmaps does not reach into schools' internals."""

import ast
from pathlib import Path

from core.cells import escape_cell
from core.forms import BootstrapMixin, HardenedFormMixin

ROADMAPS = Path(__file__).resolve().parents[2] / "roadmaps"


def test_escape_cell_guards_formula_starts_only():
    values = ["=1+1", "+1", "-1", "@a", "\tx", "\rx", "ok", "a=b", 5, None]
    assert [escape_cell(v) for v in values] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "ok",
        "a=b",
        5,
        None,
    ]


def test_bootstrap_mixin_is_the_hardened_one_from_core():
    from schools.forms import BootstrapMixin as from_schools

    assert from_schools is BootstrapMixin
    assert issubclass(BootstrapMixin, HardenedFormMixin)


def test_roadmaps_does_not_import_schools_forms_or_resources():
    offenders = []
    for path in ROADMAPS.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n in ("schools.forms", "schools.resources") for n in names):
                offenders.append(str(path.relative_to(ROADMAPS.parent)))
    assert offenders == []
