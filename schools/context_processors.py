"""Navigation facts for the base template: which menu items the person has."""

from . import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_admin": user.is_staff,
        "nav_can_import": access.has_verb(user, "schools.import_directory"),
    }
