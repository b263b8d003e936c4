"""The worker's side: claim due deliveries, POST them signed, and decide what happens after each try.

* A delivery is claimed with a conditional UPDATE (status and due time in the WHERE), so two workers never
  send the same row at once; the claim lasts CLAIM long. A worker killed mid-POST leaves the claim to expire
  and the next tick sends it again with the same event id — at least once; receivers drop duplicates by id.
* Network errors, 5xx, 408 and 429 are tried again later: the next try is a time in the row
  (`next_attempt_at`), computed by tenacity's exponential-with-jitter wait, never a sleeping thread. After a
  day (GIVE_UP) the delivery is `failed`; any other answer (a 4xx) fails it at once.
* An endpoint whose every try failed for a day (DISABLE) is turned off, with a notice for Settings and an
  audit row; turning it back on clears the notice.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import and_, or_, select, update
from sqlmodel import Session
from tenacity import RetryCallState, wait_exponential_jitter

from engine.accounts import audit
from engine.db import TenantScope, session_scope
from engine.integrations import signing, transport
from engine.integrations.catalog import TEST_EVENT, visible_data
from engine.integrations.events import emit
from engine.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, utcnow
from engine.models.base import as_utc
from engine.security import outbound

log = logging.getLogger(__name__)

CLAIM = timedelta(seconds=60)  # longer than a POST may take (transport.TIMEOUT)
GIVE_UP = timedelta(hours=24)
DISABLE = timedelta(hours=24)
BATCH = 50
FAIR_LOOKAHEAD = (
    10  # due rows read per tick, as a multiple of the batch, to share the batch between endpoints
)
PARALLEL = 8  # POSTs at once: one slow receiver (up to 10 s) must not hold every other shop's events
BACKOFF = wait_exponential_jitter(initial=10, exp_base=2, max=4 * 3600, jitter=10)
USER_AGENT = "Parley-Webhooks/1"
WORKER_ID = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


class DeliveryError(ValueError):
    """A resend or test refused; the message fits a toast."""


@dataclass(frozen=True, slots=True)
class Prepared:
    delivery_id: int
    tenant_id: int
    url: str
    body: bytes
    secret: str
    event_id: str
    event_type: str


def next_delay(attempts: int) -> timedelta:
    """How long after try number `attempts` (1-based) the next one is due."""
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = max(1, attempts)
    return timedelta(seconds=BACKOFF(state))


def deliver_due(
    *,
    now: datetime | None = None,
    client: httpx.Client | None = None,
    worker_id: str = WORKER_ID,
    resolve: outbound.Resolver = outbound.system_resolver,
    limit: int = BATCH,
) -> int:
    """One tick: every due delivery this worker could claim is sent once, PARALLEL at a time. Returns how
    many were tried."""
    now = now or utcnow()
    with session_scope() as session:
        rows = session.execute(_due_query(now).limit(limit * FAIR_LOOKAHEAD)).all()
    due = _round_robin([(int(d), int(e)) for d, e in rows], limit)
    own = client is None
    http = client or httpx.Client(timeout=transport.TIMEOUT, limits=httpx.Limits(max_connections=PARALLEL))

    def one(delivery_id: int) -> bool:
        return deliver_one(delivery_id, now=now, client=http, worker_id=worker_id, resolve=resolve)

    try:
        with ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="webhooks") as pool:
            return sum(pool.map(one, due))
    finally:
        if own:
            http.close()


def deliver_one(
    delivery_id: int,
    *,
    now: datetime | None = None,
    client: httpx.Client | None = None,
    worker_id: str = WORKER_ID,
    resolve: outbound.Resolver = outbound.system_resolver,
) -> bool:
    """Claim, send and record one delivery; False when another worker holds it or it is not due."""
    now = now or utcnow()
    prepared = _claim(delivery_id, now, worker_id)
    if prepared is None:
        return False
    timestamp = int(utcnow().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.signature(prepared.secret, timestamp, prepared.body),
        signing.EVENT_ID_HEADER: prepared.event_id,
        signing.EVENT_TYPE_HEADER: prepared.event_type,
    }
    own = client is None
    http = client or httpx.Client(timeout=transport.TIMEOUT)
    try:
        outcome = transport.post(http, prepared.url, prepared.body, headers, resolve=resolve)
    finally:
        if own:
            http.close()
    with session_scope() as session:
        _record(session, prepared, outcome, now, worker_id)
    return True


def send_test(session: Session, tenant_id: int, endpoint_id: int, *, now: datetime | None = None) -> int:
    """A test event for this endpoint alone; returns the delivery's id (the caller sends it after commit)."""
    endpoint = TenantScope(session, tenant_id).require(WebhookEndpoint, endpoint_id)
    if not endpoint.is_active:
        raise DeliveryError("Turn the endpoint on before sending a test.")
    event = emit(
        session,
        tenant_id,
        TEST_EVENT,
        {"message": "A test delivery from Parley. If you can read this, your endpoint works."},
        now=now,
        endpoint_id=endpoint_id,
    )
    assert event is not None
    return _delivery_of(session, tenant_id, int(event.id or 0), endpoint_id)


def resend(session: Session, tenant_id: int, delivery_id: int, *, now: datetime | None = None) -> int:
    """The same event (same id) to the same endpoint again, as a new line in the log; returns its id."""
    now = now or utcnow()
    old = TenantScope(session, tenant_id).require(WebhookDelivery, delivery_id)
    endpoint = TenantScope(session, tenant_id).require(WebhookEndpoint, old.endpoint_id)
    if not endpoint.is_active:
        raise DeliveryError("Turn the endpoint on before resending.")
    row = TenantScope(session, tenant_id).add(
        WebhookDelivery(
            endpoint_id=old.endpoint_id,
            event_row_id=old.event_row_id,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
    )
    return int(row.id or 0)


# ------------------------------------------------------------------------------------------------ helpers


def _due_query(now: datetime):  # type: ignore[no-untyped-def]
    return (
        select(WebhookDelivery.id, WebhookDelivery.endpoint_id)
        .join(
            WebhookEndpoint,
            and_(
                WebhookEndpoint.id == WebhookDelivery.endpoint_id,
                WebhookEndpoint.tenant_id == WebhookDelivery.tenant_id,
            ),
        )
        .where(WebhookEndpoint.is_active.is_(True), _claimable(now))  # type: ignore[attr-defined]
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
    )


def _round_robin(rows: list[tuple[int, int]], limit: int) -> list[int]:
    """Oldest first within each endpoint, endpoints taking turns: a shop whose endpoint has a backlog of
    thousands (or one that is down and retrying) does not push every other endpoint's events back."""
    queues: dict[int, list[int]] = {}
    for delivery_id, endpoint_id in rows:
        queues.setdefault(endpoint_id, []).append(delivery_id)
    picked: list[int] = []
    while queues and len(picked) < limit:
        for endpoint_id in list(queues):
            picked.append(queues[endpoint_id].pop(0))
            if not queues[endpoint_id]:
                del queues[endpoint_id]
            if len(picked) == limit:
                break
    return picked


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now),  # type: ignore[operator]
        and_(WebhookDelivery.status == "delivering", WebhookDelivery.claimed_until < now),  # type: ignore[operator]
    )


def _claim(delivery_id: int, now: datetime, worker_id: str) -> Prepared | None:
    with session_scope() as session:
        claimed = session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, _claimable(now))  # type: ignore[arg-type]
            .values(
                status="delivering",
                claimed_by=worker_id,
                claimed_until=now + CLAIM,
                attempts=WebhookDelivery.attempts + 1,
                updated_at=now,
            )
        ).rowcount
        if claimed != 1:
            return None
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        scope = TenantScope(session, delivery.tenant_id)
        endpoint = scope.require(WebhookEndpoint, delivery.endpoint_id)
        event = scope.require(WebhookEvent, delivery.event_row_id)
        payload = {
            "id": event.event_id,
            "type": event.event_type,
            "created_at": as_utc(event.occurred_at).isoformat(),  # type: ignore[union-attr]
            "data": visible_data(event.data, include_customer_text=endpoint.include_customer_text),
        }
        return Prepared(
            delivery_id=delivery_id,
            tenant_id=delivery.tenant_id,
            url=endpoint.url,
            body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
            secret=endpoint.secret,
            event_id=event.event_id,
            event_type=event.event_type,
        )


def _record(
    session: Session, prepared: Prepared, outcome: transport.Outcome, now: datetime, worker_id: str
) -> None:
    scope = TenantScope(session, prepared.tenant_id)
    delivery = scope.require(WebhookDelivery, prepared.delivery_id)
    if delivery.claimed_by != worker_id or delivery.status != "delivering":
        return  # our claim expired and another worker took it over: its record wins
    endpoint = scope.require(WebhookEndpoint, delivery.endpoint_id)
    delivery.last_status_code = outcome.status_code
    delivery.last_latency_ms = outcome.latency_ms
    delivery.response_excerpt = outcome.excerpt
    delivery.last_error = None if outcome.ok else _error_words(outcome)
    delivery.claimed_by = None
    delivery.claimed_until = None
    delivery.updated_at = now
    if outcome.ok:
        delivery.status = "delivered"
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        endpoint.failing_since = None
    else:
        started = as_utc(delivery.created_at) or now
        retry_at = now + next_delay(delivery.attempts)
        if outcome.retry and retry_at - started < GIVE_UP:
            delivery.status = "pending"
            delivery.next_attempt_at = retry_at
        else:
            delivery.status = "failed"
            delivery.next_attempt_at = None
        endpoint.failing_since = as_utc(endpoint.failing_since) or now
        if endpoint.is_active and now - endpoint.failing_since >= DISABLE:
            _disable(session, endpoint, now, delivery.last_error or "")
    session.add(delivery)
    session.add(endpoint)
    session.flush()
    log.info(
        "webhook delivery %s (%s) to endpoint %s: %s",
        prepared.delivery_id,
        prepared.event_type,
        endpoint.id,
        delivery.status,
    )


def _disable(session: Session, endpoint: WebhookEndpoint, now: datetime, error: str) -> None:
    endpoint.is_active = False
    endpoint.disabled_reason = (
        f"Turned off on {now:%d %b %Y}: every delivery failed for a day (last: {error})."
    )[:255]
    audit.record(
        session,
        endpoint.tenant_id,
        "webhook.disabled",
        actor_label="system",
        target_type="webhook_endpoint",
        target_id=endpoint.id,
        details={"name": endpoint.name, "reason": endpoint.disabled_reason},
    )


def _error_words(outcome: transport.Outcome) -> str:
    if outcome.status_code is None:
        return (outcome.excerpt or "no answer")[:255]
    return f"answered {outcome.status_code}"


def _delivery_of(session: Session, tenant_id: int, event_row_id: int, endpoint_id: int) -> int:
    row = TenantScope(session, tenant_id).first(
        WebhookDelivery,
        WebhookDelivery.event_row_id == event_row_id,
        WebhookDelivery.endpoint_id == endpoint_id,
    )
    assert row is not None
    return int(row.id or 0)


__all__ = ["DeliveryError", "deliver_due", "deliver_one", "next_delay", "resend", "send_test"]
