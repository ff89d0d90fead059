"""Invitations to an event, and the day-before reminder: one mail run per send, one
queued mail per subscriber who consented to the event (the mail sender sends them).

The mail's words are made one layer up (mail/invitation.py): the web layer and the
server's periodic task pass its `compose` in, so that this module decides who gets
what and when, and never renders.

Sending twice is prevented under a lock on the event's row (a no-op UPDATE, as in
services/contributions.lock: a row lock on PostgreSQL, the write lock on SQLite):
two clicks, two processes or a restart read the runs one after the other, and the
run and its mails commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from secrets import token_hex

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.errors import NotAllowed, NotFound, RuleViolation
from podium.domain.invitation_rules import LOOKAHEAD, reminder_due
from podium.domain.invitation_text import check_message, default_message
from podium.services.catalog_common import as_utc
from podium.services.context import Context
from podium.services.invitation_audience import (
    Message,
    Recipient,
    check_event,
    event_info,
    load_event,
    lock_event,
    moment_of,
    recipients_query,
)
from podium.services.mail_queue import Draft, add_mail, add_mails, utc
from podium.store.audience_tables import MailRun, Subscriber
from podium.store.tables import Event, MailRow, User

# Mails queued per statement: a run of thousands is a few multi-row inserts.
BATCH = 500

# Builds a recipient's mail; kind, ref, run and recipient are set here afterwards.
Compose = Callable[[Message, Recipient], Draft]


@dataclass(frozen=True)
class RunInfo:
    id: int
    event_id: int
    kind: str
    subject: str
    text: str
    state: str
    recipients: int
    created_at: datetime
    finished_at: datetime | None


def _run_info(run: MailRun) -> RunInfo:
    return RunInfo(
        id=run.id,
        event_id=run.event_id,
        kind=run.kind,
        subject=run.subject,
        text=run.text,
        state=run.state,
        recipients=run.recipients,
        created_at=utc(run.created_at),
        finished_at=utc(run.finished_at) if run.finished_at else None,
    )


def _checked_message(event: Event, kind: str, subject: str, text: str, now: datetime) -> Message:
    info = event_info(event, now)
    checked = check_message(subject, text, info.join_code is not None)
    return Message(kind, checked.subject, checked.text, info)


def _recipient_draft(
    compose: Compose, message: Message, run_id: int | None, ref: str, recipient: Recipient
) -> Draft:
    draft = compose(message, recipient)
    return replace(
        draft,
        kind=message.kind,
        ref=ref,
        run_id=run_id,
        recipient=recipient.email,
        lang=recipient.lang if recipient.lang in ("de", "en") else "de",
    )


async def _refuse_repeat(session: AsyncSession, message: Message) -> None:
    """The same mail twice, or a second run while one is still going out."""
    runs = list(
        await session.scalars(
            select(MailRun)
            .where(MailRun.event_id == message.event.id, MailRun.kind == message.kind)
            .order_by(MailRun.id)
        )
    )
    for run in runs:
        if run.subject == message.subject and run.text == message.text:
            raise NotAllowed("invitation_already_sent")
    if runs:
        open_mails = await session.scalar(
            select(func.count())
            .select_from(MailRow)
            .where(
                MailRow.run_id.in_([r.id for r in runs]),
                MailRow.state.in_(("queued", "sending")),
            )
        )
        if open_mails:
            raise NotAllowed("invitation_running")


async def _start(
    session: AsyncSession,
    base_url: str,
    event: Event,
    message: Message,
    user_id: int | None,
    compose: Compose,
    now: datetime,
) -> MailRun:
    run = MailRun(
        event_id=event.id,
        kind=message.kind,
        subject=message.subject,
        text=message.text,
        state="sending",
        recipients=0,
        created_by=user_id,
        created_at=now,
    )
    session.add(run)
    await session.flush()
    # Plain tuples, not ORM rows: thousands of them cost little memory, and the
    # queue's statements run between the batches, never under an open cursor.
    found = (
        await session.execute(
            recipients_query(event.id, event.series_id)
            .with_only_columns(
                Subscriber.id, Subscriber.email, Subscriber.lang, Subscriber.unsubscribe_key
            )
            .order_by(Subscriber.id)
        )
    ).all()
    count = 0
    for start in range(0, len(found), BATCH):
        drafts = [
            _recipient_draft(
                compose, message, run.id, f"run{run.id}:sub{ident}", Recipient(ident, *rest)
            )
            for ident, *rest in found[start : start + BATCH]
        ]
        count += await add_mails(session, base_url, drafts, now)
    run.recipients = count
    if count == 0:  # a reminder nobody is left to receive: done, and not tried again
        run.state = "done"
        run.finished_at = now
    return run


async def start_run(
    rt: Context,
    event_id: int,
    subject: str,
    text: str,
    user_id: int | None,
    compose: Compose,
    kind: str = "invitation",
    now: datetime | None = None,
) -> RunInfo:
    """Queue the mail to every recipient of the event, as one run."""
    if kind not in ("invitation", "reminder"):
        raise RuleViolation("bad_request")
    moment = moment_of(now)
    async with rt.sessions() as session, session.begin():
        await lock_event(session, event_id)
        event = await load_event(session, event_id)
        check_event(event, moment)
        message = _checked_message(event, kind, subject, text, moment)
        await _refuse_repeat(session, message)
        first = await session.scalar(
            recipients_query(event.id, event.series_id).with_only_columns(func.count())
        )
        if not first:
            raise NotAllowed("no_recipients")
        run = await _start(session, rt.settings.base_url, event, message, user_id, compose, moment)
        return _run_info(run)


async def send_test(
    rt: Context,
    event_id: int,
    subject: str,
    text: str,
    user_id: int,
    compose: Compose,
    lang: str = "de",
    now: datetime | None = None,
) -> int:
    """The mail as a recipient would get it, to the organiser's own address; the
    composer marks its subject as a test. A new mail for every click."""
    moment = moment_of(now)
    async with rt.sessions() as session, session.begin():
        event = await load_event(session, event_id)
        check_event(event, moment)
        message = _checked_message(event, "test-invitation", subject, text, moment)
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound("unknown_user")
        recipient = Recipient(0, user.email, lang, "test")
        ref = f"event{event.id}:user{user.id}:{token_hex(8)}"
        draft = _recipient_draft(compose, message, None, ref, recipient)
        return await add_mail(session, rt.settings.base_url, draft, moment)


async def reminders_due(rt: Context, compose: Compose, now: datetime | None = None) -> list[int]:
    """Start the reminder run of every event whose reminder is due now (see
    domain/invitation_rules.py), with the default text in the event's language. An
    event that has a reminder run already is left alone: safe to call from every
    process, every few minutes. The ids of the runs started."""
    moment = moment_of(now)
    async with rt.sessions() as session:
        candidates = list(
            await session.scalars(
                select(Event.id).where(
                    Event.reminder.is_(True),
                    Event.cancelled.is_(False),
                    Event.public.is_(True),
                    Event.starts_at > moment,
                    Event.starts_at <= moment + LOOKAHEAD,
                    ~exists().where(MailRun.event_id == Event.id, MailRun.kind == "reminder"),
                )
            )
        )
    started: list[int] = []
    for event_id in candidates:
        run = await _start_reminder(rt, event_id, compose, moment)
        if run is not None:
            started.append(run)
    return started


async def _start_reminder(
    rt: Context, event_id: int, compose: Compose, now: datetime
) -> int | None:
    async with rt.sessions() as session, session.begin():
        await lock_event(session, event_id)
        event = await load_event(session, event_id)
        if not event.reminder or not reminder_due(as_utc(event.starts_at), now):
            return None
        try:
            check_event(event, now)
        except RuleViolation:
            return None
        already = await session.scalar(
            select(MailRun.id).where(MailRun.event_id == event.id, MailRun.kind == "reminder")
        )
        if already is not None:
            return None
        default = default_message("reminder", event.language)
        message = _checked_message(event, "reminder", default.subject, default.text, now)
        run = await _start(session, rt.settings.base_url, event, message, None, compose, now)
        return run.id


async def list_runs(rt: Context, event_id: int) -> list[RunInfo]:
    async with rt.sessions() as session:
        rows = await session.scalars(
            select(MailRun).where(MailRun.event_id == event_id).order_by(MailRun.id.desc())
        )
        return [_run_info(r) for r in rows]


async def get_run(rt: Context, run_id: int) -> RunInfo:
    async with rt.sessions() as session:
        run = await session.get(MailRun, run_id)
        if run is None:
            raise NotFound("not_found")
        return _run_info(run)
