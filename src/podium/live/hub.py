"""The broadcast hub: every process hears every message, its own included.

Messages are small JSON-able dicts:
  {"type": "answers", "items": [[event_id, question_id, old, new], ...]}
  {"type": "state", "event_id": N}      live state changed (current question, voting, results)
  {"type": "structure", "event_id": N}  questions or event details edited
The in-process hub delivers them directly; a Redis hub (for several processes)
implements the same interface.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

Message = dict[str, Any]
Listener = Callable[[Message], Awaitable[None]]


class Hub(Protocol):
    def add_listener(self, listener: Listener) -> None: ...

    async def publish(self, message: Message) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class MemoryHub:
    """One process: publishing calls the listeners in order, before it returns."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def publish(self, message: Message) -> None:
        for listener in self._listeners:
            try:
                await listener(message)
            except Exception:
                log.exception("hub listener failed on %s", message.get("type"))

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
