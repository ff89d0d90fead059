"""A TCP proxy in front of Redis that can be told to stall: while stalled it keeps
every connection open and reads what either side sends, but holds the bytes back
until it is told to flow again, as a Redis that is busy, swapping or behind a
congested link does. Nothing is dropped, so the clients see slowness, not errors
(unless they give up by their own timeouts).

It runs an event loop in a thread of its own, so that it works beside a server
under test whatever that server's loop is doing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

CHUNK = 65536


class StallProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._loop = asyncio.new_event_loop()
        self._flowing = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._resume: asyncio.TimerHandle | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.port = 0
        self.held_since: float | None = None  # monotonic time the current stall began

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    # -- control (from any thread) ---------------------------------------------------

    def start(self) -> None:
        self._thread.start()
        self._call(self._listen()).result(10)

    def stop(self) -> None:
        self._call(self._close()).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def stall(self, seconds: float | None = None) -> None:
        """Hold every byte from now on; after `seconds` (if given) let them flow again."""
        self._call(self._stall(seconds)).result(10)

    def resume(self) -> None:
        self._call(self._flow()).result(10)

    @property
    def stalled(self) -> bool:
        return not self._flowing.is_set()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> concurrent.futures.Future[None]:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    # -- in the proxy's loop ---------------------------------------------------------

    async def _listen(self) -> None:
        self._flowing.set()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _stall(self, seconds: float | None) -> None:
        if self._resume is not None:
            self._resume.cancel()
        self._flowing.clear()
        self.held_since = time.monotonic()
        if seconds is not None:
            self._resume = self._loop.call_later(seconds, self._open)

    async def _flow(self) -> None:
        self._open()

    def _open(self) -> None:
        if self._resume is not None:
            self._resume.cancel()
            self._resume = None
        self.held_since = None
        self._flowing.set()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            writer.close()
            self._connections.discard(task)
            return
        try:
            await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            for w in (writer, up_writer):
                w.close()
            self._connections.discard(task)

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        while data := await source.read(CHUNK):
            await self._flowing.wait()  # bytes read during a stall wait here
            sink.write(data)
            await sink.drain()
        with contextlib.suppress(OSError):
            sink.write_eof()


@contextmanager
def stall_proxy(upstream_host: str, upstream_port: int) -> Iterator[StallProxy]:
    proxy = StallProxy(upstream_host, upstream_port)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
