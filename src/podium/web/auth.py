"""Who may do what: signed-in organisers and moderators, CSRF on their forms."""

from __future__ import annotations

from fastapi import Request

from podium.domain.errors import NotAllowed
from podium.services.accounts import can_moderate
from podium.store.tables import User
from podium.web.deps import current_user, runtime
from podium.web.errors import LoginRequired
from podium.web.security import csrf_ok


class Forbidden(NotAllowed):
    status = 403


async def require_user(request: Request) -> User:
    user = await current_user(request)
    if user is None:
        raise LoginRequired()
    return user


async def require_organiser(request: Request) -> User:
    user = await require_user(request)
    if user.role != "organiser":
        raise Forbidden("forbidden")
    return user


async def require_moderator(request: Request, event_id: int) -> User:
    user = await require_user(request)
    if not await can_moderate(runtime(request), user, event_id):
        raise Forbidden("forbidden")
    return user


CSRF_HEADER = "x-csrf-token"


async def checked_form(request: Request) -> dict[str, str]:
    """The posted form, after its CSRF token is checked (the form field `csrf`, or
    the X-CSRF-Token header the API documents: scripts send either); single values
    as strings."""
    form = await request.form()
    submitted = str(form.get("csrf", "")) or request.headers.get(CSRF_HEADER, "")
    if not csrf_ok(request, submitted):
        raise Forbidden("csrf")
    return {key: str(value) for key, value in form.items()}
