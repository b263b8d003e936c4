"""Minimal valid rows for every tenant-scoped table, parents created as needed, through TenantScope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from sqlmodel import Session, SQLModel

from engine import models as m
from engine.accounts import tenants, users
from engine.db import TenantScope
from engine.models import utcnow

_seq = count(1)


def new_tenant(session: Session, slug: str | None = None) -> int:
    n = next(_seq)
    info = tenants.create_tenant(
        session,
        name=f"Tenant {n}",
        slug=slug or f"tenant-{n}",
        whatsapp_from=f"whatsapp:+1415555{n:04d}",
    )
    return info.id


def rating_settings(session: Session, tenant_id: int, **fields: Any) -> m.RatingSettings:
    """The tenant's rating settings (a new tenant has them, on) with `fields` changed."""
    scope = TenantScope(session, tenant_id)
    row = scope.first(m.RatingSettings) or m.RatingSettings()
    for name, value in fields.items():
        setattr(row, name, value)
    return scope.add(row)


def new_user(session: Session, tenant_id: int, role: str = "owner", email: str | None = None) -> int:
    n = next(_seq)
    user = users.create_user(session, email=email or f"user{n}@example.com", password="correct horse battery")
    assert user.id is not None
    users.add_membership(session, tenant_id, user.id, role)
    return user.id


def _customer(s: TenantScope) -> m.Customer:
    return s.add(m.Customer(phone=f"whatsapp:+4477009{next(_seq):05d}", name="Ada"))


def _conversation(s: TenantScope) -> m.Conversation:
    return s.add(m.Conversation(customer_id=_customer(s).id))


def _message(s: TenantScope) -> m.Message:
    return s.add(m.Message(conversation_id=_conversation(s).id, direction="inbound", body="hi"))


def _product(s: TenantScope) -> m.Product:
    return s.add(m.Product(sku=f"SKU{next(_seq)}", name="Trail runner", price=Decimal("89.00")))


def _service(s: TenantScope) -> m.Service:
    return s.add(m.Service(code=f"SVC{next(_seq)}", name="Sole repair", price=Decimal("25.00")))


def _entry(s: TenantScope) -> m.KnowledgeEntry:
    return s.add(m.KnowledgeEntry(title="Returns", content="30 days"))


def _campaign(s: TenantScope) -> m.Campaign:
    return s.add(m.Campaign(name="Spring sale"))


def _endpoint(s: TenantScope) -> m.WebhookEndpoint:
    return s.add(m.WebhookEndpoint(name="CRM", url="https://crm.example.com/hook", secret="whsec_test"))


def _event(s: TenantScope) -> m.WebhookEvent:
    return s.add(m.WebhookEvent(event_id=f"evt_{next(_seq)}", event_type="message.received"))


BUILDERS: dict[type[SQLModel], Callable[[TenantScope], Any]] = {
    m.WhatsAppSender: lambda s: s.add(m.WhatsAppSender(address=f"whatsapp:+1202555{next(_seq):04d}")),
    m.Membership: lambda s: s.add(
        m.Membership(
            user_id=users.create_user(
                s.session, email=f"member{next(_seq)}@example.com", password="correct horse battery"
            ).id,
            role="viewer",
        )
    ),
    m.ApiToken: lambda s: s.add(m.ApiToken(name="t", token_prefix="prl_x", token_hash=f"h{next(_seq)}")),
    m.Secret: lambda s: s.add(m.Secret(kind=f"kind{next(_seq)}", value="sk-secret", last4="cret")),
    m.AuditLog: lambda s: s.add(m.AuditLog(action="test")),
    m.AgentConfiguration: lambda s: s.first(m.AgentConfiguration),
    m.KnowledgeEntry: _entry,
    m.KnowledgeEntryVersion: lambda s: s.add(
        m.KnowledgeEntryVersion(entry_id=_entry(s).id, version=1, entry_type="faq", title="R", content="c")
    ),
    m.Customer: _customer,
    m.Product: _product,
    m.Service: _service,
    m.Order: lambda s: s.add(
        m.Order(customer_id=_customer(s).id, order_number=f"O{next(_seq)}", total=Decimal("10"))
    ),
    m.Appointment: lambda s: s.add(
        m.Appointment(
            customer_id=_customer(s).id, service_id=_service(s).id, starts_at=utcnow() + timedelta(days=1)
        )
    ),
    m.Conversation: _conversation,
    m.Message: _message,
    m.ConversationContext: lambda s: s.add(m.ConversationContext(conversation_id=_conversation(s).id)),
    m.MessageQueue: lambda s: s.add(
        (lambda msg: m.MessageQueue(conversation_id=msg.conversation_id, message_id=msg.id, due_at=utcnow()))(
            _message(s)
        )
    ),
    m.WhatsAppContent: lambda s: s.add(
        m.WhatsAppContent(content_hash=f"h{next(_seq)}", content_sid=f"HX{next(_seq)}", kind="quick-reply")
    ),
    m.AgentInteraction: lambda s: s.add(m.AgentInteraction(conversation_id=_conversation(s).id)),
    m.LLMCall: lambda s: s.add(
        m.LLMCall(conversation_id=_conversation(s).id, provider="offline", model="offline", status="ok")
    ),
    m.ButtonEvent: lambda s: s.add(m.ButtonEvent(conversation_id=_conversation(s).id, payload="p")),
    m.Campaign: _campaign,
    m.CampaignMessage: lambda s: s.add(m.CampaignMessage(campaign_id=_campaign(s).id, body="Hi")),
    m.CampaignRecipient: lambda s: s.add(
        m.CampaignRecipient(campaign_id=_campaign(s).id, customer_id=_customer(s).id)
    ),
    m.CampaignSettings: lambda s: s.add(m.CampaignSettings()),
    m.CampaignAction: lambda s: s.add(m.CampaignAction(customer_id=_customer(s).id, kind="opt_out")),
    m.PlaygroundTestCase: lambda s: s.add(
        m.PlaygroundTestCase(message="Do you ship abroad?", checks=[{"kind": "mention", "value": "ship"}])
    ),
    m.WebhookEndpoint: _endpoint,
    m.WebhookEvent: _event,
    m.WebhookDelivery: lambda s: s.add(
        m.WebhookDelivery(endpoint_id=_endpoint(s).id, event_row_id=_event(s).id)
    ),
    m.RatingSettings: lambda s: rating_settings(s.session, s.tenant_id),  # every tenant starts with one
    m.Rating: lambda s: s.add(
        (lambda c: m.Rating(conversation_id=c.id, customer_id=c.customer_id))(_conversation(s))
    ),
    m.AlertIncident: lambda s: s.add(
        m.AlertIncident(kind="queue_age", open_kind="queue_age", threshold=120, last_seen_at=utcnow())
    ),
    m.KnowledgeGap: lambda s: s.add(
        m.KnowledgeGap(question="Do you gift wrap?", examples=["wrap it?"], size=2)
    ),
}


def make_row(session: Session, tenant_id: int, model: type[SQLModel]) -> Any:
    return BUILDERS[model](TenantScope(session, tenant_id))
