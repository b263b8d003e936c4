"""idempotent sends and the model call timeout

message.idempotency_key (unique per tenant) and message.sending_at: an outbound message is recorded as
"sending" with its key before Twilio is called, so a timeout or a crash is resolved by looking the message up
at Twilio instead of sending it again. agent_configuration.llm_timeout_seconds: how long one model call may
take for this tenant.

Revision ID: a4e2c9d81f60
Revises: c7a9d2e4f1b3
Create Date: 2026-11-24 09:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision: str = "a4e2c9d81f60"
down_revision: str | None = "c7a9d2e4f1b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("sending_at", engine.models.base.UTCDateTime(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_message_tenant_id_idempotency_key", ["tenant_id", "idempotency_key"]
        )
    with op.batch_alter_table("agent_configuration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("llm_timeout_seconds", sa.Float(), server_default="20", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("agent_configuration", schema=None) as batch_op:
        batch_op.drop_column("llm_timeout_seconds")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_constraint("uq_message_tenant_id_idempotency_key", type_="unique")
        batch_op.drop_column("sending_at")
        batch_op.drop_column("idempotency_key")
