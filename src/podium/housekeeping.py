"""The server's own chores, run by every process beside the live work: the day-before
reminders, deleting sign-ups never confirmed, and (when the setting asks for it)
old events' answers. Each step is safe on several processes at once and after a
restart: a second run finds nothing left to do.

Beside app.py, not in the runtime: the reminders are composed by the mail layer,
which the runtime must not import.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from podium.live.periodic import Periodic
from podium.mail.invitation import send_due_reminders
from podium.runtime import Runtime
from podium.services.retention import retention_task
from podium.services.subscription_ends import purge_unconfirmed

REMINDER_INTERVAL = 300.0  # seconds: a reminder goes out within five minutes of its hour
UNCONFIRMED_INTERVAL = 600.0


def purge_unconfirmed_ahead(rt: Runtime, interval: float) -> Callable[[], Awaitable[int]]:
    """The step of a purge every `interval` seconds. Ahead by one interval: what would
    be overdue before the next run goes now, so that no sign-up left unconfirmed
    outlives `unconfirmed_days`."""

    async def step() -> int:
        return await purge_unconfirmed(rt, datetime.now(UTC) + timedelta(seconds=interval))

    return step


def housekeeping(rt: Runtime) -> list[Periodic]:
    tasks = [
        Periodic("podium-reminders", REMINDER_INTERVAL, lambda: send_due_reminders(rt)),
        Periodic(
            "podium-unconfirmed-sign-ups",
            UNCONFIRMED_INTERVAL,
            purge_unconfirmed_ahead(rt, UNCONFIRMED_INTERVAL),
        ),
    ]
    retention = retention_task(rt)
    if retention is not None:
        tasks.append(retention)
    return tasks
