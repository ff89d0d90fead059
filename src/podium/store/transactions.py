"""Where the answer writer's transactions run: one function, one transaction.

The writer's work is a synchronous function of a SQLAlchemy `Connection`, so a
whole batch (participants, reads, updates, inserts, commit) is one call:

- SQLite: a thread of its own that owns a plain `sqlite3` connection (as
  Datasette's write thread does). The event loop hands it a batch and gets the
  result back in one hop, instead of one hop to aiosqlite's thread and back for
  every statement, each waiting for its turn on a busy loop. The transaction
  starts with BEGIN IMMEDIATE: it holds the write lock from its first read, so no
  other writer can slip in between the batch's reads and writes.
- PostgreSQL: `AsyncConnection.run_sync` on the async engine's pool; asyncpg
  already speaks to the server without threads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.ext.asyncio import AsyncEngine

from podium.store.engine import sqlite_pragmas

T = TypeVar("T")


class Transactions(Protocol):
    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction; commit when it returns, roll back when it raises."""
        ...

    async def close(self) -> None: ...


class ThreadTransactions:
    """SQLite: every transaction on one thread, on one connection it owns."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="podium-writer")

    def _in_transaction(self, work: Callable[[Connection], T]) -> T:
        with self._engine.begin() as conn:
            return work(conn)

    async def run(self, work: Callable[[Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._in_transaction, work)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._engine.dispose)
        self._executor.shutdown(wait=True)


class AsyncTransactions:
    """PostgreSQL (and SQLite in memory, which a second connection could not see)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, work: Callable[[Connection], T]) -> T:
        async with self._engine.begin() as conn:
            return await conn.run_sync(work)

    async def close(self) -> None:
        return None


def _begin_immediate(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, say when a transaction begins.
    dbapi_connection.isolation_level = None


def sqlite_write_engine(async_engine: AsyncEngine) -> Engine:
    """A synchronous engine on the same SQLite file, for the writer's thread."""
    engine = create_engine(async_engine.url.set(drivername="sqlite"), pool_size=1, max_overflow=0)
    event.listen(engine, "connect", sqlite_pragmas)
    event.listen(engine, "connect", _begin_immediate)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def transactions_for(engine: AsyncEngine) -> Transactions:
    database = engine.url.database or ""
    if engine.dialect.name == "sqlite" and database not in ("", ":memory:"):
        return ThreadTransactions(sqlite_write_engine(engine))
    return AsyncTransactions(engine)
