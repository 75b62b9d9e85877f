"""Path converters. ``<id:pk>`` takes what a primary key can be: 1 to 19 ASCII digits within
the range of a 64-bit integer. A larger number does not match, so the URL answers 404 instead
of sending an overflowing integer to the database."""

from .params import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            # ValueError from a converter means "this pattern does not match" → 404.
            raise ValueError(f"{value} is out of the id range")
        return number

    def to_url(self, value) -> str:
        return str(int(value))
