"""Who may do what: signed-in organisers and moderators, CSRF on their forms."""

from __future__ import annotations

from fastapi import Request

from podium.domain.access import Action, Decision, manages_accounts, organises
from podium.domain.codes import parse_id
from podium.domain.errors import NotAllowed, NotFound
from podium.services import access
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
    """An organiser or an administrator; which events and series they reach is
    `enforce`'s."""
    user = await require_user(request)
    if not organises(user.role):
        raise Forbidden("forbidden")
    return user


async def require_administrator(request: Request) -> User:
    """Accounts are managed by administrators only."""
    user = await require_user(request)
    if not manages_accounts(user.role):
        raise Forbidden("forbidden")
    return user


def enforce(decision: Decision) -> None:
    """The one translation of the domain's decision into an answer: another
    organisation's event or series is a 404, exactly like an id nobody uses."""
    if decision is Decision.HIDDEN:
        raise NotFound("not_found")
    if decision is Decision.FORBIDDEN:
        raise Forbidden("forbidden")


async def require_event(request: Request, event_id: int, action: Action) -> User:
    user = await require_user(request)
    enforce(await access.event_decision(runtime(request), user, event_id, action))
    return user


async def require_moderator(request: Request, event_id: int) -> User:
    """Who may run this event: its organisation's organisers, administrators and the
    moderators assigned to it."""
    return await require_event(request, event_id, "moderate")


async def require_organiser_of(request: Request, event_id: int) -> User:
    """Who may organise this event (change, export, publish, delete)."""
    await require_organiser(request)
    return await require_event(request, event_id, "organise")


# The path parameters that name what a route acts on. Every organiser route takes its
# resource from one of these, so checking them here, as the router's dependency,
# covers every route of the router before the route reads anything.
async def require_organiser_of_path(request: Request) -> User:
    """Dependency of every organiser router: an organiser, who may organise the
    event, series or question the path names (404 for another organisation's)."""
    user = await require_organiser(request)
    rt = runtime(request)
    params = request.path_params
    for name in ("event_id", "series_id", "question_id"):
        raw = params.get(name)
        ident = parse_id(str(raw)) if raw is not None else None
        if ident is None:
            continue  # absent, or no id at all: the route answers its own 404
        if name == "event_id":
            decision = await access.event_decision(rt, user, ident, "organise")
        elif name == "series_id":
            decision = await access.series_decision(rt, user, ident)
        else:
            decision = await access.question_decision(rt, user, ident, "organise")
        enforce(decision)
    return user


async def listed_organisation(request: Request) -> int | None:
    """Whose events and series lists show the signed-in user: None is everybody's
    (administrators)."""
    return access.owned_by(await require_user(request))


async def creators_organisation(request: Request) -> int | None:
    """What the signed-in user creates belongs to their organisation (an
    administrator's, having none, to the default organisation)."""
    return (await require_user(request)).organisation_id


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
