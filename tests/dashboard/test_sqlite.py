"""The dashboards on SQLite, the database of ``make run``: the figures (some of them raw
SQL) are computed there for the world of these tests and equal those of PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.timezones import today_in
from dashboard import figures
from tests.dashboard.conftest import add_figures
from tests.execution.conftest import build_live

ROOT = Path(__file__).resolve().parents[2]

# Run in the SQLite process: the same world, the three dashboards as comparable rows.
SNIPPET = """
import json
from core.timezones import today_in
from dashboard import figures
from tests.conftest import build_world
from tests.dashboard.conftest import add_figures
from tests.dashboard.test_sqlite import summary
from tests.execution.conftest import build_live

world = build_world()
build_live(world)
add_figures(world)
print("FIGURES" + json.dumps(summary(world, today_in(world.region))))
"""


def _rows(dashboard) -> list:
    return sorted(
        [
            row.name,
            row.schools,
            row.low,
            sorted(row.plans.items()),
            repr(row.targets),
            sorted(
                (f"{exam}-{year}", repr(average)) for (exam, year), average in row.exams.items()
            ),
            repr(row.rollup),
        ]
        for row in dashboard.rows
    )


def summary(world, today) -> dict:
    """The dashboards' figures by name (primary keys differ between the databases)."""
    return json.loads(
        json.dumps(
            {
                "regional": _rows(figures.regional(world.region, today)),
                "municipal": _rows(figures.municipal(world.municipality, today)),
                # The school's page computes there too (its figures are per plan, by pk).
                "school": type(figures.school(world.school, today)).__name__,
            },
            default=str,
        )
    )


@pytest.mark.django_db
def test_the_dashboards_compute_the_same_figures_on_sqlite(world, tmp_path):
    build_live(world)
    add_figures(world)
    expected = summary(world, today_in(world.region))

    database = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--no-input"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    done = subprocess.run(
        [*manage, "shell", "--no-imports", "-c", SNIPPET],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("FIGURES"))
    assert json.loads(line.removeprefix("FIGURES")) == expected
    shutil.rmtree(tmp_path, ignore_errors=True)
