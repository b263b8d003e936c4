"""The tenant's agent: persona, behaviour, models, budget and handoff rules (one row per tenant)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column

from engine.models.base import Field, TenantOwned, UniqueConstraint, created_at_field, tenant_keys


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class AgentConfiguration(TenantOwned, table=True):
    __tablename__ = "agent_configuration"
    __table_args__ = tenant_keys("agent_configuration", UniqueConstraint("tenant_id"))

    # Identity
    agent_name: str = Field(default="Assistant", max_length=60)
    personality_traits: list[str] = _json_list()
    tone: str = Field(default="friendly", max_length=40)
    greeting_message: str | None = Field(default=None, max_length=500)
    # Behaviour
    behavioral_restrictions: list[str] = _json_list()
    required_disclaimers: list[str] = _json_list()
    enable_proactive_suggestions: bool = Field(default=True)
    enable_spelling_correction: bool = Field(default=True)
    enable_rich_messages: bool = Field(default=True)
    # Models
    llm_provider: str = Field(default="offline", max_length=32)
    llm_base_url: str | None = Field(default=None, max_length=255)
    default_model: str = Field(default="gpt-4o-mini", max_length=80)
    fallback_models: list[str] = _json_list()
    temperature: float = Field(default=0.3)
    max_tokens: int = Field(default=600)
    embedding_model: str | None = Field(default=None, max_length=120)
    monthly_budget: Decimal = Field(default=Decimal("50.00"), max_digits=12, decimal_places=2)
    budget_soft_limit_ratio: float = Field(default=0.8)
    # Handoff
    confidence_threshold: float = Field(default=0.55)
    handoff_topics: list[str] = _json_list()
    max_low_confidence_turns: int = Field(default=2)
    business_hours: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = created_at_field()
