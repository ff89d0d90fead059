"""A compared question as small multiples: one small bar chart per event, side by side
on one scale (0 to 100 % of respondents), the options' labels once at the left. The
same SVG (templates/charts/series_multiples.svg) is shown on the series' results page
and printed in the series' PDF, with colours as attributes and a text alternative."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime

from babel.dates import format_date

from podium import i18n
from podium.domain.series_compare import Comparison, EventFigures
from podium.reports.file_charts import DISPLAY_ZONE, PAINT, Chart
from podium.reports.templating import environment

LABEL_WIDTH = 340  # units of the label column
LABEL_CHARS = 32  # characters of a label's line at the chart's font size
PANELS_WIDTH = 660  # the panels share this, however many events there are
MIN_PANEL = 150
LINE = 22  # units per line of a label


@dataclass(frozen=True)
class Row:
    lines: tuple[str, ...]
    y: int  # top of the row
    height: int


@dataclass(frozen=True)
class Panel:
    x: int
    width: int
    heading: str  # the event's date (or title when it has none)
    sub: str  # n = ...
    figures: EventFigures


def short_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_date(moment.astimezone(DISPLAY_ZONE), "medium", locale=i18n.locale())


def event_label(figures: EventFigures) -> str:
    """How a chart and a table name an event: its date, else its title."""
    return short_date(figures.starts_at) or figures.event_title


def row_label(comparison: Comparison, row: str) -> str:
    if str(comparison.kind) == "scale":
        return i18n.gettext("Step %(value)s", value=row)
    return row


def summary(comparison: Comparison) -> str:
    """Every figure of the chart in words: what a screen reader says instead."""
    parts = []
    for e in comparison.events:
        shares = []
        for row, share in zip(comparison.rows, e.shares, strict=True):
            label = row_label(comparison, row)
            if share is None:
                shares.append(i18n.gettext("%(option)s: not asked", option=label))
            else:
                shares.append(f"{label}: {share.percent} % ({share.count})")
        when = short_date(e.starts_at)
        name = (
            f"{e.event_title} ({when}, n = {e.respondents})"
            if when
            else (f"{e.event_title} (n = {e.respondents})")
        )
        parts.append(f"{name}: " + "; ".join(shares))
    return (
        i18n.gettext("Small multiples, one bar chart per event, percent of respondents")
        + ". "
        + ". ".join(parts)
    )


def small_multiples(comparison: Comparison) -> Chart:
    rows, y = [], 0
    for row in comparison.rows:
        lines = tuple(textwrap.wrap(row_label(comparison, row), LABEL_CHARS)[:3]) or ("",)
        height = max(48, LINE * len(lines) + 20)
        rows.append(Row(lines, y, height))
        y += height
    count = len(comparison.events)
    width = max(MIN_PANEL, PANELS_WIDTH // max(1, count))
    panels = [
        Panel(
            LABEL_WIDTH + 16 + n * width,
            width,
            event_label(e),
            f"n = {e.respondents}",
            e,
        )
        for n, e in enumerate(comparison.events)
    ]
    alt = summary(comparison)
    svg = (
        environment()
        .get_template("charts/series_multiples.svg")
        .render(
            rows=rows,
            panels=panels,
            body_height=y,
            total_width=LABEL_WIDTH + 16 + width * count,
            summary=alt,
            paint=PAINT,
            lang=i18n.current_lang.get(),
        )
    )
    return Chart(svg, alt)
