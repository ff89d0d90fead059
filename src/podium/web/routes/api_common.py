"""What the API's routes share: who may call them, and their documented errors."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from podium.domain.access import organises
from podium.domain.errors import NotFound
from podium.services.catalog import get_event
from podium.store.tables import Event, User
from podium.web.api_models import ErrorOut
from podium.web.auth import (
    Forbidden,
    require_moderator,
    require_organiser,
    require_organiser_of,
    require_user,
)
from podium.web.deps import runtime
from podium.web.security import csrf_ok

CSRF_HEADER = "X-CSRF-Token"
# Ids are 32-bit integers in PostgreSQL and 64-bit in SQLite; a larger number in a
# path names no event, and must not reach the driver (it would raise, not find nothing).
MAX_ID = 2**31 - 1


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error answers: all have the same body. Routes with
    parameters list 422, so that FastAPI's own validation error schema (never sent)
    is not listed in its place."""
    texts = {
        401: "Not signed in (`login_required`)",
        403: "Not allowed (`forbidden`), or the CSRF header is missing or wrong (`csrf`); "
        "for participants: a `podium_p` podium did not issue (`participant_token_invalid`), "
        "or the event's access code is missing or wrong",
        404: "Unknown event, join code or question",
        409: "The live state forbids it (voting closed, answered, answer id reused)",
        422: "The request could not be read: malformed body or wrong types (`bad_request`); "
        "for answers also the rule of the question that the answer breaks",
        429: "Too many from this client address (new participants, wrong codes): "
        "try again after the `Retry-After` seconds",
        503: "Too many answers waiting (`busy`): nothing stored; send the same answer id "
        "again after the `Retry-After` seconds",
    }
    return {s: {"model": ErrorOut, "description": texts[s]} for s in statuses}


async def event_by_ref(request: Request, ref: str) -> Event:
    """The event with this id or slug (404 `unknown_event`)."""
    text = ref.strip()
    if text.isascii() and text.isdigit() and int(text) > MAX_ID:
        raise NotFound("unknown_event")
    return await get_event(runtime(request), text)


async def organiser(request: Request) -> User:
    """Dependency: a signed-in organiser (401 anonymous, 403 anybody else)."""
    return await require_organiser(request)


async def organised_event(request: Request, ref: str) -> Event:
    """Dependency: the event `ref` (id or slug), for a signed-in organiser of its
    organisation (another organisation's is 404 `unknown_event`, like no event)."""
    await require_organiser(request)
    event = await event_by_ref(request, ref)
    try:
        await require_organiser_of(request, event.id)
    except NotFound:
        raise NotFound("unknown_event") from None
    return event


async def moderated_event(request: Request, ref: str) -> Event:
    """Dependency: the event `ref`, for its organisers and assigned moderators.
    Moderators are told 403 for events they cannot see, whether they exist or not."""
    user = await require_user(request)
    try:
        event = await event_by_ref(request, ref)
    except NotFound:
        if organises(user.role):
            raise
        raise Forbidden("forbidden") from None
    try:
        await require_moderator(request, event.id)
    except NotFound:
        raise NotFound("unknown_event") from None
    return event


async def moderated_event_csrf(request: Request, ref: str) -> Event:
    """Dependency for POSTs: as `moderated_event`, and the session's CSRF token
    must come in the X-CSRF-Token header (403 `csrf` otherwise)."""
    await require_user(request)
    if not csrf_ok(request, request.headers.get(CSRF_HEADER)):
        raise Forbidden("csrf")
    return await moderated_event(request, ref)


async def organised_event_csrf(request: Request, ref: str) -> Event:
    """Dependency for changes: as `organised_event`, with the session's CSRF token in
    the X-CSRF-Token header (403 `csrf` otherwise)."""
    await require_organiser(request)
    if not csrf_ok(request, request.headers.get(CSRF_HEADER)):
        raise Forbidden("csrf")
    return await organised_event(request, ref)
