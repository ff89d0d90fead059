"""Alembic, driven from code: `podium db upgrade`, and the start-up check."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from podium.store.engine import connected, shown_url

MIGRATIONS = Path(__file__).with_name("migrations")


class NotMigrated(RuntimeError):
    """The database is missing migrations; the message says what to run."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations. Runs its own event loop: call it from synchronous code only.
    An unreachable database raises engine.DatabaseUnavailable."""
    command.upgrade(alembic_config(url), revision)


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


async def current_revision(engine: AsyncEngine, url: str | None = None) -> str | None:
    """The database's revision (None: not migrated at all). DatabaseUnavailable when
    it cannot be reached."""
    async with connected(engine, url or engine.url.render_as_string()) as conn:
        return await conn.run_sync(
            lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision()
        )


async def ensure_migrated(engine: AsyncEngine, url: str) -> None:
    """Refuse to run on a database whose schema is not this code's."""
    current = await current_revision(engine, url)
    scripts = ScriptDirectory.from_config(alembic_config(url))
    head = scripts.get_current_head()
    if current == head:
        return
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise NotMigrated(
            f"The database at {shown_url(url)} is at revision {current}, which this "
            f"version of podium does not know (needs {head}): it was migrated by a newer one."
        )
    raise NotMigrated(
        f"The database at {shown_url(url)} is not up to date (at {current or 'nothing'}, "
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
