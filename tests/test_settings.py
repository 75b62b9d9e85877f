"""Settings come from the environment and refuse nonsense."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_env_bool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")


def test_env_int_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("NUMBER", 1)


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.org, b.example.org ,,")
    assert env_list("HOSTS") == ["a.example.org", "b.example.org"]


def _import_settings(module, **env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "MAIL_HOST", "MAIL_BACKEND"}
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = module
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings("config.settings.production", MAIL_HOST="smtp.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_a_mail_server():
    result = _import_settings("config.settings.production", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "MAIL_HOST is required" in result.stderr


def test_production_starts_with_what_it_needs():
    result = _import_settings(
        "config.settings.production", SECRET_KEY="x" * 60, MAIL_HOST="smtp.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_celery_app_reads_django_settings(settings):
    from config.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
