"""``MAIL_BACKEND=file``: every e-mail of the product written as one file, named by its
Message-ID (for demos and checks: ``MAIL_FILE_PATH`` is the folder).

Django's own file backend appends every message of a connection to one log file named by
the time; here each message is its own ``<Message-ID>.eml`` file, written to a temporary
file and renamed into place. A message sent again (a digest resent after a worker died
mid-send keeps its Message-ID, ``notifications.mail.message_id``) rewrites the same file,
so the folder holds exactly the set of distinct messages sent, whatever was retried.
"""

from __future__ import annotations

import os
import re
import tempfile

from django.core.mail.backends.filebased import EmailBackend as DjangoFileBackend

_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]")


def file_name(message_id: str) -> str:
    """A file name for a Message-ID: the id without its angle brackets, every character
    that is not safe in a file name replaced by «_»."""
    core = message_id.strip().strip("<>").strip() or "message"
    return _UNSAFE.sub("_", core)[:200] + ".eml"


class MessageFileBackend(DjangoFileBackend):
    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        sent = 0
        with self._lock:
            for message in email_messages:
                try:
                    self._write(message)
                except Exception:
                    if not self.fail_silently:
                        raise
                else:
                    sent += 1
        return sent

    def _write(self, message) -> str:
        mime = message.message()
        path = os.path.join(self.file_path, file_name(str(mime["Message-ID"])))
        handle, temporary = tempfile.mkstemp(dir=self.file_path, prefix=".sending-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(mime.as_bytes())
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return path
