"""The Celery application; tasks live in each app's ``tasks.py``.

Queues: "default" (housekeeping), "imports" (parsing uploads), "pdf" (reports), "mail"
(digests and reminders); routes, limits and acknowledgement are in settings (CELERY_*).
Tasks are thin: they take ids, and their state lives in job rows (``core.jobs``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("roadmaps_edu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
