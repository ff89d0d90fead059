"""Who an event's invitation goes to, and what its mail says of the event: the
confirmed subscribers of its series who chose all of it or this event, and the
event as far as the public may see it (services/invitations.py sends to them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from podium.domain.errors import NotFound, RuleViolation
from podium.domain.invitation_rules import check_sendable
from podium.domain.series_page import shows_join_link
from podium.services.catalog_common import as_utc
from podium.services.context import Context
from podium.services.mail_queue import utc
from podium.store.audience_tables import Subscriber, SubscriberEvent
from podium.store.tables import Event


@dataclass(frozen=True)
class InvitationEvent:
    """What a mail says of the event (times in UTC)."""

    id: int
    slug: str
    title: str
    description: str
    format: str
    starts_at: datetime | None
    language: str
    cancelled: bool
    ics_sequence: int
    series_id: int | None
    series_slug: str
    series_title: str
    join_code: str | None  # only when the public page shows it
    reminder: bool


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    lang: str
    unsubscribe_key: str


@dataclass(frozen=True)
class Message:
    kind: str  # "invitation", "reminder", or "test-invitation"
    subject: str
    text: str
    event: InvitationEvent


def moment_of(now: datetime | None) -> datetime:
    return utc(now or datetime.now(UTC))


def event_info(event: Event, now: datetime) -> InvitationEvent:
    starts_at = as_utc(event.starts_at)
    series = event.series
    return InvitationEvent(
        id=event.id,
        slug=event.slug,
        title=event.title,
        description=event.description,
        format=event.format,
        starts_at=starts_at,
        language=event.language,
        cancelled=event.cancelled,
        ics_sequence=event.ics_sequence,
        series_id=event.series_id,
        series_slug=series.slug if series else "",
        series_title=series.title if series else "",
        join_code=(
            event.join_code
            if shows_join_link(event.join_link_public, event.cancelled, starts_at, now)
            else None
        ),
        reminder=event.reminder,
    )


async def load_event(session: AsyncSession, event_id: int) -> Event:
    event = await session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .options(selectinload(Event.series))
        .execution_options(populate_existing=True)
    )
    if event is None:
        raise NotFound("unknown_event")
    return event


def check_event(event: Event, now: datetime) -> None:
    series = event.series
    check_sendable(
        series is not None,
        bool(series and series.public),
        event.public,
        event.cancelled,
        as_utc(event.starts_at),
        now,
    )


async def lock_event(session: AsyncSession, event_id: int) -> None:
    """Hold the event's row until the transaction ends: a row lock on PostgreSQL,
    the write lock on SQLite (a no-op UPDATE; why: services/invitations.py)."""
    done = await session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(reminder=Event.reminder)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound("unknown_event")


def recipients_query(event_id: int, series_id: int | None) -> Select[Any]:
    """Confirmed subscribers of the series who chose all of it or this event."""
    chose_event = exists().where(
        SubscriberEvent.subscriber_id == Subscriber.id, SubscriberEvent.event_id == event_id
    )
    return select(Subscriber).where(
        Subscriber.series_id == series_id,
        Subscriber.state == "confirmed",
        Subscriber.withdrawn_at.is_(None),
        or_(Subscriber.whole_series.is_(True), chose_event),
    )


async def event_for_mail(
    rt: Context, event_id: int, now: datetime | None = None
) -> InvitationEvent:
    async with rt.sessions() as session:
        return event_info(await load_event(session, event_id), moment_of(now))


async def send_problem(rt: Context, event_id: int, now: datetime | None = None) -> str | None:
    """Why nothing can be sent for this event now (a message code), or None."""
    async with rt.sessions() as session:
        event = await load_event(session, event_id)
    try:
        check_event(event, moment_of(now))
    except RuleViolation as exc:
        return exc.code
    return None


async def recipients(rt: Context, event_id: int) -> list[Recipient]:
    async with rt.sessions() as session:
        event = await load_event(session, event_id)
        rows = await session.scalars(
            recipients_query(event.id, event.series_id).order_by(Subscriber.id)
        )
        return [Recipient(r.id, r.email, r.lang, r.unsubscribe_key) for r in rows]


async def count_recipients(rt: Context, event_id: int) -> int:
    async with rt.sessions() as session:
        event = await load_event(session, event_id)
        query = recipients_query(event.id, event.series_id).with_only_columns(func.count())
        return int(await session.scalar(query) or 0)


async def set_reminder(rt: Context, event_id: int, on: bool) -> None:
    async with rt.sessions() as session, session.begin():
        done = await session.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(reminder=on)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise NotFound("unknown_event")
