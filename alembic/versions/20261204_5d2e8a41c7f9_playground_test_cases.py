"""playground test cases saved per tenant

A new table, playground_test_case: a customer message, the checks its reply must pass and the last run, all
encrypted (issue #15, item 6). Nothing else changes.

Revision ID: 5d2e8a41c7f9
Revises: b7c3e1f9a2d4
Create Date: 2026-12-04 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import engine.models.base
import engine.security.crypto

revision: str = "5d2e8a41c7f9"
down_revision: str | None = "b7c3e1f9a2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    encrypted = engine.security.crypto.EncryptedText
    op.create_table(
        "playground_test_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("message", encrypted(), nullable=False),
        sa.Column("checks", engine.security.crypto.EncryptedJSON(), nullable=False),
        sa.Column("last_run", engine.security.crypto.EncryptedJSON(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("last_run_at", engine.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "id"),
    )
    op.create_index("ix_playground_test_case_tenant_id", "playground_test_case", ["tenant_id"])


def downgrade() -> None:
    op.drop_index("ix_playground_test_case_tenant_id", table_name="playground_test_case")
    op.drop_table("playground_test_case")
