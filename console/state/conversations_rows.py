"""The inbox's display rows: list rows, the transcript header and the customer pane, built from the engine's
inbox DTOs with times in the shop's zone and money in its currency (strings only: the browser never gets a
datetime, a Decimal or an ORM row). Kept apart from ConversationsState so the state holds the behaviour.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from console.state.session import initials
from console.state.whatsapp_view import TICK_LABELS, local, relative_time
from engine.agent.labels import handoff_reason, humanize, language_label
from engine.conversations import inbox
from engine.conversations.display import name_or_phone, phone_display
from engine.money import format_money

STATUS = {
    "bot": ("Agent", "grass", "bot"),
    "handoff": ("Needs human", "amber", "hand"),
    "closed": ("Closed", "gray", "circle_check"),
}
AVATAR_COLORS = ("grass", "blue", "violet", "amber", "crimson", "cyan", "orange", "pink", "teal", "indigo")
ORDER_COLORS = {
    "pending": "amber",
    "paid": "blue",
    "processing": "blue",
    "shipped": "blue",
    "delivered": "grass",
    "completed": "grass",
    "cancelled": "red",
    "refunded": "gray",
}
APPOINTMENT_COLORS = {"booked": "blue", "confirmed": "grass", "completed": "gray", "cancelled": "red"}


# ------------------------------------------------------------------------------------------------- rows


@dataclasses.dataclass
class ConversationFace:
    """Who a conversation is with and where it stands: what the list row and the header both show."""

    id: int = 0
    name: str = ""
    phone: str = ""
    initials: str = ""
    color: str = "gray"
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    assigned: str = ""


@dataclasses.dataclass
class ConversationRow(ConversationFace):
    """One row of the inbox list."""

    preview: str = ""
    outbound: bool = False
    ticks: int = 0  # of the last message when it is ours: -1 failed, 0 sending, 1 sent, 2 delivered, 3 read
    tick_label: str = ""
    time: str = ""
    unread: int = 0


@dataclasses.dataclass
class ConversationHeader(ConversationFace):
    """The open conversation, above its transcript."""

    status_icon: str = "bot"
    handoff_reason: str = ""
    mine: bool = False


@dataclasses.dataclass
class Fact:
    label: str = ""
    value: str = ""


@dataclasses.dataclass
class ViewedItem:
    kind: str = ""
    name: str = ""
    code: str = ""
    price: str = ""
    image_url: str = ""
    availability: str = ""
    available: bool = False


@dataclasses.dataclass
class OrderRow:
    number: str = ""
    status: str = ""
    color: str = "gray"
    total: str = ""
    date: str = ""
    lines: str = ""


@dataclasses.dataclass
class AppointmentRow:
    service: str = ""
    when: str = ""
    status: str = ""
    color: str = "gray"
    upcoming: bool = False
    notes: str = ""


@dataclasses.dataclass
class CustomerPane:
    """The context pane: who the customer is and what the agent knows."""

    name: str = ""
    phone: str = ""
    initials: str = ""
    color: str = "gray"
    opt_label: str = ""
    opt_color: str = "gray"
    language: str = ""  # in words ("Spanish"), never the code
    since: str = ""
    conversations: str = ""
    window_open: bool = False
    window_label: str = ""
    facts: list[Fact] = dataclasses.field(default_factory=list)
    summary: str = ""
    topic: str = ""
    pending: str = ""
    viewed: list[ViewedItem] = dataclasses.field(default_factory=list)
    orders: list[OrderRow] = dataclasses.field(default_factory=list)
    appointments: list[AppointmentRow] = dataclasses.field(default_factory=list)


# --------------------------------------------------------------------------------------------- formatting


def avatar_color(key: int) -> str:
    return AVATAR_COLORS[key % len(AVATAR_COLORS)]


def money(amount: str, currency: str) -> str:
    """The DTO's "95.00" as the customer reads it on WhatsApp (engine.money); odd text is shown as it is."""
    try:
        return format_money(amount, currency)
    except ValueError:
        return amount


def _now() -> datetime:
    return datetime.now(UTC)


def _face(summary: inbox.ConversationSummary) -> dict[str, Any]:
    label, color, _ = STATUS.get(summary.status, (summary.status.title(), "gray", "circle"))
    return {
        "id": summary.id,
        "name": name_or_phone(summary.customer_name, summary.customer_phone),
        "phone": phone_display(summary.customer_phone),
        "initials": initials(summary.customer_name, summary.customer_phone.lstrip("+")),
        "color": avatar_color(summary.customer_id),
        "status": summary.status,
        "status_label": label,
        "status_color": color,
        "assigned": summary.assigned_user_name or "",
    }


def row_for(summary: inbox.ConversationSummary, now: datetime, time_zone: str) -> ConversationRow:
    """A list row; its tick is the last message's own: a refused staff reply shows as failed."""
    ticks = getattr(summary, "last_message_ticks", 0)
    return ConversationRow(
        **_face(summary),
        preview=summary.last_message_preview or "No messages yet",
        outbound=summary.last_message_direction == "outbound",
        ticks=ticks,
        tick_label=TICK_LABELS.get(ticks, "") if summary.last_message_direction == "outbound" else "",
        time=relative_time(summary.last_activity_at, now, time_zone),
        unread=summary.unread if summary.status != "closed" else 0,
    )


def header_for(summary: inbox.ConversationSummary, user_id: int) -> ConversationHeader:
    return ConversationHeader(
        **_face(summary),
        status_icon=STATUS.get(summary.status, ("", "", "circle"))[2],
        handoff_reason=handoff_reason(summary.handoff_reason),
        mine=summary.assigned_user_id == user_id,
    )


def _date(moment: datetime | None, time_zone: str) -> str:
    if moment is None:
        return ""
    there = local(moment, time_zone)
    return f"{there:%b} {there.day}, {there.year}"


def pane_for(context: inbox.CustomerContext, now: datetime) -> CustomerPane:
    tz = context.time_zone
    if context.opted_out_at is not None and not context.opted_in:
        opt_label, opt_color = f"Opted out {_date(context.opted_out_at, tz)}", "red"
    elif context.opted_in:
        since = _date(context.opted_in_at, tz)
        opt_label, opt_color = (f"Opted in since {since}" if since else "Opted in"), "grass"
    else:
        opt_label, opt_color = "No marketing opt-in", "gray"
    if context.window_open and context.window_closes_at is not None:
        hours = max(0, int((context.window_closes_at - now).total_seconds() // 3600))
        window = f"Reply window open · {hours}h left" if hours else "Reply window closes within the hour"
    elif context.last_inbound_at is not None:
        window = "24-hour window closed: only templates reach the customer"
    else:
        window = "The customer has not written yet"
    viewed = [
        ViewedItem(
            kind="Product" if item.kind == "product" else "Service",
            name=item.name,
            code=item.code,
            price=money(item.price, context.currency),
            image_url=item.image_url or "",
            available=item.available,
            availability=(
                ("In stock" if item.available else "Out of stock")
                if item.kind == "product"
                else ("Bookable" if item.available else "Not bookable")
            ),
        )
        for item in (context.last_product, context.last_service)
        if item is not None
    ]
    orders = [
        OrderRow(
            number=o.order_number,
            status=humanize(o.status),
            color=ORDER_COLORS.get(o.status, "gray"),
            total=money(o.total, context.currency),
            date=_date(o.created_at, tz),
            lines=", ".join(f"{line.name or line.sku} ×{line.qty}" for line in o.items[:3])
            + ("…" if len(o.items) > 3 else ""),
        )
        for o in context.orders
    ]

    def appointment(a: Any, upcoming: bool) -> AppointmentRow:
        there = local(a.starts_at, tz)
        return AppointmentRow(
            service=a.service_name or a.service_code or "Appointment",
            when=f"{there:%a} {there.day} {there:%b} · {there:%H:%M}",
            status=humanize(a.status),
            color=APPOINTMENT_COLORS.get(a.status, "gray") if upcoming else "gray",
            upcoming=upcoming,
            notes=a.notes or "",
        )

    appointments = [appointment(a, True) for a in context.upcoming_appointments] + [
        appointment(a, False) for a in context.past_appointments
    ]
    count = context.conversation_count
    return CustomerPane(
        name=name_or_phone(context.name, context.phone),
        phone=phone_display(context.phone),
        initials=initials(context.name or "", context.phone.lstrip("+")),
        color=avatar_color(context.customer_id),
        opt_label=opt_label,
        opt_color=opt_color,
        language=language_label(context.language),  # "Spanish", not "es"
        since=_date(context.first_seen_at, tz),
        conversations=f"{count} conversation{'s' if count != 1 else ''}",
        window_open=context.window_open,
        window_label=window,
        facts=[Fact(label=humanize(k), value=v) for k, v in context.key_facts.items()],
        summary=context.summary or "",
        topic=context.current_topic or "",
        pending=context.pending_action or "",
        viewed=viewed,
        orders=orders,
        appointments=appointments,
    )
