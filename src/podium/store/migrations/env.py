"""Alembic environment: async engines for both SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import podium.store.audience_tables  # noqa: F401  (registers its tables)
from podium.store.engine import connected, make_engine
from podium.store.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        # SQLite's DDL is transactional once the driver leaves BEGIN to us (below):
        # a migration run is all or nothing there too, as on PostgreSQL.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            _check_foreign_keys(connection)


def _check_foreign_keys(connection: Connection) -> None:
    """Foreign keys are off while SQLite migrates (see `_sqlite_migrating`): the rows
    must still be consistent before the run commits."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration would break foreign keys: {broken[:5]}")


def _sqlite_migrating(engine: AsyncEngine) -> None:
    """SQLite rebuilds a table to change it (batch mode: copy, drop, rename). With
    foreign keys on, dropping the old table would run its ON DELETE CASCADE and wipe
    the rows that refer to it; the pragma is a no-op inside a transaction, so it is set
    on connecting. The driver's implicit transactions are replaced by an explicit
    BEGIN, so that the DDL is inside the transaction too."""

    @event.listens_for(engine.sync_engine, "connect")
    def connect(dbapi_connection: Any, _record: Any) -> None:  # after sqlite_pragmas
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.close()
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


async def run_async_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url") or ""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite_migrating(engine)
    try:
        async with connected(engine, url) as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_async_migrations())
