"""When a mail that could not be sent is tried again, and when podium gives up.

Back-off doubles from 30 s to at most an hour between tries: a mail server down for
maintenance gets the night, one restarted gets its mail within a minute. Twelve tries
span about six hours; after them the mail is `failed` and listed for the organiser.
"""

from __future__ import annotations

from datetime import timedelta

FIRST_DELAY = 30.0  # seconds
MAX_DELAY = 3600.0
MAX_ATTEMPTS = 12
# A sender never holds a mail longer (SMTP time-outs are a minute): a claim older than
# this was cut off by a crash.
STALE_CLAIM = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try (1 for the first)."""
    return timedelta(seconds=min(FIRST_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY))


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS
