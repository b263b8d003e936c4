"""allowed link domains on the agent configuration

agent_configuration.allowed_link_domains: the domains a reply may link to (engine.agent.guard blocks a reply
linking anywhere else). An empty list — the default — means the shop's own domains, found in the
customer-facing knowledge and catalogue text a turn's context holds. Issue #14, item 2.

Revision ID: f4a1c9e2b7d3
Revises: e13f7a2b9c40
Create Date: 2026-11-25 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f4a1c9e2b7d3"
down_revision: str | None = "e13f7a2b9c40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (never batch mode, which rebuilds the table on SQLite).
    op.add_column(
        "agent_configuration",
        sa.Column("allowed_link_domains", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("agent_configuration", "allowed_link_domains")
