"""published results and match keys: an event's results may be published under a
secret, revocable link with the options chosen for it; a question may carry a key
that matches it with the same question at the series' other events

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 13:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite adds columns in place (tables keep their AUTOINCREMENT, migration 0004);
    # it cannot add a UNIQUE column, so uniqueness is a separate index.
    op.add_column("events", sa.Column("results_token", sa.String(64), nullable=True))
    op.add_column("events", sa.Column("results_options", sa.JSON(), nullable=True))
    op.create_index("ix_events_results_token", "events", ["results_token"], unique=True)
    op.add_column("questions", sa.Column("match_key", sa.String(80), nullable=True))


def downgrade() -> None:
    # SQLite rebuilds a table to drop a column: it must come back with AUTOINCREMENT.
    with op.batch_alter_table("questions", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("match_key")
    op.drop_index("ix_events_results_token", table_name="events")
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("results_options")
        batch_op.drop_column("results_token")
