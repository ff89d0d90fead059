"""Alembic, driven from code: `podium db upgrade`, and the start-up check."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")


class NotMigrated(RuntimeError):
    """The database is missing migrations; the message says what to run."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations. Runs its own event loop: call it from synchronous code only."""
    command.upgrade(alembic_config(url), revision)


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision()
        )


async def ensure_migrated(engine: AsyncEngine, url: str) -> None:
    current = await current_revision(engine)
    head = head_revision(url)
    if current != head:
        raise NotMigrated(
            f"The database at {url} is not up to date (at {current or 'nothing'}, "
            f"needs {head}). Run: podium db upgrade"
        )


def upgrade_in_thread(url: str) -> None:
    """Upgrade from inside a running event loop (tests, demo) without nesting loops."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            upgrade(url)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
