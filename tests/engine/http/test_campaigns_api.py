"""/api/v1/campaigns: create with limits (422 naming the field), read, list, states (409), results, paging,
the cost estimate and a test to one number (through the campaign fake Twilio)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from engine.accounts import api_tokens
from engine.campaigns import service, templates
from engine.campaigns.estimate import price_table
from engine.db import session_scope
from engine.http.app import create_app
from tests.engine.campaigns.conftest import campaign_env  # noqa: F401 - the `wa` fixture
from tests.engine.conversations.harness import WhatsAppEnv
from tests.engine.http.api_env import ApiEnv
from tests.factories import new_tenant, new_user


def _create(api: ApiEnv, **changes: object) -> dict:
    body = {"name": "Spring sale", "body": "Hi {{first_name}}!", "buttons": [{"title": "See sizes"}]}
    body.update(changes)
    return api.call("POST", "/campaigns", json=body).json()


def test_a_fourth_button_is_422_naming_the_field_and_limit(api: ApiEnv) -> None:
    got = api.call(
        "POST",
        "/campaigns",
        json={"name": "x", "body": "hi", "buttons": [{"title": f"b{i}"} for i in range(4)]},
    )
    assert got.status_code == 422
    assert got.json()["error"]["message"] == "buttons[3]: a WhatsApp message can have at most 3 buttons"
    long_title = api.call(
        "POST", "/campaigns", json={"name": "x", "body": "hi", "buttons": [{"title": "t" * 21}]}
    )
    assert (
        "buttons[0].title" in long_title.json()["error"]["message"]
        and "20" in long_title.json()["error"]["message"]
    )


def test_create_read_list_and_refuse_to_send_before_approval(api: ApiEnv) -> None:
    created = _create(api)
    assert created["status"] == "draft" and created["template_status"] == "none"
    got = api.call("GET", f"/campaigns/{created['id']}").json()
    assert got["counts"]["total"] == 0 and got["buttons"][0]["id"] == "c_1_see_sizes"
    listed = api.call("GET", "/campaigns").json()
    assert [c["id"] for c in listed["items"]] == [created["id"]]
    refused = api.call("POST", f"/campaigns/{created['id']}/send", json={"send_at": None})
    assert refused.status_code == 409 and "approved" in refused.json()["error"]["message"]
    assert api.call("POST", f"/campaigns/{created['id']}/pause").status_code == 409
    assert api.call("POST", f"/campaigns/{created['id']}/cancel").json()["status"] == "cancelled"
    results = api.call("GET", f"/campaigns/{created['id']}/results").json()
    assert results["sent"] == 0 and results["per_button"] == []
    page = api.call("GET", f"/campaigns/{created['id']}/recipients").json()
    assert page == {"items": [], "next_cursor": None}


def test_scope_and_tenant(api: ApiEnv) -> None:
    created = _create(api)
    assert api.call("GET", f"/campaigns/{created['id']}", token="all_b").status_code == 404
    assert api.call("GET", "/campaigns", token="analytics:view").status_code == 403
    counted = api.call("POST", "/campaigns/audience/count", json={"audience": {}}).json()
    assert set(counted) == {"count", "matched", "exclusions"}


def test_the_estimate_prices_the_audience_by_country_from_the_dated_table(api: ApiEnv) -> None:
    country, price = price_table().price_for("+447700900001")  # tenant A's one opted-in customer
    got = api.call("POST", "/campaigns/estimate", json={"audience": {}})
    assert got.status_code == 200
    body = got.json()
    assert body["recipients"] == 1 and body["cost"] == str(price.quantize(Decimal("0.01")))
    assert body["by_country"] == [{"country": country, "recipients": 1, "cost": body["cost"]}]
    assert body["as_of"] == price_table().as_of and body["currency"] == "USD"
    bad = api.call("POST", "/campaigns/estimate", json={"audience": {"numbers": ["12"]}})
    assert bad.status_code == 422 and "audience.numbers[0]" in bad.json()["error"]["message"]
    assert api.call("POST", "/campaigns/estimate", json={}, token="analytics:view").status_code == 403


@pytest.fixture
def connected(wa: WhatsAppEnv) -> tuple[WhatsAppEnv, ApiEnv]:
    """A tenant connected to the campaign fake Twilio, with a campaigns:manage token, and a second tenant."""
    with session_scope() as s:
        owner = new_user(s, wa.tenant_id, "owner")
        token = api_tokens.create_token(
            s, wa.tenant_id, name="api", scopes=["campaigns:manage"], created_by_user_id=owner
        ).token
        other = new_tenant(s)
        other_token = api_tokens.create_token(
            s, other, name="api", scopes=["campaigns:manage"], created_by_user_id=new_user(s, other, "owner")
        ).token
    env = ApiEnv(
        TestClient(create_app()), wa.tenant_id, other, {"all": token, "all_b": other_token}, 0, 0, 0, 0
    )
    return wa, env


def test_a_test_goes_to_one_number_as_text_before_approval_and_as_the_template_after(
    connected: tuple[WhatsAppEnv, ApiEnv],
) -> None:
    wa, api = connected
    campaign = _create(api)
    before = api.call("POST", f"/campaigns/{campaign['id']}/test", json={"to": "+44 7700 900123"})
    assert before.status_code == 200
    answer = before.json()
    assert answer["to"] == "+447700900123" and answer["as_template"] is False
    assert answer["provider_sid"] in wa.fake.sent  # the SID Twilio gave the test message
    sent = wa.fake.messages[-1]
    assert sent.value("To") == "whatsapp:+447700900123" and sent.value("ContentSid") is None
    assert sent.value("Body").startswith("Hi ") and "▸ See sizes" in sent.value("Body")

    submitted = api.call("POST", f"/campaigns/{campaign['id']}/template").json()
    assert submitted["template_status"] == "pending"
    with session_scope() as s:
        content_sid = service.require(s, wa.tenant_id, campaign["id"]).content_sid
    wa.fake.approve(content_sid)  # type: ignore[attr-defined]
    with session_scope() as s:
        templates.refresh(s, wa.tenant_id, campaign["id"])
    after = api.call("POST", f"/campaigns/{campaign['id']}/test", json={"to": "+447700900123"})
    assert after.status_code == 200 and after.json()["as_template"] is True
    assert wa.fake.messages[-1].value("ContentSid") == content_sid
    assert len(wa.fake.messages) == 2


def test_a_test_send_answers_422_404_and_409_in_words(connected: tuple[WhatsAppEnv, ApiEnv]) -> None:
    wa, api = connected
    campaign = _create(api)
    bad = api.call("POST", f"/campaigns/{campaign['id']}/test", json={"to": "12"})
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("test_number:")
    other = api.call("POST", f"/campaigns/{campaign['id']}/test", json={"to": "+447700900123"}, token="all_b")
    assert other.status_code == 404
    wa.fake.fail("messages", status=400, code=63016)
    refused = api.call("POST", f"/campaigns/{campaign['id']}/test", json={"to": "+447700900123"})
    assert refused.status_code == 409
    assert "outside the 24-hour window" in refused.json()["error"]["message"]
    assert wa.fake.messages == []


def test_the_document_lists_every_campaign_route_with_examples(api: ApiEnv) -> None:
    document = api.client.get("/api/v1/openapi.json").json()
    routes = {
        (method.upper(), path.removeprefix("/campaigns"))
        for path, item in document["paths"].items()
        if path.startswith("/campaigns")
        for method in item
    }
    assert routes == {
        ("POST", ""),
        ("GET", ""),
        ("POST", "/audience/count"),
        ("POST", "/estimate"),
        ("POST", "/media"),
        ("GET", "/{campaign_id}"),
        ("POST", "/{campaign_id}/template"),
        ("POST", "/{campaign_id}/test"),
        ("POST", "/{campaign_id}/send"),
        ("POST", "/{campaign_id}/pause"),
        ("POST", "/{campaign_id}/resume"),
        ("POST", "/{campaign_id}/cancel"),
        ("GET", "/{campaign_id}/results"),
        ("GET", "/{campaign_id}/recipients"),
    }
    for path, item in document["paths"].items():
        if not path.startswith("/campaigns"):
            continue
        for method, op in item.items():
            assert op["x-required-scope"] == "campaigns:manage", (method, path)
            assert {"401", "403", "422"} <= set(op["responses"]), (method, path)
            if "{campaign_id}" in path:
                assert "404" in op["responses"], (method, path)


CAMPAIGN_ROUTES = [
    ("GET", "/campaigns/{id}", None),
    ("POST", "/campaigns/{id}/template", None),
    ("POST", "/campaigns/{id}/test", {"to": "+447700900123"}),
    ("POST", "/campaigns/{id}/send", {"send_at": None}),
    ("POST", "/campaigns/{id}/pause", None),
    ("POST", "/campaigns/{id}/resume", None),
    ("POST", "/campaigns/{id}/cancel", None),
    ("GET", "/campaigns/{id}/results", None),
    ("GET", "/campaigns/{id}/recipients", None),
]


def test_every_route_needs_the_scope_and_sees_only_its_own_tenant(api: ApiEnv) -> None:
    created = _create(api)
    collection = [
        ("GET", "/campaigns", None),
        ("POST", "/campaigns", {"name": "x", "body": "hi"}),
        ("POST", "/campaigns/audience/count", {"audience": {}}),
        ("POST", "/campaigns/estimate", {"audience": {}}),
    ]
    for method, path, body in collection + CAMPAIGN_ROUTES:
        url = path.format(id=created["id"])
        assert api.call(method, url, json=body, token="analytics:view").status_code == 403, (method, path)
        assert api.call(method, url, json=body, token=None).status_code == 401, (method, path)
    for method, path, body in CAMPAIGN_ROUTES:  # tenant B's token: tenant A's campaign does not exist
        got = api.call(method, path.format(id=created["id"]), json=body, token="all_b")
        assert got.status_code == 404, (method, path)
    assert api.call("GET", f"/campaigns/{created['id']}").status_code == 200  # still there for its own tenant


def test_ids_and_bodies_are_checked_at_the_door(api: ApiEnv) -> None:
    assert api.call("GET", "/campaigns/2147483648").status_code == 422
    assert api.call("GET", "/campaigns/0").status_code in (404, 422)
    unknown_field = api.call("POST", "/campaigns", json={"name": "x", "body": "hi", "colour": "red"})
    assert unknown_field.status_code == 422
    naive = api.call("POST", f"/campaigns/{_create(api)['id']}/send", json={"send_at": "2026-12-24T09:00:00"})
    assert naive.status_code == 422
    assert api.call("POST", "/campaigns/1/test", json={"to": "+4" * 30}).status_code == 422
