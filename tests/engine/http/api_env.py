"""Two tenants, each with a conversation and a customer, and tokens: one per scope for tenant A, and one
with every scope for each tenant; the `api` fixture of tests/engine/http (conftest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from engine.accounts import api_tokens
from engine.db import TenantScope, session_scope
from engine.http.app import create_app
from engine.models import Conversation, Customer, Message
from engine.security.scopes import API_SCOPES
from tests.factories import new_tenant, new_user


@dataclass
class ApiEnv:
    client: TestClient
    tenant_a: int
    tenant_b: int
    tokens: dict[str, str]  # scope → a token of tenant A with that scope alone; "all"/"all_b": every scope
    conversation_a: int
    conversation_b: int
    customer_a: int
    customer_b: int
    extra: dict[str, Any] = field(default_factory=dict)

    def call(self, method: str, path: str, token: str | None = "all", **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens.get(token, token)}"} if token else {}
        headers.update(kwargs.pop("headers", None) or {})
        return self.client.request(method, "/api/v1" + path, headers=headers, **kwargs)


def _seed(session: Any, tenant_id: int, phone: str) -> tuple[int, int]:
    scope = TenantScope(session, tenant_id)
    customer = scope.add(Customer(phone=phone, name="Ada", opted_in=True))
    conversation = scope.add(Conversation(customer_id=customer.id, status="bot"))
    scope.add(Message(conversation_id=conversation.id, direction="inbound", body="Do you have size 42?"))
    return customer.id, conversation.id  # type: ignore[return-value]


@pytest.fixture
def api() -> ApiEnv:
    with session_scope() as s:
        a, b = new_tenant(s), new_tenant(s)
        owner_a, owner_b = new_user(s, a, "owner"), new_user(s, b, "owner")
        every = sorted(API_SCOPES)
        tokens = {
            scope: api_tokens.create_token(s, a, name=scope, scopes=scope, created_by_user_id=owner_a).token
            for scope in every
        }
        tokens["all"] = api_tokens.create_token(
            s, a, name="all", scopes=every, created_by_user_id=owner_a
        ).token
        tokens["all_b"] = api_tokens.create_token(
            s, b, name="all", scopes=every, created_by_user_id=owner_b
        ).token
        customer_a, conversation_a = _seed(s, a, "whatsapp:+447700900001")
        customer_b, conversation_b = _seed(s, b, "whatsapp:+447700900002")
    return ApiEnv(
        client=TestClient(create_app()),
        tenant_a=a,
        tenant_b=b,
        tokens=tokens,
        conversation_a=conversation_a,
        conversation_b=conversation_b,
        customer_a=customer_a,
        customer_b=customer_b,
    )
