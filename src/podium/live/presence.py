"""How many participants are connected to each event, over every process.

Each process knows only its own participant streams. It publishes their counts per
event on the hub when they changed (at most once a `spacing`, so that a room that
joins at once costs one message a second, not one per phone) and, unchanged, every
`heartbeat` seconds so that the others know it is still there. Every process keeps
the latest counts of every process it heard, its own included (the hub delivers
one's own messages too: one code path), and sums them. A process that stopped
without a word (killed, cut off) is dropped after `expiry` seconds of silence.

The hub message is `PresenceCounts` (live/messages.py). Events without participants
are left out; `{}` says "none here" (sent on stop).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable

from podium.live.hub import Hub
from podium.live.messages import Message, PresenceCounts, Resync
from podium.live.periodic import Periodic

CHECK = 0.2  # seconds between looks at the local counts: a change goes out within this
SPACING = 1.0  # least time between two messages of a process
HEARTBEAT = 10.0
EXPIRY = 30.0

Counts = dict[int, int]
Changed = Callable[[int], None]  # called with each event whose total changed


class Presence:
    def __init__(
        self,
        hub: Hub,
        local: Callable[[], Counts],
        *,
        spacing: float = SPACING,
        heartbeat: float = HEARTBEAT,
        expiry: float = EXPIRY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.process = uuid.uuid4().hex[:12]
        self._hub = hub
        self._local = local
        self._spacing = spacing
        self._heartbeat = heartbeat
        self._expiry = expiry
        self._clock = clock
        self._heard: dict[str, tuple[float, Counts]] = {}  # process -> (when, counts)
        self._totals: Counts = {}
        self._sent: Counts | None = None
        self._sent_at = float("-inf")
        self._watchers: list[Changed] = []
        self._ticker = Periodic("podium-presence", CHECK, self.tick)
        hub.add_listener(self.on_message)

    def watch(self, watcher: Changed) -> None:
        self._watchers.append(watcher)

    def total(self, event_id: int) -> int:
        """Participants connected to the event, on every process."""
        return self._totals.get(event_id, 0)

    async def start(self) -> None:
        await self._ticker.start()

    async def stop(self) -> None:
        await self._ticker.stop()
        # A hub that fails now is no matter: the others drop this process after `expiry`.
        with contextlib.suppress(Exception):
            await self._hub.publish(PresenceCounts(self.process, {}))

    async def tick(self) -> None:
        now = self._clock()
        counts = self._local()
        if now - self._sent_at >= self._spacing and (
            counts != self._sent or now - self._sent_at >= self._heartbeat
        ):
            self._sent, self._sent_at = counts, now
            await self._hub.publish(PresenceCounts(self.process, counts))
        silent = [p for p, (when, _) in self._heard.items() if now - when > self._expiry]
        for process in silent:
            del self._heard[process]
        if silent:
            self._sum()

    async def on_message(self, message: Message) -> None:
        match message:
            case Resync():
                self._sent = None  # the others may have missed ours: say it again
            case PresenceCounts(process=process, counts=counts):
                self._heard[process] = (self._clock(), dict(counts))
                self._sum()

    def _sum(self) -> None:
        totals: Counts = {}
        for _, counts in self._heard.values():
            for event_id, n in counts.items():
                totals[event_id] = totals.get(event_id, 0) + n
        before, self._totals = self._totals, totals
        changed = {e for e in before.keys() | totals.keys() if before.get(e) != totals.get(e)}
        for event_id in changed:
            for watcher in self._watchers:
                watcher(event_id)
