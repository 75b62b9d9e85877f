"""Settings of the subprocesses that are killed mid-send (tests/notifications/
test_exactly_once.py): ``config.settings.local`` with MAIL_BACKEND=file whose letters are
followed by a pause (``backends.SlowFileBackend``)."""

from config.settings.local import *  # noqa: F403
from config.settings.local import MAILERS

MAILERS["default"]["BACKEND"] = "tests.notifications.backends.SlowFileBackend"
