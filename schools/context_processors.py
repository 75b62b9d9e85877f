"""Navigation facts for the base template: which menu items the person has."""

from django.conf import settings

from . import access


def navigation(request):
    context = {"axes_cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    context.update(
        nav_can_admin=user.is_staff,
        nav_can_import=access.has_verb(user, "schools.import_directory"),
    )
    return context
