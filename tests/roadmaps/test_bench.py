"""``manage.py bench roadmaps``: the plan page and the inline edit beside their limit."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from roadmaps.benchmarks import _fstring_html, bench_roadmaps
from roadmaps.models import Measure, Roadmap

pytestmark = pytest.mark.django_db


def test_bench_reports_page_edit_and_limit_per_size_and_leaves_no_rows():
    from django.contrib.sessions.models import Session

    from schools.models import Organisation, Region, User

    sessions = Session.objects.count()
    result = bench_roadmaps(sizes=(30, 60), repeat=1)
    assert result["vendor"] == "postgresql"
    assert set(result["sizes"]) == {"30", "60"}
    for size, figures in result["sizes"].items():
        assert figures["data"]["measures"] == int(size)
        assert figures["plan_page"]["median_ms"] > 0
        assert figures["plan_page"]["html_bytes"] > figures["limit"]["fstring_html_bytes"] > 0
        assert figures["inline_edit_post"]["queries"] > 0
        assert figures["inline_edit_form"]["queries"] > 0
        limit = figures["limit"]
        assert limit["sql_plus_bare_ms"] == pytest.approx(
            limit["raw_sql_join_ms"] + limit["bare_logged_in_response_ms"], abs=0.02
        )
    # The query counts do not grow with the plan.
    small, large = result["sizes"]["30"], result["sizes"]["60"]
    assert small["plan_page"]["queries"] == large["plan_page"]["queries"]
    assert small["inline_edit_post"]["queries"] == large["inline_edit_post"]["queries"]
    # Everything it built is deleted again (it commits its data: the edit it times is a
    # durable service), history and the client's session included.
    assert not Roadmap.objects.filter(title="Бенчмарк-план").exists()
    assert not Measure.objects.exists()
    assert not Region.objects.filter(name__startswith="Бенчмарк-регион").exists()
    assert not Organisation.objects.filter(full_name__endswith="(бенчмарк)").exists()
    assert not User.objects.filter(username__startswith="bench-coordinator").exists()
    assert not Measure.history.exists()
    assert not Roadmap.history.filter(title="Бенчмарк-план").exists()
    assert not Region.history.filter(name__startswith="Бенчмарк-регион").exists()
    assert not User.history.filter(username__startswith="bench-coordinator").exists()
    assert Session.objects.count() == sessions


@pytest.mark.django_db(transaction=True)
def test_bench_runs_outside_any_transaction_and_cleans_up_after_a_failure(monkeypatch):
    """Outside a test's transaction (as ``manage.py bench`` runs) the durable edit works,
    and data built before a failure is deleted all the same."""
    import roadmaps.benchmarks as benchmarks
    from schools.models import Region

    result = bench_roadmaps(sizes=(30,), repeat=1)
    assert result["sizes"]["30"]["inline_edit_post"]["queries"] > 0

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(benchmarks, "_bench_plan_pages", broken)
    with pytest.raises(RuntimeError, match="boom"):
        bench_roadmaps(sizes=(30,), repeat=1)
    assert not Region.objects.filter(name__startswith="Бенчмарк-регион").exists()
    assert not Roadmap.objects.exists()
    assert not Measure.history.exists()


def test_bench_command_prints_one_json_object(monkeypatch):
    from roadmaps.management.commands import bench

    monkeypatch.setitem(
        bench.BENCHMARKS, "roadmaps", lambda repeat: bench_roadmaps(sizes=(30,), repeat=repeat)
    )
    out = StringIO()
    call_command("bench", "roadmaps", "--repeat", "1", stdout=out)
    assert set(json.loads(out.getvalue())["sizes"]) == {"30"}


def test_the_fstring_limit_escapes_like_the_page():
    rows = [(1, "1.", "Раздел <1>", 2, "1.1.", "A & B", "Сентябрь", "", "", "", "", None)]
    html = _fstring_html(rows)
    assert "Раздел &lt;1&gt;" in html
    assert "A &amp; B" in html


def _database_settings(**env) -> dict:
    """The default database as config.settings.base builds it from this environment."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.base';"
        "from config.settings import base;"
        "d = base.DATABASES['default'];"
        "print(json.dumps({k: d.get(k) for k in ('ENGINE', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')}))"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DB_CONN_MAX_AGE"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_postgresql_connections_persist_with_health_checks():
    db = _database_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/roadmaps")
    assert db == {
        "ENGINE": "django.db.backends.postgresql",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
    assert (
        _database_settings(
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/roadmaps", DB_CONN_MAX_AGE="5"
        )["CONN_MAX_AGE"]
        == 5
    )


def test_sqlite_keeps_its_own_connection_settings():
    db = _database_settings(DATABASE_URL="sqlite:////tmp/roadmaps-settings-test.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["CONN_MAX_AGE"] == 0
    assert not db["CONN_HEALTH_CHECKS"]
