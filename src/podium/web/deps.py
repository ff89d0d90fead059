"""What route handlers share: the runtime, templates, the signed-in user, rendering."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from podium import i18n
from podium.domain.codes import MAX_ID
from podium.runtime import Runtime
from podium.store.tables import User
from podium.web.security import csrf_token

# A row id in a path: out of range is a 4xx before any query runs.
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


class LazyCsrfToken:
    """Made only when a page has a form that needs it: a participant's page then
    creates no session cookie, and their answers carry none to verify."""

    def __init__(self, request: Request) -> None:
        self._request = request

    def __str__(self) -> str:
        return csrf_token(self._request)

    def __html__(self) -> str:
        return str(self)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("user", getattr(request.state, "user", None))
    context["csrf_token"] = LazyCsrfToken(request)
    context["lang"] = request.state.lang
    context["base_url"] = runtime(request).settings.base_url.rstrip("/")
    return templates(request).TemplateResponse(request, name, context, status_code=status_code)


async def current_user(request: Request) -> User | None:
    """The signed-in account, or None; remembered on request.state for templates.
    web/server_sessions found it (or found that there is none) before the route."""
    if hasattr(request.state, "user"):
        return request.state.user
    found = getattr(request.state, "web_session", None)
    user = found.user if found is not None else None
    request.state.user = user
    return user


def use_event_language(request: Request, event_language: str, shared: bool = False) -> str:
    """The language of an event's page. A shared screen speaks the event's language,
    whoever's browser shows it; a participant's own choice or browser comes first."""
    if shared:
        lang = event_language if event_language in i18n.LANGUAGES else request.state.lang
    else:
        lang = i18n.negotiate(
            request.headers.get("accept-language"),
            request.cookies.get(i18n.LANG_COOKIE),
            event_language,
        )
    request.state.lang = lang
    i18n.current_lang.set(lang)
    return lang
