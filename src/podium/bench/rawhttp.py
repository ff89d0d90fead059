"""A minimal HTTP/1.1 client for the bench's hot path (`--client raw`).

httpx is the default and the reference. But on a small machine the load generator
competes with the server for the same cores, and httpx costs about 1 ms of CPU
per request here (anyio streams, the pool's bookkeeping, several system calls),
twenty times this client, which writes a request and reads status line, headers
and a Content-Length or chunked body on a kept-alive asyncio connection. It offers
the calls the bench uses (get, post) and raises httpx's exception types, so that
errors are counted the same way.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, overload
from urllib.parse import urlsplit

import httpx

MAX_HEAD = 64 * 1024


class RawHeaders(list[tuple[str, str]]):
    """Response headers, names in lower case, in the order received."""

    @overload
    def get(self, name: str) -> str | None: ...
    @overload
    def get(self, name: str, default: str) -> str: ...
    def get(self, name: str, default: str | None = None) -> str | None:
        name = name.lower()
        return next((v for k, v in self if k == name), default)

    def get_list(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self if k == name]


class RawResponse:
    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: RawHeaders, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


class RawClient:
    """One kept-alive connection; reconnects when the server closed it."""

    def __init__(self, base_url: str, timeout: float) -> None:
        split = urlsplit(base_url)
        if split.scheme != "http":
            raise ValueError("--client raw speaks plain http:// only")
        self._host = split.hostname or "127.0.0.1"
        self._port = split.port or 80
        self._host_header = split.netloc.encode()
        self._timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> RawResponse:
        return await self.request("GET", path, headers or {}, b"")

    async def post(
        self, path: str, content: bytes = b"", headers: dict[str, str] | None = None
    ) -> RawResponse:
        return await self.request("POST", path, headers or {}, content)

    async def request(
        self, method: str, path: str, headers: dict[str, str], content: bytes
    ) -> RawResponse:
        head = [f"{method} {path} HTTP/1.1".encode(), b"Host: " + self._host_header]
        head += [f"{k}: {v}".encode() for k, v in headers.items()]
        if content or method == "POST":
            head.append(b"Content-Length: %d" % len(content))
        data = b"\r\n".join(head) + b"\r\n\r\n" + content
        reused = self._writer is not None
        try:
            async with asyncio.timeout(self._timeout):
                try:
                    return await self._exchange(data)
                except (ConnectionError, asyncio.IncompleteReadError) as exc:
                    self._close()
                    if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                        raise
                    # The server closed the kept-alive connection while it was idle:
                    # nothing was read, so sending again is safe (and answers carry ids).
                    return await self._exchange(data)
        except TimeoutError:
            self._close()
            raise httpx.ReadTimeout(f"no answer within {self._timeout} s") from None
        except (ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            self._close()
            raise httpx.RemoteProtocolError(f"{type(exc).__name__}: {exc}") from None

    async def _exchange(self, data: bytes) -> RawResponse:
        if self._writer is None:
            try:
                self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
            except OSError as exc:
                raise httpx.ConnectError(str(exc)) from None
        assert self._reader is not None
        self._writer.write(data)
        head = await self._reader.readuntil(b"\r\n\r\n")
        if len(head) > MAX_HEAD:
            raise ValueError("response head too large")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = RawHeaders()
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers.append((name.strip().lower(), value.strip()))
        length = headers.get("content-length")
        if length is not None:
            body = await self._reader.readexactly(int(length))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = b""
        if headers.get("connection", "").lower() == "close":
            self._close()
        return RawResponse(status, headers, body)

    async def _chunked(self) -> bytes:
        assert self._reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def aclose(self) -> None:
        self._close()
