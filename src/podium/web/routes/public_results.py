"""The published results: a read-only page and its PDF under a secret link.

Nobody signs in here and nothing is remembered of the reader (web/public_page.py
takes the cookies out); the page speaks the language of `?lang=`, else the
reader's browser, else the event's.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from starlette.responses import Response

from podium import i18n
from podium.domain.publication import public_contributions, public_questions
from podium.domain.tally import WordsResult
from podium.reports.word_cloud import final_layout
from podium.services import contributions
from podium.services.publication import Published, published_event
from podium.services.results import event_results
from podium.web.deps import render, runtime, use_event_language
from podium.web.report_download import report_response

router = APIRouter(include_in_schema=False)


def _language(request: Request, event_language: str) -> str:
    asked = request.query_params.get("lang")
    lang = use_event_language(request, event_language)
    if asked in i18n.LANGUAGES and asked != lang:
        request.state.lang = lang = asked
        i18n.current_lang.set(lang)
    return lang


@router.get("/r/{token}")
async def published_page(request: Request, token: str) -> Response:
    rt = runtime(request)
    found: Published = await published_event(rt, token)
    results = await event_results(rt, found.event_id)
    lang = _language(request, results.event.language)
    numbers = {row.question.id: n for n, row in enumerate(results.questions, start=1)}
    shown = set(
        public_questions(
            [(row.question.id, row.question.spec.kind) for row in results.questions],
            found.publication,
        )
    )
    rows = [(row.question, row.result) for row in results.questions if row.question.id in shown]
    clouds = {
        q.id: await asyncio.to_thread(final_layout, result)
        for q, result in rows
        if isinstance(result, WordsResult)
    }
    items = public_contributions(
        await contributions.all_items(rt, found.event_id), found.publication
    )
    response = render(
        request,
        "results/public.html",
        event=results.event,
        rows=rows,
        numbers=numbers,
        clouds=clouds,
        contributions=items,
        with_contributions=found.publication.include_contributions,
        token=token,
    )
    response.headers["content-language"] = lang
    return response


@router.get("/r/{token}/report.pdf")
async def published_report(request: Request, token: str) -> Response:
    rt = runtime(request)
    found = await published_event(rt, token)
    results = await event_results(rt, found.event_id)
    lang = _language(request, results.event.language)
    order = [row.question.id for row in results.questions]
    options = found.publication.report_options(order, lang)
    return await report_response(request, found.event_id, "pdf", options)
