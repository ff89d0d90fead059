"""When an event's answers are old enough to go: counted from its start, in whole
days of 24 hours, never for an event without a date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from podium.domain.retention import cutoff, is_expired

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_older_than_the_days_before_now() -> None:
    assert cutoff(NOW, 30) == NOW - timedelta(days=30)
    assert is_expired(NOW - timedelta(days=30, seconds=1), NOW, 30)
    assert not is_expired(NOW - timedelta(days=30), NOW, 30)
    assert not is_expired(NOW + timedelta(days=1), NOW, 0)  # still to come
    assert is_expired(NOW - timedelta(seconds=1), NOW, 0)  # started: 0 days takes it


def test_an_event_without_a_date_is_never_old() -> None:
    assert not is_expired(None, NOW, 0)


def test_naive_times_are_utc() -> None:
    naive = (NOW - timedelta(days=31)).replace(tzinfo=None)
    assert is_expired(naive, NOW, 30)
    assert cutoff(NOW.replace(tzinfo=None), 1) == NOW - timedelta(days=1)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        cutoff(NOW, -1)
