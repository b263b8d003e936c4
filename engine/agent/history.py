"""What the customer did before this burst: their latest orders and bookings, the conversation's messages.

Read in a worker thread beside the rest of phase A (engine.agent.read), in its own session: two short queries
each, page-sized, because a turn needs only the newest few and must not wait for the console's full history.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from engine.agent import memory as mem
from engine.agent.context import HistoryTurn
from engine.agent.plan import TurnPlan
from engine.catalog.history import order_dto
from engine.catalog.schemas import AppointmentDTO, CustomerHistoryDTO
from engine.db import TenantScope
from engine.models import Appointment, Message, Order, Service

HISTORY_MESSAGES = 20


def recent_history(
    session: Session,
    tenant_id: int,
    customer_id: int,
    *,
    now: datetime,
    orders: int = 3,
    appointments: int = 6,
) -> CustomerHistoryDTO:
    """The customer's latest orders and appointments in two queries (engine.catalog.customer_history pages
    and counts for the console; a turn needs only the few newest)."""
    scope = TenantScope(session, tenant_id)
    order_rows = session.exec(
        scope.select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .limit(orders)
    ).all()
    pairs = session.exec(
        select(Appointment, Service)
        .join(Service, (Service.id == Appointment.service_id) & (Service.tenant_id == Appointment.tenant_id))
        .where(Appointment.tenant_id == tenant_id, Appointment.customer_id == customer_id)
        .order_by(col(Appointment.starts_at).desc())
        .limit(appointments)
    ).all()
    dtos = [
        AppointmentDTO(
            id=int(a.id or 0),
            customer_id=a.customer_id,
            service_id=a.service_id,
            service_code=s.code,
            service_name=s.name,
            duration_minutes=s.duration_minutes,
            starts_at=a.starts_at,
            status=a.status,
            notes=a.notes,
            created_at=a.created_at,
        )
        for a, s in pairs
    ]
    upcoming = sorted(
        (d for d in dtos if d.starts_at >= now and d.status != "cancelled"), key=lambda d: d.starts_at
    )
    past = [d for d in dtos if d.starts_at < now]
    return CustomerHistoryDTO(
        customer_id=customer_id,
        orders=tuple(order_dto(o) for o in order_rows),
        upcoming_appointments=tuple(upcoming),
        past_appointments=tuple(past),
    )


def conversation_history(session: Session, plan: TurnPlan) -> list[HistoryTurn]:
    """The conversation's recent messages before this burst, oldest first (bodies decrypted)."""
    exclude = [m.message_id for m in plan.inbound if m.message_id]
    # Four columns, not ORM rows: a turn reads up to HISTORY_MESSAGES of them.
    query = (
        select(Message.id, Message.direction, Message.body, Message.created_at)
        .where(Message.tenant_id == plan.tenant_id, Message.conversation_id == plan.conversation_id)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(HISTORY_MESSAGES)
    )
    if exclude:
        query = query.where(col(Message.id).not_in(exclude))
    rows = list(session.exec(query).all())
    rows.reverse()
    turns = [
        HistoryTurn("user" if direction == "inbound" else "assistant", body or "", created_at, message_id)
        for message_id, direction, body, created_at in rows
        if (body or "").strip()
    ]
    session_start = plan.now - mem.SESSION_TTL
    plan.recent_customer = [
        t.text
        for t in turns
        if t.role == "user" and t.created_at is not None and t.created_at >= session_start
    ][-6:]
    return turns


__all__ = ["HISTORY_MESSAGES", "conversation_history", "recent_history"]
