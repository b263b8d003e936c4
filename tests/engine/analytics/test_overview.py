"""The Overview's figures, from conversations laid out by hand on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.accounts import tenants
from engine.analytics.overview import overview_figures
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, Conversation, Customer, Message
from tests.factories import new_user

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _chat(
    scope: TenantScope,
    started: datetime,
    *,
    reply_after: float,
    staff: int | None = None,
    status: str = "bot",
    closed_at: datetime | None = None,
    channel: str = "whatsapp",
) -> int:
    customer = scope.add(Customer(phone=f"whatsapp:+4477009{int(started.timestamp()) % 100000:05d}"))
    conversation = scope.add(
        Conversation(
            customer_id=customer.id,
            channel=channel,
            status=status,
            created_at=started,
            last_activity_at=closed_at or started + timedelta(seconds=reply_after),
            closed_at=closed_at,
        )
    )
    scope.add(Message(conversation_id=conversation.id, direction="inbound", body="hi", created_at=started))
    scope.add(
        Message(
            conversation_id=conversation.id,
            direction="outbound",
            body="hello!",
            sent_by_user_id=staff,
            created_at=started + timedelta(seconds=reply_after),
        )
    )
    return int(conversation.id or 0)


def test_today_rates_first_response_and_what_needs_attention() -> None:
    with session_scope() as s:
        tenant_id = tenants.create_tenant(
            s, name="Stride", slug="stride-figures", time_zone="Europe/London"
        ).id
        person = new_user(s, tenant_id, role="agent")
        scope = TenantScope(s, tenant_id)
        # Today: the agent answered in 30 s and the chat was closed without anyone.
        alone = _chat(
            scope,
            NOW - timedelta(hours=3),
            reply_after=30,
            status="closed",
            closed_at=NOW - timedelta(hours=2),
        )
        # Yesterday: the agent handed over; it still waits for a person.
        waiting = _chat(scope, NOW - timedelta(days=1), reply_after=90, status="handoff")
        scope.add(
            AgentInteraction(conversation_id=waiting, handoff=True, handoff_reason="asked for a person")
        )
        # Today: a person answered after 2 minutes and closed it.
        _chat(scope, NOW - timedelta(hours=1), reply_after=120, staff=person, status="closed", closed_at=NOW)
        # Neither counts: staff trying the playground today, and a chat from ten days ago.
        _chat(scope, NOW - timedelta(minutes=5), reply_after=1, channel="playground")
        _chat(scope, NOW - timedelta(days=10), reply_after=5)
        # One reply WhatsApp refused this morning.
        scope.add(
            Message(
                conversation_id=alone,
                direction="outbound",
                body="x",
                status="failed",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    with session_scope() as s:
        figures = overview_figures(s, tenant_id, now=NOW)
    assert figures.conversations_today == 2
    assert (figures.active_in_window, figures.handoff_pct) == (3, 67)
    assert (figures.closed_in_window, figures.resolved_by_agent_pct) == (2, 50)
    assert figures.first_response_seconds == 90
    assert (figures.needs_human, figures.failed_sends) == (1, 1)


def test_a_quiet_workspace_has_no_rates_rather_than_zero_percent() -> None:
    with session_scope() as s:
        tenant_id = tenants.create_tenant(s, name="Quiet", slug="quiet-figures").id
        figures = overview_figures(s, tenant_id, now=NOW)
    assert figures.conversations_today == 0
    assert figures.handoff_pct is None and figures.resolved_by_agent_pct is None
    assert figures.first_response_seconds is None
