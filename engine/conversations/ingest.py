"""Storing an inbound WhatsApp message: once per MessageSid, with its customer, conversation and queue row.

This runs inside the webhook request, so it does only database work (no LLM, no Twilio call) in as few round
trips as it can: update-or-create the customer, find the open conversation (with its burst and our last offer
in the same query), insert the message ignoring a duplicate SID, touch the conversation, queue the message.

Order matters for concurrency: the customer row is written first, which serialises two webhooks of the same
customer (a row lock on PostgreSQL, the write lock on SQLite) before either looks for an open conversation, so
a burst never opens two conversations.

The statements are built once, as SQL Core with bound parameters, and run on the session's connection: on
this hot path the ORM's statement building and unit of work cost more than the database round trips.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from engine.campaigns import consent, tracking
from engine.channels.whatsapp.inbound import InboundMessage
from engine.channels.whatsapp.rich import Choice, RichMessage, resolve_choice
from engine.config import get_settings
from engine.conversations import happenings, ratings
from engine.conversations.burst import burst_due_at
from engine.models import (
    Conversation,
    Customer,
    Message,
    MessageQueue,
    utcnow,
)
from engine.models.base import as_utc
from engine.observability import tracing
from engine.security import rate_limits

log = logging.getLogger(__name__)

# Webhook limits (issue #14, item 4): what one customer number and one tenant may send before their answers
# are queued for later (never dropped). Generous for people, tight for a script hammering the number.
CUSTOMER_RATE = "20/minute"
TENANT_RATE = "1200/minute"
CHOICE_BODY_MAX = 40  # longer free text is never read as "picking option N"

_customer = Customer.__table__  # type: ignore[attr-defined]
_conversation = Conversation.__table__  # type: ignore[attr-defined]
_message = Message.__table__  # type: ignore[attr-defined]
_queue = MessageQueue.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class IngestResult:
    duplicate: bool
    message_id: int | None = None
    conversation_id: int | None = None
    customer_id: int | None = None
    queued: bool = False
    due_at: datetime | None = None


# ---------------------------------------------------------------------------------------------- statements

_TOUCH_CUSTOMER = (
    update(_customer)
    .where(_customer.c.tenant_id == bindparam("t_id"), _customer.c.phone == bindparam("t_phone"))
    .values(
        last_seen_at=bindparam("t_now"),
        name=func.coalesce(_customer.c.name, bindparam("t_name")),  # never overwrite a name staff corrected
        wa_id=func.coalesce(bindparam("t_wa_id"), _customer.c.wa_id),
    )
    .returning(_customer.c.id, _customer.c.opted_in, _customer.c.opted_out_at)
)
_NEW_CUSTOMER = insert(_customer).returning(_customer.c.id)

_FIRST_PENDING = (
    select(func.min(_queue.c.queued_at))
    .where(
        _queue.c.tenant_id == bindparam("c_tenant"),
        _queue.c.conversation_id == _conversation.c.id,
        _queue.c.status == "pending",
    )
    .scalar_subquery()
)
_LAST_OFFER = (
    select(_message.c.rich)
    .where(
        _message.c.tenant_id == bindparam("c_tenant"),
        _message.c.conversation_id == _conversation.c.id,
        _message.c.direction == "outbound",
    )
    .order_by(_message.c.id.desc())
    .limit(1)
    .scalar_subquery()
)


def _open_conversation(with_offer: bool) -> Any:
    columns = [_conversation.c.id, _conversation.c.status, _conversation.c.last_inbound_at, _FIRST_PENDING]
    if with_offer:
        columns.append(_LAST_OFFER)
    return (
        select(*columns)
        .where(
            _conversation.c.tenant_id == bindparam("c_tenant"),
            _conversation.c.customer_id == bindparam("c_customer"),
            _conversation.c.status != "closed",
        )
        .order_by(_conversation.c.id.desc())
        .limit(1)
    )


_OPEN_CONVERSATION = {True: _open_conversation(True), False: _open_conversation(False)}
_NEW_CONVERSATION = insert(_conversation).returning(_conversation.c.id)
_TOUCH_CONVERSATION = (
    update(_conversation)
    .where(_conversation.c.tenant_id == bindparam("v_tenant"), _conversation.c.id == bindparam("v_id"))
    .values(last_activity_at=bindparam("v_now"), last_inbound_at=bindparam("v_now"))
)
_MOVE_BURST = (
    update(_queue)
    .where(
        _queue.c.tenant_id == bindparam("q_tenant"),
        _queue.c.conversation_id == bindparam("q_conversation"),
        _queue.c.status == "pending",
    )
    .values(due_at=bindparam("q_due"))
)
_ENQUEUE = insert(_queue)


@cache
def _insert_message(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id (PostgreSQL and SQLite): the duplicate check costs no
    extra query, and a concurrent webhook with the same MessageSid waits for the first, then inserts
    nothing."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(_message).on_conflict_do_nothing().returning(_message.c.id)


# ------------------------------------------------------------------------------------------------ ingest


def ingest_inbound(
    session: Session,
    tenant_id: int,
    inbound: InboundMessage,
    *,
    now: datetime | None = None,
    window_seconds: float | None = None,
) -> IngestResult:
    """Store one inbound message for the tenant; an already stored MessageSid is a duplicate: no change.

    Raises sqlalchemy's IntegrityError when a concurrent request created the same customer first: the caller
    retries in a fresh transaction, which then finds it.
    """
    now = now or utcnow()
    window = get_settings().burst_window_seconds if window_seconds is None else window_seconds
    conn = session.connection()
    customer_id, opt = _touch_customer(conn, tenant_id, inbound, now)

    body = inbound.body.strip()
    may_choose = inbound.is_interactive_reply or 0 < len(body) <= CHOICE_BODY_MAX
    found = conn.execute(
        _OPEN_CONVERSATION[may_choose], {"c_tenant": tenant_id, "c_customer": customer_id}
    ).first()
    rated = None  # a rating tap, or the comment after a low rating: it belongs to the rated conversation
    if found is None or inbound.button_payload:
        rated = ratings.route_inbound(
            session,
            tenant_id,
            customer_id,
            button_payload=inbound.button_payload,
            has_open_conversation=found is not None,
            now=now,
        )
    if rated is not None and rated.kind == "comment" and opt is not None:
        rated = None  # "STOP" after a low rating is an opt-out, never the rating's comment
    if rated is not None:
        found = (rated.conversation_id, "rated", None, None, None)
    if found is None:
        conversation_id = conn.execute(
            _NEW_CONVERSATION,
            {
                "tenant_id": tenant_id,
                "customer_id": customer_id,
                "status": "bot",
                "low_confidence_turns": 0,
                "created_at": now,
                "last_activity_at": now,
            },
        ).scalar_one()
        status, previous_inbound_at, first_pending, last_offer = "bot", None, None, None
    else:
        conversation_id, status, previous_inbound_at = found[0], found[1], found[2]
        first_pending = as_utc(found[3])
        last_offer = found[4] if may_choose else None

    choice: Choice | None = None
    if isinstance(last_offer, dict) and last_offer.get("options"):
        choice = resolve_choice(
            RichMessage.from_dict(last_offer).options,
            button_payload=inbound.button_payload,
            list_id=inbound.list_id,
            body=inbound.body,
        )
    extras = inbound.metadata()
    if choice is not None:
        extras["choice"] = {"id": choice.option.id, "title": choice.option.title, "via": choice.via}
    message_id = conn.execute(
        _insert_message(conn.dialect.name),
        {
            "tenant_id": tenant_id,
            "conversation_id": conversation_id,
            "direction": "inbound",
            "sender": "customer",
            "body": inbound.body or None,
            "media": [m.to_dict() for m in inbound.media],
            "button_payload": choice.option.id[:256] if choice else inbound.button_payload,
            "button_text": choice.option.title[:256]
            if choice
            else (inbound.button_text or inbound.list_title),
            "rich": {"inbound": extras},
            "provider_sid": inbound.message_sid,
            "status": "received",
            "created_at": now,
            "updated_at": now,
        },
    ).scalar()
    if message_id is None:  # this MessageSid is already stored: undo the customer and conversation touches
        session.rollback()
        existing = session.execute(
            select(Message.id).where(
                Message.tenant_id == tenant_id, Message.provider_sid == inbound.message_sid
            )
        ).scalar()
        return IngestResult(duplicate=True, message_id=existing)

    # campaigns own what a reply means to them: consent, taps, replies (engine.campaigns.tracking)
    answered_elsewhere = False
    if rated is not None:  # engine.conversations.ratings: the score or comment is recorded, no agent turn
        ratings.record(session, tenant_id, rated, inbound.body, now=now)
        answered_elsewhere = True
    elif opt is not None:
        tracking.record_consent(session, tenant_id, customer_id, conversation_id, opt.kind, opt.language, now)
        answered_elsewhere = True  # the confirmation is the answer; the agent stays quiet
    elif choice is not None or inbound.button_payload:
        option = choice.option if choice else None
        route = tracking.record_tap(
            session,
            tenant_id,
            conversation_id=conversation_id,
            customer_id=customer_id,
            message_id=message_id,
            replied_to_sid=inbound.replied_to_sid,
            payload=option.id if option else (inbound.button_payload or ""),
            title=option.title if option else inbound.button_text,
            now=now,
        )
        answered_elsewhere = route.action != "agent"
        if route.context:  # the agent answers knowing which campaign button brought them
            extras["campaign"] = {"id": route.campaign_id, "context": route.context}
            conn.execute(update(_message).where(_message.c.id == message_id).values(rich={"inbound": extras}))
    else:
        tracking.note_reply(session, tenant_id, customer_id, now)
    conn.execute(_TOUCH_CONVERSATION, {"v_tenant": tenant_id, "v_id": conversation_id, "v_now": now})
    happenings.message_received(  # webhooks, in this transaction
        session,
        tenant_id,
        conversation_id=conversation_id,
        message_id=message_id,
        customer_id=customer_id,
        phone=inbound.from_,
        name=inbound.profile_name,
        text=inbound.body,
        media_count=len(inbound.media),
        button_payload=inbound.button_payload,
        button_text=inbound.button_text or inbound.list_title,
        now=now,
    )
    if opt is not None and opt.kind == "opt_out":
        happenings.opted_out(session, tenant_id, customer_id=customer_id, phone=inbound.from_, now=now)

    due = None
    if status == "bot" and not answered_elsewhere:
        gap = (now - previous_inbound_at).total_seconds() if previous_inbound_at and first_pending else None
        due = burst_due_at(
            now=now,
            window_seconds=window,
            text=inbound.body,
            interactive=inbound.is_interactive_reply,
            has_media=bool(inbound.media),
            burst_started_at=first_pending,
            previous_gap_seconds=gap,
        )
        throttled = _over_limit(tenant_id, inbound.from_)
        if throttled:  # over a webhook limit: stored and queued all the same, answered when the limit allows
            due = max(due, now + timedelta(seconds=throttled))
        if first_pending is not None:  # one due time for the whole burst
            conn.execute(
                _MOVE_BURST, {"q_tenant": tenant_id, "q_conversation": conversation_id, "q_due": due}
            )
        conn.execute(
            _ENQUEUE,
            {
                "tenant_id": tenant_id,
                "conversation_id": conversation_id,
                "message_id": message_id,
                "status": "pending",
                "attempts": 0,
                "queued_at": now,
                "due_at": due,
                "traceparent": tracing.traceparent(),  # the worker's span continues this trace
            },
        )
    return IngestResult(
        duplicate=False,
        message_id=message_id,
        conversation_id=conversation_id,
        customer_id=customer_id,
        queued=due is not None,
        due_at=due,
    )


def _over_limit(tenant_id: int, phone: str) -> float:
    """Seconds this message's answer must wait for the webhook limits (0: none), counted atomically first.

    Per customer number (CUSTOMER_RATE) and per tenant (TENANT_RATE), in engine.security.rate_limits (Redis
    when REDIS_URL is set, so every web process shares the counts). The excess is never dropped: the caller
    queues it with a later due time, and the burst answers it with whatever else the customer wrote. The
    number is hashed in the key (no phone numbers in Redis). A broken limit store throttles nothing: the
    message must be stored either way.
    """
    number = hashlib.sha256(f"{tenant_id}:{phone}".encode()).hexdigest()[:24]
    limits = ((f"webhook/customer/{number}", CUSTOMER_RATE), (f"webhook/tenant/{tenant_id}", TENANT_RATE))
    wait = 0.0
    try:
        for key, limit in limits:
            refused = rate_limits.hit(key, limit)
            if refused is not None:
                wait = max(wait, refused.seconds)
    except Exception:  # a limit store outage must not lose a customer's message
        log.warning("webhook rate limit store unavailable for tenant %s; not throttled", tenant_id)
        return 0.0
    return wait


def _touch_customer(
    conn: Connection, tenant_id: int, inbound: InboundMessage, now: datetime
) -> tuple[int, consent.ConsentReply | None]:
    """Update (or create) the customer first: its row lock serialises webhooks of the same customer.
    Returns the customer and the opt-out/opt-in this message made, if it changed their consent."""
    found = conn.execute(
        _TOUCH_CUSTOMER,
        {
            "t_id": tenant_id,
            "t_phone": inbound.from_,
            "t_now": now,
            "t_name": inbound.profile_name,
            "t_wa_id": inbound.wa_id,
        },
    ).first()
    reply = consent.classify(inbound.body)
    opt: dict[str, Any] = {}
    if reply is not None and reply.kind == "opt_out":
        if found is None or found[1] or found[2] is None:  # not already opted out
            opt = {"opted_in": False, "opted_out_at": now}
    elif reply is not None and not (found is not None and found[1]):
        opt = {"opted_in": True, "opted_in_at": now, "opted_out_at": None}
    changed = reply if opt else None
    if found is None:
        values = {
            "tenant_id": tenant_id,
            "phone": inbound.from_,
            "wa_id": inbound.wa_id,
            "name": inbound.profile_name,
            "opted_in": False,
            "key_facts": {},
            "created_at": now,
            "last_seen_at": now,
        }
        values.update(opt)
        return int(conn.execute(_NEW_CUSTOMER, values).scalar_one()), changed
    customer_id = int(found[0])
    if opt:
        conn.execute(
            update(_customer)
            .where(_customer.c.tenant_id == tenant_id, _customer.c.id == customer_id)
            .values(**opt)
        )
    return customer_id, changed


__all__ = ["IngestResult", "ingest_inbound"]
