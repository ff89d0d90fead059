"""Deleting what the audience left: an event's answers, contributions and anonymous
participants, while the event itself (questions, settings, links) stays.

For one event on the organiser's request (`clear_event_data`), for every event older
than some days (`purge_older_than`, run by `podium purge`), and by the server itself
when `answers_retention_days` is set (`purge_expired`, a periodic task). Each event
is cleared in one transaction; then every process forgets its live state (the hub's
`Forget`, as for a deleted event), so that tallies, the contribution board, the
writer's participants and the open streams start again from the now empty tables:
the streams end, the browsers reconnect and get a fresh frame.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ScalarSelect, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.errors import NotFound
from podium.domain.retention import is_expired
from podium.live.periodic import Periodic
from podium.services.catalog_common import as_utc
from podium.services.context import Context
from podium.store.tables import (
    Answer,
    Contribution,
    ContributionVote,
    Event,
    Participant,
    ParticipantBan,
    Question,
    WordEditRow,
)

log = logging.getLogger(__name__)

# How often the server looks for expired events: retention is counted in days, and
# one look an hour keeps each event's data at most an hour past its period.
RETENTION_INTERVAL = 3600.0


@dataclass(frozen=True)
class Counts:
    """What an event holds of its audience. `answers` are the current ones (what the
    results count); the replaced answers they superseded go with them."""

    answers: int = 0
    contributions: int = 0
    participants: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.answers + other.answers,
            self.contributions + other.contributions,
            self.participants + other.participants,
        )

    @property
    def empty(self) -> bool:
        return not (self.answers or self.contributions or self.participants)


@dataclass(frozen=True)
class Purged:
    """One event's deleted (or, in a dry run, deletable) data."""

    event_id: int
    title: str
    starts_at: datetime | None
    counts: Counts


def _questions(event_id: int) -> ScalarSelect[int]:
    return select(Question.id).where(Question.event_id == event_id).scalar_subquery()


async def _counts(session: AsyncSession, event_id: int) -> Counts:
    answers = await session.scalar(
        select(func.count())
        .select_from(Answer)
        .where(Answer.question_id.in_(_questions(event_id)), Answer.superseded.is_(False))
    )
    contributions = await session.scalar(
        select(func.count()).select_from(Contribution).where(Contribution.event_id == event_id)
    )
    participants = await session.scalar(
        select(func.count()).select_from(Participant).where(Participant.event_id == event_id)
    )
    return Counts(answers or 0, contributions or 0, participants or 0)


async def event_data_counts(rt: Context, event_id: int) -> Counts:
    """What clearing the event would delete."""
    async with rt.sessions() as session:
        if await session.get(Event, event_id) is None:
            raise NotFound("unknown_event")
        return await _counts(session, event_id)


async def _clear(session: AsyncSession, event_id: int) -> Counts:
    counts = await _counts(session, event_id)
    contributions = select(Contribution.id).where(Contribution.event_id == event_id)
    await session.execute(
        delete(ContributionVote).where(ContributionVote.contribution_id.in_(contributions))
    )
    await session.execute(delete(ParticipantBan).where(ParticipantBan.event_id == event_id))
    await session.execute(delete(Contribution).where(Contribution.event_id == event_id))
    await session.execute(delete(Answer).where(Answer.question_id.in_(_questions(event_id))))
    # Moderators' merges and hides of the word clouds keep the words people typed;
    # with the answers gone they edit nothing.
    await session.execute(
        delete(WordEditRow).where(WordEditRow.question_id.in_(_questions(event_id)))
    )
    await session.execute(delete(Participant).where(Participant.event_id == event_id))
    return counts


async def clear_event_data(rt: Context, event_id: int) -> Counts:
    """Delete the event's answers, contributions (with their upvotes), bans, word
    edits and participants in one transaction; the event stays. Returns what went."""
    async with rt.sessions() as session, session.begin():
        if await session.get(Event, event_id, with_for_update=True) is None:
            raise NotFound("unknown_event")
        counts = await _clear(session, event_id)
    # Every process drops what it holds of the event (as for a deleted one); the next
    # request loads it again, with nothing counted.
    await rt.event_gone(event_id)
    return counts


async def purge_older_than(
    rt: Context, days: int, now: datetime | None = None, dry_run: bool = False
) -> list[Purged]:
    """Clear every event that started more than `days` days before `now` and still
    holds answers, contributions or participants; oldest first. A dry run only counts."""
    now = now or datetime.now(UTC)
    async with rt.sessions() as session:
        rows = (
            await session.execute(
                select(Event.id, Event.title, Event.starts_at)
                .where(Event.starts_at.is_not(None))
                .order_by(Event.starts_at, Event.id)
            )
        ).all()
    done: list[Purged] = []
    for event_id, title, starts_at in rows:
        if not is_expired(starts_at, now, days):
            continue
        if dry_run:
            async with rt.sessions() as session:
                counts = await _counts(session, event_id)
        else:
            try:
                counts = await clear_event_data(rt, event_id)
            except NotFound:  # deleted meanwhile: nothing left to purge
                continue
        if not counts.empty:
            done.append(Purged(event_id, title, as_utc(starts_at), counts))
    return done


async def purge_expired(rt: Context, now: datetime | None = None) -> list[Purged]:
    """The server's own retention: with `answers_retention_days` set, clear the events
    that started longer ago. A step for a periodic task (live/periodic.Periodic)."""
    days = rt.settings.answers_retention_days
    if days <= 0:
        return []
    purged = await purge_older_than(rt, days, now)
    for item in purged:
        log.info(
            "retention: deleted %d answers, %d contributions, %d participants of event %d",
            item.counts.answers,
            item.counts.contributions,
            item.counts.participants,
            item.event_id,
        )
    return purged


def retention_task(rt: Context, interval: float = RETENTION_INTERVAL) -> Periodic | None:
    """The server's periodic retention (start and stop it with the runtime), or None
    while `answers_retention_days` is 0. Each process may run it: a second clearing
    of the same event finds nothing left."""
    if rt.settings.answers_retention_days <= 0:
        return None
    return Periodic("podium-retention", interval, lambda: purge_expired(rt))
