"""Russian plural forms: the pure rule, the project catalog (and that its compiled .mo
matches the .po), and the template helpers built on them."""

import gettext
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

from core.plurals import count_phrase, plural_index
from core.templatetags.russian import address, admin_add_label, admin_count

CATALOG = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"
ORGANISATION = ("организация", "организации", "организаций")


@pytest.mark.parametrize(
    ("number", "index"),
    [
        (0, 2), (1, 0), (2, 1), (4, 1), (5, 2), (11, 2), (12, 2), (14, 2), (15, 2),
        (21, 0), (22, 1), (25, 2), (101, 0), (111, 2), (112, 2), (122, 1), (1000, 2),
    ],
)  # fmt: skip
def test_plural_index_follows_russian_grammar(number, index):
    assert plural_index(number) == index


def test_count_phrase():
    assert count_phrase(11, ORGANISATION) == "11 организаций"
    assert count_phrase(21, ORGANISATION) == "21 организация"
    assert count_phrase(3, ORGANISATION) == "3 организации"


def _entries(po: Path):
    """(msgid, msgid_plural or None, [msgstr…]) of every entry of a .po file."""
    entries, current, key = [], None, None

    def unquote(text):
        return text.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")

    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if line.startswith("msgid "):
            if current:
                entries.append(current)
            current = {"msgid": unquote(line[6:]), "plural": None, "msgstr": {}}
            key = "msgid"
        elif line.startswith("msgid_plural "):
            current["plural"] = unquote(line[13:])
            key = "plural"
        elif line.startswith("msgstr"):
            index = int(line[7]) if line.startswith("msgstr[") else 0
            current["msgstr"][index] = unquote(line.split(" ", 1)[1])
            key = ("msgstr", index)
        elif line.startswith('"') and current is not None:
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += unquote(line)
            else:
                current[key] += unquote(line)
    if current:
        entries.append(current)
    return [entry for entry in entries if entry["msgid"]]


def test_compiled_catalog_matches_the_po_file():
    entries = _entries(CATALOG / "django.po")
    assert entries, "the catalog is empty"
    with (CATALOG / "django.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    for entry in entries:
        if entry["plural"] is None:
            assert mo.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
            continue
        for number, index in ((1, 0), (3, 1), (5, 2), (21, 0), (12, 2)):
            assert (
                mo.ngettext(entry["msgid"], entry["plural"], number) == (entry["msgstr"][index])
            ), (entry["msgid"], number)


def test_project_catalog_is_active():
    with translation.override("ru"):
        assert translation.gettext("- Select an option -") == "— выберите —"
        assert ngettext("%(count)s раз", "%(count)s раз", 3) % {"count": 3} == "3 раза"
        assert ngettext("%(count)s раз", "%(count)s раз", 5) % {"count": 5} == "5 раз"


@pytest.mark.parametrize(
    ("number", "expected"), [(1, "1 школа"), (3, "3 школы"), (11, "11 школ"), (22, "22 школы")]
)
def test_blocktranslate_count_uses_russian_forms(number, expected):
    template = Template(
        "{% load i18n %}{{ n }} {% blocktranslate count counter=n %}школа"
        "{% plural %}школ{% endblocktranslate %}"
    )
    with translation.override("ru"):
        assert template.render(Context({"n": number})) == expected


def test_admin_count_and_add_label():
    named = SimpleNamespace(name_forms=ORGANISATION, name_accusative="организацию")
    assert admin_count(11, named) == "11 организаций"
    assert admin_count(11, SimpleNamespace()) == "всего: 11"
    assert admin_add_label(named) == "Добавить организацию"
    unnamed = SimpleNamespace(model=SimpleNamespace(_meta=SimpleNamespace(verbose_name="группа")))
    assert admin_add_label(unnamed) == "Добавить: группа"


def test_address_uses_first_name_and_patronymic():
    class Person(SimpleNamespace):
        def get_username(self):
            return self.username

    assert address(Person(first_name="Ольга", middle_name="Петровна", username="o")) == (
        "Ольга Петровна"
    )
    assert address(Person(first_name="Ольга", middle_name="", username="o")) == "Ольга"
    assert address(Person(first_name="", middle_name="Петровна", username="olga")) == "olga"
