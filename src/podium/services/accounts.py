"""Organiser and moderator accounts: argon2id passwords, moderator assignments."""

from __future__ import annotations

import asyncio
import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.access import ROLES as ACCESS_ROLES
from podium.domain.access import Decision, needs_organisation
from podium.domain.errors import NotFound, RuleViolation
from podium.services.access import event_decision
from podium.services.catalog_common import check_storable
from podium.services.context import Context
from podium.services.organisations import default_organisation_id, organisation_id_named
from podium.services.web_sessions import end_user_sessions
from podium.store.tables import Event, EventModerator, User

MIN_PASSWORD = 10
# argon2 would hash megabytes happily; a cap keeps a login form from being a CPU lever.
MAX_PASSWORD = 1024
MAX_EMAIL = 254
MAX_NAME = 200
ROLES = ACCESS_ROLES  # administrator, organiser, moderator
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")

_hasher = PasswordHasher()  # argon2id with the library's current recommended costs


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    email = normalise_email(email)
    if len(email) > MAX_EMAIL or not _EMAIL.match(email) or "\x00" in email:
        raise RuleViolation("bad_email")
    return email


async def _by_email(session: AsyncSession, email: str) -> User | None:
    """The account with this address. U+0000 is in no stored address, and PostgreSQL
    refuses it even in a query: such an address finds nobody, on every backend."""
    email = normalise_email(email)
    if "\x00" in email:
        return None
    return await session.scalar(select(User).where(User.email == email))


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise RuleViolation("password_too_short", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise RuleViolation("password_too_long", max=MAX_PASSWORD)
    return password


async def create_user(
    rt: Context,
    email: str,
    password: str,
    name: str = "",
    role: str = "organiser",
    organisation: str | None = None,
) -> User:
    """An account. Organisers and moderators belong to `organisation` (made if it does
    not exist yet; the default organisation if not named); administrators to none."""
    email = check_email(email)
    check_password(password)
    name = check_storable(" ".join((name or "").split()))
    if len(name) > MAX_NAME:
        raise RuleViolation("name_too_long", max=MAX_NAME)
    if role not in ROLES:
        raise RuleViolation("bad_role", allowed=", ".join(ROLES))
    async with rt.sessions() as session:
        if await session.scalar(select(exists().where(User.email == email))):
            raise RuleViolation("email_taken")
    if not needs_organisation(role) and organisation:
        raise RuleViolation("administrator_without_organisation")
    password_hash = await _hash(password)  # outside the transaction: it takes a while
    user = User(email=email, password_hash=password_hash, name=name, role=role)
    try:
        async with rt.sessions() as session, session.begin():
            if needs_organisation(role):
                user.organisation_id = await (
                    organisation_id_named(session, organisation)
                    if organisation
                    else default_organisation_id(session)
                )
            session.add(user)
    except IntegrityError:
        raise RuleViolation("email_taken") from None  # created meanwhile by someone else
    return user


async def authenticate(rt: Context, email: str, password: str) -> User | None:
    """The user with this email and password, or None.

    An unknown email costs as much time as a wrong password, so that response times
    do not tell which addresses have accounts. A deactivated account is refused
    after the same work, with the same answer."""
    async with rt.sessions() as session:
        user = await _by_email(session, email)
    if user is None:
        await _verify(await _dummy_hash(), password or "")
        return None
    if not await _verify(user.password_hash, password or "") or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        # Costs were raised since this hash was made; the plain password is only here now.
        user.password_hash = await _hash(password)
        async with rt.sessions() as session, session.begin():
            await session.execute(
                update(User).where(User.id == user.id).values(password_hash=user.password_hash)
            )
    return user


async def get_user(rt: Context, user_id: int) -> User | None:
    async with rt.sessions() as session:
        return await session.get(User, user_id)


async def get_user_by_email(rt: Context, email: str) -> User | None:
    async with rt.sessions() as session:
        return await _by_email(session, email)


async def list_users(rt: Context) -> list[User]:
    async with rt.sessions() as session:
        return list(await session.scalars(select(User).order_by(User.email)))


async def set_password(rt: Context, email: str, password: str, keep: str | None = None) -> int:
    """A new password ends the account's other sessions (whoever knew the old one is
    out at once); `keep` is the session that changed it, if it was one. Returns how
    many sessions ended."""
    check_password(password)
    password_hash = await _hash(password)
    async with rt.sessions() as session, session.begin():
        user = await _by_email(session, email)
        if user is None:
            raise NotFound("unknown_user")
        user.password_hash = password_hash
        user_id = user.id
    return await end_user_sessions(rt, user_id, keep=keep)


async def set_active(rt: Context, email: str, active: bool) -> int:
    """(De)activate an account. A deactivated one cannot sign in and its sessions end
    now; returns how many ended."""
    async with rt.sessions() as session, session.begin():
        user = await _by_email(session, email)
        if user is None:
            raise NotFound("unknown_user")
        user.active = active
        user_id = user.id
    return 0 if active else await end_user_sessions(rt, user_id)


async def end_sessions(rt: Context, email: str) -> int:
    """The administrator's "end all sessions" of one account; how many ended."""
    user = await get_user_by_email(rt, email)
    if user is None:
        raise NotFound("unknown_user")
    return await end_user_sessions(rt, user.id)


async def can_moderate(rt: Context, user: User, event_id: int) -> bool:
    """Organisers run their organisation's events, administrators every one, and
    moderators the events they are assigned to (domain/access.py)."""
    async with rt.sessions() as session:
        if not await session.scalar(select(exists().where(Event.id == event_id))):
            return False
    return await event_decision(rt, user, event_id, "moderate") is Decision.ALLOWED


async def assign_moderator(rt: Context, event_id: int, email: str) -> None:
    """Let the account run this event; assigning twice changes nothing. Only an
    account of the event's organisation: to an organiser, other organisations'
    accounts do not exist (the same answer as an unknown address)."""
    async with rt.sessions() as session, session.begin():
        owner = await session.scalar(select(Event.organisation_id).where(Event.id == event_id))
        if owner is None:
            raise NotFound("unknown_event")
        user = await _by_email(session, email)
        if user is None or user.organisation_id != owner:
            raise NotFound("unknown_user")
        if await session.get(EventModerator, (event_id, user.id)) is None:
            session.add(EventModerator(event_id=event_id, user_id=user.id))


async def unassign_moderator(rt: Context, event_id: int, email: str) -> None:
    async with rt.sessions() as session, session.begin():
        user = await _by_email(session, email)
        if user is None:
            raise NotFound("unknown_user")
        await session.execute(
            delete(EventModerator).where(
                EventModerator.event_id == event_id, EventModerator.user_id == user.id
            )
        )


async def list_moderators(rt: Context, event_id: int) -> list[User]:
    async with rt.sessions() as session:
        return list(
            await session.scalars(
                select(User)
                .join(EventModerator, EventModerator.user_id == User.id)
                .where(EventModerator.event_id == event_id)
                .order_by(User.email)
            )
        )


# Hashing takes tens of milliseconds of CPU by design: run it off the event loop so
# that live events in the same process keep flowing while someone logs in.
async def _hash(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def _verify(password_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


@cache
def _dummy_hash_sync() -> str:
    return _hasher.hash("not a password of anyone")


async def _dummy_hash() -> str:
    return await asyncio.to_thread(_dummy_hash_sync)
