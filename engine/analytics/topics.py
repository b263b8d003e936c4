"""What customers write about: the agent's intents per turn, and the products and services conversations were
about.

Intents are counted from agent_interaction.intent_names (the plain names the model keeps beside the encrypted
intents), unnested by the database: `json_each` on SQLite, `json_array_elements_text` on PostgreSQL. Topics
are the catalog item each conversation active in the range was last about (conversation_context).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, true
from sqlmodel import Session

from engine.analytics.performance import whatsapp_turn
from engine.analytics.periods import Period, dialect, in_period
from engine.models import AgentInteraction, Conversation, ConversationContext, Product, Service

TOP = 10


@dataclass(frozen=True, slots=True)
class Count:
    key: str  # an intent's code (engine.agent.labels.intent_label says it), or "product:<id>"
    label: str  # the product's or service's name; the code for an intent
    count: int


@dataclass(frozen=True, slots=True)
class Topics:
    intents: list[Count] = field(default_factory=list)
    items: list[Count] = field(default_factory=list)  # products and services


def top_intents(session: Session, tenant_id: int, period: Period, limit: int = TOP) -> list[Count]:
    unnest = func.json_array_elements_text if dialect(session) == "postgresql" else func.json_each
    names = unnest(AgentInteraction.intent_names).table_valued("value")
    rows = session.execute(
        select(names.c.value, func.count().label("n"))
        .select_from(AgentInteraction)
        .join(names, true())
        .where(
            AgentInteraction.tenant_id == tenant_id,
            in_period(AgentInteraction.created_at, period),
            whatsapp_turn(tenant_id),
        )
        .group_by(names.c.value)
        .order_by(func.count().desc(), names.c.value)
        .limit(limit)
    ).all()
    return [Count(str(name), str(name), int(n)) for name, n in rows]


def top_items(session: Session, tenant_id: int, period: Period, limit: int = TOP) -> list[Count]:
    found: list[Count] = []
    for model, column, kind in (
        (Product, ConversationContext.last_product_id, "product"),
        (Service, ConversationContext.last_service_id, "service"),
    ):
        rows = session.execute(
            select(model.id, model.name, func.count())
            .select_from(ConversationContext)
            .join(
                Conversation,
                (Conversation.tenant_id == ConversationContext.tenant_id)
                & (Conversation.id == ConversationContext.conversation_id),
            )
            .join(model, (model.tenant_id == ConversationContext.tenant_id) & (model.id == column))
            .where(
                ConversationContext.tenant_id == tenant_id,
                Conversation.channel == "whatsapp",
                in_period(Conversation.last_activity_at, period),
            )
            .group_by(model.id, model.name)
        ).all()
        found += [Count(f"{kind}:{item_id}", str(item_name), int(n)) for item_id, item_name, n in rows]
    return sorted(found, key=lambda c: (-c.count, c.label))[:limit]


def topics(session: Session, tenant_id: int, period: Period) -> Topics:
    return Topics(top_intents(session, tenant_id, period), top_items(session, tenant_id, period))


__all__ = ["Count", "Topics", "top_intents", "top_items", "topics"]
