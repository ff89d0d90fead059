"""A word cloud as a picture of its own: an SVG file with the question above the
cloud, the number of respondents below it, its colours inside and a text equivalent
that reads out every word with its count.

The live screen keeps its words in place while answers arrive (web/frames.cloud_of).
The results page and the downloads show the final counts, laid out afresh from the
most frequent word outwards (domain/cloud_layout.picture_layout): the same counts
always give the same picture, whichever process draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from podium import i18n
from podium.domain.cloud_layout import MAX_WORDS, WIDTH, Placed, estimated_width, picture_layout
from podium.domain.tally import WordsResult
from podium.reports.templating import environment

HEADER = 72  # room above the cloud for the question
FOOTER = 44  # room below it for the number of respondents
TITLE_SIZES = (30.0, 26.0, 22.0, 18.0)
MARGIN = 24.0


@lru_cache(maxsize=256)
def _layout(words: tuple[tuple[str, str, int], ...]) -> tuple[Placed, ...]:
    return tuple(picture_layout(words))


def final_layout(result: WordsResult) -> tuple[Placed, ...]:
    """The words' places for these counts: most frequent in the centre, as large as
    they all fit. About 50 ms for 40 words (docs/BENCHMARKS.md), more when the first
    sizes tried do not fit: callers on the event loop run it in a thread. Cached,
    since a finished event's counts no longer change and each download asks again."""
    return _layout(tuple((w.key, w.word, w.count) for w in result.words[:MAX_WORDS]))


@dataclass(frozen=True)
class TitleLine:
    text: str
    size: float


def title_line(title: str, width: float = WIDTH - 2 * MARGIN) -> TitleLine:
    """The question on one line: smaller type for a long question, and cut with an
    ellipsis only when even the smallest size is too wide (the full text stays in the
    SVG's <title>)."""
    for size in TITLE_SIZES:
        if estimated_width(title, size) <= width:
            return TitleLine(title, size)
    size = TITLE_SIZES[-1]
    words = title.split()
    while len(words) > 1 and estimated_width(" ".join(words) + " …", size) > width:
        words.pop()
    text = " ".join(words)
    while len(text) > 1 and estimated_width(text + " …", size) > width:
        text = text[:-1]
    return TitleLine(text.rstrip(" ,;:-") + " …", size)


def word_cloud_svg(title: str, result: WordsResult) -> str:
    """The standalone SVG document of one word cloud, in the current language."""
    return (
        environment()
        .get_template("charts/word_cloud_file.svg")
        .render(
            title=title,
            heading=title_line(title),
            result=result,
            cloud=final_layout(result),
            lang=i18n.current_lang.get(),
            header=HEADER,
            footer=FOOTER,
            margin=MARGIN,
        )
    )
