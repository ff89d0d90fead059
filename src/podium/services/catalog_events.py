"""Events: create, edit, reorder, delete, and find one by id or slug."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from podium.domain.codes import new_join_code, new_token, parse_id
from podium.domain.errors import NotFound, RuleViolation
from podium.domain.series_page import calendar_changed
from podium.services.catalog_common import (
    check_description,
    check_format,
    check_language,
    check_starts_at,
    check_stored_title,
    renumber,
    reordered,
    retrying,
    unique_slug,
)
from podium.services.context import Context
from podium.services.organisations import default_organisation_id
from podium.store.tables import Event, EventModerator, Question, Series

# In list order: dated events by date, then those without a date.
EVENT_ORDER = (Event.starts_at.is_(None), Event.starts_at, Event.position, Event.id)


@dataclass(frozen=True)
class EventFields:
    """An event's editable fields, checked."""

    title: str
    series_id: int | None
    description: str
    format: str
    starts_at: datetime | None
    language: str

    @classmethod
    def checked(
        cls,
        title: str,
        series_id: int | None,
        description: str,
        format: str,
        starts_at: Any,
        language: str,
    ) -> EventFields:
        return cls(
            title=check_stored_title(title),
            series_id=series_id,
            description=check_description(description),
            format=check_format(format),
            starts_at=check_starts_at(starts_at),
            language=check_language(language),
        )


async def insert_event(
    session: AsyncSession, fields: EventFields, organisation_id: int | None = None
) -> Event:
    """Add a checked event at the end of its series, inside the caller's transaction.
    It belongs to `organisation_id`, or else to its series' organisation, or else to
    the default one; its series must be of the same organisation."""
    if organisation_id is None:
        organisation_id = await _series_organisation(session, fields.series_id)
    if organisation_id is None:
        organisation_id = await default_organisation_id(session)
    await _check_series(session, fields.series_id, organisation_id)
    event = Event(
        organisation_id=organisation_id,
        slug=await unique_slug(session, Event.slug, fields.title, "event"),
        join_code=await _free_join_code(session),
        presenter_token=new_token(),
        # random, not the id: see Event.participant_salt
        participant_salt=new_token(),
        position=await _next_position(session, fields.series_id),
    )
    _assign(event, fields)
    session.add(event)
    await session.flush()
    return event


async def load_event(session: AsyncSession, event_id: int) -> Event:
    """The event with its series, questions and options, freshly read."""
    event = await session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .options(
            selectinload(Event.series),
            selectinload(Event.questions).selectinload(Question.options),
        )
        .execution_options(populate_existing=True)
    )
    if event is None:
        raise NotFound("unknown_event")
    return event


async def create_event(
    rt: Context,
    title: str,
    series_id: int | None = None,
    description: str = "",
    format: str = "",
    starts_at: datetime | None = None,
    language: str = "de",
    public: bool = False,
    join_link_public: bool = False,
    cancelled: bool = False,
    organisation_id: int | None = None,
) -> Event:
    fields = EventFields.checked(title, series_id, description, format, starts_at, language)

    async def once() -> Event:
        async with rt.sessions() as session, session.begin():
            event = await insert_event(session, fields, organisation_id)
            event.public = public
            event.join_link_public = join_link_public
            event.cancelled = cancelled
            return await load_event(session, event.id)

    event = await retrying(once)
    await rt.structure_changed(event.id)
    return event


async def update_event(
    rt: Context,
    event_id: int,
    *,
    title: str,
    series_id: int | None,
    description: str,
    format: str,
    starts_at: datetime | None,
    language: str,
    public: bool | None = None,
    join_link_public: bool | None = None,
    cancelled: bool | None = None,
) -> Event:
    """Change the event's details (and, where given, what of it the series page shows
    and whether it is cancelled). Slug, join code and presenter link stay as they are:
    they are printed, shared and bookmarked. A new title, time or cancellation is a
    new version for the calendars that hold the event (its ICS SEQUENCE)."""
    fields = EventFields.checked(title, series_id, description, format, starts_at, language)
    async with rt.sessions() as session, session.begin():
        event = await load_event(session, event_id)
        await _check_series(session, fields.series_id, event.organisation_id)
        if fields.series_id != event.series_id:
            event.position = await _next_position(session, fields.series_id)
        new_cancelled = event.cancelled if cancelled is None else cancelled
        if calendar_changed(
            event.title,
            fields.title,
            event.starts_at,
            fields.starts_at,
            event.cancelled,
            new_cancelled,
        ):
            event.ics_sequence += 1
        _assign(event, fields)
        event.cancelled = new_cancelled
        if public is not None:
            event.public = public
        if join_link_public is not None:
            event.join_link_public = join_link_public
        await session.flush()
        event = await load_event(session, event_id)
    await rt.structure_changed(event_id)
    return event


async def delete_event(rt: Context, event_id: int) -> None:
    """Delete the event with its questions, participants and answers."""
    async with rt.sessions() as session, session.begin():
        event = await load_event(session, event_id)
        await session.delete(event)
    await rt.event_gone(event_id)  # every process forgets it: caches, board, frames, writer


async def list_events(
    rt: Context, moderator_id: int | None = None, organisation_id: int | None = None
) -> list[Event]:
    """All events, or only those assigned to one moderator's account, or only one
    organisation's (services/access.owned_by says which a user sees)."""
    query = select(Event).order_by(*EVENT_ORDER).options(selectinload(Event.series))
    if organisation_id is not None:
        query = query.where(Event.organisation_id == organisation_id)
    if moderator_id is not None:
        query = query.join(EventModerator, EventModerator.event_id == Event.id).where(
            EventModerator.user_id == moderator_id
        )
    async with rt.sessions() as session:
        return list(await session.scalars(query))


async def get_event(rt: Context, ref: str | int) -> Event:
    """An event by id (3 or "3") or by slug, with its series, questions and options."""
    async with rt.sessions() as session:
        return await load_event(session, await _resolve(session, ref))


async def move_event(rt: Context, event_id: int, delta: int) -> None:
    """Move within its series (or among events without one). Dated events still
    list by date; the position orders events of the same date and undated ones."""
    async with rt.sessions() as session, session.begin():
        event = await load_event(session, event_id)
        siblings = list(
            await session.scalars(
                select(Event).where(_in_series(event.series_id)).order_by(*EVENT_ORDER)
            )
        )
        changed = [e.id for e in renumber(reordered(siblings, event, delta))]
    for changed_id in changed:
        await rt.structure_changed(changed_id)


async def new_presenter_token(rt: Context, event_id: int) -> str:
    """A new secret presenter link; the old one stops working at once."""
    async with rt.sessions() as session, session.begin():
        event = await load_event(session, event_id)
        event.presenter_token = new_token()
        token = event.presenter_token
    await rt.structure_changed(event_id)
    return token


async def _resolve(session: AsyncSession, ref: str | int) -> int:
    if isinstance(ref, int) or str(ref).strip().isdigit():
        event_id = parse_id(ref if isinstance(ref, int) else str(ref))
        if event_id is None:
            raise NotFound("unknown_event")
        return event_id
    ref = str(ref).strip()
    event_id = await session.scalar(select(Event.id).where(Event.slug == ref))
    if event_id is None:
        raise NotFound("unknown_event")
    return event_id


def _assign(event: Event, fields: EventFields) -> None:
    event.title = fields.title
    event.series_id = fields.series_id
    event.description = fields.description
    event.format = fields.format
    event.starts_at = fields.starts_at
    event.language = fields.language


def _in_series(series_id: int | None) -> Any:
    return Event.series_id.is_(None) if series_id is None else Event.series_id == series_id


async def _check_series(
    session: AsyncSession, series_id: int | None, organisation_id: int | None
) -> None:
    """Another organisation's series is, to this event, one that does not exist."""
    if series_id is not None and not await session.scalar(
        select(exists().where(Series.id == series_id, Series.organisation_id == organisation_id))
    ):
        raise RuleViolation("unknown_series")


async def _series_organisation(session: AsyncSession, series_id: int | None) -> int | None:
    if series_id is None:
        return None
    return await session.scalar(select(Series.organisation_id).where(Series.id == series_id))


async def _next_position(session: AsyncSession, series_id: int | None) -> int:
    last = await session.scalar(select(func.max(Event.position)).where(_in_series(series_id)))
    return 0 if last is None else last + 1


async def _free_join_code(session: AsyncSession) -> str:
    # 10^8 codes: a collision is rare, a second one in a row practically never happens.
    while True:
        code = new_join_code()
        if not await session.scalar(select(exists().where(Event.join_code == code))):
            return code
