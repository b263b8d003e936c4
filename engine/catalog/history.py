"""What customers bought and booked: orders and appointments, per customer or paged for the console.

The agent reads `customer_history` to answer "where's my order?" and "when is my fitting?" without asking;
the console lists the same rows on the customer and catalog pages. Read-only: orders and bookings are written
by the flows that create them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from engine.catalog.errors import CatalogNotFound
from engine.catalog.items import page_bounds
from engine.catalog.schemas import AppointmentDTO, CustomerHistoryDTO, OrderDTO, OrderLineDTO, Page
from engine.db import TenantScope
from engine.models import Appointment, Customer, Order, Service, utcnow
from engine.money import amount_text


def order_dto(row: Order, customer: Customer | None = None) -> OrderDTO:
    assert row.id is not None
    lines = tuple(
        OrderLineDTO(
            sku=str(line.get("sku", "")),
            name=str(line.get("name", "")),
            qty=int(line.get("qty", 1) or 1),
            price=amount_text(line.get("price", "0")),
        )
        for line in (row.items or [])
        if isinstance(line, dict)
    )
    return OrderDTO(
        id=row.id,
        customer_id=row.customer_id,
        order_number=row.order_number,
        status=row.status,
        items=lines,
        total=amount_text(row.total),
        created_at=row.created_at,
        updated_at=row.updated_at,
        customer_name=customer.name if customer else None,
        customer_phone=customer.phone.removeprefix("whatsapp:") if customer else "",
    )


def _appointment_dto(
    row: Appointment, service: Service | None, customer: Customer | None = None
) -> AppointmentDTO:
    assert row.id is not None
    return AppointmentDTO(
        id=row.id,
        customer_id=row.customer_id,
        service_id=row.service_id,
        service_code=service.code if service else "",
        service_name=service.name if service else "",
        duration_minutes=service.duration_minutes if service else 0,
        starts_at=row.starts_at,
        status=row.status,
        notes=row.notes,
        created_at=row.created_at,
        customer_name=customer.name if customer else None,
        customer_phone=customer.phone.removeprefix("whatsapp:") if customer else "",
    )


def _require_customer(scope: TenantScope, customer_id: int) -> None:
    if scope.get(Customer, customer_id) is None:
        raise CatalogNotFound(f"customer {customer_id} not found")


def list_orders(
    session: Session,
    tenant_id: int,
    *,
    customer_id: int | None = None,
    status: str | None = None,
    page: int = 1,
    page_size: int = 25,
) -> Page[OrderDTO]:
    """Orders newest first, optionally one customer's or one status's."""
    page, page_size = page_bounds(page, page_size)
    conditions: list[Any] = [Order.tenant_id == tenant_id]
    if customer_id is not None:
        conditions.append(Order.customer_id == customer_id)
    if status:
        conditions.append(Order.status == status)
    total = session.exec(select(func.count()).select_from(Order).where(*conditions)).one()
    rows = session.exec(
        select(Order, Customer)
        .join(
            Customer,
            (Customer.id == Order.customer_id) & (Customer.tenant_id == Order.tenant_id),
            isouter=True,
        )
        .where(*conditions)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    items = tuple(order_dto(o, c) for o, c in rows)
    return Page(items=items, total=int(total), page=page, page_size=page_size)


def customer_orders(session: Session, tenant_id: int, customer_id: int, limit: int = 10) -> list[OrderDTO]:
    """A customer's latest orders, newest first."""
    _require_customer(TenantScope(session, tenant_id), customer_id)
    return list(
        list_orders(session, tenant_id, customer_id=customer_id, page_size=max(1, min(limit, 200))).items
    )


def get_order_by_number(session: Session, tenant_id: int, order_number: str) -> OrderDTO | None:
    """An order by its number, ignoring case ('str-10457' finds 'STR-10457'; nothing looser is guessed)."""
    row = TenantScope(session, tenant_id).first(
        Order, func.upper(Order.order_number) == order_number.strip().upper()
    )
    return order_dto(row) if row else None


def list_appointments(
    session: Session,
    tenant_id: int,
    *,
    customer_id: int | None = None,
    upcoming: bool | None = None,
    status: str | None = None,
    now: datetime | None = None,
    page: int = 1,
    page_size: int = 25,
) -> Page[AppointmentDTO]:
    """Appointments with their service; upcoming ones soonest first, otherwise most recent first."""
    page, page_size = page_bounds(page, page_size)
    now = now or utcnow()
    conditions: list[Any] = [Appointment.tenant_id == tenant_id]
    if customer_id is not None:
        conditions.append(Appointment.customer_id == customer_id)
    if status:
        conditions.append(Appointment.status == status)
    if upcoming is True:
        conditions.append(Appointment.starts_at >= now)
        order = [col(Appointment.starts_at).asc()]
    else:
        if upcoming is False:
            conditions.append(Appointment.starts_at < now)
        order = [col(Appointment.starts_at).desc()]
    total = session.exec(select(func.count()).select_from(Appointment).where(*conditions)).one()
    rows = session.exec(
        select(Appointment, Service, Customer)
        .join(
            Service,
            (Service.id == Appointment.service_id) & (Service.tenant_id == Appointment.tenant_id),
            isouter=True,
        )
        .join(
            Customer,
            (Customer.id == Appointment.customer_id) & (Customer.tenant_id == Appointment.tenant_id),
            isouter=True,
        )
        .where(*conditions)
        .order_by(*order, col(Appointment.id).asc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    items = tuple(_appointment_dto(a, s, c) for a, s, c in rows)
    return Page(items=items, total=int(total), page=page, page_size=page_size)


def customer_appointments(
    session: Session,
    tenant_id: int,
    customer_id: int,
    *,
    upcoming: bool | None = None,
    limit: int = 10,
    now: datetime | None = None,
) -> list[AppointmentDTO]:
    _require_customer(TenantScope(session, tenant_id), customer_id)
    page = list_appointments(
        session,
        tenant_id,
        customer_id=customer_id,
        upcoming=upcoming,
        now=now,
        page_size=max(1, min(limit, 200)),
    )
    return list(page.items)


def customer_history(
    session: Session, tenant_id: int, customer_id: int, *, limit: int = 5, now: datetime | None = None
) -> CustomerHistoryDTO:
    """Latest orders and appointments (upcoming soonest first, past most recent first) for the agent."""
    now = now or utcnow()
    return CustomerHistoryDTO(
        customer_id=customer_id,
        orders=tuple(customer_orders(session, tenant_id, customer_id, limit)),
        upcoming_appointments=tuple(
            customer_appointments(session, tenant_id, customer_id, upcoming=True, limit=limit, now=now)
        ),
        past_appointments=tuple(
            customer_appointments(session, tenant_id, customer_id, upcoming=False, limit=limit, now=now)
        ),
    )
