"""Security basics: lockouts per username + address, idle sessions, CSP, passwords."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD


def attempt(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def deputy(world):
    return world.user("school_deputy")


def lock_out(client, username, ip, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, username, "wrong-password", ip)


def test_too_many_failures_lock_the_username_from_that_address(client, deputy, settings):
    lock_out(client, deputy.username, "10.0.0.1", settings)
    response = attempt(client, deputy.username, DEFAULT_PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    assert "Слишком много" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_block_colleagues_behind_the_same_nat(client, world, settings):
    lock_out(client, world.user("school_deputy").username, "10.0.0.1", settings)
    response = attempt(client, world.user("school_director").username, DEFAULT_PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_lockout_does_not_block_the_same_person_elsewhere(client, deputy, settings):
    lock_out(client, deputy.username, "10.0.0.1", settings)
    response = attempt(client, deputy.username, DEFAULT_PASSWORD, "10.0.0.2")
    assert response.status_code == 302


def test_lockout_lifts_after_the_cool_off(client, deputy, settings):
    lock_out(client, deputy.username, "10.0.0.1", settings)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - settings.AXES_COOLOFF_TIME * 2
    )
    response = attempt(client, deputy.username, DEFAULT_PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_forwarded_address_is_used_behind_our_proxy(client, deputy, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": deputy.username, "password": "wrong-password"},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR="forged, 203.0.113.7",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_idle_session_ends(client, deputy, settings):
    client.force_login(deputy)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_active_session_stays(client, deputy):
    client.force_login(deputy)
    client.get(reverse("home"))
    assert client.get(reverse("home")).status_code == 200


def test_pages_carry_a_strict_csp_with_a_nonce(client, deputy):
    client.force_login(deputy)
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    # Django adds the nonce to the header only when a template used it; every inline
    # script must carry that nonce, every other script comes from our own static files.
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0] if "'nonce-" in policy else None
    html = response.content.decode()
    assert "<script" in html
    for chunk in html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        if "src=" in tag:
            assert 'src="/static/' in tag
        else:
            assert nonce, f"inline script without the nonce: <script{tag}>"
            assert f'nonce="{nonce}"' in tag
    assert "style=" not in html, "inline style attributes are blocked by the CSP"


def test_login_page_is_not_frameable(client):
    response = client.get(reverse("login"))
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("password", ["12345678901", "password123", "короткий"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_good_password_is_accepted():
    validate_password("Дорожная-карта-2026")
