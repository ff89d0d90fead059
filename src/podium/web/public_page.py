"""The published results (/r/...) are public pages: whoever opens them is nobody.

The browser's cookies are taken out of the request before anything reads them (no
session, no organiser, no language cookie), and no response there sets one. The
secret is in the URL: no Referer carries it elsewhere, no cache keeps a page that a
revoked link must no longer show, and no search engine lists it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/r/"


def is_public_path(path: str) -> bool:
    return path.startswith(PREFIX)


class PublicPages:
    """Pure ASGI, outside the session and security middlewares."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_public_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"cookie"]

        async def send_public(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                del headers["set-cookie"]
                headers["referrer-policy"] = "no-referrer"
                headers["cache-control"] = "no-store"
                headers["x-robots-tag"] = "noindex"
            await send(message)

        await self.app(scope, receive, send_public)
