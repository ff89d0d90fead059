"""Files to download from the results page and the API: a word cloud as an SVG
picture, its words as CSV or XLSX. Made in the request's language, with the
moderators' merges and hides applied (they are in the result already)."""

from __future__ import annotations

import asyncio

from starlette.responses import Response

from podium import i18n
from podium.domain.codes import slugify
from podium.domain.errors import NotFound
from podium.domain.tally import Result, WordsResult
from podium.reports.spreadsheets import xlsx_bytes
from podium.reports.tables import csv_chunks, word_table
from podium.reports.word_cloud import word_cloud_svg
from podium.runtime import Runtime
from podium.services.live_cache import LiveEvent, LiveQuestion
from podium.services.results import live_event, question_result

SVG = "image/svg+xml"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORD_FILES = ("cloud.svg", "words.csv", "words.xlsx")


async def result_file(rt: Runtime, event_id: int, question_id: int, name: str) -> Response:
    """A question's file `name` (one of WORD_FILES), made in a thread: laying out a
    crowded cloud takes long enough to hold up the live event's other requests."""
    event = await live_event(rt, event_id)
    result = question_result(event, question_id)
    return await asyncio.to_thread(
        word_cloud_file, event, event.questions[question_id], result, name
    )


def word_cloud_file(
    event: LiveEvent, question: LiveQuestion, result: Result, name: str
) -> Response:
    """`name` is one of WORD_FILES; anything else is 404 `unknown_download`."""
    if name not in WORD_FILES:
        raise NotFound("unknown_download")
    if not isinstance(result, WordsResult):
        raise NotFound("not_a_word_cloud")
    stem = f"{event.slug}-{slugify(question.title, 40)}"
    if name == "cloud.svg":
        body, media, filename = word_cloud_svg(question.title, result).encode(), SVG, stem
    elif name == "words.csv":
        text = "".join(csv_chunks(word_table(result), i18n.current_lang.get()))
        body, media, filename = text.encode(), CSV, f"{stem}-{slugify(i18n.gettext('Words'))}"
    else:
        body = xlsx_bytes([word_table(result)], title=question.title)
        media, filename = XLSX, f"{stem}-{slugify(i18n.gettext('Words'))}"
    extension = name.rsplit(".", 1)[1]
    return Response(
        body,
        media_type=media,
        headers={
            # slugify keeps file names ASCII: no RFC 5987 encoding needed
            "Content-Disposition": f'attachment; filename="{filename}.{extension}"',
            # results may carry what participants typed: not for shared caches
            "Cache-Control": "private, no-store",
        },
    )
