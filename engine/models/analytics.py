"""What the agent did on each turn, what each LLM call cost, and what customers tapped."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column

from engine.models.base import Field, Index, TenantOwned, created_at_field, json_dict, json_list, tenant_keys
from engine.security.crypto import EncryptedText


class AgentInteraction(TenantOwned, table=True):
    __tablename__ = "agent_interaction"
    __table_args__ = tenant_keys(
        "agent_interaction",
        Index("ix_agent_interaction_conversation_id_created_at", "conversation_id", "created_at"),
        refs={"conversation_id": "conversation", "message_id": "message"},
    )

    conversation_id: int | None = Field(default=None)
    message_id: int | None = Field(default=None)
    customer_message: str | None = Field(default=None, sa_column=Column(EncryptedText))
    response: str | None = Field(default=None, sa_column=Column(EncryptedText))
    intents: list[dict[str, Any]] = json_list()
    model: str | None = Field(default=None, max_length=80)
    provider: str | None = Field(default=None, max_length=32)
    confidence: float | None = Field(default=None)
    handoff: bool = Field(default=False)
    handoff_reason: str | None = Field(default=None, max_length=255)
    message_type: str = Field(default="text", max_length=16)
    tokens_in: int = Field(default=0)
    tokens_out: int = Field(default=0)
    cost: Decimal = Field(default=Decimal("0"), max_digits=14, decimal_places=6)
    latency_ms: int = Field(default=0)
    knowledge_hits: list[dict[str, Any]] = json_list()
    corrections: list[dict[str, Any]] = json_list()
    suggestions: list[dict[str, Any]] = json_list()
    context_budget: dict[str, Any] = json_dict()
    created_at: datetime = created_at_field()


class LLMCall(TenantOwned, table=True):
    """Every attempt against a provider, answered or not: the ground truth for spend and reliability."""

    __tablename__ = "llm_call"
    __table_args__ = tenant_keys(
        "llm_call",
        Index("ix_llm_call_tenant_id_created_at", "tenant_id", "created_at"),
        refs={"conversation_id": "conversation"},
    )

    conversation_id: int | None = Field(default=None)
    purpose: str = Field(default="reply", max_length=32)
    provider: str = Field(max_length=32)
    model: str = Field(max_length=80)
    status: str = Field(max_length=32)  # ok | retry | error | discarded
    http_status: int | None = Field(default=None)
    tokens_in: int = Field(default=0)
    tokens_out: int = Field(default=0)
    cost: Decimal = Field(default=Decimal("0"), max_digits=14, decimal_places=6)
    latency_ms: int = Field(default=0)
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at_field()


class ButtonEvent(TenantOwned, table=True):
    __tablename__ = "button_event"
    __table_args__ = tenant_keys(
        "button_event",
        refs={
            "conversation_id": "conversation",
            "message_id": "message",
            "campaign_id": "campaign",
        },
    )

    conversation_id: int | None = Field(default=None, index=True)
    message_id: int | None = Field(default=None)
    campaign_id: int | None = Field(default=None)
    payload: str = Field(max_length=256)
    title: str | None = Field(default=None, max_length=256)
    created_at: datetime = created_at_field()
