"""screen shows participants: the organiser's choice to show how many participants
are connected on the presenter screen (off, also for every existing event)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite adds a column in place: the table keeps its AUTOINCREMENT (migration 0004).
    op.add_column(
        "events",
        sa.Column(
            "screen_shows_participants", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
    )


def downgrade() -> None:
    # SQLite rebuilds the table to drop a column: it must come back with AUTOINCREMENT.
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("screen_shows_participants")
