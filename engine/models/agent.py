"""The tenant's agent: persona, behaviour, models, budget and handoff rules (one row per tenant)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, event, text
from sqlalchemy.orm import Session as OrmSession

from engine.cache import get_cache
from engine.models.base import (
    Field,
    TenantOwned,
    UniqueConstraint,
    created_at_field,
    json_list,
    tenant_keys,
)

AGENT_CONFIG_CACHE_PREFIX = "agent-config:"
_DIRTY_KEY = "agent_configuration_written"


# What a new tenant hands to a person from its first message (issue #13: safe defaults); each is switchable
# in Persona → Handoff, and engine.agent.handoff maps each to its lexicons and classifier signal.
DEFAULT_HANDOFF_TOPICS: tuple[str, ...] = (
    "Legal threats or complaints to a regulator",
    "Chargebacks and payment disputes",
    "Medical or safety concerns",
    "Harassment or abusive messages",
)


def _default_topics() -> list[str]:
    return list(DEFAULT_HANDOFF_TOPICS)


def agent_config_cache_key(tenant_id: int) -> str:
    return f"{AGENT_CONFIG_CACHE_PREFIX}{tenant_id}"


class AgentConfiguration(TenantOwned, table=True):
    __tablename__ = "agent_configuration"
    __table_args__ = tenant_keys("agent_configuration", UniqueConstraint("tenant_id"))

    # Identity
    agent_name: str = Field(default="Assistant", max_length=60)
    personality_traits: list[str] = json_list()
    tone: str = Field(default="friendly", max_length=40)
    greeting_message: str | None = Field(default=None, max_length=500)
    # Behaviour
    behavioral_restrictions: list[str] = json_list()
    required_disclaimers: list[str] = json_list()
    enable_proactive_suggestions: bool = Field(default=True)
    enable_spelling_correction: bool = Field(default=True)
    enable_rich_messages: bool = Field(default=True)
    # Models
    llm_provider: str = Field(default="offline", max_length=32)
    llm_base_url: str | None = Field(default=None, max_length=255)
    default_model: str = Field(default="gpt-4o-mini", max_length=80)
    fallback_models: list[str] = json_list()
    temperature: float = Field(default=0.3)
    max_tokens: int = Field(default=600)
    # seconds one model call may take before it counts as failed (then a retry, the fallback, offline)
    llm_timeout_seconds: float = Field(default=20.0, sa_column_kwargs={"server_default": "20"})
    embedding_model: str | None = Field(default=None, max_length=120)
    monthly_budget: Decimal = Field(default=Decimal("50.00"), max_digits=12, decimal_places=2)
    budget_soft_limit_ratio: float = Field(default=0.8)
    # Handoff
    confidence_threshold: float = Field(default=0.55)
    handoff_topics: list[str] = Field(default_factory=_default_topics, sa_column=Column(JSON, nullable=False))
    max_low_confidence_turns: int = Field(default=2)
    # a strongly frustrated customer: "handoff" to a person, or "offer" one with a button
    frustration_action: str = Field(
        default="handoff", max_length=16, sa_column_kwargs={"server_default": "handoff"}
    )
    # Output guard (engine.agent.guard): the domains a reply may link to. Empty: the shop's own, found in the
    # customer-facing knowledge and catalogue text the turn's context holds. Server default: raw inserts.
    allowed_link_domains: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    updated_at: datetime = created_at_field()


# The persona is cached for five minutes (engine.agent.persona). Whoever writes this row (the Persona page,
# the AI providers tab, a knowledge re-embed, a script), the cached copy must go, in every process: so the
# invalidation hangs on the session, not on each writer. It runs after commit, so a reader between flush and
# commit that cached the old row is forgotten too.


@event.listens_for(OrmSession, "after_flush")
def _note_agent_configuration_writes(session: OrmSession, _context: Any) -> None:
    written = {
        row.tenant_id
        for row in (*session.new, *session.dirty, *session.deleted)
        if isinstance(row, AgentConfiguration) and row.tenant_id is not None
    }
    if written:
        session.info.setdefault(_DIRTY_KEY, set()).update(written)


@event.listens_for(OrmSession, "after_commit")
def _forget_cached_agent_configuration(session: OrmSession) -> None:
    for tenant_id in session.info.pop(_DIRTY_KEY, ()):
        get_cache().delete(agent_config_cache_key(tenant_id))


@event.listens_for(OrmSession, "after_rollback")
def _drop_noted_writes(session: OrmSession) -> None:
    session.info.pop(_DIRTY_KEY, None)
