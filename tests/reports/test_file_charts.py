"""The report files' charts: standalone SVGs on white whose colours need no
stylesheet, with their summary as title, and drawn by the same bars and columns as
the presenter screen."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from podium.domain.questions import Kind, PercentBase
from podium.domain.tally import ChoiceResult, OptionResult, ScaleResult, ScaleStep
from podium.reports.file_charts import PAINT, Chart, choice_chart, scale_chart, timeline_chart
from podium.services.report_data import Participation, TimeBucket
from podium.web.templating import make_environment

SVG = "{http://www.w3.org/2000/svg}"
CHOICE = ChoiceResult(
    Kind.MULTIPLE,
    50,
    100,
    PercentBase.RESPONDENTS,
    (
        OptionResult(1, "Homeoffice & <Führung>", 12, 24.0, 24),
        OptionResult(2, "Beratung", 14, 28.0, 28),
    ),
)
SCALE = ScaleResult(
    Kind.SCALE, 10, 3.4, tuple(ScaleStep(v, v - 1, 10.0 * v, 10 * v) for v in range(1, 6)), "", ""
)


def contrast(colour: str) -> float:
    """WCAG 2.1's contrast ratio of `colour` on white."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def parsed(chart: Chart) -> ET.Element:
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == chart.alt
    ground = root.find(f"{SVG}rect")
    assert ground is not None and ground.get("fill") == "#ffffff"
    for shape in root.iter():
        if shape.tag in (f"{SVG}rect", f"{SVG}text", f"{SVG}tspan"):
            assert shape.get("fill"), "colours as attributes: a file has no stylesheet"
    return root


def test_file_charts_are_standalone_with_their_summary() -> None:
    bars = parsed(choice_chart(CHOICE))
    texts = "".join(bars.itertext())
    assert "Homeoffice & <Führung>" in texts and "24 %" in texts and "(14)" in texts
    assert "Homeoffice & <Führung>: 24 % (12); Beratung: 28 % (14)" in choice_chart(CHOICE).alt
    columns = parsed(scale_chart(SCALE))
    assert [t.text for t in columns.iter(f"{SVG}text")][:2] == ["0", "1"]
    start = datetime(2021, 2, 2, 9, 0, tzinfo=UTC)
    width = timedelta(minutes=5)
    timeline = timeline_chart(
        Participation(9, 9, width, (TimeBucket(start, 4), TimeBucket(start + width, 5)))
    )
    parsed(timeline)
    assert "10:00: 4; 10:05: 5" in timeline.alt  # Berlin time, as the audience read it


def test_text_in_the_charts_reads_at_4_5_to_1_at_least() -> None:
    for name in ("ink", "muted", "fill"):
        assert contrast(PAINT[name]) >= 4.5, name


def test_the_presenter_screen_and_the_file_draw_the_same_bars_and_columns() -> None:
    env = make_environment()

    def shapes(svg: str) -> list[tuple[str, ...]]:
        return re.findall(
            r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg
        )

    page = env.get_template("partials/chart_choice.html").render(
        result=CHOICE, big=True, kind="multiple"
    )
    assert shapes(page) and shapes(page) == shapes(choice_chart(CHOICE).svg)
    page = env.get_template("partials/chart_scale.html").render(
        result=SCALE, big=True, kind="scale"
    )
    assert shapes(page) and shapes(page) == shapes(scale_chart(SCALE).svg)
