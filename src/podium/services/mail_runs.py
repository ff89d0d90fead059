"""An invitation run's progress, read from its mails in the queue, and the end of a
run: `done` once none of its mails waits or is being sent.

A run counts as finished only when the queue holds at least its `recipients` mails,
so that a run whose mails are still being queued (in several transactions) is not
closed early: whoever starts a run sets `recipients` with it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, func, select, update

from podium.services.context import Context
from podium.services.mail_queue import STATES, utc
from podium.store.audience_tables import MailRun
from podium.store.tables import MailRow

PENDING = ("queued", "sending")


async def run_progress(rt: Context, run_id: int) -> dict[str, int]:
    """The run's mails per state (queued, sending, sent, failed, unknown), every state
    named, and `total`: all its mails in the queue."""
    async with rt.sessions() as session:
        rows = (
            await session.execute(
                select(MailRow.state, func.count())
                .where(MailRow.run_id == run_id)
                .group_by(MailRow.state)
            )
        ).all()
    counts = dict.fromkeys(STATES, 0)
    for state, count in rows:
        counts[state] = int(count)
    counts["total"] = sum(counts[state] for state in STATES)
    return counts


async def finish_runs(rt: Context, now: datetime | None = None) -> list[int]:
    """Runs still `sending` with nothing left to send become `done`; their ids."""
    moment = utc(now or datetime.now(UTC))
    pending = (
        select(MailRow.id).where(MailRow.run_id == MailRun.id, MailRow.state.in_(PENDING)).exists()
    )
    queued = select(func.count(MailRow.id)).where(MailRow.run_id == MailRun.id).scalar_subquery()
    async with rt.sessions() as session, session.begin():
        ids = list(
            await session.scalars(
                select(MailRun.id).where(
                    and_(MailRun.state == "sending", ~pending, queued >= MailRun.recipients)
                )
            )
        )
        if ids:
            await session.execute(
                update(MailRun)
                .where(MailRun.id.in_(ids), MailRun.state == "sending")
                .values(state="done", finished_at=moment)
                .execution_options(synchronize_session=False)
            )
    return ids


async def sending_runs(rt: Context) -> list[tuple[MailRun, dict[str, int]]]:
    """The runs still sending, oldest first, each with its progress."""
    async with rt.sessions() as session:
        runs = list(
            await session.scalars(
                select(MailRun).where(MailRun.state == "sending").order_by(MailRun.id)
            )
        )
    return [(run, await run_progress(rt, run.id)) for run in runs]
