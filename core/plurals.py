"""Russian plural forms: «1 организация», «2 организации», «5 организаций».

Templates and code with a fixed noun use gettext's ``ngettext`` (``{% blocktranslate count
%}``) and the project catalog (``locale/ru``), whose Plural-Forms is the same rule. This
module serves the nouns that are data, not msgids: the names of models in the admin."""

from __future__ import annotations

Forms = tuple[str, str, str]


def plural_index(number: int) -> int:
    """0 for 1, 21, 101…; 1 for 2–4, 22–24…; 2 for 0, 5–20, 25–30…, as in the catalog's
    Plural-Forms."""
    number = abs(int(number))
    if number % 10 == 1 and number % 100 != 11:
        return 0
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return 1
    return 2


def plural(number: int, forms: Forms) -> str:
    """The noun in the form that goes with ``number``: forms are (1, 2, 5)."""
    return forms[plural_index(number)]


def count_phrase(number: int, forms: Forms) -> str:
    """«11 организаций»."""
    return f"{number} {plural(number, forms)}"
