"""The moderator's console: run the event live."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from podium.domain.access import organises
from podium.domain.codes import parse_id
from podium.domain.contributions import State
from podium.domain.errors import NotFound
from podium.live.fanout import MODERATOR
from podium.live.sse import EventStream
from podium.services import catalog_events, contributions, live_control
from podium.services.access import owned_by
from podium.services.live_cache import LiveEvent
from podium.store.tables import Event
from podium.web.auth import checked_form, require_moderator, require_user
from podium.web.deps import RowId, render, runtime
from podium.web.frames import render_results
from podium.web.routes.presenter import join_context
from podium.web.security import csrf_token

router = APIRouter(include_in_schema=False)


async def _event(request: Request, event_id: RowId) -> LiveEvent:
    await require_moderator(request, event_id)
    event = await runtime(request).live.get(event_id)
    if event is None:
        raise NotFound("unknown_event")
    return event


async def _contributions_context(request: Request, event: LiveEvent) -> dict[str, Any]:
    """The queue, this session's CSRF token and the event's contribution settings.

    The board is loaded (the console's stream renders from it); the page itself
    reads the stored rows, so that the page a form post is redirected to already
    shows what the post changed."""
    rt = runtime(request)
    await rt.board.get(event.id)
    items = await contributions.all_items(rt, event.id)
    async with rt.sessions() as session:
        row = await session.get(Event, event.id)
    return {
        "items": items,
        "pending": sum(1 for i in items if i.state is State.PENDING),
        "csrf": csrf_token(request),
        "blocked_words": list(row.blocked_words or []) if row else [],
        "allowed_words": list(row.allowed_words or []) if row else [],
    }


def _context(request: Request, event: LiveEvent) -> dict[str, Any]:
    question = event.current
    env = request.app.state.templates.env
    return {
        "event": event,
        "question": question,
        "results_html": render_results(env, event, question, big=False) if question else None,
        "devices": request.app.state.presence.total(event.id),
        "presenter_url": runtime(request).settings.base_url.rstrip("/")
        + f"/present/{event.presenter_token}",
        **join_context(request, event),
    }


@router.get("/moderate")
async def my_events(request: Request) -> Response:
    """Where a moderator lands after logging in: the events they may run."""
    user = await require_user(request)
    rt = runtime(request)
    if organises(user.role):
        events = await catalog_events.list_events(rt, organisation_id=owned_by(user))
    else:
        events = await catalog_events.list_events(rt, moderator_id=user.id)
    return render(request, "moderator/index.html", events=events)


@router.get("/moderate/{event_id}")
async def console(request: Request, event_id: RowId) -> Response:
    event = await _event(request, event_id)
    return render(
        request,
        "moderator/console.html",
        **_context(request, event),
        **await _contributions_context(request, event),
    )


@router.get("/moderate/{event_id}/panel")
async def panel(request: Request, event_id: RowId) -> Response:
    """The controls alone, fetched by the console's script when the state changes."""
    event = await _event(request, event_id)
    return render(request, "moderator/controls.html", **_context(request, event))


def _flag(value: str | None) -> bool | None:
    return None if value is None else value == "1"


@router.post("/moderate/{event_id}/control")
async def control(request: Request, event_id: RowId) -> Response:
    """One form for every live action, so that each button works without script."""
    await _event(request, event_id)
    form = await checked_form(request)
    rt = runtime(request)
    action = form.get("action", "")
    question_id = parse_id(form.get("question_id"))
    if action == "welcome":
        await live_control.set_current(rt, event_id, None)
    elif question_id is None:
        raise NotFound("unknown_question")
    elif action == "go_live":
        await live_control.go_live(rt, event_id, question_id)
    elif action == "show":
        await live_control.set_current(rt, event_id, question_id)
    elif action in ("voting_open", "results_on_screen", "results_on_devices"):
        await live_control.set_flags(
            rt, event_id, question_id, **{action: _flag(form.get("value"))}
        )
    else:
        raise NotFound("not_found")
    if "application/json" in request.headers.get("accept", ""):
        return Response(status_code=204)
    return RedirectResponse(f"/moderate/{event_id}#q{question_id or ''}", status_code=303)


@router.get("/moderate/{event_id}/stream")
async def console_stream(request: Request, event_id: RowId) -> Response:
    event = await _event(request, event_id)
    await runtime(request).board.get(event.id)  # the queue's frames render from the board
    fanout = request.app.state.fanout
    subscriber = fanout.subscribe(event.id, MODERATOR, request.state.lang)
    return EventStream(fanout, subscriber)
