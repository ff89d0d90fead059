"""What the views and the API read: contributions as `Item`s, built from stored rows.

Kept apart from the use cases (services/contributions.py, services/moderation.py) so
that the board, which holds them, and the web, which shows them, depend on rows and
domain rules only, not on the services that write them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from podium.domain.contributions import State, Status, visible_to_audience
from podium.store.tables import Contribution


@dataclass(frozen=True)
class Item:
    """A contribution as views and the API show it."""

    id: int
    event_id: int
    text: str
    original_text: str | None  # the participant's words, when a moderator corrected them
    name: str | None
    panelist: str | None
    status: Status
    votes: int
    version: int
    merged_into_id: int | None
    created_at: datetime

    @property
    def visible(self) -> bool:
        """May participants and the presenter screen see it? Only when approved."""
        return visible_to_audience(self.status)

    @property
    def state(self) -> State:
        return self.status.state


def item_of(row: Contribution) -> Item:
    return Item(
        id=row.id,
        event_id=row.event_id,
        text=row.text,
        original_text=row.original_text,
        name=row.name,
        panelist=row.panelist,
        status=Status(State(row.state), row.highlighted, row.answered, row.pinned),
        votes=row.votes,
        version=row.version,
        merged_into_id=row.merged_into_id,
        created_at=row.created_at,
    )


async def all_items(sessions: async_sessionmaker[AsyncSession], event_id: int) -> list[Item]:
    """Every contribution of the event, oldest first: for moderators and the board."""
    async with sessions() as session:
        rows = await session.scalars(
            select(Contribution).where(Contribution.event_id == event_id).order_by(Contribution.id)
        )
        return [item_of(row) for row in rows]
