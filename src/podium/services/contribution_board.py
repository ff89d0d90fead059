"""Each running event's contributions, in memory, for the live views.

The board is a copy of the stored rows, read again whenever the hub says an
event's contributions changed (a send, an upvote, a moderation, in any process).
Reads are coalesced: while one runs, further messages only mark the event dirty,
and one more read follows. A thousand upvotes in a second cost a handful of reads,
and a deleted contribution is gone from the board after the next one (well within
the two seconds the live views promise). A deleted (or idle) event is forgotten
whole (`forget`, from podium/runtime.py): no later event sees its items.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from podium.domain import contributions
from podium.domain.contributions import State
from podium.live.messages import Contributions, Message, Resync
from podium.live.watch import Watcher, WatchKind
from podium.services.read_models import Item

log = logging.getLogger(__name__)

Reader = Callable[[int], Awaitable[list[Item]]]  # an event's items, from the store


class ContributionBoard:
    def __init__(self, read: Reader) -> None:
        self._read = read
        self._items: dict[int, list[Item]] = {}
        self._shapes: dict[int, object] = {}  # what the items look like, upvotes aside
        self._dirty: set[int] = set()
        self._reading: dict[int, asyncio.Task[None]] = {}
        self._watchers: list[Watcher] = []
        self._forgets = 0  # how many events were forgotten: a read begun before is stale

    def watch(self, watcher: Watcher) -> None:
        """Be told (CONTRIBUTIONS or VOTES, event id, None) after every change is read."""
        self._watchers.append(watcher)

    def loaded(self, event_id: int) -> list[Item] | None:
        return self._items.get(event_id)

    def held(self) -> int:
        """How many entries of any kind the board holds (0 when it holds nothing)."""
        return len(self._items) + len(self._shapes) + len(self._dirty) + len(self._reading)

    async def get(self, event_id: int) -> list[Item]:
        items = self._items.get(event_id)
        if items is None:
            forgets = self._forgets
            items = await self._read(event_id)
            if self._forgets != forgets:
                return items  # an event was forgotten meanwhile, maybe this one: keep nothing
            self._items[event_id] = items
            self._shapes[event_id] = _shape(items)
        return items

    def forget(self, event_id: int) -> None:
        """Drop all of the event; a read running now is not kept."""
        self._forgets += 1
        self._items.pop(event_id, None)
        self._shapes.pop(event_id, None)
        self._dirty.discard(event_id)
        task = self._reading.pop(event_id, None)
        if task is not None:
            task.cancel()

    async def on_message(self, message: Message) -> None:
        match message:
            case Contributions(event_id=event_id):
                self._schedule(event_id)
            case Resync():
                self.recheck()

    def recheck(self) -> None:
        """Read every event watched here again (a message may have been lost)."""
        for event_id in list(self._items):
            self._schedule(event_id)

    def _schedule(self, event_id: int) -> None:
        if event_id not in self._items:
            return  # nobody looks at it here: read when someone does
        self._dirty.add(event_id)
        if event_id not in self._reading:
            self._reading[event_id] = asyncio.create_task(self._reread(event_id))

    async def _reread(self, event_id: int) -> None:
        try:
            while event_id in self._dirty:
                self._dirty.discard(event_id)
                try:
                    items = await self._read(event_id)
                except Exception:
                    log.exception("reading the contributions of event %s failed", event_id)
                    return
                if event_id not in self._items:
                    return  # forgotten while it was read
                if items == self._items.get(event_id):
                    continue  # nothing changed (a periodic recheck, a repeated message)
                self._items[event_id] = items
                shape = _shape(items)
                # Only upvotes moved (the common case while a room votes): "votes".
                same = shape == self._shapes.get(event_id)
                what = WatchKind.VOTES if same else WatchKind.CONTRIBUTIONS
                self._shapes[event_id] = shape
                for watcher in self._watchers:
                    watcher(what, event_id, None)
        finally:
            if self._reading.get(event_id) is asyncio.current_task():
                del self._reading[event_id]

    async def stop(self) -> None:
        for task in list(self._reading.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _shape(items: list[Item]) -> object:
    return [(i.id, i.text, i.name, i.panelist, i.status, i.merged_into_id) for i in items]


def public(items: list[Item]) -> list[Item]:
    """What participants and the screen may see, as they list it (the domain's order)."""
    return contributions.public(items)


def highlighted(items: list[Item]) -> Item | None:
    return next((i for i in items if i.status.highlighted and i.state is State.APPROVED), None)
