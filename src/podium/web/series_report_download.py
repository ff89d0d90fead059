"""A series' PDF as a download: the comparison read here, the PDF made by the report
worker (another process, as an event's report), sent as an attachment that no shared
cache keeps."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from podium import i18n
from podium.domain.codes import slugify
from podium.domain.errors import InvalidAnswer
from podium.reports.series_pdf import series_pdf
from podium.services.series_results import series_results
from podium.web.deps import runtime
from podium.web.messages import N_
from podium.web.report_download import attachment, file_word, worker


async def series_report_response(request: Request, series_id: int, lang: str | None) -> Response:
    if lang and lang not in i18n.LANGUAGES:
        raise InvalidAnswer("unknown_report_language", languages=", ".join(i18n.LANGUAGES))
    data = await series_results(runtime(request), series_id)
    chosen = lang or data.language
    body = await worker(request).call(series_pdf, data, chosen)
    word = file_word(chosen, N_("comparison"))
    return attachment(body, "application/pdf", f"{slugify(data.title)}-{word}.pdf")
