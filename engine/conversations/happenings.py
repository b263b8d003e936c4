"""The webhook events conversations emit, each built in one place (engine.integrations.events.emit).

The lifecycle, ingest and outbound each call one of these on the line where the thing happens, inside its
transaction. Only WhatsApp conversations report: the Playground is staff testing their own agent. Fields that
quote the customer (text, button_text, reason_text) leave only for endpoints that ticked "include customer
text" (engine.integrations.catalog).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from engine.integrations.events import emit
from engine.models import Conversation


def message_received(
    session: Session,
    tenant_id: int,
    *,
    conversation_id: int,
    message_id: int,
    customer_id: int,
    phone: str,
    name: str | None,
    text: str,
    media_count: int,
    button_payload: str | None,
    button_text: str | None,
    now: datetime,
) -> None:
    emit(
        session,
        tenant_id,
        "message.received",
        {
            "conversation_id": conversation_id,
            "message_id": message_id,
            "customer": {"id": customer_id, "phone": _plain(phone), "name": name},
            "media_count": media_count,
            "button_payload": button_payload,
            "text": text,
            "button_text": button_text,
        },
        now=now,
    )


def opted_out(session: Session, tenant_id: int, *, customer_id: int, phone: str, now: datetime) -> None:
    emit(
        session,
        tenant_id,
        "customer.opted_out",
        {"customer": {"id": customer_id, "phone": _plain(phone)}},
        now=now,
    )


def reply_sent(
    session: Session,
    tenant_id: int,
    *,
    conversation_id: int,
    message_id: int,
    sender: str,
    status: str,
    text: str | None,
    now: datetime,
) -> None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.tenant_id != tenant_id or conversation.channel != "whatsapp":
        return
    emit(
        session,
        tenant_id,
        "reply.sent",
        {
            "conversation_id": conversation_id,
            "message_id": message_id,
            "sender": sender,
            "status": status,
            "text": text,
        },
        now=now,
    )


def handed_off(
    session: Session, conversation: Conversation, *, category: str | None, reason: str, now: datetime
) -> None:
    if conversation.channel != "whatsapp":
        return
    emit(
        session,
        conversation.tenant_id,
        "conversation.handed_off",
        {"conversation_id": conversation.id, "category": category or "handoff", "reason_text": reason},
        now=now,
    )


def resolved(session: Session, conversation: Conversation, *, by: str, now: datetime) -> None:
    if conversation.channel != "whatsapp":
        return
    emit(
        session,
        conversation.tenant_id,
        "conversation.resolved",
        {"conversation_id": conversation.id, "resolved_by": by},
        now=now,
    )


def _plain(phone: str) -> str:
    return phone.removeprefix("whatsapp:")


__all__ = ["handed_off", "message_received", "opted_out", "reply_sent", "resolved"]
