"""What the console's Conversations page calls: the inbox list, a transcript, and staff actions.

Everything returns page-sized frozen dataclasses (DTOs), never ORM rows, so Reflex state can hold them.

Permissions are the caller's job, on purpose (the console re-checks its signed-in user on every event,
the REST API its token): reading (`list_conversations`, `get_transcript`, `inbox_marker`) needs
`console:view` (or the API's `conversations:reply`); `take_over`, `send_human_reply`, `hand_back` and
`close` need `conversations:reply`. These functions only make sure every row belongs to `tenant_id`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, select
from sqlmodel.sql.expression import Select

from engine.catalog.history import customer_history
from engine.catalog.schemas import AppointmentDTO, OrderDTO
from engine.channels.whatsapp.limits import SESSION_WINDOW_HOURS
from engine.channels.whatsapp.rich import RichMessageBuilder, RichMessageError
from engine.channels.whatsapp.status import FAILED
from engine.conversations import lifecycle
from engine.conversations.inbox_filter import HandoffFilter, handed_off
from engine.conversations.lifecycle import ConversationActionError
from engine.conversations.outbound import (
    OutboundError,
    SenderFactory,
    create_outbound,
    deliver,
    retry_send,
)
from engine.db import NotFound, TenantScope, session_scope
from engine.models import (
    AgentConfiguration,
    AgentInteraction,
    Conversation,
    ConversationContext,
    Customer,
    Message,
    Product,
    Service,
    Tenant,
    User,
    utcnow,
)

TABS = ("bot", "handoff", "closed", "all")
PREVIEW_CHARS = 120
MAX_PAGE_SIZE = 100
TICKS = {"sent": 1, "delivered": 2, "read": 3}  # WhatsApp's one grey, two grey, two blue ticks


# One error for every staff action, whether the reply or the change of status refused it; fit for a toast.
InboxError = ConversationActionError


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    id: int
    customer_id: int
    customer_name: str
    customer_phone: str
    status: str  # bot · handoff · closed
    assigned_user_id: int | None
    assigned_user_name: str | None
    handoff_reason: str | None
    last_activity_at: datetime
    last_message_preview: str
    last_message_direction: str | None
    unread: int  # customer messages since our last reply
    last_message_ticks: int = 0  # the last message's own ticks when it is ours (-1: refused, see MessageView)


@dataclass(frozen=True, slots=True)
class ConversationPage:
    items: list[ConversationSummary]
    total: int
    page: int
    page_size: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)  # per tab, for the filter badges


@dataclass(frozen=True, slots=True)
class MessageView:
    """One bubble. `kind`: text · media · buttons · list · card · location. `ticks`: 0 pending/queued,
    1 sent, 2 delivered, 3 read, -1 failed (outbound only). `options`/`title`/`subtitle`/`button` render
    buttons, lists and cards as WhatsApp shows them; `choice` is the option an inbound message picked."""

    id: int
    direction: str
    sender: str
    kind: str
    body: str
    created_at: datetime
    status: str
    ticks: int
    media: list[dict[str, Any]] = field(default_factory=list)
    options: list[dict[str, Any]] = field(default_factory=list)
    title: str | None = None
    subtitle: str | None = None
    button: str | None = None
    choice: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    replied_to_sid: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    fallback: str | None = None
    sent_by_user_id: int | None = None
    sent_by_name: str | None = None
    confidence: float | None = None
    handoff_reason: str | None = None
    intents: list[dict[str, Any]] = field(default_factory=list)  # [{"name", "confidence"}] of the agent turn
    model: str | None = None  # the model that wrote an agent reply


@dataclass(frozen=True, slots=True)
class Transcript:
    conversation: ConversationSummary
    messages: list[MessageView]
    has_more: bool  # older messages exist: ask again with before_id=messages[0].id


# --------------------------------------------------------------------------------------------- reading


def list_conversations(
    session: Session,
    tenant_id: int,
    *,
    tab: str = "bot",
    search: str | None = None,
    handoff: HandoffFilter | None = None,
    page: int = 1,
    page_size: int = 25,
) -> ConversationPage:
    """One page of the inbox, most recent activity first.

    `tab`: bot (the agent is answering) · handoff (needs a person) · closed · all. `search` matches the
    customer's name or phone number (message bodies are encrypted at rest, so they are not searchable in SQL).
    `handoff` keeps the conversations handed to a person for one reason (engine.conversations.inbox_filter:
    the chats behind an Analytics handoff count), whatever their status now; the tab counts follow it.
    """
    if tab not in TABS:
        raise InboxError(f"unknown tab {tab!r}; use one of {', '.join(TABS)}")
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    scope = TenantScope(session, tenant_id)
    # Playground chats are staff talking to their own agent, not customers: they stay out of the inbox.
    where: list[Any] = [
        Conversation.tenant_id == tenant_id,
        Conversation.channel == "whatsapp",
        Customer.id == Conversation.customer_id,
    ]
    where.append(Customer.tenant_id == tenant_id)
    term = (search or "").strip()
    if term:
        like = f"%{term.lower()}%"
        digits = "".join(ch for ch in term if ch.isdigit())
        clauses = [func.lower(Customer.name).like(like)]
        if digits:
            clauses.append(Customer.phone.like(f"%{digits}%"))  # type: ignore[attr-defined]
        where.append(or_(*clauses))
    if handoff is not None:
        where.append(handed_off(tenant_id, handoff))

    counts_rows = session.exec(
        select(Conversation.status, func.count()).where(*where).group_by(Conversation.status)
    ).all()
    counts = {status: int(n) for status, n in counts_rows}
    counts["all"] = sum(counts.values())
    for name in TABS:
        counts.setdefault(name, 0)
    if tab != "all":
        where.append(Conversation.status == tab)
    total = counts[tab]
    rows = session.exec(
        select(Conversation, Customer)
        .where(*where)
        .order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())  # type: ignore[attr-defined]
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    items = _summaries(scope, [(c, cu) for c, cu in rows])
    return ConversationPage(
        items=items,
        total=total,
        page=page,
        page_size=page_size,
        pages=max(1, math.ceil(total / page_size)),
        counts=counts,
    )


def _user_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    users = session.exec(select(User).where(User.id.in_(user_ids))).all()  # type: ignore[union-attr]
    return {u.id: (u.full_name or u.email) for u in users if u.id is not None}


def _summaries(scope: TenantScope, rows: list[tuple[Conversation, Customer]]) -> list[ConversationSummary]:
    if not rows:
        return []
    session = scope.session
    ids = [c.id for c, _ in rows]
    last_ids = session.exec(
        select(func.max(Message.id))
        .where(Message.tenant_id == scope.tenant_id, Message.conversation_id.in_(ids))  # type: ignore[attr-defined]
        .group_by(Message.conversation_id)
    ).all()
    last = {m.conversation_id: m for m in scope.all(Message, Message.id.in_(list(last_ids)))}  # type: ignore[union-attr]
    last_out = (
        select(Message.conversation_id, func.max(Message.id).label("last_out"))
        .where(
            Message.tenant_id == scope.tenant_id,
            Message.conversation_id.in_(ids),  # type: ignore[attr-defined]
            Message.direction == "outbound",
        )
        .group_by(Message.conversation_id)
        .subquery()
    )
    unread_rows = session.exec(
        select(Message.conversation_id, func.count())
        .select_from(Message)
        .outerjoin(last_out, last_out.c.conversation_id == Message.conversation_id)
        .where(
            Message.tenant_id == scope.tenant_id,
            Message.conversation_id.in_(ids),  # type: ignore[attr-defined]
            Message.direction == "inbound",
            or_(last_out.c.last_out.is_(None), Message.id > last_out.c.last_out),
        )
        .group_by(Message.conversation_id)
    ).all()
    unread = {cid: int(n) for cid, n in unread_rows}
    names = _user_names(session, {c.assigned_user_id for c, _ in rows if c.assigned_user_id})
    items = []
    for conversation, customer in rows:
        message = last.get(conversation.id)
        items.append(
            ConversationSummary(
                id=conversation.id,  # type: ignore[arg-type]
                customer_id=customer.id,  # type: ignore[arg-type]
                customer_name=customer.name or customer.phone.removeprefix("whatsapp:"),
                customer_phone=customer.phone.removeprefix("whatsapp:"),
                status=conversation.status,
                assigned_user_id=conversation.assigned_user_id,
                assigned_user_name=names.get(conversation.assigned_user_id or 0),
                handoff_reason=conversation.handoff_reason,
                last_activity_at=conversation.last_activity_at,
                last_message_preview=_preview(message),
                last_message_direction=message.direction if message else None,
                unread=unread.get(conversation.id, 0),
                last_message_ticks=_ticks(message) if message else 0,
            )
        )
    return items


def _preview(message: Message | None) -> str:
    if message is None:
        return ""
    text = " ".join((message.body or "").split())
    if not text and message.media:
        text = f"[{str(message.media[0].get('content_type') or 'file').split('/')[0]}]"
    if not text and message.rich and (message.rich.get("inbound") or {}).get("location"):
        text = "[location]"
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def _ticks(message: Message) -> int:
    if message.direction != "outbound":
        return 0
    if message.status in FAILED:
        return -1
    return TICKS.get(message.status, 0)


def _view(message: Message, names: dict[int, str], interaction: AgentInteraction | None) -> MessageView:
    rich = message.rich or {}
    inbound = rich.get("inbound") or {}
    kind = rich.get("kind") or ("media" if message.media else "text")
    if inbound.get("location"):
        kind = "location"
    return MessageView(
        id=message.id,  # type: ignore[arg-type]
        direction=message.direction,
        sender=message.sender,
        kind=kind,
        body=message.body or "",
        created_at=message.created_at,
        status=message.status,
        ticks=_ticks(message),
        media=list(message.media or []),
        options=list(rich.get("options") or []),
        title=rich.get("title"),
        subtitle=rich.get("subtitle"),
        button=rich.get("button"),
        choice=inbound.get("choice")
        or ({"id": message.button_payload, "title": message.button_text} if message.button_payload else None),
        location=inbound.get("location"),
        replied_to_sid=(inbound.get("replied_to") or {}).get("sid"),
        error_code=message.error_code,
        error_message=message.error_message,
        fallback=rich.get("fallback"),
        sent_by_user_id=message.sent_by_user_id,
        sent_by_name=names.get(message.sent_by_user_id or 0),
        confidence=interaction.confidence if interaction else None,
        handoff_reason=interaction.handoff_reason if interaction else None,
        intents=_intents(interaction.intents) if interaction else [],
        model=interaction.model if interaction else None,
    )


def _intents(raw: Any) -> list[dict[str, Any]]:
    """The turn's intents as [{"name", "confidence"}], strongest first; tolerant of bare names."""
    items: list[dict[str, Any]] = []
    for value in raw or []:
        if isinstance(value, str) and value:
            items.append({"name": value, "confidence": None})
        elif isinstance(value, dict) and value.get("name"):
            confidence = value.get("confidence")
            items.append(
                {
                    "name": str(value["name"]),
                    "confidence": float(confidence) if isinstance(confidence, int | float) else None,
                }
            )
    return sorted(items, key=lambda i: -(i["confidence"] if i["confidence"] is not None else -1.0))


def get_transcript(
    session: Session, tenant_id: int, conversation_id: int, *, limit: int = 100, before_id: int | None = None
) -> Transcript:
    """The newest `limit` messages (oldest first), or those before `before_id` for scrolling back."""
    scope = TenantScope(session, tenant_id)
    conversation = scope.require(Conversation, conversation_id)
    customer = scope.require(Customer, conversation.customer_id)
    limit = max(1, min(limit, 500))
    query = scope.select(Message).where(Message.conversation_id == conversation_id)
    if before_id is not None:
        query = query.where(Message.id < before_id)  # type: ignore[operator]
    rows = list(session.exec(query.order_by(Message.id.desc()).limit(limit + 1)).all())  # type: ignore[union-attr]
    has_more = len(rows) > limit
    rows = list(reversed(rows[:limit]))
    outbound_ids = [m.id for m in rows if m.direction == "outbound"]
    interactions = {
        i.message_id: i
        for i in scope.all(AgentInteraction, AgentInteraction.message_id.in_(outbound_ids))  # type: ignore[union-attr]
    }
    names = _user_names(session, {m.sent_by_user_id for m in rows if m.sent_by_user_id})
    return Transcript(
        conversation=_summaries(scope, [(conversation, customer)])[0],
        messages=[_view(m, names, interactions.get(m.id)) for m in rows],
        has_more=has_more,
    )


def inbox_marker(session: Session, tenant_id: int) -> str:
    """A cheap value that changes whenever the inbox does (new message, status or delivery change).

    The page polls it every few seconds and reloads its list and open transcript only when it changed.

    One statement of four scalar subqueries, each an index probe: max(message.id) on unique (tenant_id, id),
    max(message.updated_at) on (tenant_id, updated_at), max(conversation.last_activity_at) on (tenant_id,
    last_activity_at) — a backward index scan that stops at the first row. Each max stands alone in its own
    query so the planner can use that shortcut (PostgreSQL cannot once count() shares the aggregate). The
    count (which catches a deleted conversation) reads the tenant's entries of the tenant_id index only.
    """
    row = session.exec(marker_query(tenant_id)).one()
    return ":".join(str(value) for value in row)


def marker_query(tenant_id: int) -> Select:
    """The statement behind `inbox_marker` (its plan is checked by the tests)."""
    message_id = select(func.max(Message.id)).where(Message.tenant_id == tenant_id)
    message_updated = select(func.max(Message.updated_at)).where(Message.tenant_id == tenant_id)
    activity = select(func.max(Conversation.last_activity_at)).where(Conversation.tenant_id == tenant_id)
    conversations = select(func.count()).select_from(Conversation).where(Conversation.tenant_id == tenant_id)
    return select(
        message_id.scalar_subquery(),
        message_updated.scalar_subquery(),
        activity.scalar_subquery(),
        conversations.scalar_subquery(),
    )


@dataclass(frozen=True, slots=True)
class CatalogItemView:
    """The product or service the customer looked at last."""

    kind: str  # product · service
    id: int
    code: str  # SKU or service code
    name: str
    price: str  # decimal as text, in the tenant's currency
    image_url: str | None
    available: bool  # in stock / bookable


@dataclass(frozen=True, slots=True)
class CustomerContext:
    """The right-hand pane of the inbox: who the customer is and what the agent knows about this chat.

    `key_facts` merges what is known about the customer (kept across conversations) with what the agent
    noted in this conversation (the latter wins). `window_open`: free-form replies are allowed (the customer
    wrote within the last 24 hours); outside it WhatsApp refuses them (63016).
    """

    conversation_id: int
    customer_id: int
    name: str | None
    phone: str
    wa_id: str | None
    language: str | None
    opted_in: bool
    opted_in_at: datetime | None
    opted_out_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime | None
    last_inbound_at: datetime | None
    window_open: bool
    window_closes_at: datetime | None
    conversation_count: int
    key_facts: dict[str, str]
    summary: str | None
    current_topic: str | None
    pending_action: str | None
    context_expires_at: datetime | None
    last_product: CatalogItemView | None
    last_service: CatalogItemView | None
    orders: list[OrderDTO]
    upcoming_appointments: list[AppointmentDTO]
    past_appointments: list[AppointmentDTO]
    currency: str
    time_zone: str


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # older SQLite rows may come back naive
        return moment.replace(tzinfo=UTC)
    return moment


def _facts(*sources: dict[str, Any] | None) -> dict[str, str]:
    merged: dict[str, str] = {}
    for source in sources:
        for key, value in (source or {}).items():
            if value is None or value == "" or value == [] or value == {}:
                continue
            text = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
            merged[str(key)] = text
    return merged


def customer_context(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    *,
    history_limit: int = 5,
    now: datetime | None = None,
) -> CustomerContext:
    """Customer, agent memory and order/booking history for one conversation (raises NotFound)."""
    now = now or utcnow()
    scope = TenantScope(session, tenant_id)
    conversation = scope.require(Conversation, conversation_id)
    customer = scope.require(Customer, conversation.customer_id)
    tenant = session.get(Tenant, tenant_id)
    context = scope.first(ConversationContext, ConversationContext.conversation_id == conversation_id)
    product = scope.get(Product, context.last_product_id) if context and context.last_product_id else None
    service = scope.get(Service, context.last_service_id) if context and context.last_service_id else None
    conversations = session.exec(
        select(func.count())
        .select_from(Conversation)
        .where(Conversation.tenant_id == tenant_id, Conversation.customer_id == customer.id)
    ).one()
    history = customer_history(session, tenant_id, customer.id, limit=history_limit, now=now)  # type: ignore[arg-type]
    last_inbound = _aware(conversation.last_inbound_at)
    closes = last_inbound + timedelta(hours=SESSION_WINDOW_HOURS) if last_inbound else None
    return CustomerContext(
        conversation_id=conversation_id,
        customer_id=customer.id,  # type: ignore[arg-type]
        name=customer.name,
        phone=customer.phone.removeprefix("whatsapp:"),
        wa_id=customer.wa_id,
        language=customer.language,
        opted_in=customer.opted_in,
        opted_in_at=_aware(customer.opted_in_at),
        opted_out_at=_aware(customer.opted_out_at),
        first_seen_at=_aware(customer.created_at),  # type: ignore[arg-type]
        last_seen_at=_aware(customer.last_seen_at),
        last_inbound_at=last_inbound,
        window_open=bool(closes and closes > now),
        window_closes_at=closes,
        conversation_count=int(conversations),
        key_facts=_facts(customer.key_facts, context.key_facts if context else None),
        summary=(context.conversation_summary or None) if context else None,
        current_topic=context.current_topic if context else None,
        pending_action=context.pending_action if context else None,
        context_expires_at=_aware(context.context_expires_at) if context else None,
        last_product=(
            CatalogItemView(
                kind="product",
                id=product.id,  # type: ignore[arg-type]
                code=product.sku,
                name=product.name,
                price=f"{product.price:.2f}",
                image_url=product.image_url,
                available=product.is_active and product.stock > 0,
            )
            if product
            else None
        ),
        last_service=(
            CatalogItemView(
                kind="service",
                id=service.id,  # type: ignore[arg-type]
                code=service.code,
                name=service.name,
                price=f"{service.price:.2f}",
                image_url=service.image_url,
                available=service.is_active and service.is_bookable,
            )
            if service
            else None
        ),
        orders=list(history.orders),
        upcoming_appointments=list(history.upcoming_appointments),
        past_appointments=list(history.past_appointments),
        currency=tenant.currency if tenant else "USD",
        time_zone=tenant.time_zone if tenant else "UTC",
    )


@dataclass(frozen=True, slots=True)
class InboxSettings:
    """What the inbox needs to draw a tenant's chats: its clock and money, and how its agent is named and
    when a reply counts as unsure (the persona's handoff threshold)."""

    time_zone: str
    currency: str
    agent_name: str
    confidence_threshold: float


def inbox_settings(session: Session, tenant_id: int) -> InboxSettings:
    tenant = session.get(Tenant, tenant_id)
    config = TenantScope(session, tenant_id).first(AgentConfiguration)
    return InboxSettings(
        time_zone=tenant.time_zone if tenant else "UTC",
        currency=tenant.currency if tenant else "USD",
        agent_name=(config.agent_name if config else "") or "Agent",
        confidence_threshold=float(config.confidence_threshold) if config else 0.55,
    )


def needs_human_count(session: Session, tenant_id: int) -> int:
    """How many conversations wait for a person (status handoff): the badge on the console's sidebar."""
    return int(
        session.exec(
            select(func.count())
            .select_from(Conversation)
            .where(
                Conversation.tenant_id == tenant_id,
                Conversation.channel == "whatsapp",
                Conversation.status == "handoff",
            )
        ).one()
    )


# --------------------------------------------------------------------------------------------- actions


def _summary(session: Session, tenant_id: int, conversation: Conversation) -> ConversationSummary:
    scope = TenantScope(session, tenant_id)
    customer = scope.require(Customer, conversation.customer_id)
    return _summaries(scope, [(conversation, customer)])[0]


def take_over(
    session: Session, tenant_id: int, conversation_id: int, user_id: int, *, reason: str | None = None
) -> ConversationSummary:
    """A person answers from now on (engine.conversations.lifecycle.take_over), as the inbox lists it."""
    conversation = lifecycle.take_over(session, tenant_id, conversation_id, user_id, reason=reason)
    return _summary(session, tenant_id, conversation)


def hand_back(session: Session, tenant_id: int, conversation_id: int, user_id: int) -> ConversationSummary:
    """The agent answers again (engine.conversations.lifecycle.hand_back), as the inbox lists it."""
    conversation = lifecycle.hand_back(session, tenant_id, conversation_id, user_id)
    return _summary(session, tenant_id, conversation)


def close(session: Session, tenant_id: int, conversation_id: int, user_id: int) -> ConversationSummary:
    """Closed (engine.conversations.lifecycle.close), as the inbox lists it."""
    conversation = lifecycle.close(session, tenant_id, conversation_id, user_id)
    return _summary(session, tenant_id, conversation)


def send_human_reply(
    tenant_id: int,
    conversation_id: int,
    user_id: int,
    text: str,
    *,
    sender_factory: SenderFactory | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> MessageView:
    """A staff member's reply, sent through Twilio. Takes the conversation over first if the bot had it.

    Opens its own transactions: the message is committed before the network call, so a slow Twilio never
    holds a database transaction open. Raises InboxError (empty/too long text, closed conversation) and
    NotFound. A Twilio refusal is not raised: it is on the returned view (ticks -1, error_code).
    """
    try:
        message = RichMessageBuilder.text(text)
    except RichMessageError as exc:
        raise InboxError(f"the reply {exc}") from exc
    with session_scope() as session:
        conversation = TenantScope(session, tenant_id).get(Conversation, conversation_id)
        if conversation is None:
            raise NotFound(f"Conversation {conversation_id} not found")
        if conversation.status == "closed":
            raise InboxError("this conversation is closed")
        if conversation.status == "bot" or conversation.assigned_user_id is None:
            take_over(session, tenant_id, conversation_id, user_id)
        row = create_outbound(session, tenant_id, conversation_id, message, sender="human", user_id=user_id)
        conversation.last_activity_at = clock()
        session.add(conversation)
        message_id = row.id
    assert message_id is not None
    deliver(tenant_id, message_id, sender_factory=sender_factory, clock=clock)
    with session_scope() as session:
        row = TenantScope(session, tenant_id).require(Message, message_id)
        return _view(row, _user_names(session, {user_id}), None)


def retry_reply(
    tenant_id: int,
    conversation_id: int,
    message_id: int,
    user_id: int,
    *,
    sender_factory: SenderFactory | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> MessageView:
    """Send a reply that was not delivered once more (engine.conversations.outbound.retry_send): the same
    message row, so the transcript shows one bubble whose state changes, not a copy — a staff reply or an
    agent reply that went to a person because it could not be delivered. Only a failed reply of an open
    conversation qualifies (InboxError otherwise; NotFound for another conversation's or tenant's message)."""
    with session_scope() as session:
        row = TenantScope(session, tenant_id).get(Message, message_id)
        if row is None or row.conversation_id != conversation_id:
            raise NotFound(f"Message {message_id} not found")
    try:
        retry_send(tenant_id, message_id, sender_factory=sender_factory, clock=clock)
    except OutboundError as exc:
        raise InboxError(str(exc)) from exc
    with session_scope() as session:
        row = TenantScope(session, tenant_id).require(Message, message_id)
        return _view(row, _user_names(session, {user_id}), None)


__all__ = [
    "CatalogItemView",
    "ConversationPage",
    "ConversationSummary",
    "CustomerContext",
    "HandoffFilter",
    "InboxError",
    "InboxSettings",
    "MessageView",
    "TABS",
    "Transcript",
    "close",
    "customer_context",
    "get_transcript",
    "hand_back",
    "inbox_marker",
    "inbox_settings",
    "list_conversations",
    "needs_human_count",
    "retry_reply",
    "send_human_reply",
    "take_over",
]
