"""An invitation run survives a crash: `podium serve` (a real process) is killed with
SIGKILL in the middle of sending, started again, and finishes the run. Nobody gets a
mail twice: every mail the queue records as sent arrived exactly once, and the one
mail the dead process may have had in flight (claimed, SMTP transaction perhaps done,
`sent` not yet written) is not sent again: it stays `sending` until its claim is
older than any sender holds one, then it is `unknown` and listed."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from podium.bench.server import ServerProcess
from podium.domain.mail_retry import STALE_CLAIM
from podium.runtime import Runtime
from podium.services import catalog
from podium.services.mail_queue import Draft, enqueue, recover, status
from podium.services.mail_runs import finish_runs, run_progress
from podium.settings import Settings
from podium.store.audience_tables import MailRun
from tests.scale.crash_helpers import server_process
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.sqlite_only

MAILS = 60
RATE = 20  # mails per second: the run takes three seconds, the kill lands in it


async def queue_run(settings: Settings) -> int:
    rt = Runtime(settings)
    await rt.start()
    try:
        event = await catalog.create_event(rt, "Bürgerdialog Mobilität")
        async with rt.sessions() as session, session.begin():
            run = MailRun(event_id=event.id, subject="Einladung", text="…", recipients=MAILS)
            session.add(run)
            await session.flush()
            run_id = run.id
        for i in range(MAILS):
            draft = Draft(
                kind="invitation",
                ref=f"run{run_id}-subscriber{i}",
                recipient=f"person{i}@example.org",
                lang="de",
                subject="Einladung: Bürgerdialog Mobilität",
                text=f"Guten Tag, Person {i}",
                run_id=run_id,
            )
            await enqueue(rt, draft)
        return run_id
    finally:
        await rt.stop()


def states(path: Path) -> dict[int, tuple[str, str]]:
    """Each mail's state and Message-ID, read as another process would."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT id, state, message_id FROM mail_queue").fetchall()
    return {mail_id: (state, message_id) for mail_id, state, message_id in rows}


def wait(condition: object, what: str, timeout: float, server: ServerProcess) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"not {what} after {timeout} s:\n{server.log_tail()}")
        time.sleep(0.02)


async def after_the_stale_claim(settings: Settings, run_id: int) -> tuple[int, dict[str, int]]:
    rt = Runtime(settings)
    await rt.start()
    try:
        later = datetime.now(UTC) + STALE_CLAIM
        recovered = await recover(rt, later)
        await finish_runs(rt)
        return recovered, await run_progress(rt, run_id)
    finally:
        await rt.stop()


def test_a_run_killed_mid_way_resumes_and_nobody_gets_a_mail_twice(
    settings: Settings, tmp_path: Path
) -> None:
    db_path = Path(settings.database_url.split(":///", 1)[1])
    run_id = asyncio.run(queue_run(settings))
    with SmtpServer() as smtp:
        server = server_process(
            settings.database_url,
            tmp_path / "serve.log",
            smtp_url=smtp.url,
            mail_rate=str(RATE),
        )
        try:
            server.start()
            wait(lambda: len(smtp.received) >= 10, "10 mails received", 20, server)
            server.kill()
            received_at_kill = len(smtp.received)
            at_kill = states(db_path)
            cut_off = {i for i, (state, _) in at_kill.items() if state == "sending"}
            assert received_at_kill < MAILS, "the kill came after the run: nothing was tested"
            assert len(cut_off) <= 1  # one mail in flight at most
            server.start()

            def finished() -> bool:
                now = states(db_path)
                pending = {i for i, (state, _) in now.items() if state in ("queued", "sending")}
                return pending <= cut_off

            wait(finished, "finished", 20, server)
        finally:
            server.stop()
        received = smtp.received

    final = states(db_path)
    counts = Counter(message_id for message_id in (got.message_id for got in received))
    assert max(counts.values()) == 1, "a mail arrived twice"
    sent = {message_id for state, message_id in final.values() if state == "sent"}
    assert sent <= set(counts), "a mail recorded as sent never arrived"
    assert all(final[i][0] == "sending" for i in cut_off)  # left alone by the new process
    assert len(sent) + len(cut_off) == MAILS
    # What arrived beyond the sent ones can only be the one cut off by the kill.
    assert set(counts) - sent <= {final[i][1] for i in cut_off}
    assert server.starts == 2

    recovered, progress = asyncio.run(after_the_stale_claim(settings, run_id))
    assert recovered == len(cut_off)
    assert progress == {
        "queued": 0,
        "sending": 0,
        "sent": MAILS - len(cut_off),
        "failed": 0,
        "unknown": len(cut_off),
        "cancelled": 0,
        "total": MAILS,
    }
    with sqlite3.connect(db_path) as db:
        run_state, finished_at = db.execute(
            "SELECT state, finished_at FROM mail_runs WHERE id = ?", (run_id,)
        ).fetchone()
    assert run_state == "done" and finished_at is not None
    assert asyncio.run(_status(settings))["sent"] == MAILS - len(cut_off)


async def _status(settings: Settings) -> dict[str, int]:
    rt = Runtime(settings)
    await rt.start()
    try:
        return await status(rt)
    finally:
        await rt.stop()
