"""The Playground: staff chat with their own agent as a customer would, and see why it answered as it did.

What the console's Playground page (and `python -m engine chat`) calls:

    start_playground(session, tenant_id, user_id=..., customer_name=...) -> PlaygroundSession
    send(tenant_id, conversation_id, text, button_payload=None)          -> TurnResult (reply + trace)
    tap(tenant_id, conversation_id, option_id, title)                     -> TurnResult (a tapped option)
    transcript(session, tenant_id, conversation_id)                       -> list[PlaygroundMessage]
    hand_back(session, tenant_id, conversation_id)                        -> the bot answers again
    new_session(tenant_id, conversation_id)                               -> as if 30 minutes had passed

Playground conversations are real conversations on the `playground` channel (so memory, history and
handoff behave exactly as on WhatsApp), with a customer per staff member ("playground:<user id>"); nothing is
sent to Twilio, and the inbox leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col

from engine.agent.pipeline import process_message, reset_session
from engine.agent.types import TurnResult
from engine.conversations import lifecycle
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message, utcnow

CHANNEL = "playground"


@dataclass(frozen=True)
class PlaygroundSession:
    tenant_id: int
    conversation_id: int
    customer_id: int
    customer_name: str


@dataclass(frozen=True)
class PlaygroundMessage:
    id: int
    direction: str  # inbound (you, as the customer) · outbound (the agent)
    body: str
    rich: dict[str, Any] | None
    created_at: datetime


def _phone(user_id: int | None) -> str:
    return f"{CHANNEL}:{user_id if user_id is not None else 'cli'}"


def start_playground(
    session: Session,
    tenant_id: int,
    *,
    user_id: int | None = None,
    customer_name: str | None = None,
    fresh: bool = True,
) -> PlaygroundSession:
    """The staff member's playground customer and a conversation to chat in (a new one when `fresh`)."""
    scope = TenantScope(session, tenant_id)
    phone = _phone(user_id)
    customer = scope.first(Customer, Customer.phone == phone)
    name = (customer_name or "").strip() or None  # the name the agent greets; none: "Hi!"
    if customer is None:
        customer = scope.add(Customer(phone=phone, name=name, opted_in=True))
    elif customer.name != name:
        customer.name = name
        session.add(customer)
    conversation = None
    if not fresh:
        conversation = session.exec(
            scope.select(Conversation)
            .where(Conversation.customer_id == customer.id, Conversation.channel == CHANNEL)
            .order_by(col(Conversation.id).desc())
        ).first()
    if conversation is None or conversation.status == "closed":
        now = utcnow()
        for old in scope.all(
            Conversation, Conversation.customer_id == customer.id, Conversation.status != "closed"
        ):
            lifecycle.close(session, tenant_id, int(old.id or 0), user_id, actor_label=CHANNEL, now=now)
        conversation = scope.add(
            Conversation(
                customer_id=int(customer.id or 0), channel=CHANNEL, created_at=now, last_activity_at=now
            )
        )
    return PlaygroundSession(tenant_id, int(conversation.id or 0), int(customer.id or 0), customer.name or "")


def send(tenant_id: int, conversation_id: int, text: str, *, button_payload: str | None = None) -> TurnResult:
    """The customer's message, answered through the tenant's own pipeline (model, persona, knowledge)."""
    _require_playground(tenant_id, conversation_id)
    return process_message(tenant_id, conversation_id, text, button_payload=button_payload)


def tap(tenant_id: int, conversation_id: int, option_id: str, title: str) -> TurnResult:
    """A tapped button or picked list row: arrives as on WhatsApp (its title as text, its id as payload)."""
    return send(tenant_id, conversation_id, title, button_payload=option_id)


def transcript(
    session: Session, tenant_id: int, conversation_id: int, limit: int = 200
) -> list[PlaygroundMessage]:
    scope = TenantScope(session, tenant_id)
    rows = session.exec(
        scope.select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(col(Message.created_at), col(Message.id))
        .limit(limit)
    ).all()
    return [PlaygroundMessage(int(m.id or 0), m.direction, m.body or "", m.rich, m.created_at) for m in rows]


def hand_back(session: Session, tenant_id: int, conversation_id: int) -> None:
    """After a handoff: the bot answers again (as staff would do from the inbox)."""
    _require_playground_in(session, tenant_id, conversation_id)
    lifecycle.hand_back(session, tenant_id, conversation_id, None, actor_label=CHANNEL)


def new_session(tenant_id: int, conversation_id: int) -> None:
    """Expire the working memory now, to try the "welcome back" flow without waiting 30 minutes."""
    _require_playground(tenant_id, conversation_id)
    reset_session(tenant_id, conversation_id)


def _require_playground_in(session: Session, tenant_id: int, conversation_id: int) -> Conversation:
    conversation = TenantScope(session, tenant_id).require(Conversation, conversation_id)
    if conversation.channel != CHANNEL:
        raise PermissionError("only playground conversations can be driven from the playground")
    return conversation


def _require_playground(tenant_id: int, conversation_id: int) -> None:
    with session_scope() as session:
        _require_playground_in(session, tenant_id, conversation_id)


__all__ = [
    "CHANNEL",
    "PlaygroundMessage",
    "PlaygroundSession",
    "hand_back",
    "new_session",
    "send",
    "start_playground",
    "tap",
    "transcript",
]
