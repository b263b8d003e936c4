"""Storing an inbound WhatsApp message: once per MessageSid, with its customer, conversation and queue row.

This runs inside the webhook request, so it does only database work (no LLM, no Twilio call) and keeps the
statement count small. Order matters for concurrency: the customer row is written first, which serialises
two webhooks of the same customer (a row lock on PostgreSQL, the write lock on SQLite) before either looks for
an open conversation, so a burst never opens two conversations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from engine.channels.whatsapp.inbound import InboundMessage
from engine.channels.whatsapp.rich import RichMessage, resolve_choice
from engine.config import get_settings
from engine.conversations.burst import burst_due_at
from engine.db import TenantScope
from engine.models import (
    ButtonEvent,
    CampaignRecipient,
    Conversation,
    Customer,
    Message,
    MessageQueue,
    utcnow,
)

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})
CHOICE_BODY_MAX = 40  # longer free text is never read as "picking option N"


@dataclass(frozen=True, slots=True)
class IngestResult:
    duplicate: bool
    message_id: int | None = None
    conversation_id: int | None = None
    customer_id: int | None = None
    queued: bool = False
    due_at: datetime | None = None


def ingest_inbound(
    session: Session,
    tenant_id: int,
    inbound: InboundMessage,
    *,
    now: datetime | None = None,
    window_seconds: float | None = None,
) -> IngestResult:
    """Store one inbound message for the tenant; an already stored MessageSid is a duplicate: no change.

    Raises sqlalchemy's IntegrityError when a concurrent request stored the same SID (or created the same
    customer) first: the caller retries in a fresh transaction, which then sees it.
    """
    now = now or utcnow()
    window = get_settings().burst_window_seconds if window_seconds is None else window_seconds
    scope = TenantScope(session, tenant_id)
    existing = session.exec(
        select(Message.id).where(Message.tenant_id == tenant_id, Message.provider_sid == inbound.message_sid)
    ).first()
    if existing is not None:
        return IngestResult(duplicate=True, message_id=existing)

    customer = _touch_customer(scope, inbound, now)
    conversation = scope.session.exec(
        scope.select(Conversation)
        .where(Conversation.customer_id == customer.id, Conversation.status != "closed")
        .order_by(Conversation.id.desc())  # type: ignore[union-attr]
        .limit(1)
    ).first()
    previous_inbound_at = conversation.last_inbound_at if conversation else None
    existed = conversation is not None
    if conversation is None:
        conversation = scope.add(
            Conversation(customer_id=customer.id, status="bot", created_at=now, last_activity_at=now)
        )

    body = inbound.body.strip()
    choice = None
    if existed and (inbound.is_interactive_reply or 0 < len(body) <= CHOICE_BODY_MAX):
        choice = _choice_from_last_offer(scope, conversation.id, inbound)  # type: ignore[arg-type]

    extras = inbound.metadata()
    if choice is not None:
        extras["choice"] = {"id": choice.option.id, "title": choice.option.title, "via": choice.via}
    message = scope.add(
        Message(
            conversation_id=conversation.id,  # type: ignore[arg-type]
            direction="inbound",
            sender="customer",
            body=inbound.body or None,
            media=[m.to_dict() for m in inbound.media],
            button_payload=choice.option.id[:256] if choice else inbound.button_payload,
            button_text=choice.option.title[:256] if choice else (inbound.button_text or inbound.list_title),
            rich={"inbound": extras},
            provider_sid=inbound.message_sid,
            status="received",
            created_at=now,
            updated_at=now,
        )
    )
    if choice is not None or inbound.button_payload:
        _record_tap(scope, conversation.id, message.id, inbound, choice, now)  # type: ignore[arg-type]

    conversation.last_activity_at = now
    conversation.last_inbound_at = now
    session.add(conversation)

    queued, due = False, None
    if conversation.status == "bot":
        due = _enqueue(scope, conversation.id, message.id, inbound, now, window, previous_inbound_at)  # type: ignore[arg-type]
        queued = True
    session.flush()
    return IngestResult(
        duplicate=False,
        message_id=message.id,
        conversation_id=conversation.id,
        customer_id=customer.id,
        queued=queued,
        due_at=due,
    )


def _touch_customer(scope: TenantScope, inbound: InboundMessage, now: datetime) -> Customer:
    customer = scope.first(Customer, Customer.phone == inbound.from_)
    if customer is None:
        customer = Customer(phone=inbound.from_, wa_id=inbound.wa_id, name=inbound.profile_name)
    if inbound.wa_id and customer.wa_id != inbound.wa_id:
        customer.wa_id = inbound.wa_id
    if inbound.profile_name and not customer.name:
        customer.name = inbound.profile_name  # staff may have corrected it: never overwrite a name
    word = inbound.body.strip().upper()
    if word in OPT_OUT_WORDS:
        customer.opted_in, customer.opted_out_at = False, now
    elif word in OPT_IN_WORDS:
        customer.opted_in, customer.opted_in_at, customer.opted_out_at = True, now, None
    customer.last_seen_at = now
    if customer.id is None:
        return scope.add(customer)
    scope.session.add(customer)
    scope.session.flush()  # take the customer's row lock before looking for its conversation
    return customer


def _choice_from_last_offer(scope: TenantScope, conversation_id: int, inbound: InboundMessage):  # noqa: ANN202
    """The option picked from our latest outbound message, when that message offered options."""
    last = scope.session.exec(
        scope.select(Message)
        .where(Message.conversation_id == conversation_id, Message.direction == "outbound")
        .order_by(Message.id.desc())  # type: ignore[union-attr]
        .limit(1)
    ).first()
    if last is None or not last.rich or not last.rich.get("options"):
        return None
    offer = RichMessage.from_dict(last.rich)
    return resolve_choice(
        offer.options,
        button_payload=inbound.button_payload,
        list_id=inbound.list_id,
        body=inbound.body,
    )


def _record_tap(
    scope: TenantScope,
    conversation_id: int,
    message_id: int,
    inbound: InboundMessage,
    choice: object | None,
    now: datetime,
) -> None:
    """A ButtonEvent for analytics; a tap on a campaign message also marks its recipient as clicked."""
    option = getattr(choice, "option", None)
    payload = option.id if option else (inbound.button_payload or "")
    campaign_id = None
    if inbound.replied_to_sid:
        recipient = scope.first(CampaignRecipient, CampaignRecipient.provider_sid == inbound.replied_to_sid)
        if recipient is not None:
            campaign_id = recipient.campaign_id
            if recipient.clicked_at is None:
                recipient.clicked_at = now
            recipient.status = "clicked"
            scope.session.add(recipient)
    scope.add(
        ButtonEvent(
            conversation_id=conversation_id,
            message_id=message_id,
            campaign_id=campaign_id,
            payload=payload[:256],
            title=(option.title if option else inbound.button_text or "")[:256] or None,
            created_at=now,
        )
    )


def _enqueue(
    scope: TenantScope,
    conversation_id: int,
    message_id: int,
    inbound: InboundMessage,
    now: datetime,
    window: float,
    previous_inbound_at: datetime | None,
) -> datetime:
    """Queue the message and move the whole pending burst's due time (one due time per conversation)."""
    first_pending = scope.session.exec(
        select(MessageQueue.queued_at)
        .where(
            MessageQueue.tenant_id == scope.tenant_id,
            MessageQueue.conversation_id == conversation_id,
            MessageQueue.status == "pending",
        )
        .order_by(MessageQueue.queued_at)  # type: ignore[arg-type]
        .limit(1)
    ).first()
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
    if first_pending is not None:
        scope.session.execute(
            update(MessageQueue)
            .where(
                MessageQueue.tenant_id == scope.tenant_id,  # type: ignore[arg-type]
                MessageQueue.conversation_id == conversation_id,  # type: ignore[arg-type]
                MessageQueue.status == "pending",  # type: ignore[arg-type]
            )
            .values(due_at=due)
        )
    scope.add(MessageQueue(conversation_id=conversation_id, message_id=message_id, queued_at=now, due_at=due))
    return due


__all__ = ["IngestResult", "ingest_inbound"]
