"""Mail backends of the tests: a server that is down, one that fails some sends first, files
written slowly."""

import os
import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from notifications.mail_backends import MessageFileBackend


class DownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Refuses the first ``failures`` sends (a class-wide count), then delivers."""

    failures = 1

    def send_messages(self, email_messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(email_messages)


class SlowFileBackend(MessageFileBackend):
    """``MAIL_BACKEND=file`` that waits after writing each letter (``MAIL_SLOW_SECONDS``):
    a process killed in the pause has handed the letter over without recording it — the
    worst moment for exactly-once delivery."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("MAIL_SLOW_SECONDS", "3")))
        return sent
