"""Finding what the hub never delivered: a process killed between a commit and its
publish leaves rows that the other processes never hear of, and Redis pub/sub has no
replay. A process that starts broadcasts a resync (live/redis_hub.py); this finds the
loss without one, by comparing, every `interval` seconds, the stored answers of each
event held here with the rows its tallies know.

One aggregate query per event and check. A row counts as missed only when it was
stored at one check and is still unknown at the next: a change in flight on the hub
(committed, not yet delivered) is no loss. PostgreSQL ids do not follow commit order,
so "stored by then" is the count of rows up to the highest id seen then; a row with
a lower id committed later can only hide a loss until the next check, never invent
one. Contributions are read again at every check (the board tells only what changed).
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from podium.live.periodic import Periodic
from podium.services.contribution_board import ContributionBoard
from podium.services.live_cache import LiveCache
from podium.store.tables import Answer

log = logging.getLogger(__name__)

Stored = dict[int, tuple[int, int]]  # question id -> (rows stored, highest id)


class Reconciler:
    def __init__(
        self,
        live: LiveCache,
        board: ContributionBoard,
        sessions: async_sessionmaker[AsyncSession],
        interval: float,
    ) -> None:
        self._live = live
        self._board = board
        self._sessions = sessions
        self._suspects: dict[int, Stored] = {}  # event id -> rows stored, not all known
        self._timer = Periodic("podium-reconciler", interval, self.check)
        self.reloads = 0

    async def check(self) -> list[int]:
        """One round; returns the events whose tallies were rebuilt."""
        self._board.recheck()
        rebuilt: list[int] = []
        for event_id in self._live.loaded_ids():
            event = self._live.loaded(event_id)
            if event is None or not event.rows:
                continue
            suspects = self._suspects.pop(event_id, {})
            missed = any(
                question_id in event.rows
                and sum(1 for row in event.rows[question_id].known if row <= highest) < stored
                for question_id, (stored, highest) in suspects.items()
            )
            if missed:
                log.warning("event %s: answers were never heard here; rebuilding", event_id)
                await self._live.reload(event_id)
                self.reloads += 1
                rebuilt.append(event_id)
                continue
            counts = await self._stored(list(event.rows))
            unknown = {
                question_id: found
                for question_id, found in counts.items()
                if found[0] > len(event.rows[question_id].known)
            }
            if unknown:
                self._suspects[event_id] = unknown
        return rebuilt

    async def _stored(self, question_ids: list[int]) -> Stored:
        async with self._sessions() as session:
            found = await session.execute(
                select(Answer.question_id, func.count(), func.max(Answer.id))
                .where(Answer.question_id.in_(question_ids))
                .group_by(Answer.question_id)
            )
            return {row[0]: (row[1], row[2]) for row in found}

    def forget(self, event_id: int) -> None:
        self._suspects.pop(event_id, None)

    async def start(self) -> None:
        await self._timer.start()

    async def stop(self) -> None:
        await self._timer.stop()
