"""In-app alerts: each tenant's figures checked against the thresholds every minute, kept as incidents.

An incident opens when a check first finds a figure past its threshold and resolves when a later check finds
it back under; while it stays past, nothing new happens (no notice every minute). The job that runs the check
(engine/jobs/alerts.py) sends one notice when an incident opens and one when it resolves, claimed by stamping
the incident first (`claim_notice`), so two schedulers never both send.

The figures are the per-tenant reading of what the Prometheus rules watch for the whole deployment
(engine/observability/thresholds.py has the numbers), each read with a tenant-scoped query over the window:
  error_rate         outbound messages of the last hour that failed ÷ outbound messages of the last hour
  reply_p95          95th percentile of agent_interaction.latency_ms in the last hour (seconds)
  cost_per_hour      sum of llm_call.cost in the last hour (US dollars)
  handoff_rate       agent turns of the last hour that handed off ÷ agent turns of the last hour
The message and turn figures (error_rate, reply_p95, handoff_rate) count customers on a channel only: staff
testing their agent in the Playground are not customers waiting (a slow model tried there, or "I want a
person" typed ten times, must not page anyone), and Playground replies never go to Twilio. Spend and provider
failures count the Playground too: its calls are billed and fail like any other.
  provider_failures  llm_call rows of the last 15 minutes with status retry or error ÷ all of them
  queue_age          age of the tenant's oldest message waiting for the agent (seconds)
Cost per check: five index range scans per tenant over one window of its own rows ((tenant_id, created_at)
or (tenant_id, updated_at) indexes) and one probe of the waiting queue rows; tenants with nothing going on
are not checked at all (`tenants_to_check`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, union, update
from sqlmodel import Session

from engine.db import TenantScope
from engine.models import AgentInteraction, Conversation, LLMCall, Message, MessageQueue, Tenant, utcnow
from engine.models.alerts import AlertIncident
from engine.models.base import as_utc
from engine.observability import logs
from engine.observability.thresholds import (
    BY_KIND,
    COST_PER_HOUR,
    ERROR_RATE,
    HANDOFF_RATE,
    PROVIDER_FAILURES,
    QUEUE_AGE,
    REPLY_P95,
    THRESHOLDS,
    describe,
)

FAILED_STATUSES = ("failed", "undelivered", "canceled")  # engine.channels.whatsapp.status.FAILED
CHANNELS = ("whatsapp",)  # where customers write from; the Playground's "playground" is not one


@dataclass(frozen=True)
class Reading:
    """One figure of one tenant: its value and how many events it rests on (None: nothing to read)."""

    kind: str
    value: float | None
    volume: int

    @property
    def past(self) -> bool | None:
        """True past the threshold, False under it, None when there are too few events for a verdict."""
        threshold = BY_KIND[self.kind]
        if self.value is None or self.volume < threshold.min_volume:
            return None
        return self.value > threshold.limit


@dataclass(frozen=True)
class Transition:
    """What a check changed: an incident opened or resolved (the notices go out for these)."""

    tenant_id: int
    incident_id: int
    kind: str
    change: str  # opened | resolved
    value: float


@dataclass(frozen=True)
class AlertView:
    """An open incident as the Overview's "Needs attention" shows it."""

    kind: str
    title: str
    detail: str
    since: datetime


# ------------------------------------------------------------------------------------------------- figures


def _since(now: datetime, minutes: int) -> datetime:
    return now - timedelta(minutes=minutes)


def _customer_chat(tenant_id: int, conversation_id: Any) -> ColumnElement[bool]:
    """The row belongs to a customer's conversation on a channel, not to the Playground: NOT IN the tenant's
    few conversations off the channels (a hashed set, so the window's range scan needs no join per row)."""
    off_channel = select(Conversation.id).where(
        Conversation.tenant_id == tenant_id,
        Conversation.channel.not_in(CHANNELS),  # type: ignore[attr-defined]
    )
    return and_(conversation_id.is_not(None), conversation_id.not_in(off_channel))


def read_error_rate(session: Session, tenant_id: int, now: datetime) -> Reading:
    failed = func.sum(case((Message.status.in_(FAILED_STATUSES), 1), else_=0))  # type: ignore[attr-defined]
    row = session.execute(
        select(func.count(), failed).where(
            Message.tenant_id == tenant_id,
            Message.updated_at >= _since(now, ERROR_RATE.window_minutes),  # type: ignore[operator]
            Message.direction == "outbound",
            _customer_chat(tenant_id, Message.conversation_id),
        )
    ).one()
    total, bad = int(row[0] or 0), int(row[1] or 0)
    return Reading(ERROR_RATE.kind, bad / total if total else None, total)


def read_reply_p95(session: Session, tenant_id: int, now: datetime) -> Reading:
    """Nearest-rank p95 over the hour's turns (at most a few thousand numbers for the busiest shop)."""
    latencies = sorted(
        int(v or 0)
        for v in session.execute(
            select(AgentInteraction.latency_ms).where(
                AgentInteraction.tenant_id == tenant_id,
                AgentInteraction.created_at >= _since(now, REPLY_P95.window_minutes),  # type: ignore[operator]
                _customer_chat(tenant_id, AgentInteraction.conversation_id),
            )
        ).scalars()
    )
    if not latencies:
        return Reading(REPLY_P95.kind, None, 0)
    rank = max(1, math.ceil(0.95 * len(latencies)))
    return Reading(REPLY_P95.kind, latencies[rank - 1] / 1000, len(latencies))


def read_cost_per_hour(session: Session, tenant_id: int, now: datetime) -> Reading:
    row = session.execute(
        select(func.count(), func.coalesce(func.sum(LLMCall.cost), 0)).where(
            LLMCall.tenant_id == tenant_id,
            LLMCall.created_at >= _since(now, COST_PER_HOUR.window_minutes),  # type: ignore[operator]
        )
    ).one()
    calls = int(row[0] or 0)
    cost = Decimal(str(row[1] or 0))
    return Reading(COST_PER_HOUR.kind, float(cost), max(calls, 1))  # no calls: US$0, under


def read_handoff_rate(session: Session, tenant_id: int, now: datetime) -> Reading:
    handed = func.sum(case((AgentInteraction.handoff.is_(True), 1), else_=0))  # type: ignore[attr-defined]
    row = session.execute(
        select(func.count(), handed).where(
            AgentInteraction.tenant_id == tenant_id,
            AgentInteraction.created_at >= _since(now, HANDOFF_RATE.window_minutes),  # type: ignore[operator]
            _customer_chat(tenant_id, AgentInteraction.conversation_id),
        )
    ).one()
    total, handoffs = int(row[0] or 0), int(row[1] or 0)
    return Reading(HANDOFF_RATE.kind, handoffs / total if total else None, total)


def read_provider_failures(session: Session, tenant_id: int, now: datetime) -> Reading:
    failed = func.sum(case((LLMCall.status.in_(("retry", "error")), 1), else_=0))  # type: ignore[attr-defined]
    row = session.execute(
        select(func.count(), failed).where(
            LLMCall.tenant_id == tenant_id,
            LLMCall.created_at >= _since(now, PROVIDER_FAILURES.window_minutes),  # type: ignore[operator]
            LLMCall.provider != "offline",
        )
    ).one()
    total, bad = int(row[0] or 0), int(row[1] or 0)
    return Reading(PROVIDER_FAILURES.kind, bad / total if total else None, total)


def read_queue_age(session: Session, tenant_id: int, now: datetime) -> Reading:
    oldest = session.execute(
        select(func.min(MessageQueue.queued_at)).where(
            MessageQueue.tenant_id == tenant_id,
            MessageQueue.status.in_(("pending", "claimed")),  # type: ignore[attr-defined]
        )
    ).scalar()
    if oldest is None:
        return Reading(QUEUE_AGE.kind, 0.0, 1)  # nobody waits: a verdict (under), not a lack of one
    return Reading(QUEUE_AGE.kind, max(0.0, (now - as_utc(oldest)).total_seconds()), 1)  # type: ignore[operator]


READERS = {
    ERROR_RATE.kind: read_error_rate,
    REPLY_P95.kind: read_reply_p95,
    COST_PER_HOUR.kind: read_cost_per_hour,
    HANDOFF_RATE.kind: read_handoff_rate,
    PROVIDER_FAILURES.kind: read_provider_failures,
    QUEUE_AGE.kind: read_queue_age,
}
assert set(READERS) == {t.kind for t in THRESHOLDS}, "every threshold needs its reader"


def read_figures(session: Session, tenant_id: int, now: datetime | None = None) -> list[Reading]:
    now = now or utcnow()
    return [READERS[t.kind](session, tenant_id, now) for t in THRESHOLDS]


# ------------------------------------------------------------------------------------------------ incidents


def check_tenant(session: Session, tenant_id: int, now: datetime | None = None) -> list[Transition]:
    """Open an incident for each figure newly past its threshold, resolve each open one whose figure is back
    under or that has no events left in its window (nothing happening is nothing failing); a figure with too
    few events for a verdict leaves its incident as it is."""
    now = now or utcnow()
    scope = TenantScope(session, tenant_id)
    open_by_kind = {
        i.kind: i
        for i in scope.all(AlertIncident, AlertIncident.resolved_at.is_(None))  # type: ignore[union-attr]
    }
    changes: list[Transition] = []
    for reading in read_figures(session, tenant_id, now):
        incident = open_by_kind.get(reading.kind)
        verdict = reading.past
        if verdict and incident is None:
            threshold = BY_KIND[reading.kind]
            incident = scope.add(
                AlertIncident(
                    kind=reading.kind,
                    open_kind=reading.kind,
                    value=float(reading.value or 0),
                    threshold=threshold.limit,
                    opened_at=now,
                    last_seen_at=now,
                )
            )
            changes.append(
                Transition(tenant_id, int(incident.id or 0), reading.kind, "opened", incident.value)
            )
        elif verdict and incident is not None:
            incident.value, incident.last_seen_at = float(reading.value or 0), now
            session.add(incident)
        elif incident is not None and (verdict is False or reading.volume == 0):
            incident.resolved_at, incident.open_kind = now, None
            incident.value, incident.last_seen_at = float(reading.value or 0), now
            session.add(incident)
            changes.append(
                Transition(tenant_id, int(incident.id or 0), reading.kind, "resolved", incident.value)
            )
    session.flush()
    for change in changes:
        logs.event(
            f"alert.{change.change}",
            tenant_id=tenant_id,
            kind=change.kind,
            value=round(change.value, 4),
            incident_id=change.incident_id,
        )
    return changes


def tenants_to_check(session: Session, now: datetime | None = None) -> list[int]:
    """Active tenants with something to judge: a conversation active within the longest window, a message
    waiting for the agent, or an open incident (which may need resolving). An idle shop costs the check
    nothing, so a minute's run grows with the busy tenants, not with every signed-up one."""
    now = now or utcnow()
    since = _since(now, max(t.window_minutes for t in THRESHOLDS))
    busy = union(
        select(Conversation.tenant_id).where(Conversation.last_activity_at >= since),  # type: ignore[operator]
        select(MessageQueue.tenant_id).where(
            MessageQueue.status.in_(("pending", "claimed"))  # type: ignore[attr-defined]
        ),
        select(AlertIncident.tenant_id).where(AlertIncident.resolved_at.is_(None)),  # type: ignore[union-attr]
    ).subquery()
    ids = session.execute(
        select(Tenant.id)
        .where(Tenant.is_active.is_(True), Tenant.id.in_(select(busy.c.tenant_id)))  # type: ignore[attr-defined]
        .order_by(Tenant.id)
    ).scalars()
    return [int(i) for i in ids]


def claim_notice(session: Session, tenant_id: int, incident_id: int, change: str, now: datetime) -> bool:
    """Stamp the incident's notice as sent, if nobody has: True means this caller sends it (once)."""
    column = AlertIncident.opened_notice_at if change == "opened" else AlertIncident.resolved_notice_at
    result = session.execute(
        update(AlertIncident)
        .where(
            AlertIncident.tenant_id == tenant_id,  # type: ignore[arg-type]
            AlertIncident.id == incident_id,  # type: ignore[arg-type]
            column.is_(None),  # type: ignore[union-attr]
        )
        .values({column.key: now})  # type: ignore[union-attr]
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def unsent_notices(session: Session, tenant_id: int) -> list[Transition]:
    """Incidents whose notice was not claimed yet (a check that crashed before sending is caught up)."""
    rows = TenantScope(session, tenant_id).all(
        AlertIncident,
        (AlertIncident.opened_notice_at.is_(None))  # type: ignore[union-attr]
        | (AlertIncident.resolved_at.is_not(None) & AlertIncident.resolved_notice_at.is_(None)),  # type: ignore[union-attr]
    )
    out: list[Transition] = []
    for row in sorted(rows, key=lambda r: (as_utc(r.opened_at), r.id or 0)):
        if row.opened_notice_at is None:
            out.append(Transition(tenant_id, int(row.id or 0), row.kind, "opened", row.value))
        if row.resolved_at is not None and row.resolved_notice_at is None:
            out.append(Transition(tenant_id, int(row.id or 0), row.kind, "resolved", row.value))
    return out


def open_alerts(session: Session, tenant_id: int) -> list[AlertView]:
    """The tenant's open incidents, oldest first, in the shop owner's words (the Overview)."""
    rows = TenantScope(session, tenant_id).all(
        AlertIncident,
        AlertIncident.resolved_at.is_(None),  # type: ignore[union-attr]
    )
    rows.sort(key=lambda r: (as_utc(r.opened_at), r.id or 0))
    return [
        AlertView(r.kind, BY_KIND[r.kind].title, describe(r.kind, r.value), as_utc(r.opened_at))  # type: ignore[arg-type]
        for r in rows
        if r.kind in BY_KIND
    ]


__all__ = [
    "AlertView",
    "Reading",
    "Transition",
    "check_tenant",
    "claim_notice",
    "open_alerts",
    "read_figures",
    "tenants_to_check",
    "unsent_notices",
]
