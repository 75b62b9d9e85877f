"""Reads of the notification pages: a person's own rows only (``for_user``), with a number of
queries that does not depend on how many notifications there are."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.urls import reverse

from core.timezones import DEFAULT_TIME_ZONE
from schools.access import member_roles, scope_for
from schools.models import Municipality, Region

from .constants import BELL_LIMIT, KIND_HELP, NOTIFICATIONS_PAGE, Kind
from .models import Notification, NotificationPreference

CHANGE_REMINDERS = "notifications.change_remindersettings"
VIEW_REMINDERS = "notifications.view_remindersettings"


def unread_count(user) -> int:
    """The bell's number: unread notifications, counted up to ``BELL_LIMIT`` + 1 (one
    index-only query)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.for_user(user).unread().order_by()[: BELL_LIMIT + 1].count()


def notification_page(user, *, page: int, unread_only: bool = False) -> Page:
    notifications = Notification.objects.for_user(user).order_by("-created_at", "-pk")
    if unread_only:
        notifications = notifications.unread()
    return Paginator(notifications, NOTIFICATIONS_PAGE).get_page(page)


def notification_for(user, pk: int) -> Notification:
    """One of the person's own notifications (404 for anybody else's)."""
    from schools.access import get_object_for_user

    return get_object_for_user(Notification, user, pk, "change")


def home_zone(user) -> str:
    """The time zone of the person's region (of their first membership): their digest hour
    and their calendar are in it."""
    roles = member_roles(user)
    if roles:
        zone = Region.objects.filter(pk=roles[0][2]).values_list("time_zone", flat=True).first()
        if zone:
            return zone
    return DEFAULT_TIME_ZONE


@dataclass
class KindChoice:
    value: str
    label: str
    help: str


@dataclass
class PreferencesPage:
    preference: NotificationPreference
    time_zone: str
    kinds: list[KindChoice]
    calendar_path: str  # the page makes it absolute with the address the person uses
    municipalities: list[Municipality]


def preferences_page(user) -> PreferencesPage:
    """The person's preferences (defaults when never saved), their calendar address and the
    municipalities whose reminders they set."""
    from .services import preference_of

    preference = preference_of(user)
    calendar_path = ""
    if preference.calendar_token:
        calendar_path = reverse("calendar_feed", kwargs={"token": preference.calendar_token})
    return PreferencesPage(
        preference=preference,
        time_zone=home_zone(user),
        kinds=[KindChoice(kind.value, kind.label, KIND_HELP[kind]) for kind in Kind],
        calendar_path=calendar_path,
        municipalities=reminder_municipalities(user),
    )


def reminder_municipalities(user) -> list[Municipality]:
    """Municipalities whose reminder settings the person may change."""
    scope = scope_for(user, CHANGE_REMINDERS)
    if scope.is_empty:
        return []
    if scope.everything:
        return []  # a superuser reaches them through the municipality pages
    municipalities = Municipality.objects.filter(pk__in=scope.municipalities)
    if scope.regions:
        municipalities = municipalities | Municipality.objects.filter(region_id__in=scope.regions)
    return list(municipalities.order_by("name"))


def may_change_reminders(user, municipality) -> bool:
    return scope_for(user, CHANGE_REMINDERS).contains(
        region_id=municipality.region_id, municipality_id=municipality.pk, organisation_id=None
    )


def may_view_reminders(user, municipality) -> bool:
    return scope_for(user, VIEW_REMINDERS).contains(
        region_id=municipality.region_id, municipality_id=municipality.pk, organisation_id=None
    ) or may_change_reminders(user, municipality)
