"""/api/v1/analytics/satisfaction on the shop of tests/engine/analytics/test_satisfaction.py: its figures
as JSON (words for codes), 403 without `analytics:view`, 422 on a bad range."""

from __future__ import annotations

from fastapi.testclient import TestClient

from engine.accounts import api_tokens
from engine.db import session_scope
from engine.http.app import create_app
from tests.engine.analytics.test_satisfaction import GONE, seed
from tests.factories import new_user

RANGE = {"from": "2026-11-02", "to": "2026-11-04", "tz": "America/New_York"}


def _tokens(tenant_id: int) -> tuple[str, str]:
    with session_scope() as s:
        owner = new_user(s, tenant_id, "owner", email="owner@harbor-sat.test")
        view = api_tokens.create_token(
            s, tenant_id, name="bi", scopes=["analytics:view"], created_by_user_id=owner
        ).token
        other = api_tokens.create_token(
            s, tenant_id, name="cs", scopes=["conversations:reply"], created_by_user_id=owner
        ).token
    return view, other


def test_satisfaction_figures_as_json() -> None:
    tenant_id, ids, k1 = seed()
    view, other = _tokens(tenant_id)
    http = TestClient(create_app())

    def get(token: str, **params: str):
        headers = {"Authorization": f"Bearer {token}"}
        return http.get("/api/v1/analytics/satisfaction", params={**RANGE, **params}, headers=headers)

    assert get(other).status_code == 403
    assert get(view, to="2026-11-01").status_code == 422
    body = get(view).json()
    assert body["range"] == {
        "from": "2026-11-02",
        "to": "2026-11-04",
        "granularity": "day",
        "tz": RANGE["tz"],
    }
    assert body["totals"] == {
        "conversations": 5,
        "decided": 4,
        "resolved": 3,
        "resolved_pct": 75,
        "resolved_by_agent": 2,
        "resolved_by_agent_pct": 50,
        "rated": 3,
        "rated_good": 2,
        "csat_pct": 67,
    }
    assert [(d["date"], d["resolved_by_agent_pct"], d["csat_pct"]) for d in body["series"]] == [
        ("2026-11-02", 100, 100),
        ("2026-11-03", 0, 0),
        ("2026-11-04", 50, 100),
    ]
    assert [(h["handler"], h["label"], h["resolved_pct"], h["csat_pct"]) for h in body["by_handler"]] == [
        ("agent", "The agent alone", 67, 50),
        ("person", "With a person", 100, 100),
    ]
    assert body["by_topic"][0]["label"] == "Order status"
    assert body["by_topic"][0]["kind"] == "intent"
    assert [(e["entry_id"], e["title"], e["conversations"]) for e in body["by_knowledge_entry"]] == [
        (k1, "Delivery times", 2),
        (GONE, "Refunds (old)", 2),
    ]
    assert [(c["conversation_id"], c["comment"], c["low"]) for c in body["comments"]] == [
        (ids["B"], "still no refund", True),
        (ids["A"], "quick, thanks", False),
    ]
