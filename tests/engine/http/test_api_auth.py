"""/api/v1 refuses missing, wrong, revoked tokens (401) and tokens without the scope or tenant (403)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from engine.accounts import api_tokens
from engine.db import session_scope
from engine.http.app import create_app
from tests.factories import new_tenant


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def tenants_and_tokens() -> dict[str, object]:
    with session_scope() as session:
        a, b = new_tenant(session), new_tenant(session)
        return {
            "a": a,
            "b": b,
            "analytics_a": api_tokens.create_token(session, a, name="bi", scopes="analytics:view").token,
            "campaigns_a": api_tokens.create_token(session, a, name="cm", scopes="campaigns:manage").token,
        }


def _get(client: TestClient, path: str, token: str | None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get(path, headers=headers)
    return response.status_code, response.json()


def test_a_token_with_the_scope_reads_its_own_tenant(client: TestClient, tenants_and_tokens: dict) -> None:
    status, body = _get(client, "/api/v1/tenant", tenants_and_tokens["analytics_a"])
    assert status == 200 and body["id"] == tenants_and_tokens["a"]
    status, _ = _get(client, f"/api/v1/tenants/{tenants_and_tokens['a']}", tenants_and_tokens["analytics_a"])
    assert status == 200


@pytest.mark.parametrize(
    ("token", "message"),
    [(None, "missing bearer token"), ("prl_not-a-real-token", "invalid API token")],
)
def test_missing_or_unknown_tokens_get_401_with_a_json_reason(
    client: TestClient, tenants_and_tokens: dict, token: str | None, message: str
) -> None:
    status, body = _get(client, "/api/v1/tenant", token)
    assert status == 401 and body == {"error": {"status": 401, "message": message}}


def test_a_revoked_token_gets_401(client: TestClient, tenants_and_tokens: dict) -> None:
    with session_scope() as session:
        issued = api_tokens.create_token(
            session, tenants_and_tokens["a"], name="old", scopes="analytics:view"
        )
        api_tokens.revoke_token(session, tenants_and_tokens["a"], issued.info.id)
    status, body = _get(client, "/api/v1/tenant", issued.token)
    assert status == 401 and "revoked" in body["error"]["message"]


def test_a_token_without_the_scope_gets_403(client: TestClient, tenants_and_tokens: dict) -> None:
    status, body = _get(client, "/api/v1/tenant", tenants_and_tokens["campaigns_a"])
    assert status == 403 and body["error"]["message"] == "this token lacks the scope 'analytics:view'"


def test_a_token_of_another_tenant_gets_403(client: TestClient, tenants_and_tokens: dict) -> None:
    status, body = _get(
        client, f"/api/v1/tenants/{tenants_and_tokens['b']}", tenants_and_tokens["analytics_a"]
    )
    assert status == 403 and body["error"]["message"] == "this token belongs to another tenant"


def test_the_api_publishes_its_openapi_document(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and "/tenant" in response.json()["paths"]


def test_each_token_is_rate_limited_with_retry_after(
    client: TestClient, tenants_and_tokens: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.http import deps

    monkeypatch.setattr(deps, "API_TOKEN_RATE", "3/minute")
    statuses = [_get(client, "/api/v1/tenant", tenants_and_tokens["analytics_a"])[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(
        "/api/v1/tenant", headers={"Authorization": f"Bearer {tenants_and_tokens['analytics_a']}"}
    )
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"]["status"] == 429
    # another token of the same tenant has its own count
    with session_scope() as session:
        other = api_tokens.create_token(
            session, tenants_and_tokens["a"], name="bi2", scopes="analytics:view"
        ).token
    assert _get(client, "/api/v1/tenant", other)[0] == 200
