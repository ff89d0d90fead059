"""Which events can be sent to, and when the day-before reminder of an event goes out.

Only an event its subscribers can look up gets mail: upcoming, not cancelled,
public in a public series (the mail links to its public page).

"The day before" is a date on the wall calendar in Europe/Berlin, not "24 hours
earlier": an event on Tuesday at 9:00 gets its reminder on Monday, not on Sunday
night. It goes out from 08:00 that day (no mail in the night), or later that day when
the server was down in the morning; once the event's day has come, no reminder is
sent any more (it would no longer be "the day before").
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from podium.domain.errors import NotAllowed
from podium.domain.series_page import event_is_public, is_past

BERLIN = ZoneInfo("Europe/Berlin")
SENDS_FROM = time(8, 0)
# The widest span between the first moment a reminder may go out and the event's
# start: the day before from 08:00 to an event just before midnight (+1 h when the
# clocks change in between). The service reads only events starting within it.
LOOKAHEAD = timedelta(hours=41)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def reminder_due(starts_at: datetime | None, now: datetime) -> bool:
    """Whether the reminder of an event starting at `starts_at` is due at `now`."""
    if starts_at is None:
        return False
    start = _utc(starts_at)
    moment = _utc(now)
    if start <= moment:
        return False
    local_now = moment.astimezone(BERLIN)
    day_before = start.astimezone(BERLIN).date() - timedelta(days=1)
    return local_now.date() == day_before and local_now.time() >= SENDS_FROM


def check_sendable(
    in_series: bool,
    series_public: bool,
    event_public: bool,
    cancelled: bool,
    starts_at: datetime | None,
    now: datetime,
) -> None:
    """Refuse mail to the subscribers of an event they could not follow."""
    if not in_series:
        raise NotAllowed("invitation_no_series")
    if not event_is_public(series_public, event_public):
        raise NotAllowed("invitation_not_public")
    if cancelled:
        raise NotAllowed("invitation_cancelled")
    if starts_at is None or is_past(starts_at, now) or _utc(starts_at) <= _utc(now):
        raise NotAllowed("invitation_past")
