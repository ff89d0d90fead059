"""Headers every response carries, the request's language, CSRF tokens, and the
participant's anonymous token."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from podium.domain.codes import new_token
from podium.domain.unsubscribe import is_unsubscribe_path
from podium.i18n import LANG_COOKIE, current_lang, negotiate
from podium.web.messages import message
from podium.web.response_headers import add_security_headers

PARTICIPANT_COOKIE = "podium_p"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# web/errors.error_response: (request, status, code, message) -> the error in the
# caller's form. Passed in, because web/errors renders pages through web/deps, which
# imports this module.
Refuse = Callable[[Request, int, str, str], Response]


class SecurityMiddleware:
    """Pure ASGI (streams pass untouched): headers, language, and a same-origin
    check on every state-changing request, the first line against CSRF."""

    def __init__(self, app: ASGIApp, default_language: str, refuse: Refuse) -> None:
        self.app = app
        self.default_language = default_language
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = Request(scope).cookies
        lang = negotiate(
            headers.get("accept-language"), cookies.get(LANG_COOKIE), self.default_language
        )
        token = current_lang.set(lang)
        scope.setdefault("state", {})["lang"] = lang
        try:

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    out = MutableHeaders(scope=message)
                    add_security_headers(out, scope["path"])
                    out.setdefault("content-language", lang)
                await send(message)

            if (
                scope["method"] in UNSAFE
                and not _same_origin(headers)
                and not is_unsubscribe_path(scope["path"])  # RFC 8058: from any mail client
            ):
                refusal = self.refuse(Request(scope), 403, "cross_origin", message("cross_origin"))
                await refusal(scope, receive, send_with_headers)
                return
            await self.app(scope, receive, send_with_headers)
        finally:
            current_lang.reset(token)


def _same_origin(headers: Headers) -> bool:
    origin = headers.get("origin")
    if origin is None:
        return True  # non-browser clients and old browsers: CSRF tokens still guard forms
    host = headers.get("host", "")
    return urlsplit(origin).netloc == host


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and submitted and hmac.compare_digest(expected, submitted))


def participant_token(request: Request) -> str | None:
    token = request.cookies.get(PARTICIPANT_COOKIE)
    return token if token and 32 <= len(token) <= 64 else None


def participant_token_for(request: Request) -> str:
    """The participant's anonymous token: from its cookie, or a new one (192 random
    bits) that `give_participant_cookie` then hands out with the response."""
    token = participant_token(request)
    if token is not None:
        return token
    token = getattr(request.state, "new_participant_token", None) or new_token()
    request.state.new_participant_token = token
    return token


def give_participant_cookie(request: Request, response: Response, secure: bool) -> None:
    """Set the cookie of a token made for this request (none on every answer: it costs
    on the vote path)."""
    token = getattr(request.state, "new_participant_token", None)
    if token is None or participant_token(request) is not None:
        return
    response.set_cookie(
        PARTICIPANT_COOKIE,
        token,
        max_age=60 * 60 * 24 * 30,
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def ensure_participant_cookie(request: Request, response: Response, secure: bool) -> str:
    """The participant's token, its cookie set on `response` when it is new."""
    token = participant_token_for(request)
    give_participant_cookie(request, response, secure)
    return token
