"""A series page's rules: upcoming until over, what the public sees, when the join
link shows, and which edits are a new calendar version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from podium.domain.series_page import (
    DEFAULT_DURATION,
    calendar_changed,
    event_is_public,
    is_past,
    public_events,
    shows_join_link,
    split_by_time,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@dataclass
class E:
    name: str
    starts_at: datetime | None
    public: bool = True


def test_an_event_is_upcoming_until_it_is_over() -> None:
    assert not is_past(NOW + timedelta(days=1), NOW)
    assert not is_past(NOW - timedelta(minutes=30), NOW)  # running: still to take part
    assert is_past(NOW - DEFAULT_DURATION, NOW)
    assert is_past(NOW - timedelta(days=30), NOW)


def test_an_event_without_a_date_is_upcoming() -> None:
    assert not is_past(None, NOW)


def test_naive_times_are_utc() -> None:
    naive = (NOW - timedelta(hours=2)).replace(tzinfo=None)
    assert is_past(naive, NOW)


def test_split_lists_soonest_upcoming_first_and_latest_past_first() -> None:
    events = [
        E("later", NOW + timedelta(days=60)),
        E("undated", None),
        E("old", NOW - timedelta(days=300)),
        E("soon", NOW + timedelta(days=3)),
        E("recent", NOW - timedelta(days=10)),
    ]
    split = split_by_time(events, NOW)
    assert [e.name for e in split.upcoming] == ["soon", "later", "undated"]
    assert [e.name for e in split.past] == ["recent", "old"]


def test_public_needs_series_and_event() -> None:
    assert event_is_public(True, True)
    assert not event_is_public(True, False)
    assert not event_is_public(False, True)
    assert not event_is_public(False, False)
    events = [E("a", None, public=True), E("b", None, public=False)]
    assert [e.name for e in public_events(True, events)] == ["a"]
    assert public_events(False, events) == []


def test_join_link_only_when_ticked_not_cancelled_and_not_over() -> None:
    soon = NOW + timedelta(days=1)
    assert shows_join_link(True, False, soon, NOW)
    assert shows_join_link(True, False, None, NOW)
    assert not shows_join_link(False, False, soon, NOW)
    assert not shows_join_link(True, True, soon, NOW)
    assert not shows_join_link(True, False, NOW - timedelta(days=1), NOW)


def test_calendar_version_changes_with_title_time_or_cancellation() -> None:
    t = NOW
    assert not calendar_changed("A", "A", t, t, False, False)
    assert not calendar_changed("A", "A", t, t.replace(tzinfo=None), False, False)
    assert calendar_changed("A", "B", t, t, False, False)
    assert calendar_changed("A", "A", t, t + timedelta(hours=1), False, False)
    assert calendar_changed("A", "A", None, t, False, False)
    assert calendar_changed("A", "A", t, None, False, False)
    assert calendar_changed("A", "A", t, t, False, True)
    assert calendar_changed("A", "A", t, t, True, False)
