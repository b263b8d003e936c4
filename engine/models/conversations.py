"""Customers, their WhatsApp conversations and messages, the agent's memory and the burst queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, text

from engine.models.base import (
    Field,
    Index,
    TenantOwned,
    UniqueConstraint,
    UTCDateTime,
    created_at_field,
    encrypted_json_dict,
    json_list,
    tenant_keys,
    time_field,
)
from engine.security.crypto import EncryptedJSON, EncryptedText


class Customer(TenantOwned, table=True):
    __table_args__ = tenant_keys("customer", UniqueConstraint("tenant_id", "phone"))

    phone: str = Field(max_length=40)
    wa_id: str | None = Field(default=None, max_length=32)
    name: str | None = Field(default=None, max_length=120)
    language: str | None = Field(default=None, max_length=16)
    opted_in: bool = Field(default=False)
    opted_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    opted_out_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    key_facts: dict[str, Any] = encrypted_json_dict()  # what the customer told us about themselves
    # staff's labels (vip, wholesale), plain to filter by; server default: raw-SQL inserts need not name it
    tags: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    created_at: datetime = created_at_field()
    last_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Conversation(TenantOwned, table=True):
    __table_args__ = tenant_keys(
        "conversation",
        # the inbox change marker's max(last_activity_at) per tenant: one index probe, not a tenant scan
        Index("ix_conversation_tenant_id_last_activity_at", "tenant_id", "last_activity_at"),
        # analytics: one tenant's conversations started in a range of days, and the resolution definition's
        # look-ups by id; PostgreSQL keeps the columns they read in the index (INCLUDE: index-only scans)
        Index(
            "ix_conversation_tenant_id_created_at",
            "tenant_id",
            "created_at",
            postgresql_include=["id", "channel", "status"],
        ),
        Index(
            "ix_conversation_tenant_id_id_figures",
            "tenant_id",
            "id",
            postgresql_include=["customer_id", "status", "channel", "last_activity_at"],
        ),
        refs={"customer_id": "customer"},
    )

    customer_id: int = Field(index=True)
    status: str = Field(default="bot", max_length=16, index=True)  # bot | handoff | closed
    # whatsapp · playground (staff trying their own agent in the console: kept out of the inbox)
    channel: str = Field(default="whatsapp", max_length=16, sa_column_kwargs={"server_default": "whatsapp"})
    assigned_user_id: int | None = Field(default=None, foreign_key="user.id")
    # free text: the model's or the staff member's reason, which can quote the customer
    handoff_reason: str | None = Field(default=None, sa_column=Column(EncryptedText))
    low_confidence_turns: int = Field(default=0)
    created_at: datetime = created_at_field()
    last_activity_at: datetime = created_at_field()
    last_inbound_at: datetime | None = time_field()
    closed_at: datetime | None = time_field()


class Message(TenantOwned, table=True):
    __table_args__ = tenant_keys(
        "message",
        UniqueConstraint("tenant_id", "provider_sid"),
        UniqueConstraint("tenant_id", "idempotency_key"),
        Index(
            "ix_message_conversation_id_created_at",
            "conversation_id",
            "created_at",
            # what the resolution definition and first responses read, index-only on PostgreSQL
            postgresql_include=["tenant_id", "direction", "sender", "sent_by_user_id", "button_payload"],
        ),
        Index("ix_message_status_updated_at", "status", "updated_at"),
        # the inbox change marker's max(updated_at) per tenant: one index probe, not a tenant scan
        Index("ix_message_tenant_id_updated_at", "tenant_id", "updated_at"),
        # analytics: a tenant's messages over a range of days (per day, reply times); index-only on PostgreSQL
        Index(
            "ix_message_tenant_id_created_at",
            "tenant_id",
            "created_at",
            postgresql_include=["conversation_id", "id", "direction", "sender", "sent_by_user_id"],
        ),
        refs={"conversation_id": "conversation"},
    )

    conversation_id: int = Field(index=True)
    direction: str = Field(max_length=8)  # inbound | outbound
    sender: str = Field(default="customer", max_length=16)  # customer | agent | human | system
    body: str | None = Field(default=None, sa_column=Column(EncryptedText, nullable=True))
    media: list[dict[str, Any]] = json_list()
    button_payload: str | None = Field(default=None, max_length=256)
    button_text: str | None = Field(default=None, sa_column=Column(EncryptedText))
    # the whole reply (body, options, the customer's words under meta): one encrypted document
    rich: dict[str, Any] | None = Field(default=None, sa_column=Column(EncryptedJSON, nullable=True))
    content_sid: str | None = Field(default=None, max_length=64)
    provider_sid: str | None = Field(default=None, max_length=64)
    status: str = Field(default="received", max_length=16)
    error_code: str | None = Field(default=None, max_length=16)
    error_message: str | None = Field(default=None, max_length=500)
    sent_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    # outbound: the key that finds this message at Twilio after a timeout or a crash (engine.conversations
    # .outbound), and when the first send under that key began (the window searched at Twilio)
    idempotency_key: str | None = Field(default=None, max_length=40)
    sending_at: datetime | None = time_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class ConversationContext(TenantOwned, table=True):
    """The agent's working memory of one conversation; key facts outlive context_expires_at."""

    __tablename__ = "conversation_context"
    __table_args__ = tenant_keys(
        "conversation_context",
        UniqueConstraint("tenant_id", "conversation_id"),
        refs={
            "conversation_id": "conversation",
            "last_product_id": "product",
            "last_service_id": "service",
        },
    )

    conversation_id: int = Field(index=True)
    current_topic: str | None = Field(default=None, sa_column=Column(EncryptedText))  # may be customer words
    pending_action: str | None = Field(default=None, max_length=200)  # a label (offer_continue)
    extracted_entities: dict[str, Any] = encrypted_json_dict()
    last_product_id: int | None = Field(default=None)
    last_service_id: int | None = Field(default=None)
    conversation_summary: str | None = Field(default=None, sa_column=Column(EncryptedText))
    key_facts: dict[str, Any] = encrypted_json_dict()
    context_expires_at: datetime | None = time_field()
    updated_at: datetime = created_at_field()


class MessageQueue(TenantOwned, table=True):
    """Inbound messages waiting for their conversation's burst window to close."""

    __tablename__ = "message_queue"
    __table_args__ = tenant_keys(
        "message_queue",
        UniqueConstraint("tenant_id", "message_id"),
        Index("ix_message_queue_status_due_at", "status", "due_at"),
        refs={"conversation_id": "conversation", "message_id": "message"},
    )

    conversation_id: int = Field(index=True)
    message_id: int
    status: str = Field(default="pending", max_length=16)  # pending | claimed | processed | failed
    attempts: int = Field(default=0)
    claimed_by: str | None = Field(default=None, max_length=64)
    queued_at: datetime = created_at_field()
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    claimed_at: datetime | None = time_field()
    processed_at: datetime | None = time_field()
    # W3C traceparent of the webhook that queued it (tracing on): the worker's span continues that trace.
    traceparent: str | None = Field(default=None, max_length=64)


class WhatsAppContent(TenantOwned, table=True):
    """A Twilio Content API item created for one distinct rich payload, reused by its hash."""

    __tablename__ = "whatsapp_content"
    __table_args__ = tenant_keys("whatsapp_content", UniqueConstraint("tenant_id", "content_hash"))

    content_hash: str = Field(max_length=64)
    content_sid: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    created_at: datetime = created_at_field()
