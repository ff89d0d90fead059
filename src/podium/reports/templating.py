"""The templates' environment: Jinja2 with autoescaping (the same escaping is right
for SVG and HTML), gettext in the current language, and the charts' constants. The
web pages build theirs on it (web/templating.py), so that pages and exports include
the same charts."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from podium import i18n
from podium.domain.cloud_layout import HEIGHT, WIDTH
from podium.domain.display_text import neutralised

TEMPLATES = Path(__file__).with_name("templates")
# The word cloud's three tones, each at least 3:1 on white (bold text of 16 units and
# more is large text in WCAG's sense); the CSS of the pages uses the same.
TONE_COLOURS = ("#0b5cad", "#1a1d21", "#6b2c91")


def shown(value: Any) -> Any:
    """Jinja's `finalize`: every `{{ ... }}` of every template passes here before it is
    escaped, so that no typed text reaches a page, a live frame or a chart with a bidi
    override or a zero-width character in it (domain/display_text.py decides which).
    Markup stays Markup: the markers hold no character that HTML reads."""
    if not isinstance(value, str):
        return value
    text = neutralised(value)
    if text is value:
        return value
    return Markup(text) if isinstance(value, Markup) else text


def new_environment(*folders: Path) -> Environment:
    """An environment over `folders` first, then the charts (templates/charts/)."""
    env = Environment(
        loader=FileSystemLoader([*folders, TEMPLATES]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=shown,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.globals["cloud_width"], env.globals["cloud_height"] = WIDTH, HEIGHT
    env.globals["cloud_tones"] = TONE_COLOURS
    return env


@cache
def environment() -> Environment:
    return new_environment()
