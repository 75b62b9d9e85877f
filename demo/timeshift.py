"""The demo's clock: its people act in the past, each step at its moment."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


@contextmanager
def as_of(moment: datetime.datetime) -> Iterator[None]:
    """Run the code inside as if it were ``moment``: only ``timezone.now`` (what services,
    history and ``auto_now`` fields read) is shifted, and only for the demo's own steps."""
    with mock.patch.object(timezone, "now", return_value=moment.astimezone(datetime.UTC)):
        yield
