"""Access-matrix rows of the notifications URLs (merged into tests/test_access_matrix.py).

Notifications, preferences and the calendar link are personal: everybody signed in has
their own pages (200), nobody reaches another person's notification — not even the
superuser (404). The targets: "own" is a notification of the home school's deputy, "other"
one of the other region's deputy.

Two addresses work without a login because they carry a secret: the calendar feed (the
deputy's live token: 200 for anybody; a revoked one: 404) and the unsubscribe link of the
e-mails (the deputy's signed token: 200 / 302 for anybody; a tampered one: 400, nothing
written).

A municipality's reminder settings: seen by those who reach the municipality with the
view verb (coordinators, methodologists, heads and administrators of its authority and
centre; the region's coordinator), changed by its municipal coordinator; a visible
municipality without the verb is 403 (school staff, the foreign curator and the two-role
person at home), a hidden one 404.
"""

from tests.conftest import PERSONAS

WRITE_URLS = {
    "notification_read",
    "notifications_read_all",
    "notification_preferences",
    "calendar_link",
    "reminder_settings",
    "unsubscribe",
}


def _codes(default, **overrides):
    result = dict.fromkeys(PERSONAS, default)
    result.update(overrides)
    return result


def _redirect(codes):
    return {persona: 302 if code == 200 else code for persona, code in codes.items()}


def prepare(world) -> None:
    from notifications import services
    from notifications.constants import Kind
    from tests.test_access_matrix import other_person

    deputy = world.user("school_deputy")
    other = other_person(world)
    own = services.notify(
        recipients=[deputy], kind=Kind.MESSAGE, text="Проверьте сроки", url="/my/"
    )[0]
    foreign = services.notify(
        recipients=[other], kind=Kind.MESSAGE, text="Проверьте сроки", url="/my/"
    )[0]
    live = services.calendar_token_issue(person=deputy, acting_user=deputy)
    revoked = services.calendar_token_issue(person=other, acting_user=other).calendar_token
    services.calendar_token_issue(person=other, acting_user=other)
    world._notifications = {
        "notification": {"own": own.pk, "other": foreign.pk},
        "calendar": {"own": live.calendar_token, "other": revoked},
    }


def _notification(world, which):
    return {"pk": world._notifications["notification"][which]}


def _calendar(world, which):
    return {"token": world._notifications["calendar"][which]}


def _unsubscribe(world, which):
    from notifications.mail import unsubscribe_token

    token = unsubscribe_token(world.user("school_deputy"))
    if which == "other":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    return {"token": token}


def _municipality(world, which):
    attr = {"own": "municipality", "neighbour": "neighbour_municipality"}.get(
        which, "other_municipality"
    )
    return {"pk": getattr(world, attr).pk}


SIGNED_IN = _codes(200, anonymous="login")
ANYBODY = _codes(200)
# The deputy's own notification; nobody else's.
READ_OWN = _codes(404, anonymous="login", school_deputy=302)
READ_OTHER = _codes(404, anonymous="login")

# Reminder settings of the home municipality: who sees the municipality (the matrix's
# municipality_detail row) and, of them, who holds the view verb there.
VIEW_OWN = _codes(
    403,
    anonymous="login",
    outsider=404,
    neighbour_coordinator=404,
    partner=404,
    regional_coordinator=200,
    municipal_coordinator=200,
    methodologist=200,
    head=200,
    administrator=200,
    superuser=200,
)
VIEW_NEIGHBOUR = _codes(
    404,
    anonymous="login",
    regional_coordinator=200,
    superuser=200,
    neighbour_coordinator=200,
    partner=200,
    foreign_curator=200,
    two_roles=200,
)
VIEW_OTHER = _codes(404, anonymous="login", superuser=200)
CHANGE_OWN = {
    **{p: (403 if code == 200 else code) for p, code in VIEW_OWN.items()},
    "municipal_coordinator": 302,
    "superuser": 302,
}
CHANGE_NEIGHBOUR = {
    **{p: (403 if code == 200 else code) for p, code in VIEW_NEIGHBOUR.items()},
    "neighbour_coordinator": 302,
    "two_roles": 302,
    "superuser": 302,
}
CHANGE_OTHER = _codes(404, anonymous="login", superuser=302)

PREFERENCES = {"email_enabled": "on", "digest_hour": "9", "kinds": ["due_soon", "overdue"]}
REMINDERS = {"offsets": "10, 3, 1", "grace_days": "5"}


def rows(Row):
    return {
        "notification_list": Row(own=SIGNED_IN),
        "notification_read POST": Row(
            target=_notification, method="post", own=READ_OWN, other=READ_OTHER
        ),
        "notifications_read_all POST": Row(method="post", own=_codes(302, anonymous="login")),
        "notification_preferences": Row(own=SIGNED_IN),
        "notification_preferences POST": Row(
            method="post", data=PREFERENCES, own=_codes(302, anonymous="login")
        ),
        "calendar_link POST": Row(
            method="post", data={"action": "renew"}, own=_codes(302, anonymous="login")
        ),
        "calendar_feed": Row(target=_calendar, own=ANYBODY, other=_codes(404)),
        "unsubscribe": Row(target=_unsubscribe, own=ANYBODY, other=_codes(400)),
        "unsubscribe POST": Row(
            target=_unsubscribe, method="post", own=_codes(302), other=_codes(400)
        ),
        "reminder_settings": Row(
            target=_municipality, own=VIEW_OWN, neighbour=VIEW_NEIGHBOUR, other=VIEW_OTHER
        ),
        "reminder_settings POST": Row(
            target=_municipality,
            method="post",
            data=REMINDERS,
            own=CHANGE_OWN,
            neighbour=CHANGE_NEIGHBOUR,
            other=CHANGE_OTHER,
        ),
    }
