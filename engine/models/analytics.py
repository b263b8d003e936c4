"""What the agent did on each turn, what each LLM call cost, and what customers tapped."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, event, text

from engine.models.base import (
    Field,
    Index,
    TenantOwned,
    created_at_field,
    encrypted_json_list,
    json_dict,
    json_list,
    tenant_keys,
)
from engine.security.crypto import EncryptedText

# What analytics counts per turn (engine/analytics): kept in the (tenant_id, created_at) index on PostgreSQL.
TURN_FIGURES = [
    "conversation_id",
    "handoff",
    "handoff_category",
    "message_type",
    "knowledge_hit_count",
    "suggestion_count",
    "suggestions_accepted",
    "recall",
    "confidence",
]


class AgentInteraction(TenantOwned, table=True):
    """One agent turn. What the customer wrote and what was answered (texts, intents with their text, spelling
    corrections, knowledge hits with matched words, the handoff reason) is encrypted; what analytics counts
    stays plain: intent names, knowledge entry ids, model, provider, confidence, handoff flag, tokens, cost,
    latency."""

    __tablename__ = "agent_interaction"
    __table_args__ = tenant_keys(
        "agent_interaction",
        # PostgreSQL keeps what analytics and the resolution definition read in these indexes (INCLUDE), so
        # their aggregates are index-only scans (benchmarks/analytics.py); SQLite indexes the keys alone.
        Index(
            "ix_agent_interaction_conversation_id_created_at",
            "conversation_id",
            "created_at",
            postgresql_include=["tenant_id", "handoff"],
        ),
        Index(
            "ix_agent_interaction_tenant_id_created_at",
            "tenant_id",
            "created_at",
            postgresql_include=TURN_FIGURES,
        ),
        refs={"conversation_id": "conversation", "message_id": "message"},
    )

    conversation_id: int | None = Field(default=None)
    message_id: int | None = Field(default=None)
    customer_message: str | None = Field(default=None, sa_column=Column(EncryptedText))
    response: str | None = Field(default=None, sa_column=Column(EncryptedText))
    intents: list[dict[str, Any]] = encrypted_json_list()  # each holds the customer's words (`text`)
    # the intents' names alone, for counting in SQL; filled from `intents` on every write (see below)
    intent_names: list[str] = json_list()
    model: str | None = Field(default=None, max_length=80)
    provider: str | None = Field(default=None, max_length=32)
    confidence: float | None = Field(default=None)
    handoff: bool = Field(default=False)
    handoff_reason: str | None = Field(default=None, sa_column=Column(EncryptedText))  # "category: free text"
    message_type: str = Field(default="text", max_length=16)
    tokens_in: int = Field(default=0)
    tokens_out: int = Field(default=0)
    cost: Decimal = Field(default=Decimal("0"), max_digits=14, decimal_places=6)
    latency_ms: int = Field(default=0)
    knowledge_hits: list[dict[str, Any]] = encrypted_json_list()  # titles and the customer's matched words
    # the ids of the knowledge entries in knowledge_hits, each once, for grouping in SQL (satisfaction by
    # entry); ids are not the customer's words, so they stay plain. Filled on every write (see below).
    knowledge_entry_ids: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    corrections: list[dict[str, Any]] = encrypted_json_list()  # the customer's misspelled words
    suggestions: list[dict[str, Any]] = json_list()
    context_budget: dict[str, Any] = json_dict()
    # Plain copies for counting in SQL (their sources are encrypted or nested JSON), kept in step by the
    # listener below like intent_names: the handoff's category code, how many knowledge entries the answer
    # drew on, suggestions offered and taken up. `recall` is what a "did you forget…?" found (recovered |
    # not_found), set by the agent. Server defaults: raw inserts (benchmarks) need not name them.
    handoff_category: str | None = Field(default=None, max_length=32)
    knowledge_hit_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    suggestion_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    suggestions_accepted: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    recall: str | None = Field(default=None, max_length=16)
    created_at: datetime = created_at_field()


class LLMCall(TenantOwned, table=True):
    """Every attempt against a provider, answered or not: the ground truth for spend and reliability."""

    __tablename__ = "llm_call"
    __table_args__ = tenant_keys(
        "llm_call",
        Index(
            "ix_llm_call_tenant_id_created_at",
            "tenant_id",
            "created_at",
            # spend per model, day and conversation: an index-only scan on PostgreSQL (analytics/costs.py)
            postgresql_include=["provider", "model", "cost", "tokens_in", "tokens_out", "conversation_id"],
        ),
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
    payload: str = Field(max_length=256)  # the option id we generated: what taps are counted by
    title: str | None = Field(default=None, sa_column=Column(EncryptedText))  # the tapped words
    created_at: datetime = created_at_field()


class KnowledgeGap(TenantOwned, table=True):
    """One group of customer questions the agent could not answer, alike in meaning (engine/analytics/gaps.py
    groups them in a job, never on the reply path). A run replaces the tenant's groups; the words are the
    customers', so they are encrypted."""

    __tablename__ = "knowledge_gap"
    __table_args__ = tenant_keys(
        "knowledge_gap", Index("ix_knowledge_gap_tenant_id_size", "tenant_id", "size")
    )

    question: str = Field(sa_column=Column(EncryptedText, nullable=False))  # the most typical question
    examples: list[str] = encrypted_json_list()  # a few others of the group, newest first
    size: int = Field(default=1)  # questions in the group over the window
    reasons: dict[str, Any] = json_dict()  # {"no_hit": 3, "low_confidence": 1, "no_answer": 2}
    first_seen_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
    computed_at: datetime = created_at_field()


def intent_names_of(intents: list[dict[str, Any]] | None) -> list[str]:
    """The names of a turn's intents, in order, without their text."""
    return [str(i["name"])[:64] for i in intents or [] if isinstance(i, dict) and i.get("name")]


@event.listens_for(AgentInteraction, "before_insert")
@event.listens_for(AgentInteraction, "before_update")
def _split_intent_names(_mapper: Any, _connection: Any, row: AgentInteraction) -> None:
    # Hung on the row, not on its writers: every writer (pipeline, queue, suggestions) keeps the plain names
    # in step with the encrypted intents without knowing about the split.
    row.intent_names = intent_names_of(row.intents)
    row.handoff_category = handoff_category_of(row.handoff_reason) if row.handoff else None
    row.knowledge_hit_count = len(row.knowledge_hits or [])
    row.knowledge_entry_ids = knowledge_entry_ids_of(row.knowledge_hits)
    offered = [s for s in row.suggestions or [] if isinstance(s, dict)]
    row.suggestion_count = len(offered)
    row.suggestions_accepted = sum(1 for s in offered if s.get("accepted"))


def knowledge_entry_ids_of(hits: list[dict[str, Any]] | None) -> list[int]:
    """The entry ids of a turn's knowledge hits, each once, in order (a hit without a numeric id is none)."""
    ids = [int(h["id"]) for h in hits or [] if isinstance(h, dict) and str(h.get("id") or "").isdigit()]
    return list(dict.fromkeys(ids))


def handoff_category_of(reason: str | None) -> str:
    """The code before the colon of an agent turn's "category: detail" reason (a bare code is its own)."""
    head = (reason or "").split(":", 1)[0].strip()
    return head[:32] if head and head.replace("_", "").isalpha() and head.islower() else "handoff"
