"""public series and mail queue: what of a series and its events the public may see
(off by default), whether an event's join link is shown there, a cancelled event's
mark and its calendar sequence; and the queue every mail goes through, so that a mail
once accepted is sent exactly once, after a crash too

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite adds columns in place: the tables keep their AUTOINCREMENT (migration 0004).
    false = sa.false()
    op.add_column("series", sa.Column("public", sa.Boolean(), server_default=false, nullable=False))
    op.add_column("events", sa.Column("public", sa.Boolean(), server_default=false, nullable=False))
    op.add_column(
        "events",
        sa.Column("join_link_public", sa.Boolean(), server_default=false, nullable=False),
    )
    op.add_column(
        "events", sa.Column("cancelled", sa.Boolean(), server_default=false, nullable=False)
    )
    op.add_column(
        "events", sa.Column("ics_sequence", sa.Integer(), server_default="0", nullable=False)
    )
    op.create_table(
        "mail_queue",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(120), nullable=True),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False, server_default="de"),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False, server_default=""),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False, server_default="queued"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("kind", "ref", name="uq_mail_queue_kind_ref"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_mail_queue_state", "mail_queue", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_mail_queue_state", table_name="mail_queue")
    op.drop_table("mail_queue")
    # SQLite rebuilds a table to drop a column: it must come back with AUTOINCREMENT.
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        for column in ("ics_sequence", "cancelled", "join_link_public", "public"):
            batch_op.drop_column(column)
    with op.batch_alter_table("series", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("public")
