"""What a customer's tap can commit to: a product put on hold in their size, a service booked at a free time.

"Reserve" on a product card creates an order on hold (status `on_hold`) for that variant, so staff see it in
Catalog → Orders and the stock figure the next customer is told already counts it. A tap on a service offers
free times — the shop's business hours minus booked appointments, stepped by the service's duration — and a
picked time becomes an appointment (Catalog → Appointments). Both check again at the moment of writing: the
stock may have gone and the time may have been taken since the customer saw the choice.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from engine.catalog import index
from engine.catalog.errors import CatalogError
from engine.catalog.stock import product_color
from engine.db import TenantScope
from engine.models import Appointment, Order, Product, Service, utcnow
from engine.models.base import zone_or_utc

ON_HOLD = "on_hold"
HOLD_NOTE = "held for the customer from WhatsApp"
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOT_LEAD = timedelta(hours=1)  # no slot sooner than this: the shop needs a moment to see the booking
MAX_SLOTS = 10  # a WhatsApp list holds ten rows
PER_DAY = 4  # so the ten rows reach over a few days, not one afternoon
BUSY_STATUSES = ("booked", "confirmed", "rescheduled")


@dataclass(frozen=True)
class Hold:
    order_id: int
    order_number: str
    name: str  # "Cloudstep 90 Running Shoe — UK 8, Black"
    total: Decimal
    left: int  # units left in that variant after the hold


def _variant_name(product: Product, size: str | None, color: str | None) -> str:
    detail = ", ".join(p for p in (size, color) if p)
    return f"{product.name} — {detail}" if detail else product.name


def reserve(
    session: Session,
    tenant_id: int,
    *,
    customer_id: int,
    sku: str,
    size: str | None = None,
    color: str | None = None,
    quantity: int = 1,
    now: datetime | None = None,
) -> Hold:
    """Put `quantity` of the product (in that size and colour) on hold for the customer: an `on_hold` order,
    and the variant's stock (and the product's) lowered by it. CatalogError when it is not in stock."""
    scope = TenantScope(session, tenant_id)
    product = scope.first(Product, Product.sku == sku)
    if product is None or not product.is_active:
        raise CatalogError(f"no product {sku!r} is on sale", field="sku")
    if quantity < 1 or quantity > 20:
        raise CatalogError("must be between 1 and 20", field="quantity")
    variants = [dict(v) for v in product.variants or []]
    if variants:
        wanted_color = product_color(product.colors or [], color) if color else None
        chosen = next(
            (
                v
                for v in variants
                if (not size or v.get("size") == size)
                and (not color or v.get("color") == (wanted_color or color))
                and int(v.get("stock") or 0) >= quantity
            ),
            None,
        )
        if chosen is None:
            raise CatalogError(f"{_variant_name(product, size, color)} is not in stock", field="variant")
        chosen["stock"] = int(chosen["stock"]) - quantity
        size, color = chosen.get("size") or None, chosen.get("color") or None
        left = int(chosen["stock"])
        product.variants = variants
        product.stock = sum(int(v.get("stock") or 0) for v in variants)
    else:
        if product.stock < quantity:
            raise CatalogError(f"{product.name} is out of stock", field="stock")
        product.stock -= quantity
        left = product.stock
    now = now or utcnow()
    product.updated_at = now
    session.add(product)
    name = _variant_name(product, size, color)
    total = (product.price * quantity).quantize(Decimal("0.01"))
    order = scope.add(
        Order(
            customer_id=customer_id,
            order_number=_order_number(scope),
            status=ON_HOLD,
            items=[
                {
                    "sku": product.sku,
                    "name": name,
                    "qty": quantity,
                    "price": f"{product.price:.2f}",
                    "size": size or "",
                    "color": color or "",
                    "note": HOLD_NOTE,
                }
            ],
            total=total,
            created_at=now,
            updated_at=now,
        )
    )
    index.invalidate(tenant_id, session)
    return Hold(int(order.id or 0), order.order_number, name, total, left)


def _order_number(scope: TenantScope) -> str:
    """ "H-7K3Q9D": on hold, short enough to read out in the shop, unique in the tenant."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    for _ in range(20):
        number = "H-" + "".join(secrets.choice(alphabet) for _ in range(6))
        if scope.first(Order, Order.order_number == number) is None:
            return number
    raise RuntimeError("could not find a free order number")


# --- free times ------------------------------------------------------------------------------------------


def _opening(weekly: Mapping[str, Any], day: date) -> list[tuple[time, time]]:
    spans = []
    for span in weekly.get(DAY_KEYS[day.weekday()]) or []:
        try:
            start, end = time.fromisoformat(str(span[0])), time.fromisoformat(str(span[1]))
        except (ValueError, IndexError, TypeError):
            continue
        if start < end:
            spans.append((start, end))
    return spans


def _busy(
    session: Session, tenant_id: int, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    rows = session.exec(
        select(Appointment, Service.duration_minutes)
        .join(
            Service,
            (Service.id == Appointment.service_id) & (Service.tenant_id == Appointment.tenant_id),
            isouter=True,
        )
        .where(
            Appointment.tenant_id == tenant_id,
            col(Appointment.status).in_(BUSY_STATUSES),
            Appointment.starts_at >= start - timedelta(days=1),
            Appointment.starts_at < end,
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    return [(a.starts_at, a.starts_at + timedelta(minutes=int(minutes or 30))) for a, minutes in rows]


def free_slots(
    session: Session,
    tenant_id: int,
    service_code: str,
    *,
    weekly: Mapping[str, Any],
    time_zone: str,
    now: datetime | None = None,
    days: int = 7,
    limit: int = MAX_SLOTS,
) -> list[datetime]:
    """The next free start times (UTC) for the service: inside business hours, one service length apart,
    not overlapping a booked appointment, at least SLOT_LEAD from now, at most PER_DAY a day. Empty when
    the shop has no hours."""
    service = _bookable(session, tenant_id, service_code)
    now = now or utcnow()
    zone = zone_or_utc(time_zone)
    length = timedelta(minutes=service.duration_minutes)
    local_now = now.astimezone(zone)
    horizon = now + timedelta(days=days + 1)
    busy = _busy(session, tenant_id, now, horizon)
    slots: list[datetime] = []
    for offset in range(days + 1):
        day = local_now.date() + timedelta(days=offset)
        today = 0
        for start_time, end_time in _opening(weekly, day):
            start = datetime.combine(day, start_time, tzinfo=zone)
            close = datetime.combine(day, end_time, tzinfo=zone)
            while start + length <= close and today < PER_DAY:
                begin = start.astimezone(now.tzinfo or zone)
                finish = begin + length
                if begin >= now + SLOT_LEAD and not any(b < finish and begin < e for b, e in busy):
                    slots.append(begin)
                    today += 1
                    if len(slots) >= limit:
                        return slots
                start += length
    return slots


def _bookable(session: Session, tenant_id: int, code: str) -> Service:
    service = TenantScope(session, tenant_id).first(Service, Service.code == code)
    if service is None or not service.is_active or not service.is_bookable:
        raise CatalogError(f"no service {code!r} can be booked", field="service")
    return service


def book_slot(
    session: Session,
    tenant_id: int,
    *,
    customer_id: int,
    service_code: str,
    starts_at: datetime,
    weekly: Mapping[str, Any],
    time_zone: str,
    now: datetime | None = None,
) -> Appointment:
    """Book the service at `starts_at` for the customer, if that time is still one of the free times."""
    service = _bookable(session, tenant_id, service_code)
    now = now or utcnow()
    length = timedelta(minutes=service.duration_minutes)
    if starts_at < now + SLOT_LEAD:
        raise CatalogError("that time has passed", field="starts_at")
    local = starts_at.astimezone(zone_or_utc(time_zone))
    day = local.date()
    opened = any(
        datetime.combine(day, a, tzinfo=local.tzinfo) <= local
        and local + length <= datetime.combine(day, b, tzinfo=local.tzinfo)
        for a, b in _opening(weekly, day)
    )
    if not opened:
        raise CatalogError("the shop is closed at that time", field="starts_at")
    finish = starts_at + length
    if any(b < finish and starts_at < e for b, e in _busy(session, tenant_id, starts_at, finish)):
        raise CatalogError("that time has just been taken", field="starts_at")
    return TenantScope(session, tenant_id).add(
        Appointment(
            customer_id=customer_id,
            service_id=int(service.id or 0),
            starts_at=starts_at,
            status="booked",
            notes="booked by the customer on WhatsApp",
            created_at=now,
        )
    )


__all__ = ["Hold", "ON_HOLD", "book_slot", "free_slots", "reserve"]
