"""Finding the event of a join code for a participant: the limit on wrong codes per
client address, and the admission of events with an access code."""

from __future__ import annotations

from starlette.requests import Request

from podium.domain.errors import NotFound
from podium.domain.participant_token import TokenRefused
from podium.services.live_cache import LiveEvent
from podium.web.deps import runtime, use_event_language
from podium.web.participant_identity import identity
from podium.web.security import participant_token


def client_host(request: Request) -> str | None:
    return request.client.host if request.client else None


async def find_event(request: Request, code: str) -> LiveEvent:
    """The event of a join code. A wrong code counts against the client's address, and
    an address that tried too many is refused before the lookup (Throttled), so that
    its answer does not tell whether the code exists (domain/join_limits.py)."""
    who = identity(request.app)
    host = client_host(request)
    who.check_lookup(host)
    # U+0000 is in no join code, and PostgreSQL refuses it even in a query.
    event = None if "\x00" in code else await runtime(request).live.by_code(code)
    if event is None:
        who.lookup_failed(host)
        raise NotFound("unknown_code")
    return event


async def event_by_code(request: Request, code: str, admit: bool = True) -> LiveEvent:
    """The event of a join code, its language set for the request; 404 otherwise.
    `admit`: refused (TokenRefused) unless the participant typed the event's access
    code (an event without one admits everyone)."""
    event = await find_event(request, code)
    use_event_language(request, event.language)
    if admit and not identity(request.app).admitted(
        event, participant_token(request), request.cookies
    ):
        raise TokenRefused("access_code_required")
    return event
