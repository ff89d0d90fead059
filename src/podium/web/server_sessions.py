"""The session cookie and the session it names (services/web_sessions keeps them).

Pure ASGI, in place of Starlette's signed-cookie SessionMiddleware: a cookie that
only signs `{"user_id": …}` stays valid after logout wherever a copy of it went. The
cookie now holds a random secret whose hash is a row in `sessions`; a request whose
cookie does not have a secret's shape (participants have none) is never looked up,
so the participant's pages cost no query more."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from podium.domain import web_session as rules
from podium.services.context import Context
from podium.services.web_sessions import find_session

# With https (settings.secure_cookies, on by itself for an https base_url) the
# `__Host-` prefix makes browsers insist on Secure, Path=/ and no Domain: no sibling
# host can plant or read it. Plain-HTTP local use keeps the plain name without Secure
# (browsers drop a `__Host-` cookie that is not Secure).
SECURE_NAME = "__Host-podium_session"
PLAIN_NAME = "podium_session"
MAX_AGE = int(rules.LIFETIME.total_seconds())


def cookie_name(secure: bool) -> str:
    return SECURE_NAME if secure else PLAIN_NAME


def set_session_cookie(request: Request, value: str | None) -> None:
    """Send this cookie value with the response (None: remove the cookie)."""
    request.state.session_cookie_out = value or ""


def session_cookie(request: Request) -> str | None:
    """The session cookie the browser sent (None outside this middleware)."""
    return getattr(request.state, "session_cookie_in", None)


class ServerSessions:
    def __init__(self, app: ASGIApp, rt: Context, secure: bool) -> None:
        self.app = app
        self.rt = rt
        self.secure = secure
        self.name = cookie_name(secure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        cookie = Request(scope).cookies.get(self.name)
        found = None
        if rules.looks_like_secret(cookie) and not scope["path"].startswith("/static/"):
            found = await find_session(self.rt, cookie or "")
            if found is None:
                state["session_cookie_out"] = ""  # ended or expired: the browser forgets it
        state["session_cookie_in"] = cookie
        state["web_session"] = found

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = state.get("session_cookie_out")
                if value is not None:
                    MutableHeaders(scope=message).append("set-cookie", self._header(value))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _header(self, value: str) -> str:
        age = MAX_AGE if value else 0
        parts = [f"{self.name}={value}", "Path=/", f"Max-Age={age}", "HttpOnly", "SameSite=Lax"]
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)
