"""Spreadsheet cells that a spreadsheet program will not run as formulas.

Pure Python (no Django): the exports of schools and roadmaps write the guard, and the
readers of roadmaps/importing may share FORMULA_STARTS to read it back.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """A cell a spreadsheet would run as a formula is prefixed with an apostrophe
    (OWASP CSV injection): = + - @ tab and CR at the start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
