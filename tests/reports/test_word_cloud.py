"""A word cloud as a file: a picture that stands on its own (question, respondents,
colours, a text equivalent), the same for the same counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from podium import i18n
from podium.domain.cloud_layout import HEIGHT, MAX_WORDS, WIDTH, estimated_width
from podium.domain.questions import Kind
from podium.domain.tally import WordCount, WordsResult
from podium.reports.templating import TONE_COLOURS
from podium.reports.word_cloud import HEADER, final_layout, title_line, word_cloud_svg

SVG = "{http://www.w3.org/2000/svg}"
COUNTS = [("Homeoffice", 30), ("Digitalisierung", 22), ("Videoberatung", 15), ("E-Akte", 9)]


def result(counts: list[tuple[str, int]], respondents: int = 57) -> WordsResult:
    words = tuple(WordCount(w, c, (w, w.lower()), w.casefold()) for w, c in counts)
    return WordsResult(Kind.WORDS, respondents, words)


@pytest.fixture(params=["de", "en"])
def lang(request: pytest.FixtureRequest):
    token = i18n.current_lang.set(request.param)
    yield request.param
    i18n.current_lang.reset(token)


def drawn(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg.encode())
    return {t.text or "": t for t in root.iter(f"{SVG}text") if t.get("data-step")}


def test_the_file_names_the_question_every_word_and_the_respondents(lang: str) -> None:
    svg = word_cloud_svg("Drei Stichworte zum Jobcenter", result(COUNTS))
    root = ET.fromstring(svg.encode())  # well-formed XML, or this raises
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title").text
    desc = root.find(f"{SVG}desc").text
    assert title.endswith(": Drei Stichworte zum Jobcenter")
    assert "Homeoffice: 30; Digitalisierung: 22; Videoberatung: 15; E-Akte: 9" in desc
    assert ("57 respondents" if lang == "en" else "57 Personen") in desc
    assert set(drawn(svg)) == {"Homeoffice", "Digitalisierung", "Videoberatung", "E-Akte"}
    # the largest step for the most frequent word, smaller ones after
    steps = {word: int(t.get("data-step")) for word, t in drawn(svg).items()}
    assert steps["Homeoffice"] == 6 and steps["E-Akte"] < steps["Videoberatung"] < 6


def test_words_are_escaped_not_markup() -> None:
    svg = word_cloud_svg("<script>", result([("<b>&Co", 3), ('"Zitat"', 2)]))
    assert "<script>" not in svg and "<b>" not in svg
    assert set(drawn(svg)) == {"<b>&Co", '"Zitat"'}


def test_the_same_counts_give_the_same_picture_with_the_largest_word_in_the_middle() -> None:
    first = word_cloud_svg("Frage", result(COUNTS))
    assert word_cloud_svg("Frage", result(list(COUNTS))) == first
    top = final_layout(result(COUNTS))[0]
    assert top.word == "Homeoffice"
    centre_x, centre_y = top.x + top.width / 2, top.y - top.size * 0.28
    assert abs(centre_x - WIDTH / 2) < 60 and abs(centre_y - HEIGHT / 2) < 60


def test_every_word_is_inside_the_picture_and_none_overlap() -> None:
    counts = [(f"Stichwort{i}", 50 - i) for i in range(30)]
    placed = final_layout(result(counts))
    for word in placed:
        left, top, right, bottom = word.box
        assert left >= 0 and top >= 0 and right <= WIDTH and bottom <= HEIGHT
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            overlap = (
                a.box[0] < b.box[2]
                and b.box[0] < a.box[2]
                and a.box[1] < b.box[3]
                and b.box[1] < a.box[3]
            )
            assert not overlap, (a.word, b.word)


def test_a_cloud_with_more_words_than_drawn_says_so(lang: str) -> None:
    counts = [(f"Wort{i}", 100 - i) for i in range(MAX_WORDS + 5)]
    svg = word_cloud_svg("Viele", result(counts))
    assert len(drawn(svg)) <= MAX_WORDS
    expected = "of 45 words drawn" if lang == "en" else "von 45 Wörtern gezeichnet"
    assert expected in svg
    assert "Wort44: 56" in svg  # the description still names every word


def contrast(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)  # against white


def test_colours_are_readable_on_white() -> None:
    assert all(contrast(tone) >= 3.0 for tone in TONE_COLOURS)
    root = ET.fromstring(word_cloud_svg("Frage", result(COUNTS)).encode())
    fills = {t.get("fill") for t in root.iter(f"{SVG}text") if not t.get("data-step")}
    assert fills and all(contrast(fill) >= 4.5 for fill in fills)  # question and note
    assert root.find(f"{SVG}rect").get("fill") == "#ffffff"


def test_a_long_question_gets_smaller_type_and_then_an_ellipsis() -> None:
    assert title_line("Kurz").size == 30.0
    long = "Welche drei Stichworte fallen Ihnen zum Jobcenter nach der Pandemie ein, " * 3
    line = title_line(long)
    assert line.text.endswith(" …") and line.size == 18.0
    assert estimated_width(line.text, line.size) <= WIDTH - 48
    assert long.startswith(line.text[:-2])


def test_an_empty_cloud_is_still_a_picture() -> None:
    svg = word_cloud_svg("Noch leer", result([], respondents=0))
    assert drawn(svg) == {}
    assert ET.fromstring(svg.encode()).find(f"{SVG}title").text.endswith("Noch leer")
    assert int(ET.fromstring(svg.encode()).get("height")) > HEADER + HEIGHT
