"""Menu items of execution for the base template (from the facts ``schools.access`` loads
once per request: no query of its own)."""

from schools.access import member_organisations, scope_for

from .querysets import MARK, REVIEW, VIEW


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    view = scope_for(user, VIEW)
    return {
        "nav_my_measures": bool(member_organisations(user, MARK)),
        "nav_review": not scope_for(user, REVIEW).is_empty,
        "nav_overview": bool(view.everything or view.regions or view.municipalities),
    }
