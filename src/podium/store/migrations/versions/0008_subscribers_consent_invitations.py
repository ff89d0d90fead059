"""subscribers, consent and invitations: the versioned consent texts of a series, its
subscribers with the events they chose, the consent log, invitation runs and the
mail queue's link to them, and an event's day-before reminder

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column(
        "events", sa.Column("reminder", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("mail_queue", sa.Column("run_id", sa.Integer(), nullable=True))
    op.create_index("ix_mail_queue_run_id", "mail_queue", ["run_id"])
    op.create_table(
        "consent_texts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "series_id",
            sa.Integer(),
            sa.ForeignKey("series.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text_de", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False, server_default=""),
        sa.Column(
            "created_by",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", NOW, nullable=False),
        sa.UniqueConstraint("series_id", "version", name="uq_consent_texts_series_version"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_consent_texts_series_id", "consent_texts", ["series_id"])
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "series_id",
            sa.Integer(),
            sa.ForeignKey("series.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_key", sa.String(254), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False, server_default="de"),
        sa.Column("state", sa.String(12), nullable=False, server_default="pending"),
        sa.Column("whole_series", sa.Boolean(), nullable=False),
        sa.Column("consent_version", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("token_expires_at", NOW, nullable=True),
        sa.Column("unsubscribe_key", sa.String(64), nullable=False),
        sa.Column("requested_at", NOW, nullable=False),
        sa.Column("confirmed_at", NOW, nullable=True),
        sa.Column("withdrawn_at", NOW, nullable=True),
        sa.Column("last_mail_at", NOW, nullable=True),
        sa.UniqueConstraint("series_id", "email_key", name="uq_subscribers_series_email"),
        sa.UniqueConstraint("token_hash", name="uq_subscribers_token_hash"),
        sa.UniqueConstraint("unsubscribe_key", name="uq_subscribers_unsubscribe_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_subscribers_series_id", "subscribers", ["series_id"])
    op.create_table(
        "subscriber_events",
        sa.Column(
            "subscriber_id",
            sa.Integer(),
            sa.ForeignKey("subscribers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_subscriber_events_event_id", "subscriber_events", ["event_id"])
    op.create_table(
        "consent_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "subscriber_id",
            sa.Integer(),
            sa.ForeignKey("subscribers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("consent_version", sa.Integer(), nullable=True),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("at", NOW, nullable=False),
        sa.Column("ip", sa.String(45), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_consent_log_subscriber_id", "consent_log", ["subscriber_id"])
    op.create_table(
        "mail_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, server_default="sending"),
        sa.Column("recipients", sa.Integer(), nullable=False, server_default="0"),
        sa.Column(
            "created_by",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("finished_at", NOW, nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_mail_runs_event_id", "mail_runs", ["event_id"])


def downgrade() -> None:
    for table in ("mail_runs", "consent_log", "subscriber_events", "subscribers", "consent_texts"):
        op.drop_table(table)
    op.drop_index("ix_mail_queue_run_id", table_name="mail_queue")
    # SQLite rebuilds a table to drop a column: it must come back with AUTOINCREMENT.
    with op.batch_alter_table("mail_queue", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("run_id")
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("reminder")
