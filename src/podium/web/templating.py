"""Jinja2 with autoescaping, gettext in the request's language, and helpers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_datetime, get_timezone
from babel.numbers import format_decimal
from fastapi.templating import Jinja2Templates
from jinja2 import Environment

from podium import i18n
from podium.domain.codes import format_join_code, slugify
from podium.domain.contributions import queue_order
from podium.reports.templating import new_environment
from podium.web.contribution_frames import queue_revision, revision
from podium.web.messages import kind_name
from podium.web.static_files import static_url

TEMPLATES = Path(__file__).with_name("templates")


# Events happen where their audience is: German public bodies. A per-event zone can follow.
DISPLAY_ZONE = get_timezone("Europe/Berlin")


def _date(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite returns stored UTC times without their zone
        value = value.replace(tzinfo=UTC)
    return format_datetime(value, fmt, tzinfo=DISPLAY_ZONE, locale=i18n.locale())


def _number(value: float, digits: int = 1) -> str:
    return format_decimal(round(value, digits), locale=i18n.locale())


def make_environment() -> Environment:
    env = new_environment(TEMPLATES)  # with the charts, shared with the exports
    env.filters["join_code"] = format_join_code
    env.filters["date"] = _date
    env.filters["number"] = _number
    env.filters["slug"] = slugify
    env.globals["languages"] = i18n.LANGUAGE_NAMES
    env.globals["kind_name"] = kind_name
    env.globals["static"] = static_url
    env.globals["revision"] = revision
    env.globals["queue_revision"] = queue_revision
    env.globals["queue_order"] = queue_order
    env.globals["new_answer_id"] = lambda: str(uuid.uuid4())
    env.globals["current_lang"] = lambda: i18n.current_lang.get()
    return env


def make_templates() -> Jinja2Templates:
    return Jinja2Templates(env=make_environment())


def render_fragment(env: Environment, name: str, **context: Any) -> str:
    """A partial rendered outside a request (live frames): language from i18n.current_lang."""
    return env.get_template(name).render(**context)
