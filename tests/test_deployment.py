"""The deployment files say what they must: services, commands, health checks, the lock."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_six_services(compose):
    assert set(compose["services"]) == {
        "postgres",
        "redis",
        "web",
        "worker",
        "worker-pdf",
        "beat",
    }


def test_pdfs_render_in_a_worker_of_their_own_with_a_memory_limit(compose):
    services = compose["services"]
    assert (
        "pdf"
        not in services["worker"]["command"][services["worker"]["command"].index("--queues") + 1]
    )
    command = services["worker-pdf"]["command"]
    assert command[command.index("--queues") + 1] == "pdf"
    assert "--max-memory-per-child" in command
    assert services["worker-pdf"]["mem_limit"]


def test_every_service_has_a_health_check(compose):
    for name, service in compose["services"].items():
        assert service.get("healthcheck", {}).get("test"), name


def test_commands(compose):
    services = compose["services"]
    web = " ".join(services["web"]["command"])
    assert "migrate" in web
    assert "gunicorn config.wsgi:application" in web
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_app_services_wait_for_healthy_databases(compose):
    for name in ("web", "worker", "worker-pdf", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_app_services_run_the_production_profile(compose):
    for name in ("web", "worker", "worker-pdf", "beat"):
        env = compose["services"][name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert "SECRET_KEY" in env
        assert "MAIL_HOST" in env


def test_dockerfile_installs_from_the_lock_without_dev_tools():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "FROM python:3.12" in dockerfile
    assert "USER app" in dockerfile
    assert "collectstatic" in dockerfile


def test_production_profile_passes_the_deploy_check():
    # Browser tests relax async safety for their own process; production must not.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "roadmaps.example.org",
        "MAIL_HOST": "smtp.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
