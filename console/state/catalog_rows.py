"""Display rows for the Catalog page: what each table cell shows, built from the engine's DTOs.

States hold these small dataclasses (strings, numbers, short lists), never DTOs with Decimals and datetimes,
and never ORM rows. Money is formatted in the tenant's currency and times in the tenant's time zone here, so
the components only draw text.
"""

from __future__ import annotations

import dataclasses
import zlib
from datetime import datetime
from typing import Any

from console.state.formatting import money, zone
from engine.catalog import AppointmentDTO, OrderDTO, ProductDTO, ServiceDTO
from engine.conversations.display import name_or_phone, phone_display

# Stock at or under this count shows as "low" (the engine only knows in stock / out of stock).
LOW_STOCK = 5
# Aliases drawn as chips in a table row; the rest are counted ("+4").
ROW_ALIASES = 3

# Placeholder tiles get a colour from their category, so a catalogue without photos still scans easily.
TINTS: tuple[str, ...] = ("grass", "blue", "amber", "violet", "cyan", "orange", "pink", "teal", "indigo")

ORDER_STATUS: dict[str, tuple[str, str]] = {
    "pending": ("Pending", "amber"),
    "on_hold": ("On hold for the customer", "amber"),  # reserved from WhatsApp (engine.catalog.reservations)
    "paid": ("Paid", "blue"),
    "processing": ("Processing", "blue"),
    "confirmed": ("Confirmed", "blue"),
    "shipped": ("Shipped", "cyan"),
    "delivered": ("Delivered", "grass"),
    "completed": ("Completed", "grass"),
    "cancelled": ("Cancelled", "red"),
    "returned": ("Returned", "orange"),
    "refunded": ("Refunded", "orange"),
}
APPOINTMENT_STATUS: dict[str, tuple[str, str]] = {
    "booked": ("Booked", "blue"),
    "confirmed": ("Confirmed", "grass"),
    "completed": ("Completed", "gray"),
    "cancelled": ("Cancelled", "red"),
    "no_show": ("No-show", "orange"),
    "rescheduled": ("Rescheduled", "amber"),
}


def status_label(status: str, table: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(label, colour) for a status; unknown statuses are shown as written, in gray."""
    key = (status or "").strip().lower()
    if key in table:
        return table[key]
    return (key.replace("_", " ").capitalize() or "Unknown", "gray")


def tint(category: str | None) -> str:
    """A stable colour per category (crc32, not hash(): the same in every process)."""
    if not category:
        return "gray"
    return TINTS[zlib.crc32(category.strip().lower().encode()) % len(TINTS)]


def category_label(category: str | None) -> str:
    """ "Running" for "running": categories are typed in any case; the table reads better capitalised."""
    text = (category or "").strip()
    return text[:1].upper() + text[1:]


def duration_label(minutes: int) -> str:
    """ "45 min", "1 h", "1 h 30 min"."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def stock_badge(stock: int, active: bool = True) -> tuple[str, str]:
    """(label, colour) of the stock badge."""
    if stock <= 0:
        return "Out of stock", "red"
    if stock <= LOW_STOCK:
        return f"Low · {stock} left", "amber"
    return f"In stock · {stock:,}", "grass"


@dataclasses.dataclass
class ProductRow:
    """One row of the products table."""

    id: int = 0
    sku: str = ""
    name: str = ""
    category: str = ""
    price: str = ""
    stock: int = 0
    stock_label: str = ""
    stock_color: str = "gray"
    aliases: list[str] = dataclasses.field(default_factory=list)
    more_aliases: int = 0
    image_url: str = ""
    tint: str = "gray"
    is_active: bool = True


@dataclasses.dataclass
class ServiceRow:
    """One row of the services table."""

    id: int = 0
    code: str = ""
    name: str = ""
    category: str = ""
    price: str = ""
    duration: str = ""
    aliases: list[str] = dataclasses.field(default_factory=list)
    more_aliases: int = 0
    image_url: str = ""
    tint: str = "gray"
    is_bookable: bool = True
    is_active: bool = True


@dataclasses.dataclass
class OrderRow:
    """One row of the orders table."""

    id: int = 0
    number: str = ""
    customer: str = ""
    customer_detail: str = ""
    initials: str = ""
    summary: str = ""
    more_items: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    total: str = ""
    placed: str = ""


@dataclasses.dataclass
class AppointmentRow:
    """One row of the appointments table."""

    id: int = 0
    day: str = ""
    time: str = ""
    service: str = ""
    duration: str = ""
    customer: str = ""
    customer_detail: str = ""
    initials: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    notes: str = ""
    upcoming: bool = False


def product_row(dto: ProductDTO, currency: str) -> ProductRow:
    label, color = stock_badge(dto.stock, dto.is_active)
    return ProductRow(
        id=dto.id,
        sku=dto.sku,
        name=dto.name,
        category=category_label(dto.category),
        price=money(dto.price, currency),
        stock=dto.stock,
        stock_label=label,
        stock_color=color,
        aliases=list(dto.aliases[:ROW_ALIASES]),
        more_aliases=max(0, len(dto.aliases) - ROW_ALIASES),
        image_url=dto.image_url or "",
        tint=tint(dto.category),
        is_active=dto.is_active,
    )


def service_row(dto: ServiceDTO, currency: str) -> ServiceRow:
    return ServiceRow(
        id=dto.id,
        code=dto.code,
        name=dto.name,
        category=category_label(dto.category),
        price=money(dto.price, currency),
        duration=duration_label(dto.duration_minutes),
        aliases=list(dto.aliases[:ROW_ALIASES]),
        more_aliases=max(0, len(dto.aliases) - ROW_ALIASES),
        image_url=dto.image_url or "",
        tint=tint(dto.category),
        is_bookable=dto.is_bookable,
        is_active=dto.is_active,
    )


def _customer(dto: Any) -> tuple[str, str, str]:
    """(name, detail, initials) of the customer behind an order or appointment.

    The history DTOs name the customer when the engine provides it (`customer_name`, `customer_phone`);
    otherwise the row says which customer record it is.
    """
    raw = str(getattr(dto, "customer_phone", "") or "")
    name = name_or_phone(getattr(dto, "customer_name", None), raw) or f"Customer #{dto.customer_id}"
    phone = phone_display(raw)
    if name == phone:
        phone = ""
    words = [w for w in name.replace("#", " ").split() if w[:1].isalpha()]
    initials = "".join(w[0] for w in words[:2]).upper() or "#"
    return name, phone, initials


def local_time(moment: datetime, time_zone: str) -> datetime:
    if moment.tzinfo is None:  # stored UTC-aware; older SQLite rows may come back naive
        moment = moment.replace(tzinfo=zone("UTC"))
    return moment.astimezone(zone(time_zone))


def short_when(moment: datetime, time_zone: str) -> str:
    """ "Jun 3, 14:05" this year, "Jun 3, 2024" before: an order list reads best short."""
    local = local_time(moment, time_zone)
    now = local_time(datetime.now(tz=zone("UTC")), time_zone)
    if local.year == now.year:
        return f"{local:%b} {local.day}, {local:%H:%M}"
    return f"{local:%b} {local.day}, {local.year}"


def order_row(dto: OrderDTO, currency: str, time_zone: str) -> OrderRow:
    name, detail, initials = _customer(dto)
    label, color = status_label(dto.status, ORDER_STATUS)
    lines = [f"{line.name or line.sku} × {line.qty}" for line in dto.items]
    return OrderRow(
        id=dto.id,
        number=dto.order_number,
        customer=name,
        customer_detail=detail,
        initials=initials,
        summary=lines[0] if lines else "No items",
        more_items=f"+ {len(lines) - 1} more" if len(lines) > 1 else "",
        status=dto.status,
        status_label=label,
        status_color=color,
        total=money(dto.total, currency),
        placed=short_when(dto.created_at, time_zone),
    )


def appointment_row(dto: AppointmentDTO, time_zone: str, now: datetime) -> AppointmentRow:
    name, detail, initials = _customer(dto)
    label, color = status_label(dto.status, APPOINTMENT_STATUS)
    start = local_time(dto.starts_at, time_zone)
    time_text = f"{start:%H:%M}"
    if dto.duration_minutes:
        end = start.timestamp() + dto.duration_minutes * 60
        time_text += f" – {datetime.fromtimestamp(end, tz=start.tzinfo):%H:%M}"
    today = local_time(now, time_zone).date()
    delta = (start.date() - today).days
    if delta == 0:
        day = "Today"
    elif delta == 1:
        day = "Tomorrow"
    elif delta == -1:
        day = "Yesterday"
    else:
        day = f"{start:%a} {start.day} {start:%b}" + (f" {start.year}" if start.year != today.year else "")
    starts_at = dto.starts_at if dto.starts_at.tzinfo else dto.starts_at.replace(tzinfo=zone("UTC"))
    return AppointmentRow(
        id=dto.id,
        day=day,
        time=time_text,
        service=dto.service_name or dto.service_code or f"Service #{dto.service_id}",
        duration=duration_label(dto.duration_minutes) if dto.duration_minutes else "",
        customer=name,
        customer_detail=detail,
        initials=initials,
        status=dto.status,
        status_label=label,
        status_color=color,
        notes=dto.notes or "",
        upcoming=starts_at >= now,
    )
