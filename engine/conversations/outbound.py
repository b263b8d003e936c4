"""Outbound messages (agent replies, staff replies, later campaign messages): written to the database first,
then handed to Twilio, then the outcome recorded — each sent exactly once.

Why in that order: a message row in status `pending` is the promise that a message exists. Before Twilio is
called the row becomes `sending`, with its idempotency key and the start of its send window committed, so a
create call that times out, or a process killed mid-call, never leads to a blind second create: whoever
sends it next (the retries of this call, `resend_stale_pending` after a crash, a person pressing Retry)
first looks the message up at Twilio (engine.channels.whatsapp.sender.SendKey) and records what it finds.

One sender at a time per message: a short lease (`send:<tenant>:<message>`, renewed by the heartbeat while
the send runs) — a killed sender's lease runs out in seconds and recovery takes the message over.

A message that cannot be delivered reaches a person: Twilio's 5xx, 429s and network failures are retried
for a bounded time (the sender's tenacity policy); after that the outcome is recorded in words and a bot
conversation is handed off through the lifecycle ("the reply could not be delivered"). The inbox shows the
failed message with its error and offers Retry (`retry_send`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from engine.cache import Lease, LockTimeout, get_cache, keep_alive
from engine.channels.whatsapp import limits
from engine.channels.whatsapp.rich import RichMessage
from engine.channels.whatsapp.sender import (
    CLOCK_SKEW,
    LeaseLost,
    Rival,
    SenderNotConfigured,
    SendKey,
    SendOutcome,
    TwilioSender,
    default_sender_address,
)
from engine.channels.whatsapp.status import FAILED, moves_forward, replay_early_statuses
from engine.conversations import happenings, lifecycle
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message, utcnow

log = logging.getLogger(__name__)

SenderFactory = Callable[[Session, int], TwilioSender]
SEND_LEASE = 15.0  # seconds; renewed every 5 s while the send runs, so a dead sender's runs out quickly
UNDELIVERED_REASON = "the reply could not be delivered"
UNDELIVERED_CATEGORY = "delivery_failed"
IN_FLIGHT = "sending"  # the outcome of a send that someone else holds right now
RECORD_TRIES = 3  # a connection the database terminated while we recorded a sent message


class OutboundError(ValueError):
    """A send that cannot be done as asked (not found, not failed, conversation closed); fit for a toast."""


def new_key() -> str:
    return uuid.uuid4().hex


def send_lock_name(tenant_id: int, message_id: int) -> str:
    return f"send:{tenant_id}:{message_id}"


def default_sender_factory(session: Session, tenant_id: int) -> TwilioSender:
    return TwilioSender.for_tenant(session, tenant_id)


def conversation_lock_name(tenant_id: int, conversation_id: int) -> str:
    """One batch (or one send) at a time per conversation, across processes when Redis is configured."""
    return f"conversation:{tenant_id}:{conversation_id}"


def display_body(message: RichMessage) -> str:
    return message.body or message.title or (message.media.url if message.media else "")


def create_outbound(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    message: RichMessage,
    *,
    sender: str = "agent",
    user_id: int | None = None,
    now: datetime | None = None,
) -> Message:
    """The outbound row in status `pending`, ready for `deliver`."""
    now = now or utcnow()
    return TenantScope(session, tenant_id).add(
        Message(
            conversation_id=conversation_id,
            direction="outbound",
            sender=sender,
            body=display_body(message),
            media=[message.media.to_dict()] if message.media else [],
            rich=message.to_dict(),
            status="pending",
            idempotency_key=new_key(),
            sent_by_user_id=user_id,
            created_at=now,
            updated_at=now,
        )
    )


@dataclass(frozen=True, slots=True)
class Route:
    from_: str
    to: str
    in_session: bool


def route_for(session: Session, tenant_id: int, conversation: Conversation, now: datetime) -> Route:
    """Our sender (the one the customer last wrote to), their address, and whether the 24 h window is open."""
    scope = TenantScope(session, tenant_id)
    customer = scope.require(Customer, conversation.customer_id)
    last_inbound = session.exec(
        scope.select(Message)
        .where(Message.conversation_id == conversation.id, Message.direction == "inbound")
        .order_by(Message.id.desc())  # type: ignore[union-attr]
        .limit(1)
    ).first()
    our_address = ((last_inbound.rich or {}).get("inbound") or {}).get("to") if last_inbound else None
    in_session = bool(
        conversation.last_inbound_at
        and now - conversation.last_inbound_at < timedelta(hours=limits.SESSION_WINDOW_HOURS)
    )
    return Route(
        from_=our_address or default_sender_address(session, tenant_id),
        to=customer.phone,
        in_session=in_session,
    )


@dataclass
class _Plan:
    """What one send needs, read (and the row marked `sending`) in one short transaction."""

    conversation_id: int
    message: RichMessage
    key: SendKey | None = None
    route: Route | None = None
    twilio: TwilioSender | None = None
    problem: str = ""
    current: SendOutcome | None = None  # set when there is nothing to send (sent, failed, in flight)


def deliver(
    tenant_id: int,
    message_id: int,
    *,
    sender_factory: SenderFactory | None = None,
    clock: Callable[[], datetime] = utcnow,
    recover: bool = False,
) -> SendOutcome:
    """Send a pending outbound message once and record the outcome on it (status, SID, error, fallback).

    `recover`: also take over a message left `sending` by a sender that died (its lease ran out). A message
    someone else is sending right now comes back as status "sending" and is left to them."""
    with ExitStack() as stack:
        try:
            lease = stack.enter_context(
                get_cache().lock(send_lock_name(tenant_id, message_id), ttl=SEND_LEASE, wait=0)
            )
        except LockTimeout:
            return SendOutcome(status=IN_FLIGHT, body="")
        stack.enter_context(keep_alive(lease))
        return _deliver(tenant_id, message_id, sender_factory, clock, recover, lease)


def _deliver(
    tenant_id: int,
    message_id: int,
    sender_factory: SenderFactory | None,
    clock: Callable[[], datetime],
    recover: bool,
    lease: Lease,
) -> SendOutcome:
    plan = _begin(tenant_id, message_id, sender_factory or default_sender_factory, clock(), recover)
    if plan.current is not None:
        return plan.current
    if plan.twilio is None or plan.route is None:
        outcome = SendOutcome(
            status="failed", body=plan.message.body, error_code="not_configured", error_message=plan.problem
        )
    else:
        try:
            outcome = plan.twilio.send(
                from_=plan.route.from_,
                to=plan.route.to,
                message=plan.message,
                in_session=plan.route.in_session,
                key=plan.key,
                still_ours=lambda: lease.held,
            )
        except LeaseLost:
            log.warning(
                "lost the send lease of message %s/%s; its new holder finishes it", tenant_id, message_id
            )
            return SendOutcome(status=IN_FLIGHT, body="")
    now = clock()
    if not record_outcome(tenant_id, message_id, outcome, now=now):
        return SendOutcome(status=IN_FLIGHT, body="")  # its SID was another row's: recovery settles it
    if not outcome.ok and (outcome.transient or outcome.error_code == "not_configured"):
        # Twilio (or the network) stayed down past the retries, or WhatsApp is not connected: a person can
        # act (Retry, connect) and the customer is waiting. A refusal for good (not on WhatsApp, blocked) is
        # shown on the message with its reason and the conversation stays where it is.
        with session_scope() as session:
            lifecycle.hand_off(
                session,
                tenant_id,
                plan.conversation_id,
                reason=UNDELIVERED_REASON,
                category=UNDELIVERED_CATEGORY,
                actor_label="worker",
                now=now,
            )
    return outcome


def _begin(tenant_id: int, message_id: int, factory: SenderFactory, now: datetime, recover: bool) -> _Plan:
    """Mark the row `sending` (key and window committed before any network call) and gather the route."""
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        row = scope.require(Message, message_id)
        rich = RichMessage.from_dict(row.rich) if row.rich and row.rich.get("kind") else None
        plan = _Plan(int(row.conversation_id), rich or RichMessage(kind="text", body=row.body or ""))
        if row.status != "pending" and not (recover and row.status == IN_FLIGHT):
            plan.current = _as_outcome(row)
            return plan
        lookup_first = row.sending_at is not None  # an earlier attempt may have reached Twilio
        row.idempotency_key = row.idempotency_key or new_key()
        row.sending_at = row.sending_at or now
        row.status, row.updated_at = IN_FLIGHT, now
        session.add(row)
        conversation_id, since = plan.conversation_id, row.sending_at
        plan.key = SendKey(
            key=row.idempotency_key,
            since=since,
            lookup_first=lookup_first,
            known_sids=lambda: _known_sids(tenant_id, conversation_id, message_id, since),
            recorded_sid=lambda: _recorded_sid(tenant_id, message_id),
            rivals=lambda: _rivals(tenant_id, conversation_id, message_id),
        )
        try:
            conversation = scope.require(Conversation, plan.conversation_id)
            plan.route = route_for(session, tenant_id, conversation, now)
            plan.twilio = factory(session, tenant_id)
        except SenderNotConfigured as exc:
            plan.problem = str(exc)
    return plan


def _as_outcome(row: Message) -> SendOutcome:
    return SendOutcome(
        status=row.status,
        body=row.body or "",
        provider_sid=row.provider_sid,
        error_code=row.error_code,
        error_message=row.error_message,
    )


def _known_sids(tenant_id: int, conversation_id: int, message_id: int, since: datetime) -> set[str]:
    """SIDs our other outbound messages in this conversation hold (from the window on): a look-up for this
    message must not take one of them for its own."""
    with session_scope() as session:
        rows = session.exec(
            TenantScope(session, tenant_id)
            .select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == "outbound",
                Message.id != message_id,
                Message.provider_sid.is_not(None),  # type: ignore[union-attr]
                Message.created_at >= since - CLOCK_SKEW - timedelta(hours=1),
            )
        ).all()
        return {str(r.provider_sid) for r in rows}


def _recorded_sid(tenant_id: int, message_id: int) -> str | None:
    """The SID a status callback recorded on the message by its key (status.apply_status), if any."""
    with session_scope() as session:
        row = TenantScope(session, tenant_id).get(Message, message_id)
        return row.provider_sid if row is not None else None


def _rivals(tenant_id: int, conversation_id: int, message_id: int) -> list[Rival]:
    """Our other messages in this conversation whose send began and that hold no SID yet: a look-up for this
    message waits for their callbacks before taking a same-text candidate (sender.find_sent)."""
    with session_scope() as session:
        rows = session.exec(
            TenantScope(session, tenant_id)
            .select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == "outbound",
                Message.id != message_id,
                Message.status.in_(("pending", IN_FLIGHT)),  # type: ignore[attr-defined]
                Message.provider_sid.is_(None),  # type: ignore[union-attr]
                Message.sending_at.is_not(None),  # type: ignore[union-attr]
            )
        ).all()
        return [Rival(since=r.sending_at, body=r.body or "") for r in rows if r.sending_at is not None]


def describe_failure(outcome: SendOutcome) -> str:
    """The error as staff read it in the inbox: what Twilio said and, after retries, how long we tried."""
    text = (outcome.error_message or "").strip() or "no answer"
    if outcome.transient and outcome.attempts > 1:
        return (
            f"Twilio could not take the message after {outcome.attempts} tries over "
            f"{max(1, round(outcome.retried_for))} s (last answer: {text})"
        )[:500]
    return text[:500]


def record_outcome(
    tenant_id: int, message_id: int, outcome: SendOutcome, *, now: datetime | None = None
) -> bool:
    """Write the outcome on the row; False when its SID is another row's (the row stays for recovery).

    Recording must hold under concurrency and dropped connections, or a message Twilio accepted is left to
    no row and recovery sends a copy: a connection the database terminated is retried on a fresh one (the
    message exists at Twilio; only our note of it is missing), and a SID another row recorded first — a
    status callback naming that row's key, or a concurrent look-up that took the same candidate — meets
    the unique (tenant_id, provider_sid) key: this row is then left `sending`, unchanged, and recovery
    looks again with that SID known to be taken."""
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            _record(tenant_id, message_id, outcome, now or utcnow())
            return True
        except IntegrityError:
            log.warning(
                "message %s/%s: SID %s is already another message's; recovery looks again",
                tenant_id,
                message_id,
                outcome.provider_sid,
            )
            return False
        except OperationalError:
            if attempt == RECORD_TRIES:
                raise
            log.warning(
                "recording message %s/%s failed on a dropped connection; again", tenant_id, message_id
            )
    return False  # not reached


def _record(tenant_id: int, message_id: int, outcome: SendOutcome, now: datetime) -> None:
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        row = scope.require(Message, message_id)
        rich: dict[str, Any] = dict(row.rich or {})
        if outcome.content_hash:
            rich["content_hash"] = outcome.content_hash
        if outcome.fallback:
            rich["fallback"] = outcome.fallback
            row.body = outcome.body
        if outcome.recovered:
            rich["recovered"] = True  # found at Twilio after an unclear end, not sent twice
        row.rich = rich
        if row.provider_sid and outcome.recovered and outcome.provider_sid != row.provider_sid:
            # The status callback named this row by its key while the look-up guessed from the body: the
            # key is the evidence; the guessed message stays free for the reply that owns it.
            outcome = replace(outcome, provider_sid=row.provider_sid, status=row.status)
        same_message = bool(outcome.provider_sid) and row.provider_sid == outcome.provider_sid
        row.provider_sid = outcome.provider_sid
        row.content_sid = outcome.content_sid
        if not same_message or row.status == IN_FLIGHT or moves_forward(row.status, outcome.status):
            # A status callback may have recorded this SID with a later status first: never move it back.
            row.status = outcome.status
        row.error_code = outcome.error_code[:16] if outcome.error_code else None
        row.error_message = describe_failure(outcome) if not outcome.ok else outcome.error_message
        row.updated_at = now
        if outcome.ok and not rich.get("announced"):  # "reply sent", once per message (webhooks)
            row.rich = {**rich, "announced": True}
            happenings.reply_sent(
                session,
                tenant_id,
                conversation_id=row.conversation_id,
                message_id=message_id,
                sender=row.sender,
                status=row.status,
                text=row.body,
                now=now,
            )
        session.add(row)
        session.flush()
        if outcome.provider_sid:
            replay_early_statuses(session, tenant_id, outcome.provider_sid)


def resend_stale_pending(
    *,
    stale_after: timedelta,
    sender_factory: SenderFactory | None = None,
    clock: Callable[[], datetime] = utcnow,
    limit: int = 50,
) -> int:
    """Finish sends a dead process left behind; returns how many were settled (found or sent).

    A `pending` message nobody started, or a `sending` one whose sender stopped renewing its lease: the lease
    decides who may touch it, and the send looks the message up at Twilio first when an earlier attempt may
    have reached it — so recovery never sends a message the customer already has."""
    now = clock()
    with session_scope() as session:
        rows = session.exec(
            select(Message.tenant_id, Message.id)
            .where(
                Message.direction == "outbound",
                Message.status.in_(("pending", IN_FLIGHT)),  # type: ignore[attr-defined]
                Message.provider_sid.is_(None),  # type: ignore[union-attr]
                Message.updated_at <= now - stale_after,
            )
            .order_by(Message.id)  # type: ignore[arg-type]
            .limit(limit)
        ).all()
    settled = 0
    for tenant_id, message_id in rows:
        log.warning("finishing outbound message %s/%s left behind by a stopped sender", tenant_id, message_id)
        outcome = deliver(
            int(tenant_id), int(message_id), sender_factory=sender_factory, clock=clock, recover=True
        )
        settled += int(outcome.status != IN_FLIGHT)
    return settled


def retry_send(
    tenant_id: int,
    message_id: int,
    *,
    sender_factory: SenderFactory | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> SendOutcome:
    """Send a message that was not delivered once more — the same row, so the inbox shows one bubble.

    A message Twilio never accepted keeps its key and window: if an unclear attempt did reach Twilio after
    all, the look-up finds it and nothing is sent twice. One Twilio accepted and then failed (undelivered) is
    a new message at Twilio: a new key and window. Raises OutboundError when there is nothing to retry."""
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        row = scope.get(Message, message_id)
        if row is None or row.direction != "outbound":
            raise OutboundError(f"Message {message_id} not found")
        if row.status not in FAILED:
            raise OutboundError("only a reply WhatsApp refused can be sent again")
        conversation = scope.require(Conversation, row.conversation_id)
        if conversation.status == "closed":
            raise OutboundError("this conversation is closed")
        if row.provider_sid:
            row.idempotency_key, row.sending_at, row.provider_sid = new_key(), None, None
        row.status, row.error_code, row.error_message = "pending", None, None
        row.updated_at = clock()
        session.add(row)
    return deliver(tenant_id, message_id, sender_factory=sender_factory, clock=clock)


__all__ = [
    "IN_FLIGHT",
    "OutboundError",
    "Route",
    "SenderFactory",
    "UNDELIVERED_CATEGORY",
    "UNDELIVERED_REASON",
    "conversation_lock_name",
    "create_outbound",
    "default_sender_factory",
    "deliver",
    "describe_failure",
    "record_outcome",
    "resend_stale_pending",
    "retry_send",
    "route_for",
    "send_lock_name",
]
