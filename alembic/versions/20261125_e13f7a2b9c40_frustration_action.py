"""frustration action on the agent configuration

agent_configuration.frustration_action: what a strongly frustrated or abusive message does — "handoff" (a
person takes over, the default) or "offer" (the reply offers a person with a button). Issue #13.

Revision ID: e13f7a2b9c40
Revises: a4e2c9d81f60
Create Date: 2026-11-25 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e13f7a2b9c40"
down_revision: str | None = "a4e2c9d81f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agent_configuration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("frustration_action", sa.String(length=16), server_default="handoff", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("agent_configuration", schema=None) as batch_op:
        batch_op.drop_column("frustration_action")
