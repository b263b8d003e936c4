"""In-app alerts: a row per incident, a stretch of time a tenant's figure stayed past its threshold."""

from __future__ import annotations

from datetime import datetime

from engine.models.base import (
    Field,
    Index,
    TenantOwned,
    UniqueConstraint,
    UTCDateTime,
    created_at_field,
    tenant_keys,
    time_field,
)


class AlertIncident(TenantOwned, table=True):
    """Opened when a check (engine.observability.alerts, every minute) first finds a figure past its
    threshold, resolved when a later check finds it back. `open_kind` holds the kind while the incident is
    open and NULL once resolved: unique (tenant_id, open_kind) lets the database refuse a second open incident
    of a kind (NULLs never collide), on SQLite and PostgreSQL alike. The notice stamps make each notice go out
    once."""

    __tablename__ = "alert_incident"
    __table_args__ = tenant_keys(
        "alert_incident",
        UniqueConstraint("tenant_id", "open_kind"),
        Index("ix_alert_incident_tenant_id_opened_at", "tenant_id", "opened_at"),
    )

    kind: str = Field(max_length=32)  # engine.observability.thresholds.KINDS
    open_kind: str | None = Field(default=None, max_length=32)
    value: float = Field(default=0.0)  # the figure when last checked while open
    threshold: float = Field(default=0.0)
    opened_at: datetime = created_at_field()
    last_seen_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    resolved_at: datetime | None = time_field()
    opened_notice_at: datetime | None = time_field()
    resolved_notice_at: datetime | None = time_field()
