"""What the agent cost: tokens and money per day, per model, per provider and per conversation.

Read from llm_call, the ledger of every attempt a provider billed (engine.llm.budget counts the same rows, so
this page and the monthly budget agree). Money is Decimal in the providers' billing currency — the price
table's (engine/llm/pricing.json, US dollars), never the shop's — and every figure carries that currency and
the date of the price table the costs were computed with. SQLite sums numeric columns as floats, so there
each row's cost is summed as whole millionths (the column's precision) and divided back: exact on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlmodel import Session

from engine.analytics.periods import Period, as_date, dialect, in_period, local_day
from engine.llm.pricing import load_pricing
from engine.models import LLMCall

MICRO = Decimal("0.000001")
TOP_CONVERSATIONS = 10


@dataclass(frozen=True, slots=True)
class ModelCost:
    provider: str
    model: str
    calls: int
    tokens_in: int
    tokens_out: int
    cost: Decimal


@dataclass(frozen=True, slots=True)
class ConversationCost:
    conversation_id: int
    calls: int
    tokens: int
    cost: Decimal


@dataclass(frozen=True, slots=True)
class Costs:
    currency: str
    prices_as_of: date
    total: Decimal = Decimal(0)
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    conversations: int = 0  # conversations with at least one billed call
    per_model: list[ModelCost] = field(default_factory=list)  # most expensive first
    per_provider: list[tuple[str, Decimal]] = field(default_factory=list)
    per_day: list[tuple[date, str, str, Decimal]] = field(
        default_factory=list
    )  # (bucket, provider, model, cost)
    top_conversations: list[ConversationCost] = field(default_factory=list)

    @property
    def per_conversation(self) -> Decimal:
        return (self.total / self.conversations).quantize(MICRO) if self.conversations else Decimal(0)


def money_sum(column: Any, dialect_name: str) -> Any:
    """SUM of a numeric(14, 6) column, exact on both databases (see the module docstring)."""
    if dialect_name == "postgresql":
        return func.coalesce(func.sum(column), 0)
    return func.coalesce(func.sum(cast(func.round(column * 1_000_000), Integer)), 0)


def as_money(value: Any, dialect_name: str) -> Decimal:
    if dialect_name == "postgresql":
        return Decimal(str(value or 0)).quantize(MICRO)
    return (Decimal(int(value or 0)) * MICRO).quantize(MICRO)


def total_cost(session: Session, tenant_id: int, period: Period) -> Decimal:
    """What the range cost in all (the KPI card's previous period)."""
    name = dialect(session)
    value = session.execute(
        select(money_sum(LLMCall.cost, name)).where(
            LLMCall.tenant_id == tenant_id, in_period(LLMCall.created_at, period)
        )
    ).scalar()
    return as_money(value, name)


def costs(session: Session, tenant_id: int, period: Period) -> Costs:
    name = dialect(session)
    table = load_pricing()
    mine = (LLMCall.tenant_id == tenant_id, in_period(LLMCall.created_at, period))
    cost = money_sum(LLMCall.cost, name)
    rows = session.execute(
        select(
            LLMCall.provider,
            LLMCall.model,
            func.count(),
            func.coalesce(func.sum(LLMCall.tokens_in), 0),
            func.coalesce(func.sum(LLMCall.tokens_out), 0),
            cost,
        )
        .where(*mine)
        .group_by(LLMCall.provider, LLMCall.model)
    ).all()
    per_model = sorted(
        (ModelCost(p, m, int(n), int(ti), int(to), as_money(c, name)) for p, m, n, ti, to, c in rows),
        key=lambda r: (-r.cost, r.provider, r.model),
    )
    providers: dict[str, Decimal] = {}
    for row in per_model:
        providers[row.provider] = providers.get(row.provider, Decimal(0)) + row.cost

    day = local_day(LLMCall.created_at, period, name).label("day")
    daily: dict[tuple[date, str, str], Decimal] = {}
    for raw, provider, model, c in session.execute(
        select(day, LLMCall.provider, LLMCall.model, cost)
        .where(*mine)
        .group_by(day, LLMCall.provider, LLMCall.model)
    ).all():
        key = (period.bucket(as_date(raw)), provider, model)
        daily[key] = daily.get(key, Decimal(0)) + as_money(c, name)

    conversation_cost = cost.label("cost")
    by_conversation = (
        select(
            LLMCall.conversation_id,
            func.count().label("calls"),
            func.coalesce(func.sum(LLMCall.tokens_in + LLMCall.tokens_out), 0).label("tokens"),
            conversation_cost,
        )
        .where(*mine, LLMCall.conversation_id.is_not(None))  # type: ignore[union-attr]
        .group_by(LLMCall.conversation_id)
    )
    conversations = int(
        session.execute(select(func.count()).select_from(by_conversation.subquery())).scalar() or 0
    )
    top = session.execute(
        by_conversation.order_by(conversation_cost.desc(), LLMCall.conversation_id).limit(TOP_CONVERSATIONS)
    ).all()
    return Costs(
        currency=table.currency,
        prices_as_of=table.as_of,
        total=sum((r.cost for r in per_model), Decimal(0)),
        tokens_in=sum(r.tokens_in for r in per_model),
        tokens_out=sum(r.tokens_out for r in per_model),
        calls=sum(r.calls for r in per_model),
        conversations=conversations,
        per_model=per_model,
        per_provider=sorted(providers.items(), key=lambda kv: (-kv[1], kv[0])),
        per_day=[(d, p, m, c) for (d, p, m), c in sorted(daily.items())],
        top_conversations=[
            ConversationCost(int(cid), int(n), int(tokens), as_money(c, name)) for cid, n, tokens, c in top
        ],
    )


__all__ = ["ConversationCost", "Costs", "ModelCost", "as_money", "costs", "money_sum", "total_cost"]
