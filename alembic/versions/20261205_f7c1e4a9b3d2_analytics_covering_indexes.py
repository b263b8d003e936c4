"""analytics: covering indexes (PostgreSQL INCLUDE) for the figures and the resolution definition

benchmarks/analytics.py (1,000,000 turns, 50 tenants) spent its time fetching table rows scattered across the
heap: a tenant's rows of a month sit on thousands of pages among the other tenants'. On PostgreSQL the indexes
the analytics read now carry the columns they aggregate (INCLUDE), so their scans are index-only: the turns'
figures, the messages' direction/sender, the conversations' channel/status, the LLM calls' cost. A new index
(tenant_id, id) on conversation carries what the resolution definition reads by id. SQLite keeps plain keys
(it has no INCLUDE) and gets the new index as keys only.

Revision ID: f7c1e4a9b3d2
Revises: e5b9d3a7c2f1
Create Date: 2026-12-05 13:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f7c1e4a9b3d2"
down_revision: str | None = "e5b9d3a7c2f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TURN_FIGURES = [
    "conversation_id",
    "handoff",
    "handoff_category",
    "message_type",
    "knowledge_hit_count",
    "suggestion_count",
    "suggestions_accepted",
    "recall",
    "confidence",
]
# (index, table, keys, included columns)
COVERING = [
    (
        "ix_agent_interaction_tenant_id_created_at",
        "agent_interaction",
        ["tenant_id", "created_at"],
        TURN_FIGURES,
    ),
    (
        "ix_agent_interaction_conversation_id_created_at",
        "agent_interaction",
        ["conversation_id", "created_at"],
        ["tenant_id", "handoff"],
    ),
    (
        "ix_message_tenant_id_created_at",
        "message",
        ["tenant_id", "created_at"],
        ["conversation_id", "id", "direction", "sender", "sent_by_user_id"],
    ),
    (
        "ix_message_conversation_id_created_at",
        "message",
        ["conversation_id", "created_at"],
        ["tenant_id", "direction", "sender", "sent_by_user_id", "button_payload"],
    ),
    (
        "ix_conversation_tenant_id_created_at",
        "conversation",
        ["tenant_id", "created_at"],
        ["id", "channel", "status"],
    ),
    (
        "ix_llm_call_tenant_id_created_at",
        "llm_call",
        ["tenant_id", "created_at"],
        ["provider", "model", "cost", "tokens_in", "tokens_out", "conversation_id"],
    ),
]
BY_ID = (
    "ix_conversation_tenant_id_id_figures",
    "conversation",
    ["tenant_id", "id"],
    ["customer_id", "status", "channel", "last_activity_at"],
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    name, table, keys, include = BY_ID
    if not _postgresql():
        op.create_index(name, table, keys)
        return
    op.create_index(name, table, keys, postgresql_include=include)
    for name, table, keys, include in COVERING:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, keys, postgresql_include=include)


def downgrade() -> None:
    op.drop_index(BY_ID[0], table_name=BY_ID[1])
    if not _postgresql():
        return
    for name, table, keys, _ in COVERING:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, keys)
