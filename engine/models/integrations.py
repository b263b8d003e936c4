"""Outgoing webhooks: the shop's endpoints, the outbox of events and each delivery's story.

One owner: engine/integrations writes every row here. An event row is written in the same transaction as the
thing that happened (a message stored, a conversation closed), so an event is never lost to a crash between
the two and never sent for something that rolled back; the worker delivers it later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column

from engine.models.base import (
    Field,
    Index,
    TenantOwned,
    UniqueConstraint,
    created_at_field,
    encrypted_json_dict,
    json_list,
    tenant_keys,
    time_field,
)
from engine.security.crypto import EncryptedText


class WebhookEndpoint(TenantOwned, table=True):
    """A URL of the shop's own systems (CRM, order system, scripts) and the events it wants."""

    __tablename__ = "webhook_endpoint"
    __table_args__ = tenant_keys("webhook_endpoint")

    name: str = Field(max_length=120)
    url: str = Field(max_length=500)
    events: list[str] = json_list()  # event types, e.g. ["message.received", "rating.received"]
    include_customer_text: bool = Field(default=False)  # the customer's words leave Parley only when ticked
    # the HMAC key the receiver verifies with; shown once when created or rotated, encrypted at rest
    secret: str = Field(sa_column=Column(EncryptedText, nullable=False))
    is_active: bool = Field(default=True)
    disabled_reason: str | None = Field(default=None, max_length=255)  # shown as the notice in Settings
    failing_since: datetime | None = time_field()  # first failure after the last success
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class WebhookEvent(TenantOwned, table=True):
    """The outbox: one thing that happened, with its id for the receiver's de-duplication."""

    __tablename__ = "webhook_event"
    __table_args__ = tenant_keys("webhook_event", UniqueConstraint("tenant_id", "event_id"))

    event_id: str = Field(max_length=40)  # evt_<uuid hex>; the same on every retry and resend
    event_type: str = Field(max_length=40)
    # encrypted: it can quote the customer (a message's text, a rating's comment)
    data: dict[str, Any] = encrypted_json_dict()
    occurred_at: datetime = created_at_field()


class WebhookDelivery(TenantOwned, table=True):
    """One event on its way to one endpoint: claimed by a worker, retried with back-off, logged."""

    __tablename__ = "webhook_delivery"
    __table_args__ = tenant_keys(
        "webhook_delivery",
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index(
            "ix_webhook_delivery_tenant_id_endpoint_id_created_at", "tenant_id", "endpoint_id", "created_at"
        ),
        refs={"endpoint_id": "webhook_endpoint", "event_row_id": "webhook_event"},
    )

    endpoint_id: int = Field(index=True)
    event_row_id: int
    # pending (waiting for next_attempt_at) | delivering (claimed) | delivered | failed (gave up)
    status: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = time_field()
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = time_field()  # a killed worker's claim expires; another redelivers
    last_status_code: int | None = Field(default=None)
    last_latency_ms: int | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=255)
    response_excerpt: str | None = Field(default=None, max_length=500)  # what the receiver answered
    delivered_at: datetime | None = time_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


__all__ = ["WebhookDelivery", "WebhookEndpoint", "WebhookEvent"]
