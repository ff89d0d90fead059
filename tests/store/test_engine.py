"""The engine on both backends: durable commits before an answer is acknowledged, a
PostgreSQL pool that survives dropped connections, and one clear line when the
database cannot be reached."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from podium.cli import main
from podium.runtime import Runtime
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import participant_id
from podium.store.engine import (
    POSTGRES_POOL,
    DatabaseUnavailable,
    async_url,
    make_engine,
)
from podium.store.migrate import ensure_migrated, upgrade
from podium.store.tables import Answer
from podium.store.writer import AnswerWrite, Outcome
from tests.conftest import pg_url


def closed_port() -> int:
    """A local port nobody listens on: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_plain_urls_get_the_async_drivers() -> None:
    assert async_url("sqlite:///podium.db") == "sqlite+aiosqlite:///podium.db"
    assert async_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert async_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert async_url("postgresql+asyncpg://u@h/db") == "postgresql+asyncpg://u@h/db"


async def test_postgres_pool_is_sized_for_a_web_process() -> None:
    engine = make_engine("postgresql://podium@127.0.0.1/podium")  # no connection is made
    try:
        pool = engine.pool
        assert pool.size() == POSTGRES_POOL["pool_size"] == 10
        assert pool._max_overflow == POSTGRES_POOL["max_overflow"] == 10  # type: ignore[attr-defined]
        assert pool._pre_ping is True
        assert pool._recycle == 1800
        assert pool.timeout() == 10  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


async def test_an_acknowledged_answer_was_committed_durably(runtime: Runtime, backend: str) -> None:
    """SQLite: WAL with synchronous=FULL. PostgreSQL: synchronous_commit on, so the
    commit the writer waits for has flushed its WAL before the answer is acknowledged."""
    event = await create_event(runtime, "Durable")
    question = await add_question(runtime, event.id, QuestionInput("scale", "Wie?", [], {}))
    pid = await participant_id(runtime, event.id, "t" * 40)
    write = AnswerWrite(str(uuid.uuid4()), question.id, pid, 4, True)
    assert (await runtime.writer.submit(write, event.id)).outcome is Outcome.CREATED
    async with runtime.engine.connect() as conn:  # a connection of the writer's pool
        if backend == "sqlite":
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await conn.exec_driver_sql("PRAGMA synchronous")).scalar() == 2  # FULL
        else:
            assert (await conn.exec_driver_sql("SHOW synchronous_commit")).scalar() == "on"
    other = make_engine(runtime.settings.database_url)  # a process that starts afresh
    try:
        async with other.connect() as conn:
            stored = await conn.scalar(
                select(func.count()).where(Answer.answer_id == write.answer_id)
            )
    finally:
        await other.dispose()
    assert stored == 1


@pytest.mark.postgresql_only
async def test_synchronous_commit_off_on_the_server_is_turned_on(
    database_url: str, backend: str
) -> None:
    """An administrator's `off` (for the whole database here) would acknowledge commits
    a crash can lose: podium's connections turn it on again for themselves."""
    name = make_url(database_url).database
    raw = await asyncpg.connect(database_url)
    try:
        await raw.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await raw.close()
    raw = await asyncpg.connect(database_url)  # the new default applies to new sessions
    try:
        assert await raw.fetchval("SHOW synchronous_commit") == "off"
    finally:
        await raw.close()
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("SHOW synchronous_commit")).scalar() == "on"
    finally:
        await engine.dispose()


@pytest.mark.postgresql_only
async def test_a_connection_the_server_closed_is_replaced_unseen(
    database_url: str, backend: str
) -> None:
    """A PostgreSQL restart or an idle time-out closes pooled connections: the next
    request gets a fresh one (pre-ping), not an error."""
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    killer = await asyncpg.connect(database_url)
    try:
        async with engine.connect() as conn:
            first = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar()
        assert await killer.fetchval("SELECT pg_terminate_backend($1)", first) is True
        async with engine.connect() as conn:
            second = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar()
        assert second != first
    finally:
        await killer.close()
        await engine.dispose()


def unreachable(tmp_path: Path | None = None) -> list[tuple[str, str]]:
    """Databases that cannot be connected to, with the reason the message names."""
    found = [
        # nothing listens there
        (f"postgresql://podium:geheim@127.0.0.1:{closed_port()}/podium", "Connect call failed"),
        # the server is there, the database is not
        (pg_url(f"podium_missing_{uuid.uuid4().hex[:8]}"), "does not exist"),
    ]
    if tmp_path is not None:
        found.append((f"sqlite:///{tmp_path}/no/such/folder/podium.db", "unable to open"))
    return found


async def test_an_unreachable_database_is_one_clear_error(tmp_path: Path) -> None:
    for url, reason in unreachable(tmp_path):
        engine = make_engine(url)
        try:
            with pytest.raises(DatabaseUnavailable) as caught:
                await ensure_migrated(engine, url)
        finally:
            await engine.dispose()
        message = str(caught.value)
        assert message.startswith("cannot connect to the database at "), message
        assert reason in message and "\n" not in message and "geheim" not in message


def test_migrating_an_unreachable_database_says_so() -> None:
    url, _reason = unreachable()[0]
    with pytest.raises(DatabaseUnavailable, match="cannot connect to the database at"):
        upgrade(url)


@pytest.mark.parametrize(
    "command", [["db", "upgrade"], ["serve", "--port", "1"], ["event", "list"]]
)
def test_the_cli_says_it_in_one_line_without_a_traceback(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PODIUM_REDIS_URL", raising=False)
    monkeypatch.setenv("PODIUM_SECRET_KEY", "test-secret-key-that-is-long-enough")
    for url, reason in unreachable():
        monkeypatch.setenv("PODIUM_DATABASE_URL", url)
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith("podium: error: cannot connect to the database at "), err
        assert reason in err and err.count("\n") == 1 and "geheim" not in err
