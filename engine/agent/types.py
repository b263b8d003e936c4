"""What a turn returns (for the channel, the Playground and the terminal chat) and its step-by-step trace.

Plain dataclasses: the Playground keeps them in page state, so they hold no ORM rows and convert to dicts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from engine.channels.whatsapp.rich import RichMessage
from engine.observability import instrument


@dataclass(frozen=True)
class InboundMessage:
    """One customer message of a burst: its text as the agent reads it, and a tapped option's id."""

    text: str
    message_id: int | None = None
    button_payload: str | None = None


@dataclass
class TraceStep:
    name: str
    ms: float
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ms": round(self.ms, 2), "detail": self.detail}


class Tracer:
    """Times each pipeline step; `step()` yields the dict the step fills with what it found.

    `observed`: a real turn's steps also go to operations (a span, the step histogram, a log event through
    engine.observability.instrument); the Persona preview's dry runs do not."""

    def __init__(self, *, observed: bool = False) -> None:
        self.steps: list[TraceStep] = []
        self.started = time.perf_counter()
        self.observed = observed

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        detail: dict[str, Any] = {}
        t0 = time.perf_counter()
        with instrument.step(name) if self.observed else nullcontext():
            try:
                yield detail
            finally:
                self.steps.append(TraceStep(name, (time.perf_counter() - t0) * 1000, detail))

    def total_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000

    def ms(self, name: str) -> float:
        return sum(s.ms for s in self.steps if s.name == name)


@dataclass
class TurnResult:
    """One answered (or silent) turn, with everything the Playground shows beside the reply."""

    conversation_id: int
    responder: str  # agent · rules · silent (a person owns the conversation)
    message: RichMessage | None
    intents: list[dict[str, Any]] = field(default_factory=list)
    confidence: float | None = None
    handoff: bool = False
    handoff_category: str | None = None
    handoff_reason: str | None = None
    provider: str | None = None
    model: str | None = None
    degraded: str | None = None  # None · fallback · offline:<reason>
    tokens_in: int = 0
    tokens_out: int = 0
    cost: Decimal = Decimal("0")
    latency_ms: int = 0  # the whole turn, wall clock
    llm_ms: int = 0  # of which waiting for the model
    knowledge_hits: list[dict[str, Any]] = field(default_factory=list)
    catalog_matches: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)
    spelling_question: str | None = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    parts: list[dict[str, Any]] = field(default_factory=list)
    context_budget: dict[str, Any] = field(default_factory=dict)
    trace: list[TraceStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    interaction_id: int | None = None
    reply_message_id: int | None = None

    @property
    def text(self) -> str:
        """The reply as plain text (numbered options for buttons and lists), "" when silent."""
        if self.message is None:
            return ""
        if self.message.kind == "text":
            return self.message.body  # options of a text reply are already numbered in it
        return self.message.fallback_text()

    @property
    def overhead_ms(self) -> int:
        """The pipeline's own time: the turn without the wait for the model."""
        return max(0, self.latency_ms - self.llm_ms)

    def to_dict(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "responder": self.responder,
            "message": self.message.to_dict() if self.message else None,
            "text": self.text,
            "intents": self.intents,
            "confidence": self.confidence,
            "handoff": self.handoff,
            "handoff_category": self.handoff_category,
            "handoff_reason": self.handoff_reason,
            "provider": self.provider,
            "model": self.model,
            "degraded": self.degraded,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "cost": str(self.cost),
            "latency_ms": self.latency_ms,
            "llm_ms": self.llm_ms,
            "overhead_ms": self.overhead_ms,
            "knowledge_hits": self.knowledge_hits,
            "catalog_matches": self.catalog_matches,
            "corrections": self.corrections,
            "spelling_question": self.spelling_question,
            "suggestions": self.suggestions,
            "parts": self.parts,
            "context_budget": self.context_budget,
            "trace": [s.to_dict() for s in self.trace],
            "notes": self.notes,
            "interaction_id": self.interaction_id,
        }


__all__ = ["InboundMessage", "TraceStep", "Tracer", "TurnResult"]
