"""A step run in the background every `interval` seconds until stopped. A step that
fails is logged and the next one runs: a live view must not stop for one error."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable

from podium.aio import cancel

log = logging.getLogger(__name__)


class Periodic:
    def __init__(
        self, name: str, interval: float, step: Callable[[], Awaitable[object] | object]
    ) -> None:
        self.name = name
        self.interval = interval
        self._step = step
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        await cancel(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                done = self._step()
                if inspect.isawaitable(done):
                    await done
            except Exception:
                log.exception("%s failed", self.name)
