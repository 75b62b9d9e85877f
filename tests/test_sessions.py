"""Sessions under load (issue 7, gap 8): the idle timeout writes the session at most once
a minute, and the SQLite demo is configured for concurrent users."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools import middleware
from schools.constants import Role
from tests.factories import AuthorityFactory, person


@pytest.fixture
def coordinator(db):
    return person("coordinator", AuthorityFactory(), Role.MUNICIPAL_COORDINATOR)


def _session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return sum(
        1
        for query in queries.captured_queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def test_second_request_within_a_minute_does_not_write_the_session(client, coordinator):
    client.force_login(coordinator)
    url = reverse("home")
    assert _session_writes(client, url) == 1  # the first request stamps the activity
    assert _session_writes(client, url) == 0
    assert _session_writes(client, reverse("roadmap_list")) == 0


def test_activity_is_written_again_after_a_minute(client, coordinator, monkeypatch):
    client.force_login(coordinator)
    url = reverse("home")
    client.get(url)
    stamped = client.session["last_activity"]
    later = stamped + middleware.ACTIVITY_RESOLUTION
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    assert _session_writes(client, url) == 1
    assert client.session["last_activity"] == later


def test_idle_logout_still_works_with_the_coarse_stamp(client, coordinator, settings, monkeypatch):
    client.force_login(coordinator)
    client.get(reverse("home"))
    stamped = client.session["last_activity"]
    # Requests inside the minute do not move the stamp…
    monkeypatch.setattr(middleware.time, "time", lambda: stamped + 30)
    assert client.get(reverse("home")).status_code == 200
    assert client.session["last_activity"] == stamped
    # …and a request after the idle timeout ends the session.
    monkeypatch.setattr(
        middleware.time, "time", lambda: stamped + settings.SESSION_IDLE_TIMEOUT + 1
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_broken_stamp_is_replaced_not_a_server_error(client, coordinator):
    client.force_login(coordinator)
    session = client.session
    session["last_activity"] = "not a number"
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert abs(client.session["last_activity"] - time.time()) < 5


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(monkeypatch):
    """The settings module, loaded with a SQLite DATABASE_URL as `make run` does."""
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/demo.sqlite3")
    try:
        options = importlib.reload(base).DATABASES["default"]["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] == 20
        assert "journal_mode=WAL" in options["init_command"]
        monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
        postgres = importlib.reload(base).DATABASES["default"]
        assert "transaction_mode" not in postgres.get("OPTIONS", {})
    finally:
        monkeypatch.undo()
        importlib.reload(base)
