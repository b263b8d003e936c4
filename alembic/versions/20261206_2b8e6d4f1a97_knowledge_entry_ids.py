"""analytics: the knowledge entry ids an answer used, plain, on agent_interaction

Satisfaction by knowledge entry grouped conversations by the entries their answers drew on, and those ids
existed only inside the encrypted `knowledge_hits` (titles and the customer's matched words): every turn of
the range was decrypted in Python. `knowledge_entry_ids` holds the ids alone (not the customer's words, so
in clear), a JSON list like `intent_names`, and the figure becomes an SQL aggregate. The model's listener
fills it on every write; existing turns are filled here, tenant by tenant in batches, by decrypting their
hits (only turns that had any: `knowledge_hit_count`). Downgrade drops the column (the hits keep the ids).

Revision ID: 2b8e6d4f1a97
Revises: f7c1e4a9b3d2
Create Date: 2026-12-06 09:00:00+00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from engine.security.crypto import EncryptedJSON

revision: str = "2b8e6d4f1a97"
down_revision: str | None = "f7c1e4a9b3d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000

TURNS = sa.table(
    "agent_interaction",
    sa.column("id", sa.Integer()),
    sa.column("tenant_id", sa.Integer()),
    sa.column("knowledge_hits", EncryptedJSON()),
    sa.column("knowledge_hit_count", sa.Integer()),
    sa.column("knowledge_entry_ids", sa.JSON()),
)


def _entry_ids(hits: Any) -> list[int]:
    """As engine.models.analytics.knowledge_entry_ids_of on the day of this revision (frozen here)."""
    ids = [int(h["id"]) for h in hits or [] if isinstance(h, dict) and str(h.get("id") or "").isdigit()]
    return list(dict.fromkeys(ids))


def _backfill() -> None:
    conn = op.get_bind()
    tenants = conn.execute(sa.text("SELECT id FROM tenant ORDER BY id")).scalars().all()
    for tenant_id in tenants:
        last = 0
        while True:
            rows = conn.execute(
                sa.select(TURNS.c.id, TURNS.c.knowledge_hits)
                .where(TURNS.c.tenant_id == tenant_id, TURNS.c.id > last, TURNS.c.knowledge_hit_count > 0)
                .order_by(TURNS.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            filled = [
                {"row_id": row.id, "ids": ids} for row in rows if (ids := _entry_ids(row.knowledge_hits))
            ]
            if filled:  # the column's default is already the empty list
                conn.execute(
                    TURNS.update()
                    .where(TURNS.c.id == sa.bindparam("row_id"))
                    .values(knowledge_entry_ids=sa.bindparam("ids")),
                    filled,
                )
            last = rows[-1].id


def upgrade() -> None:
    op.add_column(
        "agent_interaction",
        sa.Column("knowledge_entry_ids", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    )
    _backfill()


def downgrade() -> None:
    op.drop_column("agent_interaction", "knowledge_entry_ids")
