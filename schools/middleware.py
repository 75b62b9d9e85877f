"""Session idle timeout: a session unused for SESSION_IDLE_TIMEOUT seconds ends."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

_KEY = "last_activity"


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "Сеанс завершён после долгого бездействия. Войдите снова.")
            else:
                request.session[_KEY] = now
        return self.get_response(request)
