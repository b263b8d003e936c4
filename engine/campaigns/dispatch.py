"""The dispatcher: a campaign's recipients sent at the sender's pace, each exactly once, across crashes.

How "nobody twice, nobody skipped" holds (the statements are in claims.py):
- One dispatcher per campaign: a lease on the campaign row (`dispatch_owner`, `lease_until`) taken by a
  conditional UPDATE and renewed every `batch_seconds`; a second worker sees it held and leaves the campaign
  alone. The lease is short (2.5 s), so a killed worker's campaign is picked up within seconds; a worker
  restarted under the same id (PARLEY_WORKER_ID) takes its own lease back at once.
- Each recipient is claimed (`status` pending → sending, `claimed_by`) by a conditional UPDATE before its send
  (on PostgreSQL the ids are chosen with FOR UPDATE SKIP LOCKED), and its Twilio SID is written when Twilio
  answers. Whoever takes a campaign over turns the previous holder's claims back into pending recipients
  marked `needs_lookup`: before sending to one of those, the dispatcher looks in Twilio's Messages list for a
  message to that number since the claim which none of our rows holds, and records it instead of sending.
  The SIDs our rows hold are read once per claimed batch, and a few look-ups go to Twilio at a time
  (async_sender.LOOKUPS_AT_ONCE): all at once, a restart's few hundred held its last recipients for 28 s.
- A send that ends unclearly (5xx, timeout) is marked the same way; a 429 returns the recipient to pending
  and halves the pace (limiter.py); a refusal is recorded on the recipient in words.
- No send starts within 1.1 s of the lease's end (each send reads the lease as it starts), so a stalled
  worker cannot send beside its successor, and a successor's first send comes more than a one-second window
  after its predecessor's last (the pace holds across a takeover too); a lost lease sends the unstarted ones
  back to pending.
Pause, resume and cancel are status changes (service.py); the status is read with every lease renewal, so
they take effect within a second.

How the pace holds (benchmarks/campaign_dispatch.py): claim → send → record is a pipeline, not a loop of
batches. One event loop per campaign (async_sender.py) keeps every send in flight, each waiting for the slot
the limiter reserved for it; every `TICK` the loop tops up the claimed queue with one UPDATE … RETURNING and
records the finished sends with one executemany, both in a worker thread, so the database's time never
holds a send back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import or_, select
from sqlmodel import Session

from engine.campaigns.async_sender import AsyncCampaignSender
from engine.campaigns.claims import Claimed, Claims
from engine.campaigns.limiter import SlidingWindowLimiter
from engine.campaigns.service import settings_for
from engine.campaigns.start import due_campaigns, materialize
from engine.campaigns.transport import CampaignTransport, SendResult
from engine.channels.whatsapp.sender import SenderNotConfigured
from engine.db import session_scope
from engine.models import Campaign, utcnow

log = logging.getLogger(__name__)
LEASE_SECONDS = 2.5
BATCH_SECONDS = 0.25  # how often the lease is renewed (and a pause or cancel seen)
SAFETY = 1.1  # seconds before the lease's end after which no send starts: more than the limiter's window
TICK = 0.1  # how often finished sends are recorded and the claimed queue topped up
AHEAD_SECONDS = 0.5  # claimed recipients waiting for their slot, in seconds of sending


def worker_id() -> str:
    return os.environ.get("PARLEY_WORKER_ID") or f"{socket.gethostname()}:{os.getpid()}"


class _Lease:
    """The campaign's lease end on this process's monotonic clock, read by every send as it starts: renewals
    move it on; losing the lease (pause, cancel, takeover) sets it to 0 and every send not started yet goes
    back to pending."""

    def __init__(self, end: float) -> None:
        self.end = end

    def deadline(self) -> float:
        return self.end - SAFETY


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
        connections: int = 100,
        rate_override: int | None = None,
    ) -> None:
        self.owner = owner or worker_id()
        self.claims = Claims(self.owner, lease_seconds)
        self.transport_factory = transport_factory
        self.batch_seconds = batch_seconds
        self.connections = connections
        self.rate_override = rate_override
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

    # one campaign -------------------------------------------------------------------------------------

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
        lease_end = self.claims.lease(tenant_id, campaign_id, first=True)
        if lease_end is None:
            return
        self.claims.take_over(tenant_id, campaign_id)
        with session_scope() as session:
            campaign = session.get(Campaign, campaign_id)
            assert campaign is not None
            sender, content_sid = str(campaign.sender_address), str(campaign.content_sid)
            rate = self.rate_override or settings_for(session, tenant_id).messages_per_second
            transport = self.transport_factory(session, tenant_id)
        run = _CampaignRun(self, tenant_id, campaign_id, sender, content_sid, transport, rate, lease_end)
        asyncio.run(run.pump())


class _CampaignRun:
    """One campaign on this worker: the event loop's side of the pipeline."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        tenant_id: int,
        campaign_id: int,
        sender: str,
        content_sid: str,
        transport: CampaignTransport,
        rate: int,
        lease_end: float,
    ) -> None:
        self.d, self.claims = dispatcher, dispatcher.claims
        self.tenant_id, self.campaign_id = tenant_id, campaign_id
        self.sender, self.content_sid = sender, content_sid
        self.transport = transport
        self.limiter = dispatcher._limiter(sender, rate)
        self.lease = _Lease(lease_end)
        self.ahead = max(8, int(rate * AHEAD_SECONDS))
        self._replies: tuple[float, list[str]] | None = None
        self._replies_lock = asyncio.Lock()

    async def pump(self) -> None:
        """Every TICK: renew the lease when due, top up the claimed queue, record what finished. Sends run
        as tasks on this loop; nothing here waits for a batch to finish."""
        inflight: dict[asyncio.Task[SendResult], Claimed] = {}
        tid, cid = self.tenant_id, self.campaign_id
        renew_at = time.monotonic() + self.d.batch_seconds
        async with AsyncCampaignSender(self.transport, connections=self.d.connections) as out:
            try:
                while not self.d.stopping.is_set():
                    if time.monotonic() >= renew_at:
                        lease_end = await asyncio.to_thread(self.claims.lease, tid, cid, first=False)
                        if lease_end is None:
                            return  # paused, cancelled, or the lease went to another worker
                        self.lease.end, renew_at = lease_end, time.monotonic() + self.d.batch_seconds
                    room = self.ahead - len(inflight)
                    if room >= max(1, self.ahead // 4):
                        for claimed in await asyncio.to_thread(self.claims.claim, tid, cid, room):
                            inflight[asyncio.create_task(self._send(out, claimed))] = claimed
                    if not inflight:
                        if await asyncio.to_thread(self.claims.finish_if_done, tid, cid):
                            return
                        await asyncio.sleep(self.d.batch_seconds)  # quiet hours: wait for the next one due
                        continue
                    await asyncio.sleep(TICK)
                    await self._record_done(inflight)
            finally:
                self.lease.end = 0.0  # sends not started yet go back to pending
                if inflight:
                    await asyncio.wait(list(inflight))
                await self._record_done(inflight)
                await asyncio.to_thread(self.claims.cancel_leftovers, tid, cid)

    async def _record_done(self, inflight: dict[asyncio.Task[SendResult], Claimed]) -> None:
        done = [t for t in inflight if t.done()]
        if done:
            claimed = [inflight.pop(t) for t in done]
            await asyncio.to_thread(self.claims.record, self.tenant_id, claimed, [_outcome(t) for t in done])

    async def _send(self, out: AsyncCampaignSender, claimed: Claimed) -> SendResult:
        if claimed.needs_lookup:
            found = await self._look_up(out, claimed)
            if found is not None:
                return found
        start = self.limiter.reserve(self.lease.deadline)
        if start is None:
            return SendResult("later")
        wait = start - time.monotonic()
        while True:
            if wait > 0:
                await asyncio.sleep(wait)
            if time.monotonic() > self.lease.deadline():
                return SendResult("later")
            wait = self.limiter.admit()
            if not wait:
                break
        result = await out.send(self.sender, claimed.phone, self.content_sid, claimed.variables)
        if result.kind == "throttled":
            self.limiter.slow_down()
        return result

    async def _message_sids(self) -> list[str]:
        """The tenant's latest reply SIDs, read at most once a second: after a crash every claimed recipient
        is looked up at once, and each reading them again held the restart for seconds. One reading at a
        time: those look-ups all ask before the first reading is back, and each would start its own."""
        async with self._replies_lock:
            now = time.monotonic()
            if self._replies is None or now - self._replies[0] > 1.0:
                sids = await asyncio.to_thread(self.claims.message_sids, self.tenant_id)
                self._replies = (now, sids)
            return self._replies[1]

    async def _look_up(self, out: AsyncCampaignSender, claimed: Claimed) -> SendResult | None:
        """A message an earlier holder's send left at Twilio (recorded instead of sending), or None."""
        known = claimed.known + await self._message_sids()  # claimed.known: read with the claim (claims.py)
        try:
            sid = await out.find_sent(
                self.sender, claimed.phone, claimed.claimed_at - timedelta(minutes=10), known
            )
        except LookupError as exc:
            return SendResult("unclear", error_code="lookup", error_message=str(exc)[:200])
        return SendResult("ok", provider_sid=sid, status="queued") if sid else None


def _outcome(task: asyncio.Task[SendResult]) -> SendResult:
    """A send that raised may have reached Twilio: look before sending again."""
    exc = task.exception()
    if exc is None:
        return task.result()
    log.error("campaign send failed unexpectedly", exc_info=exc)
    return SendResult("unclear", error_code="error", error_message=str(exc)[:200])


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
