"""Rules that keep CI honest: nothing is skipped for a missing file, and a skip fails CI."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_probe():
    """Skips only when the test below asks it to (the probe of the CI rule)."""
    if os.environ.get("SKIP_PROBE"):
        pytest.skip("проба правила CI")


def _run_probe(**env) -> int:
    environment = {**os.environ, "SKIP_PROBE": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::test_probe"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    ).returncode


def test_a_skipped_test_fails_the_run_under_ci():
    """(Without ``FAIL_ON_SKIP`` the probe is an ordinary skip: that is every local run.)"""
    assert _run_probe(FAIL_ON_SKIP="1") == 1


def test_no_test_depends_on_files_beside_the_repository():
    """Sample plans live in demo/samples; a test never reaches outside the repository."""
    offenders = []
    for path in (ROOT / "tests").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"[\"']shared[\"']|\.\./shared|parents\[2\]\.parent", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_samples_are_in_the_repository():
    samples = ROOT / "demo" / "samples"
    names = {path.name for path in samples.iterdir()}
    for stem in (
        "novokubansky-cro-2019-2022",
        "ponomarevsky-order-2020",
        "municipal-resources-2020",
    ):
        assert {f"{stem}.docx", f"{stem}.txt"} <= names
