"""Session idle timeout: a session unused for SESSION_IDLE_TIMEOUT seconds ends.

The time of the last activity is written at most once a minute: a request within
ACTIVITY_RESOLUTION seconds of the stored value leaves the session untouched, so an
ordinary page view does not rewrite the session row (on SQLite every such write takes the
database's single write lock)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

_KEY = "last_activity"
ACTIVITY_RESOLUTION = 60  # seconds


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_KEY)
            if not isinstance(last, int):
                last = None
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "Сеанс завершён после долгого бездействия. Войдите снова.")
            elif last is None or now - last >= ACTIVITY_RESOLUTION or now < last:
                request.session[_KEY] = now
        return self.get_response(request)
