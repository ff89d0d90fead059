"""A series' public page: which of its events the public sees, which are still to
come, and when their join link is shown.

Nothing is public unless the organiser said so, for the series and for the event;
the join link only for an event still to come, not cancelled, and only once the
organiser ticked it (for example on the day).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, Protocol, TypeVar

# An event without an end lasts this long: in calendars, and for when it is past.
DEFAULT_DURATION = timedelta(minutes=90)


class Dated(Protocol):
    @property
    def starts_at(self) -> datetime | None: ...


class Listed(Dated, Protocol):
    @property
    def public(self) -> bool: ...


E = TypeVar("E", bound=Dated)
P = TypeVar("P", bound=Listed)


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def ends_at(starts_at: datetime) -> datetime:
    return _utc(starts_at) + DEFAULT_DURATION


def is_past(starts_at: datetime | None, now: datetime) -> bool:
    """Past once it is over (start plus the default duration); an event without a date
    is not past: its date is still to be announced."""
    return starts_at is not None and ends_at(starts_at) <= _utc(now)


@dataclass(frozen=True)
class Split(Generic[E]):
    upcoming: list[E]  # soonest first, those without a date last
    past: list[E]  # most recent first


def split_by_time(events: Iterable[E], now: datetime) -> Split[E]:
    upcoming: list[E] = []
    past: list[E] = []
    for event in events:
        (past if is_past(event.starts_at, now) else upcoming).append(event)
    far = datetime.max.replace(tzinfo=UTC)
    upcoming.sort(key=lambda e: _utc(e.starts_at) if e.starts_at else far)
    past.sort(key=lambda e: _utc(e.starts_at) if e.starts_at else far, reverse=True)
    return Split(upcoming, past)


def event_is_public(series_public: bool, event_public: bool) -> bool:
    """An event shows to the public only in a public series, and only when it is
    public itself."""
    return series_public and event_public


def public_events(series_public: bool, events: Sequence[P]) -> list[P]:
    return [e for e in events if event_is_public(series_public, e.public)]


def shows_join_link(
    join_link_public: bool, cancelled: bool, starts_at: datetime | None, now: datetime
) -> bool:
    """The join link (and code) on the public page: only when the organiser ticked it,
    never for a cancelled event, and no longer once the event is over."""
    return join_link_public and not cancelled and not is_past(starts_at, now)


def calendar_changed(
    old_title: str,
    new_title: str,
    old_start: datetime | None,
    new_start: datetime | None,
    old_cancelled: bool,
    new_cancelled: bool,
) -> bool:
    """Whether a calendar that holds the event must take the new version (its ICS
    SEQUENCE goes up): its title, its time or its cancellation changed."""
    start_changed = (old_start is None) != (new_start is None) or (
        old_start is not None and new_start is not None and _utc(old_start) != _utc(new_start)
    )
    return old_title != new_title or start_changed or old_cancelled != new_cancelled
