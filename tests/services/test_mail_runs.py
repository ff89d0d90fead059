"""An invitation run's progress per state, and its end: `done` with its time once
none of its mails waits or is being sent, not while its mails are still queued."""

from __future__ import annotations

from datetime import UTC, datetime

from podium.runtime import Runtime
from podium.services import catalog
from podium.services.mail_queue import Draft, claim_next, enqueue, mark_retry, mark_sent
from podium.services.mail_runs import finish_runs, run_progress, sending_runs
from podium.store.audience_tables import MailRun

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


async def new_run(rt: Runtime, recipients: int) -> int:
    event = await catalog.create_event(rt, "Bürgerdialog")
    async with rt.sessions() as session, session.begin():
        run = MailRun(event_id=event.id, subject="Einladung", text="Hallo", recipients=recipients)
        session.add(run)
        await session.flush()
        return run.id


async def queue(rt: Runtime, run_id: int, n: int) -> None:
    for i in range(n):
        draft = Draft(
            kind="invitation",
            ref=f"run{run_id}-{i}",
            recipient=f"person{i}@example.org",
            lang="de",
            subject="Einladung",
            text="Hallo",
            run_id=run_id,
        )
        await enqueue(rt, draft, now=NOW)


async def run_state(rt: Runtime, run_id: int) -> tuple[str, datetime | None]:
    async with rt.sessions() as session:
        run = await session.get(MailRun, run_id)
        assert run is not None
        return run.state, run.finished_at


async def test_progress_counts_each_state_and_the_run_ends_when_nothing_is_left(
    runtime: Runtime,
) -> None:
    run_id = await new_run(runtime, recipients=3)
    other = await new_run(runtime, recipients=1)
    await queue(runtime, run_id, 3)
    await queue(runtime, other, 1)
    first = await claim_next(runtime, now=NOW)
    second = await claim_next(runtime, now=NOW)
    assert first is not None and second is not None and first.run_id == run_id
    await mark_sent(runtime, first.id, now=NOW)
    assert await run_progress(runtime, run_id) == {
        "queued": 1, "sending": 1, "sent": 1, "failed": 0, "unknown": 0, "cancelled": 0, "total": 3
    }  # fmt: skip
    assert await finish_runs(runtime, now=NOW) == []
    await mark_retry(runtime, second, "550 no such mailbox", now=NOW, permanent=True)
    third = await claim_next(runtime, now=NOW)
    assert third is not None and third.run_id == run_id
    await mark_sent(runtime, third.id, now=NOW)
    progress = await run_progress(runtime, run_id)
    assert progress == {
        "queued": 0,
        "sending": 0,
        "sent": 2,
        "failed": 1,
        "unknown": 0,
        "cancelled": 0,
        "total": 3,
    }
    assert [run.id for run, _ in await sending_runs(runtime)] == [run_id, other]
    assert await finish_runs(runtime, now=NOW) == [run_id]
    [(still, still_progress)] = await sending_runs(runtime)  # the other one's mail waits
    assert still.id == other and still_progress["queued"] == 1
    state, finished = await run_state(runtime, run_id)
    assert state == "done" and finished is not None
    assert finished.replace(tzinfo=UTC) == NOW
    assert await finish_runs(runtime, now=NOW) == []  # once
    assert (await run_state(runtime, other))[0] == "sending"


async def test_a_run_whose_mails_are_still_being_queued_is_not_done(runtime: Runtime) -> None:
    run_id = await new_run(runtime, recipients=3)
    await queue(runtime, run_id, 1)
    mail = await claim_next(runtime, now=NOW)
    assert mail is not None
    await mark_sent(runtime, mail.id, now=NOW)
    assert await finish_runs(runtime, now=NOW) == []
    assert await run_progress(runtime, 999) == {
        "queued": 0, "sending": 0, "sent": 0, "failed": 0, "unknown": 0, "cancelled": 0, "total": 0
    }  # fmt: skip
