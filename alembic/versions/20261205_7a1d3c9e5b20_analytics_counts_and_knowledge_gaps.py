"""analytics: plain counts on agent_interaction, its (tenant_id, created_at) index, and knowledge gaps

agent_interaction gains what analytics counts in SQL without decrypting (issue #19): handoff_category (the code
before the colon of the encrypted reason), knowledge_hit_count, suggestion_count, suggestions_accepted and
recall (what a "did you forget…?" found). Existing rows are filled from their encrypted columns here, in
batches. The range scans of the analytics get an index on (tenant_id, created_at). A new table, knowledge_gap,
holds the job's groups of unanswered questions (the words encrypted).

Revision ID: 7a1d3c9e5b20
Revises: ba435ea4df39
Create Date: 2026-12-05 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import engine.models.base
import engine.security.crypto

revision: str = "7a1d3c9e5b20"
down_revision: str | None = "ba435ea4df39"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def _backfill() -> None:
    """Fill the new counts of existing turns from their encrypted columns (the model's listener does it for
    every new write)."""
    from engine.models.analytics import handoff_category_of

    crypto = engine.security.crypto
    turns = sa.table(
        "agent_interaction",
        sa.column("id", sa.Integer()),
        sa.column("handoff", sa.Boolean()),
        sa.column("handoff_reason", crypto.EncryptedText()),
        sa.column("knowledge_hits", crypto.EncryptedJSON()),
        sa.column("suggestions", sa.JSON()),
        sa.column("handoff_category", sa.String()),
        sa.column("knowledge_hit_count", sa.Integer()),
        sa.column("suggestion_count", sa.Integer()),
        sa.column("suggestions_accepted", sa.Integer()),
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(
                turns.c.id,
                turns.c.handoff,
                turns.c.handoff_reason,
                turns.c.knowledge_hits,
                turns.c.suggestions,
            )
            .where(turns.c.id > last)
            .order_by(turns.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            offered = [s for s in row.suggestions or [] if isinstance(s, dict)]
            conn.execute(
                turns.update()
                .where(turns.c.id == row.id)
                .values(
                    handoff_category=handoff_category_of(row.handoff_reason) if row.handoff else None,
                    knowledge_hit_count=len(row.knowledge_hits or []),
                    suggestion_count=len(offered),
                    suggestions_accepted=sum(1 for s in offered if s.get("accepted")),
                )
            )
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("agent_interaction") as batch:
        batch.add_column(sa.Column("handoff_category", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("knowledge_hit_count", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("suggestion_count", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("suggestions_accepted", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("recall", sa.String(length=16), nullable=True))
    op.create_index(
        "ix_agent_interaction_tenant_id_created_at", "agent_interaction", ["tenant_id", "created_at"]
    )
    _backfill()
    op.create_table(
        "knowledge_gap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("question", engine.security.crypto.EncryptedText(), nullable=False),
        sa.Column("examples", engine.security.crypto.EncryptedJSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("computed_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "id"),
    )
    op.create_index("ix_knowledge_gap_tenant_id", "knowledge_gap", ["tenant_id"])
    op.create_index("ix_knowledge_gap_tenant_id_size", "knowledge_gap", ["tenant_id", "size"])


def downgrade() -> None:
    op.drop_index("ix_knowledge_gap_tenant_id_size", table_name="knowledge_gap")
    op.drop_index("ix_knowledge_gap_tenant_id", table_name="knowledge_gap")
    op.drop_table("knowledge_gap")
    op.drop_index("ix_agent_interaction_tenant_id_created_at", table_name="agent_interaction")
    with op.batch_alter_table("agent_interaction") as batch:
        for column in ("recall", "suggestions_accepted", "suggestion_count", "knowledge_hit_count"):
            batch.drop_column(column)
        batch.drop_column("handoff_category")
