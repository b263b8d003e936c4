"""/api/v1/settings: General and Features through a token; every settings route needs integrations:manage;
and no response of the API — settings or not, success or refusal — carries a stored secret."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.models import AuditLog
from tests.engine.http.api_env import ApiEnv

GENERAL = "/settings/general"
FEATURES = "/settings/features"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
API_KEY_SECRET = "kS3cretOfTheApiKey-9f8e7d"
SMTP_PASSWORD = "smtp-Pa55word-x81q"
ACCOUNT_SID = "AC" + "2" * 32

EVERY_SETTINGS_ROUTE: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", GENERAL, None),
    ("PUT", GENERAL, {"name": "X"}),
    ("GET", FEATURES, None),
    ("PUT", FEATURES, {"agent_mode": "off"}),
    ("GET", "/settings/whatsapp", None),
    ("PUT", "/settings/whatsapp/credentials", {"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN}),
    ("POST", "/settings/whatsapp/senders", {"address": "+447700900777"}),
    ("DELETE", "/settings/whatsapp/senders/+447700900777", None),
    ("POST", "/settings/whatsapp/senders/+447700900777/default", None),
    ("POST", "/settings/whatsapp/test", None),
    ("GET", "/settings/email", None),
    ("PUT", "/settings/email", {"host": "smtp.example.com"}),
    ("DELETE", "/settings/email", None),
    ("POST", "/settings/email/test", {"to": "a@b.test"}),
]


def _audit_actions(tenant_id: int) -> list[tuple[str, str | None]]:
    with session_scope() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.tenant_id == tenant_id)).all()
        return [(r.action, r.actor_label) for r in rows]


# ---------------------------------------------------------------------------------------------- General


def test_general_is_read_and_changed_and_audited(api: ApiEnv) -> None:
    got = api.call("GET", GENERAL)
    assert got.status_code == 200, got.text
    assert set(got.json()) == {"name", "slug", "time_zone", "currency", "agent_language", "business_hours"}
    hours = {"mon": [["13:30", "18:00"], ["09:00", "12:30"]], "sun": []}
    put = api.call(
        "PUT",
        GENERAL,
        json={
            "name": "  Stride   Running ",
            "time_zone": "Europe/London",
            "currency": "gbp",
            "business_hours": hours,
        },
    )
    assert put.status_code == 200, put.text
    body = put.json()
    assert (body["name"], body["time_zone"], body["currency"]) == ("Stride Running", "Europe/London", "GBP")
    assert body["business_hours"]["mon"] == [["09:00", "12:30"], ["13:30", "18:00"]]
    assert body["business_hours"]["tue"] == []
    assert api.call("GET", GENERAL).json() == body
    assert ("workspace.updated", "api") in _audit_actions(api.tenant_a)
    assert api.call("PUT", GENERAL, json={"agent_language": "es"}).json()["name"] == "Stride Running"


def test_general_refusals_name_each_field_and_save_nothing(api: ApiEnv) -> None:
    before = api.call("GET", GENERAL).json()
    response = api.call(
        "PUT",
        GENERAL,
        json={
            "name": "Renamed",
            "time_zone": "Mars/Olympus",
            "currency": "XYZ",
            "agent_language": "tlh",
            "business_hours": {"mon": [["18:00", "09:00"]]},
        },
    )
    assert response.status_code == 422, response.text
    details = {d["field"]: d["message"] for d in response.json()["error"]["details"]}
    assert set(details) == {"time_zone", "currency", "agent_language", "business_hours.mon"}
    assert details["time_zone"] == "choose a time zone from the list"
    assert api.call("GET", GENERAL).json() == before


def test_general_bad_bodies_are_422(api: ApiEnv) -> None:
    region = api.call("PUT", GENERAL, json={"time_zone": "America/Argentina"})  # a folder of zones, not one
    assert region.status_code == 422 and region.json()["error"]["details"][0]["field"] == "time_zone"
    for body in ({"nope": 1}, {"name": 12}, {"business_hours": {"mon": [["09:00", "12:00", "13:00"]]}}):
        response = api.call("PUT", GENERAL, json=body)
        assert response.status_code == 422, body


def test_general_is_per_tenant(api: ApiEnv) -> None:
    api.call("PUT", GENERAL, json={"name": "Only A"})
    assert api.call("GET", GENERAL, token="all_b").json()["name"] != "Only A"


# --------------------------------------------------------------------------------------------- Features


def test_the_agent_mode_is_switched_and_audited(api: ApiEnv) -> None:
    got = api.call("GET", FEATURES).json()
    assert got["agent_mode"] == "ai"
    assert [m["mode"] for m in got["modes"]] == ["ai", "rules", "off"]
    assert all(m["description"] for m in got["modes"])
    put = api.call("PUT", FEATURES, json={"agent_mode": "off"})
    assert put.status_code == 200 and put.json()["agent_mode"] == "off"
    assert api.call("GET", FEATURES).json()["agent_mode"] == "off"
    assert api.call("GET", FEATURES, token="all_b").json()["agent_mode"] == "ai"
    assert ("agent.mode", "api") in _audit_actions(api.tenant_a)


def test_a_bad_agent_mode_is_422_naming_the_field(api: ApiEnv) -> None:
    for body in ({"agent_mode": "chaos"}, {}, {"agent_mode": "ai", "extra": True}):
        response = api.call("PUT", FEATURES, json=body)
        assert response.status_code == 422, body
    wrong = api.call("PUT", FEATURES, json={"agent_mode": "chaos"}).json()["error"]["details"]
    assert wrong[0]["loc"] == ["body", "agent_mode"]
    assert api.call("GET", FEATURES).json()["agent_mode"] == "ai"


# ------------------------------------------------------------------------------------ every settings route


def test_every_settings_route_needs_integrations_manage(api: ApiEnv) -> None:
    for method, path, body in EVERY_SETTINGS_ROUTE:
        for token in ("conversations:reply", "analytics:view", "customers:manage"):
            response = api.call(method, path, token=token, json=body)
            assert response.status_code == 403, f"{method} {path} {token}: {response.status_code}"
        assert api.call(method, path, token=None, json=body).status_code == 401
    assert [a for a in _audit_actions(api.tenant_a) if a[1] == "api"] == []


def _store_every_secret(api: ApiEnv) -> None:
    assert api.call(
        "PUT",
        "/settings/whatsapp/credentials",
        json={"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN},
    ).is_success
    assert api.call(
        "PUT",
        "/settings/whatsapp/credentials",
        json={"api_key_sid": "SK" + "3" * 32, "api_key_secret": API_KEY_SECRET},
    ).is_success
    assert api.call(
        "PUT",
        "/settings/email",
        json={
            "host": "127.0.0.1",
            "port": 9,  # the discard port: nothing listens, so the test email fails fast
            "tls": "none",
            "sender": "shop@example.com",
            "username": "shop",
            "password": SMTP_PASSWORD,
        },
    ).is_success


def test_no_response_carries_a_stored_secret(api: ApiEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:9")  # the connection test fails fast, offline
    reset_settings_cache()
    _store_every_secret(api)
    secrets = (AUTH_TOKEN, API_KEY_SECRET, SMTP_PASSWORD)
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        *[c for c in EVERY_SETTINGS_ROUTE if c[0] != "DELETE" or "senders" in c[1]],
        # refusals, some of them next to a good secret
        ("PUT", "/settings/whatsapp/credentials", {"account_sid": "nope", "auth_token": "short"}),
        ("PUT", "/settings/whatsapp/credentials", {"api_key_sid": "SK" + "4" * 32}),
        ("PUT", "/settings/email", {"port": 0, "tls": "pigeon"}),
        ("PUT", "/settings/email", {"username": "", "password": "new-one"}),
        ("POST", "/settings/whatsapp/senders", {"address": "07700"}),
        ("DELETE", "/settings/whatsapp/senders/999999", None),
    ]
    document = api.call("GET", "/openapi.json", token=None).json()
    plain_gets = [
        p for p, item in document["paths"].items() if "get" in item and "{" not in p and "export" not in p
    ]
    calls += [("GET", p, None) for p in plain_gets]
    for method, path, body in calls:
        response = api.call(method, path, json=body)
        assert response.status_code < 500, f"{method} {path}: {response.text[:200]}"
        for secret in secrets:
            assert secret not in response.text, f"{method} {path} answered a stored secret"
    assert len(calls) > 30  # the settings routes, refusals, and every plain GET of the document
    whatsapp = api.call("GET", "/settings/whatsapp").json()
    assert whatsapp["auth_token"] == {"set": True, "ends_with": "cdef"}
    assert whatsapp["api_key_secret"] == {"set": True, "ends_with": "8e7d"}
    assert whatsapp["account_sid"] == "AC••••2222" and ACCOUNT_SID not in str(whatsapp)
    assert api.call("GET", "/settings/email").json()["password"] == {"set": True, "ends_with": "x81q"}


def test_the_document_lists_every_settings_route_with_its_scope_and_examples(api: ApiEnv) -> None:
    document = api.call("GET", "/openapi.json", token=None).json()
    listed = {
        (m.upper(), p): op
        for p, item in document["paths"].items()
        if p.startswith("/settings")
        for m, op in item.items()
    }
    expected = {(m, p.replace("+447700900777", "{sender}")) for m, p, _ in EVERY_SETTINGS_ROUTE}
    assert set(listed) == expected
    for where, op in listed.items():
        assert op["x-required-scope"] == "integrations:manage", where
        assert (
            "example"
            in next(r for c, r in op["responses"].items() if c.startswith("2"))["content"]["application/json"]
        ), where
