"""ids never reused: SQLite tables with AUTOINCREMENT; a random salt per event for its
participants' token hashes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 08:30:00.000000

SQLite without AUTOINCREMENT gives the highest id, once deleted, to the next row: a
new event took a deleted one's id, and the writer's cache of participants (event id,
token hash) then named someone else's row. Every table whose rows are named by a
single integer id gets AUTOINCREMENT, which SQLite can only add by rebuilding the
table (batch mode: create, copy, drop, rename; indexes, unique and partial indexes,
foreign keys come along from reflection). env.py turns foreign keys off for the run,
so that dropping the old table cascades nowhere, and checks them before it commits.
PostgreSQL's sequences never give an id twice: nothing to do there but the salt.

An id deleted before this upgrade was not recorded anywhere, so it may be given once
more (the new row starts after the highest id that still exists). The event salt
covers the case that mattered: a token's hash in an event made from now on is salted
with random bytes, not with an id an earlier event had.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table with a single integer id (the composite keys of event_moderators,
# contribution_votes and participant_bans are no rowid, AUTOINCREMENT means nothing
# there). Parents before children, though the order does not matter with foreign
# keys off.
TABLES = (
    "users",
    "series",
    "events",
    "questions",
    "options",
    "participants",
    "answers",
    "contributions",
    "word_edits",
)


def upgrade() -> None:
    # Existing events keep their id as salt: token_hash(salt, token) is
    # sha256(f"{salt}:{token}"), and their participants' hashes were made as
    # sha256(f"{event_id}:{token}"), so every stored participant is still found.
    op.add_column("events", sa.Column("participant_salt", sa.String(length=64), nullable=True))
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("participant_salt"))
    op.execute(events.update().values(participant_salt=sa.cast(events.c.id, sa.String(64))))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _refuse_with_foreign_keys_on()
    with op.batch_alter_table(
        "events",
        recreate="always" if sqlite else "never",
        table_kwargs={"sqlite_autoincrement": True},
    ) as batch_op:
        batch_op.alter_column("participant_salt", existing_type=sa.String(64), nullable=False)
    if sqlite:
        for name in TABLES:
            if name != "events":
                _rebuild(name, autoincrement=True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _refuse_with_foreign_keys_on()
        for name in TABLES:
            if name != "events":
                _rebuild(name, autoincrement=False)
    with op.batch_alter_table(
        "events",
        recreate="always" if sqlite else "never",
        table_kwargs={"sqlite_autoincrement": False},
    ) as batch_op:
        batch_op.drop_column("participant_salt")


def _rebuild(name: str, autoincrement: bool) -> None:
    with op.batch_alter_table(
        name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def _refuse_with_foreign_keys_on() -> None:
    """With foreign keys on, dropping a table during its rebuild deletes every row that
    refers to it (ON DELETE CASCADE): refuse rather than lose answers."""
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "SQLite's foreign keys are on: migration 0004 rebuilds tables and would "
            "cascade deletes. Run it through podium (podium db upgrade)."
        )
