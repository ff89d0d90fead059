"""The published results (/r/...), the series pages (/s/...) and the legal pages
(/legal/...) are public pages: whoever opens them is nobody.

The browser's cookies are taken out of the request before anything reads them (no
session, no organiser, no language cookie), and no response there sets one; no
Referer leaves them for another site. The results' secret is in the URL (as is a
sign-up's confirmation or unsubscribe key): no cache keeps such a page, which a
revoked link must no longer show, and no search engine lists it. A series page is
meant to be found (it may be indexed); a cache asks again each time, so that a
series made private or an event cancelled shows at once (and a legal page follows
its settings).
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/r/"
SERIES_PREFIX = "/s/"
LEGAL_PREFIX = "/legal/"
# A sign-up's confirmation and unsubscribe links hold a secret too.
KEYED_SERIES_PATH = re.compile(r"^/s/[^/]+/(confirm|unsubscribe)/")


def is_public_path(path: str) -> bool:
    return path.startswith((PREFIX, SERIES_PREFIX, LEGAL_PREFIX))


class PublicPages:
    """Pure ASGI, outside the session and security middlewares."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_public_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        secret = scope["path"].startswith(PREFIX)
        keyed = secret or bool(KEYED_SERIES_PATH.match(scope["path"]))
        forms = scope["path"].startswith(SERIES_PREFIX)
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"cookie"]

        async def send_public(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                del headers["set-cookie"]
                # Series pages hold forms (the sign-up, confirming, unsubscribing): with
                # no-referrer a browser posts them with `Origin: null`, which the Origin
                # check refuses. same-origin sends nothing to other sites either.
                headers["referrer-policy"] = "same-origin" if forms else "no-referrer"
                if keyed:
                    headers["cache-control"] = "no-store"
                    headers["x-robots-tag"] = "noindex"
                else:
                    headers["cache-control"] = "no-cache"
            await send(message)

        await self.app(scope, receive, send_public)
