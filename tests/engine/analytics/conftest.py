"""One shop's three days laid out by hand, across the end of daylight saving time in New York.

Range: Oct 31 – Nov 2, 2026 in America/New_York. Clocks went back at 02:00 on Sunday Nov 1 (06:00 UTC), so the
range runs from 04:00 UTC on Oct 31 to 05:00 UTC on Nov 3. Every figure the tests expect is worked out in the
test's own comments from the rows below.

Conversations (WhatsApp unless said):
  A  Oct 30 23:59 local (03:59 UTC Oct 31)  outside: a minute before the range
  B  Oct 31 00:00 local (04:00 UTC)        agent alone; answers after 10 s, then 60 s (two messages, 1 reply)
  C  Nov  1 00:30 EDT   (04:30 UTC Nov 1)   handed off (no answer); agent after 20 s, a person after 600 s
  D  Nov  1 23:30 EST   (04:30 UTC Nov 2)   agent alone after 30 s: the DST edge (at the summer offset: Nov 2)
  E  Nov  2 23:59 EST   (04:59 UTC Nov 3)   agent alone after 40 s: last minute of the range
  F  Nov  3 00:00 local (05:00 UTC Nov 3)   outside: the minute after
  P  Nov  1, playground                     staff testing: never counted
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from engine.accounts import audit, tenants
from engine.analytics.periods import Period
from engine.catalog.spelling import FEEDBACK_ACCEPTED, FEEDBACK_REJECTED
from engine.db import TenantScope, session_scope
from engine.models import (
    AgentInteraction,
    Conversation,
    ConversationContext,
    Customer,
    LLMCall,
    Message,
    Product,
    Service,
)
from tests.factories import new_user

TZ = "America/New_York"
PERIOD = Period(date(2026, 10, 31), date(2026, 11, 2), TZ)
NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def utc(month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


@dataclass(frozen=True)
class Shop:
    tenant_id: int
    other_tenant_id: int
    conversations: dict[str, int]


def _conversation(scope: TenantScope, key: str, started: datetime, *, channel: str = "whatsapp", **kw) -> int:
    customer = scope.add(Customer(phone=f"whatsapp:+1555000{ord(key):04d}"))
    row = scope.add(
        Conversation(
            customer_id=customer.id, channel=channel, created_at=started, last_activity_at=started, **kw
        )
    )
    return int(row.id or 0)


def _message(
    scope: TenantScope, cid: int, at: datetime, direction: str, sender: str, user: int | None = None
):
    scope.add(
        Message(
            conversation_id=cid,
            direction=direction,
            sender=sender,
            body="…",
            sent_by_user_id=user,
            created_at=at,
            updated_at=at,
        )
    )
    conversation = scope.require(Conversation, cid)
    conversation.last_activity_at = max(conversation.last_activity_at, at)
    scope.session.add(conversation)


def _turn(scope: TenantScope, cid: int, at: datetime, intents: list[str], **kw) -> None:
    scope.add(
        AgentInteraction(
            conversation_id=cid,
            intents=[{"name": n, "confidence": 0.9, "text": "…"} for n in intents],
            created_at=at,
            **kw,
        )
    )


def _call(
    scope: TenantScope, cid: int | None, at: datetime, provider: str, model: str, cost: str, **kw
) -> None:
    scope.add(
        LLMCall(
            conversation_id=cid,
            provider=provider,
            model=model,
            status=kw.pop("status", "ok"),
            cost=Decimal(cost),
            created_at=at,
            **kw,
        )
    )


def seed(name: str = "Harbor Books", slug: str = "harbor") -> Shop:
    with session_scope() as s:
        tenant_id = int(tenants.create_tenant(s, name=name, slug=slug, time_zone=TZ).id)
        person = new_user(s, tenant_id, role="agent", email=f"staff@{slug}.test")
        scope = TenantScope(s, tenant_id)
        ids: dict[str, int] = {}

        ids["A"] = a = _conversation(scope, "A", utc(10, 31, 3, 59))
        _message(scope, a, utc(10, 31, 3, 59), "inbound", "customer")
        _message(scope, a, utc(10, 31, 3, 59, 30), "outbound", "agent")
        _turn(scope, a, utc(10, 31, 3, 59, 20), ["greeting"], handoff=True, handoff_reason="topic: x")

        ids["B"] = b = _conversation(scope, "B", utc(10, 31, 4, 0))
        _message(scope, b, utc(10, 31, 4, 0), "inbound", "customer")
        _message(scope, b, utc(10, 31, 4, 0, 10), "outbound", "agent")
        _message(scope, b, utc(10, 31, 4, 5), "inbound", "customer")
        _message(scope, b, utc(10, 31, 4, 5, 30), "inbound", "customer")
        _message(scope, b, utc(10, 31, 4, 6), "outbound", "agent")
        _turn(
            scope,
            b,
            utc(10, 31, 4, 0, 9),
            ["greeting", "opening_hours"],
            knowledge_hits=[{"title": "Opening hours", "score": 0.8}],
        )
        _turn(scope, b, utc(10, 31, 4, 5, 59), ["opening_hours"], message_type="buttons")
        _call(
            scope,
            b,
            utc(10, 31, 4, 0, 5),
            "openai",
            "gpt-4o-mini",
            "0.000123",
            tokens_in=1000,
            tokens_out=200,
        )
        _call(
            scope,
            b,
            utc(10, 31, 4, 5, 50),
            "openai",
            "gpt-4o-mini",
            "0.000456",
            tokens_in=3000,
            tokens_out=300,
        )

        ids["C"] = c = _conversation(
            scope, "C", utc(11, 1, 4, 30), status="closed", closed_at=utc(11, 1, 5, 0)
        )
        _message(scope, c, utc(11, 1, 4, 30), "inbound", "customer")
        _message(scope, c, utc(11, 1, 4, 30, 20), "outbound", "agent")
        _message(scope, c, utc(11, 1, 4, 31), "inbound", "customer")
        _message(scope, c, utc(11, 1, 4, 41), "outbound", "human", person)
        _turn(
            scope,
            c,
            utc(11, 1, 4, 30, 19),
            ["refund"],
            confidence=0.2,
            handoff=True,
            handoff_reason="no_answer: nothing in the knowledge about refunds",
        )
        _call(scope, c, utc(11, 1, 4, 30, 10), "openai", "gpt-4o", "0.010000", tokens_in=2000, tokens_out=500)
        _call(scope, c, utc(11, 1, 4, 30, 15), "openai", "gpt-4o", "0.001000", status="discarded")

        ids["D"] = d = _conversation(scope, "D", utc(11, 2, 4, 30))
        _message(scope, d, utc(11, 2, 4, 30), "inbound", "customer")
        _message(scope, d, utc(11, 2, 4, 30, 30), "outbound", "agent")
        _turn(
            scope,
            d,
            utc(11, 2, 4, 30, 29),
            ["order_status"],
            message_type="list",
            recall="recovered",
            suggestions=[{"key": "P1", "accepted": True}, {"key": "P2", "accepted": None}],
        )
        llama = "meta-llama/Llama-3.3-70B-Instruct-Turbo"
        _call(scope, d, utc(11, 2, 4, 30, 10), "together", llama, "0.000300", tokens_in=900, tokens_out=100)

        ids["E"] = e = _conversation(scope, "E", utc(11, 3, 4, 59))
        _message(scope, e, utc(11, 3, 4, 59), "inbound", "customer")
        _message(scope, e, utc(11, 3, 4, 59, 40), "outbound", "agent")
        _turn(scope, e, utc(11, 3, 4, 59, 39), ["order_status", "forgot"], recall="not_found")

        ids["F"] = f = _conversation(scope, "F", utc(11, 3, 5, 0))
        _message(scope, f, utc(11, 3, 5, 0), "inbound", "customer")
        _message(scope, f, utc(11, 3, 5, 0, 5), "outbound", "agent")
        _turn(scope, f, utc(11, 3, 5, 0, 4), ["refund"])
        _call(scope, f, utc(11, 3, 5, 0, 4), "openai", "gpt-4o", "1.000000")
        _call(scope, a, utc(10, 31, 3, 59, 10), "openai", "gpt-4o", "1.000000")

        ids["P"] = p = _conversation(scope, "P", utc(11, 1, 12, 0), channel="playground")
        _message(scope, p, utc(11, 1, 12, 0), "inbound", "customer")
        _message(scope, p, utc(11, 1, 12, 0, 3), "outbound", "agent")
        _turn(scope, p, utc(11, 1, 12, 0, 2), ["greeting"], handoff=True, handoff_reason="frustration: x")

        shoe = scope.add(Product(sku="TS-1", name="Trail shoe", price=Decimal("95.00")))
        repair = scope.add(Service(code="RP", name="Repair", price=Decimal("20.00")))
        scope.add(ConversationContext(conversation_id=c, last_product_id=shoe.id))
        scope.add(ConversationContext(conversation_id=d, last_product_id=shoe.id))
        scope.add(ConversationContext(conversation_id=e, last_service_id=repair.id))

        for action, at in (
            (FEEDBACK_ACCEPTED, utc(10, 31, 5, 0)),
            (FEEDBACK_ACCEPTED, utc(11, 2, 5, 0)),
            (FEEDBACK_REJECTED, utc(11, 1, 5, 0)),
            (FEEDBACK_ACCEPTED, utc(11, 3, 6, 0)),  # after the range
        ):
            row = audit.record(s, tenant_id, action, target_type="conversation", target_id=b)
            row.created_at = at
        take = audit.record(s, tenant_id, "conversation.take_over", target_type="conversation", target_id=d)
        take.created_at = utc(11, 2, 14, 0)

        other = int(tenants.create_tenant(s, name="Elsewhere", slug=f"{slug}-other", time_zone=TZ).id)
        oscope = TenantScope(s, other)
        o = _conversation(oscope, "O", utc(11, 1, 10, 0))
        _message(oscope, o, utc(11, 1, 10, 0), "inbound", "customer")
        _turn(oscope, o, utc(11, 1, 10, 0, 1), ["refund"], handoff=True, handoff_reason="topic: x")
        _call(oscope, o, utc(11, 1, 10, 0, 1), "openai", "gpt-4o", "5.000000")
    return Shop(tenant_id, other, ids)


@pytest.fixture
def shop() -> Shop:
    return seed()


__all__ = ["NOW", "PERIOD", "Shop", "TZ", "seed", "utc", "timedelta"]
