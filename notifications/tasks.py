"""Celery tasks of notifications: thin — they take ids (or nothing) and call a service;
the state lives in the digest rows (``notifications.models.Digest``).

Both mail tasks acknowledge late: they are idempotent (a digest is claimed once and sent
only while «claimed», under a row lock), so a redelivery after a lost worker is harmless.
The broker's visibility timeout (2 h, ``CELERY_BROKER_TRANSPORT_OPTIONS``) stays above
their hard limits and above the longest pause between two attempts of a digest (1 h).
"""

from celery import shared_task


@shared_task(
    name="notifications.tasks.send_reminders",  # queue "mail" (CELERY_TASK_ROUTES)
    acks_late=True,
    soft_time_limit=10 * 60,
    time_limit=12 * 60,
)
def send_reminders() -> dict:
    """The hourly run: each region's digests once its people's hour has come."""
    from .services import reminders_run

    return reminders_run().as_dict()


@shared_task(
    bind=True,
    name="notifications.tasks.send_digest",  # queue "mail"
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    max_retries=None,  # the digest row counts attempts (MAX_SEND_ATTEMPTS)
)
def send_digest(self, digest_id: int) -> str | None:
    """One digest's e-mail; on a mail server failure, again after the recorded pause."""
    from .services import digest_send

    outcome = digest_send(int(digest_id))
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state


@shared_task(
    name="notifications.tasks.cleanup_notifications",  # queue "default"
    soft_time_limit=240,
    time_limit=300,
)
def cleanup_notifications() -> dict:
    from .services import notifications_cleanup

    return notifications_cleanup()
