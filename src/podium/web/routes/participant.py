"""The participant: join with a code, answer the current question, follow live."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse, RedirectResponse, Response

from podium.domain.codes import normalise_join_code
from podium.domain.contributions import ORDERS, ranks
from podium.domain.contributions import order as ordered
from podium.domain.errors import InvalidAnswer, NotFound, RuleViolation
from podium.domain.questions import Kind
from podium.domain.visibility import results_visible
from podium.live.fanout import DEVICE
from podium.live.sse import EventStream
from podium.services import contributions
from podium.services.contribution_board import public
from podium.services.live_cache import LiveEvent
from podium.services.participation import current_answer, submit_answer
from podium.services.read_models import Item
from podium.web.answer_reply import received, refused, refused_headers
from podium.web.deps import render, runtime
from podium.web.errors import wants_json
from podium.web.frames import DEVICE_LIST_MAX, render_results
from podium.web.hot_path import parse_answer
from podium.web.messages import message
from podium.web.participant_identity import identity
from podium.web.routes.participant_access import access_page, enter_access_code
from podium.web.routes.participant_lookup import event_by_code, find_event
from podium.web.security import (
    ensure_participant_cookie,
    give_participant_cookie,
    participant_token,
    participant_token_for,
)

router = APIRouter(include_in_schema=False)


@router.get("/")
async def start(request: Request, code: str = "") -> Response:
    return render(request, "start.html", code=code, error=None)


@router.post("/join")
async def join(request: Request) -> Response:
    form = await request.form()
    typed = str(form.get("code", ""))
    code = normalise_join_code(typed)
    if code is None:
        return render(request, "start.html", 400, code=typed, error=message("bad_join_code"))
    try:
        await find_event(request, code)
    except RuleViolation as exc:
        response = render(
            request, "start.html", exc.status, code=typed, error=message(exc.code, exc.params)
        )
        response.headers.update(refused_headers(exc))
        return response
    return RedirectResponse(f"/p/{code}", status_code=303)


@router.get("/p/{code}")
async def event_page(
    request: Request,
    code: str,
    sent: int | None = None,
    contributed: int | None = None,
    order: str = "top",
) -> Response:
    event = await event_by_code(request, code, admit=False)
    if not identity(request.app).admitted(event, participant_token(request), request.cookies):
        return access_page(request, event)
    return await _page(
        request,
        event,
        sent=sent is not None,
        contributed=contributed is not None,
        order=order if order in ORDERS else "top",
    )


async def _page(
    request: Request,
    event: LiveEvent,
    sent: bool = False,
    error: str | None = None,
    status: int = 200,
    contributed: bool = False,
    order: str = "top",
) -> Response:
    rt = runtime(request)
    token = participant_token(request)
    question = event.current
    answer = None
    if question is not None and token is not None:
        answer = await current_answer(rt, event.id, token, question.id)
    shown = public(await rt.board.get(event.id))
    listed = shown[:DEVICE_LIST_MAX]  # the device frame's items: the script sorts them by its ranks
    mine: list[Item] = []
    voted: set[int] = set()
    if token is not None:
        mine, voted = await contributions.mine(rt, event.id, token)
    results_html = None
    if results_visible(question, DEVICE) and question is not None:
        results_html = render_results(request.app.state.templates.env, event, question, big=False)
    response = render(
        request,
        "participant/event.html",
        status,
        event=event,
        question=question,
        answer=answer,
        sent=sent,
        error=error,
        results_html=results_html,
        contribution_items=ordered(listed, order),
        contribution_ranks=ranks(listed),
        contribution_total=len(shown),
        contribution_order=order,
        mine=mine,
        voted=voted,
        contributed=contributed,
    )
    ensure_participant_cookie(request, response, rt.settings.secure_cookies)
    response.headers["Cache-Control"] = "no-store"
    return response


async def _read_answer(request: Request, event: LiveEvent) -> tuple[int, str, Any]:
    """(question id, answer id, raw answer) from a form post or a JSON body."""
    if request.headers.get("content-type", "").startswith("application/json"):
        return parse_answer(await request.body())
    form = await request.form()
    question_id, answer_id = form.get("question_id"), form.get("answer_id")
    question = event.questions.get(_int(question_id)) if question_id else None
    kind = question.spec.kind if question else None
    raw: object  # a list, one value or none: what the question's kind reads
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        raw = form.getlist("choice")
    elif kind is Kind.SCALE:
        raw = form.get("value")
    elif kind is Kind.WORDS:
        raw = form.getlist("word")
    else:
        raw = form.get("text")
    if not isinstance(answer_id, str):
        raise InvalidAnswer("bad_answer_id")
    return _int(question_id), answer_id, raw


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("unknown_question") from None


async def answer(request: Request) -> Response:
    """The vote path. A plain Starlette route: FastAPI's dependency solving would
    cost more than everything else the request does before the commit."""
    code = request.path_params["code"]
    event = await event_by_code(request, code)
    rt = runtime(request)
    token = participant_token_for(request)
    try:
        question_id, answer_id, raw = await _read_answer(request, event)
        submitted = await submit_answer(rt, event, token, question_id, raw, answer_id)
    except ClientDisconnect:
        # Gone before its answer was read: nothing was stored, nobody to tell.
        return Response(status_code=400)
    except RuleViolation as exc:
        if wants_json(request):
            response: Response = JSONResponse(refused(exc), exc.status)
        else:
            response = await _page(
                request, event, error=message(exc.code, exc.params), status=exc.status
            )
        response.headers.update(refused_headers(exc))
    else:
        if wants_json(request):
            response = JSONResponse(received(submitted))
        else:
            response = RedirectResponse(f"/p/{code}?sent={question_id}#status", status_code=303)
    give_participant_cookie(request, response, rt.settings.secure_cookies)
    return response


async def event_stream(request: Request) -> Response:
    event = await event_by_code(request, request.path_params["code"])
    await runtime(request).board.get(event.id)  # its first frame holds the contributions
    fanout = request.app.state.fanout
    subscriber = fanout.subscribe(event.id, DEVICE, request.state.lang)
    return EventStream(fanout, subscriber)


router.add_route("/p/{code}/answer", answer, methods=["POST"], include_in_schema=False)
router.add_route("/p/{code}/access", enter_access_code, methods=["POST"], include_in_schema=False)
router.add_route("/p/{code}/stream", event_stream, methods=["GET"], include_in_schema=False)
