"""What a turn carries between its phases: the plan phase A reads and decides, the outcome phase B produces.

Phase B (the model call) and phase C (the writes) work from these without the database, so the model's
seconds never hold a transaction open (engine.agent.pipeline explains the three phases).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from engine.agent import memory as mem
from engine.agent.classify import PendingSignals
from engine.agent.compose import Part
from engine.agent.context import BuiltContext
from engine.agent.guard import Protected
from engine.agent.intents import DetectedIntent
from engine.agent.persona import PersonaSettings
from engine.agent.retrieval import Evidence
from engine.agent.suggestions import Suggestion
from engine.agent.types import InboundMessage
from engine.catalog import CatalogMatch
from engine.catalog.schemas import CustomerHistoryDTO
from engine.catalog.spelling import SpellingResult
from engine.channels.whatsapp.rich import Option, RichMessage
from engine.llm import TenantLLM
from engine.models import Product, Service

SPELL_YES, SPELL_NO = "spell:yes", "spell:no"


CONTINUE, FRESH = "memory:continue", "memory:fresh"


LLMFactory = Callable[[Session, int], TenantLLM]


@dataclass
class TurnPlan:
    """Everything phase A read and decided; phase B and C work from it without the database."""

    tenant_id: int
    conversation_id: int
    customer_id: int
    mode: str
    now: datetime
    inbound: list[InboundMessage]
    business_name: str = ""
    currency: str = "USD"
    time_zone: str = "UTC"
    persona: PersonaSettings = field(default_factory=PersonaSettings)
    first_name: str | None = None
    memory: mem.MemoryView | None = None
    low_confidence_turns: int = 0
    texts: list[str] = field(default_factory=list)  # sanitized, one per message
    answer_text: str = ""  # what is answered: corrected, or the confirmed spelling
    spelling: SpellingResult | None = None
    requests: list[str | None] = field(default_factory=list)  # per message: its one request, or None
    spelling_feedback: tuple[list[tuple[str, str]], bool] | None = None  # (pairs, accepted)
    spelling_pending: dict[str, Any] | None = None  # set when this turn asks "Did you mean…?"
    accepted_keys: list[tuple[str, str]] = field(default_factory=list)  # (key, via)
    intents: list[DetectedIntent] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    matches: list[CatalogMatch] = field(default_factory=list)
    rows: dict[tuple[str, str], Product | Service] = field(default_factory=dict)
    history: CustomerHistoryDTO | None = None
    recent_customer: list[str] = field(default_factory=list)  # this session's earlier customer messages
    built: BuiltContext | None = None
    messages: list[dict[str, str]] = field(default_factory=list)
    llm: TenantLLM | None = None
    forgotten: str | None = None
    recall: str | None = None  # a "did you forget…?" this turn: recovered | not_found (analytics count it)
    returning_topic: str | None = None
    offer_continue: bool = False  # this turn offers "carry on or start fresh?"
    resumed: str | None = None  # the customer chose to carry on with this topic
    short_reply: str | None = None  # answered without the model (spelling question, start fresh)
    short_options: list[Option] = field(default_factory=list)
    short_intents: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    silent: bool = False
    last_viewed: list[Product | Service] = field(default_factory=list)
    customer_facts: dict[str, Any] = field(default_factory=dict)
    # The knowledge search started before the turn knew it needed it, and suggestion candidates read early.
    prefetched: tuple[str, Future[Any]] | None = None
    suggestion_pool: list[Suggestion] = field(default_factory=list)
    # The customer's language (engine.agent.language): answered in; `language_seen` is stored on the customer.
    language: str = "en"
    language_seen: str | None = None
    # Message signals (engine.agent.classify), computed in the background from phase A on.
    signals: PendingSignals | None = None
    recent_replies: list[str] = field(default_factory=list)  # this session's earlier bot replies
    # What the reply may not contain (engine.agent.guard), built with the prompt in phase A.
    protected: Protected | None = None
    temperature: float | None = None  # None: the tenant's saved setting (the preview passes the draft's)
    max_tokens: int | None = None
    # The wanted size/colour (engine.catalog.attributes) and each asked product's stock in it
    # (engine.agent.variants.VariantView); a tap's answer as a card or list (engine.agent.choices), and what
    # this reply shows and the customer picked, for the conversation's memory.
    attributes: Any = None
    variant: Any = None
    short_rich: RichMessage | None = None
    shown: dict[str, Any] | None = None
    picked: dict[str, Any] | None = None

    @property
    def first_turn(self) -> bool:
        return bool(self.memory and self.memory.new_session)


@dataclass
class Outcome:
    """What phase B produced: the reply before handoff rules, suggestions and formatting."""

    reply: str
    confidence: float
    answered: bool
    intents: list[DetectedIntent]
    provider: str
    model: str
    degraded: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost: Decimal = Decimal("0")
    llm_ms: int = 0
    model_handoff: bool = False
    model_reason: str | None = None
    suggestion_keys: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    rich: dict[str, Any] | None = None
    parts: list[Part] = field(default_factory=list)
    list_options: list[Option] = field(default_factory=list)
    options_kind: str = "list"  # how list_options travel: a list, or quick-reply buttons (≤ 3)
    missing: list[str] = field(default_factory=list)  # requests nothing answered (offline composition)
    error: str | None = None


__all__ = ["CONTINUE", "FRESH", "LLMFactory", "Outcome", "SPELL_NO", "SPELL_YES", "TurnPlan"]
