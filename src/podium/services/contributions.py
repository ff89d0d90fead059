"""What a participant does with written contributions: send one, upvote, take it back.

Every rule is asked of domain/contributions.py and domain/blocklist.py before
anything is stored; a contribution that is not approved is never published
beyond the moderators (see `Item.visible`, services/read_models.py). After each
commit the hub is told that the event's contributions changed; the contribution
board reloads them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.contributions import (
    InvalidContribution,
    Limits,
    RateLimit,
    State,
    Status,
    check_rate,
    clean_name,
    clean_panelist,
    clean_text,
    initial_state,
    is_near_duplicate,
    visible_to_audience,
)
from podium.domain.errors import NotAllowed, NotFound
from podium.live.messages import Contributions
from podium.services import read_models
from podium.services.context import Context
from podium.services.live_cache import LiveEvent
from podium.services.participation import event_salt, participant_id, token_hash
from podium.services.read_models import Item, item_of
from podium.store.tables import Contribution, ContributionVote, Participant, ParticipantBan, utcnow

RATE = RateLimit()
LIMITS = Limits()
MINE_WINDOW = timedelta(minutes=10)  # a participant's own texts, for duplicates
ROOM_WINDOW = timedelta(seconds=60)  # anyone's texts, for the same text pasted again


async def changed(rt: Context, event_id: int) -> None:
    await rt.publish(Contributions(event_id))


async def all_items(rt: Context, event_id: int) -> list[Item]:
    """Every contribution of the event, oldest first: for moderators and the board."""
    return await read_models.all_items(rt.sessions, event_id)


async def submit(
    rt: Context, event: LiveEvent, token: str, text: Any, name: Any = None, panelist: Any = None
) -> Item:
    """Check a contribution against every rule, then store it: pending under
    pre-moderation, approved under post-moderation."""
    if not event.contributions_open:
        raise NotAllowed("contributions_closed")
    clean = clean_text(text, LIMITS)
    shown_name = clean_name(name, LIMITS)
    addressed = clean_panelist(panelist, event.panelists)
    blocked = event.blocklist.find(clean) + (event.blocklist.find(shown_name) if shown_name else [])
    if blocked:
        raise InvalidContribution("contribution_blocked", words=", ".join(dict.fromkeys(blocked)))
    pid = await participant_id(rt, event.id, token)
    now = utcnow()
    async with rt.sessions() as session:
        if await session.get(ParticipantBan, (event.id, pid)) is not None:
            raise NotAllowed("banned")
        mine = (
            await session.execute(
                select(Contribution.created_at, Contribution.original_text, Contribution.text)
                .where(
                    Contribution.participant_id == pid,
                    Contribution.created_at >= now - MINE_WINDOW,
                )
                .order_by(Contribution.id)
            )
        ).all()
        room = await session.scalars(
            select(Contribution.text).where(
                Contribution.event_id == event.id,
                Contribution.created_at >= now - ROOM_WINDOW,
            )
        )
        room_texts = list(room)
    check_rate([_seconds(row[0], now) for row in mine], 0.0, RATE)
    if is_near_duplicate(clean, [row[1] or row[2] for row in mine] + room_texts):
        raise NotAllowed("duplicate_contribution")
    state = initial_state(event.moderation)
    async with rt.sessions.begin() as session:
        row = Contribution(
            event_id=event.id,
            participant_id=pid,
            text=clean,
            name=shown_name,
            panelist=addressed,
            state=state.value,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        item = item_of(row)
    await changed(rt, event.id)
    return item


def _seconds(at: datetime, now: datetime) -> float:
    """`at` as seconds before now (negative): the rate limit's clock runs at 0 = now.
    SQLite hands times back without their zone; they are UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=now.tzinfo)
    return (at - now).total_seconds()


async def lock(session: AsyncSession, event_id: int, contribution_id: int) -> Status | None:
    """Hold the contribution's row for the rest of the transaction and read its status,
    or None when the event has no such contribution.

    Upvotes, withdrawals and merges all take this lock before they touch upvote rows,
    so they follow one another: what one reads under it nobody changes until it
    commits. A no-op UPDATE, not SELECT … FOR UPDATE: on PostgreSQL it takes the row
    lock, on SQLite (which has no row locks) it takes the write lock at once, so no
    transaction reads first and finds the database written when it wants to write.
    """
    row = (
        await session.execute(
            update(Contribution)
            .where(Contribution.id == contribution_id, Contribution.event_id == event_id)
            .values(votes=Contribution.votes)
            .returning(
                Contribution.state,
                Contribution.highlighted,
                Contribution.answered,
                Contribution.pinned,
            )
            .execution_options(synchronize_session=False)
        )
    ).first()
    if row is None:
        return None
    return Status(State(row.state), row.highlighted, row.answered, row.pinned)


async def vote(rt: Context, event: LiveEvent, token: str, contribution_id: int, up: bool) -> Item:
    """Upvote (or take the upvote back). The database keeps one vote per participant
    and contribution; a repeated upvote changes nothing.

    An upvote does not bump the version: the version tells a moderator that another
    moderator decided first, and with the audience upvoting, every moderation of a
    popular contribution would be refused. Nothing reads `votes` to write it back
    later: it moves by the row actually added or removed, under the row lock, and a
    merge counts the rows under the same lock (see moderation.merge)."""
    pid = await participant_id(rt, event.id, token)
    dialect = rt.engine.dialect.name
    async with rt.sessions.begin() as session:
        # Under the lock: a merge or a rejection committing meanwhile is seen, not missed
        status = await lock(session, event.id, contribution_id)
        if status is None:
            raise NotFound("unknown_contribution")
        if not visible_to_audience(status):
            raise NotAllowed("contribution_not_votable")
        if up:
            dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
            added = await session.scalar(
                dialect_insert(ContributionVote)
                .values(contribution_id=contribution_id, participant_id=pid, created_at=utcnow())
                .on_conflict_do_nothing()
                .returning(ContributionVote.contribution_id)
            )
            step = 1 if added is not None else 0
        else:
            removed = await session.execute(
                delete(ContributionVote)
                .where(
                    ContributionVote.contribution_id == contribution_id,
                    ContributionVote.participant_id == pid,
                )
                .returning(ContributionVote.contribution_id)
            )
            step = -1 if removed.first() is not None else 0
        if step:
            await session.execute(
                update(Contribution)
                .where(Contribution.id == contribution_id)
                .values(votes=Contribution.votes + step)
            )
        fresh = await session.get(Contribution, contribution_id, populate_existing=True)
        assert fresh is not None
        item = item_of(fresh)
    if step:
        await changed(rt, event.id)
    return item


async def mine(rt: Context, event_id: int, token: str) -> tuple[list[Item], set[int]]:
    """The participant's own contributions (pending ones too) and what it upvoted."""
    digest = token_hash(await event_salt(rt, event_id), token)
    async with rt.sessions() as session:
        pid = await session.scalar(
            select(Participant.id).where(
                Participant.event_id == event_id, Participant.token_hash == digest
            )
        )
        if pid is None:
            return [], set()
        own = await session.scalars(
            select(Contribution)
            .where(Contribution.participant_id == pid, Contribution.event_id == event_id)
            .order_by(Contribution.id)
        )
        items = [item_of(row) for row in own]
        voted = await session.scalars(
            select(ContributionVote.contribution_id).where(ContributionVote.participant_id == pid)
        )
        return items, set(voted)


async def counted_votes(rt: Context, contribution_id: int) -> int:
    """How many upvote rows a contribution has: the truth its `votes` column is kept equal to."""
    async with rt.sessions() as session:
        return int(
            await session.scalar(
                select(func.count()).where(ContributionVote.contribution_id == contribution_id)
            )
            or 0
        )
