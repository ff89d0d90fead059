"""Headers every response carries, the request's language, CSRF tokens, and the
participant's anonymous token."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from podium.domain.participant_token import TokenRefused
from podium.domain.unsubscribe import is_unsubscribe_path
from podium.domain.web_session import anonymous_cookie, anonymous_csrf, new_csrf
from podium.i18n import LANG_COOKIE, current_lang, negotiate
from podium.web.legal_settings import PARTICIPANT_COOKIE_DAYS
from podium.web.messages import message
from podium.web.participant_identity import identity
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
    # Sec-Fetch-Site is set by the browser and cannot be forged by a page: it says
    # what the Origin check can only guess behind a proxy that rewrites Host.
    site = headers.get("sec-fetch-site")
    if site == "cross-site":
        return False
    if site == "same-origin":
        return True
    # same-site (a sibling host, perhaps someone else's), none, or an older browser:
    # the Origin must then name this host.
    origin = headers.get("origin")
    if origin is None:
        return True  # non-browser clients and old browsers: CSRF tokens still guard forms
    host = headers.get("host", "")
    return urlsplit(origin).netloc == host


def _expected_csrf(request: Request) -> str | None:
    """The signed-in session's token (web/server_sessions looked it up), else the one
    a browser that has not signed in holds in its session cookie (for the sign-in
    form), else the one made for this request."""
    found = getattr(request.state, "web_session", None)
    if found is not None:
        return str(found.csrf)
    made: str | None = getattr(request.state, "new_anonymous_csrf", None)
    return made or anonymous_csrf(getattr(request.state, "session_cookie_in", None))


def csrf_token(request: Request) -> str:
    token = _expected_csrf(request)
    if not token:
        token = request.state.new_anonymous_csrf = new_csrf()
        # web/server_sessions sends it with the response (only pages with a form
        # ask: a reader of public pages gets no cookie).
        request.state.session_cookie_out = anonymous_cookie(token)
    return token


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = _expected_csrf(request)
    return bool(expected and submitted and hmac.compare_digest(expected, submitted))


def participant_token(request: Request) -> str | None:
    """The request's participant token if podium issued it (its signature holds)."""
    token = request.cookies.get(PARTICIPANT_COOKIE)
    return token if identity(request.app).valid(token) else None


def participant_token_for(request: Request, replace_invalid: bool = False) -> str:
    """The participant's token: from its cookie, or a new one issued for this request
    (limited per client address: Throttled), which `give_participant_cookie` then hands
    out with the response. A cookie that holds a token podium did not issue (invented,
    altered, or from before tokens were signed) is refused (TokenRefused), unless
    `replace_invalid`: a page the participant loads gives them a fresh one."""
    token = participant_token(request)
    if token is not None:
        return token
    token = getattr(request.state, "new_participant_token", None)
    if token is None:
        if PARTICIPANT_COOKIE in request.cookies and not replace_invalid:
            raise TokenRefused("participant_token_invalid")
        host = request.client.host if request.client else None
        token = identity(request.app).issue(host)
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
        max_age=PARTICIPANT_COOKIE_DAYS * 24 * 60 * 60,
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def ensure_participant_cookie(
    request: Request, response: Response, secure: bool, replace_invalid: bool = True
) -> str:
    """The participant's token, its cookie set on `response` when it is new."""
    token = participant_token_for(request, replace_invalid)
    give_participant_cookie(request, response, secure)
    return token
