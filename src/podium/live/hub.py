"""The broadcast hub: every process hears every message, its own included.

Messages are small JSON-able dicts:
  {"type": "answers", "items": [[event_id, question_id, old, new, row_id, old_row_id], ...]}
                                        committed answer changes (see store/writer.Committed)
  {"type": "state", "event_id": N}      live state changed (current question, voting, results)
  {"type": "structure", "event_id": N}  questions or event details edited
  {"type": "forget", "event_id": N}     event deleted: every process drops all of it
  {"type": "resync"}                    messages may have been lost: reload from the database
  {"type": "presence", ...}             a process's connected participants (live/presence.py)
A hub that sends messages elsewhere stamps each with its publish time (`"t"`,
seconds since the epoch) and takes it off again on delivery: listeners get the
message as published. Every hub keeps a histogram of delivery − publish time
as `lag` (the in-process hub: always 0).

The in-process hub delivers messages directly; the Redis hub (live/redis_hub.py,
for several processes) implements the same interface.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from podium.store.stats import Histogram

log = logging.getLogger(__name__)

Message = dict[str, Any]
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


def stamped(message: Message) -> Message:
    """A copy of the message with its publish time."""
    return {**message, "t": time.time()}


def unstamped(lag: Histogram, message: Message) -> Message:
    """The message without its publish time, which goes into `lag`."""
    sent = message.pop("t", None)
    if isinstance(sent, int | float):
        # Clocks of two hosts may disagree by a little: never record a negative lag.
        lag.observe(max(0.0, time.time() - sent))
    return message


async def deliver(listeners: Sequence[Listener], message: Message) -> None:
    """Call every listener in order; one that fails does not keep the others from hearing."""
    for listener in listeners:
        try:
            await listener(message)
        except Exception:
            log.exception("hub listener failed on %s", message.get("type"))


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
