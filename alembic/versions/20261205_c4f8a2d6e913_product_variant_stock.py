"""stock per product variant (size × colour)

One column, product.variants: a JSON list of {"size", "color", "stock"} (issue #15, item 2). Empty for a
product sold in one form, which keeps its single stock figure; existing rows get an empty list.

Revision ID: c4f8a2d6e913
Revises: ccd69657dd4e
Create Date: 2026-12-05 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4f8a2d6e913"
down_revision: str | None = "ccd69657dd4e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("product") as batch:
        batch.add_column(sa.Column("variants", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("product") as batch:
        batch.alter_column("variants", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("product") as batch:
        batch.drop_column("variants")
