"""The delivery log of one endpoint, newest first, as Settings → Integrations and the REST API show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session

from engine.db import TenantScope
from engine.integrations.catalog import label
from engine.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

PAGE = 25
STATUS_WORDS = {
    "pending": "Waiting to retry",
    "delivering": "Sending",
    "delivered": "Delivered",
    "failed": "Failed",
}


@dataclass(frozen=True, slots=True)
class DeliveryLine:
    id: int
    event_id: str
    event_type: str
    event_label: str
    status: str
    status_label: str
    attempts: int
    status_code: int | None
    latency_ms: int | None
    response_excerpt: str | None
    error: str | None
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    lines: list[DeliveryLine]
    total: int


def deliveries(
    session: Session, tenant_id: int, endpoint_id: int, *, limit: int = PAGE, offset: int = 0
) -> DeliveryPage:
    TenantScope(session, tenant_id).require(WebhookEndpoint, endpoint_id)  # 404 for another tenant's
    return _page(session, tenant_id, (WebhookDelivery.endpoint_id == endpoint_id,), limit, offset)


def delivery(session: Session, tenant_id: int, delivery_id: int) -> DeliveryLine:
    """One line of a log (NotFound for another tenant's)."""
    TenantScope(session, tenant_id).require(WebhookDelivery, delivery_id)
    return _page(session, tenant_id, (WebhookDelivery.id == delivery_id,), 1, 0).lines[0]


def _page(
    session: Session, tenant_id: int, match: tuple[object, ...], limit: int, offset: int
) -> DeliveryPage:
    where = (WebhookDelivery.tenant_id == tenant_id, *match)
    total = int(
        session.execute(select(func.count()).select_from(WebhookDelivery).where(*where)).scalar() or 0
    )
    rows = session.execute(
        select(WebhookDelivery, WebhookEvent.event_id, WebhookEvent.event_type)
        .join(
            WebhookEvent,
            and_(
                WebhookEvent.id == WebhookDelivery.event_row_id,
                WebhookEvent.tenant_id == WebhookDelivery.tenant_id,
            ),
        )
        .where(*where)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())  # type: ignore[attr-defined]
        .limit(max(1, min(limit, 100)))
        .offset(max(0, offset))
    ).all()
    lines = [
        DeliveryLine(
            id=int(d.id or 0),
            event_id=event_id,
            event_type=event_type,
            event_label=label(event_type),
            status=d.status,
            status_label=STATUS_WORDS.get(d.status, d.status),
            attempts=d.attempts,
            status_code=d.last_status_code,
            latency_ms=d.last_latency_ms,
            response_excerpt=d.response_excerpt,
            error=d.last_error,
            created_at=d.created_at,
            delivered_at=d.delivered_at,
            next_attempt_at=d.next_attempt_at,
        )
        for d, event_id, event_type in rows
    ]
    return DeliveryPage(lines, total)


__all__ = ["PAGE", "DeliveryLine", "DeliveryPage", "STATUS_WORDS", "deliveries", "delivery"]
