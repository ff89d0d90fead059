"""Organisations: found or made by name. Whatever is created without naming one
(the command line's import, accounts made without --organisation, tests) goes into
"Standard", the organisation migration 0010 put every existing row into."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.errors import RuleViolation
from podium.services.catalog_common import check_storable
from podium.services.context import Context
from podium.store.tables import Organisation

DEFAULT_NAME = "Standard"
MAX_NAME = 200


def check_name(name: str) -> str:
    name = check_storable(" ".join((name or "").split()))
    if not name:
        raise RuleViolation("organisation_name_missing")
    if len(name) > MAX_NAME:
        raise RuleViolation("name_too_long", max=MAX_NAME)
    return name


async def organisation_id_named(session: AsyncSession, name: str) -> int:
    """The id of the organisation with this name, made if there is none yet (inside
    the caller's transaction)."""
    name = check_name(name)
    found = await session.scalar(select(Organisation.id).where(Organisation.name == name))
    if found is not None:
        return found
    org = Organisation(name=name)
    try:
        async with session.begin_nested():
            session.add(org)
    except IntegrityError:  # made meanwhile by someone else
        found = await session.scalar(select(Organisation.id).where(Organisation.name == name))
        assert found is not None
        return found
    return org.id


async def default_organisation_id(session: AsyncSession) -> int:
    return await organisation_id_named(session, DEFAULT_NAME)


async def ensure_organisation(rt: Context, name: str) -> int:
    async with rt.sessions() as session, session.begin():
        return await organisation_id_named(session, name)


async def list_organisations(rt: Context) -> list[Organisation]:
    async with rt.sessions() as session:
        return list(await session.scalars(select(Organisation).order_by(Organisation.name)))


async def organisation_name(rt: Context, org_id: int | None) -> str:
    if org_id is None:
        return ""
    async with rt.sessions() as session:
        org = await session.get(Organisation, org_id)
        return org.name if org is not None else ""
