"""The dispatcher: a campaign's recipients sent at the sender's pace, each exactly once, across crashes.

How "nobody twice, nobody skipped" holds:
- One dispatcher per campaign: a lease on the campaign row (`dispatch_owner`, `lease_until`) taken by a
  conditional UPDATE and renewed before every batch; a second worker sees it held and leaves the campaign
  alone. The lease is short (2 s), so a killed worker's campaign is picked up within seconds; a worker
  restarted under the same id (PARLEY_WORKER_ID) takes its own lease back at once.
- Each recipient is claimed (`status` pending → sending, `claimed_by`) by a conditional UPDATE before its send
  (on PostgreSQL the ids are chosen with FOR UPDATE SKIP LOCKED), and its Twilio SID is written when Twilio
  answers. Whoever takes a campaign over turns the previous holder's claims back into pending recipients
  marked `needs_lookup`: before sending to one of those, the dispatcher looks in Twilio's Messages list for a
  message to that number since the claim which none of our rows holds, and records it instead of sending.
- A send that ends unclearly (5xx, timeout) is marked the same way; a 429 returns the recipient to pending
  and halves the pace (limiter.py); a refusal is recorded on the recipient in words.
- The dispatcher sends no more than its lease lets it: a send that would start within half a second of the
  lease's end is not started (it goes back to pending), so a stalled worker cannot send beside its successor.
Pause, resume and cancel are status changes (service.py); the status is read with every lease renewal, i.e.
at least every `batch_seconds`, so they take effect within a second.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlmodel import Session

from engine.campaigns.limiter import SlidingWindowLimiter
from engine.campaigns.service import settings_for
from engine.campaigns.start import due_campaigns, materialize
from engine.campaigns.tracking import replay_early
from engine.campaigns.transport import CampaignTransport, SendResult
from engine.channels.whatsapp.sender import SenderNotConfigured
from engine.db import session_scope
from engine.integrations.events import emit
from engine.models import Campaign, CampaignRecipient, Message, utcnow
from engine.observability import metrics

log = logging.getLogger(__name__)
LEASE_SECONDS = 2.0
BATCH_SECONDS = 0.4
SAFETY = 0.5  # seconds before the lease's end after which no send starts

_r = CampaignRecipient.__table__  # type: ignore[attr-defined]
_RECORD = (
    update(_r)
    .where(_r.c.id == bindparam("r_id"), _r.c.claimed_by == bindparam("r_owner"), _r.c.status == "sending")
    .values(
        status=bindparam("r_status"),
        provider_sid=bindparam("r_sid"),
        error_code=bindparam("r_code"),
        error_message=bindparam("r_words"),
        needs_lookup=bindparam("r_lookup"),
        failed_at=bindparam("r_failed_at"),
    )
)


def worker_id() -> str:
    return os.environ.get("PARLEY_WORKER_ID") or f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Claimed:
    id: int
    phone: str
    variables: dict[str, Any]
    needs_lookup: bool
    claimed_at: datetime


TransportFactory = Callable[[Session, int], CampaignTransport]


class Dispatcher:
    """This process's campaign dispatcher; `tick()` is the scheduler job, each campaign runs in a thread."""

    def __init__(
        self,
        *,
        owner: str | None = None,
        transport_factory: TransportFactory = CampaignTransport.for_tenant,
        lease_seconds: float = LEASE_SECONDS,
        batch_seconds: float = BATCH_SECONDS,
        threads: int = 16,
        rate_override: int | None = None,
    ) -> None:
        self.owner = owner or worker_id()
        self.transport_factory = transport_factory
        self.lease_seconds = lease_seconds
        self.batch_seconds = batch_seconds
        self.rate_override = rate_override
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="campaign-send")
        self._running: dict[int, threading.Thread] = {}
        self._limiters: dict[str, SlidingWindowLimiter] = {}
        self._guard = threading.Lock()
        self.stopping = threading.Event()

    # the job ------------------------------------------------------------------------------------------

    def tick(self, *, wait: bool = False) -> list[int]:
        """Start due campaigns, then run every sending campaign whose lease is free, each in its thread."""
        now = utcnow()
        with session_scope() as session:
            due = due_campaigns(session, now)
        for tenant_id, campaign_id in due:
            try:
                with session_scope() as session:
                    materialize(session, tenant_id, campaign_id, now)
            except SenderNotConfigured as exc:
                log.warning("campaign %s cannot start: %s", campaign_id, exc)
        with session_scope() as session:
            sending = session.execute(
                select(Campaign.tenant_id, Campaign.id).where(
                    Campaign.status == "sending",
                    or_(
                        Campaign.lease_until.is_(None),
                        Campaign.lease_until < now,
                        Campaign.dispatch_owner == self.owner,
                    ),
                )
            ).all()
        started = []
        for tenant_id, campaign_id in sending:
            with self._guard:
                thread = self._running.get(campaign_id)
                if thread is not None and thread.is_alive():
                    continue
                thread = threading.Thread(
                    target=self.run_campaign,
                    args=(int(tenant_id), int(campaign_id)),
                    daemon=True,
                    name=f"campaign-{campaign_id}",
                )
                self._running[campaign_id] = thread
            thread.start()
            started.append(int(campaign_id))
        if wait:
            self.join()
        return started

    def join(self, timeout: float | None = None) -> None:
        for thread in list(self._running.values()):
            thread.join(timeout)

    def shutdown(self) -> None:
        self.stopping.set()
        self.join(5)
        self.pool.shutdown(wait=False, cancel_futures=True)

    # one campaign -------------------------------------------------------------------------------------

    def _lease(self, session: Session, tenant_id: int, campaign_id: int, first: bool) -> float | None:
        """Take (first) or renew the campaign's lease; its end on this process's monotonic clock, or None."""
        now = utcnow()
        held = (
            (Campaign.dispatch_owner == self.owner)
            if not first
            else or_(
                Campaign.dispatch_owner.is_(None),
                Campaign.dispatch_owner == self.owner,
                Campaign.lease_until < now,
                Campaign.lease_until.is_(None),
            )
        )
        got = session.execute(
            update(Campaign)
            .where(
                Campaign.tenant_id == tenant_id,
                Campaign.id == campaign_id,
                Campaign.status == "sending",
                held,
            )
            .values(dispatch_owner=self.owner, lease_until=now + timedelta(seconds=self.lease_seconds))
            .execution_options(synchronize_session=False)
        ).rowcount
        return time.monotonic() + self.lease_seconds if got else None

    def _limiter(self, sender: str, rate: int) -> SlidingWindowLimiter:
        with self._guard:
            limiter = self._limiters.get(sender)
            if limiter is None or limiter.configured != rate:
                limiter = self._limiters[sender] = SlidingWindowLimiter(rate)
            return limiter

    def run_campaign(self, tenant_id: int, campaign_id: int) -> None:
        try:
            self._run(tenant_id, campaign_id)
        except Exception:  # noqa: BLE001 - one campaign's fault must not stop the job; the next tick retries
            log.exception("campaign %s: dispatch stopped", campaign_id)

    def _run(self, tenant_id: int, campaign_id: int) -> None:
        with session_scope() as session:
            if self._lease(session, tenant_id, campaign_id, first=True) is None:
                return
            # the previous holder's claims: maybe sent, maybe not — look before sending again
            session.execute(
                update(CampaignRecipient)
                .where(
                    CampaignRecipient.tenant_id == tenant_id,
                    CampaignRecipient.campaign_id == campaign_id,
                    CampaignRecipient.status == "sending",
                )
                .values(status="pending", needs_lookup=True)
                .execution_options(synchronize_session=False)
            )
            campaign = session.get(Campaign, campaign_id)
            assert campaign is not None
            sender, content_sid = str(campaign.sender_address), str(campaign.content_sid)
            rate = self.rate_override or settings_for(session, tenant_id).messages_per_second
            transport = self.transport_factory(session, tenant_id)
        limiter = self._limiter(sender, rate)
        while not self.stopping.is_set():
            with session_scope() as session:
                lease_end = self._lease(session, tenant_id, campaign_id, first=False)
            if lease_end is None:
                return  # paused, cancelled, or the lease went to another worker
            batch_size = max(1, int(limiter.rate * self.batch_seconds))
            claimed = self._claim(tenant_id, campaign_id, batch_size)
            if not claimed:
                if self._finish_or_wait(tenant_id, campaign_id):
                    return
                continue
            deadline = lease_end - SAFETY
            send = partial(
                self._send_one, transport, limiter, tenant_id, sender, content_sid, deadline=deadline
            )
            results = list(self.pool.map(send, claimed))
            self._record(tenant_id, claimed, results)

    def _claim(self, tenant_id: int, campaign_id: int, size: int) -> list[Claimed]:
        now = utcnow()
        with session_scope() as session:
            r = CampaignRecipient
            pick = (
                select(r.id)
                .where(
                    r.tenant_id == tenant_id,
                    r.campaign_id == campaign_id,
                    r.status == "pending",
                    or_(r.not_before.is_(None), r.not_before <= now),
                )
                .order_by(r.id)
                .limit(size)
            )
            if session.get_bind().dialect.name == "postgresql":
                pick = pick.with_for_update(skip_locked=True)
            ids = [int(i) for i in session.execute(pick).scalars()]
            if not ids:
                return []
            session.execute(
                update(r)
                .where(r.tenant_id == tenant_id, r.id.in_(ids), r.status == "pending")
                .values(status="sending", claimed_by=self.owner, claimed_at=now, attempts=r.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            rows = session.execute(
                select(r.id, r.phone, r.variables, r.needs_lookup)
                .where(
                    r.tenant_id == tenant_id, r.id.in_(ids), r.claimed_by == self.owner, r.status == "sending"
                )
                .order_by(r.id)
            ).all()
        return [Claimed(int(i), str(p), dict(v or {}), bool(n), now) for i, p, v, n in rows]

    def _send_one(
        self,
        transport: CampaignTransport,
        limiter: SlidingWindowLimiter,
        tenant_id: int,
        sender: str,
        content_sid: str,
        claimed: Claimed,
        *,
        deadline: float,
    ) -> SendResult:
        if claimed.needs_lookup:
            try:
                sid = transport.find_sent(
                    sender,
                    claimed.phone,
                    claimed.claimed_at - timedelta(minutes=10),
                    self._known_sids(tenant_id, claimed.phone),
                )
            except LookupError as exc:
                return SendResult("unclear", error_code="lookup", error_message=str(exc)[:200])
            if sid:
                return SendResult("ok", provider_sid=sid, status="queued")
        if time.monotonic() >= deadline or not limiter.acquire(deadline):
            return SendResult("later")
        result = transport.send(sender, claimed.phone, content_sid, claimed.variables)
        if result.kind == "throttled":
            limiter.slow_down()
        return result

    def _known_sids(self, tenant_id: int, phone: str) -> list[str]:
        """SIDs our rows already hold for messages to this number: never taken for another recipient."""
        with session_scope() as session:
            r = CampaignRecipient
            sids = list(
                session.execute(
                    select(r.provider_sid).where(
                        r.tenant_id == tenant_id, r.phone == phone, r.provider_sid.is_not(None)
                    )
                ).scalars()
            )
            sids += list(
                session.execute(
                    select(Message.provider_sid)
                    .where(
                        Message.tenant_id == tenant_id,
                        Message.provider_sid.is_not(None),
                        Message.direction == "outbound",
                    )
                    .order_by(Message.id.desc())
                    .limit(500)
                ).scalars()
            )
        return [s for s in sids if s]

    def _record(self, tenant_id: int, claimed: list[Claimed], results: list[SendResult]) -> None:
        now = utcnow()
        params = []
        for c, res in zip(claimed, results, strict=True):
            status = {"ok": res.status or "queued", "refused": "failed"}.get(res.kind, "pending")
            params.append(
                {
                    "r_id": c.id,
                    "r_owner": self.owner,
                    "r_status": status,
                    "r_sid": res.provider_sid,
                    "r_code": res.error_code if res.kind == "refused" else None,
                    "r_words": res.error_message if res.kind == "refused" else None,
                    "r_lookup": res.kind == "unclear"
                    or (c.needs_lookup and res.kind in ("later", "throttled")),
                    "r_failed_at": now if res.kind == "refused" else None,
                }
            )
        with session_scope() as session:
            session.connection().execute(_RECORD, params)
            sids = [res.provider_sid for res in results if res.provider_sid]
            replay_early(session, tenant_id, sids)
        metrics.count_campaign_sends(res.kind for res in results)  # /metrics: campaign sends by outcome

    def _finish_or_wait(self, tenant_id: int, campaign_id: int) -> bool:
        """Nothing to claim: done when nothing is pending or in flight, else wait for quiet hours to end."""
        now = utcnow()
        with session_scope() as session:
            r = CampaignRecipient
            left, wake = session.execute(
                select(func.count(), func.min(r.not_before)).where(
                    r.tenant_id == tenant_id,
                    r.campaign_id == campaign_id,
                    r.status.in_(("pending", "sending")),
                )
            ).one()
            if not left:
                finished = session.execute(
                    update(Campaign)
                    .where(
                        Campaign.tenant_id == tenant_id,
                        Campaign.id == campaign_id,
                        Campaign.status == "sending",
                        Campaign.dispatch_owner == self.owner,
                    )
                    .values(
                        status="sent", completed_at=now, dispatch_owner=None, lease_until=None, updated_at=now
                    )
                    .execution_options(synchronize_session=False)
                )
                if finished.rowcount == 1:  # webhooks: "campaign finished", in this transaction
                    emit(session, tenant_id, "campaign.finished", {"campaign_id": campaign_id}, now=now)
                return True
        self.stopping.wait(self.batch_seconds)
        return False


_dispatcher: Dispatcher | None = None


def process_dispatcher() -> Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = Dispatcher()
    return _dispatcher


def run_forever(poll: float = 0.5) -> None:
    """A dispatcher alone in its process (benchmarks, or a campaigns-only worker)."""
    dispatcher = process_dispatcher()
    while True:
        dispatcher.tick()
        time.sleep(poll)


__all__ = ["Dispatcher", "process_dispatcher", "run_forever", "worker_id"]
