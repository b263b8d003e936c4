"""Reserving a product in a size puts an order on hold and takes that variant's stock; free times are the
business hours minus booked appointments, stepped by the service's length; a picked time is booked once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from engine import catalog
from engine.catalog import CatalogError
from engine.catalog.reservations import ON_HOLD, book_slot, free_slots, reserve
from engine.db import TenantScope
from engine.models import Appointment, Customer, Product
from tests.factories import new_tenant

# Monday 7 December 2026, 08:00 in London (UTC in winter).
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
WEEKLY = {"mon": [["09:00", "12:00"]], "tue": [["09:00", "10:00"], ["14:00", "15:00"]]}


def _customer(session: Session, tenant: int) -> int:
    return int(TenantScope(session, tenant).add(Customer(phone="whatsapp:+447700900001", name="Ada")).id or 0)


@pytest.fixture
def shop(session: Session) -> tuple[int, int]:
    tenant = new_tenant(session)
    catalog.create_product(
        session,
        tenant,
        {
            "sku": "TRL-1",
            "name": "Ridgeline Trail Runner",
            "price": "115.00",
            "variants": "UK 8 / Black = 1 | UK 8 / Grey = 4 | UK 9 / Black = 2",
        },
    )
    catalog.create_service(
        session, tenant, {"code": "GAIT", "name": "Gait Analysis", "price": "15", "duration_minutes": 45}
    )
    return tenant, _customer(session, tenant)


def test_reserve_puts_the_variant_on_hold_and_takes_its_stock(
    session: Session, shop: tuple[int, int]
) -> None:
    tenant, customer = shop
    hold = reserve(session, tenant, customer_id=customer, sku="TRL-1", size="UK 8", color="black", now=MONDAY)
    assert (
        hold.name == "Ridgeline Trail Runner — UK 8, Black" and hold.left == 0 and str(hold.total) == "115.00"
    )
    orders = catalog.list_orders(session, tenant, customer_id=customer).items
    assert [(o.order_number, o.status) for o in orders] == [(hold.order_number, ON_HOLD)]  # staff see it
    assert orders[0].items[0].name == "Ridgeline Trail Runner — UK 8, Black"
    product = TenantScope(session, tenant).first(Product, Product.sku == "TRL-1")
    assert product is not None and product.stock == 6  # 7 - 1: the variants' sum again
    with pytest.raises(CatalogError, match="not in stock"):  # the last pair has gone
        reserve(session, tenant, customer_id=customer, sku="TRL-1", size="UK 8", color="Black")


def test_reserving_a_product_without_variants_takes_its_one_stock_figure(session: Session) -> None:
    tenant = new_tenant(session)
    catalog.create_product(session, tenant, {"sku": "SCK-1", "name": "Socks", "price": "9", "stock": 1})
    customer = _customer(session, tenant)
    assert reserve(session, tenant, customer_id=customer, sku="SCK-1").left == 0
    with pytest.raises(CatalogError, match="out of stock"):
        reserve(session, tenant, customer_id=customer, sku="SCK-1")


def test_free_times_are_business_hours_minus_bookings_by_the_services_length(
    session: Session, shop: tuple[int, int]
) -> None:
    tenant, customer = shop
    gait = catalog.get_service_by_code(session, tenant, "GAIT")
    assert gait is not None
    TenantScope(session, tenant).add(  # 09:45-10:30 is taken
        Appointment(customer_id=customer, service_id=gait.id, starts_at=MONDAY.replace(hour=9, minute=45))
    )
    slots = free_slots(session, tenant, "GAIT", weekly=WEEKLY, time_zone="Europe/London", now=MONDAY)
    assert [f"{s:%d %a %H:%M}" for s in slots] == [
        "07 Mon 09:00",  # 09:00-09:45 ends as the booking starts
        "07 Mon 10:30",  # 09:45 is booked
        "07 Mon 11:15",  # ends at 12:00, closing time
        "08 Tue 09:00",  # 09:45 would end after 10:00
        "08 Tue 14:00",
        "14 Mon 09:00",  # a week on; four a day at most
        "14 Mon 09:45",
        "14 Mon 10:30",
        "14 Mon 11:15",
    ]
    assert free_slots(session, tenant, "GAIT", weekly={}, time_zone="UTC", now=MONDAY) == []  # no hours


def test_a_picked_time_is_booked_once_and_only_inside_the_hours(
    session: Session, shop: tuple[int, int]
) -> None:
    tenant, customer = shop
    at = MONDAY.replace(hour=10, minute=30)
    args = {
        "customer_id": customer,
        "service_code": "GAIT",
        "weekly": WEEKLY,
        "time_zone": "UTC",
        "now": MONDAY,
    }
    booked = book_slot(session, tenant, starts_at=at, **args)  # type: ignore[arg-type]
    assert booked.starts_at == at and booked.status == "booked"
    upcoming = catalog.list_appointments(session, tenant, upcoming=True, now=MONDAY).items
    assert [(a.service_name, a.starts_at) for a in upcoming] == [("Gait Analysis", at)]  # staff see it
    with pytest.raises(CatalogError, match="just been taken"):
        book_slot(session, tenant, starts_at=at + timedelta(minutes=15), **args)  # type: ignore[arg-type]
    with pytest.raises(CatalogError, match="closed"):
        book_slot(session, tenant, starts_at=MONDAY.replace(hour=11, minute=30), **args)  # type: ignore[arg-type]
