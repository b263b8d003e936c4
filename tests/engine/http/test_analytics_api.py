"""/api/v1/analytics: figures for a range of local days (the shop of tests/engine/analytics/conftest.py),
403 without `analytics:view`, 422 on a bad range."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from engine.accounts import api_tokens
from engine.db import session_scope
from engine.http.app import create_app
from engine.models.analytics import KnowledgeGap
from tests.engine.analytics.conftest import Shop, seed, utc
from tests.factories import new_user

RANGE = {"from": "2026-10-31", "to": "2026-11-02", "tz": "America/New_York"}


@dataclass
class Client:
    http: TestClient
    shop: Shop
    token: str
    other_scope: str

    def get(self, path: str, token: str | None = None, **params: str) -> object:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return self.http.get(f"/api/v1/analytics{path}", params={**RANGE, **params}, headers=headers)


@pytest.fixture
def client() -> Iterator[Client]:
    shop = seed()
    with session_scope() as s:
        owner = new_user(s, shop.tenant_id, "owner", email="owner@harbor.test")
        token = api_tokens.create_token(
            s, shop.tenant_id, name="bi", scopes=["analytics:view"], created_by_user_id=owner
        ).token
        other = api_tokens.create_token(
            s, shop.tenant_id, name="cs", scopes=["conversations:reply"], created_by_user_id=owner
        ).token
    yield Client(TestClient(create_app()), shop, token, other)


PATHS = [
    "/conversations",
    "/handoffs",
    "/costs",
    "/topics",
    "/performance",
    "/knowledge-gaps",
    "/satisfaction",
]


@pytest.mark.parametrize("path", PATHS)
def test_each_route_needs_analytics_view(client: Client, path: str) -> None:
    refused = client.get(path, token=client.other_scope)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert client.get(path).status_code == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"from": "2026-11-02", "to": "2026-11-01"}, "from"),
        ({"from": "2024-01-01", "to": "2026-11-01"}, "to"),
        ({"tz": "Nowhere/Atlantis"}, "tz"),
        ({"granularity": "hour"}, "granularity"),
        ({"from": "yesterday"}, "from"),
    ],
)
def test_a_bad_range_is_422_naming_the_parameter(client: Client, params: dict[str, str], named: str) -> None:
    got = client.get("/conversations", **params)
    assert got.status_code == 422  # type: ignore[attr-defined]
    assert named in str(got.json())  # type: ignore[attr-defined]


def test_conversations_per_local_day(client: Client) -> None:
    body = client.get("/conversations").json()  # type: ignore[attr-defined]
    assert body["range"] == {
        "from": "2026-10-31",
        "to": "2026-11-02",
        "granularity": "day",
        "tz": "America/New_York",
    }
    assert [(d["date"], d["conversations"], d["with_person"]) for d in body["series"]] == [
        ("2026-10-31", 1, 0),
        ("2026-11-01", 2, 1),
        ("2026-11-02", 1, 0),
    ]
    assert body["resolution"]["by_agent_pct"] == 75


def test_a_weekly_series(client: Client) -> None:
    body = client.get("/conversations", granularity="week").json()  # type: ignore[attr-defined]
    assert [(d["date"], d["conversations"]) for d in body["series"]] == [("2026-10-26", 3), ("2026-11-02", 1)]


def test_costs_are_decimal_strings_with_currency_and_price_date(client: Client) -> None:
    body = client.get("/costs").json()  # type: ignore[attr-defined]
    assert (body["currency"], body["total"], body["per_conversation"]) == ("USD", "0.011879", "0.003960")
    assert body["prices_as_of"] == "2025-06-01"
    assert body["per_provider"] == [
        {"provider": "openai", "cost": "0.011579"},
        {"provider": "together", "cost": "0.000300"},
    ]
    assert body["per_model"][2]["label"] == "Llama-3.3-70B-Instruct-Turbo"


def test_handoffs_topics_and_performance(client: Client) -> None:
    handoffs = client.get("/handoffs").json()  # type: ignore[attr-defined]
    assert handoffs["rate_pct"] == 25
    assert handoffs["reasons"][0] == {
        "category": "no_answer",
        "label": "No answer in your knowledge or catalog",
        "count": 1,
        "share_pct": 50,
    }
    topics = client.get("/topics").json()  # type: ignore[attr-defined]
    assert topics["intents"][0] == {"intent": "opening_hours", "label": "Opening hours", "turns": 2}
    performance = client.get("/performance").json()  # type: ignore[attr-defined]
    assert performance["first_response"] == {
        "p50_seconds": 20.0,
        "p95_seconds": 40.0,
        "p99_seconds": 40.0,
        "count": 4,
    }
    assert performance["knowledge_hit_pct"] == 20


def test_knowledge_gaps_of_the_last_run(client: Client) -> None:
    with session_scope() as s:
        s.add(
            KnowledgeGap(
                tenant_id=client.shop.tenant_id,
                question="Do you gift wrap?",
                examples=["can you wrap it as a present"],
                size=3,
                reasons={"no_hit": 3},
                first_seen_at=utc(11, 1, 9, 0),
                last_seen_at=utc(11, 2, 9, 0),
                computed_at=utc(11, 3, 3, 0),
            )
        )
        s.add(
            KnowledgeGap(
                tenant_id=client.shop.other_tenant_id,
                question="Elsewhere's question",
                size=9,
                first_seen_at=utc(11, 1, 9, 0),
                last_seen_at=utc(11, 2, 9, 0),
            )
        )
    body = client.get("/knowledge-gaps").json()  # type: ignore[attr-defined]
    assert [(g["question"], g["count"], g["examples"]) for g in body["groups"]] == [
        ("Do you gift wrap?", 3, ["can you wrap it as a present"])
    ]
