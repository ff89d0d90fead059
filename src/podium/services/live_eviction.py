"""How an event leaves this process's memory: one path for everything that holds it.

`Eviction.forget` drops an event from every holder, in the order they were given,
after the views (the fan-out, which may look at the live event it forgets). A
deleted event is forgotten in every process (the runtime hears the hub's `Forget`);
an event that no request asked for in `evict_after` seconds and that no view still
uses (an open stream) is evicted by `evict_idle`, and loaded again on its next
request. Nothing here keeps an event alive: ids never seen, or forgotten, leave
nothing behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Forget = Callable[[int], None]
InUse = Callable[[int], bool]


class Usage:
    """When a request last asked for each event held (the live cache's clock)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._used: dict[int, float] = {}

    def touch(self, event_id: int) -> None:
        self._used[event_id] = self._clock()

    def drop(self, event_id: int) -> None:
        self._used.pop(event_id, None)

    def idle(self, before: float, busy: InUse) -> list[int]:
        """The events not asked for since `before` that are not `busy` (a load runs)."""
        return sorted(e for e, used in self._used.items() if used < before and not busy(e))

    def __len__(self) -> int:
        return len(self._used)


class Eviction:
    def __init__(self, idle: Callable[[float], list[int]], evict_after: float) -> None:
        self._idle = idle  # the events unused since a time: the live cache's `idle`
        self._evict_after = evict_after
        self._holders: list[Forget] = []
        self._views: list[tuple[Forget, InUse]] = []

    def hold(self, forget: Forget) -> None:
        """A holder of an event's state, told to drop it after the views and the
        holders given before it (the live cache comes last: the others may read it)."""
        self._holders.append(forget)

    def add_view(self, forget: Forget, in_use: InUse) -> None:
        """A holder of live state outside the runtime (the fan-out): `forget` drops an
        event, `in_use` says whether it must stay (open streams)."""
        self._views.append((forget, in_use))

    def forget(self, event_id: int) -> None:
        """Drop all that this process keeps of the event; what asks for it later loads
        it again (or finds it gone)."""
        for forget, _in_use in self._views:
            forget(event_id)  # first: a view may look at the live event it forgets
        for forget in self._holders:
            forget(event_id)

    def evict_idle(self, now: float | None = None) -> list[int]:
        """Forget the events idle for `evict_after` seconds (the live cache's clock)
        without an open stream; returns them."""
        now = time.monotonic() if now is None else now
        idle = self._idle(now - self._evict_after)
        evicted = [e for e in idle if not any(in_use(e) for _forget, in_use in self._views)]
        for event_id in evicted:
            self.forget(event_id)
        return evicted
