"""Which measures are «sign the agreements» measures. Pure Python.

The samples word them in many ways: «Подписание партнерских соглашений между сетевым
лидером и ТМС…» (Новокубанский ЦРО, 1.4 and 1.7), «Заключение партнерских договоров
(договоров о сотрудничестве)…», «Утверждение списка сетевого партнерства…» and
«Организация сетевого взаимодействия школ…» with the expected result «Договор о сетевом
взаимодействии» (Пономаревский район, 6 and 22). A measure is one when its text or its
expected result speaks of agreements or contracts, or its text of network partnership;
an agreement linked to a measure makes it one whatever its words (``selectors``).
"""

from __future__ import annotations

import re

# Agreements or contracts named in the text or the expected result; «сетевое
# партнёрство» in the text. «Сетевое взаимодействие» alone is a way of working, not a
# document (a seminar «в рамках сетевого взаимодействия» is no such measure).
SIGNING = re.compile(r"соглашени|договор")
PARTNERSHIP = re.compile(r"сетев\w*\s+партнерств")
# Case-proof substrings for the database's first cut (SQLite's LIKE folds ASCII only, so
# the capital first letter is left out); ``is_signing_measure`` decides.
DATABASE_HINTS = ("оглашени", "оговор", "артн")


def _normal(text: str) -> str:
    return " ".join((text or "").lower().replace("ё", "е").split())


def is_signing_measure(title: str, result: str = "") -> bool:
    title = _normal(title)
    return bool(
        SIGNING.search(title) or PARTNERSHIP.search(title) or SIGNING.search(_normal(result))
    )
