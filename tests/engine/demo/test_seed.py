"""The demo tenant: what it holds, that a re-run adds nothing, and that its owner can sign in."""

from __future__ import annotations

import re
from datetime import UTC
from decimal import Decimal

import pytest
from sqlmodel import select

from engine.accounts import sessions, tenants
from engine.accounts.errors import AccountError
from engine.cli import main
from engine.db import TenantScope, session_scope
from engine.demo import DemoSeedResult, catalog_data, customers_data, knowledge_data, seed_demo
from engine.models import (
    TENANT_MODELS,
    AgentConfiguration,
    Appointment,
    Conversation,
    Customer,
    KnowledgeEntry,
    KnowledgeEntryVersion,
    Membership,
    Message,
    Order,
    Product,
    Service,
    Tenant,
    User,
    utcnow,
)

SENDER = "whatsapp:+14155238886"


def test_seeding_creates_a_complete_demo_tenant(session):
    result = seed_demo(session)

    assert isinstance(result, DemoSeedResult)
    assert result.created is True
    assert result.slug == "stride"
    assert result.owner_email == "owner@stride.example"
    assert result.owner_password and len(result.owner_password) >= 16
    assert result.agent_email == "agent@stride.example" and result.agent_password
    assert result.whatsapp_sender == SENDER
    counts = result.counts
    assert counts["products"] + counts["services"] >= 40
    assert counts["products"] >= 30 and counts["services"] >= 5
    assert counts["knowledge_entries"] == 40
    assert counts["knowledge_versions"] == 40
    assert counts["customers"] >= 3
    assert counts["orders"] >= 3
    assert counts["appointments"] >= 2
    assert 2 <= counts["conversations"] <= 3
    assert counts["messages"] >= 10
    assert counts["memberships"] == 2
    assert result.added["products"] == counts["products"]
    assert result.added["knowledge_entries"] == 40

    tenant = session.get(Tenant, result.tenant_id)
    assert tenant is not None
    assert (tenant.name, tenant.currency, tenant.time_zone) == ("Stride & Co.", "GBP", "Europe/London")
    assert tenants.find_by_sender(session, SENDER).id == result.tenant_id


def test_a_second_run_creates_nothing(session):
    first = seed_demo(session)
    second = seed_demo(session)

    assert second.created is False
    assert second.owner_password is None and second.agent_password is None
    assert second.added == {}
    assert second.tenant_id == first.tenant_id
    assert second.counts == first.counts
    assert len(session.exec(select(Tenant)).all()) == 1
    assert len(session.exec(select(User)).all()) == 2


def test_runs_in_separate_transactions_are_idempotent_too():
    with session_scope() as s:
        first = seed_demo(s)
    with session_scope() as s:
        second = seed_demo(s)
    with session_scope() as s:
        third = seed_demo(s)
    assert first.created and not second.created and not third.created
    assert second.added == third.added == {}
    assert first.counts == second.counts == third.counts


def test_the_owner_and_the_agent_can_sign_in(session):
    result = seed_demo(session)

    token = sessions.login(session, result.owner_email, result.owner_password)
    signed_in = sessions.resolve(session, token)
    assert (signed_in.tenant_id, signed_in.role) == (result.tenant_id, "owner")
    assert signed_in.tenant_slug == "stride"

    agent_token = sessions.login(session, result.agent_email, result.agent_password)
    assert sessions.resolve(session, agent_token).role == "agent"


def test_every_row_belongs_to_the_demo_tenant(session):
    result = seed_demo(session)
    tid = result.tenant_id

    for model in TENANT_MODELS:
        rows = session.exec(select(model)).all()
        assert all(row.tenant_id == tid for row in rows), model.__name__

    scope = TenantScope(session, tid)
    customers = {c.id for c in scope.all(Customer)}
    services = {s.id for s in scope.all(Service)}
    conversations = {c.id for c in scope.all(Conversation)}
    entries = {e.id for e in scope.all(KnowledgeEntry)}
    assert {o.customer_id for o in scope.all(Order)} <= customers
    assert {a.customer_id for a in scope.all(Appointment)} <= customers
    assert {a.service_id for a in scope.all(Appointment)} <= services
    assert {c.customer_id for c in scope.all(Conversation)} <= customers
    assert {m.conversation_id for m in scope.all(Message)} == conversations
    assert {v.entry_id for v in scope.all(KnowledgeEntryVersion)} == entries
    users = session.exec(select(User)).all()
    assert {m.user_id for m in scope.all(Membership)} == {u.id for u in users}


def test_products_and_services_carry_aliases_and_sensible_values(session):
    result = seed_demo(session)
    scope = TenantScope(session, result.tenant_id)
    products = scope.all(Product)
    services = scope.all(Service)
    skus = {p.sku for p in products}

    for item in [*products, *services]:
        assert len(item.aliases) >= 3, item.name
        assert item.description and item.category
        assert isinstance(item.price, Decimal) and item.price >= 0
    for product in products:
        assert product.price > 0
        assert set(product.related_skus) <= skus and product.sku not in product.related_skus
        assert product.image_url is None or product.image_url.startswith("/assets/")
    by_alias = {alias.lower(): p.sku for p in products for alias in p.aliases}
    assert by_alias["cs90"] == "STR-RUN-CS90"
    assert by_alias["chelsey boots"] == "STR-BOT-CHL"
    assert sum(1 for p in products if p.stock == 0) >= 3
    assert any(not s.is_bookable for s in services) and any(s.is_bookable for s in services)
    assert all(s.duration_minutes > 0 for s in services)
    assert {p["sku"] for p in catalog_data.PRODUCTS} == skus


def test_knowledge_entries_are_distinct_and_versioned(session):
    result = seed_demo(session)
    scope = TenantScope(session, result.tenant_id)
    entries = scope.all(KnowledgeEntry)
    versions = {v.entry_id: v for v in scope.all(KnowledgeEntryVersion)}

    assert len({e.title for e in entries}) == 40
    assert len({e.content for e in entries}) == 40
    assert {e.entry_type for e in entries} == {"faq", "policy", "procedure"}
    assert {"delivery", "returns", "payment", "hours", "sizing", "care", "store", "orders"} <= {
        e.category for e in entries
    }
    for entry in entries:
        sentences = re.split(r"(?<=[.!?])\s+", entry.content.strip())
        assert 2 <= len(sentences) <= 5, entry.title
        assert entry.keywords and entry.version == 1 and entry.is_active and entry.deleted_at is None
        version = versions[entry.id]
        assert version.version == 1
        assert (version.entry_type, version.title, version.content, version.keywords, version.category) == (
            entry.entry_type,
            entry.title,
            entry.content,
            entry.keywords,
            entry.category,
        )


def test_the_persona_is_configured(session):
    result = seed_demo(session)
    config = TenantScope(session, result.tenant_id).first(AgentConfiguration)
    assert config is not None
    assert config.agent_name == "Maya"
    assert config.personality_traits and config.behavioral_restrictions and config.required_disclaimers
    assert "refund dispute" in config.handoff_topics
    assert config.fallback_models
    assert 0 < config.confidence_threshold < 1
    assert config.monthly_budget == Decimal("75.00")


def test_customers_orders_appointments_and_inbox_are_consistent(session):
    result = seed_demo(session)
    scope = TenantScope(session, result.tenant_id)
    now = utcnow()

    for customer in scope.all(Customer):
        assert customer.phone.startswith("whatsapp:+44")
    prices = {p["sku"]: Decimal(p["price"]) for p in catalog_data.PRODUCTS}
    for order in scope.all(Order):
        assert order.items
        for line in order.items:
            assert set(line) == {"sku", "name", "qty", "price"}
            assert isinstance(line["price"], str) and Decimal(line["price"]) == prices[line["sku"]]
        assert order.total == sum(Decimal(line["price"]) * line["qty"] for line in order.items)
    for appointment in scope.all(Appointment):
        assert appointment.starts_at.tzinfo is not None
        if appointment.status == "booked":
            assert appointment.starts_at > now

    conversations = scope.all(Conversation)
    assert [c.status for c in conversations].count("handoff") == 1
    handoff = next(c for c in conversations if c.status == "handoff")
    assert handoff.handoff_reason and handoff.assigned_user_id is not None
    for conversation in conversations:
        messages = scope.all(Message, Message.conversation_id == conversation.id)
        assert conversation.last_activity_at == max(m.created_at for m in messages)
        assert conversation.last_activity_at.tzinfo == UTC
    messages = scope.all(Message)
    assert all(m.provider_sid and m.provider_sid.startswith("SMdemo") for m in messages)
    assert len({m.provider_sid for m in messages}) == len(messages)
    assert all(m.body for m in messages)  # encrypted at rest, readable here
    for message in messages:
        assert (message.direction == "inbound") == (message.sender == "customer")
        assert (message.sent_by_user_id is not None) == (message.sender == "human")


def test_data_modules_are_self_consistent():
    skus = [p["sku"] for p in catalog_data.PRODUCTS]
    assert len(skus) == len(set(skus))
    codes = [s["code"] for s in catalog_data.SERVICES]
    assert len(codes) == len(set(codes))
    keys = [k["key"] for k in knowledge_data.KNOWLEDGE]
    assert len(keys) == len(set(keys)) == 40
    for customer in customers_data.CUSTOMERS:
        for order in customer["orders"]:
            assert all(sku in skus for sku, _ in order["items"])
        for appointment in customer["appointments"]:
            assert appointment["service"] in codes


def test_a_rerun_restores_missing_rows_but_keeps_edits(session):
    result = seed_demo(session)
    scope = TenantScope(session, result.tenant_id)
    scope.delete(scope.first(Product, Product.sku == "STR-ACC-LCE"))
    config = scope.first(AgentConfiguration)
    config.agent_name = "Sam"
    session.add(config)
    session.flush()

    again = seed_demo(session)

    assert again.added == {"products": 1}
    assert again.counts == result.counts
    assert scope.first(AgentConfiguration).agent_name == "Sam"


def test_a_real_tenant_with_the_demo_slug_is_left_alone(session):
    tenants.create_tenant(session, name="Stride Running Ltd", slug="stride")
    with pytest.raises(AccountError, match="not created by the demo seed"):
        seed_demo(session)
    assert session.exec(select(Product)).all() == []


def test_the_demo_starts_without_a_sender_when_the_sandbox_number_is_taken(session):
    other = tenants.create_tenant(session, name="Elsewhere", slug="elsewhere", whatsapp_from=SENDER)
    result = seed_demo(session)
    assert result.created and result.whatsapp_sender is None
    assert tenants.find_by_sender(session, SENDER).id == other.id


def test_the_command_prints_the_passwords_only_once(capsys):
    assert main(["seed-demo"]) == 0
    first = capsys.readouterr().out
    assert main(["seed-demo"]) == 0
    second = capsys.readouterr().out

    password = re.search(r"owner@stride\.example\s+password: (\S+)", first)
    assert password is not None
    assert "created." in first
    assert "already existed." in second and "Nothing to add" in second
    assert password.group(1) not in second
    with session_scope() as s:
        assert sessions.login(s, "owner@stride.example", password.group(1))
