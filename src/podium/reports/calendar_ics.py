"""Calendar files (ICS, RFC 5545) of a series' public events: one per event and a feed
per series.

A calendar recognises an event again by its UID (the event's id, never reused, and
the server's host) and takes a new version when its SEQUENCE is higher: the catalog
raises it when the title, the time or the cancellation changes. Times are in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from podium.domain.series_page import ends_at

MEDIA_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarEntry:
    id: int
    title: str
    description: str
    starts_at: datetime  # UTC
    sequence: int
    cancelled: bool
    url: str


def event_uid(event_id: int, base_url: str) -> str:
    host = urlsplit(base_url).hostname or "localhost"
    return f"event-{event_id}@{host}"


def calendar_file(
    entries: Iterable[CalendarEntry], base_url: str, name: str, now: datetime | None = None
) -> bytes:
    """The calendar with these events (those without a date have no place in it)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//podium//series page//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        item = Event()
        item.add("uid", event_uid(entry.id, base_url))
        item.add("sequence", entry.sequence)
        item.add("dtstamp", stamp)
        item.add("dtstart", entry.starts_at.astimezone(UTC))
        item.add("dtend", ends_at(entry.starts_at))
        item.add("summary", entry.title)
        if entry.description:
            item.add("description", entry.description)
        item.add("url", entry.url)
        item.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()
