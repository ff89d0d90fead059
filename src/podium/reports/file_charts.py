"""The charts of the report files: a choice question's bars, a scale's columns and
"answers over time", each a standalone SVG on white with its colours as attributes
and a text alternative. Bars and columns are drawn by the same templates as the web
pages (templates/charts/bars.svg and columns.svg), so that file and page agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_time, get_timezone

from podium import i18n
from podium.domain.tally import ChoiceResult, ScaleResult
from podium.reports.templating import environment
from podium.services.report_data import Participation

# Events happen where their audience is: German public bodies (as web/templating.py).
DISPLAY_ZONE = get_timezone("Europe/Berlin")

# The pages' colours (web/static/css/podium.css): ink 16:1, muted 7.6:1 and the bars'
# fill 6.6:1 on white; the track and the axis are decoration beside the numbers.
PAINT = {
    "ink": "#1a1d21",
    "muted": "#4a5360",
    "fill": "#0b5cad",
    "track": "#e6ebf1",
    "line": "#767f8a",
}


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str  # what a screen reader says instead of the picture


def choice_summary(result: ChoiceResult) -> str:
    """The same words as the pages' aria-label: each option with percent and count."""
    return "; ".join(f"{o.label}: {o.whole_percent} % ({o.count})" for o in result.options)


def scale_summary(result: ScaleResult) -> str:
    return "; ".join(f"{s.value}: {s.count}" for s in result.steps)


def choice_chart(result: ChoiceResult) -> Chart:
    alt = i18n.gettext("Bar chart") + ": " + choice_summary(result)
    svg = (
        environment()
        .get_template("charts/choice_file.svg")
        .render(result=result, summary=alt, paint=PAINT, lang=i18n.current_lang.get())
    )
    return Chart(svg, alt)


def scale_chart(result: ScaleResult) -> Chart:
    alt = i18n.gettext("Column chart, respondents per step") + ": " + scale_summary(result)
    svg = (
        environment()
        .get_template("charts/scale_file.svg")
        .render(result=result, summary=alt, paint=PAINT, lang=i18n.current_lang.get())
    )
    return Chart(svg, alt)


def clock(moment: datetime) -> str:
    """A time of day as the audience read it on their clocks."""
    return format_time(moment, "short", tzinfo=DISPLAY_ZONE, locale=i18n.locale())


@dataclass(frozen=True)
class TimeBar:
    label: str
    end: str
    answers: int


def timeline_chart(participation: Participation) -> Chart:
    bars = [
        TimeBar(clock(b.start), clock(b.start + participation.width), b.answers)
        for b in participation.buckets
    ]
    minutes = int(participation.width.total_seconds() // 60)
    alt = (
        i18n.ngettext(
            "Column chart, answers per %(num)s minute",
            "Column chart, answers per %(num)s minutes",
            minutes,
        )
        + ": "
        + "; ".join(f"{b.label}: {b.answers}" for b in bars)
    )
    svg = (
        environment()
        .get_template("charts/timeline_file.svg")
        .render(
            bars=bars,
            top=max((b.answers for b in bars), default=0),
            summary=alt,
            paint=PAINT,
            lang=i18n.current_lang.get(),
        )
    )
    return Chart(svg, alt)
