"""The seam between the channel and the agent: `process_batch(conversation, messages) -> RichMessage`.

The queue worker hands every message of a closed burst to one call and sends what comes back. The agent
pipeline (sanitize, spell-correct, context, prompt, LLM, handoff rules) replaces `process_batch` by passing
its own callable to `QueueWorker(processor=...)`; until then this module answers on its own, offline, so the
channel works end to end: a polite acknowledgement, plus the offline provider's answer from a quick catalogue
match when engine.llm is installed.

Contract for replacements — what the worker reads from the returned message's `meta`:
- `handoff_reason` (str): move the conversation to a person after sending;
- `confidence`, `intents`, `provider`, `model`, `tokens_in`, `tokens_out`, `cost`, `latency_ms`,
  `knowledge_hits`, `corrections`, `suggestions`: copied to the turn's agent_interaction row;
- `interaction_id` (int): the pipeline recorded agent_interaction itself; the worker only links the message;
- `llm_call_ids` (list[int]): the llm_call rows this answer cost; when the answer is discarded because the
  customer wrote again meanwhile, they are marked `discarded` (their cost stays counted). Without ids, a
  non-zero `cost` in meta is recorded as one discarded llm_call row.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from engine.channels.whatsapp.rich import Option, RichMessage, RichMessageBuilder
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message, Product, Service, Tenant

MATCH_THRESHOLD = 0.6
MAX_CATALOG_ROWS = 500


class BatchProcessor(Protocol):
    """Turns one burst of customer messages into one reply. May take seconds (LLM calls); runs with no
    database transaction open, and opens its own sessions."""

    def __call__(self, conversation: Conversation, messages: Sequence[Message]) -> RichMessage: ...


def describe(message: Message) -> str:
    """One inbound message as text for the agent: body, the option picked, attachments, a shared location."""
    parts: list[str] = []
    inbound = (message.rich or {}).get("inbound") or {}
    choice = inbound.get("choice")
    if choice:
        parts.append(f"[chose: {choice.get('title')}]")
    elif message.button_text and message.button_text != (message.body or ""):
        parts.append(f"[tapped: {message.button_text}]")
    if message.body:
        parts.append(message.body.strip())
    for media in message.media or []:
        kind = str(media.get("content_type") or "file").split("/")[0]
        parts.append(f"[{kind} attached]")
    location = inbound.get("location")
    if location:
        label = location.get("label") or location.get("address") or ""
        parts.append(f"[location {location.get('latitude')},{location.get('longitude')} {label}]".strip())
    return " ".join(p for p in parts if p)


def batch_text(messages: Sequence[Message]) -> str:
    return "\n".join(text for text in (describe(m) for m in messages) if text)


def process_batch(conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
    """The offline stand-in for the agent pipeline (see the module docstring for the contract)."""
    started = time.perf_counter()
    query = batch_text(messages)
    with session_scope() as session:
        scope = TenantScope(session, conversation.tenant_id)
        customer = scope.get(Customer, conversation.customer_id)
        tenant = session.get(Tenant, conversation.tenant_id)
        first_name = (customer.name or "").split()[0] if customer and customer.name else None
        ack = f"Thanks for your message, {first_name}!" if first_name else "Thanks for your message!"
        turn = _offline_turn(scope, query, tenant.currency if tenant else "USD", first_name)
    meta: dict[str, Any] = {"provider": "offline", "model": "acknowledgement", "confidence": 0.0}
    if turn is None:
        body = f"{ack} We have received it and will get back to you shortly."
        options: tuple[Option, ...] = ()
    else:
        reply = str(turn["reply"])
        body = reply if reply.lower().startswith(("thank", "hi", "hello", "hey")) else f"{ack}\n\n{reply}"
        options = turn["options"]
        meta.update(
            model=turn["model"],
            confidence=turn["confidence"],
            intents=turn["intents"],
            suggestions=turn["suggestions"],
        )
        if turn["handoff_reason"]:
            meta["handoff_reason"] = turn["handoff_reason"]
    meta["latency_ms"] = int((time.perf_counter() - started) * 1000)
    message = RichMessageBuilder.from_agent(body, None)
    return RichMessage(kind="text", body=message.body, options=options, meta={**message.meta, **meta})


def _offline_turn(
    scope: TenantScope, query: str, currency: str, customer_name: str | None
) -> dict[str, Any] | None:
    """engine.llm's offline answer over a fuzzy catalogue match, or None when engine.llm is not there."""
    try:
        from engine.llm.offline import OFFLINE_MODEL, KnowledgeHit, OfflineContext, answer
    except ImportError:
        return None
    hits = _catalog_hits(scope, query, currency, KnowledgeHit)
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


def _catalog_hits(scope: TenantScope, query: str, currency: str, hit_type: Any) -> list[Any]:
    if not query.strip():
        return []
    from rapidfuzz import fuzz

    hits = []
    products = scope.all(Product, Product.is_active.is_(True))[:MAX_CATALOG_ROWS]  # type: ignore[attr-defined]
    services = scope.all(Service, Service.is_active.is_(True))[:MAX_CATALOG_ROWS]  # type: ignore[attr-defined]
    for kind, rows in (("product", products), ("service", services)):
        for row in rows:
            names = [row.name, *(row.aliases or [])]
            score = max(fuzz.token_set_ratio(query.lower(), n.lower()) for n in names) / 100
            if score < MATCH_THRESHOLD:
                continue
            available = row.stock > 0 if kind == "product" else row.is_bookable
            hits.append(
                hit_type(
                    kind=kind,
                    id=row.sku if kind == "product" else row.code,
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


__all__ = ["BatchProcessor", "batch_text", "describe", "process_batch"]
