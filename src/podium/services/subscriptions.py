"""A visitor signs up for a series (or some of its events) and confirms by the link
in the mail (unsubscribing and the purge: services/subscription_ends.py).
domain/subscription.py decides; this stores, each action in one transaction with its
consent-log entry (and, for a sign-up, with its queued confirmation mail: both or
neither).

The mail's text is made by the caller's `compose` (podium/mail/confirmation.py):
the services do not know how a mail reads. What a requested extension of a
confirmed subscription covers waits in its `requested` log entry until confirmed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain import subscription as rules
from podium.domain.errors import NotFound
from podium.domain.subscription import Scope
from podium.services.catalog_common import as_utc
from podium.services.consent_texts import current_in
from podium.services.context import Context
from podium.services.mail_queue import Draft, add_mail
from podium.services.series_page import series_page
from podium.services.subscription_store import (
    Done,
    add_log,
    current_scope,
    events_of,
    now_utc,
    scope_record,
    series_of,
    set_events,
)
from podium.store.audience_tables import ConsentLogEntry, Subscriber


@dataclass(frozen=True)
class ChosenEvent:
    title: str
    starts_at: datetime | None


@dataclass(frozen=True)
class ConfirmationRequest:
    """What the confirmation mail says, for `compose`."""

    subscriber_id: int
    recipient: str
    lang: str
    series_slug: str
    series_title: str
    whole_series: bool
    events: tuple[ChosenEvent, ...]
    token: str  # the link's secret: only here and in the mail
    token_hash: str
    unsubscribe_key: str
    expires_at: datetime
    unconfirmed_days: int


Compose = Callable[[ConfirmationRequest], Draft]


@dataclass(frozen=True)
class Outcome:
    """What a sign-up did (for tests and logs; the visitor is told the same always)."""

    mailed: bool
    subscriber_id: int | None = None


async def sign_up(
    rt: Context,
    slug: str,
    *,
    email: str,
    lang: str,
    whole_series: bool,
    event_ids: Iterable[int],
    consent_version: int | None,
    consent_given: bool,
    ip: str | None,
    compose: Compose,
    now: datetime | None = None,
) -> Outcome:
    """Ask for a confirmation mail. Refused (RuleViolation, nothing stored) when the
    input is wrong; otherwise the same for a new, known, throttled address."""
    moment = now_utc(now)
    page = await series_page(rt, slug, now=moment)
    upcoming = [e for e in page.upcoming if not e.cancelled]
    if not upcoming:
        raise rules.Stale("signup_closed")
    address = rules.checked_signup_address(email)
    key = rules.email_key(address)
    rules.checked_language(lang)
    scope = rules.checked_scope(whole_series, event_ids, [e.id for e in upcoming])
    chosen = [] if scope.whole_series else [e for e in upcoming if e.id in scope.event_ids]
    try:
        async with rt.sessions() as session, session.begin():
            consent = await current_in(session, rt.settings, page.id)
            rules.checked_consent(consent_given, consent_version, consent.version)
            row = await session.scalar(
                select(Subscriber)
                .where(Subscriber.series_id == page.id, Subscriber.email_key == key)
                .with_for_update()
            )
            step = rules.sign_up_step(
                row.state if row else None, as_utc(row.last_mail_at) if row else None, moment
            )
            if not step.mail:
                return Outcome(False, row.id if row else None)
            token = rules.new_secret()
            token_hash = rules.secret_hash(token)
            expires = rules.token_expiry(moment, rt.settings.confirm_hours)
            if row is None:
                row = Subscriber(
                    series_id=page.id,
                    email_key=key,
                    unsubscribe_key=rules.new_secret(),
                )
                session.add(row)
            if step.restart:
                row.email = address
                row.lang = lang
                row.state = rules.PENDING
                row.whole_series = scope.whole_series
                row.consent_version = consent.version
                row.requested_at = moment
                row.confirmed_at = None
                row.withdrawn_at = None
            row.token_hash = token_hash
            row.token_expires_at = expires
            row.last_mail_at = moment
            await session.flush()
            if step.restart:
                await set_events(session, row.id, scope)
            record = scope_record(
                page.title, scope, [(e.id, e.title, e.starts_at) for e in chosen], lang
            )
            add_log(session, rt, row.id, rules.REQUESTED, consent.version, record, ip, moment)
            draft = compose(
                ConfirmationRequest(
                    subscriber_id=row.id,
                    recipient=address,
                    lang=lang,
                    series_slug=page.slug,
                    series_title=page.title,
                    whole_series=scope.whole_series,
                    events=tuple(ChosenEvent(e.title, e.starts_at) for e in chosen),
                    token=token,
                    token_hash=token_hash,
                    unsubscribe_key=row.unsubscribe_key,
                    expires_at=expires,
                    unconfirmed_days=rt.settings.unconfirmed_days,
                )
            )
            await add_mail(session, rt.settings.base_url, draft, moment)
            return Outcome(True, row.id)
    except IntegrityError:
        # The same address signed up by a concurrent request (or a first consent text
        # saved at the same moment): that one mails; this one is answered the same.
        return Outcome(False)


async def _latest_request(session: AsyncSession, subscriber_id: int) -> ConsentLogEntry | None:
    entry: ConsentLogEntry | None = await session.scalar(
        select(ConsentLogEntry)
        .where(
            ConsentLogEntry.subscriber_id == subscriber_id,
            ConsentLogEntry.action == rules.REQUESTED,
        )
        .order_by(ConsentLogEntry.id.desc())
        .limit(1)
    )
    return entry


async def confirm(
    rt: Context, slug: str, token: str, ip: str | None = None, now: datetime | None = None
) -> Done:
    """Follow a confirmation link (once, within confirm_hours, for its own series)."""
    moment = now_utc(now)
    if not rules.looks_like_secret(token):  # refused before any query
        raise NotFound("confirm_link_unknown")
    async with rt.sessions() as session, session.begin():
        series = await series_of(session, slug)
        row = await session.scalar(
            select(Subscriber)
            .where(Subscriber.token_hash == rules.secret_hash(token))
            .with_for_update()
        )
        rules.check_confirmation(
            None
            if row is None
            else rules.ConfirmCheck(
                row.series_id,
                row.state,
                as_utc(row.token_expires_at),
                used=row.token_expires_at is None,
            ),
            series.id,
            moment,
        )
        assert row is not None
        request = await _latest_request(session, row.id)
        asked = request.scope if request is not None else {}
        requested = Scope(
            bool(asked.get("whole_series", row.whole_series)),
            frozenset(int(e["id"]) for e in asked.get("events", [])),
        )
        scope = rules.scope_after_confirming(
            row.state, await current_scope(session, row), requested
        )
        events = await events_of(session, series.id, scope)
        if not scope.whole_series:
            scope = Scope(False, frozenset(e[0] for e in events))
        version = (
            request.consent_version if request and request.consent_version else row.consent_version
        )
        lang = str(asked.get("lang", row.lang))
        row.state = rules.CONFIRMED
        row.whole_series = scope.whole_series
        row.consent_version = version
        row.lang = lang if lang in rules.LANGUAGES else row.lang
        row.confirmed_at = moment
        row.token_expires_at = None  # used: the hash stays, so a second click is told so
        await set_events(session, row.id, scope)
        record = scope_record(series.title, scope, events, row.lang)
        add_log(session, rt, row.id, rules.CONFIRMED, version, record, ip, moment)
        return Done(series.title, scope.whole_series, tuple(e[1] for e in events))
