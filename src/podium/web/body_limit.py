"""Request bodies have a size limit on every route, not only on the hot path.

A pure ASGI middleware: a declared Content-Length above the limit is refused before
a byte of the body is read; a body without one (chunked) is counted while the app
reads it, and refused as soon as it passes the limit, so a 5 MB contribution never
sits in memory. Either way nothing reaches a service and the caller gets a 413 in
their language: JSON for the API and scripts, the error page for browsers.

Limits are per path: participants send a few kB at most, an event file to import
may be a megabyte, everything else (organisers' forms with long descriptions or
blocked-word lists) fits well in the default.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from podium.web.errors import error_response
from podium.web.messages import message

DEFAULT_LIMIT = 256 * 1024
# (path prefix, limit), the first match counts
LIMITS: tuple[tuple[str, int], ...] = (
    # the event file itself may be 1 MiB (organiser_dashboard.MAX_IMPORT_BYTES),
    # plus the multipart form around it
    ("/admin/import", 1024 * 1024 + 64 * 1024),
    # answers, contributions, upvotes: the longest valid one is a few kB
    ("/p/", 64 * 1024),
    ("/api/v1/join/", 64 * 1024),
)


def limit_for(path: str) -> int:
    for prefix, limit in LIMITS:
        if path.startswith(prefix):
            return limit
    return DEFAULT_LIMIT


class _TooLarge(Exception):
    """Raised into the app from its receive(): it stops reading the body."""


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, limit)
            return
        received = 0
        exceeded = started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # whatever the app makes of the interrupted read, the 413 replaces it
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            # Layers between here and the route may wrap _TooLarge into their own error.
            if not exceeded:
                raise
        if exceeded and not started:
            await _refuse(scope, receive, send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    request = Request(scope, receive)
    text = message("request_too_large", {"max": limit // 1024})
    response = error_response(request, 413, "request_too_large", text)
    # The rest of the body is not read: the connection cannot carry another request.
    response.headers["connection"] = "close"
    await response(scope, receive, send)
