"""How a subscription ends: its owner unsubscribes (at once, logged; a second time
changes nothing and says so), or a sign-up never confirmed is purged with its log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from podium.domain import subscription as rules
from podium.domain.errors import NotFound
from podium.services.context import Context
from podium.services.mail_queue import cancel_for_subscribers
from podium.services.subscription_store import (
    Done,
    add_log,
    current_scope,
    delete_subscribers,
    events_of,
    now_utc,
    scope_record,
    series_of,
)
from podium.store.audience_tables import Subscriber


async def unsubscribe(
    rt: Context, slug: str, key: str, ip: str | None = None, now: datetime | None = None
) -> Done:
    """Withdraw at once (pending or confirmed); a second time changes nothing and says so."""
    moment = now_utc(now)
    if not rules.looks_like_secret(key):
        raise NotFound("unsubscribe_link_unknown")
    async with rt.sessions() as session, session.begin():
        series = await series_of(session, slug)
        row = await session.scalar(
            select(Subscriber).where(Subscriber.unsubscribe_key == key).with_for_update()
        )
        if row is None or row.series_id != series.id:
            raise NotFound("unsubscribe_link_unknown")
        scope = await current_scope(session, row)
        events = await events_of(session, series.id, scope)
        titles = tuple(e[1] for e in events)
        if row.state == rules.WITHDRAWN:
            return Done(series.title, scope.whole_series, titles, already=True)
        row.state = rules.WITHDRAWN
        row.withdrawn_at = moment
        row.token_hash = None  # a confirmation link still in a mailbox confirms nothing now
        row.token_expires_at = None
        await cancel_for_subscribers(session, [row.id])  # "at once": nothing more goes out
        record = scope_record(series.title, scope, events, row.lang)
        add_log(session, rt, row.id, rules.WITHDRAWN, row.consent_version, record, ip, moment)
        return Done(series.title, scope.whole_series, titles)


async def purge_unconfirmed(rt: Context, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the sign-ups never confirmed within unconfirmed_days (pending, or
    withdrawn before confirming), with their log; how many (with `dry_run`: how many
    would go). Safe to run on every process at once and as often as wanted."""
    cutoff = rules.purge_before(now_utc(now), rt.settings.unconfirmed_days)
    async with rt.sessions() as session, session.begin():
        ids = list(
            await session.scalars(
                select(Subscriber.id).where(
                    Subscriber.confirmed_at.is_(None),
                    Subscriber.state.in_((rules.PENDING, rules.WITHDRAWN)),
                    Subscriber.requested_at < cutoff,
                )
            )
        )
        if not dry_run:
            await delete_subscribers(session, ids)
        return len(ids)
