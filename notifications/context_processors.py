"""The bell of the base template: the unread count, read only when a page shows it (htmx
fragments and pages without the menu never ask)."""

from django.utils.functional import cached_property

from .constants import BELL_LIMIT


class Bell:
    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        from .selectors import unread_count

        return unread_count(self.user)

    @property
    def label(self) -> str:
        return f"{BELL_LIMIT}+" if self.count > BELL_LIMIT else str(self.count)


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": Bell(user)}
