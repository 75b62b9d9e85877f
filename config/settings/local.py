"""`make run`: a developer's or a demo machine. SQLite unless DATABASE_URL says otherwise;
Celery on Redis when REDIS_URL (or CELERY_BROKER_URL) is set, else on kombu's filesystem
transport under var/celery/ — `make run` starts a worker beside the server either way,
with no extra service to install."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
from .base import BASE_DIR  # noqa: E402

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
