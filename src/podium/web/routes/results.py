"""The organiser's results page: every question's chart and its numbers as a table,
the files to download, the event's report (PDF, XLSX, CSV in a ZIP), and the
results published under a secret link (web/routes/public_results.py)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from starlette.responses import Response

from podium.domain.contributions import report_order
from podium.domain.errors import InvalidAnswer
from podium.domain.publication import Publication
from podium.domain.tally import WordsResult
from podium.reports.word_cloud import final_layout
from podium.services import contributions, publication
from podium.services.results import event_results
from podium.web.auth import checked_form, require_moderator, require_organiser_of
from podium.web.deps import RowId, render, runtime
from podium.web.downloads import result_file
from podium.web.report_download import FALSE, report_options, report_response
from podium.web.routes.organiser_forms import see_other

router = APIRouter(include_in_schema=False)


@router.get("/admin/events/{event_id}/results")
async def results_page(request: Request, event_id: RowId) -> Response:
    await require_moderator(request, event_id)
    results = await event_results(runtime(request), event_id)
    rows = [(row.question, row.result) for row in results.questions]
    # the final counts' layout: the same picture as the SVG download
    clouds = {
        q.id: await asyncio.to_thread(final_layout, result)
        for q, result in rows
        if isinstance(result, WordsResult)
    }
    items = report_order(await contributions.all_items(runtime(request), event_id))
    published = await publication.publication(runtime(request), event_id)
    return render(
        request,
        "results/event.html",
        event=results.event,
        rows=rows,
        clouds=clouds,
        contributions=items,
        published=published,
    )


@router.get("/admin/events/{event_id}/results/{question_id}/{name}")
async def result_file_page(
    request: Request, event_id: RowId, question_id: RowId, name: str
) -> Response:
    """A word cloud's picture (cloud.svg) or its words (words.csv, words.xlsx)."""
    await require_moderator(request, event_id)
    return await result_file(runtime(request), event_id, question_id, name)


@router.get("/admin/events/{event_id}/report.{fmt}")
async def report_link(request: Request, event_id: RowId, fmt: str) -> Response:
    """The report with the options in the query (none: everything, the event's language)."""
    await require_moderator(request, event_id)
    params = request.query_params
    return await report_response(
        request, event_id, fmt, report_options(params, params.getlist("questions"))
    )


@router.post("/admin/events/{event_id}/report")
async def report_form(request: Request, event_id: RowId) -> Response:
    """The results page's report form: the options, the cover note and the format."""
    await require_moderator(request, event_id)
    form = await request.form()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    questions = [q for q in form.getlist("questions") if isinstance(q, str)]
    fmt = params.get("format", "pdf")
    return await report_response(request, event_id, fmt, report_options(params, questions))


@router.post("/admin/events/{event_id}/publication")
async def publish_results(request: Request, event_id: RowId) -> Response:
    """Publish the results with the form's options, under a new link every time."""
    await require_organiser_of(request, event_id)
    form = await checked_form(request)
    chosen = [q for q in (await request.form()).getlist("questions") if isinstance(q, str)]
    try:
        questions = tuple(int(q) for q in chosen)
    except ValueError:
        bad = ", ".join(q for q in chosen if not q.strip().isdigit())
        raise InvalidAnswer("unknown_report_question", ids=bad) from None
    wanted = Publication(
        questions=questions,
        include_texts=form.get("texts", "0").strip().lower() not in FALSE,
        include_contributions=form.get("contributions", "0").strip().lower() not in FALSE,
    )
    await publication.publish(runtime(request), event_id, wanted)
    return see_other(f"/admin/events/{event_id}/results#publish")


@router.post("/admin/events/{event_id}/publication/delete")
async def unpublish_results(request: Request, event_id: RowId) -> Response:
    """Unpublish: the link answers 404 from now on, on every process."""
    await require_organiser_of(request, event_id)
    await checked_form(request)
    await publication.unpublish(runtime(request), event_id)
    return see_other(f"/admin/events/{event_id}/results#publish")
