"""The rule-based responder: what a tenant gets with the AI agent switched off (engine.agent.flags).

No model, no knowledge index, no memory: a polite acknowledgement, plus the offline provider's template over a
quick fuzzy catalogue match when the message names a product or service. It was the channel's stand-in before
the agent existed, and stays as the one-click fallback.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from engine.agent import interactions
from engine.channels.whatsapp.rich import Option, RichMessage, RichMessageBuilder
from engine.conversations.contract import HandoffRequest, TurnReply
from engine.conversations.text import batch_text
from engine.db import TenantScope, session_scope
from engine.llm.offline import OFFLINE_MODEL, KnowledgeHit, OfflineContext, answer
from engine.models import AgentInteraction, Conversation, Customer, Message, Product, Service, Tenant

MATCH_THRESHOLD = 0.6
MAX_CATALOG_ROWS = 500


def rule_based_reply(conversation: Conversation, messages: Sequence[Message]) -> TurnReply:
    """Acknowledge the burst; answer from the catalogue when it names an item. The turn is recorded like
    the agent's (engine.agent.interactions), so the inbox and analytics read both alike."""
    started = time.perf_counter()
    query = batch_text(messages)
    with session_scope() as session:
        scope = TenantScope(session, conversation.tenant_id)
        customer = scope.get(Customer, conversation.customer_id)
        tenant = session.get(Tenant, conversation.tenant_id)
        first_name = (customer.name or "").split()[0] if customer and customer.name else None
        ack = f"Thanks for your message, {first_name}!" if first_name else "Thanks for your message!"
        turn = _offline_turn(scope, query, tenant.currency if tenant else "USD", first_name)
        if turn is None:
            body = f"{ack} We have received it and will get back to you shortly."
            turn = {"model": "acknowledgement", "confidence": 0.0, "options": ()}
        else:
            reply = str(turn["reply"])
            body = reply if reply.lower().startswith(("thank", "hi", "hello", "hey")) else f"{ack}\n\n{reply}"
        built = RichMessageBuilder.from_agent(body, None)
        message = RichMessage(kind="text", body=built.body, options=turn["options"], meta=built.meta)
        reason = turn.get("handoff_reason")
        interaction = interactions.record(
            scope,
            AgentInteraction(
                conversation_id=int(conversation.id or 0),
                customer_message=query,
                response=message.body,
                intents=list(turn.get("intents") or []),
                model=str(turn["model"])[:80],
                provider="offline",
                confidence=float(turn["confidence"]),
                handoff=bool(reason),
                handoff_reason=str(reason)[:255] if reason else None,
                message_type=message.kind,
                latency_ms=int((time.perf_counter() - started) * 1000),
                suggestions=[{"id": s} for s in turn.get("suggestions") or []],
            ),
        )
        interaction_id = interaction.id
    return TurnReply(
        message=message,
        responder="rules",
        handoff=HandoffRequest(str(reason)) if reason else None,
        interaction_id=interaction_id,
    )


def _offline_turn(
    scope: TenantScope, query: str, currency: str, customer_name: str | None
) -> dict[str, Any] | None:
    hits = _catalog_hits(scope, query, currency)
    if not hits and not query.strip():
        return None
    turn = answer(OfflineContext(query=query, hits=hits, customer_name=customer_name))
    by_id = {h.id: h for h in hits}
    options = tuple(
        Option(id=f"{by_id[s].kind}:{s}", title=by_id[s].title[:24]) for s in turn.suggestions if s in by_id
    )
    return {
        "reply": turn.reply,
        "confidence": turn.confidence,
        "intents": [i.model_dump() for i in turn.intents],
        "suggestions": list(turn.suggestions),
        "handoff_reason": turn.handoff.reason if turn.handoff.needed else None,
        "options": options if len(options) > 1 else (),
        "model": OFFLINE_MODEL,
    }


def _catalog_hits(scope: TenantScope, query: str, currency: str) -> list[KnowledgeHit]:
    if not query.strip():
        return []
    hits = []
    products = scope.all(Product, Product.is_active.is_(True))[:MAX_CATALOG_ROWS]  # type: ignore[attr-defined]
    services = scope.all(Service, Service.is_active.is_(True))[:MAX_CATALOG_ROWS]  # type: ignore[attr-defined]
    folded = query.lower()
    for kind, rows in (("product", products), ("service", services)):
        for row in rows:
            names = [row.name, *(row.aliases or [])]
            score = max(fuzz.token_set_ratio(folded, n.lower()) for n in names) / 100
            if score < MATCH_THRESHOLD:
                continue
            available = row.stock > 0 if isinstance(row, Product) else row.is_bookable
            hits.append(
                KnowledgeHit(
                    kind=kind,
                    id=row.sku if isinstance(row, Product) else row.code,
                    title=row.name,
                    content=row.description or "",
                    score=round(score, 3),
                    price=Decimal(row.price),
                    currency=currency,
                    available=available,
                )
            )
    hits.sort(key=lambda h: h.score, reverse=True)
    return hits[:5]


__all__ = ["rule_based_reply"]
