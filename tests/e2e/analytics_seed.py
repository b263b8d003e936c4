"""Seed for the Analytics page's browser test: what the demo shop's agent cost, and one run of the
knowledge-gaps job's groups, on top of the demo's conversations (tests.e2e.seed_inbox); for Satisfaction, the
customers' ratings of three conversations (one low, with a comment) and the knowledge entry two turns used.

Called from `tests.e2e.seed` (same process, same DATABASE_URL), after the inbox: the demo's conversations and
agent turns are there. Each agent turn gets the LLM call that produced it, priced from the pricing table, so
the cost chart and table have figures; two gap groups stand in for the job (which needs hours of history).
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from engine.db import TenantScope
from engine.llm.pricing import model_info
from engine.models import AgentInteraction, Conversation, KnowledgeEntry, LLMCall, Rating, utcnow
from engine.models.analytics import KnowledgeGap

LOW_COMMENT = "The courier left the parcel at the wrong door"
GAPS = (
    ("Do you offer gift wrapping?", ["can you wrap the shoes as a present", "is gift wrap available"], 5),
    ("Do you ship to Canada?", ["delivery to Toronto?"], 2),
)


def add_analytics(session: Session, tenant_id: int) -> None:
    scope = TenantScope(session, tenant_id)
    turns = session.exec(select(AgentInteraction).where(AgentInteraction.tenant_id == tenant_id)).all()
    for i, turn in enumerate(turns):
        provider, model = ("openai", "gpt-4o-mini") if i % 3 else ("openai", "gpt-4o")
        tokens_in, tokens_out = 900 + 50 * i, 120 + 10 * i
        scope.add(
            LLMCall(
                conversation_id=turn.conversation_id,
                provider=provider,
                model=model,
                status="ok",
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                cost=model_info(provider, model).cost(tokens_in, tokens_out),
                latency_ms=800,
                created_at=turn.created_at - timedelta(seconds=1),
            )
        )
    now = utcnow()
    for question, examples, size in GAPS:
        scope.add(
            KnowledgeGap(
                question=question,
                examples=examples,
                size=size,
                reasons={"no_hit": size},
                first_seen_at=now - timedelta(days=6),
                last_seen_at=now - timedelta(hours=5),
                computed_at=now - timedelta(hours=1),
            )
        )
    _add_ratings(session, tenant_id)


def _add_ratings(session: Session, tenant_id: int) -> None:
    scope = TenantScope(session, tenant_id)
    now = utcnow()
    chats = [c for c in scope.all(Conversation) if c.channel == "whatsapp"][:3]
    for i, chat in enumerate(chats):
        low = i == 2
        scope.add(
            Rating(
                conversation_id=chat.id,
                customer_id=chat.customer_id,
                status="answered",
                score=1 if low else 3,
                scale=3,
                is_low=low,
                answered_at=now - timedelta(hours=3 + i),
                resolved_at=now - timedelta(hours=4 + i),
                comment=LOW_COMMENT if low else None,
            )
        )
    entry = scope.first(KnowledgeEntry)
    if entry is None:
        return
    for turn in session.exec(select(AgentInteraction).where(AgentInteraction.tenant_id == tenant_id)).all()[
        :2
    ]:
        turn.knowledge_hits = [
            {"id": entry.id, "title": entry.title, "type": entry.entry_type, "confidence": 0.8}
        ]
        session.add(turn)
