"""The burst queue worker: claims conversations whose burst window closed and answers each burst once.

Guarantees, and how:
- One batch at a time per conversation, across processes: an engine.cache lock per conversation (Redis when
  REDIS_URL is set), taken without waiting — a busy conversation is someone else's this tick. The lock is a
  short lease (`lock_ttl`, 15 s) renewed by engine.cache's heartbeat while this process lives; the same
  heartbeat refreshes the claim's `claimed_at`, and a claim is stale after `stale_after` (= the lease): a
  killed worker's conversation is free for any other worker within about 15 s, never minutes.
- Several conversations at once, fairly: a thread pool (`concurrency`, 8) answers conversations in parallel;
  due conversations come round-robin over tenants (each tenant's oldest first), and one tenant holds at most
  `per_tenant` of the slots — a tenant whose model hangs (bounded anyway by its own model timeout,
  agent_configuration.llm_timeout_seconds) never delays another tenant's replies.
- Two workers never claim the same rows: `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, a claim lock on
  SQLite (whose writes are serialised anyway); the claim is a conditional UPDATE stamped with a unique token.
- Never lost: rows stay `claimed` until the reply exists. A worker that dies mid-batch leaves them claimed;
  once `stale_after` has passed they are claimable again and answered by whoever claims them next.
- Never answered twice: the reply row is created in the same transaction that marks the rows `processed`, and
  only if they still carry this worker's token (a fence against a claim that went stale and was retaken).
  The send itself happens after that commit, through engine.conversations.outbound: recorded as `sending`
  with its idempotency key before the call, so a crash or a timeout is settled by looking the message up at
  Twilio (`outbound.resend_stale_pending`), never by sending it blindly again.
- Not stale: when the customer writes again while the reply is generated, the newer rows are claimed at once
  and the reply is regenerated with them (up to `max_regenerations`); the discarded answer's cost is kept.
- Typing indicator while the window is open and while the reply is made, once per customer message.
"""

from __future__ import annotations

import logging
import threading
import uuid
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, select

from engine.cache import LockTimeout, get_cache, keep_alive
from engine.channels.whatsapp.sender import SenderNotConfigured, TwilioSender
from engine.conversations import lifecycle
from engine.conversations.contract import Responder, TurnReply
from engine.conversations.outbound import (
    SenderFactory,
    conversation_lock_name,
    create_outbound,
    default_sender_factory,
    deliver,
    resend_stale_pending,
)
from engine.db import TenantScope, get_engine, session_scope
from engine.models import Conversation, Message, MessageQueue, utcnow
from engine.models.base import as_utc
from engine.observability import logs, metrics, tracing

log = logging.getLogger(__name__)

TYPING_TTL = 20.0  # WhatsApp shows the indicator for up to 25 s


@dataclass
class WorkerSettings:
    # a claim not refreshed for this long belongs to a dead worker: the heartbeat refreshes live claims every
    # lock_ttl/3 seconds, and the conversation lock runs out at the same moment, so claim and lock agree
    stale_after: timedelta = timedelta(seconds=15)
    max_attempts: int = 3  # pipeline failures before the burst goes to a person
    retry_delay: timedelta = timedelta(seconds=10)
    max_regenerations: int = 2
    batch_limit: int = 50  # conversations per tick
    lock_ttl: float = 15.0  # seconds; renewed while the holder lives, so a crash frees it in seconds
    typing: bool = True
    recovery_interval: timedelta = timedelta(seconds=10)
    concurrency: int = 8  # conversations answered at once by this worker
    per_tenant: int = 4  # of those, at most this many for one tenant


@dataclass
class TickReport:
    replies: int = 0
    skipped: int = 0
    busy: int = 0
    failed: int = 0
    regenerated: int = 0
    typing: int = 0
    resent: int = 0
    outcomes: list[str] = field(default_factory=list)

    def add(self, outcome: str) -> None:
        self.outcomes.append(outcome)
        if outcome == "replied":
            self.replies += 1
        elif outcome == "busy":
            self.busy += 1
        elif outcome in ("failed", "error"):
            self.failed += 1
        else:
            self.skipped += 1


@dataclass
class _Claim:
    token: str
    row_ids: list[int]
    message_ids: list[int]
    traceparents: list[str | None] = field(default_factory=list)  # the webhooks' spans (tracing on)


class QueueWorker:
    """One worker; run `tick()` from the scheduler. The responder (engine.conversations.contract) is given by
    the job wiring (engine.jobs.queue); clock and sender are injectable for tests."""

    def __init__(
        self,
        *,
        responder: Responder,
        sender_factory: SenderFactory | None = None,
        clock: Callable[[], datetime] = utcnow,
        worker_id: str | None = None,
        settings: WorkerSettings | None = None,
    ) -> None:
        self.responder = responder
        self.sender_factory: SenderFactory = sender_factory or default_sender_factory
        self.clock = clock
        self.worker_id = (worker_id or f"w-{uuid.uuid4().hex[:8]}")[:40]
        self.settings = settings or WorkerSettings()
        self._last_recovery: datetime | None = None
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, self.settings.concurrency), thread_name_prefix=f"queue-{self.worker_id}"
        )
        weakref.finalize(self, self._pool.shutdown, wait=False)
        self._mutex = threading.Lock()
        self._in_flight: dict[tuple[int, int], Future[str]] = {}
        self._done: list[str] = []

    # the tick -----------------------------------------------------------------------------------------

    def tick(self, *, wait: bool = True) -> TickReport:
        """Recover stalled sends, show typing, and start answering due conversations in the pool.

        `wait=True` (tests, `engine chat`): return once the conversations started by this tick are answered,
        re-raising what a task raised. `wait=False` (the scheduler job): return at once; conversations still
        being answered stay in flight across ticks and are never started twice, and the report holds the
        outcomes finished since the previous tick."""
        report = TickReport()
        now = self.clock()
        if self._last_recovery is None or now - self._last_recovery >= self.settings.recovery_interval:
            self._last_recovery = now
            report.resent = resend_stale_pending(
                stale_after=self.settings.stale_after, sender_factory=self.sender_factory, clock=self.clock
            )
        if self.settings.typing:
            report.typing = self.show_typing(now)
        started = self._dispatch(now)
        if wait:
            for future in started:
                future.result()
        with self._mutex:
            finished, self._done = self._done, []
        for outcome in finished:
            report.add(outcome)
        return report

    def _dispatch(self, now: datetime) -> list[Future[str]]:
        """Start due conversations within the pool's bounds: `concurrency` in all, `per_tenant` each."""
        started: list[Future[str]] = []
        for tenant_id, conversation_id in self.due_conversations(now):
            key = (tenant_id, conversation_id)
            with self._mutex:
                if key in self._in_flight:
                    continue
                if len(self._in_flight) >= self.settings.concurrency:
                    break
                per_tenant = Counter(t for t, _ in self._in_flight)
                if per_tenant[tenant_id] >= self.settings.per_tenant:
                    continue
                future = self._pool.submit(self.process_conversation, tenant_id, conversation_id)
                self._in_flight[key] = future
            future.add_done_callback(lambda f, key=key: self._finished(key, f))
            started.append(future)
        return started

    def _finished(self, key: tuple[int, int], future: Future[str]) -> None:
        error = future.exception()
        with self._mutex:
            self._in_flight.pop(key, None)
            self._done.append("error" if error is not None else future.result())
        if error is not None and not isinstance(error, Exception):
            log.error("conversation %s/%s stopped: %r", *key, error)

    def in_flight(self) -> int:
        with self._mutex:
            return len(self._in_flight)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking work; with `wait`, let the conversations in flight finish first."""
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def _claimable(self, now: datetime) -> Any:
        return or_(
            and_(MessageQueue.status == "pending", MessageQueue.due_at <= now),  # type: ignore[arg-type]
            and_(
                MessageQueue.status == "claimed",  # type: ignore[arg-type]
                MessageQueue.claimed_at <= now - self.settings.stale_after,  # type: ignore[operator]
            ),
        )

    def due_conversations(self, now: datetime) -> list[tuple[int, int]]:
        """Conversations with a closed burst window or a stale claim, round-robin over tenants: every
        tenant's oldest first, then every tenant's second... — one busy tenant cannot fill the batch."""
        due = (
            select(
                MessageQueue.tenant_id,
                MessageQueue.conversation_id,
                func.min(MessageQueue.due_at).label("oldest"),
            )
            .where(self._claimable(now))
            .group_by(MessageQueue.tenant_id, MessageQueue.conversation_id)
            .subquery()
        )
        order = (due.c.oldest, due.c.conversation_id)
        turn = func.row_number().over(partition_by=due.c.tenant_id, order_by=order).label("turn")
        ranked = select(due.c.tenant_id, due.c.conversation_id, due.c.oldest, turn).subquery()
        with session_scope() as session:
            rows = session.exec(
                select(ranked.c.tenant_id, ranked.c.conversation_id)
                .order_by(ranked.c.turn, ranked.c.oldest, ranked.c.tenant_id)
                .limit(self.settings.batch_limit)
            ).all()
        return [(int(t), int(c)) for t, c in rows]

    # typing -------------------------------------------------------------------------------------------

    def show_typing(self, now: datetime) -> int:
        """Typing indicator on the newest message of every open burst window, once per message."""
        with session_scope() as session:
            rows = session.exec(
                select(MessageQueue.tenant_id, func.max(MessageQueue.message_id))
                .where(MessageQueue.status == "pending", MessageQueue.due_at > now)
                .group_by(MessageQueue.tenant_id, MessageQueue.conversation_id)
                .limit(self.settings.batch_limit)
            ).all()
        shown = 0
        senders: dict[int, TwilioSender | None] = {}
        for tenant_id, message_id in rows:
            shown += self._typing(int(tenant_id), int(message_id), senders)
        return shown

    def _typing(self, tenant_id: int, message_id: int, senders: dict[int, TwilioSender | None]) -> int:
        if not self.settings.typing:
            return 0
        if get_cache().incr(f"wa:typing:{tenant_id}:{message_id}", ttl=TYPING_TTL) != 1:
            return 0  # already shown (by this or another worker) and still on screen
        with session_scope() as session:
            row = TenantScope(session, tenant_id).get(Message, message_id)
            sid = row.provider_sid if row else None
            if sid and tenant_id not in senders:
                try:
                    senders[tenant_id] = self.sender_factory(session, tenant_id)
                except SenderNotConfigured:
                    senders[tenant_id] = None
        sender = senders.get(tenant_id)
        return int(bool(sid and sender and sender.typing(sid)))

    # one conversation ---------------------------------------------------------------------------------

    def process_conversation(self, tenant_id: int, conversation_id: int) -> str:
        """Answer the conversation's due burst: replied · nothing · skipped · busy · error · failed."""
        token = f"{self.worker_id}:{uuid.uuid4().hex[:12]}"
        with ExitStack() as stack:
            try:
                lease = stack.enter_context(
                    get_cache().lock(
                        conversation_lock_name(tenant_id, conversation_id), ttl=self.settings.lock_ttl, wait=0
                    )
                )
            except LockTimeout:
                return "busy"
            stack.enter_context(keep_alive(lease, on_renew=lambda: self._refresh_claim(tenant_id, token)))
            return self._process_locked(tenant_id, conversation_id, token)

    def _refresh_claim(self, tenant_id: int, token: str) -> None:
        """The heartbeat's second half: a live worker's claim never looks stale."""
        with session_scope() as session:
            session.execute(
                update(MessageQueue)
                .where(
                    MessageQueue.tenant_id == tenant_id,  # type: ignore[arg-type]
                    MessageQueue.claimed_by == token[:64],  # type: ignore[arg-type]
                    MessageQueue.status == "claimed",  # type: ignore[arg-type]
                )
                .values(claimed_at=self.clock())
            )

    def _process_locked(self, tenant_id: int, conversation_id: int, token: str) -> str:
        claim = self._claim(tenant_id, conversation_id, token, due_only=True)
        if claim is None:
            return "nothing"
        # The trace continues from the webhooks that queued the burst (engine.observability.tracing).
        with (
            logs.bound(tenant_id=tenant_id, conversation_id=conversation_id),
            tracing.span_from(
                "queue.burst", claim.traceparents, conversation_id=conversation_id, rows=len(claim.row_ids)
            ),
        ):
            return self._answer_claim(tenant_id, conversation_id, token, claim)

    def _answer_claim(self, tenant_id: int, conversation_id: int, token: str, claim: _Claim) -> str:
        regenerations = 0
        senders: dict[int, TwilioSender | None] = {}
        while True:
            conversation, messages = self._load(tenant_id, conversation_id, claim.message_ids)
            if conversation is None or conversation.status != "bot":
                self._finish(tenant_id, claim, status="skipped")
                return "skipped"
            self._typing(tenant_id, claim.message_ids[-1], senders)
            try:
                reply = self.responder.answer(conversation, messages)
            except Exception:
                log.exception("pipeline failed for conversation %s/%s", tenant_id, conversation_id)
                return self._release_after_error(tenant_id, conversation_id, claim)
            if regenerations < self.settings.max_regenerations:
                newer = self._claim(tenant_id, conversation_id, token, due_only=False)
                if newer is not None:
                    # Paid for and thrown away: the responder keeps its cost visible and forgets the turn.
                    self.responder.discard_reply(tenant_id, conversation_id, reply)
                    claim.row_ids += newer.row_ids
                    claim.message_ids += newer.message_ids
                    regenerations += 1
                    continue
            break
        reply_id, outcome = self._commit_reply(tenant_id, conversation_id, claim, reply)
        if reply_id is None:
            return outcome
        deliver(tenant_id, reply_id, sender_factory=self.sender_factory, clock=self.clock)
        if messages:  # what the customer waited, burst window included (/metrics)
            metrics.observe_reply_delay((self.clock() - as_utc(messages[0].created_at)).total_seconds())
        return "replied"

    # claims -------------------------------------------------------------------------------------------

    def _claim(self, tenant_id: int, conversation_id: int, token: str, *, due_only: bool) -> _Claim | None:
        """Claim the conversation's claimable rows. `due_only`: only when its burst window has closed (a
        message that arrived since may have pushed it); otherwise every pending row (regeneration)."""
        now = self.clock()
        is_sqlite = get_engine().dialect.name == "sqlite"
        guard = get_cache().lock("message-queue-claim", ttl=30, wait=10) if is_sqlite else _NullContext()
        with guard, session_scope() as session:
            stale = and_(
                MessageQueue.status == "claimed",  # type: ignore[arg-type]
                MessageQueue.claimed_at <= now - self.settings.stale_after,  # type: ignore[operator]
            )
            claimable = or_(MessageQueue.status == "pending", stale)  # type: ignore[arg-type]
            rows = session.exec(
                select(MessageQueue)
                .where(
                    MessageQueue.tenant_id == tenant_id,
                    MessageQueue.conversation_id == conversation_id,
                    claimable,
                )
                .order_by(MessageQueue.message_id)  # type: ignore[arg-type]
                .with_for_update(skip_locked=True)
            ).all()
            if not rows:
                return None
            if due_only and any(r.status == "pending" and r.due_at > now for r in rows):
                return None  # the window was pushed by a newer message since the tick looked
            ids = [r.id for r in rows]
            result = session.execute(
                update(MessageQueue)
                .where(MessageQueue.id.in_(ids), claimable)  # type: ignore[union-attr]
                .values(
                    status="claimed",
                    claimed_by=token[:64],
                    claimed_at=now,
                    attempts=MessageQueue.attempts + 1,
                )
            )
            if result.rowcount != len(ids):  # type: ignore[attr-defined]
                session.rollback()
                return None
            return _Claim(
                token=token,
                row_ids=[int(i) for i in ids],
                message_ids=[r.message_id for r in rows],
                traceparents=[r.traceparent for r in rows],
            )

    def _load(
        self, tenant_id: int, conversation_id: int, message_ids: Sequence[int]
    ) -> tuple[Conversation | None, list[Message]]:
        with session_scope() as session:
            scope = TenantScope(session, tenant_id)
            conversation = scope.get(Conversation, conversation_id)
            messages = scope.all(Message, Message.id.in_(list(message_ids)))  # type: ignore[union-attr]
            messages.sort(key=lambda m: (m.created_at, m.id))
            return conversation, messages

    def _finish(self, tenant_id: int, claim: _Claim, *, status: str, session: Session | None = None) -> int:
        def run(s: Session) -> int:
            result = s.execute(
                update(MessageQueue)
                .where(
                    MessageQueue.tenant_id == tenant_id,  # type: ignore[arg-type]
                    MessageQueue.id.in_(claim.row_ids),  # type: ignore[union-attr]
                    MessageQueue.status == "claimed",  # type: ignore[arg-type]
                    MessageQueue.claimed_by == claim.token[:64],  # type: ignore[arg-type]
                )
                .values(status=status, processed_at=self.clock())
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

        if session is not None:
            return run(session)
        with session_scope() as own:
            return run(own)

    def _release_after_error(self, tenant_id: int, conversation_id: int, claim: _Claim) -> str:
        """Back to pending after a pipeline error; after `max_attempts` the burst goes to a person."""
        now = self.clock()
        with session_scope() as session:
            rows = TenantScope(
                session, tenant_id
            ).all(
                MessageQueue,
                MessageQueue.id.in_(claim.row_ids),  # type: ignore[union-attr]
                MessageQueue.claimed_by == claim.token[:64],
            )
            exhausted = any(r.attempts >= self.settings.max_attempts for r in rows)
            for row in rows:
                if exhausted:
                    row.status, row.processed_at = "failed", now
                else:
                    row.status, row.claimed_by, row.claimed_at = "pending", None, None
                    row.due_at = now + self.settings.retry_delay
                session.add(row)
            if exhausted:
                lifecycle.hand_off(
                    session,
                    tenant_id,
                    conversation_id,
                    reason="the agent could not answer (pipeline error)",
                    category="error",
                    actor_label="worker",
                    now=now,
                )
        return "failed" if exhausted else "error"

    # the reply ----------------------------------------------------------------------------------------

    def _commit_reply(
        self, tenant_id: int, conversation_id: int, claim: _Claim, reply: TurnReply
    ) -> tuple[int | None, str]:
        """Mark the burst processed and create its reply in one transaction, fenced by the claim token; the
        responder links its turn to the reply and a requested handoff applies in the same transaction."""
        now = self.clock()
        with session_scope() as session:
            conversation = TenantScope(session, tenant_id).get(Conversation, conversation_id)
            if conversation is None or conversation.status != "bot" or reply.message is None:
                # A person took over meanwhile, or the responder chose silence.
                self._finish(tenant_id, claim, status="skipped", session=session)
                if conversation is not None and conversation.status == "bot" and reply.handoff is not None:
                    # Silence that asks for a person (the tenant switched the agent off): staff get the burst.
                    lifecycle.hand_off(
                        session,
                        tenant_id,
                        conversation_id,
                        reason=reply.handoff.reason,
                        category=reply.handoff.category,
                        actor_label="worker",
                        now=now,
                    )
                    return None, "handed-off"
                return None, "skipped"
            if self._finish(tenant_id, claim, status="processed", session=session) != len(claim.row_ids):
                session.rollback()
                log.warning(
                    "claim %s on conversation %s was retaken; not answering", claim.token, conversation_id
                )
                return None, "lost-claim"
            row = create_outbound(session, tenant_id, conversation_id, reply.message, now=now)
            conversation.last_activity_at = now
            session.add(conversation)
            self.responder.link_reply(session, tenant_id, reply, int(row.id or 0))
            if reply.handoff is not None:
                lifecycle.hand_off(
                    session,
                    tenant_id,
                    conversation_id,
                    reason=reply.handoff.reason,
                    category=reply.handoff.category,
                    now=now,
                )
            return row.id, "replied"


class _NullContext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


__all__ = ["QueueWorker", "TickReport", "WorkerSettings"]
