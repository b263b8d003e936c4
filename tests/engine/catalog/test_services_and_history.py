"""Services (codes, bookability, safe deletion) and customers' orders and appointments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from engine import catalog
from engine.catalog import CatalogError, CatalogNotFound
from engine.db import TenantScope
from engine.models import Appointment, Customer, Order, utcnow
from tests.factories import new_tenant


def _service(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "SVC-GAIT",
        "name": "Gait Analysis",
        "price": "15",
        "duration_minutes": 30,
    }
    data.update(overrides)
    return data


def test_service_crud_and_toggles(session: Session) -> None:
    tenant = new_tenant(session)
    dto = catalog.create_service(session, tenant, _service(aliases="gate analysis, run analysis"))
    assert (dto.price, dto.aliases, dto.available) == ("15.00", ("gate analysis", "run analysis"), True)
    assert not catalog.set_service_bookable(session, tenant, dto.id, False).available
    assert not catalog.set_service_active(session, tenant, dto.id, False).is_active
    updated = catalog.update_service(session, tenant, dto.id, {"duration_minutes": "45"})
    assert updated.duration_minutes == 45
    assert catalog.get_service_by_code(session, tenant, "svc-gait") == updated
    with pytest.raises(CatalogError, match="already used"):
        catalog.create_service(session, tenant, _service(code="svc-gait"))
    with pytest.raises(CatalogError) as exc:
        catalog.update_service(session, tenant, dto.id, {"duration_minutes": 0})
    assert exc.value.errors[0].field == "duration_minutes"
    page = catalog.list_services(session, tenant, search="gate", bookable=False)
    assert [s.code for s in page.items] == ["SVC-GAIT"]
    catalog.delete_service(session, tenant, dto.id)
    with pytest.raises(CatalogNotFound):
        catalog.get_service(session, tenant, dto.id)


def _customer(session: Session, tenant: int, phone: str = "whatsapp:+447700900001") -> int:
    customer = TenantScope(session, tenant).add(Customer(phone=phone, name="Ada"))
    assert customer.id is not None
    return customer.id


def test_a_booked_service_cannot_be_deleted_only_deactivated(session: Session) -> None:
    tenant = new_tenant(session)
    service = catalog.create_service(session, tenant, _service())
    TenantScope(session, tenant).add(
        Appointment(customer_id=_customer(session, tenant), service_id=service.id, starts_at=utcnow())
    )
    with pytest.raises(CatalogError, match="deactivate"):
        catalog.delete_service(session, tenant, service.id)


def test_customer_history_lists_orders_and_appointments_newest_or_soonest_first(session: Session) -> None:
    tenant, other = new_tenant(session), new_tenant(session)
    customer = _customer(session, tenant)
    stranger = _customer(session, other)
    scope = TenantScope(session, tenant)
    now = utcnow()
    for n, days in ((1, 10), (2, 1), (3, 5)):
        scope.add(
            Order(
                customer_id=customer,
                order_number=f"STR-{n}",
                status="shipped",
                items=[{"sku": "A", "name": "Shoe", "qty": 2, "price": "10"}],
                total=Decimal("20"),
                created_at=now - timedelta(days=days),
            )
        )
    TenantScope(session, other).add(Order(customer_id=stranger, order_number="STR-9", total=Decimal("1")))
    gait = catalog.create_service(session, tenant, _service())
    for days in (3, 1, -2):
        scope.add(Appointment(customer_id=customer, service_id=gait.id, starts_at=now + timedelta(days=days)))

    history = catalog.customer_history(session, tenant, customer, now=now)
    assert [o.order_number for o in history.orders] == ["STR-2", "STR-3", "STR-1"]
    assert history.orders[0].items[0].price == "10.00" and history.orders[0].total == "20.00"
    upcoming = [a.starts_at for a in history.upcoming_appointments]
    assert upcoming == sorted(upcoming) and len(upcoming) == 2
    assert history.upcoming_appointments[0].service_name == "Gait Analysis"
    assert len(history.past_appointments) == 1
    assert catalog.get_order_by_number(session, tenant, "str-3") is not None
    assert catalog.get_order_by_number(session, tenant, "STR-9") is None  # another tenant's
    assert catalog.list_orders(session, tenant, status="shipped").total == 3
    assert catalog.list_appointments(session, tenant, upcoming=True).total == 2
    with pytest.raises(CatalogNotFound):
        catalog.customer_orders(session, tenant, stranger)
    assert history.to_dict()["orders"][0]["order_number"] == "STR-2"  # type: ignore[index]
