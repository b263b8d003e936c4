"""In-app alerts (engine/observability/alerts.py): each tenant's six figures computed by hand from seeded
rows; an incident opened once when a figure passes its threshold, kept while past, resolved when back."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, Conversation, LLMCall, Message, MessageQueue, utcnow
from engine.models.alerts import AlertIncident
from engine.observability import alerts
from engine.observability.thresholds import BY_KIND, describe
from tests.engine.conversations.harness import ordered
from tests.factories import make_row, new_tenant

NOW = utcnow().replace(microsecond=0)


def _conversation_id(session: Session, tenant_id: int) -> int:
    return int(make_row(session, tenant_id, Conversation).id)


def seed_trouble(session: Session, tenant_id: int, *, at: datetime = NOW) -> None:
    """Every figure past its threshold, by numbers a person can check: 20 outbound messages, 2 failed
    (10 % > 5 %); 20 turns, 12 handed off (60 % > 50 %), 10 of them took 20 s and 10 took 1 s (p95 = 20 s >
    15 s); LLM calls in the last 15 minutes: 6 ok at US$1.00 and 4 errors (40 % > 25 %; US$6.00 in the hour >
    US$5); the oldest waiting message is 5 minutes old."""
    scope = TenantScope(session, tenant_id)
    conversation_id = _conversation_id(session, tenant_id)
    for n in range(20):
        scope.add(
            Message(
                conversation_id=conversation_id,
                direction="outbound",
                sender="agent",
                body="reply",
                status="failed" if n < 2 else "delivered",
                created_at=at - timedelta(minutes=30),
                updated_at=at - timedelta(minutes=30),
            )
        )
        scope.add(
            AgentInteraction(
                conversation_id=conversation_id,
                handoff=n < 12,
                latency_ms=20_000 if n % 2 else 1_000,
                created_at=at - timedelta(minutes=20),
            )
        )
    for n in range(10):
        ok = n < 6
        scope.add(
            LLMCall(
                conversation_id=conversation_id,
                provider="openai",
                model="gpt-4o-mini",
                status="ok" if ok else "error",
                cost=Decimal("1.00") if ok else Decimal("0"),
                created_at=at - timedelta(minutes=5),
            )
        )
    waiting = make_row(session, tenant_id, MessageQueue)
    waiting.queued_at = at - timedelta(minutes=5)
    session.add(waiting)


def test_each_figure_is_read_as_computed_by_hand() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        seed_trouble(session, tenant_id)
        old = TenantScope(session, tenant_id)
        conversation_id = _conversation_id(session, tenant_id)
        old.add(  # outside every window: not counted
            LLMCall(
                conversation_id=conversation_id,
                provider="openai",
                model="gpt-4o-mini",
                status="error",
                cost=Decimal("9"),
                created_at=NOW - timedelta(hours=2),
            )
        )
    with session_scope() as session:
        readings = {r.kind: r for r in alerts.read_figures(session, tenant_id, NOW)}
    assert (readings["error_rate"].value, readings["error_rate"].volume) == (0.1, 20)
    assert (readings["handoff_rate"].value, readings["handoff_rate"].volume) == (0.6, 20)
    assert readings["reply_p95"].value == 20.0
    assert readings["cost_per_hour"].value == 6.0
    assert (readings["provider_failures"].value, readings["provider_failures"].volume) == (0.4, 10)
    assert readings["queue_age"].value == 300.0
    assert all(r.past for r in readings.values())


def test_a_quiet_shop_gets_no_verdict_from_a_handful_of_events() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        scope = TenantScope(session, tenant_id)
        conversation_id = _conversation_id(session, tenant_id)
        scope.add(  # one reply of one failed: 100 %, but one is not a rate
            Message(conversation_id=conversation_id, direction="outbound", status="failed", updated_at=NOW)
        )
    with session_scope() as session:
        readings = {r.kind: r for r in alerts.read_figures(session, tenant_id, NOW)}
        assert readings["error_rate"].value == 1.0 and readings["error_rate"].past is None
        assert readings["queue_age"].value == 0.0 and readings["queue_age"].past is False  # nobody waits
        assert readings["cost_per_hour"].value == 0.0 and readings["cost_per_hour"].past is False
        assert alerts.check_tenant(session, tenant_id, NOW) == []


def test_an_incident_opens_once_stays_open_while_past_and_resolves_when_back() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        seed_trouble(session, tenant_id)
    with session_scope() as session:
        opened = alerts.check_tenant(session, tenant_id, NOW)
    assert sorted(c.kind for c in opened) == sorted(BY_KIND)
    assert {c.change for c in opened} == {"opened"}

    with session_scope() as session:  # a minute later, still past: nothing new
        assert alerts.check_tenant(session, tenant_id, NOW + timedelta(minutes=1)) == []
        queue = ordered(TenantScope(session, tenant_id), AlertIncident, AlertIncident.kind == "queue_age")
        assert len(queue) == 1 and queue[0].value == 360.0  # the figure follows

    with session_scope() as session:  # the worker catches up: the queue empties
        for row in TenantScope(session, tenant_id).all(MessageQueue):
            row.status = "processed"
            session.add(row)
    with session_scope() as session:
        changes = alerts.check_tenant(session, tenant_id, NOW + timedelta(minutes=2))
        assert [(c.kind, c.change) for c in changes] == [("queue_age", "resolved")]
        assert [a.kind for a in alerts.open_alerts(session, tenant_id)] == sorted(
            set(BY_KIND) - {"queue_age"}, key=list(BY_KIND).index
        )


def test_a_figure_past_again_after_recovery_is_a_new_incident() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        waiting = make_row(session, tenant_id, MessageQueue)
        waiting.queued_at = NOW - timedelta(minutes=10)
        session.add(waiting)
        waiting_id = waiting.id
    with session_scope() as session:
        assert [c.change for c in alerts.check_tenant(session, tenant_id, NOW)] == ["opened"]
    with session_scope() as session:
        row = session.get(MessageQueue, waiting_id)
        row.status = "processed"
        session.add(row)
    with session_scope() as session:
        assert [c.change for c in alerts.check_tenant(session, tenant_id, NOW)] == ["resolved"]
        make_row(session, tenant_id, MessageQueue).queued_at = NOW - timedelta(minutes=3)
    with session_scope() as session:
        assert [c.change for c in alerts.check_tenant(session, tenant_id, NOW)] == ["opened"]
        rows = ordered(TenantScope(session, tenant_id), AlertIncident)
    assert [(r.open_kind, r.resolved_at is None) for r in rows] == [(None, False), ("queue_age", True)]


def test_the_database_refuses_a_second_open_incident_of_a_kind() -> None:
    from sqlalchemy.exc import IntegrityError

    with session_scope() as session:
        tenant_id = new_tenant(session)
    with pytest.raises(IntegrityError), session_scope() as session:
        scope = TenantScope(session, tenant_id)
        for _ in range(2):
            scope.add(AlertIncident(kind="queue_age", open_kind="queue_age", last_seen_at=NOW))


def test_a_notice_is_claimed_once() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        incident = TenantScope(session, tenant_id).add(
            AlertIncident(kind="queue_age", open_kind="queue_age", value=300, last_seen_at=NOW)
        )
        incident_id = int(incident.id)
    with session_scope() as session:
        assert [c.change for c in alerts.unsent_notices(session, tenant_id)] == ["opened"]
        assert alerts.claim_notice(session, tenant_id, incident_id, "opened", NOW) is True
        assert alerts.claim_notice(session, tenant_id, incident_id, "opened", NOW) is False
        assert alerts.unsent_notices(session, tenant_id) == []


def test_open_alerts_are_said_in_the_shop_owners_words() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        scope = TenantScope(session, tenant_id)
        scope.add(AlertIncident(kind="queue_age", open_kind="queue_age", value=300, last_seen_at=NOW))
        scope.add(AlertIncident(kind="cost_per_hour", open_kind="cost_per_hour", value=6.5, last_seen_at=NOW))
    with session_scope() as session:
        views = {v.kind: v for v in alerts.open_alerts(session, tenant_id)}
    assert views["queue_age"].title == "Customers are waiting for an answer"
    assert (
        views["queue_age"].detail
        == "A customer's message has waited 5 min for the agent (alert above 2 min)."
    )
    assert views["cost_per_hour"].detail == "The AI cost US$6.50 in the last hour (alert above US$5.00)."
    assert describe("error_rate", 0.1) == (
        "10% of the replies in the last hour could not be delivered (alert above 5%)."
    )


def test_an_incident_whose_window_empties_resolves_nothing_happening_is_nothing_failing() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        scope = TenantScope(session, tenant_id)
        conversation_id = _conversation_id(session, tenant_id)
        for _ in range(8):
            scope.add(
                LLMCall(
                    conversation_id=conversation_id,
                    provider="together",
                    model="m",
                    status="error",
                    created_at=NOW - timedelta(minutes=1),
                )
            )
    with session_scope() as session:
        opened = alerts.check_tenant(session, tenant_id, NOW)
        assert ("provider_failures", "opened") in [(c.kind, c.change) for c in opened]
    with session_scope() as session:  # 20 minutes on, no request at all in the last 15 minutes
        later = alerts.check_tenant(session, tenant_id, NOW + timedelta(minutes=20))
    assert ("provider_failures", "resolved") in [(c.kind, c.change) for c in later]


def test_playground_turns_are_staff_testing_not_customers_waiting() -> None:
    """Staff trying a slow model in the Playground, asking for a person again and again: 30 slow turns that
    all hand off, and 30 slow replies that never reach Twilio. The customers' own hour is 12 quick turns and
    12 delivered replies, so no message or turn figure is past — counted together, reply_p95 would be 40 s,
    the handoff rate 71 % and the error rate 0 % of 42 instead of no verdict."""
    with session_scope() as session:
        tenant_id = new_tenant(session)
        scope = TenantScope(session, tenant_id)
        customer_chat = _conversation_id(session, tenant_id)
        playground = make_row(session, tenant_id, Conversation)
        playground.channel = "playground"
        session.add(playground)
        session.flush()
        for n in range(30):
            scope.add(
                AgentInteraction(
                    conversation_id=playground.id,
                    handoff=True,
                    latency_ms=40_000,
                    created_at=NOW - timedelta(minutes=10),
                )
            )
            scope.add(
                Message(
                    conversation_id=playground.id,
                    direction="outbound",
                    status="failed" if n < 5 else "queued",
                    updated_at=NOW - timedelta(minutes=10),
                )
            )
        for _ in range(12):
            scope.add(
                AgentInteraction(
                    conversation_id=customer_chat, latency_ms=2_000, created_at=NOW - timedelta(minutes=10)
                )
            )
            scope.add(
                Message(
                    conversation_id=customer_chat,
                    direction="outbound",
                    status="delivered",
                    updated_at=NOW - timedelta(minutes=10),
                )
            )
        scope.add(  # a turn with no conversation (a persona preview) is nobody's chat either
            AgentInteraction(conversation_id=None, latency_ms=90_000, created_at=NOW - timedelta(minutes=10))
        )
    with session_scope() as session:
        readings = {r.kind: r for r in alerts.read_figures(session, tenant_id, NOW)}
        assert (readings["reply_p95"].value, readings["reply_p95"].volume) == (2.0, 12)
        assert readings["reply_p95"].past is False
        assert (readings["handoff_rate"].value, readings["handoff_rate"].volume) == (0.0, 12)
        assert (readings["error_rate"].value, readings["error_rate"].volume) == (0.0, 12)
        assert [c.kind for c in alerts.check_tenant(session, tenant_id, NOW)] == []
