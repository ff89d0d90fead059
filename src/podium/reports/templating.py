"""The templates' environment: Jinja2 with autoescaping (the same escaping is right
for SVG and HTML), gettext in the current language, and the charts' constants. The
web pages build theirs on it (web/templating.py), so that pages and exports include
the same charts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from podium import i18n
from podium.domain.cloud_layout import HEIGHT, WIDTH

TEMPLATES = Path(__file__).with_name("templates")
# The word cloud's three tones, each at least 3:1 on white (bold text of 16 units and
# more is large text in WCAG's sense); the CSS of the pages uses the same.
TONE_COLOURS = ("#0b5cad", "#1a1d21", "#6b2c91")


def new_environment(*folders: Path) -> Environment:
    """An environment over `folders` first, then the charts (templates/charts/)."""
    env = Environment(
        loader=FileSystemLoader([*folders, TEMPLATES]),
        autoescape=select_autoescape(default=True, default_for_string=True),
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
