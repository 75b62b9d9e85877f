"""`make run`: a developer's or a demo machine. SQLite unless DATABASE_URL says otherwise;
Celery on Redis when REDIS_URL (or CELERY_BROKER_URL) is set, else on kombu's filesystem
transport under var/celery/ — `make run` starts a worker beside the server either way,
with no extra service to install."""

import os

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, DEBUG  # noqa: E402

# DEBUG stays off unless DEBUG=1 is set: a demo shows the product's Russian 404/403/500
# pages, not Django's technical ones (tracebacks still go to the console log). Static files
# come from WhiteNoise either way: straight from the finders (static/ and the apps), with
# no collectstatic, re-read on every request so that edits show at once.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

if not (os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL")):
    _CELERY_DIR = BASE_DIR / "var" / "celery"
    for _folder in ("queue", "processed", "control"):
        (_CELERY_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_CELERY_DIR / "queue"),
        "data_folder_out": str(_CELERY_DIR / "queue"),
        "processed_folder": str(_CELERY_DIR / "processed"),
        "control_folder": str(_CELERY_DIR / "control"),
        "store_processed": False,
    }
