"""campaigns: templates, dispatch leases, recipient claims and attribution, settings, reply actions

Plain ADD COLUMN for campaign and campaign_recipient (never batch mode: on SQLite it rebuilds the table and
the drop cascades to the children); two new tables, campaign_settings and campaign_action.

Revision ID: b7c3e1f9a2d4
Revises: f4a1c9e2b7d3
Create Date: 2026-12-03 10:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision: str = "b7c3e1f9a2d4"
down_revision: str | None = "f4a1c9e2b7d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = engine.models.base.UTCDateTime


def _json(name: str, default: str) -> sa.Column:
    return sa.Column(name, sa.JSON(), server_default=sa.text(f"'{default}'"), nullable=False)


def upgrade() -> None:
    add = op.add_column
    add("campaign", sa.Column("sender_address", sa.String(length=40), nullable=True))
    add("campaign", sa.Column("template_status", sa.String(length=16), server_default="none", nullable=False))
    add("campaign", sa.Column("template_name", sa.String(length=120), nullable=True))
    add(
        "campaign",
        sa.Column("template_category", sa.String(length=16), server_default="MARKETING", nullable=False),
    )
    add("campaign", sa.Column("template_reason", sa.String(length=500), nullable=True))
    add("campaign", sa.Column("template_checked_at", UTC(), nullable=True))
    add("campaign", _json("template_variables", "[]"))
    add("campaign", _json("exclusions", "{}"))
    add("campaign", sa.Column("dispatch_owner", sa.String(length=64), nullable=True))
    add("campaign", sa.Column("lease_until", UTC(), nullable=True))
    add(
        "campaign", sa.Column("updated_at", UTC(), server_default=sa.func.current_timestamp(), nullable=False)
    )
    add("campaign_message", _json("fallbacks", "{}"))
    r = "campaign_recipient"
    add(r, sa.Column("error_message", sa.String(length=300), nullable=True))
    add(r, sa.Column("phone", sa.String(length=40), nullable=True))
    add(r, _json("variables", "{}"))
    add(r, sa.Column("not_before", UTC(), nullable=True))
    add(r, sa.Column("claimed_by", sa.String(length=64), nullable=True))
    add(r, sa.Column("claimed_at", UTC(), nullable=True))
    add(r, sa.Column("needs_lookup", sa.Boolean(), server_default=sa.false(), nullable=False))
    add(r, sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
    add(r, sa.Column("tapped_payload", sa.String(length=128), nullable=True))
    add(r, sa.Column("replied_at", UTC(), nullable=True))
    add(r, sa.Column("ordered_at", UTC(), nullable=True))
    add(r, sa.Column("order_id", sa.Integer(), nullable=True))
    add(r, sa.Column("revenue", sa.Numeric(precision=12, scale=2), nullable=True))
    op.create_index("ix_campaign_recipient_campaign_status", r, ["campaign_id", "status"])
    op.create_table(
        "campaign_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("frequency_cap", sa.Integer(), nullable=False),
        sa.Column("frequency_days", sa.Integer(), nullable=False),
        sa.Column("quiet_start", sa.String(length=5), nullable=False),
        sa.Column("quiet_end", sa.String(length=5), nullable=False),
        sa.Column("messages_per_second", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id"),
    )
    op.create_index("ix_campaign_settings_tenant_id", "campaign_settings", ["tenant_id"])
    op.create_table(
        "campaign_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", UTC(), nullable=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("done_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"]),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"], ["customer.tenant_id", "customer.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "id"),
    )
    op.create_index("ix_campaign_action_tenant_id", "campaign_action", ["tenant_id"])
    op.create_index("ix_campaign_action_customer_id", "campaign_action", ["customer_id"])
    op.create_index("ix_campaign_action_status", "campaign_action", ["status"])


def downgrade() -> None:
    op.drop_table("campaign_action")
    op.drop_table("campaign_settings")
    op.drop_index("ix_campaign_recipient_campaign_status", table_name="campaign_recipient")
    for column in (
        "error_message",
        "phone",
        "variables",
        "not_before",
        "claimed_by",
        "claimed_at",
        "needs_lookup",
        "attempts",
        "tapped_payload",
        "replied_at",
        "ordered_at",
        "order_id",
        "revenue",
    ):
        op.drop_column("campaign_recipient", column)
    op.drop_column("campaign_message", "fallbacks")
    for column in (
        "sender_address",
        "template_status",
        "template_name",
        "template_category",
        "template_reason",
        "template_checked_at",
        "template_variables",
        "exclusions",
        "dispatch_owner",
        "lease_until",
        "updated_at",
    ):
        op.drop_column("campaign", column)
