"""The digest e-mail: its addresses, its unsubscribe token, the message itself.

A digest's Message-ID is derived from its id (``<digest-42@host>``) and its Date from the
moment it was claimed: sending the same digest again — a retry after the mail server
failed, a resend after a worker was killed between the send and the commit — produces the
same message, which a mail server or ``MAIL_BACKEND=file`` recognises as one.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from email.utils import format_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from core.plurals import count_phrase

from .constants import DIGEST_ORDER, Kind

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
NOTIFICATION_FORMS = ("уведомление", "уведомления", "уведомлений")


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute(path: str) -> str:
    """An absolute address of a path of this site (``SITE_URL`` + path)."""
    if not path:
        return settings.SITE_URL + "/"
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


def message_id(digest) -> str:
    return f"<digest-{digest.pk}@{site_host()}>"


# --- Unsubscribe: a signed token, no login ---------------------------------------------------


def unsubscribe_token(person) -> str:
    """A token that turns this person's e-mails off (django.core.signing: tampering with
    it, or a token of another site's secret, is detected)."""
    return signing.dumps({"p": person.pk}, salt=UNSUBSCRIBE_SALT, compress=False)


def person_of_unsubscribe_token(token: str) -> int | None:
    """The id of the person the token was made for, or None for anything else."""
    if not isinstance(token, str) or not 10 < len(token) < 200:
        return None
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    person_id = value.get("p") if isinstance(value, dict) else None
    return person_id if isinstance(person_id, int) and person_id > 0 else None


def unsubscribe_person(token: str):
    """The active person a valid unsubscribe token was made for, or None."""
    from django.contrib.auth import get_user_model

    person_id = person_of_unsubscribe_token(token)
    if person_id is None:
        return None
    return get_user_model()._default_manager.filter(pk=person_id, is_active=True).first()


def unsubscribe_url(person) -> str:
    return absolute(reverse("unsubscribe", kwargs={"token": unsubscribe_token(person)}))


# --- The message ----------------------------------------------------------------------------


@dataclass
class Line:
    kind: str
    label: str
    text: str
    url: str


@dataclass
class PlanGroup:
    title: str
    lines: list[Line] = field(default_factory=list)


QUEUE_GROUP = "Проверка отметок"
OTHER_GROUP = "Прочее"
AGREEMENTS_GROUP = "Сетевое партнёрство"


def _group_of(notification) -> tuple[int, str]:
    """(rank, title) of the group a line goes to: the review queue's count first, then
    the plans by title, lines about no plan last."""
    if notification.plan_title:
        return 1, notification.plan_title
    if notification.kind == Kind.WAITING:
        return 0, QUEUE_GROUP
    if notification.kind == Kind.AGREEMENT_EXPIRING:
        return 2, AGREEMENTS_GROUP
    return 3, OTHER_GROUP


def group_by_plan(notifications) -> list[PlanGroup]:
    """The digest's lines grouped by plan, each group's lines by kind (the worst first)."""
    groups: OrderedDict[tuple[int, str], PlanGroup] = OrderedDict()
    ordered = sorted(
        notifications,
        key=lambda n: (_group_of(n), DIGEST_ORDER.get(n.kind, 99), n.created_at, n.pk),
    )
    for item in ordered:
        key = _group_of(item)
        group = groups.setdefault(key, PlanGroup(key[1]))
        group.lines.append(
            Line(
                item.kind, Kind(item.kind).label, item.text, absolute(item.url) if item.url else ""
            )
        )
    return list(groups.values())


def digest_subject(digest, count: int) -> str:
    return f"Дорожные карты: {count_phrase(count, NOTIFICATION_FORMS)} на {digest.day:%d.%m.%Y}"


def digest_message(digest, notifications) -> EmailMultiAlternatives:
    """The e-mail of a digest (Russian, plain text and HTML), from its notifications."""
    person = digest.person
    groups = group_by_plan(notifications)
    unsubscribe = unsubscribe_url(person)
    context = {
        "person": person,
        "digest": digest,
        "groups": groups,
        "count": len(notifications),
        "count_text": count_phrase(len(notifications), NOTIFICATION_FORMS),
        "covers_days": (digest.day - digest.covers_from).days + 1,
        "site_url": absolute("/"),
        "notifications_url": absolute(reverse("notification_list")),
        "preferences_url": absolute(reverse("notification_preferences")),
        "unsubscribe_url": unsubscribe,
    }
    text = render_to_string("notifications/email/digest.txt", context)
    html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=digest_subject(digest, len(notifications)),
        body=text,
        to=[person.email],
        headers={
            "Message-ID": message_id(digest),
            "Date": format_datetime(digest.created_at),
            "List-Unsubscribe": f"<{unsubscribe}>",
            # RFC 8058: mail clients offer «Отписаться» and POST this to the address.
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
