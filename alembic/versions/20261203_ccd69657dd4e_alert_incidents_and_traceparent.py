"""alert incidents and the queue row's traceparent (issue #19, operations)

alert_incident: one row per incident of a tenant's in-app alert (engine/observability/alerts.py); open_kind is
the kind while open and NULL once resolved, so unique (tenant_id, open_kind) allows one open incident a kind.
message_queue.traceparent: the W3C trace context of the webhook that queued the message (NULL when tracing is
off), so the worker's span continues the webhook's trace.

Revision ID: ccd69657dd4e
Revises: 7a1d3c9e5b20
Create Date: 2026-12-03 11:48:37.747204+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import engine.models.base

revision: str = "ccd69657dd4e"
down_revision: str | None = "7a1d3c9e5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("open_kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("opened_at", engine.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", engine.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", engine.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("opened_notice_at", engine.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_notice_at", engine.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_alert_incident_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_incident")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_alert_incident_tenant_id_id")),
        sa.UniqueConstraint("tenant_id", "open_kind", name=op.f("uq_alert_incident_tenant_id_open_kind")),
    )
    op.create_index(op.f("ix_alert_incident_tenant_id"), "alert_incident", ["tenant_id"], unique=False)
    op.create_index(
        "ix_alert_incident_tenant_id_opened_at", "alert_incident", ["tenant_id", "opened_at"], unique=False
    )
    # A plain ADD COLUMN, never batch mode: on SQLite batch mode rebuilds the table (see c7a9d2e4f1b3).
    op.add_column(
        "message_queue", sa.Column("traceparent", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("message_queue", schema=None) as batch_op:
        batch_op.drop_column("traceparent")
    op.drop_index("ix_alert_incident_tenant_id_opened_at", table_name="alert_incident")
    op.drop_index(op.f("ix_alert_incident_tenant_id"), table_name="alert_incident")
    op.drop_table("alert_incident")
