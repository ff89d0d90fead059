"""A real podium server (uvicorn in a thread) for tests that need live streams or a browser."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import uvicorn

from podium.app import create_app
from podium.runtime import Runtime
from podium.settings import Settings

T = TypeVar("T")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    rt: Runtime
    loop: asyncio.AbstractEventLoop

    def run(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Run a service coroutine on the server's own event loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(fn(*args, **kwargs), self.loop).result(30)


@contextmanager
def live_server(
    settings: Settings, host: str = "127.0.0.1", name: str | None = None
) -> Iterator[LiveServer]:
    """`host` is the address to listen on; `name` the host name the pages are opened
    by (a browser resolves it to `host` by a host-resolver rule), if not the address."""
    port = free_port(host)
    settings = settings.model_copy(update={"base_url": f"http://{name or host}:{port}"})
    app = create_app(settings)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    loops: list[asyncio.AbstractEventLoop] = []

    def serve() -> None:
        loop = asyncio.new_event_loop()
        loops.append(loop)
        loop.run_until_complete(server.serve())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(settings.base_url, app.state.runtime, loops[0])
    finally:
        server.should_exit = True
        thread.join(15)
