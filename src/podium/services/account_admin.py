"""Accounts managed by an administrator in the browser: invite by link, change the
role, deactivate, delete, reset a password by link; every change in the account log.

No password is ever mailed or shown: an invitation and a reset are single-use links
that expire (LINK_DAYS); the administrator passes the link on, its holder sets the
password. Only the link token's SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from podium.domain.access import ROLES, needs_organisation
from podium.domain.errors import NotFound, RuleViolation
from podium.services import accounts
from podium.services.context import Context
from podium.services.organisations import default_organisation_id, organisation_id_named
from podium.services.web_sessions import end_user_sessions
from podium.store.tables import AccountLink, AccountLog, User

LINK_DAYS = 7
# No argon2 hash looks like this: the account cannot sign in before its link is used.
NO_PASSWORD = "!invited"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


async def _log(rt: Context, actor: str, account: str, action: str, detail: str = "") -> None:
    async with rt.sessions() as session, session.begin():
        session.add(AccountLog(actor=actor, account=account, action=action, detail=detail))


async def _new_link(rt: Context, user_id: int) -> str:
    """A fresh link; the account's older unused links stop working."""
    token = secrets.token_urlsafe(32)
    now = _now()
    async with rt.sessions() as session, session.begin():
        await session.execute(
            update(AccountLink)
            .where(AccountLink.user_id == user_id, AccountLink.used_at.is_(None))
            .values(used_at=now)
        )
        session.add(
            AccountLink(
                user_id=user_id,
                token_hash=_digest(token),
                created_at=now,
                expires_at=now + timedelta(days=LINK_DAYS),
            )
        )
    return token


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise RuleViolation("bad_role", allowed=", ".join(ROLES))
    return role


async def invite(rt: Context, actor: User, email: str, role: str, organisation: str) -> str:
    """A new account without a password, and the link (its token) that sets one."""
    email = accounts.check_email(email)
    _check_role(role)
    organisation = (organisation or "").strip()
    if not needs_organisation(role) and organisation:
        raise RuleViolation("administrator_without_organisation")
    if await accounts.get_user_by_email(rt, email) is not None:
        raise RuleViolation("email_taken")
    async with rt.sessions() as session, session.begin():
        user = User(email=email, password_hash=NO_PASSWORD, name="", role=role)
        if needs_organisation(role):
            user.organisation_id = await (
                organisation_id_named(session, organisation)
                if organisation
                else default_organisation_id(session)
            )
        session.add(user)
        await session.flush()
        user_id = user.id
    await _log(rt, actor.email, email, "invited", f"{role} {organisation}".strip())
    return await _new_link(rt, user_id)


async def _other_account(rt: Context, actor: User, user_id: int) -> User:
    """The account an administrator changes: not their own (they would lock
    themselves out)."""
    user = await accounts.get_user(rt, user_id)
    if user is None:
        raise NotFound("unknown_user")
    if user.id == actor.id:
        raise RuleViolation("own_account")
    return user


async def change_role(rt: Context, actor: User, user_id: int, role: str) -> None:
    user = await _other_account(rt, actor, user_id)
    _check_role(role)
    async with rt.sessions() as session, session.begin():
        org_id = user.organisation_id
        if not needs_organisation(role):
            org_id = None
        elif org_id is None:
            org_id = await default_organisation_id(session)
        await session.execute(
            update(User).where(User.id == user.id).values(role=role, organisation_id=org_id)
        )
    await end_user_sessions(rt, user.id)  # a session must not keep the old role's rights
    await _log(rt, actor.email, user.email, "role", f"{user.role} → {role}")


async def set_active(rt: Context, actor: User, user_id: int, active: bool) -> None:
    user = await _other_account(rt, actor, user_id)
    await accounts.set_active(rt, user.email, active)  # ends the sessions at once
    await _log(rt, actor.email, user.email, "activated" if active else "deactivated")


async def delete_account(rt: Context, actor: User, user_id: int) -> None:
    user = await _other_account(rt, actor, user_id)
    await end_user_sessions(rt, user.id)
    async with rt.sessions() as session, session.begin():
        await session.execute(delete(User).where(User.id == user.id))
    await _log(rt, actor.email, user.email, "deleted")


async def reset_link(rt: Context, actor: User, user_id: int) -> str:
    """A link that sets a new password; the old one works until the link is used."""
    user = await _other_account(rt, actor, user_id)
    token = await _new_link(rt, user.id)
    await _log(rt, actor.email, user.email, "reset_link")
    return token


async def link_account(rt: Context, token: str) -> User | None:
    """The account a valid (unused, unexpired) link is for."""
    async with rt.sessions() as session:
        link = await session.scalar(
            select(AccountLink).where(AccountLink.token_hash == _digest(token or ""))
        )
        if link is None or link.used_at is not None:
            return None
        if accounts_utc(link.expires_at) <= _now():
            return None
        return await session.get(User, link.user_id)


async def use_link(rt: Context, token: str, password: str) -> User:
    """Set the password through the link; the link is used up, the account's
    sessions end."""
    accounts.check_password(password)
    user = await link_account(rt, token)
    if user is None:
        raise NotFound("link_invalid")
    await accounts.set_password(rt, user.email, password)
    async with rt.sessions() as session, session.begin():
        await session.execute(
            update(AccountLink)
            .where(AccountLink.token_hash == _digest(token))
            .values(used_at=_now())
        )
    await _log(rt, user.email, user.email, "password_set")
    return user


async def account_log(rt: Context, limit: int = 200) -> list[AccountLog]:
    async with rt.sessions() as session:
        return list(
            await session.scalars(
                select(AccountLog).order_by(AccountLog.at.desc(), AccountLog.id.desc()).limit(limit)
            )
        )


def accounts_utc(moment: datetime) -> datetime:
    """SQLite gives times back without their zone: they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
