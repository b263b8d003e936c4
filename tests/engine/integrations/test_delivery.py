"""Deliveries through a real HTTP receiver (issue #18, done-when): signed, retried with the same event id,
redelivered after a worker dies mid-POST, given up after a day, the endpoint then turned off."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from engine.accounts import tenants
from engine.db import TenantScope, session_scope
from engine.integrations import delivery, endpoints, events, log
from engine.models import AuditLog, WebhookDelivery, WebhookEndpoint
from tests.fakes.webhook_receiver import WebhookReceiver

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]


def _shop(receiver: WebhookReceiver, slug: str, **options: object) -> tuple[int, int, str]:
    with session_scope() as s:
        tenant_id = int(tenants.create_tenant(s, name="Stride", slug=slug).id or 0)
        created = endpoints.create(
            s,
            tenant_id,
            name="CRM",
            url=receiver.url,
            events=options.pop("events", ["message.received", "conversation.resolved"]),  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )
    return tenant_id, created.endpoint.id, created.secret


def _emit(tenant_id: int, event_type: str = "conversation.resolved", **data: object) -> str:
    with session_scope() as s:
        event = events.emit(s, tenant_id, event_type, {"conversation_id": 7, **data}, now=NOW)
        assert event is not None
        return event.event_id


def test_a_delivery_is_signed_and_verifies_with_the_documented_code(
    receiver: WebhookReceiver, documented_verify: Callable[[str, str, bytes], bool]
) -> None:
    tenant_id, _, secret = _shop(receiver, "hooks-signed")
    event_id = _emit(tenant_id)

    assert delivery.deliver_due(now=NOW) == 1

    (got,) = receiver.received
    assert got.json == {
        "id": event_id,
        "type": "conversation.resolved",
        "created_at": NOW.isoformat(),
        "data": {"conversation_id": 7},
    }
    assert got.headers["Parley-Event-Id"] == event_id
    assert got.headers["Parley-Event-Type"] == "conversation.resolved"
    header = got.headers["Parley-Signature"]
    assert documented_verify(secret, header, got.body)
    assert not documented_verify("whsec_not-the-secret", header, got.body)
    assert not documented_verify(secret, header, got.body.replace(b"7", b"8"))  # a changed body
    old = header.replace(header.split(",")[0], f"t={int(time.time()) - 3600}")
    assert not documented_verify(secret, old, got.body)  # a replay an hour later


def test_500_three_times_then_the_fourth_try_arrives_with_the_same_event_id(
    receiver: WebhookReceiver,
) -> None:
    tenant_id, endpoint_id, _ = _shop(receiver, "hooks-retry")
    event_id = _emit(tenant_id)
    receiver.answers = [500, 500, 500]

    clock = NOW
    assert delivery.deliver_due(now=clock) == 1
    for _ in range(3):
        assert delivery.deliver_due(now=clock) == 0  # not due yet: the retry is a time, not a loop
        with session_scope() as s:
            row = TenantScope(s, tenant_id).first(WebhookDelivery)
            assert row.status in ("pending", "delivered")
            clock = row.next_attempt_at or clock
        delivery.deliver_due(now=clock)

    assert [r.json["id"] for r in receiver.received] == [event_id] * 4
    with session_scope() as s:
        page = log.deliveries(s, tenant_id, endpoint_id)
        endpoint = TenantScope(s, tenant_id).require(WebhookEndpoint, endpoint_id)
    (line,) = page.lines
    assert (line.status, line.attempts, line.status_code) == ("delivered", 4, 200)
    assert line.response_excerpt == '{"ok": true}' and line.latency_ms is not None
    assert endpoint.failing_since is None  # the success cleared the failure clock


def test_the_back_off_grows_and_a_4xx_is_not_retried(receiver: WebhookReceiver) -> None:
    delays = [delivery.next_delay(n).total_seconds() for n in (1, 2, 3, 4, 12)]
    assert 10 <= delays[0] <= 20 and 20 <= delays[1] <= 30 and 40 <= delays[2] <= 50 and 80 <= delays[3] <= 90
    assert delays[4] == 4 * 3600  # never more than four hours apart
    tenant_id, endpoint_id, _ = _shop(receiver, "hooks-4xx")
    _emit(tenant_id)
    receiver.answers = [404]
    delivery.deliver_due(now=NOW)
    assert delivery.deliver_due(now=NOW + timedelta(hours=5)) == 0
    with session_scope() as s:
        (line,) = log.deliveries(s, tenant_id, endpoint_id).lines
    assert (line.status, line.status_label, line.error) == ("failed", "Failed", "answered 404")


def test_a_network_error_is_retried_for_a_day_then_the_endpoint_is_turned_off(
    receiver: WebhookReceiver,
) -> None:
    tenant_id, endpoint_id, _ = _shop(receiver, "hooks-down")
    with session_scope() as s:  # nothing listens there
        row = TenantScope(s, tenant_id).require(WebhookEndpoint, endpoint_id)
        row.url = "http://127.0.0.1:9/hooks"
        s.add(row)
    _emit(tenant_id)
    clock = NOW
    tries = 0
    while tries < 40:
        if delivery.deliver_due(now=clock):
            tries += 1
        with session_scope() as s:
            row = TenantScope(s, tenant_id).first(WebhookDelivery)
            endpoint = TenantScope(s, tenant_id).require(WebhookEndpoint, endpoint_id)
        if row.status == "failed" or not endpoint.is_active:
            break
        clock = row.next_attempt_at or clock
    assert row.last_error == "could not connect"
    assert clock - NOW < timedelta(hours=24)
    assert 10 < tries < 25  # exponential: about a dozen tries in a day, not thousands
    assert row.status == "failed"
    # the endpoint failed for less than a day so far: still on; one more failure a day later turns it off
    _emit(tenant_id)
    delivery.deliver_due(now=NOW + timedelta(hours=25))
    with session_scope() as s:
        endpoint = TenantScope(s, tenant_id).require(WebhookEndpoint, endpoint_id)
        notice = TenantScope(s, tenant_id).first(AuditLog, AuditLog.action == "webhook.disabled")
    assert not endpoint.is_active
    assert endpoint.disabled_reason.startswith("Turned off on 04 Dec 2026: every delivery failed for a day")
    assert notice is not None
    assert delivery.deliver_due(now=NOW + timedelta(hours=30)) == 0  # nothing is sent to a disabled one
    with session_scope() as s:
        view = endpoints.update(s, tenant_id, endpoint_id, is_active=True)
    assert view.is_active and view.disabled_reason is None and view.failing_since is None


WORKER = """
import sys
from datetime import datetime
from engine.integrations import delivery
delivery.deliver_due(now=datetime.fromisoformat(sys.argv[1]), worker_id="doomed")
"""


def test_a_worker_killed_mid_delivery_is_redelivered_with_the_same_event_id(
    receiver: WebhookReceiver, database_url: str
) -> None:
    tenant_id, endpoint_id, _ = _shop(receiver, "hooks-killed")
    event_id = _emit(tenant_id)
    receiver.hang_once = 30  # the receiver takes its time: the worker dies waiting
    env = {
        **__import__("os").environ,
        "DATABASE_URL": database_url,
        "WEBHOOKS_ALLOW_PRIVATE_URLS": "true",
    }
    worker = subprocess.Popen([sys.executable, "-c", WORKER, NOW.isoformat()], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert receiver.received, "the worker reached the receiver"
    finally:
        worker.kill()
        worker.wait()
    with session_scope() as s:
        row = TenantScope(s, tenant_id).first(WebhookDelivery)
        assert (row.status, row.claimed_by) == ("delivering", "doomed")

    assert delivery.deliver_due(now=NOW + timedelta(seconds=30)) == 0  # the claim still holds
    assert delivery.deliver_due(now=NOW + delivery.CLAIM + timedelta(seconds=1)) == 1  # expired: sent again

    ids = [r.json["id"] for r in receiver.received]
    assert ids == [event_id, event_id]  # at least once; the receiver dedupes on the id
    with session_scope() as s:
        (line,) = log.deliveries(s, tenant_id, endpoint_id).lines
    assert (line.status, line.attempts) == ("delivered", 2)


def test_customer_text_leaves_only_when_the_endpoint_ticks_it(receiver: WebhookReceiver) -> None:
    tenant_id, _, _ = _shop(receiver, "hooks-text", events=["message.received"])
    with session_scope() as s:
        endpoints.create(
            s,
            tenant_id,
            name="Helpdesk",
            url=receiver.url,
            events=["message.received"],
            include_customer_text=True,
        )
    _emit(tenant_id, "message.received", text="my parcel never came", message_id=3)
    assert delivery.deliver_due(now=NOW) == 2
    bodies = sorted((r.json["data"] for r in receiver.received), key=lambda d: "text" in d)
    assert bodies == [
        {"conversation_id": 7, "message_id": 3},
        {"conversation_id": 7, "message_id": 3, "text": "my parcel never came"},
    ]


def test_only_subscribed_active_endpoints_of_the_tenant_get_an_event(receiver: WebhookReceiver) -> None:
    tenant_id, endpoint_id, _ = _shop(receiver, "hooks-subscribed", events=["rating.received"])
    other, _, _ = _shop(receiver, "hooks-other", events=["conversation.resolved"])
    with session_scope() as s:
        assert events.emit(s, tenant_id, "conversation.resolved", {"conversation_id": 1}) is None
        endpoints.update(s, tenant_id, endpoint_id, is_active=False)
        assert events.emit(s, tenant_id, "rating.received", {"conversation_id": 1}) is None
    assert delivery.deliver_due(now=NOW) == 0
    assert receiver.received == []


def test_resend_and_test_delivery_reuse_the_machinery(receiver: WebhookReceiver) -> None:
    tenant_id, endpoint_id, _ = _shop(receiver, "hooks-resend")
    event_id = _emit(tenant_id)
    delivery.deliver_due(now=NOW)
    with session_scope() as s:
        first = TenantScope(s, tenant_id).first(WebhookDelivery)
        again = delivery.resend(s, tenant_id, int(first.id), now=NOW)
        test_id = delivery.send_test(s, tenant_id, endpoint_id, now=NOW)
    assert delivery.deliver_one(again, now=NOW) and delivery.deliver_one(test_id, now=NOW)
    assert [r.json["id"] for r in receiver.received][:2] == [event_id, event_id]
    assert receiver.received[2].json["type"] == "endpoint.test"
    with session_scope() as s:
        lines = log.deliveries(s, tenant_id, endpoint_id).lines
    assert [line.event_label for line in lines].count("Test delivery") == 1
    assert len(lines) == 3 and all(line.status == "delivered" for line in lines)
    assert json.loads(receiver.received[2].body)["data"]["message"].startswith("A test delivery")


def test_endpoints_take_turns_so_one_backlog_does_not_hold_the_others() -> None:
    from engine.integrations.delivery import _round_robin

    backlog = [(i, 1) for i in range(1, 8)]  # endpoint 1: seven old deliveries
    others = [(100, 2), (200, 3), (101, 2)]
    assert _round_robin(backlog + others, 5) == [1, 100, 200, 2, 101]
    assert _round_robin(backlog, 3) == [1, 2, 3]
    assert _round_robin([], 3) == []
