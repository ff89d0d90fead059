"""The API for organisers: the session, events with their questions, results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from podium.services import catalog
from podium.services.access import owned_by
from podium.services.results import event_results
from podium.store.tables import Event, User
from podium.web.api_models import EventOut, EventResultsOut, EventSummary, SessionOut
from podium.web.deps import RowId, current_user, runtime
from podium.web.downloads import CSV, SVG, XLSX, result_file
from podium.web.report_download import MEDIA, report_options, report_response
from podium.web.routes.api_common import errors, organised_event, organiser
from podium.web.routes.api_convert import (
    event_out,
    event_summary,
    question_result_out,
    user_out,
)
from podium.web.security import csrf_token

router = APIRouter()


@router.get("/session", tags=["session"])
async def get_session(request: Request) -> SessionOut:
    """Who is signed in, and the CSRF token for POSTs. Anonymous callers get
    `user: null` and a token to sign in with (`POST /login`, form field `csrf`)."""
    user = await current_user(request)
    return SessionOut(user=None if user is None else user_out(user), csrf_token=csrf_token(request))


@router.get("/events", tags=["organiser"], responses=errors(401, 403))
async def list_events(
    request: Request, user: Annotated[User, Depends(organiser)]
) -> list[EventSummary]:
    """Every event of the caller's organisation (an administrator's: every event):
    dated events by date, then those without a date."""
    events = await catalog.list_events(runtime(request), organisation_id=owned_by(user))
    return [event_summary(e) for e in events]


@router.get("/events/{ref}", tags=["organiser"], responses=errors(401, 403, 404, 422))
async def get_event(
    request: Request, found: Annotated[Event, Depends(organised_event)]
) -> EventOut:
    """One event, by id or slug, with its questions in order."""
    return event_out(found, runtime(request).settings.base_url)


@router.get("/events/{ref}/results", tags=["organiser"], responses=errors(401, 403, 404, 422))
async def get_results(
    request: Request, found: Annotated[Event, Depends(organised_event)]
) -> EventResultsOut:
    """Every question with its results now, counted from the stored answers."""
    data = await event_results(runtime(request), found.id)
    return EventResultsOut(
        event_id=data.event.id,
        slug=data.event.slug,
        title=data.event.title,
        questions=[question_result_out(row.question, row.result) for row in data.questions],
    )


@router.get(
    "/events/{ref}/results/{question_id}/{name}",
    tags=["organiser"],
    response_class=Response,
    responses={
        200: {
            "description": "The file, as an attachment",
            "content": {SVG: {}, CSV: {}, XLSX: {}},
        },
        **errors(401, 403, 404, 422),
    },
)
async def get_result_file(
    request: Request,
    question_id: RowId,
    name: str,
    found: Annotated[Event, Depends(organised_event)],
) -> Response:
    """A word cloud's files: `cloud.svg` (the picture, with a text equivalent),
    `words.csv` (UTF-8 with BOM, `;` in German, `,` in English) or `words.xlsx`; in the
    caller's language, with the moderators' merges and hides applied. 404
    `not_a_word_cloud` for other questions, `unknown_download` for other names."""
    return await result_file(runtime(request), found.id, question_id, name)


@router.get(
    "/events/{ref}/report.{fmt}",
    tags=["organiser"],
    response_class=Response,
    responses={
        200: {
            "description": "The report, as an attachment",
            "content": {media: {} for media in MEDIA.values()},
        },
        **errors(401, 403, 404, 422),
    },
)
async def get_report(
    request: Request,
    fmt: str,
    found: Annotated[Event, Depends(organised_event)],
    questions: Annotated[list[int] | None, Query()] = None,
    texts: bool = True,
    contributions: bool = True,
    cover_note: str = "",
    lang: str | None = None,
) -> Response:
    """The event's report, now (a snapshot while the event runs): `fmt` is `pdf`
    (tagged PDF/UA-1), `xlsx` (one sheet per table) or `zip` (the same tables as CSV
    files: UTF-8 with BOM, `;` in German, `,` in English). `questions` (repeated)
    chooses questions, `texts=false` leaves out open texts, `contributions=false` the
    written contributions; `cover_note` is printed on the PDF's title page; `lang`
    (`de`, `en`) defaults to the event's language. 404 `unknown_report_format`, 422
    `unknown_report_question`, `unknown_report_language`, `cover_note_too_long`."""
    params = {
        "texts": "1" if texts else "0",
        "contributions": "1" if contributions else "0",
        "cover_note": cover_note,
        "lang": lang or "",
    }
    chosen = [str(q) for q in questions] if questions else []
    return await report_response(request, found.id, fmt, report_options(params, chosen))
