"""Client address for lockouts behind a reverse proxy.

Locks are per username + address. Behind the proxy of docker-compose every request comes
from the proxy, so the address is taken from X-Forwarded-For: the entry added by the
nearest of TRUSTED_PROXY_COUNT proxies we run ourselves (entries further left are
client-supplied and could be forged).
"""

from django.conf import settings


def client_ip(request) -> str | None:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
