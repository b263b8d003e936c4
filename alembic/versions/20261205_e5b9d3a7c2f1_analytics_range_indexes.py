"""analytics: (tenant_id, created_at) indexes on conversation and message

The Analytics page counts one tenant's conversations and messages over a range of days; without these the
database reads every row of the tenant and filters (benchmarks/analytics.py, 1,000,000 turns: see
benchmarks/README.md). Nothing else changes.

Revision ID: e5b9d3a7c2f1
Revises: c4f8a2d6e913
Create Date: 2026-12-05 12:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e5b9d3a7c2f1"
down_revision: str | None = "c4f8a2d6e913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_conversation_tenant_id_created_at", "conversation", ["tenant_id", "created_at"])
    op.create_index("ix_message_tenant_id_created_at", "message", ["tenant_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_message_tenant_id_created_at", table_name="message")
    op.drop_index("ix_conversation_tenant_id_created_at", table_name="conversation")
