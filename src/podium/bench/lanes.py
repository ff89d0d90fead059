"""HTTP clients for many concurrent requests, without a pool queue in the client.

httpx (httpcore 1.0) scans every connection of a pool, and for idle ones the whole
pool again, whenever a request starts or ends, with system calls for each idle
connection; with hundreds of connections in one pool the load generator spends
its time there instead of sending. So every connection gets a client of its own
(a "lane"), and a request waits for a free lane in an asyncio queue, which costs
O(1). Time spent waiting there counts in the request's latency like any other
queueing.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
import types
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from podium.bench.rawhttp import RawClient

CLIENTS = ("httpx", "raw")


def asyncio_only_sniffio() -> None:
    """httpcore 1.0 runs `import sniffio` in every request (to pick its lock type).
    Without sniffio installed, that import fails every time, after a search of
    sys.path: about 1 ms per request on this machine, where stat() is slow. The bench
    runs on asyncio only, so a stand-in module that says so is exact."""
    try:
        import sniffio  # noqa: F401
    except ImportError:
        stand_in = types.ModuleType("sniffio")
        stand_in.current_async_library = lambda: "asyncio"  # type: ignore[attr-defined]
        sys.modules["sniffio"] = stand_in


def no_cookies() -> CookieJar:
    """A jar that keeps nothing: each participant sends its own Cookie header."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


_TLS: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    """One TLS context for every client: building one takes milliseconds each time."""
    global _TLS
    if _TLS is None:
        _TLS = ssl.create_default_context()
    return _TLS


def client(
    base_url: str, connections: int, timeout: httpx.Timeout, keep_cookies: bool = False
) -> httpx.AsyncClient:
    asyncio_only_sniffio()
    return httpx.AsyncClient(
        base_url=base_url,
        limits=httpx.Limits(
            max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=4
        ),
        timeout=timeout,
        follow_redirects=False,
        verify=tls_context(),
        cookies=None if keep_cookies else no_cookies(),
        trust_env=False,
    )


class Lanes:
    """`slots` connections, each its own client: httpx (default) or the raw client."""

    def __init__(self, base_url: str, slots: int, timeout: float, kind: str = "httpx") -> None:
        if kind not in CLIENTS:
            raise ValueError(f"client {kind!r}: one of {CLIENTS}")
        limit = httpx.Timeout(timeout, pool=timeout)
        self.clients: list[Any] = [
            RawClient(base_url, timeout) if kind == "raw" else client(base_url, 1, limit)
            for _ in range(max(1, slots))
        ]
        # Last in, first out: a light load keeps reusing a few warm connections
        # instead of cycling through all of them until the server closes them idle.
        self._free: asyncio.LifoQueue[Any] = asyncio.LifoQueue()
        for c in reversed(self.clients):
            self._free.put_nowait(c)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[Any]:
        c = await self._free.get()
        try:
            yield c
        finally:
            self._free.put_nowait(c)

    async def aclose(self) -> None:
        await asyncio.gather(*(c.aclose() for c in self.clients), return_exceptions=True)
