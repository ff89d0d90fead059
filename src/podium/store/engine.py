"""The database engine: SQLite (WAL, synchronous=FULL) by default, PostgreSQL by URL.

Both keep the promise of the vote path: an answer is acknowledged only after its
commit is durable. SQLite: WAL with synchronous=FULL. PostgreSQL: synchronous_commit
stays on (the server's default); a connection of a server or database configured
with `off` turns it back on for itself, since `off` may lose acknowledged commits.

PostgreSQL pool, per process: the answer writer holds one connection per group
commit, requests a few more for short reads and catalog writes. Ten kept open plus
ten in bursts serve a busy process; several processes share the server's
max_connections (100 by default): four processes x 20 leave room for the rest.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

POSTGRES_POOL: dict[str, Any] = {
    "pool_size": 10,  # kept open: the writer's connection and the usual readers
    "max_overflow": 10,  # opened in bursts, closed again when returned
    "pool_timeout": 10,  # seconds to wait for a free connection before an error
    "pool_recycle": 1800,  # seconds; outlives no idle timeout of a proxy or firewall
    "pool_pre_ping": True,  # a connection the server closed (restart) is replaced unseen
}
CONNECT_TIMEOUT = 10  # seconds; asyncpg waits 60 by default for an unreachable host


class DatabaseUnavailable(ConnectionError):
    """The database cannot be reached or refuses the connection. The message is one
    line: which database (without its password) and why."""


def async_url(url: str) -> str:
    """Accept plain URLs (sqlite:///x.db, postgresql://...) and pick the async driver."""
    if url.startswith("sqlite:///") or url == "sqlite://":
        return "sqlite+aiosqlite" + url[len("sqlite") :]
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    return async_url(url).startswith("sqlite")


def shown_url(url: str) -> str:
    """The URL for messages and logs: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "orig", None) or exc
    lines = str(reason).strip().splitlines()
    return lines[0] if lines else type(reason).__name__


@asynccontextmanager
async def connected(engine: AsyncEngine, url: str) -> AsyncIterator[AsyncConnection]:
    """A connection, or DatabaseUnavailable saying in one line why there is none."""
    try:
        conn = await engine.connect()
    except (OSError, DBAPIError) as exc:  # refused, unknown host, time-out, auth, no such db
        raise DatabaseUnavailable(
            f"cannot connect to the database at {shown_url(url)}: {_reason(exc)}"
        ) from exc
    try:
        yield conn
    finally:
        await conn.close()


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # An acknowledged vote must survive kill -9 and a power cut: WAL + synchronous=FULL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _postgres_durable_commits(dbapi_connection: Any, _record: Any) -> None:
    # `off` acknowledges a commit before its WAL is flushed: a crash loses it. Any
    # other value (on, local, remote_write, remote_apply) is durable here; keep it.
    # asyncpg outside a transaction: the SET holds for the connection's lifetime.
    value = dbapi_connection.run_async(lambda conn: conn.fetchval("SHOW synchronous_commit"))
    if value == "off":
        log.warning("synchronous_commit is off on the server; podium's connections turn it on")
        dbapi_connection.run_async(lambda conn: conn.execute("SET synchronous_commit TO on"))


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    url = async_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url, poolclass=NullPool if ":memory:" in url else None, **kwargs
        )
        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
        return engine
    options: dict[str, Any] = {
        **POSTGRES_POOL,
        "connect_args": {
            "timeout": CONNECT_TIMEOUT,
            "server_settings": {"application_name": "podium"},
        },
    }
    if kwargs.get("poolclass") is NullPool:
        options = {"connect_args": options["connect_args"]}
    options.update(kwargs)
    engine = create_async_engine(url, **options)
    event.listen(engine.sync_engine, "connect", _postgres_durable_commits)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
