"""What every live view needs, in memory: each running event's questions, live
state and tallies. The tallies are a cache of the stored answers: built from the
rows when an event is loaded, then moved by the committed changes the hub
delivers, never read-incremented-written back.

Exact tallies while other processes commit (the reasoning the code relies on):

1. A load reads every answer row of a question, superseded or not, in one SELECT.
   One statement reads a consistent state (PostgreSQL: the statement's snapshot
   under READ COMMITTED; SQLite: the WAL read snapshot): it sees every transaction
   committed before it and nothing of the others. The tally counts the current
   rows; `CountedRows.known` keeps the ids of all rows read.
2. A change is published only after its transaction committed. A change heard
   before a load starts is therefore in the load's snapshot and may be ignored;
   changes heard while a load runs are kept and applied after it.
3. A transaction's rows are all in a snapshot or none are, so a change whose new
   row is `known` was read by the snapshot, with its supersede: skip it. PostgreSQL
   takes ids from a sequence before commit, so ids do not follow commit order (row
   105 may commit before row 104); no "highest id read" watermark can decide this,
   the set of ids read can.
4. Otherwise the change counts its new row and removes the row it replaced. That
   old row was committed before the change's transaction read it as current, and it
   is superseded in the same transaction that inserts the new row. Only one
   committed transaction ever supersedes a row: another that read it as current too
   collides with the unique index of current answers and is retried after
   rereading. So when the new row is not in the snapshot, the old row is either
   in it and current there (remove it), or not in it at all: then its own change
   is applied as well, before or after this one, since two processes' publishes
   may reach the hub in either order. A change that replaces a row not yet known
   marks it `cancelled`, and that row's own change, arriving later, adds nothing.
Hence tally == current rows, whatever the interleaving of loads and changes, and a
change heard twice counts once.

An event is held only while it is used: `forget` drops all of it (a deleted event,
or one idle for a while, see services/live_eviction.py), and the next request loads it
again. A lock exists only while a load runs or waits, so ids that were never
found, or forgotten, leave nothing behind.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from podium.live.messages import AnswerChange, Answers, Message, Resync, State, Structure
from podium.live.watch import Watcher, WatchKind
from podium.services.live_eviction import Usage
from podium.services.live_load import load_event
from podium.services.live_model import Change, LiveEvent, LiveQuestion, apply_change
from podium.store.tables import Event

# The cache's model, for those who hold its events.
__all__ = ["LiveCache", "LiveEvent", "LiveQuestion"]


class _Lock:
    """An event's load lock, with the number of coroutines holding or waiting for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class LiveCache:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._events: dict[int, LiveEvent] = {}
        self._by_code: dict[str, int] = {}
        self._by_token: dict[str, int] = {}
        self._locks: dict[int, _Lock] = {}
        # event id -> changes heard while the event (re)loads; present while a load runs
        self._pending: dict[int, list[Change]] = {}
        self._dropped: set[int] = set()  # forgotten while a load ran: that load is not kept
        self._usage = Usage(clock)  # when a request last asked for each event
        self._watchers: list[Watcher] = []
        self._gone: list[Callable[[int], None]] = []

    def watch(self, watcher: Watcher) -> None:
        """Be told of every change: (RESULTS, event, question) or (STATE, event, None)."""
        self._watchers.append(watcher)

    def on_gone(self, callback: Callable[[int], None]) -> None:
        """Be told when a reload finds an event deleted (its "forget" may have been lost)."""
        self._gone.append(callback)

    def loaded(self, event_id: int) -> LiveEvent | None:
        return self._events.get(event_id)

    def held(self) -> int:
        """How many entries of any kind this cache holds (0 when it holds nothing)."""
        return len(self._events) + len(self._by_code) + len(self._by_token) + len(self._usage)

    def idle(self, before: float) -> list[int]:
        """The events held here that no request asked for since `before` (this cache's
        clock) and that no load is busy with."""
        return self._usage.idle(before, lambda e: e in self._pending or e in self._locks)

    def forget(self, event_id: int) -> None:
        """Drop all of the event; a load running now is not kept. The next request
        loads it again (or finds it gone)."""
        self._forget(event_id)
        self._usage.drop(event_id)
        if event_id in self._pending:
            self._dropped.add(event_id)

    def loaded_ids(self) -> list[int]:
        return sorted(self._events)

    async def reload(self, event_id: int) -> None:
        """Rebuild the event's tallies from the stored rows (rows were missed)."""
        await self._refresh(event_id, keep_tallies=False)
        self._tell(WatchKind.STATE, event_id, None)

    async def get(self, event_id: int) -> LiveEvent | None:
        live = self._events.get(event_id)
        if live is None:
            async with self._lock(event_id):
                if event_id not in self._events:
                    await self._reload(event_id, keep=None)
            live = self._events.get(event_id)
            if live is None:
                return None
        self._usage.touch(event_id)
        return live

    async def by_code(self, join_code: str) -> LiveEvent | None:
        return await self._by(self._by_code, Event.join_code, join_code)

    async def by_presenter_token(self, token: str) -> LiveEvent | None:
        return await self._by(self._by_token, Event.presenter_token, token)

    async def _by(self, index: dict[str, int], column: Any, value: str) -> LiveEvent | None:
        event_id = index.get(value)
        if event_id is None:
            async with self._sessions() as session:
                event_id = await session.scalar(select(Event.id).where(column == value))
            if event_id is None:
                return None
        return await self.get(event_id)

    async def on_message(self, message: Message) -> None:
        match message:
            case Answers(changes=changes):
                self._hear_answers(changes)
            case State(event_id=event_id) | Structure(event_id=event_id):
                # An event still loading may have read the state before this change: reload too.
                if event_id in self._events or event_id in self._pending:
                    await self._refresh(event_id, keep_tallies=True)
                self._tell(WatchKind.STATE, event_id, None)
            case Resync():
                # Messages may have been lost: every tally is rebuilt from the stored rows.
                for event_id in sorted(set(self._events) | set(self._pending)):
                    await self.reload(event_id)

    def _hear_answers(self, items: tuple[AnswerChange, ...]) -> None:
        changed: set[tuple[int, int]] = set()
        for item in items:
            event_id = item.event_id
            change: Change = (item.question_id, item.old, item.new, item.row_id, item.old_row_id)
            pending = self._pending.get(event_id)
            if pending is not None:
                pending.append(change)
                continue
            live = self._events.get(event_id)
            if live is not None and apply_change(live, change):
                changed.add((event_id, item.question_id))
        for event_id, question_id in sorted(changed):
            self._tell(WatchKind.RESULTS, event_id, question_id)

    def _apply_heard(self, live: LiveEvent, changes: list[Change]) -> None:
        changed = {change[0] for change in changes if apply_change(live, change)}
        for question_id in sorted(changed):
            self._tell(WatchKind.RESULTS, live.id, question_id)

    def _tell(self, what: WatchKind, event_id: int, question_id: int | None) -> None:
        for watcher in self._watchers:
            watcher(what, event_id, question_id)

    @asynccontextmanager
    async def _lock(self, event_id: int) -> AsyncIterator[None]:
        entry = self._locks.get(event_id)
        if entry is None:
            entry = self._locks[event_id] = _Lock()
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._locks[event_id]

    def _remember(self, live: LiveEvent) -> None:
        self._events[live.id] = live
        self._by_code[live.join_code] = live.id
        self._by_token[live.presenter_token] = live.id

    def _forget(self, event_id: int) -> None:
        live = self._events.pop(event_id, None)
        if live is not None:
            self._by_code.pop(live.join_code, None)
            self._by_token.pop(live.presenter_token, None)

    async def _refresh(self, event_id: int, keep_tallies: bool) -> None:
        """Reload the event's state; with `keep_tallies`, keep the tallies of
        questions whose spec did not change (they are exact already)."""
        async with self._lock(event_id):
            await self._reload(event_id, self._events.get(event_id) if keep_tallies else None)

    async def _reload(self, event_id: int, keep: LiveEvent | None) -> None:
        """(Re)load an event; the caller holds its lock, so one load runs at a time."""
        # From here on changes are kept, not applied: the snapshot below may or may
        # not hold them, and only after it can `CountedRows` tell which.
        self._pending[event_id] = []
        try:
            fresh = await load_event(self._sessions, event_id, keep)
        except BaseException:
            self._dropped.discard(event_id)
            current = self._events.get(event_id)
            heard = self._pending.pop(event_id)
            if current is not None:
                self._apply_heard(current, heard)
            raise
        heard = self._pending.pop(event_id)
        held = event_id in self._events
        self._forget(event_id)
        if event_id in self._dropped:
            self._dropped.discard(event_id)  # forgotten meanwhile: this load is stale
            return
        if fresh is not None:
            self._remember(fresh)
            self._apply_heard(fresh, heard)
        elif held:
            self._usage.drop(event_id)
            for callback in self._gone:
                callback(event_id)
