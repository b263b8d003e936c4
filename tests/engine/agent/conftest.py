"""A small shop for the agent's tests: a few products (with relations), services, knowledge entries, a
customer with an order and an appointment, and a WhatsApp conversation. Small on purpose: the demo tenant
(tests/quality/agent) takes seconds to seed, this takes a fraction.

`scripted_llm` points the tenant at the scripted OpenAI-compatible server (tests/fakes/openai_server.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from engine.accounts.secrets import set_secret
from engine.accounts.tenants import create_tenant
from engine.catalog import create_product, create_service
from engine.db import TenantScope, session_scope
from engine.knowledge.service import create_entry
from engine.models import AgentConfiguration, Appointment, Conversation, Customer, Order, Service, utcnow
from tests.fakes.openai_server import (
    FakeOpenAIServer,
    fake_openai,  # noqa: F401 - the server fixture
)

PRODUCTS: list[dict[str, Any]] = [
    {
        "sku": "RUN-1",
        "name": "Cloudstep 90 Running Shoe",
        "aliases": ["cloudstep", "cs90", "cloudstpe"],
        "description": "Neutral road running shoe, 8 mm drop.",
        "category": "running",
        "price": "95.00",
        "stock": 10,
        "related_skus": [],
    },
    {
        "sku": "SCK-1",
        "name": "Running Socks",
        "aliases": ["socks"],
        "category": "socks",
        "price": "12.00",
        "stock": 0,
    },
    {
        "sku": "INS-1",
        "name": "Support Insoles",
        "aliases": ["insoles"],
        "category": "accessories",
        "price": "25.00",
        "stock": 5,
    },
    {
        "sku": "BOT-1",
        "name": "Camden Chelsea Boot",
        "aliases": ["chelsea boots"],
        "category": "boots",
        "price": "120.00",
        "stock": 3,
    },
]
SERVICES: list[dict[str, Any]] = [
    {
        "code": "SVC-GAIT",
        "name": "Gait Analysis",
        "aliases": ["gait analysis"],
        "description": "A treadmill assessment of your running style, for running shoes that fit.",
        "price": "20.00",
        "duration_minutes": 30,
    },
]
KNOWLEDGE: list[dict[str, Any]] = [
    {
        "title": "Store opening hours",
        "content": "Our store opens Monday to Saturday 9:30-18:00 and Sunday 11:00-17:00.",
        "keywords": ["opening hours", "open", "sunday", "time"],
    },
    {
        "title": "Standard delivery",
        "content": "Standard UK delivery costs £3.95 and takes 3 to 5 working days; free over £50.",
        "keywords": ["delivery", "shipping", "postage"],
    },
    {
        "title": "Returns policy",
        "content": "Return unworn items within 30 days for a full refund.",
        "keywords": ["return", "refund", "exchange"],
    },
]


@dataclass
class Shop:
    tenant_id: int
    customer_id: int
    conversation_id: int

    def new_conversation(self, *, channel: str = "whatsapp") -> int:
        with session_scope() as s:
            return int(
                TenantScope(s, self.tenant_id)
                .add(Conversation(customer_id=self.customer_id, channel=channel))
                .id
            )


def configure(tenant_id: int, **fields: Any) -> None:
    with session_scope() as s:
        config = TenantScope(s, tenant_id).first(AgentConfiguration)
        assert config is not None
        for key, value in fields.items():
            setattr(config, key, value)
        s.add(config)
    from engine.agent.persona import invalidate_agent_configuration

    invalidate_agent_configuration(tenant_id)


def build_shop(slug: str = "shop") -> Shop:
    with session_scope() as s:
        tenant_id = create_tenant(s, name="Acme Shoes", slug=slug, currency="GBP").id
        for data in PRODUCTS[1:]:
            create_product(s, tenant_id, data)
        create_product(s, tenant_id, {**PRODUCTS[0], "related_skus": ["SCK-1", "INS-1"]})
        for data in SERVICES:
            create_service(s, tenant_id, data)
        for data in KNOWLEDGE:
            create_entry(s, tenant_id, data)
        scope = TenantScope(s, tenant_id)
        customer = scope.add(
            Customer(phone="whatsapp:+447700900555", name="Ada Lovelace", key_facts={"shoe_size": "UK 6"})
        )
        scope.add(
            Order(
                customer_id=customer.id,
                order_number="ACM-10001",
                status="shipped",
                items=[{"sku": "BOT-1", "name": "Camden Chelsea Boot", "qty": 1, "price": "120.00"}],
                total=Decimal("120.00"),
            )
        )
        gait = scope.first(Service)
        scope.add(
            Appointment(customer_id=customer.id, service_id=gait.id, starts_at=utcnow() + timedelta(days=3))
        )
        conversation = scope.add(Conversation(customer_id=customer.id))
        config = scope.first(AgentConfiguration)
        config.agent_name = "Maya"
        config.confidence_threshold = 0.6
        config.handoff_topics = ["refund dispute", "injury or medical advice", "legal threat"]
        config.required_disclaimers = ["Stock changes quickly."]
        s.add(config)
        return Shop(tenant_id, int(customer.id), int(conversation.id))


@pytest.fixture
def shop() -> Shop:
    return build_shop()


@pytest.fixture
def scripted_llm(shop: Shop, fake_openai: FakeOpenAIServer) -> FakeOpenAIServer:  # noqa: F811
    """The shop on OpenAI through the scripted server (gpt-4o-mini, fallback gpt-4.1-nano)."""
    configure(
        shop.tenant_id,
        llm_provider="openai",
        llm_base_url=fake_openai.openai_base_url,
        default_model="gpt-4o-mini",
        fallback_models=["gpt-4.1-nano"],
        monthly_budget=Decimal("10.00"),
    )
    with session_scope() as s:
        set_secret(s, shop.tenant_id, "openai_api_key", "sk-test-key-0001")
    return fake_openai


def turn(reply: str = "Sure!", *, confidence: float = 0.9, **fields: Any) -> dict[str, Any]:
    """An AgentTurn the scripted model answers with."""
    return {
        "reply": reply,
        "intents": fields.pop("intents", [{"name": "faq", "confidence": 0.9}]),
        "confidence": confidence,
        "handoff": fields.pop("handoff", {"needed": False, "reason": None}),
        "suggestions": fields.pop("suggestions", []),
        "facts": fields.pop("facts", {}),
        "rich": fields.pop("rich", None),
        **fields,
    }
