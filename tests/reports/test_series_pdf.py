"""The series' PDF follows the event report's rules: both events' figures in its text,
tagged PDF/UA-1 with language, title and outline, table headers with their scope, the
small multiples with their alternative, only the shipped fonts."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import pikepdf
import pytest

from podium.domain.questions import Kind, PercentBase
from podium.domain.series_compare import AskedQuestion, compare_series
from podium.domain.tally import ChoiceResult, OptionResult
from podium.reports.series_charts import small_multiples
from podium.reports.series_pdf import series_pdf
from podium.runtime import Runtime
from podium.services.series_results import SeriesEvent, SeriesResults, series_results
from podium.settings import Settings
from tests.reports.test_event_pdf import (
    HOSTILE,
    SHOWN,
    attributes,
    flat,
    outline_titles,
    structure,
    text_of,
)
from tests.services.series_helpers import FOLLOW_UP, OPENING, OUTWARD, demo_series

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
async def rt(settings: Settings) -> Runtime:
    runtime = Runtime(settings.model_copy(update={"organisation": "Bundesagentur für Arbeit"}))
    await runtime.start()
    yield runtime  # type: ignore[misc]
    await runtime.stop()


async def test_the_series_pdf_holds_both_events_and_passes_the_structure_checks(
    rt: Runtime,
) -> None:
    made = await demo_series(rt)
    data = await series_results(rt, made.series_id)
    pdf = series_pdf(data)

    text = flat(text_of(pdf))
    assert "Reihenvergleich" in text and "Methode" in text
    assert "Bundesagentur für Arbeit" in text
    assert "02.02.2021" in text and "27.04.2021" in text
    for label, share in OPENING.items():
        assert f"{label} {share} % ({share}) {FOLLOW_UP[label]} % ({FOLLOW_UP[label]})" in text

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.Root.MarkInfo.Marked is True
        assert str(doc.Root.Lang) == "de"
        with doc.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title", "").startswith("Reihenvergleich:")
        elements = list(structure(doc))
        figures = [e for e in elements if e.S == "/Figure"]
        assert len(figures) == len(data.comparisons) == 1
        alt = str(figures[0].get("/Alt", ""))
        assert "n = 100" in alt and "28 % (28)" in alt and "31 % (31)" in alt
        headers = [e for e in elements if e.S == "/TH"]
        assert headers
        assert all(any("/Scope" in a for a in attributes(th)) for th in headers)
        titles = flat(" ".join(outline_titles(doc)))
        assert OUTWARD in titles and "Methode" in titles
        for page in doc.pages:
            for font in page.Resources.get("/Font", {}).values():
                for descendant in font.get("/DescendantFonts", [font]):
                    assert str(descendant.BaseFont).split("+")[-1].startswith("DejaVuSans")


async def test_a_series_without_compared_questions_gives_a_short_pdf_in_english(
    rt: Runtime,
) -> None:
    made = await demo_series(rt, participants=10)
    data = replace(await series_results(rt, made.series_id), comparisons=())
    pdf = series_pdf(data, "en")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert str(doc.Root.Lang) == "en" and len(doc.pages) <= 3
    text = flat(text_of(pdf))
    assert "No question has a comparison key at two events or more" in text
    assert "Reihenvergleich" not in text


def test_hostile_text_in_a_series_stays_text() -> None:
    """Labels, titles and the series' name appear as typed (less what no font draws),
    never as markup of the PDF or of its chart."""
    moment = datetime(2021, 2, 2, 9, tzinfo=UTC)

    def result(n: int) -> ChoiceResult:
        options = (OptionResult(1, HOSTILE, n, 0.0, 0), OptionResult(2, "Telefon", 0, 0.0, 0))
        return ChoiceResult(Kind.SINGLE, n, n, PercentBase.RESPONDENTS, options)

    asked = [
        AskedQuestion(1, HOSTILE, moment, "k", HOSTILE, result(4)),
        AskedQuestion(2, "Zwei", moment.replace(month=4), "k", "Frage", result(2)),
    ]
    events = (SeriesEvent(1, HOSTILE, moment, "de"), SeriesEvent(2, "Zwei", None, "de"))
    data = SeriesResults(1, HOSTILE, HOSTILE, events, compare_series(asked), "", moment)
    text = flat(text_of(series_pdf(data)))
    for shown in SHOWN:
        assert shown in text
    chart = small_multiples(data.comparisons[0]).svg
    assert "<script>" not in chart and "&lt;script&gt;" in chart
