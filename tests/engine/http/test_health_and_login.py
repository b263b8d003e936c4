"""Health reports the stores; console sign-in sets an HttpOnly cookie and never redirects off-site."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from engine.accounts import sessions
from engine.db import session_scope
from engine.http.app import create_app
from tests.factories import new_tenant, new_user


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(), follow_redirects=False)


def test_healthz_checks_the_database_and_lancedb(client: TestClient) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["lancedb"]["ok"]


def test_healthz_says_503_when_the_database_is_down(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.http import health

    def broken() -> None:
        raise ConnectionError("connection refused")

    monkeypatch.setattr(health, "_check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "error": "ConnectionError: connection refused",
    }


@pytest.fixture
def owner() -> None:
    with session_scope() as session:
        new_user(session, new_tenant(session), "owner", email="owner@example.com")


def test_signing_in_sets_an_httponly_session_cookie(client: TestClient, owner: None) -> None:
    response = client.post(
        "/api/auth/login",
        data={"email": "owner@example.com", "password": "correct horse battery", "next": "/knowledge"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/knowledge"
    cookie = response.headers["set-cookie"]
    assert (
        cookie.startswith(f"{sessions.SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    )
    token = response.cookies[sessions.SESSION_COOKIE]
    with session_scope() as session:
        assert sessions.resolve(session, token).email == "owner@example.com"


def test_a_wrong_password_returns_to_the_login_page_with_the_reason(client: TestClient, owner: None) -> None:
    response = client.post("/api/auth/login", data={"email": "owner@example.com", "password": "nope"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?error=wrong+email+or+password")
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil"])
def test_sign_in_never_redirects_off_site(client: TestClient, owner: None, target: str) -> None:
    response = client.post(
        "/api/auth/login",
        data={"email": "owner@example.com", "password": "correct horse battery", "next": target},
    )
    assert response.headers["location"] == "/"


def test_sign_out_revokes_the_session_and_clears_the_cookie(client: TestClient, owner: None) -> None:
    login = client.post(
        "/api/auth/login", data={"email": "owner@example.com", "password": "correct horse battery"}
    )
    token = login.cookies[sessions.SESSION_COOKIE]
    client.cookies.set(sessions.SESSION_COOKIE, token)
    response = client.post("/api/auth/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    with pytest.raises(Exception, match="ended"), session_scope() as session:
        sessions.resolve(session, token)


def test_the_page_asked_for_survives_a_submit_before_the_form_knew_it(
    client: TestClient, owner: None
) -> None:
    response = client.post(
        "/api/auth/login",
        data={"email": "owner@example.com", "password": "correct horse battery", "next": "/"},
        headers={"referer": "http://testserver/login?next=/settings?tab=team"},
    )
    assert response.headers["location"] == "/settings?tab=team"
