"""`make run`: a developer's or a demo machine. SQLite unless DATABASE_URL says otherwise."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
