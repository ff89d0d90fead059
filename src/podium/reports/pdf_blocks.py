"""The building blocks of a report's pages, as the Typst template (templates/report/
report.typ) takes them: paragraphs, charts with their text alternatives, tables with
header rows, lists and headed sections; and how times, numbers and percentages read
in the report's language. Shared by the event's PDF and the series comparison's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from podium import i18n
from podium.reports.file_charts import DISPLAY_ZONE, Chart

_ = i18n.gettext
Block = dict[str, Any]


def when(moment: datetime) -> str:
    """A moment as the audience's clocks showed it, to the minute, with its zone."""
    if moment.tzinfo is None:  # SQLite gives stored UTC times back without their zone
        moment = moment.replace(tzinfo=UTC)
    local, locale = moment.astimezone(DISPLAY_ZONE), i18n.locale()
    return _(
        "%(date)s, %(time)s (%(zone)s)",
        date=format_date(local, "long", locale=locale),
        time=format_time(moment, "short", tzinfo=DISPLAY_ZONE, locale=locale),
        zone=format_time(moment, "zzzz", tzinfo=DISPLAY_ZONE, locale=locale),
    )


def number(value: float, digits: int = 1) -> str:
    return format_decimal(round(value, digits), locale=i18n.locale())


def percent(value: int) -> str:
    return f"{value}\u00a0%"  # never "24" at a line's end and "%" on the next


def para_block(text: str, style: str = "") -> Block:
    return {"type": "para", "text": text, "style": style}


def chart_block(chart: Chart) -> Block:
    return {"type": "chart", "svg": chart.svg, "alt": chart.alt}


def table_block(header: list[str], rows: list[list[str]], align: str, widths: list[str]) -> Block:
    """`align` one letter per column: l(eft) or r(ight); `widths` "auto" (as wide as
    the column's content) or "1fr" (a share of the rest)."""
    return {"type": "table", "header": header, "rows": rows, "align": align, "widths": widths}


def list_block(items: list[str]) -> Block:
    return {"type": "list", "items": items}


def section(heading: str, blocks: list[Block], level: int = 1) -> dict[str, Any]:
    return {"heading": heading, "level": level, "blocks": blocks}
