"""The broadcast hub: every process hears every message, its own included.

Messages are the dataclasses of live/messages.py (`Answers`, `State`, `Structure`,
`Contributions`, `Forget`, `Resync`, `PresenceCounts`). A hub that sends messages elsewhere encodes
them with their publish time (`messages.to_json`) and decodes them on delivery:
listeners get the message as published. Every hub keeps a histogram of delivery −
publish time as `lag` (the in-process hub: always 0).

The in-process hub delivers messages directly; the Redis hub (live/redis_hub.py,
for several processes) implements the same interface.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from podium.live.messages import Message
from podium.store.stats import Histogram

log = logging.getLogger(__name__)

__all__ = ["Hub", "Listener", "MemoryHub", "Message", "deliver", "observe_lag"]

Listener = Callable[[Message], Awaitable[None]]


class Hub(Protocol):
    lag: Histogram  # seconds from publish to delivery, for the metrics endpoint
    published: int
    received: int
    reconnects: int

    def add_listener(self, listener: Listener) -> None: ...

    async def publish(self, message: Message) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def observe_lag(lag: Histogram, sent: float | None) -> None:
    """Record how long a message took from its publish (`sent`) to now."""
    if sent is not None:
        # Clocks of two hosts may disagree by a little: never record a negative lag.
        lag.observe(max(0.0, time.time() - sent))


async def deliver(listeners: Sequence[Listener], message: Message) -> None:
    """Call every listener in order; one that fails does not keep the others from hearing."""
    for listener in listeners:
        try:
            await listener(message)
        except Exception:
            log.exception("hub listener failed on %s", message.type)


class MemoryHub:
    """One process: publishing calls the listeners in order, before it returns."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.lag = Histogram()
        self.published = 0
        self.received = 0
        self.reconnects = 0  # there is no connection to lose

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def publish(self, message: Message) -> None:
        self.published += 1
        self.received += 1
        self.lag.observe(0.0)
        await deliver(self._listeners, message)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
