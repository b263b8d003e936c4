"""The one definition of "resolved by the agent" (issue #18 item 2), on conversations laid out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.accounts import tenants
from engine.analytics.resolution import classify, resolution_window, summarize
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, Conversation, Customer, Message, Rating
from tests.factories import new_user, rating_settings

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


class Shop:
    def __init__(self, scope: TenantScope) -> None:
        self.scope = scope
        self.n = 0

    def chat(
        self, answered: datetime, *, status: str = "bot", customer: Customer | None = None
    ) -> Conversation:
        """A customer asked, the agent answered at `answered`."""
        self.n += 1
        customer = customer or self.scope.add(Customer(phone=f"whatsapp:+44770090{self.n:04d}"))
        conversation = self.scope.add(
            Conversation(
                customer_id=customer.id, status=status, created_at=answered - HOUR, last_activity_at=answered
            )
        )
        self.say(conversation, answered - timedelta(minutes=1))
        self.scope.add(
            Message(
                conversation_id=conversation.id,
                direction="outbound",
                sender="agent",
                body="Here you go",
                created_at=answered,
            )
        )
        return conversation

    def say(self, conversation: Conversation, at: datetime, **extra: object) -> None:
        self.scope.add(
            Message(conversation_id=conversation.id, direction="inbound", body="hm", created_at=at, **extra)
        )

    def rate(self, conversation: Conversation, score: int, *, low: bool, at: datetime) -> None:
        self.scope.add(
            Rating(
                conversation_id=conversation.id,
                customer_id=conversation.customer_id,
                status="answered",
                score=score,
                is_low=low,
                answered_at=at,
                resolved_at=at - HOUR,
            )
        )


def test_each_outcome_follows_the_definition() -> None:
    with session_scope() as s:
        tenant_id = tenants.create_tenant(s, name="Stride", slug="stride-resolution").id
        scope = TenantScope(s, tenant_id)
        shop = Shop(scope)
        silent = shop.chat(NOW - 13 * HOUR)  # the window (12 h by default) passed in silence
        too_early = shop.chat(NOW - 2 * HOUR)  # the window is still open
        came_back = shop.chat(NOW - 20 * HOUR)
        shop.say(came_back, NOW - 19 * HOUR)  # back after an hour: the answer did not settle it
        back_elsewhere = shop.chat(NOW - 30 * HOUR, status="closed")
        later = scope.add(Conversation(customer_id=back_elsewhere.customer_id, created_at=NOW - 25 * HOUR))
        shop.say(later, NOW - 25 * HOUR)  # ...came back in a new conversation, inside the window
        tapped = shop.chat(NOW - 14 * HOUR)
        shop.say(tapped, NOW - 13 * HOUR, button_payload="rate:9:3")  # a rating tap is not coming back
        handed = shop.chat(NOW - 20 * HOUR, status="closed")
        scope.add(AgentInteraction(conversation_id=handed.id, handoff=True))
        waiting = shop.chat(NOW - 20 * HOUR, status="handoff")
        staff = new_user(s, tenant_id, role="agent")
        by_staff = shop.chat(NOW - 40 * HOUR, status="closed")
        scope.add(
            Message(conversation_id=by_staff.id, direction="outbound", sender="human", sent_by_user_id=staff)
        )
        rated_well = shop.chat(NOW - HOUR)  # rated well before the window ran out: resolved at once
        shop.rate(rated_well, 3, low=False, at=NOW - 0.5 * HOUR)
        rated_low = shop.chat(NOW - 20 * HOUR)  # silent after, but the customer said it went badly
        shop.rate(rated_low, 1, low=True, at=NOW - 19 * HOUR)

        found = classify(s, tenant_id, [c.id for c in scope.all(Conversation)], now=NOW)

    outcome = {cid: r.outcome for cid, r in found.items()}
    assert outcome[silent.id] == "agent"
    assert outcome[too_early.id] == "pending"
    assert outcome[came_back.id] == "unresolved"
    assert outcome[back_elsewhere.id] == "unresolved"
    assert outcome[tapped.id] == "agent"
    assert outcome[handed.id] == "person"
    assert outcome[waiting.id] == "pending"
    assert outcome[by_staff.id] == "person"
    assert outcome[rated_well.id] == "agent"
    assert outcome[rated_low.id] == "unresolved"
    assert found[rated_low.id].rating_score == 1


def test_the_window_is_the_tenants_and_the_summary_counts_decided_ones() -> None:
    with session_scope() as s:
        tenant_id = tenants.create_tenant(s, name="Stride", slug="stride-resolution-2").id
        scope = TenantScope(s, tenant_id)
        shop = Shop(scope)
        assert resolution_window(s, tenant_id) == timedelta(hours=12)
        rating_settings(s, tenant_id, resolution_window_hours=2)
        assert resolution_window(s, tenant_id) == timedelta(hours=2)
        shop.chat(NOW - 3 * HOUR)  # silent for 3 h: resolved under a 2-hour window
        shop.chat(NOW - HOUR)  # pending
        came_back = shop.chat(NOW - 5 * HOUR)
        shop.say(came_back, NOW - 4 * HOUR)
        good = shop.chat(NOW - 4 * HOUR)
        shop.rate(good, 3, low=False, at=NOW - 3 * HOUR)
        low = shop.chat(NOW - 4 * HOUR)
        shop.rate(low, 1, low=True, at=NOW - 3 * HOUR)

        summary = summarize(s, tenant_id, since=NOW - 24 * HOUR, now=NOW)

    assert (summary.by_agent, summary.by_person, summary.unresolved, summary.pending) == (2, 0, 2, 1)
    assert summary.by_agent_pct == 50
    assert (summary.rated, summary.rated_good, summary.csat_pct) == (2, 1, 50)


def test_another_tenants_conversations_are_not_classified() -> None:
    with session_scope() as s:
        mine = tenants.create_tenant(s, name="A", slug="resolution-a").id
        theirs = tenants.create_tenant(s, name="B", slug="resolution-b").id
        other = Shop(TenantScope(s, theirs)).chat(NOW - 20 * HOUR)
        assert classify(s, mine, [other.id], now=NOW) == {}


def test_comments_and_the_daily_csat_trend() -> None:
    from engine.analytics.resolution import comments, csat_by_day

    with session_scope() as s:
        tenant_id = tenants.create_tenant(s, name="Stride", slug="stride-resolution-3").id
        shop = Shop(TenantScope(s, tenant_id))
        first, second = shop.chat(NOW - 40 * HOUR), shop.chat(NOW - 30 * HOUR)
        shop.rate(first, 3, low=False, at=NOW - 26 * HOUR)
        shop.rate(second, 1, low=True, at=NOW - 2 * HOUR)
        shop.rate(shop.chat(NOW - 5 * HOUR), 3, low=False, at=NOW - HOUR)
        low = TenantScope(s, tenant_id).first(Rating, Rating.conversation_id == second.id)
        low.comment = "the courier never came"
        s.add(low)
        s.flush()
        found = comments(s, tenant_id, since=NOW - 48 * HOUR, until=NOW)
        trend = csat_by_day(s, tenant_id, since=NOW - 48 * HOUR, until=NOW)
    assert [(c.conversation_id, c.score, c.low, c.comment) for c in found] == [
        (second.id, 1, True, "the courier never came")
    ]
    assert trend == [((NOW - 26 * HOUR).date(), 1, 1), (NOW.date(), 2, 1)]
