"""The durable mail queue: a mail is stored before anything is sent, and its state
is written before the SMTP transaction (`sending`, committed) and after it (`sent`,
or `queued` again with a later try, or `failed`).

A crash or kill between the two leaves a mail in `sending`: podium cannot know
whether the server accepted it. Such a mail becomes `unknown` and is NOT sent again,
because one missing mail (listed by `podium mail status` and the organiser UI, so
that someone can look) is better than two in a citizen's inbox. `recover` finds them
by the age of their claim (`STALE_CLAIM`, longer than any SMTP time-out), so that a
process starting next to a running one leaves that one's mail alone.

Each mail is named once by `(kind, ref)`: queueing the same twice keeps one row, so
a retried request or a resumed invitation run never queues a second copy. Its
Message-ID is made when it is queued and kept, so a mail written to the outbox or
sent reads the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import make_msgid
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.errors import RuleViolation
from podium.domain.mail_address import checked_address
from podium.domain.mail_retry import STALE_CLAIM, gives_up, retry_delay
from podium.services.context import Context
from podium.store.tables import MailRow

# `cancelled`: its recipient unsubscribed or was deleted before it went out.
STATES = ("queued", "sending", "sent", "failed", "unknown", "cancelled")
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class Draft:
    """A mail to queue. `headers`: extra ones such as List-Unsubscribe; `attachments`:
    {"filename", "content_type", "content"} with text content (an ICS file)."""

    kind: str
    ref: str | None
    recipient: str
    lang: str
    subject: str
    text: str
    html: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    attachments: Sequence[Mapping[str, str]] = ()
    run_id: int | None = None  # the invitation run it belongs to


@dataclass(frozen=True)
class Mail:
    """A queued mail as read from the queue."""

    id: int
    kind: str
    ref: str | None
    recipient: str
    lang: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    attachments: list[dict[str, str]]
    state: str
    attempts: int
    next_attempt_at: datetime
    message_id: str
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    run_id: int | None = None


def utc(moment: datetime) -> datetime:
    """SQLite gives stored UTC times back without their zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _mail(row: MailRow) -> Mail:
    return Mail(
        id=row.id,
        kind=row.kind,
        ref=row.ref,
        recipient=row.recipient,
        lang=row.lang,
        subject=row.subject,
        text=row.text,
        html=row.html,
        headers=dict(row.headers or {}),
        attachments=[dict(a) for a in row.attachments or []],
        state=row.state,
        attempts=row.attempts,
        next_attempt_at=utc(row.next_attempt_at),
        message_id=row.message_id,
        last_error=row.last_error,
        created_at=utc(row.created_at),
        sent_at=utc(row.sent_at) if row.sent_at is not None else None,
        run_id=row.run_id,
    )


def message_domain(base_url: str) -> str:
    return urlsplit(base_url).hostname or "localhost"


def _checked(draft: Draft) -> Draft:
    for value in (draft.subject, *draft.headers.keys(), *draft.headers.values()):
        if "\r" in value or "\n" in value:
            raise RuleViolation("control_characters")
    if draft.lang not in LANGUAGES:
        raise RuleViolation("unknown_language")
    return draft


async def _existing(session: AsyncSession, kind: str, ref: str | None) -> int | None:
    if ref is None:
        return None
    found: int | None = await session.scalar(
        select(MailRow.id).where(MailRow.kind == kind, MailRow.ref == ref)
    )
    return found


def _row(base_url: str, draft: Draft, moment: datetime) -> MailRow:
    recipient = checked_address(draft.recipient)
    _checked(draft)
    return MailRow(
        kind=draft.kind,
        ref=draft.ref,
        recipient=recipient,
        lang=draft.lang,
        subject=draft.subject,
        text=draft.text,
        html=draft.html,
        headers=dict(draft.headers),
        attachments=[dict(a) for a in draft.attachments],
        state="queued",
        attempts=0,
        next_attempt_at=moment,
        message_id=make_msgid(domain=message_domain(base_url)),
        last_error="",
        created_at=moment,
        run_id=draft.run_id,
    )


async def add_mail(
    session: AsyncSession, base_url: str, draft: Draft, now: datetime | None = None
) -> int:
    """Queue `draft` within the caller's transaction (a sign-up and its mail commit
    together); the id of the mail already queued under its (kind, ref) if any."""
    row = _row(base_url, draft, utc(now or datetime.now(UTC)))
    found = await _existing(session, draft.kind, draft.ref)
    if found is not None:
        return found
    session.add(row)
    await session.flush()
    return row.id


async def add_mails(
    session: AsyncSession, base_url: str, drafts: Sequence[Draft], now: datetime | None = None
) -> int:
    """Queue many drafts of one kind within the caller's transaction (an invitation
    run's batch): one query for those already queued, one multi-row insert for the
    rest. How many were added."""
    moment = utc(now or datetime.now(UTC))
    rows = [_row(base_url, draft, moment) for draft in drafts]
    refs = {(r.kind, r.ref) for r in rows if r.ref is not None}
    known: set[tuple[str, str | None]] = set()
    for kind in {kind for kind, _ in refs}:
        wanted = [ref for k, ref in refs if k == kind]
        found = await session.execute(
            select(MailRow.kind, MailRow.ref).where(MailRow.kind == kind, MailRow.ref.in_(wanted))
        )
        known.update((k, r) for k, r in found.all())
    fresh: list[MailRow] = []
    for row in rows:
        key = (row.kind, row.ref)
        if row.ref is not None and key in known:
            continue
        known.add(key)
        fresh.append(row)
    session.add_all(fresh)
    await session.flush()
    return len(fresh)


async def enqueue(rt: Context, draft: Draft, now: datetime | None = None) -> int:
    """Queue `draft` in a transaction of its own; idempotent per (kind, ref)."""
    try:
        async with rt.sessions() as session, session.begin():
            return await add_mail(session, rt.settings.base_url, draft, now)
    except IntegrityError:  # another request queued the same mail at the same moment
        async with rt.sessions() as session:
            found = await _existing(session, draft.kind, draft.ref)
        if found is None:
            raise
        return found


async def get_mail(rt: Context, mail_id: int) -> Mail | None:
    async with rt.sessions() as session:
        row = await session.get(MailRow, mail_id)
        return _mail(row) if row is not None else None


async def claim_next(
    rt: Context, now: datetime | None = None, only: int | None = None
) -> Mail | None:
    """The next due mail, marked `sending` and committed before it is handed out: a
    crash from here on leaves it in `sending`. None when nothing is due. Another
    process that claimed the same mail first wins; this one tries the next.
    `only`: that mail or none (`podium mail test` sends its own mail at once)."""
    moment = utc(now or datetime.now(UTC))
    async with rt.sessions() as session:
        for _ in range(5):
            async with session.begin():
                due = select(MailRow.id).where(
                    MailRow.state == "queued", MailRow.next_attempt_at <= moment
                )
                if only is not None:
                    due = due.where(MailRow.id == only)
                mail_id = await session.scalar(
                    due.order_by(MailRow.next_attempt_at, MailRow.id).limit(1)
                )
                if mail_id is None:
                    return None
                claimed = await session.execute(
                    update(MailRow)
                    .where(MailRow.id == mail_id, MailRow.state == "queued")
                    # The claim's time, for `recover`: a sender holds a mail minutes at most.
                    .values(state="sending", attempts=MailRow.attempts + 1, next_attempt_at=moment)
                    .execution_options(synchronize_session=False)
                )
                if claimed.rowcount != 1:  # type: ignore[attr-defined]
                    continue
            session.expire_all()
            row = await session.get(MailRow, mail_id)
            return _mail(row) if row is not None else None
    return None


async def _finish(rt: Context, mail_id: int, **values: object) -> bool:
    async with rt.sessions() as session, session.begin():
        done = await session.execute(
            update(MailRow)
            .where(MailRow.id == mail_id, MailRow.state == "sending")
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]


async def mark_sent(rt: Context, mail_id: int, now: datetime | None = None) -> bool:
    """The SMTP server accepted it (or it is in the outbox folder)."""
    moment = utc(now or datetime.now(UTC))
    return await _finish(rt, mail_id, state="sent", sent_at=moment, last_error="")


async def mark_retry(
    rt: Context, mail: Mail, error: str, now: datetime | None = None, permanent: bool = False
) -> str:
    """The try failed: queued again after the back-off, or `failed` when the server
    refused the recipient for good (5xx) or the tries are used up. The new state."""
    moment = utc(now or datetime.now(UTC))
    if permanent or gives_up(mail.attempts):
        await _finish(rt, mail.id, state="failed", last_error=error[:2000])
        return "failed"
    await _finish(
        rt,
        mail.id,
        state="queued",
        next_attempt_at=moment + retry_delay(mail.attempts),
        last_error=error[:2000],
    )
    return "queued"


async def mark_unknown(rt: Context, mail_id: int, error: str) -> bool:
    """The connection broke while the server was taking the mail: it may have arrived,
    so it is not sent again (as after a crash, without waiting for `recover`)."""
    return await _finish(rt, mail_id, state="unknown", last_error=error[:2000])


async def recover(rt: Context, now: datetime | None = None) -> int:
    """Mails left in `sending` by a crash become `unknown` (not sent again); how many."""
    moment = utc(now or datetime.now(UTC))
    async with rt.sessions() as session, session.begin():
        done = await session.execute(
            update(MailRow)
            .where(MailRow.state == "sending", MailRow.next_attempt_at <= moment - STALE_CLAIM)
            .values(
                state="unknown",
                last_error="cut off during sending: it may or may not have arrived",
            )
            .execution_options(synchronize_session=False)
        )
        return int(done.rowcount)  # type: ignore[attr-defined]


async def status(rt: Context) -> dict[str, int]:
    """Mails per state, every state named."""
    async with rt.sessions() as session:
        rows = (
            await session.execute(select(MailRow.state, func.count()).group_by(MailRow.state))
        ).all()
    counts = dict.fromkeys(STATES, 0)
    for state, count in rows:
        counts[state] = int(count)
    return counts


async def problems(rt: Context, limit: int = 100) -> list[Mail]:
    """The mails someone should look at: failed, or unknown whether they arrived."""
    async with rt.sessions() as session:
        rows = await session.scalars(
            select(MailRow)
            .where(MailRow.state.in_(("failed", "unknown")))
            .order_by(MailRow.id)
            .limit(limit)
        )
        return [_mail(row) for row in rows]


def _to_subscriber(subscriber_ids: Sequence[int]) -> ColumnElement[bool]:
    """The mails queued for these subscribers: their confirmation mails
    (`confirm:{id}:…`) and the invitations and reminders of every run (`run…:sub{id}`)."""
    return or_(
        *(
            condition
            for ident in subscriber_ids
            for condition in (
                MailRow.ref.like(f"confirm:{ident}:%"),
                MailRow.ref.like(f"run%:sub{ident}"),
            )
        )
    )


async def cancel_for_subscribers(session: AsyncSession, subscriber_ids: Sequence[int]) -> int:
    """Mails still waiting for these subscribers are not sent (they unsubscribed);
    within the caller's transaction; how many."""
    if not subscriber_ids:
        return 0
    done = await session.execute(
        update(MailRow)
        .where(_to_subscriber(subscriber_ids), MailRow.state == "queued")
        .values(state="cancelled", last_error="the recipient unsubscribed before it was sent")
        .execution_options(synchronize_session=False)
    )
    return int(done.rowcount)  # type: ignore[attr-defined]


async def erase_for_subscribers(session: AsyncSession, subscriber_ids: Sequence[int]) -> int:
    """The subscribers are deleted: their waiting mails are cancelled, and every mail
    to them keeps only its record (kind, state, times, Message-ID), not the address or
    what it said; within the caller's transaction; how many."""
    if not subscriber_ids:
        return 0
    await cancel_for_subscribers(session, subscriber_ids)
    done = await session.execute(
        update(MailRow)
        .where(_to_subscriber(subscriber_ids))
        .values(recipient="", text="", html="", headers={}, attachments=[])
        .execution_options(synchronize_session=False)
    )
    return int(done.rowcount)  # type: ignore[attr-defined]
