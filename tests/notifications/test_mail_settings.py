"""Mail settings: MAIL_BACKEND=file writes one file per Message-ID; SITE_URL is parsed
strictly; nonsense refuses to start."""

import email
import email.policy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage

from config.env import env_site_url
from notifications.mail_backends import MessageFileBackend, file_name

ROOT = Path(__file__).resolve().parent.parent.parent


def _settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "SITE_URL"))}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.MAILERS['default']); print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_file_backend_needs_a_folder():
    result = _settings(MAIL_BACKEND="file")
    assert result.returncode != 0
    assert "MAIL_BACKEND=file needs MAIL_FILE_PATH" in result.stderr


def test_file_backend_with_a_folder(tmp_path):
    result = _settings(MAIL_BACKEND="file", MAIL_FILE_PATH=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "notifications.mail_backends.MessageFileBackend" in result.stdout
    assert str(tmp_path) in result.stdout


def test_an_unknown_backend_refuses_to_start():
    result = _settings(MAIL_BACKEND="pigeon")
    assert result.returncode != 0
    assert "MAIL_BACKEND='pigeon'" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://roadmaps.example.org", "https://roadmaps.example.org"),
        ("https://roadmaps.example.org/", "https://roadmaps.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://edu.example.ru/roadmaps/", "https://edu.example.ru/roadmaps"),
    ],
)
def test_site_url_is_read_without_the_trailing_slash(monkeypatch, raw, expected):
    monkeypatch.setenv("SITE_URL", raw)
    assert env_site_url("SITE_URL", "http://x") == expected


@pytest.mark.parametrize(
    "raw",
    [
        "roadmaps.example.org",
        "ftp://roadmaps.example.org",
        "https://",
        "https://roadmaps.example.org/?a=1",
        "https://roadmaps.example.org/#top",
        "https://user:secret@roadmaps.example.org",
        "https://roadmaps.example.org:99999",
        "https://roadmaps.example.org:port",
    ],
)
def test_site_url_refuses_nonsense(monkeypatch, raw):
    monkeypatch.setenv("SITE_URL", raw)
    with pytest.raises(ImproperlyConfigured):
        env_site_url("SITE_URL", "http://x")


def test_production_site_url_defaults_to_the_first_allowed_host():
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "MAIL_BACKEND"}}
    clean.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 60,
        MAIL_HOST="smtp.example.org",
        ALLOWED_HOSTS="roadmaps.example.org,localhost",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://roadmaps.example.org"


def _message(message_id=None, body="Текст"):
    headers = {"Message-ID": message_id} if message_id else {}
    return EmailMessage(
        "Тема", body, "noreply@example.org", ["deputy@example.org"], headers=headers
    )


def test_each_message_is_one_file_named_by_its_message_id(tmp_path):
    backend = MessageFileBackend(alias="default", file_path=str(tmp_path))
    sent = backend.send_messages(
        [_message("<digest-1@roadmaps.example.org>"), _message("<digest-2@roadmaps.example.org>")]
    )
    assert sent == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "digest-1@roadmaps.example.org.eml",
        "digest-2@roadmaps.example.org.eml",
    ]


def test_a_message_sent_again_rewrites_its_own_file(tmp_path):
    backend = MessageFileBackend(alias="default", file_path=str(tmp_path))
    backend.send_messages([_message("<digest-7@roadmaps.example.org>", "Первый раз")])
    MessageFileBackend(alias="default", file_path=str(tmp_path)).send_messages(
        [_message("<digest-7@roadmaps.example.org>", "Второй раз")]
    )
    files = list(tmp_path.iterdir())
    assert [p.name for p in files] == ["digest-7@roadmaps.example.org.eml"]
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed.get_content().strip() == "Второй раз"


def test_messages_without_an_id_get_their_own_files(tmp_path):
    backend = MessageFileBackend(alias="default", file_path=str(tmp_path))
    backend.send_messages([_message(), _message()])
    assert len(list(tmp_path.iterdir())) == 2


@pytest.mark.parametrize(
    ("message_id", "expected"),
    [
        ("<digest-1@host>", "digest-1@host.eml"),
        ("<../../etc/passwd@x>", ".._.._etc_passwd@x.eml"),
        ("<a b/c\\d@x>", "a_b_c_d@x.eml"),
        ("<>", "message.eml"),
    ],
)
def test_file_names_stay_in_the_folder(message_id, expected):
    assert file_name(message_id) == expected
    assert "/" not in file_name(message_id)
