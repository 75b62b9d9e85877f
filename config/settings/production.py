"""Production: behind a TLS-terminating proxy, PostgreSQL and Redis required."""

import os

# Letters really leave in production: SMTP unless told otherwise (MAIL_HOST is then required).
os.environ.setdefault("MAIL_BACKEND", "smtp")

from config.env import env_bool, env_int, env_site_url, env_str  # noqa: E402

from .base import *  # noqa: E402,F403
from .base import ALLOWED_HOSTS, REDIS_URL  # noqa: E402

SECRET_KEY = env_str("SECRET_KEY")  # no default: refuse to start without one
DEBUG = False

# One reverse proxy (nginx or the platform's) stands in front of gunicorn.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

STORAGES = {
    **STORAGES,  # noqa: F405 — "private": FileSystemStorage under PRIVATE_ROOT, never served
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}

# Links in e-mails and calendar feeds: SITE_URL, else the first named host over HTTPS.
_named_hosts = [host.lstrip(".") for host in ALLOWED_HOSTS if host not in {"*", ""}]
SITE_URL = env_site_url("SITE_URL", f"https://{_named_hosts[0] if _named_hosts else 'localhost'}")
