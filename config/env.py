"""Strict readers of environment variables.

Settings come from the environment; a value that cannot mean anything raises
``ImproperlyConfigured`` at start-up instead of silently falling back.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_site_url(name: str, default: str) -> str:
    """The address people reach the site at (links in e-mails and the calendar feed):
    ``http(s)://host[:port][/prefix]`` without a query or fragment; returned without the
    trailing slash."""
    from urllib.parse import urlsplit

    value = os.environ.get(name, default).strip()
    try:
        parts = urlsplit(value)
        port = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
        or (port is not None and not 0 < port < 65536)
    ):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a site address: use http(s)://host[:port][/prefix]."
        )
    return value.rstrip("/")
