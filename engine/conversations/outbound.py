"""Outbound messages: written to the database first, then handed to Twilio, then the outcome recorded.

Why in that order: a message row in status `pending` is the promise that a reply exists. If the process dies
while talking to Twilio, `resend_stale_pending` (run by the queue worker) finds the promise and keeps it; if
the row were written after the send, a crash would leave a reply the inbox never shows, or one sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from engine.cache import LockTimeout, get_cache
from engine.channels.whatsapp import limits
from engine.channels.whatsapp.rich import RichMessage
from engine.channels.whatsapp.sender import (
    SenderNotConfigured,
    SendOutcome,
    TwilioSender,
    default_sender_address,
)
from engine.channels.whatsapp.status import replay_early_statuses
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message, utcnow

log = logging.getLogger(__name__)

SenderFactory = Callable[[Session, int], TwilioSender]


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


def deliver(
    tenant_id: int,
    message_id: int,
    *,
    sender_factory: SenderFactory | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> SendOutcome:
    """Send a pending outbound message and record the outcome on it (status, SID, error, fallback)."""
    factory = sender_factory or default_sender_factory
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        row = scope.require(Message, message_id)
        conversation = scope.require(Conversation, row.conversation_id)
        rich = RichMessage.from_dict(row.rich) if row.rich and row.rich.get("kind") else None
        message = rich or RichMessage(kind="text", body=row.body or "")
        problem = ""
        try:
            route = route_for(session, tenant_id, conversation, clock())
            twilio = factory(session, tenant_id)
        except SenderNotConfigured as exc:
            twilio, route, problem = None, None, str(exc)
    if twilio is None or route is None:
        outcome = SendOutcome(
            status="failed", body=message.body, error_code="not_configured", error_message=problem
        )
    else:
        outcome = twilio.send(from_=route.from_, to=route.to, message=message, in_session=route.in_session)
    record_outcome(tenant_id, message_id, outcome, now=clock())
    return outcome


def record_outcome(
    tenant_id: int, message_id: int, outcome: SendOutcome, *, now: datetime | None = None
) -> None:
    now = now or utcnow()
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        row = scope.require(Message, message_id)
        rich: dict[str, Any] = dict(row.rich or {})
        if outcome.content_hash:
            rich["content_hash"] = outcome.content_hash
        if outcome.fallback:
            rich["fallback"] = outcome.fallback
            row.body = outcome.body
        row.rich = rich
        row.provider_sid = outcome.provider_sid
        row.content_sid = outcome.content_sid
        row.status = outcome.status
        row.error_code = outcome.error_code[:16] if outcome.error_code else None
        row.error_message = outcome.error_message
        row.updated_at = now
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
    """Send outbound messages left `pending` by a process that died mid-send; returns how many were sent.

    Under the conversation lock (nobody is sending it now) the row is stamped before the send, so a second
    worker skips it; a crash during that send makes it stale again and it is retried once more later.
    """
    now = clock()
    with session_scope() as session:
        rows = session.exec(
            select(Message.tenant_id, Message.id, Message.conversation_id)
            .where(
                Message.direction == "outbound",
                Message.status == "pending",
                Message.provider_sid.is_(None),  # type: ignore[union-attr]
                Message.updated_at <= now - stale_after,
            )
            .order_by(Message.id)  # type: ignore[arg-type]
            .limit(limit)
        ).all()
    sent = 0
    cache = get_cache()
    for tenant_id, message_id, conversation_id in rows:
        try:
            with cache.lock(conversation_lock_name(tenant_id, conversation_id), ttl=120, wait=0):
                with session_scope() as session:
                    row = TenantScope(session, tenant_id).get(Message, message_id)
                    if row is None or row.status != "pending" or row.updated_at > now - stale_after:
                        continue
                    row.updated_at = clock()
                    session.add(row)
                log.warning("resending outbound message %s left pending by a crashed process", message_id)
                deliver(tenant_id, message_id, sender_factory=sender_factory, clock=clock)
                sent += 1
        except LockTimeout:
            continue
    return sent


__all__ = [
    "Route",
    "SenderFactory",
    "conversation_lock_name",
    "create_outbound",
    "default_sender_factory",
    "deliver",
    "record_outcome",
    "resend_stale_pending",
    "route_for",
]
