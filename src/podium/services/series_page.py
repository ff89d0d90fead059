"""What a series' public page reads: the series by its slug and the events of it the
public may see (domain/series_page.py decides which, and when the join link shows).

Read from the database on every request, so that making a series or an event
private again holds at once on every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from podium.domain.errors import NotFound
from podium.domain.series_page import is_past, public_events, shows_join_link, split_by_time
from podium.services.catalog_common import as_utc
from podium.services.context import Context
from podium.store.tables import Event, Series


@dataclass(frozen=True)
class PublicEvent:
    id: int
    slug: str
    title: str
    description: str
    format: str
    starts_at: datetime | None  # UTC
    language: str
    cancelled: bool
    past: bool
    ics_sequence: int
    join_code: str | None  # only when the page shows how to join
    results_token: str | None  # only for a past event with published results


@dataclass(frozen=True)
class SeriesPage:
    id: int
    slug: str
    title: str
    description: str
    public: bool
    upcoming: list[PublicEvent]
    past: list[PublicEvent]

    @property
    def events(self) -> list[PublicEvent]:
        return [*self.upcoming, *self.past]

    def event(self, slug: str) -> PublicEvent:
        for event in self.events:
            if event.slug == slug:
                return event
        raise NotFound("not_found")


async def series_page(
    rt: Context, slug: str, *, preview: bool = False, now: datetime | None = None
) -> SeriesPage:
    """The public page of the series with this slug. Not public: NotFound, as if it did
    not exist, unless `preview` (the organiser's look before making it public)."""
    now = now or datetime.now(UTC)
    async with rt.sessions() as session:
        series = await session.scalar(
            select(Series).where(Series.slug == slug).options(selectinload(Series.events))
        )
    if series is None or not (series.public or preview):
        raise NotFound("not_found")
    shown = (
        public_events(True, series.events)
        if preview
        else public_events(series.public, series.events)
    )
    split = split_by_time([_public(e, now) for e in shown], now)
    return SeriesPage(
        id=series.id,
        slug=series.slug,
        title=series.title,
        description=series.description,
        public=series.public,
        upcoming=split.upcoming,
        past=split.past,
    )


async def series_slug_of(rt: Context, series_id: int) -> str:
    async with rt.sessions() as session:
        slug = await session.scalar(select(Series.slug).where(Series.id == series_id))
    if slug is None:
        raise NotFound("unknown_series")
    return slug


def _public(event: Event, now: datetime) -> PublicEvent:
    starts_at = as_utc(event.starts_at)
    past = is_past(starts_at, now)
    return PublicEvent(
        id=event.id,
        slug=event.slug,
        title=event.title,
        description=event.description,
        format=event.format,
        starts_at=starts_at,
        language=event.language,
        cancelled=event.cancelled,
        past=past,
        ics_sequence=event.ics_sequence,
        join_code=(
            event.join_code
            if shows_join_link(event.join_link_public, event.cancelled, starts_at, now)
            else None
        ),
        results_token=event.results_token if past and not event.cancelled else None,
    )
