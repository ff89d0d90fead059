"""An event's report as a download, for the results page and the API: the options
read from the query or form, the report made by the report worker (another
process), and the file sent as an attachment that no shared cache keeps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.requests import Request
from starlette.responses import Response

from podium import i18n
from podium.domain.codes import slugify
from podium.domain.errors import InvalidAnswer
from podium.domain.report import Format, ReportOptions, check_cover_note, check_format
from podium.reports.worker import ReportWorker
from podium.services.report_data import report_data
from podium.web.deps import runtime
from podium.web.messages import N_

MEDIA = {
    Format.PDF: "application/pdf",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.ZIP: "application/zip",
}
FALSE = ("0", "false", "no", "off", "")


def report_options(params: Mapping[str, str], questions: Sequence[str]) -> ReportOptions:
    """The organiser's choices: `questions` (repeated ids; none: every question),
    `texts` and `contributions` (0 leaves them out), `cover_note`, `lang`."""
    try:
        chosen = tuple(int(q) for q in questions) if questions else None
    except ValueError:
        bad = ", ".join(q for q in questions if not q.strip().isdigit())
        raise InvalidAnswer("unknown_report_question", ids=bad) from None
    lang = params.get("lang") or None
    if lang is not None and lang not in i18n.LANGUAGES:
        raise InvalidAnswer("unknown_report_language", languages=", ".join(i18n.LANGUAGES))
    return ReportOptions(
        questions=chosen,
        include_texts=params.get("texts", "1").strip().lower() not in FALSE,
        include_contributions=params.get("contributions", "1").strip().lower() not in FALSE,
        cover_note=check_cover_note(params.get("cover_note", "")),
        lang=lang,
    )


def worker(request: Request) -> ReportWorker:
    found: ReportWorker = request.app.state.report_worker
    return found


async def report_response(
    request: Request, event_id: int, fmt: str, options: ReportOptions
) -> Response:
    check_format(fmt)
    data = await report_data(runtime(request), event_id, options)
    body = await worker(request).render(data, fmt)
    word = file_word(options.lang or data.event.language, N_("report"))
    return attachment(body, MEDIA[fmt], f"{data.event.slug}-{word}.{fmt}")


def file_word(lang: str, message: str) -> str:
    """`message` in `lang`, as a file name's ASCII word."""
    token = i18n.current_lang.set(lang)
    try:
        return slugify(i18n.gettext(message))
    finally:
        i18n.current_lang.reset(token)


def attachment(body: bytes, media_type: str, name: str) -> Response:
    """A report file as a download; `name` is ASCII (slugified): no RFC 5987 encoding."""
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            # a report may carry what participants typed: not for shared caches
            "Cache-Control": "private, no-store",
        },
    )
