"""Languages: German first, English too. Catalogs are gettext .po files read at start."""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
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


def negotiate(accept_language: str | None, cookie: str | None, default: str) -> str:
    """The user's choice (cookie) wins, then the browser's list, then the default."""
    if cookie in LANGUAGES:
        return cookie
    if accept_language:
        weighted: list[tuple[float, str]] = []
        for part in accept_language.split(","):
            tag, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                continue
            weighted.append((weight, tag.split("-")[0].strip().lower()))
        for _weight, lang in sorted(weighted, key=lambda x: -x[0]):
            if lang in LANGUAGES:
                return lang
    return default if default in LANGUAGES else LANGUAGES[0]


def locale() -> Locale:
    return Locale.parse(current_lang.get())
