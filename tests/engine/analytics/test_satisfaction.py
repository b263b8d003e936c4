"""Satisfaction figures (engine/analytics/satisfaction.py) on a shop laid out by hand.

Range Nov 2 – Nov 4, 2026 in America/New_York (EST, UTC-5: local midnight is 05:00 UTC); the 12-hour window
has long passed at NOW. Conversations (WhatsApp unless said), by the local day of their last activity:

  A  Nov 2   agent answers, silence                   → agent       order_status · Trail shoe · entry K1
             rated 3 (good) at 04:30 UTC Nov 3 = 23:30 Nov 2 local, "quick, thanks"
  E  Nov 2   last active 04:30 UTC Nov 3 (23:30 local) handed off, waiting for a person → pending · complaint
  B  Nov 3   agent answers, customer back in an hour  → unresolved  refund · Trail shoe · K1 and K2
             rated 1 (low) at 16:00 UTC, "still no refund"
  C  Nov 4   handed off, staff replied, closed        → person      refund · Repair · K2; rated 3 at 18:00 UTC
  D  Nov 4   agent answers at 20:01 UTC, silence      → agent       order_status
  F  Nov 5 01:00 local: after the range, rated good then (not counted)
  P  the Playground, rated (never counted) · another tenant's rated conversation (never counted)

K1 is a knowledge entry ("Delivery times"); K2 was deleted since: it keeps the title the turn recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from engine.accounts import tenants
from engine.analytics.periods import Period
from engine.analytics.report import page_report
from engine.analytics.resolution import summarize
from engine.analytics.satisfaction import Figures, satisfaction
from engine.db import TenantScope, session_scope
from engine.models import (
    AgentInteraction,
    Conversation,
    ConversationContext,
    Customer,
    KnowledgeEntry,
    Message,
    Product,
    Rating,
    Service,
)
from tests.factories import new_user

TZ = "America/New_York"
PERIOD = Period(date(2026, 11, 2), date(2026, 11, 4), TZ)
NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
GONE = 999_999  # K2: an entry deleted since


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


class Shop:
    def __init__(self, scope: TenantScope) -> None:
        self.scope = scope
        self.n = 0

    def chat(self, at: datetime, *, status: str = "bot", channel: str = "whatsapp") -> Conversation:
        self.n += 1
        customer = self.scope.add(Customer(phone=f"whatsapp:+1555010{self.n:04d}"))
        conversation = self.scope.add(
            Conversation(
                customer_id=customer.id, status=status, channel=channel, created_at=at, last_activity_at=at
            )
        )
        self.say(conversation, at, "inbound", "customer")
        return conversation

    def say(
        self, c: Conversation, at: datetime, direction: str, sender: str, user: int | None = None
    ) -> None:
        self.scope.add(
            Message(
                conversation_id=c.id,
                direction=direction,
                sender=sender,
                sent_by_user_id=user,
                created_at=at,
                updated_at=at,
            )
        )
        c.last_activity_at = max(c.last_activity_at, at)
        self.scope.session.add(c)

    def turn(
        self, c: Conversation, at: datetime, intent: str, hits: list[tuple[int, str]] = (), **kw
    ) -> None:
        self.scope.add(
            AgentInteraction(
                conversation_id=c.id,
                intents=[{"name": intent, "confidence": 0.9, "text": "…"}],
                knowledge_hits=[{"id": i, "title": t, "type": "faq", "confidence": 0.8} for i, t in hits],
                created_at=at,
                **kw,
            )
        )

    def rate(self, c: Conversation, score: int, at: datetime, comment: str | None = None) -> None:
        self.scope.add(
            Rating(
                conversation_id=c.id,
                customer_id=c.customer_id,
                status="answered",
                score=score,
                is_low=score == 1,
                answered_at=at,
                resolved_at=at - timedelta(minutes=30),
                comment=comment,
            )
        )


def seed() -> tuple[int, dict[str, int], int]:
    with session_scope() as s:
        tenant_id = int(tenants.create_tenant(s, name="Harbor Books", slug="harbor-sat", time_zone=TZ).id)
        staff = new_user(s, tenant_id, role="agent", email="staff@harbor-sat.test")
        scope = TenantScope(s, tenant_id)
        shop = Shop(scope)
        k1 = int(scope.add(KnowledgeEntry(title="Delivery times", content="Two days.")).id or 0)
        shoe = scope.add(Product(sku="TS-1", name="Trail shoe", price=1))
        repair = scope.add(Service(code="RP", name="Repair", price=1))

        a = shop.chat(utc(2, 15))
        shop.say(a, utc(2, 15, 1), "outbound", "agent")
        shop.turn(a, utc(2, 15, 1), "order_status", [(k1, "Delivery times")])
        shop.rate(a, 3, utc(3, 4, 30), "quick, thanks")
        scope.add(ConversationContext(conversation_id=a.id, last_product_id=shoe.id))

        e = shop.chat(utc(3, 4, 30), status="handoff")
        shop.turn(e, utc(3, 4, 30), "complaint", handoff=True, handoff_reason="frustration: x")

        b = shop.chat(utc(3, 14))
        shop.say(b, utc(3, 14, 1), "outbound", "agent")
        shop.say(b, utc(3, 15), "inbound", "customer")
        shop.turn(b, utc(3, 14, 1), "refund", [(k1, "Delivery times"), (GONE, "Refunds (old)")])
        shop.rate(b, 1, utc(3, 16), "still no refund")
        scope.add(ConversationContext(conversation_id=b.id, last_product_id=shoe.id))

        c = shop.chat(utc(4, 13), status="closed")
        shop.say(c, utc(4, 13, 1), "outbound", "agent")
        shop.say(c, utc(4, 13, 30), "outbound", "human", staff)
        shop.turn(
            c, utc(4, 13, 1), "refund", [(GONE, "Refunds (old)")], handoff=True, handoff_reason="no_answer: x"
        )
        shop.rate(c, 3, utc(4, 18))
        scope.add(ConversationContext(conversation_id=c.id, last_service_id=repair.id))

        d = shop.chat(utc(4, 20))
        shop.say(d, utc(4, 20, 1), "outbound", "agent")
        shop.turn(d, utc(4, 20, 1), "order_status")

        f = shop.chat(utc(5, 6))
        shop.say(f, utc(5, 6, 1), "outbound", "agent")
        shop.turn(f, utc(5, 6, 1), "order_status", [(k1, "Delivery times")])
        shop.rate(f, 3, utc(5, 6, 30), "after the range")

        p = shop.chat(utc(3, 12), channel="playground")
        shop.say(p, utc(3, 12, 1), "outbound", "agent")
        shop.turn(p, utc(3, 12, 1), "refund", [(k1, "Delivery times")])

        other = int(tenants.create_tenant(s, name="Elsewhere", slug="harbor-sat-other", time_zone=TZ).id)
        theirs = Shop(TenantScope(s, other))
        o = theirs.chat(utc(3, 12))
        theirs.say(o, utc(3, 12, 1), "outbound", "agent")
        theirs.turn(o, utc(3, 12, 1), "refund", [(k1, "Delivery times")])
        theirs.rate(o, 1, utc(3, 13), "theirs")
        ids = {"A": a.id, "B": b.id, "C": c.id, "D": d.id, "E": e.id}
    return tenant_id, {k: int(v or 0) for k, v in ids.items()}, k1


def test_resolution_and_csat_by_handler_topic_entry_and_day() -> None:
    tenant_id, ids, k1 = seed()
    with session_scope() as s:
        found = satisfaction(s, tenant_id, PERIOD, now=NOW)
        summary = summarize(s, tenant_id, since=PERIOD.since, until=PERIOD.until, now=NOW)
        page = page_report(s, tenant_id, PERIOD, now=NOW)

    # the page counts outcomes once: its satisfaction totals are summarize's, and the traffic card's
    assert found.total.summary() == summary
    assert page.satisfaction.total == found.total and page.satisfaction.by_knowledge == []
    assert (page.traffic.resolved_by_agent, page.traffic.unresolved, page.traffic.pending) == (2, 1, 1)

    # A, B, C, D, E: decided A D (agent) B (unresolved) C (person); E pending. Ratings in range: A B C.
    assert found.total == Figures(conversations=5, decided=4, resolved=3, by_agent=2, rated=3, good=2)
    assert (found.total.by_agent_pct, found.total.resolved_pct, found.total.csat_pct) == (50, 75, 67)
    handlers = {g.key: g.figures for g in found.by_handler}
    assert handlers["agent"] == Figures(3, 3, 2, 2, 2, 1)  # A D resolved, B not; A good, B low
    assert handlers["person"] == Figures(2, 1, 1, 0, 1, 1)  # C closed by a person, E waits; C good
    assert (handlers["agent"].resolved_pct, handlers["agent"].csat_pct) == (67, 50)

    # by local day: E (23:30 Nov 2) and A's rating (23:30 Nov 2) fall on Nov 2, not on Nov 3 as in UTC
    assert [(p.day, p.figures) for p in found.trend] == [
        (date(2026, 11, 2), Figures(2, 1, 1, 1, 1, 1)),
        (date(2026, 11, 3), Figures(1, 1, 0, 0, 1, 0)),
        (date(2026, 11, 4), Figures(2, 2, 2, 1, 1, 1)),
    ]

    topics = {g.key: (g.label, g.figures) for g in found.by_topic}
    assert [g.key for g in found.by_topic][:3] == ["intent:order_status", "intent:refund", "intent:complaint"]
    assert topics["intent:order_status"] == ("order_status", Figures(2, 2, 2, 2, 1, 1))  # A D
    assert topics["intent:refund"] == ("refund", Figures(2, 2, 1, 0, 2, 1))  # B C
    assert topics["intent:complaint"] == ("complaint", Figures(1, 0, 0, 0, 0, 0))  # E
    shoe = next(k for k in topics if k.startswith("product:"))
    repair = next(k for k in topics if k.startswith("service:"))
    assert topics[shoe] == ("Trail shoe", Figures(2, 2, 1, 1, 2, 1))  # A B
    assert topics[repair] == ("Repair", Figures(1, 1, 1, 0, 1, 1))  # C

    assert [(g.key, g.label, g.figures) for g in found.by_knowledge] == [
        (f"knowledge:{k1}", "Delivery times", Figures(2, 2, 1, 1, 2, 1)),  # A B
        (f"knowledge:{GONE}", "Refunds (old)", Figures(2, 2, 1, 0, 2, 1)),  # B C
    ]
    assert [(c.conversation_id, c.score, c.low, c.comment) for c in found.comments] == [
        (ids["B"], 1, True, "still no refund"),
        (ids["A"], 3, False, "quick, thanks"),
    ]


def test_weekly_buckets_and_a_new_shop() -> None:
    tenant_id, _, _ = seed()
    with session_scope() as s:
        weekly = satisfaction(s, tenant_id, Period(date(2026, 11, 2), date(2026, 11, 4), TZ, "week"), now=NOW)
        fresh = int(tenants.create_tenant(s, name="New", slug="harbor-sat-new", time_zone=TZ).id)
        empty = satisfaction(s, fresh, PERIOD, now=NOW)
    assert [(p.day, p.figures) for p in weekly.trend] == [(date(2026, 11, 2), Figures(5, 4, 3, 2, 3, 2))]
    assert empty.total == Figures()
    assert empty.total.csat_pct is None and empty.total.resolved_pct is None
    assert [p.figures for p in empty.trend] == [Figures()] * 3
    assert (empty.by_topic, empty.by_knowledge, empty.comments) == ([], [], [])
    assert [g.figures for g in empty.by_handler] == [Figures(), Figures()]
