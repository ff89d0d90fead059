"""What the organiser sees and does with a series' subscribers: who is in which
state for what, the confirmed ones and the consent log for export (to a
data-protection officer), and deleting a subscriber with their log on request."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from podium.domain import subscription as rules
from podium.domain.errors import NotFound
from podium.services.catalog_common import as_utc
from podium.services.context import Context
from podium.services.subscription_store import delete_subscribers
from podium.store.audience_tables import ConsentLogEntry, Subscriber, SubscriberEvent
from podium.store.tables import Event, Series


@dataclass(frozen=True)
class SubscriberRow:
    id: int
    email: str
    lang: str
    state: str
    whole_series: bool
    events: tuple[str, ...]  # titles of the chosen events
    consent_version: int
    requested_at: datetime
    confirmed_at: datetime | None
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class Audience:
    counts: dict[str, int]  # every state named
    subscribers: list[SubscriberRow]


@dataclass(frozen=True)
class LogRow:
    id: int
    subscriber_id: int
    email: str
    action: str
    at: datetime
    consent_version: int | None
    scope: dict[str, Any]
    ip: str | None


async def _series(rt: Context, series_id: int) -> Series:
    async with rt.sessions() as session:
        series = await session.get(Series, series_id)
    if series is None:
        raise NotFound("unknown_series")
    return series


async def audience(rt: Context, series_id: int) -> Audience:
    """The series' subscribers, sorted by address, and how many are in each state."""
    await _series(rt, series_id)
    async with rt.sessions() as session:
        rows = list(
            await session.scalars(
                select(Subscriber)
                .where(Subscriber.series_id == series_id)
                .order_by(Subscriber.email_key, Subscriber.id)
            )
        )
        chosen = await session.execute(
            select(SubscriberEvent.subscriber_id, Event.title)
            .join(Event, Event.id == SubscriberEvent.event_id)
            .join(Subscriber, Subscriber.id == SubscriberEvent.subscriber_id)
            .where(Subscriber.series_id == series_id)
            .order_by(Event.starts_at, Event.id)
        )
    titles: dict[int, list[str]] = defaultdict(list)
    for subscriber_id, title in chosen.all():
        titles[subscriber_id].append(title)
    counts = dict.fromkeys(rules.STATES, 0)
    out: list[SubscriberRow] = []
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
        requested = as_utc(row.requested_at)
        assert requested is not None
        out.append(
            SubscriberRow(
                id=row.id,
                email=row.email,
                lang=row.lang,
                state=row.state,
                whole_series=row.whole_series,
                events=tuple(titles.get(row.id, ())),
                consent_version=row.consent_version,
                requested_at=requested,
                confirmed_at=as_utc(row.confirmed_at),
                withdrawn_at=as_utc(row.withdrawn_at),
            )
        )
    return Audience(counts, out)


async def confirmed(rt: Context, series_id: int) -> list[SubscriberRow]:
    return [s for s in (await audience(rt, series_id)).subscribers if s.state == rules.CONFIRMED]


async def get_subscriber(rt: Context, series_id: int, subscriber_id: int) -> SubscriberRow:
    for row in (await audience(rt, series_id)).subscribers:
        if row.id == subscriber_id:
            return row
    raise NotFound("unknown_subscriber")


async def consent_log(rt: Context, series_id: int) -> list[LogRow]:
    """Every entry of the series' consent log, oldest first."""
    await _series(rt, series_id)
    async with rt.sessions() as session:
        rows = await session.execute(
            select(ConsentLogEntry, Subscriber.email)
            .join(Subscriber, Subscriber.id == ConsentLogEntry.subscriber_id)
            .where(Subscriber.series_id == series_id)
            .order_by(ConsentLogEntry.id)
        )
        out = []
        for entry, email in rows.all():
            at = as_utc(entry.at)
            assert at is not None
            out.append(
                LogRow(
                    id=entry.id,
                    subscriber_id=entry.subscriber_id,
                    email=email,
                    action=entry.action,
                    at=at,
                    consent_version=entry.consent_version,
                    scope=dict(entry.scope or {}),
                    ip=entry.ip,
                )
            )
        return out


async def delete_subscriber(rt: Context, series_id: int, subscriber_id: int) -> None:
    """On request: the subscriber, their chosen events and their log, for good."""
    async with rt.sessions() as session, session.begin():
        found = await session.scalar(
            select(Subscriber.id).where(
                Subscriber.id == subscriber_id, Subscriber.series_id == series_id
            )
        )
        if found is None:
            raise NotFound("unknown_subscriber")
        await delete_subscribers(session, [subscriber_id])
