"""German is the first language: every text of the UI has a German translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from podium import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def source_messages() -> set[str]:
    found: set[str] = set()
    method_map = [
        ("src/podium/**.py", "python"),
        ("src/podium/web/templates/**.html", "jinja2.ext.babel_extract"),
        ("src/podium/reports/templates/**.svg", "jinja2.ext.babel_extract"),
    ]
    options = {
        "src/podium/web/templates/**.html": {"extensions": "jinja2.ext.i18n"},
        "src/podium/reports/templates/**.svg": {"extensions": "jinja2.ext.i18n"},
    }
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def german_catalog():
    with (i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale="de")


def test_every_text_has_a_german_translation() -> None:
    catalog = german_catalog()
    missing = sorted(
        m for m in source_messages() if not (catalog.get(m) and _translated(catalog.get(m)))
    )
    assert not missing, "untranslated (run `make messages`, then translate):\n" + "\n".join(missing)


def _translated(entry) -> bool:
    if entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, tuple | list) else [entry.string]
    return all(s.strip() for s in strings)


def test_translations_keep_their_placeholders() -> None:
    for entry in german_catalog():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if text:
                assert set(PLACEHOLDER.findall(text)) <= wanted | {"num"}, entry.id


def test_language_follows_the_browser_and_the_choice() -> None:
    assert i18n.negotiate("en-GB,en;q=0.9,de;q=0.5", None, "de") == "en"
    assert i18n.negotiate("fr-FR,de;q=0.8", None, "en") == "de"
    assert i18n.negotiate("fr-FR", None, "de") == "de"
    assert i18n.negotiate("en", "de", "de") == "de"  # the user's own choice wins
    assert i18n.negotiate("xx;q=abc", None, "de") == "de"


def test_weights_are_read_as_browsers_send_them() -> None:
    assert i18n.negotiate("de; q=0.9, en;q=0.8", None, "en") == "de"  # spaces are allowed
    assert i18n.negotiate("en ; q = 0.9 , de ; q=0.3", None, "de") == "en"
    assert i18n.negotiate("de;q=0.5, en;q=0.9", None, "de") == "en"  # weight, not order
    assert i18n.negotiate("EN-us", None, "de") == "en"
    assert i18n.negotiate("en;q=2, de;q=0.1", None, "en") == "de"  # q over 1 is unreadable


def test_a_refused_language_is_never_chosen() -> None:
    assert i18n.negotiate("de;q=0, en", None, "de") == "en"
    assert i18n.negotiate("de;q=0", None, "de") == "en"  # not the default either
    assert i18n.negotiate("de;q=0.000, fr", None, "de") == "en"
    assert i18n.negotiate("de;q=0", "de", "de") == "de"  # the user's own choice still wins
