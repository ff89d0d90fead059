"""Mail texts from templates: each mail is a pair, `name.txt` (plain text, no
escaping) and `name.html` (escaped), both in the recipient's language whatever the
language of the request that queued it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from podium import i18n
from podium.reports.templating import shown

TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # The plain-text part must not carry &amp; and friends; the HTML part must.
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=shown,  # typed text with its invisible controls as markers, as on pages
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    return env


@contextmanager
def language(lang: str) -> Iterator[None]:
    """gettext in `lang` inside the block, the caller's language again after it."""
    token = i18n.current_lang.set(lang if lang in i18n.LANGUAGES else i18n.LANGUAGES[0])
    try:
        yield
    finally:
        i18n.current_lang.reset(token)


def render_mail(name: str, lang: str, **context: Any) -> tuple[str, str]:
    """The plain text and the HTML of mail `name` in `lang`."""
    env = environment()
    with language(lang):
        text = env.get_template(f"{name}.txt").render(lang=lang, **context)
        html = env.get_template(f"{name}.html").render(lang=lang, **context)
    return text, html


def translated(lang: str, message: str, **params: Any) -> str:
    """One message (a subject line, say) in `lang`."""
    with language(lang):
        return i18n.gettext(message, **params)
