"""Shared fixtures: every test that uses `settings` runs once per store backend
(`[sqlite]`, `[postgresql]`), each time against a fresh migrated database of its own.

SQLite: a file copied from one migrated per session. PostgreSQL: `CREATE DATABASE ...
TEMPLATE` of one database migrated per session, dropped after the test. PostgreSQL
must be running (PODIUM_TEST_POSTGRES_URL, default the local server's `test`
database, which serves only as the maintenance connection): a missing server is a
failure, never a skip.

SQLite only: tests marked `sqlite_only` (`pytestmark = pytest.mark.sqlite_only` in
a module) and browser tests (marker `browser`): those test the product, not the store.
PostgreSQL only: tests marked `postgresql_only` (its settings, its pool).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import shutil
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from argon2 import PasswordHasher, profiles
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from podium.runtime import Runtime
from podium.settings import Settings
from podium.store.migrate import upgrade_in_thread
from tests.privacy_scan import RECORDED, scan_tables

BACKENDS = ("sqlite", "postgresql")
PG_ADMIN_URL = os.environ.get(
    "PODIUM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
T = TypeVar("T")
# Rows of each table read for the privacy scan before a PostgreSQL test database is
# dropped: every row the same code wrote, a bound on the scale tests' big tables.
PG_ROWS_READ = 5000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: run on SQLite only (tests of the product, not of the store)"
    )
    config.addinivalue_line("markers", "postgresql_only: run on PostgreSQL only")
    config.addinivalue_line(
        "markers", "after_suite: runs after every other test (it reads what they left)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that needs a database (`backend`, through `settings`) runs on both."""
    if "backend" not in metafunc.fixturenames:
        return
    marked = metafunc.definition.get_closest_marker
    backends: tuple[str, ...] = BACKENDS
    if marked("sqlite_only") or marked("browser"):
        backends = ("sqlite",)
    elif marked("postgresql_only"):
        backends = ("postgresql",)
    metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the lowest costs: the same algorithm, without 64 MiB per login."""
    from podium.services import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
    accounts._dummy_hash_sync.cache_clear()


# --- SQLite -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated once per test run; each test copies it (fast, isolated)."""
    path = tmp_path_factory.mktemp("template") / "podium.db"
    upgrade_in_thread(f"sqlite:///{path}")  # a browser test may hold a running loop here
    return path


# --- PostgreSQL -------------------------------------------------------------------------


def pg_url(database: str) -> str:
    """The URL of a database on the test server."""
    return make_url(PG_ADMIN_URL).set(database=database).render_as_string(hide_password=False)


class PgAdmin:
    """Creates and drops the tests' databases over the maintenance database.

    asyncpg on an event loop of its own, in a thread: tests call it from synchronous
    fixtures whether or not their own loop runs. Creating a database costs a few
    hundred ms of fsyncs, so databases of the template are made ahead, while earlier
    tests run; drops are not waited for either.
    """

    AHEAD = 6  # databases kept ready
    MAKERS = 2  # connections that create them

    def __init__(self, url: str) -> None:
        self._url = url
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pg-admin", daemon=True)
        self._thread.start()
        self._pending: list[Future[None]] = []
        self._makers: list[asyncio.Task[None]] = []
        try:
            self._conn: asyncpg.Connection = self._call(asyncpg.connect(url, timeout=5))
        except BaseException:
            self._stop_loop()
            raise
        self._ready: asyncio.Queue[str] = asyncio.Queue()
        self._failed: list[BaseException] = []
        self._table_names: list[str] = []  # of the template, read once

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float = 120) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def create(self, name: str, template: str = "template0") -> None:
        self._call(self._conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    # -- databases made ahead from one template --

    def start_making(self, template: str) -> None:
        async def start() -> None:
            slots = asyncio.Semaphore(self.AHEAD)
            self._slots = slots
            for _ in range(self.MAKERS):
                conn = await asyncpg.connect(self._url, timeout=5)
                self._makers.append(asyncio.create_task(self._make(conn, template, slots)))

        self._call(start())

    async def _make(
        self, conn: asyncpg.Connection, template: str, slots: asyncio.Semaphore
    ) -> None:
        try:
            while True:
                await slots.acquire()
                name = f"podium_t_{os.getpid()}_{secrets.token_hex(6)}"
                await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                self._ready.put_nowait(name)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # handed to the test that waits for a database
            self._failed.append(exc)
            self._ready.put_nowait("")
        finally:
            await conn.close()

    def take(self) -> str:
        """A fresh database of the template given to `start_making`; drop it when done."""

        async def take() -> str:
            name = await self._ready.get()
            if not name:
                raise self._failed[0]
            self._slots.release()
            return name

        return self._call(take())

    def stop_making(self) -> None:
        async def stop() -> None:
            for task in self._makers:
                task.cancel()
            await asyncio.gather(*self._makers, return_exceptions=True)
            while not self._ready.empty():
                name = self._ready.get_nowait()
                if name:
                    await self._drop(name)

        self._call(stop())

    # -- dropping --

    async def _drop(self, name: str) -> None:
        conn = await asyncpg.connect(self._url, timeout=5)
        try:
            # Connections a test left open (a server thread, an engine not disposed).
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()",
                name,
            )
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await conn.close()

    def tables(self, name: str) -> dict[str, str]:
        """Every table of database `name` but Alembic's, as text: a row a line, its
        values cast to text by PostgreSQL (for tests/privacy_scan.py). One query for
        all tables (each test's database has the template's tables): some 80 ms with the
        connection, on a busy machine."""

        async def read() -> dict[str, str]:
            conn = await asyncpg.connect(pg_url(name), timeout=5)
            try:
                if not self._table_names:
                    rows = await conn.fetch(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename <> 'alembic_version' ORDER BY tablename"
                    )
                    self._table_names = [str(r["tablename"]) for r in rows]
                query = " UNION ALL ".join(
                    f"(SELECT '{table}' AS name, t::text AS line "
                    f'FROM "{table}" AS t LIMIT {PG_ROWS_READ})'
                    for table in self._table_names
                )
                texts: dict[str, list[str]] = {}
                for row in await conn.fetch(query):
                    texts.setdefault(row["name"], []).append(row["line"])
                return {table: "\n".join(lines) for table, lines in texts.items()}
            finally:
                await conn.close()

        return self._call(read())

    def drop(self, name: str, wait: bool = True) -> None:
        future = asyncio.run_coroutine_threadsafe(self._drop(name), self._loop)
        if wait:
            future.result(120)
        else:
            self._pending.append(future)

    def close(self) -> None:
        errors: list[BaseException] = []
        for future in self._pending:
            try:
                future.result(120)
            except Exception as exc:  # reported after the loop is stopped
                errors.append(exc)
        self._call(self._conn.close())
        self._stop_loop()
        if errors:
            raise errors[0]

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[PgAdmin]:
    try:
        admin = PgAdmin(PG_ADMIN_URL)
    except (OSError, asyncpg.PostgresError) as exc:
        shown = make_url(PG_ADMIN_URL).render_as_string(hide_password=True)
        pytest.fail(
            f"PostgreSQL is needed for the [postgresql] tests and is not reachable at "
            f"{shown}: {exc}. Start it (`make test` does: scripts/prerequisites.sh) or set "
            "PODIUM_TEST_POSTGRES_URL.",
            pytrace=False,
        )
    try:
        yield admin
    finally:
        admin.close()


@pytest.fixture(scope="session")
def pg_template(pg_admin: PgAdmin) -> Iterator[str]:
    """One PostgreSQL database migrated once per run: the template of every test's database."""
    name = f"podium_tpl_{os.getpid()}"
    pg_admin.drop(name)  # a run that was killed before it could clean up
    pg_admin.create(name)
    try:
        upgrade_in_thread(pg_url(name))
        pg_admin.start_making(name)
        yield name
    finally:
        pg_admin.stop_making()
        pg_admin.drop(name)


# --- the database of one test -----------------------------------------------------------


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated database of the test's backend."""
    if backend == "sqlite":
        db = tmp_path / "podium.db"
        shutil.copy(request.getfixturevalue("migrated_template"), db)
        RECORDED.databases.append((request.node.nodeid, db))
        yield f"sqlite:///{db}"
        return
    admin: PgAdmin = request.getfixturevalue("pg_admin")
    request.getfixturevalue("pg_template")
    name = admin.take()
    try:
        yield pg_url(name)
    finally:
        try:
            test = request.node.nodeid
            RECORDED.postgres.append((test, scan_tables(admin.tables(name), test)))
        finally:
            admin.drop(name, wait=False)


@pytest.fixture
def empty_database_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A fresh database of the test's backend with nothing in it, not even migrations."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin: PgAdmin = request.getfixturevalue("pg_admin")
    name = f"podium_t_{os.getpid()}_{secrets.token_hex(6)}"
    admin.create(name)
    try:
        yield pg_url(name)
    finally:
        admin.drop(name, wait=False)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        # Never ./outbox (PostgreSQL has no database file to put it beside).
        mail_outbox=str(tmp_path / "outbox"),
        secret_key="test-secret-key-that-is-long-enough",
        screen_tick=0.05,
        device_tick=0.2,
    )


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    rt = Runtime(settings)
    await rt.start()
    try:
        yield rt
    finally:
        await rt.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in the
    main thread for the rest of the session, which async tests cannot share. After
    them the privacy check, which reads what every test left."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("after_suite") is not None,
            item.get_closest_marker("browser") is not None,
        )
    )


# --- privacy, shown: what the whole run leaves in databases and logs --------------------
# tests/test_privacy_after_suite.py reads it at the end (tests/privacy_scan.py scans).


class _LogTexts(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a record whose arguments do not fit its message
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]!r}"
        RECORDED.logs.append(text)


@pytest.fixture(scope="session", autouse=True)
def privacy_recorder() -> Iterator[None]:
    """Every Set-Cookie any podium app sends (FastAPI.__call__ sees the headers after
    every middleware, the session's included) and every log record, podium's from
    INFO up (production logs WARNING and up of podium's own)."""
    original = FastAPI.__call__

    async def recording(self: FastAPI, scope: Any, receive: Any, send: Any) -> None:
        async def sending(message: Any) -> None:
            if message.get("type") == "http.response.start":
                RECORDED.saw_headers(message.get("headers", ()))
            await send(message)

        await original(self, scope, receive, sending)

    handler = _LogTexts()
    root, podium_logger = logging.getLogger(), logging.getLogger("podium")
    level = podium_logger.level
    FastAPI.__call__ = recording  # type: ignore[method-assign]
    root.addHandler(handler)
    podium_logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        FastAPI.__call__ = original  # type: ignore[method-assign]
        root.removeHandler(handler)
        podium_logger.setLevel(level)
