"""The pages: the bell, the list, marking read, preferences, the unsubscribe link, a
municipality's reminder settings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.constants import Kind
from notifications.mail import unsubscribe_token
from notifications.models import Notification, NotificationPreference, ReminderSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(world):
    return world.user("school_deputy")


def test_the_bell_shows_the_unread_count_with_one_query(client, deputy):
    for n in range(3):
        services.notify(recipients=[deputy], kind=Kind.MESSAGE, text=f"Сообщение {n}", url="/my/")
    client.force_login(deputy)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("home")).content.decode()
    bell = [q["sql"] for q in captured.captured_queries if "notifications_notification" in q["sql"]]
    assert len(bell) == 1
    assert 'aria-label="Уведомления, непрочитанных: 3"' in html
    assert '<span class="badge rounded-pill text-bg-danger">3</span>' in html


def test_the_bell_stops_at_99(client, deputy):
    Notification.objects.bulk_create(
        Notification(
            person=deputy, kind=Kind.MESSAGE, text="Сообщение", created_at="2026-01-01T00:00Z"
        )
        for _ in range(120)
    )
    client.force_login(deputy)
    assert (
        '<span class="badge rounded-pill text-bg-danger">99+</span>'
        in client.get(reverse("home")).content.decode()
    )


def test_a_fragment_does_not_count(client, deputy):
    (note,) = services.notify(recipients=[deputy], kind=Kind.MESSAGE, text="Сообщение", url="/my/")
    client.force_login(deputy)
    response = client.post(
        reverse("notification_read", kwargs={"pk": note.pk}), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="notification-{note.pk}"' in html
    # The bell of the page is swapped out of band with the new count (none left).
    assert 'id="bell" href="/notifications/" hx-swap-oob="true"' in html
    assert "text-bg-danger" not in html
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_list_shows_only_one_s_own(client, world, deputy):
    services.notify(recipients=[deputy], kind=Kind.MESSAGE, text="Для заместителя", url="/my/")
    services.notify(
        recipients=[world.user("school_director")],
        kind=Kind.MESSAGE,
        text="Для директора",
        url="/my/",
    )
    client.force_login(deputy)
    html = client.get(reverse("notification_list")).content.decode()
    assert "Для заместителя" in html
    assert "Для директора" not in html
    assert 'href="/my/"' in html


def test_mark_read_without_htmx_and_all_read(client, deputy):
    first, second = (
        services.notify(recipients=[deputy], kind=Kind.MESSAGE, text=t, url="/my/")[0]
        for t in ("Первое", "Второе")
    )
    client.force_login(deputy)
    response = client.post(
        reverse("notification_read", kwargs={"pk": first.pk}),
        {"next": "/notifications/?show=unread"},
    )
    assert response.status_code == 302
    assert response.url == "/notifications/?show=unread"
    html = client.get(reverse("notification_list"), {"show": "unread"}).content.decode()
    assert "Второе" in html
    assert "Первое" not in html
    response = client.post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(person=deputy, read_at__isnull=True).exists()
    html = client.get(reverse("notification_list"), {"show": "unread"}).content.decode()
    assert "Непрочитанных уведомлений нет." in html


def test_mark_read_needs_a_post(client, deputy):
    (note,) = services.notify(recipients=[deputy], kind=Kind.MESSAGE, text="Сообщение", url="/my/")
    client.force_login(deputy)
    assert client.get(reverse("notification_read", kwargs={"pk": note.pk})).status_code == 405


def test_preferences_are_saved(client, deputy):
    client.force_login(deputy)
    html = client.get(reverse("notification_preferences")).content.decode()
    assert "Europe/Moscow" in html
    assert 'value="8" selected' in html
    response = client.post(
        reverse("notification_preferences"),
        {"digest_hour": "7", "kinds": ["overdue", "returned", "approval"]},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(person=deputy)
    assert preference.email_enabled is False
    assert preference.digest_hour == 7
    # Every kind left unticked is muted, the kinds of other apps' sources included.
    assert preference.muted_kinds == sorted(set(Kind.values) - {"overdue", "returned", "approval"})
    assert {"due_soon", "escalation", "message", "waiting"} <= set(preference.muted_kinds)


@pytest.mark.parametrize("hour", ["24", "-1", "восемь", ""])
def test_a_wrong_hour_is_a_form_error(client, deputy, hour):
    client.force_login(deputy)
    response = client.post(reverse("notification_preferences"), {"digest_hour": hour})
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode() or "Обязательное поле" in (
        response.content.decode()
    )
    assert not NotificationPreference.objects.exists()


def test_unsubscribe_asks_then_switches_e_mail_off(deputy):
    client = Client(enforce_csrf_checks=True)
    url = reverse("unsubscribe", kwargs={"token": unsubscribe_token(deputy)})
    page = client.get(url)
    assert page.status_code == 200
    assert "Отключить письма" in page.content.decode()
    assert not NotificationPreference.objects.exists()  # opening the link changes nothing
    # A mail client's one-click POST (RFC 8058) carries no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(person=deputy).email_enabled is False
    assert "Письма отключены" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("xy" if not t.endswith("xy") else "zz"),
        lambda t: t.replace(":", "", 1),
        lambda t: "eyJwIjoxfQ:1abc:forged",
        lambda t: "a" * 300,
    ],
)
def test_a_tampered_unsubscribe_link_is_a_clear_page(client, deputy, tamper):
    url = reverse("unsubscribe", kwargs={"token": tamper(unsubscribe_token(deputy))})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "Ссылка для отписки не работает" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_unsubscribe_link_of_another_site_does_not_work(deputy, settings):
    token = unsubscribe_token(deputy)
    settings.SECRET_KEY = "another-site-" + "x" * 50
    assert Client().get(reverse("unsubscribe", kwargs={"token": token})).status_code == 400


def test_the_coordinator_sets_the_municipality_s_reminders(client, world):
    coordinator = world.user("municipal_coordinator")
    client.force_login(coordinator)
    url = reverse("reminder_settings", kwargs={"pk": world.municipality.pk})
    html = client.get(url).content.decode()
    assert 'value="7, 1"' in html
    assert 'value="7"' in html
    response = client.post(url, {"offsets": "1; 14, 3 3", "grace_days": "10"})
    assert response.status_code == 302
    settings = ReminderSettings.objects.get(municipality=world.municipality)
    assert (settings.offsets, settings.grace_days) == ([14, 3, 1], 10)
    assert settings.history.first().history_user == coordinator
    # The coordinator finds the page from their preferences.
    assert url in client.get(reverse("notification_preferences")).content.decode()


@pytest.mark.parametrize(
    ("offsets", "grace", "message"),
    [
        ("", "7", "Обязательное поле"),
        ("7, завтра", "7", "Укажите дни целыми числами"),
        ("61", "7", "Напоминать можно за 0–60 дней"),
        ("1, 2, 3, 4, 5, 6", "7", "Не больше 5 напоминаний"),
        ("7", "0", "больше либо равно 1"),
        ("7", "91", "меньше либо равно 90"),
    ],
)
def test_reminder_settings_refuse_nonsense(client, world, offsets, grace, message):
    client.force_login(world.user("municipal_coordinator"))
    url = reverse("reminder_settings", kwargs={"pk": world.municipality.pk})
    response = client.post(url, {"offsets": offsets, "grace_days": grace})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReminderSettings.objects.exists()


def test_a_methodologist_sees_the_reminders_read_only(client, world):
    client.force_login(world.user("methodologist"))
    html = client.get(
        reverse("reminder_settings", kwargs={"pk": world.municipality.pk})
    ).content.decode()
    assert "Изменить напоминания может муниципальный координатор." in html
    assert " disabled" in html
