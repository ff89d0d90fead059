"""Back-off between tries of a mail: doubling from 30 s, capped at an hour, given up
after twelve."""

from __future__ import annotations

from datetime import timedelta

from podium.domain.mail_retry import MAX_ATTEMPTS, gives_up, retry_delay


def test_the_wait_doubles_from_thirty_seconds_to_an_hour() -> None:
    waits = [retry_delay(n).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_podium_gives_up_after_the_last_try() -> None:
    assert not gives_up(MAX_ATTEMPTS - 1)
    assert gives_up(MAX_ATTEMPTS)
    assert sum((retry_delay(n) for n in range(1, MAX_ATTEMPTS)), timedelta()) < timedelta(hours=7)
