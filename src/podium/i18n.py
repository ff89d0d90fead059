"""Languages: German first, English too. Catalogs are gettext .po files read at start."""

from __future__ import annotations

import io
import re
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("de", "en")
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANG_COOKIE = "podium_lang"

current_lang: ContextVar[str] = ContextVar("podium_lang", default="de")


@cache
def translations(lang: str) -> NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str, **params: Any) -> str:
    text = translations(current_lang.get()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    text = translations(current_lang.get()).ngettext(singular, plural, n)
    params.setdefault("num", n)
    return text % params


# One language range of an Accept-Language header (RFC 9110, 12.5.4): a tag or "*",
# then parameters, of which only q counts; spaces are allowed around ";" and "=".
_RANGE = re.compile(r"^(\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")


def accepted(header: str | None) -> tuple[list[str], set[str]]:
    """The header's language tags, most wanted first, and the ones it refuses (q=0).

    Babel picks a locale from a list of wishes but does not read the header itself
    (werkzeug, which does, is not a dependency): this is only the parsing. Equal
    weights keep the header's order (the sort is stable); a range with a malformed
    tag or q value (not 0 to 1) is ignored, as RFC 9110 asks of what cannot be read.
    """
    weighted: list[tuple[float, str]] = []
    refused: set[str] = set()
    for part in (header or "").split(","):
        tag, *params = (piece.strip() for piece in part.split(";"))
        if not _RANGE.match(tag):
            continue
        weight: float | None = 1.0
        for param in params:
            name, _eq, value = (piece.strip() for piece in param.partition("="))
            if name.lower() == "q":
                weight = _weight(value)
        if weight is None:
            continue
        if weight == 0:
            refused.add(tag.lower())
        else:
            weighted.append((weight, tag))
    weighted.sort(key=lambda item: -item[0])
    return [tag for _weight, tag in weighted], refused


def _weight(value: str) -> float | None:
    try:
        weight = float(value)
    except ValueError:
        return None
    return weight if 0 <= weight <= 1 else None


def negotiate(accept_language: str | None, cookie: str | None, default: str) -> str:
    """The request's language, decided here for every path (pages, API, hot path,
    streams): the user's choice (cookie) wins, then the browser's list, then the
    default, unless the browser refuses it (q=0) and accepts another one."""
    if cookie in LANGUAGES:
        return cookie
    wanted, refused = accepted(accept_language)
    chosen = negotiate_locale(wanted, LANGUAGES, sep="-")
    if chosen is not None:
        return chosen.split("-")[0].lower()
    default = default if default in LANGUAGES else LANGUAGES[0]
    if default in refused:
        return next((lang for lang in LANGUAGES if lang not in refused), default)
    return default


def locale() -> Locale:
    return Locale.parse(current_lang.get())
