"""What the services need of the running podium, and nothing more.

The composition root (podium/runtime.py) builds the engine, hub, caches and writer
and is passed to every service function; the services know it only by this
protocol, so that none of them imports the root and the root may import them all.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from podium.live.hub import Hub
from podium.live.messages import Message
from podium.services.contribution_board import ContributionBoard
from podium.services.live_cache import LiveCache
from podium.settings import Settings
from podium.store.writer import AnswerWriter


class Context(Protocol):
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    hub: Hub
    live: LiveCache
    board: ContributionBoard
    writer: AnswerWriter

    async def publish(self, message: Message) -> None: ...

    async def state_changed(self, event_id: int) -> None:
        """The event's live state changed (current question, voting, results)."""

    async def structure_changed(self, event_id: int) -> None:
        """The event's questions or details were edited."""

    async def event_gone(self, event_id: int) -> None:
        """The event was deleted: every process forgets it."""
