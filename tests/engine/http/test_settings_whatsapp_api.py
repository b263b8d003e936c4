"""/api/v1/settings/whatsapp: credentials (secrets masked), senders by id or number (another tenant's: 404),
and the connection test against the fake Twilio server behind TWILIO_API_BASE_URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from engine.accounts.secrets import get_secret
from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.models import AuditLog
from tests.engine.http.api_env import ApiEnv
from tests.fakes.twilio_server import FakeTwilioServer

BASE = "/settings/whatsapp"
SID = "AC" + "ab12" * 8
TOKEN = "c0ffee" * 5 + "42"
NEW_TOKEN = "f" * 32


@pytest.fixture
def twilio(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTwilioServer]:
    with FakeTwilioServer() as server:
        monkeypatch.setenv("TWILIO_API_BASE_URL", server.base_url)
        reset_settings_cache()
        yield server


def _connect(api: ApiEnv, **body: str) -> dict:
    response = api.call("PUT", f"{BASE}/credentials", json={"account_sid": SID, "auth_token": TOKEN, **body})
    assert response.status_code == 200, response.text
    return response.json()


def test_credentials_are_stored_and_shown_masked(api: ApiEnv) -> None:
    empty = api.call("GET", BASE).json()
    assert empty["connected"] is False and empty["auth_token"] == {"set": False, "ends_with": None}
    assert empty["inbound_webhook_url"].endswith("/webhooks/twilio/whatsapp")
    assert empty["status_webhook_url"].endswith("/webhooks/twilio/status")
    (own,) = empty["senders"]
    assert own["number"].startswith("+1415555") and own["is_default"] and own["id"] > 0

    body = _connect(api)
    assert body["connected"] and body["account_sid"] == "AC••••ab12"
    assert body["auth_token"] == {"set": True, "ends_with": "ee42"}
    assert TOKEN not in str(body) and SID not in str(body)
    with session_scope() as s:
        assert get_secret(s, api.tenant_a, "twilio_auth_token") == TOKEN
        saved = s.exec(select(AuditLog).where(AuditLog.action == "whatsapp.credentials.saved")).one()
        assert saved.actor_label == "api" and TOKEN not in str(saved.details)

    rotated = api.call("PUT", f"{BASE}/credentials", json={"auth_token": NEW_TOKEN}).json()
    assert rotated["auth_token"]["ends_with"] == "ffff" and rotated["previous_token_pending"]
    assert rotated["account_sid"] == "AC••••ab12"  # left out: the stored SID is kept
    assert api.call("GET", BASE, token="all_b").json()["connected"] is False


def test_refused_credentials_are_422_naming_each_field(api: ApiEnv) -> None:
    response = api.call(
        "PUT",
        f"{BASE}/credentials",
        json={"account_sid": "AC123", "auth_token": "short", "api_key_sid": "SK" + "1" * 32},
    )
    assert response.status_code == 422, response.text
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"account_sid", "auth_token", "api_key_secret"}
    assert "short" not in response.text
    assert api.call("PUT", f"{BASE}/credentials", json={}).json()["error"]["details"][0]["field"] in {
        "account_sid",
        "auth_token",
    }
    for body in ({"account_sid": SID, "password": "x"}, {"auth_token": 123}, {"auth_token": "a" * 500}):
        assert api.call("PUT", f"{BASE}/credentials", json=body).status_code == 422, body
    assert api.call("GET", BASE).json()["connected"] is False


def test_senders_are_added_made_default_and_removed_by_id_or_number(api: ApiEnv) -> None:
    (original,) = api.call("GET", BASE).json()["senders"]
    added = api.call("POST", f"{BASE}/senders", json={"address": "+44 7700 900555", "label": "Shop"})
    assert added.status_code == 201, added.text
    sender = added.json()
    assert sender["address"] == "whatsapp:+447700900555" and sender["number"] == "+447700900555"
    assert (sender["label"], sender["is_default"]) == ("Shop", False)

    made = api.call("POST", f"{BASE}/senders/{sender['id']}/default")
    assert made.status_code == 200 and made.json()["is_default"] is True
    listed = api.call("GET", BASE).json()["senders"]
    assert [s["is_default"] for s in listed] == [True, False] and listed[0]["id"] == sender["id"]
    assert api.call("POST", f"{BASE}/senders/whatsapp:{original['number']}/default").json()["is_default"]

    removed = api.call("DELETE", f"{BASE}/senders/%2B447700900555")  # a client that encodes the "+"
    assert removed.status_code == 200, removed.text
    assert removed.json() == {"deleted": True, "id": sender["id"], "address": "whatsapp:+447700900555"}
    assert [s["id"] for s in api.call("GET", BASE).json()["senders"]] == [original["id"]]
    with session_scope() as s:
        labels = {
            (a.action, a.actor_label)
            for a in s.exec(select(AuditLog).where(AuditLog.tenant_id == api.tenant_a)).all()
        }
    assert {
        ("whatsapp.sender.added", "api"),
        ("whatsapp.sender.default", "api"),
        ("whatsapp.sender.removed", "api"),
    } <= labels


def test_another_tenants_sender_is_404_by_id_and_by_number(api: ApiEnv) -> None:
    (theirs,) = api.call("GET", BASE, token="all_b").json()["senders"]
    for ref in (str(theirs["id"]), theirs["number"], theirs["address"], "999999", "+15550001111"):
        for method, path in (("DELETE", f"{BASE}/senders/{ref}"), ("POST", f"{BASE}/senders/{ref}/default")):
            response = api.call(method, path)
            assert response.status_code == 404, f"{method} {path}: {response.text}"
    assert api.call("GET", BASE, token="all_b").json()["senders"] == [theirs]


def test_bad_sender_input_is_422_and_a_taken_number_409(api: ApiEnv) -> None:
    bad = api.call("POST", f"{BASE}/senders", json={"address": "whatsapp:07700"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "address"
    for body in ({}, {"address": "+447700900555", "colour": "red"}, {"address": "+4" * 30}):
        assert api.call("POST", f"{BASE}/senders", json=body).status_code == 422, body
    for ref in ("abc", "+12", "1" * 11, "whatsapp:447700900555"):
        assert api.call("DELETE", f"{BASE}/senders/{ref}").status_code == 422, ref
    (theirs,) = api.call("GET", BASE, token="all_b").json()["senders"]
    taken = api.call("POST", f"{BASE}/senders", json={"address": theirs["address"]})
    assert taken.status_code == 409 and "already connected" in taken.json()["error"]["message"]


def test_the_connection_test_asks_the_fake_twilio(api: ApiEnv, twilio: FakeTwilioServer) -> None:
    nothing = api.call("POST", f"{BASE}/test")
    assert nothing.status_code == 200 and nothing.json()["kind"] == "not_configured"
    assert twilio.requests == []  # no credentials: no request at all

    twilio.add_account(SID, TOKEN)
    _connect(api)
    ok = api.call("POST", f"{BASE}/test").json()
    assert (ok["ok"], ok["kind"], ok["title"]) == (True, "ok", "Connected to Twilio")
    (request,) = [r for r in twilio.requests if r.route == "account"]
    assert request.path == f"/2010-04-01/Accounts/{SID}.json"

    twilio.add_account(SID, "b" * 32)  # the token was changed on Twilio's side only
    wrong = api.call("POST", f"{BASE}/test").json()
    assert (wrong["ok"], wrong["kind"]) == (False, "wrong_credentials")
    twilio.add_account(SID, TOKEN, status="suspended")
    assert api.call("POST", f"{BASE}/test").json()["kind"] == "suspended"
    assert TOKEN not in api.call("POST", f"{BASE}/test").text


def test_connection_tests_are_rate_limited_per_workspace(api: ApiEnv) -> None:
    answers = [api.call("POST", f"{BASE}/test").status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429
    assert api.call("POST", f"{BASE}/test", token="all_b").status_code == 200
