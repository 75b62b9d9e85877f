"""Scoped querysets of the notifications app.

A person's notifications, digests and preferences are theirs alone: every verb reaches
exactly their own rows — superusers included (the admin lists digests for operators
through its own queryset). A municipality's reminder settings hang on the tenant tree:
whoever reaches the municipality with the verb (``notifications.view_remindersettings``,
``notifications.change_remindersettings``, see ``schools.roles``) sees or changes them.
"""

from __future__ import annotations

from schools.access import ScopedQuerySet


class PersonalQuerySet(ScopedQuerySet):
    """Rows that belong to one person (``person``)."""

    def for_user(self, user, action: str = "view"):
        if (
            user is None
            or not getattr(user, "is_authenticated", False)
            or not user.is_active
            or user.pk is None
        ):
            return self.none()
        return self.filter(person_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)


class ReminderSettingsQuerySet(ScopedQuerySet):
    region_path = "municipality__region_id"
    municipality_path = "municipality_id"
    organisation_path = None
