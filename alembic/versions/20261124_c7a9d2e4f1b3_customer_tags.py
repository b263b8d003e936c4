"""customer tags

Staff's labels on a customer (vip, wholesale), read and set through the REST API (customers:manage). A JSON
list, never NULL; the server default lets raw-SQL inserts (the webhook's customer upsert) leave it out.

Revision ID: c7a9d2e4f1b3
Revises: 5b1c0e7f3a21
Create Date: 2026-11-24 03:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7a9d2e4f1b3"
down_revision: str | None = "5b1c0e7f3a21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, never batch mode: on SQLite batch mode rebuilds the table, and dropping the old
    # customer table cascades to every conversation and message that points at it.
    op.add_column("customer", sa.Column("tags", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    op.drop_column("customer", "tags")
