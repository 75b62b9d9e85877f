"""The menu item of partnerships for the base template (from the facts ``schools.access``
loads once per request: no query of its own)."""

from schools.access import scope_for

from .querysets import VIEW


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_partnerships": not scope_for(user, VIEW).is_empty}
