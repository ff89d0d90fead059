"""The presenter screen: shared in the video call, opened by its secret link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import segno
from fastapi import APIRouter, Request
from starlette.responses import Response

from podium.domain.errors import NotFound
from podium.domain.visibility import results_visible
from podium.live.fanout import SCREEN, Fanout
from podium.live.sse import EventStream
from podium.live.watch import Watcher, WatchKind
from podium.runtime import Runtime
from podium.services.frame_origins import presenter_policy
from podium.services.live_cache import LiveEvent
from podium.web.deps import render, runtime, use_event_language
from podium.web.frames import contributions_frame, render_results, screen_participants_label

router = APIRouter(include_in_schema=False)


def join_url(request: Request, event: LiveEvent) -> str:
    return f"{runtime(request).settings.base_url.rstrip('/')}/p/{event.join_code}"


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, light="#fff")


def join_context(request: Request, event: LiveEvent) -> dict[str, Any]:
    url = join_url(request, event)
    split = urlsplit(url)
    return {
        "join_url": url,
        "join_host": split.netloc + (split.path.rsplit("/p/", 1)[0] or ""),
        "qr_svg": qr_svg(url),
    }


async def _event(request: Request, token: str) -> LiveEvent:
    # U+0000 is in no token, and PostgreSQL refuses it even in a query.
    event = None if "\x00" in token else await runtime(request).live.by_presenter_token(token)
    if event is None:
        raise NotFound("not_found")
    return event


@router.get("/present/{token}")
async def screen(request: Request, token: str) -> Response:
    event = await _event(request, token)
    use_event_language(request, event.language, shared=True)
    question = event.current
    results_html = None
    env = request.app.state.templates.env
    if question is not None and results_visible(question, SCREEN):
        results_html = render_results(env, event, question, big=True)
    items = await runtime(request).board.get(event.id)
    contributions = contributions_frame(env, event, items)
    participants_label = None
    if event.screen_shows_participants:
        participants_label = screen_participants_label(request.app.state.presence.total(event.id))
    response = render(
        request,
        "presenter/screen.html",
        event=event,
        contributions_html=contributions["html"],
        contributions_shown=contributions["shown"],
        question=question,
        results_html=results_html,
        participants_label=participants_label,
        stream_url=f"/present/{token}/stream",
        **join_context(request, event),
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is a secret
    # Framed by the origins its organiser and the server list (BigBlueButton, Jitsi…).
    response.headers["Content-Security-Policy"] = await presenter_policy(runtime(request), event.id)
    return response


@router.get("/present/{token}/stream")
async def screen_stream(request: Request, token: str) -> Response:
    event = await _event(request, token)
    lang = use_event_language(request, event.language, shared=True)
    policy = await presenter_policy(runtime(request), event.id)
    await runtime(request).board.get(event.id)  # its first frame holds the contributions
    fanout = request.app.state.fanout
    subscriber = fanout.subscribe(event.id, SCREEN, lang)
    subscriber.token = token
    # The link may have been renewed while the board loaded: then it is refused.
    current = runtime(request).live.loaded(event.id)
    if current is None or current.presenter_token != token:
        fanout.unsubscribe(subscriber)
        raise NotFound("not_found")
    return EventStream(fanout, subscriber, [(b"content-security-policy", policy.encode())])


def follow_presenter_links(rt: Runtime, fanout: Fanout) -> Watcher:
    """A live-cache watcher: once an event's state is reloaded with a new presenter link
    (in any process: each reloads on the hub's message), the screens opened with the
    old one stop receiving the event."""

    def watcher(what: WatchKind, event_id: int, question_id: int | None) -> None:
        event = rt.live.loaded(event_id) if what == WatchKind.STATE else None
        if event is not None:
            fanout.close_screens(event_id, event.presenter_token)

    return watcher
