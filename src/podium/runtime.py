"""The composition root: engine, writer, hub, live cache and board, built once from
settings.

Web, CLI and tests hold one `Runtime` and pass it to the service functions, which
know it only as `services.context.Context`: nothing in services imports this module.

It also wires the one path by which an event leaves memory (`forget`,
services/live_eviction.py): the views added with `add_view` (the fan-out), the
board, the writer's participants, the reconciler and the live cache drop all of it,
on the hub's `Forget` (a deleted event, every process) or when it is idle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from podium.domain.word_forms import warm_up
from podium.live.hub import Hub, MemoryHub
from podium.live.messages import Answers, Forget, Message, State, Structure
from podium.live.periodic import Periodic
from podium.services.contribution_board import ContributionBoard
from podium.services.live_cache import LiveCache
from podium.services.live_eviction import Eviction
from podium.services.read_models import all_items
from podium.services.reconciler import Reconciler
from podium.settings import Settings
from podium.store.engine import make_engine, make_sessionmaker
from podium.store.migrate import ensure_migrated
from podium.store.writer import AnswerWriter, Committed


def make_hub(settings: Settings) -> Hub:
    """One process: the in-memory hub. Several processes share a Redis channel."""
    if not settings.redis_url:
        return MemoryHub()
    from podium.live.redis_hub import RedisHub  # only installations with Redis need redis-py

    return RedisHub(settings.redis_url, settings.redis_channel)


def answers_message(committed: list[Committed]) -> Answers:
    """The hub message of committed answer changes."""
    return Answers.of(committed)


class Runtime:
    def __init__(self, settings: Settings, hub: Hub | None = None) -> None:
        self.settings = settings
        self.engine: AsyncEngine = make_engine(settings.database_url)
        self.sessions: async_sessionmaker[AsyncSession] = make_sessionmaker(self.engine)
        self.hub: Hub = hub or make_hub(settings)
        self.live = LiveCache(self.sessions)
        self.board = ContributionBoard(partial(all_items, self.sessions))
        self.writer = AnswerWriter(
            self.engine, self._publish_answers, max_queue=settings.writer_queue
        )
        # One process cannot lose its own messages; several can lose each other's.
        self.reconciler = (
            None
            if isinstance(self.hub, MemoryHub)
            else Reconciler(self.live, self.board, self.sessions, settings.reconcile_interval)
        )
        # Tallies move only by hub messages, this process's own included: one code path.
        self.hub.add_listener(self.live.on_message)
        self.hub.add_listener(self.board.on_message)
        self.hub.add_listener(self._hear_forget)
        self.eviction = Eviction(self.live.idle, settings.evict_after)
        self.eviction.hold(self.board.forget)
        self.eviction.hold(self.writer.forget_event)
        if self.reconciler is not None:
            self.eviction.hold(self.reconciler.forget)
        self.eviction.hold(self.live.forget)  # last: the others may look at the event
        self.live.on_gone(self.forget)  # a reload found it deleted: its message was lost
        self._evictor = Periodic(
            "podium-evictor", min(60.0, settings.evict_after / 4), self.evict_idle
        )

    async def start(self) -> None:
        await ensure_migrated(self.engine, self.settings.database_url)
        await asyncio.to_thread(warm_up)  # the word clouds' dictionaries, once per process
        await self.hub.start()
        await self.writer.start()
        if self.reconciler is not None:
            await self.reconciler.start()
        await self._evictor.start()

    async def stop(self) -> None:
        await self._evictor.stop()
        if self.reconciler is not None:
            await self.reconciler.stop()
        await self.board.stop()
        await self.writer.stop()
        await self.hub.stop()
        await self.engine.dispose()

    async def publish(self, message: Message) -> None:
        await self.hub.publish(message)

    async def _publish_answers(self, committed: list[Committed]) -> None:
        await self.hub.publish(answers_message(committed))

    async def state_changed(self, event_id: int) -> None:
        await self.hub.publish(State(event_id))

    async def structure_changed(self, event_id: int) -> None:
        await self.hub.publish(Structure(event_id))

    async def event_gone(self, event_id: int) -> None:
        """The event was deleted: every process forgets it (this one at once)."""
        self.forget(event_id)
        await self.hub.publish(Forget(event_id))

    def add_view(self, forget: Callable[[int], None], in_use: Callable[[int], bool]) -> None:
        """A holder of live state outside the runtime (the fan-out): `forget` drops an
        event, `in_use` says whether it must stay (open streams)."""
        self.eviction.add_view(forget, in_use)

    def forget(self, event_id: int) -> None:
        """Drop all that this process keeps of the event."""
        self.eviction.forget(event_id)

    def evict_idle(self, now: float | None = None) -> list[int]:
        """Forget the events idle for `evict_after` seconds without an open stream."""
        return self.eviction.evict_idle(now)

    async def _hear_forget(self, message: Message) -> None:
        if isinstance(message, Forget):
            self.forget(message.event_id)
