"""workspace settings on the tenant: business hours, agent language, email; default sender

Business hours get one home, the tenant (Settings → General): `agent_configuration.business_hours` moves to
`tenant.business_hours` (the weekly intervals only) and its own `timezone` gives way to the tenant's time zone.
Where the tenant still had the default zone (UTC) and the hours named another, the tenant adopts that zone, so
opening times keep meaning what the shop meant. The first sender of each tenant becomes its default.

Revision ID: 5b1c0e7f3a21
Revises: 6422215fd066
Create Date: 2026-11-24 09:00:00.000000+00:00
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "5b1c0e7f3a21"
down_revision: str | None = "6422215fd066"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

tenant = sa.table(
    "tenant",
    sa.column("id", sa.Integer),
    sa.column("time_zone", sa.String),
    sa.column("business_hours", sa.JSON),
)
configuration = sa.table(
    "agent_configuration",
    sa.column("tenant_id", sa.Integer),
    sa.column("business_hours", sa.JSON),
)


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode: on SQLite a batch rebuild of `tenant` would drop a table every other
    # table points at. The server defaults fill the rows already there (and stay, harmlessly).
    op.add_column("tenant", sa.Column("business_hours", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column(
        "tenant", sa.Column("agent_language", sa.String(length=16), nullable=False, server_default="en")
    )
    op.add_column("tenant", sa.Column("email_settings", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column(
        "whatsapp_sender", sa.Column("is_default", sa.Boolean(), nullable=False, server_default=sa.false())
    )

    conn = op.get_bind()
    zones = {row.id: row.time_zone for row in conn.execute(sa.select(tenant.c.id, tenant.c.time_zone))}
    for row in conn.execute(sa.select(configuration.c.tenant_id, configuration.c.business_hours)).all():
        hours = _as_dict(row.business_hours)
        weekly = hours.get("weekly")
        if row.tenant_id not in zones or not isinstance(weekly, dict) or not weekly:
            continue
        values: dict[str, Any] = {"business_hours": {"weekly": weekly}}
        zone = hours.get("timezone")
        if zone and (zones[row.tenant_id] or "UTC") == "UTC":
            values["time_zone"] = str(zone)[:64]
        conn.execute(sa.update(tenant).where(tenant.c.id == row.tenant_id).values(**values))
    conn.execute(
        sa.text(
            "UPDATE whatsapp_sender SET is_default = :yes WHERE id IN "
            "(SELECT MIN(id) FROM whatsapp_sender GROUP BY tenant_id)"
        ),
        {"yes": True},
    )

    with op.batch_alter_table("agent_configuration", schema=None) as batch_op:
        batch_op.drop_column("business_hours")


def downgrade() -> None:
    with op.batch_alter_table("agent_configuration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("business_hours", sa.JSON(), nullable=False, server_default="{}"))
    conn = op.get_bind()
    for row in conn.execute(sa.select(tenant.c.id, tenant.c.time_zone, tenant.c.business_hours)).all():
        weekly = _as_dict(row.business_hours).get("weekly")
        if weekly:
            conn.execute(
                sa.update(configuration)
                .where(configuration.c.tenant_id == row.id)
                .values(business_hours={"timezone": row.time_zone or "UTC", "weekly": weekly})
            )
    op.drop_column("whatsapp_sender", "is_default")
    for column in ("email_settings", "agent_language", "business_hours"):
        op.drop_column("tenant", column)
