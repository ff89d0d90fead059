"""What the sign-up's services share: the time, the scope as the consent log records
it, a log entry, a subscriber's chosen events, and deleting subscribers whole."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.errors import NotFound
from podium.domain.subscription import Scope
from podium.services.catalog_common import as_utc
from podium.services.context import Context
from podium.services.mail_queue import erase_for_subscribers
from podium.store.audience_tables import ConsentLogEntry, Subscriber, SubscriberEvent
from podium.store.tables import Event, Series


@dataclass(frozen=True)
class Done:
    """A confirmation or an unsubscription, for its page."""

    series_title: str
    whole_series: bool
    events: tuple[str, ...]
    already: bool = False  # unsubscribed before


def now_utc(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def scope_record(
    series_title: str, scope: Scope, events: Iterable[tuple[int, str, datetime | None]], lang: str
) -> dict[str, Any]:
    """A scope as the log keeps it: readable without the events (they may be deleted)."""
    return {
        "series": series_title,
        "whole_series": scope.whole_series,
        "events": [
            {"id": ident, "title": title, "starts_at": when.isoformat() if when else None}
            for ident, title, when in sorted(events, key=lambda e: e[0])
        ],
        "lang": lang,
    }


def add_log(
    session: AsyncSession,
    rt: Context,
    subscriber_id: int,
    action: str,
    version: int,
    scope: dict[str, Any],
    ip: str | None,
    now: datetime,
) -> None:
    """One consent-log entry; the client's address only with PODIUM_SIGNUP_STORE_IP."""
    session.add(
        ConsentLogEntry(
            subscriber_id=subscriber_id,
            action=action,
            consent_version=version,
            scope=scope,
            at=now,
            ip=(ip or None) if rt.settings.signup_store_ip else None,
        )
    )


async def set_events(session: AsyncSession, subscriber_id: int, scope: Scope) -> None:
    await session.execute(
        delete(SubscriberEvent).where(SubscriberEvent.subscriber_id == subscriber_id)
    )
    for event_id in sorted(scope.event_ids) if not scope.whole_series else ():
        session.add(SubscriberEvent(subscriber_id=subscriber_id, event_id=event_id))


async def series_of(session: AsyncSession, slug: str) -> Series:
    series = await session.scalar(select(Series).where(Series.slug == slug))
    if series is None:
        raise NotFound("not_found")
    return series


async def current_scope(session: AsyncSession, row: Subscriber) -> Scope:
    if row.whole_series:
        return Scope(True)
    ids = await session.scalars(
        select(SubscriberEvent.event_id).where(SubscriberEvent.subscriber_id == row.id)
    )
    return Scope(False, frozenset(ids))


async def events_of(
    session: AsyncSession, series_id: int, scope: Scope
) -> list[tuple[int, str, datetime | None]]:
    """The scope's events that still exist in the series, with title and start."""
    if scope.whole_series or not scope.event_ids:
        return []
    rows = await session.execute(
        select(Event.id, Event.title, Event.starts_at)
        .where(Event.id.in_(sorted(scope.event_ids)), Event.series_id == series_id)
        .order_by(Event.starts_at, Event.id)
    )
    return [(ident, title, as_utc(when)) for ident, title, when in rows.all()]


async def delete_subscribers(session: AsyncSession, ids: list[int]) -> None:
    """Subscribers with their chosen events and their whole log, and the addresses
    and texts of the mails sent to them (the caller's transaction)."""
    if not ids:
        return
    await erase_for_subscribers(session, ids)
    await session.execute(delete(ConsentLogEntry).where(ConsentLogEntry.subscriber_id.in_(ids)))
    await session.execute(delete(SubscriberEvent).where(SubscriberEvent.subscriber_id.in_(ids)))
    await session.execute(delete(Subscriber).where(Subscriber.id.in_(ids)))
