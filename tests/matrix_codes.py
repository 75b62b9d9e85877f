"""Helpers of the access matrix's row modules (``tests/*/matrix_rows*.py``): expected
answers per persona."""

from tests.conftest import PERSONAS


def codes(default, **overrides) -> dict:
    """Every persona answered ``default`` but those named."""
    result = dict.fromkeys(PERSONAS, default)
    result.update(overrides)
    return result


def redirected(expected: dict) -> dict:
    """A write's answers: the page's 200 becomes the write's 302."""
    return {persona: 302 if code == 200 else code for persona, code in expected.items()}


def refused_if_visible(expected: dict) -> dict:
    """Those who see the object but may not act get 403; the rest stay as they were."""
    return {persona: 403 if code == 200 else code for persona, code in expected.items()}
