"""Series: create, edit, reorder, delete."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from podium.domain.errors import NotFound
from podium.services.catalog_common import (
    check_description,
    check_stored_title,
    renumber,
    reordered,
    retrying,
    unique_slug,
)
from podium.services.context import Context
from podium.services.organisations import default_organisation_id
from podium.store.tables import Event, Series


async def insert_series(
    session: AsyncSession,
    title: str,
    description: str = "",
    public: bool = False,
    organisation_id: int | None = None,
) -> Series:
    """Add a checked series at the end of the list, inside the caller's transaction;
    it belongs to `organisation_id`, or else to the default organisation."""
    if organisation_id is None:
        organisation_id = await default_organisation_id(session)
    title = check_stored_title(title)
    description = check_description(description)
    last = await session.scalar(select(func.max(Series.position)))
    series = Series(
        title=title,
        description=description,
        slug=await unique_slug(session, Series.slug, title, "series"),
        position=0 if last is None else last + 1,
        public=public,
        organisation_id=organisation_id,
    )
    session.add(series)
    await session.flush()
    return series


async def load_series(session: AsyncSession, series_id: int) -> Series:
    series = await session.scalar(
        select(Series)
        .where(Series.id == series_id)
        .options(selectinload(Series.events))
        .execution_options(populate_existing=True)
    )
    if series is None:
        raise NotFound("unknown_series")
    return series


async def create_series(
    rt: Context,
    title: str,
    description: str = "",
    public: bool = False,
    organisation_id: int | None = None,
) -> Series:
    async def once() -> Series:
        async with rt.sessions() as session, session.begin():
            series = await insert_series(session, title, description, public, organisation_id)
            return await load_series(session, series.id)

    return await retrying(once)


async def get_series(rt: Context, series_id: int) -> Series:
    async with rt.sessions() as session:
        return await load_series(session, series_id)


async def update_series(
    rt: Context, series_id: int, title: str, description: str, public: bool | None = None
) -> Series:
    """Change title and description (and, where given, whether its page is public);
    the slug stays, so that published links keep working."""
    title = check_stored_title(title)
    description = check_description(description)
    async with rt.sessions() as session, session.begin():
        series = await load_series(session, series_id)
        series.title = title
        series.description = description
        if public is not None:
            series.public = public
    return series


async def delete_series(rt: Context, series_id: int) -> None:
    """Delete the series but keep its events: they hold answers nobody asked to lose."""
    async with rt.sessions() as session, session.begin():
        series = await load_series(session, series_id)
        event_ids = [e.id for e in series.events]
        # Explicit rather than relying on ON DELETE SET NULL being enforced by the driver.
        await session.execute(
            update(Event).where(Event.series_id == series_id).values(series_id=None)
        )
        await session.delete(series)
        await session.flush()
        renumber(await _all_series(session))
    for event_id in event_ids:
        await rt.structure_changed(event_id)


async def list_series(rt: Context, organisation_id: int | None = None) -> list[Series]:
    """All series, or one organisation's (services/access.owned_by)."""
    query = select(Series).order_by(Series.position, Series.id).options(selectinload(Series.events))
    if organisation_id is not None:
        query = query.where(Series.organisation_id == organisation_id)
    async with rt.sessions() as session:
        return list(await session.scalars(query))


async def move_series(rt: Context, series_id: int, delta: int) -> None:
    """Move up (delta < 0) or down (delta > 0) the list; positions become 0..n-1."""
    async with rt.sessions() as session, session.begin():
        series = await load_series(session, series_id)
        renumber(reordered(await _all_series(session), series, delta))


async def _all_series(session: AsyncSession) -> list[Series]:
    return list(await session.scalars(select(Series).order_by(Series.position, Series.id)))
