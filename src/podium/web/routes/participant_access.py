"""An event's participant access code: the form a participant types it into once,
and the admission cookie that then lets their token take part (domain/participant_token.py).

The code keeps out whoever has only the link or the join code; it does not keep out
someone in the room to whom it was passed on (docs/SECURITY.md).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from podium.domain.errors import RuleViolation
from podium.domain.participant_token import access_code_matches
from podium.services.live_cache import LiveEvent
from podium.web.answer_reply import refused_headers
from podium.web.deps import render, runtime
from podium.web.legal_settings import PARTICIPANT_COOKIE_DAYS
from podium.web.messages import message
from podium.web.participant_identity import access_cookie, identity
from podium.web.routes.participant_lookup import client_host, event_by_code
from podium.web.security import ensure_participant_cookie


def access_page(
    request: Request, event: LiveEvent, error: str | None = None, status: int = 200
) -> Response:
    response = render(request, "participant/access.html", status, event=event, error=error)
    response.headers["Cache-Control"] = "no-store"
    return response


async def enter_access_code(request: Request) -> Response:
    """POST /p/{code}/access: the right code admits this browser's token (issued now if
    it has none); a wrong one counts like a wrong join code."""
    event = await event_by_code(request, request.path_params["code"], admit=False)
    page = f"/p/{event.join_code}"
    if not event.access_code:
        return RedirectResponse(page, status_code=303)
    typed = str((await request.form()).get("access_code", ""))
    who = identity(request.app)
    host = client_host(request)
    response: Response = RedirectResponse(page, status_code=303)
    secure = runtime(request).settings.secure_cookies
    try:
        who.check_lookup(host)
        if not access_code_matches(event.access_code, typed):
            who.lookup_failed(host)
            return access_page(request, event, message("wrong_access_code"), 400)
        token = ensure_participant_cookie(request, response, secure)
    except RuleViolation as exc:
        refusal = access_page(request, event, message(exc.code, exc.params), exc.status)
        refusal.headers.update(refused_headers(exc))
        return refusal
    response.set_cookie(
        access_cookie(event.id),
        who.admission(event, token),
        max_age=PARTICIPANT_COOKIE_DAYS * 24 * 60 * 60,
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    return response
