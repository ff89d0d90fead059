"""When an event's answers and contributions are old enough to be deleted.

An event counts from its start; one without a date is never old (its date is still
to come, or was never set: nobody can say how long ago it took place). Days are
whole periods of 24 hours before now, so that "older than 90 days" means the same
at any hour it is run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def cutoff(now: datetime, days: int) -> datetime:
    """Events that started before this are older than `days` days."""
    if days < 0:
        raise ValueError("days must not be negative")
    return _utc(now) - timedelta(days=days)


def is_expired(starts_at: datetime | None, now: datetime, days: int) -> bool:
    return starts_at is not None and _utc(starts_at) < cutoff(now, days)


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
