"""emit(): what happened goes into the outbox in the caller's transaction.

Written beside the change it reports (a message stored, a conversation closed), the event commits or rolls
back with it: no event for something that did not happen, no lost event when the process dies right after
the commit. One delivery row per active endpoint subscribed to the type is written at the same time; the
worker sends them (engine.integrations.delivery). A tenant without endpoints pays one indexed read.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from engine.integrations.catalog import EVENT_TYPES, TEST_EVENT
from engine.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, utcnow


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def emit(
    session: Session,
    tenant_id: int,
    event_type: str,
    data: dict[str, Any],
    *,
    now: datetime | None = None,
    endpoint_id: int | None = None,
) -> WebhookEvent | None:
    """Record `event_type` for the tenant's subscribed endpoints (only `endpoint_id`'s when given: the test
    delivery). Returns the event, or None when no endpoint wants it."""
    if event_type not in EVENT_TYPES and event_type != TEST_EVENT:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    now = now or utcnow()
    query = select(WebhookEndpoint.id, WebhookEndpoint.events).where(
        WebhookEndpoint.tenant_id == tenant_id,
        WebhookEndpoint.is_active.is_(True),  # type: ignore[attr-defined]
    )
    if endpoint_id is not None:
        query = query.where(WebhookEndpoint.id == endpoint_id)
    targets = [
        int(eid)
        for eid, events in session.execute(query).all()
        if endpoint_id is not None or event_type in events
    ]
    if not targets:
        return None
    event = WebhookEvent(
        tenant_id=tenant_id, event_id=new_event_id(), event_type=event_type, data=data, occurred_at=now
    )
    session.add(event)
    session.flush()
    for target in sorted(targets):
        session.add(
            WebhookDelivery(
                tenant_id=tenant_id,
                endpoint_id=target,
                event_row_id=int(event.id or 0),
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
        )
    session.flush()
    return event


__all__ = ["emit", "new_event_id"]
