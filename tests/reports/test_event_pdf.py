"""The PDF of an event as a reader and a screen reader meet it: the article's
figures in its text, a tagged PDF/UA-1 file (language, title, outline, table header
cells with their scope, every picture with an alternative, only the shipped fonts),
the organiser's options, an event without answers, and hostile text shown as text."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import segno

from podium.demo.seed import ensure_demo
from podium.domain.errors import NotAllowed
from podium.domain.questions import Kind
from podium.domain.report import ReportOptions
from podium.domain.tally import ChoiceResult, ScaleResult, ScaleStep, TextResult
from podium.reports.event_pdf import event_pdf
from podium.runtime import Runtime
from podium.services.report_data import ReportData, report_data
from podium.settings import Settings
from tests.reports.report_event import CONTRIBUTIONS, report_event

pytestmark = pytest.mark.sqlite_only

ARTICLE_QUESTION = "Was waren in den letzten Monaten Ihre drei TOP-Themen"
HOSTILE = (
    "#set page(width: 1pt) $x$ <script>alert(1)</script> =cmd|' /C calc'!A0 "
    "\u202eevil\u202c \x00\x07end"
)
SHOWN = (
    "#set page(width: 1pt)",
    "$x$",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "end",
)


@pytest.fixture
async def rt(settings: Settings) -> Runtime:
    runtime = Runtime(settings.model_copy(update={"organisation": "Bundesagentur für Arbeit"}))
    await runtime.start()
    yield runtime  # type: ignore[misc]
    await runtime.stop()


def text_of(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    # one line per paragraph line; the non-breaking space between number and % as a space
    return done.stdout.decode().replace("\u00a0", " ")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def structure(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every element of the structure tree, depth first."""
    stack: list[Any] = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary) or ("/K" not in node and "/S" not in node):
            continue
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)


def attributes(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    found = element.get("/A")
    if found is None:
        return []
    if isinstance(found, pikepdf.Array):
        return [a for a in found if isinstance(a, pikepdf.Dictionary)]
    return [found]


def outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    with pdf.open_outline() as outline:
        titles: list[str] = []
        stack = list(reversed(outline.root))
        while stack:
            item = stack.pop()
            titles.append(str(item.title))
            stack.extend(reversed(item.children))
        return titles


async def test_the_demo_report_holds_the_articles_figures_and_passes_the_structure_checks(
    rt: Runtime,
) -> None:
    event = await report_event(rt, participants=50)
    data = await report_data(rt, event.event_id, ReportOptions(cover_note="Vielen Dank an alle!"))
    pdf = event_pdf(data)

    text = flat(text_of(pdf))
    assert ARTICLE_QUESTION in text
    for figure in (24, 22, 28, 26):
        assert f"{figure} %" in text
    assert "Beteiligung" in text and "Methode" in text and "Vielen Dank an alle!" in text
    assert "Momentaufnahme" in text, "voting is open: the title page says it is a snapshot"
    assert "Bundesagentur für Arbeit" in text
    for contribution, _panelist, actions, _votes in CONTRIBUTIONS:
        assert (contribution in text) == ("approve" in actions)

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.Root.MarkInfo.Marked is True
        assert str(doc.Root.Lang) == "de"
        with doc.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title", "").startswith("Ergebnisse:")
        assert "/StructTreeRoot" in doc.Root
        elements = list(structure(doc))
        figures = [e for e in elements if e.S == "/Figure"]
        assert len(figures) >= 1 + len(data.questions) - 1  # timeline, charts, cloud
        assert all(str(f.get("/Alt", "")).strip() for f in figures)
        headers = [e for e in elements if e.S == "/TH"]
        assert headers
        assert all(any("/Scope" in a for a in attributes(th)) for th in headers)

        titles = outline_titles(doc)
        for q in data.questions:
            assert any(t.startswith(f"{q.number}. ") for t in titles), q.title

        fonts = set()
        for page in doc.pages:
            for font in page.Resources.get("/Font", {}).values():
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.FontDescriptor
                    assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
                    fonts.add(str(descendant.BaseFont).split("+")[-1])
            for xobject in page.Resources.get("/XObject", {}).values():
                for font in xobject.get("/Resources", {}).get("/Font", {}).values():
                    fonts.add(str(font.BaseFont).split("+")[-1])
        assert fonts and all(f.startswith("DejaVuSans") for f in fonts), fonts


async def test_options_leave_out_texts_and_contributions_and_choose_questions(
    rt: Runtime,
) -> None:
    event = await report_event(rt, participants=12)
    full = await report_data(rt, event.event_id, ReportOptions())
    texts = [q for q in full.questions if isinstance(q.result, TextResult)]
    assert texts and texts[0].result.texts
    a_text = texts[0].result.texts[0]
    a_contribution = CONTRIBUTIONS[0][0]
    everything = flat(text_of(event_pdf(full)))
    assert a_text in everything and a_contribution in everything

    first = event.question_ids[0]
    fewer = await report_data(
        rt,
        event.event_id,
        ReportOptions(questions=(first,), include_texts=False, include_contributions=False),
    )
    shown = flat(text_of(event_pdf(fewer)))
    assert a_text not in shown and a_contribution not in shown
    assert "Freitexte sind in diesem Bericht nicht enthalten." in shown
    assert ARTICLE_QUESTION in shown
    assert "Welche drei Schlagworte" not in shown


async def test_an_event_without_answers_gives_a_short_report(rt: Runtime) -> None:
    info = await ensure_demo(rt)
    data = await report_data(rt, info.event_id, ReportOptions(lang="en"))
    pdf = event_pdf(data)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) <= 5
        assert str(doc.Root.Lang) == "en"
    text = flat(text_of(pdf))
    assert "No answers." in text
    assert "Participation" in text and "Method" in text and "Beteiligung" not in text


def hostile(data: ReportData) -> ReportData:
    """The report with hostile text where participants and organisers write."""
    questions = []
    for q in data.questions:
        result = q.result
        if isinstance(result, ChoiceResult):
            first = replace(result.options[0], label=HOSTILE)
            result = replace(result, options=(first, *result.options[1:]))
        elif isinstance(result, TextResult):
            result = replace(result, texts=(HOSTILE, *result.texts))
        questions.append(replace(q, result=result, title=q.title + " " + HOSTILE))
    contributions = tuple(replace(i, text=HOSTILE) for i in data.contributions)
    return replace(
        data,
        questions=tuple(questions),
        contributions=contributions,
        options=replace(data.options, cover_note=HOSTILE),
        event=replace(data.event, title=HOSTILE, format=HOSTILE),
    )


async def test_markup_formulas_and_control_characters_appear_as_text(rt: Runtime) -> None:
    event = await report_event(rt, participants=8)
    data = hostile(await report_data(rt, event.event_id, ReportOptions(lang="en")))
    pdf = event_pdf(data)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        widths = {round(float(p.mediabox[2])) for p in doc.pages}
        assert widths == {595}, "the page keeps its A4 width"
    text = text_of(pdf)
    for piece in SHOWN:
        assert text.count(piece) >= 3, piece
    assert "\x00" not in text and "\x07" not in text
    assert "evil" in text


async def test_long_words_and_links_stay_on_the_page(rt: Runtime) -> None:
    event = await report_event(rt, participants=6)
    data = await report_data(rt, event.event_id, ReportOptions())
    long = "https://example.org/" + "sehrlangeswortohneumbruch" * 8
    first = data.questions[0]
    assert isinstance(first.result, ChoiceResult)
    options = (replace(first.result.options[0], label=long), *first.result.options[1:])
    data = replace(
        data,
        questions=(replace(first, title=long, result=replace(first.result, options=options)),),
        contributions=tuple(replace(i, text=long) for i in data.contributions),
    )
    pdf = event_pdf(data)
    done = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', done.stdout.decode())]
    page_width, margin = 595.3, 2.2 / 2.54 * 72
    assert right_edges and max(right_edges) <= page_width - margin + 1
    assert long in text_of(pdf).replace("\u200b", "").replace("\n", "")


async def test_an_english_report_has_english_headings(rt: Runtime) -> None:
    event = await report_event(rt, participants=6)
    data = await report_data(rt, event.event_id, ReportOptions(lang="en"))
    scale = ScaleResult(
        Kind.SCALE,
        6,
        3.5,
        tuple(ScaleStep(v, 1 + v % 2, 0.0, 0) for v in range(1, 6)),
        "poor",
        "great",
    )
    data = replace(
        data, questions=(*data.questions, replace(data.questions[0], number=9, result=scale))
    )
    text = flat(text_of(event_pdf(data)))
    assert "Mean: 3.5" in text and "poor" in text and "great" in text
    for heading in ("Results report", "Participation", "Contributions", "Method"):
        assert heading in text
    assert "Respondents per question" in text and "Beteiligung" not in text


@pytest.mark.parametrize("kind", ["png", "svg"])
async def test_the_organisations_logo_heads_the_title_page(
    rt: Runtime, tmp_path: Path, kind: str
) -> None:
    logo = tmp_path / f"logo.{kind}"
    segno.make("Bundesagentur für Arbeit").save(logo, kind=kind, scale=4)
    event = await report_event(rt, participants=5)
    rt.settings.report_logo = str(logo)
    data = await report_data(rt, event.event_id, ReportOptions())
    with pikepdf.open(io.BytesIO(event_pdf(data))) as doc:
        alts = [str(e.get("/Alt", "")) for e in structure(doc) if e.S == "/Figure"]
        assert "Bundesagentur für Arbeit" in alts  # the logo, named for screen readers

    rt.settings.report_logo = str(tmp_path / "missing.png")
    with pytest.raises(NotAllowed) as refused:
        await report_data(rt, event.event_id, ReportOptions())
    assert refused.value.code == "report_logo_unusable"
