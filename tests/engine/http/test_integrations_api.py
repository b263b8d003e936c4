"""/api/v1/integrations: endpoints with a secret shown once, the same refusals as Settings, a test delivery
that reaches a real receiver, the delivery log and resend — under `integrations:manage`, tenant by tenant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.integrations import delivery
from engine.integrations.signing import verify
from tests.engine.http.api_env import ApiEnv
from tests.fakes.webhook_receiver import WebhookReceiver

EVENTS = ["conversation.resolved", "rating.received"]


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE_URLS", "true")
    reset_settings_cache()
    server = WebhookReceiver().start()
    yield server
    server.stop()


def _create(api: ApiEnv, url: str, token: str = "all", **extra: object) -> dict:  # type: ignore[type-arg]
    answer = api.call(
        "POST", "/integrations/endpoints", token, json={"name": "CRM", "url": url, "events": EVENTS, **extra}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_register_test_deliver_read_the_log_and_resend(api: ApiEnv, receiver: WebhookReceiver) -> None:
    created = _create(api, receiver.url)
    secret = created.pop("secret")
    assert secret.startswith("whsec_")
    endpoint_id = created["id"]
    assert created["events"] == EVENTS and created["active"] and not created["include_customer_text"]
    read = api.call("GET", f"/integrations/endpoints/{endpoint_id}").json()
    assert "secret" not in read and read == created
    assert [e["name"] for e in api.call("GET", "/integrations/endpoints").json()] == ["CRM"]

    tested = api.call("POST", f"/integrations/endpoints/{endpoint_id}/test")
    assert tested.status_code == 200, tested.text
    assert (tested.json()["status"], tested.json()["status_code"]) == ("delivered", 200)
    (got,) = receiver.received
    assert got.json["type"] == "endpoint.test"
    assert verify(secret, got.headers["Parley-Signature"], got.body, now=int(__import__("time").time()))

    page = api.call("GET", f"/integrations/endpoints/{endpoint_id}/deliveries").json()
    assert page["total"] == 1 and page["items"][0]["event_id"] == got.json["id"]
    again = api.call("POST", f"/integrations/deliveries/{page['items'][0]['id']}/resend")
    assert again.status_code == 202 and again.json()["status"] == "pending"
    assert again.json()["event_id"] == got.json["id"]
    delivery.deliver_due()
    assert [r.json["id"] for r in receiver.received] == [got.json["id"]] * 2

    rotated = api.call("POST", f"/integrations/endpoints/{endpoint_id}/rotate-secret").json()["secret"]
    assert rotated != secret
    api.call("POST", f"/integrations/endpoints/{endpoint_id}/test")
    last = receiver.received[-1]
    now = int(__import__("time").time())
    assert verify(rotated, last.headers["Parley-Signature"], last.body, now=now)
    assert not verify(secret, last.headers["Parley-Signature"], last.body, now=now)


def test_refusals_name_the_field(api: ApiEnv, receiver: WebhookReceiver) -> None:
    def refused(body: dict) -> list[str]:  # type: ignore[type-arg]
        answer = api.call(
            "POST", "/integrations/endpoints", json={"name": "CRM", "url": receiver.url, **body}
        )
        assert answer.status_code == 422, answer.text
        return [d["field"] for d in answer.json()["error"]["details"]]

    assert refused({"events": []}) == ["events"]
    assert refused({"events": ["order.paid"]}) == ["events"]
    assert refused({"events": EVENTS, "url": "ftp://files.example.com"}) == ["url"]
    assert refused({"events": EVENTS, "name": "  "}) == ["name"]
    assert api.call("GET", "/integrations/endpoints").json() == []


def test_private_addresses_are_refused(api: ApiEnv) -> None:
    for url in ("http://127.0.0.1:8000/hook", "http://169.254.169.254/latest", "http://10.0.0.5/hook"):
        answer = api.call("POST", "/integrations/endpoints", json={"name": "x", "url": url, "events": EVENTS})
        assert answer.status_code == 422
        assert "private network address" in answer.json()["error"]["message"], url


def test_scope_and_tenant(api: ApiEnv, receiver: WebhookReceiver) -> None:
    endpoint_id = _create(api, receiver.url)["id"]
    assert api.call("GET", "/integrations/endpoints", "analytics:view").status_code == 403
    assert api.call("GET", "/integrations/endpoints", "integrations:manage").status_code == 200
    assert api.call("GET", "/integrations/endpoints", None).status_code == 401
    for method, path in (
        ("GET", f"/integrations/endpoints/{endpoint_id}"),
        ("PATCH", f"/integrations/endpoints/{endpoint_id}"),
        ("DELETE", f"/integrations/endpoints/{endpoint_id}"),
        ("POST", f"/integrations/endpoints/{endpoint_id}/test"),
        ("GET", f"/integrations/endpoints/{endpoint_id}/deliveries"),
    ):
        kwargs = {"json": {}} if method == "PATCH" else {}
        assert api.call(method, path, "all_b", **kwargs).status_code == 404, path  # another tenant's: missing
    assert api.call("GET", "/integrations/endpoints", "all_b").json() == []


def test_pause_resume_and_delete(api: ApiEnv, receiver: WebhookReceiver) -> None:
    endpoint_id = _create(api, receiver.url)["id"]
    paused = api.call("PATCH", f"/integrations/endpoints/{endpoint_id}", json={"active": False})
    assert paused.json()["active"] is False
    assert api.call("POST", f"/integrations/endpoints/{endpoint_id}/test").status_code == 409
    resumed = api.call(
        "PATCH",
        f"/integrations/endpoints/{endpoint_id}",
        json={"active": True, "events": ["rating.received"]},
    )
    assert (resumed.json()["active"], resumed.json()["events"]) == (True, ["rating.received"])
    assert api.call("DELETE", f"/integrations/endpoints/{endpoint_id}").json() == {"deleted": True}
    assert api.call("GET", f"/integrations/endpoints/{endpoint_id}").status_code == 404
    with session_scope() as s:
        from sqlmodel import select

        from engine.models import AuditLog

        actions = s.exec(select(AuditLog.action).where(AuditLog.tenant_id == api.tenant_a)).all()
    assert {"webhook.create", "webhook.update", "webhook.delete"} <= set(actions)
