"""organisations, the account log and account links: series, events and accounts
belong to an organisation (an organiser sees only its own), every change of an
account is logged with who and when, and an invitation or a password reset is a
single-use link. Existing series, events and non-administrator accounts go into one
organisation, "Standard", created only if there is anything to put in it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:40:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNED = ("users", "series", "events")
DEFAULT_NAME = "Standard"


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_organisations_name"),
        sqlite_autoincrement=True,
    )
    # SQLite rebuilds a table to add a foreign key: it must keep AUTOINCREMENT.
    for table in OWNED:
        with op.batch_alter_table(table, table_kwargs={"sqlite_autoincrement": True}) as batch:
            batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f"fk_{table}_organisation_id_organisations",
                "organisations",
                ["organisation_id"],
                ["id"],
                ondelete="RESTRICT",
            )
            batch.create_index(f"ix_{table}_organisation_id", ["organisation_id"])
    _existing_rows_into_one_organisation()
    op.create_table(
        "account_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("account", sa.String(254), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.String(300), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_account_log_at", "account_log", ["at"])
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_account_links_token_hash"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_account_links_user_id", "account_links", ["user_id"])


def _existing_rows_into_one_organisation() -> None:
    """Before this revision every organiser saw every event: putting them all in one
    organisation keeps exactly that. Administrators did not exist; nobody is one."""
    conn = op.get_bind()
    counts = [conn.scalar(sa.text(f"SELECT COUNT(*) FROM {table}")) for table in OWNED]
    if not any(counts):
        return
    conn.execute(
        sa.text("INSERT INTO organisations (name, created_at) VALUES (:name, :at)"),
        {"name": DEFAULT_NAME, "at": datetime.now(UTC)},
    )
    org_id = conn.scalar(
        sa.text("SELECT id FROM organisations WHERE name = :name"), {"name": DEFAULT_NAME}
    )
    for table in OWNED:
        conn.execute(sa.text(f"UPDATE {table} SET organisation_id = :org"), {"org": org_id})


def downgrade() -> None:
    op.drop_index("ix_account_links_user_id", table_name="account_links")
    op.drop_table("account_links")
    op.drop_index("ix_account_log_at", table_name="account_log")
    op.drop_table("account_log")
    for table in reversed(OWNED):
        with op.batch_alter_table(table, table_kwargs={"sqlite_autoincrement": True}) as batch:
            batch.drop_index(f"ix_{table}_organisation_id")
            batch.drop_constraint(f"fk_{table}_organisation_id_organisations", type_="foreignkey")
            batch.drop_column("organisation_id")
    op.drop_table("organisations")
