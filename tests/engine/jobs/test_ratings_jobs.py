"""The rating jobs: the agent closes what it resolved (which asks for a rating), the rating template goes to
WhatsApp for approval and is polled, and a finished campaign emits its webhook event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from engine.accounts import tenants
from engine.campaigns.claims import Claims
from engine.conversations import rating_prompts, ratings
from engine.db import TenantScope, session_scope
from engine.integrations import endpoints
from engine.jobs.ratings import close_resolved_by_agent
from engine.models import (
    AuditLog,
    Campaign,
    Conversation,
    Customer,
    Message,
    Rating,
    WebhookEvent,
    utcnow,
)
from tests.engine.conversations.harness import WhatsAppEnv, _environment
from tests.factories import rating_settings
from tests.fakes.twilio_campaigns import CampaignTwilioServer

NOW = utcnow()


def _chat(scope: TenantScope, n: int, answered_hours_ago: float, status: str = "bot") -> int:
    customer = scope.add(Customer(phone=f"whatsapp:+4477009{n:05d}"))
    at = NOW - timedelta(hours=answered_hours_ago)
    chat = scope.add(
        Conversation(
            customer_id=customer.id, status=status, created_at=at, last_activity_at=at, last_inbound_at=at
        )
    )
    scope.add(
        Message(conversation_id=chat.id, direction="inbound", body="hi", created_at=at - timedelta(minutes=1))
    )
    scope.add(
        Message(conversation_id=chat.id, direction="outbound", sender="agent", body="here", created_at=at)
    )
    return int(chat.id or 0)


def test_the_agent_closes_what_it_resolved_and_that_asks_for_a_rating() -> None:
    with session_scope() as s:
        shop = tenants.create_tenant(s, name="Stride", slug="jobs-ratings").id
        quiet_shop = tenants.create_tenant(s, name="Quiet", slug="jobs-ratings-off").id
        scope = TenantScope(s, shop)
        rating_settings(s, shop, resolution_window_hours=2)
        rating_settings(s, quiet_shop, enabled=False)
        resolved = _chat(scope, 1, answered_hours_ago=5)
        too_early = _chat(scope, 2, answered_hours_ago=1)
        with_person = _chat(scope, 3, answered_hours_ago=5, status="handoff")
        off = _chat(
            TenantScope(s, quiet_shop), 4, answered_hours_ago=30
        )  # ratings off: the agent closes nothing

    assert close_resolved_by_agent(now=NOW) == 1

    with session_scope() as s:
        scope = TenantScope(s, shop)
        status = {c.id: c.status for c in scope.all(Conversation)}
        (rating,) = scope.all(Rating)
        closed_by = scope.first(AuditLog, AuditLog.action == "conversation.close")
        off_status = TenantScope(s, quiet_shop).require(Conversation, off).status
    assert (status[resolved], status[too_early], status[with_person], off_status) == (
        "closed",
        "bot",
        "handoff",
        "bot",
    )
    assert (rating.conversation_id, rating.resolved_by, rating.status) == (resolved, "agent", "due")
    assert closed_by.actor_label == "agent"
    assert close_resolved_by_agent(now=NOW) == 0  # closed once


def test_a_finished_campaign_emits_its_event() -> None:
    with session_scope() as s:
        shop = tenants.create_tenant(s, name="Stride", slug="jobs-campaign-finished").id
        endpoints.create(
            s,
            shop,
            name="CRM",
            url="https://93.184.216.34/hooks",
            events=["campaign.finished"],
            resolve=lambda h, p: [],
        )
        campaign = TenantScope(s, shop).add(
            Campaign(name="Spring sale", status="sending", dispatch_owner="me")
        )
    assert Claims("me", 2.0).finish_if_done(shop, int(campaign.id or 0))
    with session_scope() as s:
        (event,) = TenantScope(s, shop).all(WebhookEvent)
        assert (event.event_type, event.data) == ("campaign.finished", {"campaign_id": campaign.id})
        assert TenantScope(s, shop).require(Campaign, campaign.id).status == "sent"


@pytest.fixture
def wa_campaigns(monkeypatch: pytest.MonkeyPatch) -> Iterator[WhatsAppEnv]:
    with CampaignTwilioServer() as fake:
        yield from _environment(fake, monkeypatch)


def test_the_rating_template_is_submitted_and_polled_until_approved(wa_campaigns: WhatsAppEnv) -> None:
    wa = wa_campaigns
    with session_scope() as s:
        rating_settings(s, wa.tenant_id, enabled=True)
        submitted = rating_prompts.submit_template(s, wa.tenant_id)
    assert submitted.template_status == "pending"
    content = wa.fake.contents[-1].json
    assert content["types"]["twilio/quick-reply"]["actions"] == [
        {"type": "QUICK_REPLY", "title": "😀 Great", "id": "rate:t:3"},
        {"type": "QUICK_REPLY", "title": "😐 OK", "id": "rate:t:2"},
        {"type": "QUICK_REPLY", "title": "🙁 Bad", "id": "rate:t:1"},
    ]
    assert wa.fake.approvals[submitted.template_sid]["category"] == "UTILITY"
    assert rating_prompts.poll_template() == 1
    wa.fake.approve(submitted.template_sid)
    rating_prompts.poll_template()
    with session_scope() as s:
        assert ratings.rules(s, wa.tenant_id).template_status == "approved"
    assert rating_prompts.poll_template() == 0
