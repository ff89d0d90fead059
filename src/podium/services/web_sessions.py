"""Signed-in browsers' sessions in the `sessions` table (rules in domain/web_session).

Ending a session deletes its row: logout, a new password, a deactivated account and
an administrator's "end all sessions" hold at once on every process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update

from podium.domain import web_session as rules
from podium.services.context import Context
from podium.store.tables import SessionRow, User


@dataclass(frozen=True)
class Started:
    secret: str  # for the cookie only; never stored
    id: str
    csrf: str


@dataclass(frozen=True)
class Found:
    id: str
    csrf: str
    user: User


def utc(moment: datetime) -> datetime:
    """SQLite gives stored UTC times back without their zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _now(now: datetime | None) -> datetime:
    return utc(now or datetime.now(UTC))


async def start_session(
    rt: Context, user_id: int, csrf: str | None = None, now: datetime | None = None
) -> Started:
    """A new session (a new id at every sign-in: no fixation). `csrf` carries the
    token the browser's sign-in form had, so that a client that fetched it before
    signing in keeps using it. Expired rows go now: cheap, and sign-ins are rare."""
    moment = _now(now)
    secret = rules.new_secret()
    row = SessionRow(
        id=rules.session_id(secret),
        user_id=user_id,
        csrf=csrf or rules.new_csrf(),
        created_at=moment,
        last_seen_at=moment,
        expires_at=rules.expires_at(moment),
    )
    async with rt.sessions() as session, session.begin():
        await session.execute(delete(SessionRow).where(SessionRow.expires_at <= moment))
        session.add(row)
    return Started(secret, row.id, row.csrf)


async def find_session(rt: Context, secret: str, now: datetime | None = None) -> Found | None:
    """The live session of an active account whose cookie holds `secret`, or None."""
    moment = _now(now)
    ident = rules.session_id(secret)
    async with rt.sessions() as session:
        found = (
            await session.execute(
                select(SessionRow, User)
                .join(User, User.id == SessionRow.user_id)
                .where(SessionRow.id == ident)
            )
        ).first()
    if found is None:
        return None
    row, user = found
    if not user.active or not rules.is_live(utc(row.expires_at), moment):
        return None
    if rules.needs_touch(utc(row.last_seen_at), moment):
        async with rt.sessions() as session, session.begin():
            await session.execute(
                update(SessionRow).where(SessionRow.id == ident).values(last_seen_at=moment)
            )
    return Found(row.id, row.csrf, user)


async def end_session(rt: Context, ident: str) -> None:
    async with rt.sessions() as session, session.begin():
        await session.execute(delete(SessionRow).where(SessionRow.id == ident))


async def end_user_sessions(rt: Context, user_id: int, keep: str | None = None) -> int:
    """End every session of the account (but `keep`, the one asking); how many ended."""
    query = delete(SessionRow).where(SessionRow.user_id == user_id)
    if keep is not None:
        query = query.where(SessionRow.id != keep)
    async with rt.sessions() as session, session.begin():
        result = await session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


async def count_sessions(rt: Context, user_id: int) -> int:
    async with rt.sessions() as session:
        rows = await session.scalars(select(SessionRow.id).where(SessionRow.user_id == user_id))
        return len(list(rows))
