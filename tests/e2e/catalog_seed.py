"""A shop with a real-looking catalogue for the Catalog page's browser tests: the demo's Stride & Co. products
and services, its customers' orders and appointments, in GBP and Europe/London, and one owner to sign in as.

Kept apart from the other pages' tenants so nothing the Catalog tests import or edit changes what another test
expects. Called from tests/e2e/seed.py inside its transaction.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from engine import catalog
from engine.accounts import tenants, users
from engine.db import TenantScope
from engine.demo import catalog_data, customers_data
from engine.demo.seed import order_lines
from engine.models import Appointment, Customer, Order, utcnow

SLUG = "stride-e2e"
OWNER = ("cora@stride.test", "Cora Lindqvist")
ZONE = "Europe/London"


def add_catalog_shop(db: Session, password: str) -> int:
    tenant_id = tenants.create_tenant(db, name="Stride & Co.", slug=SLUG, time_zone=ZONE, currency="GBP").id
    user = users.create_user(db, email=OWNER[0], password=password, full_name=OWNER[1])
    assert user.id is not None
    users.add_membership(db, tenant_id, user.id, "owner")

    products = [dict(p) for p in catalog_data.PRODUCTS]
    known = {p["sku"] for p in products}
    for spec in products:  # related SKUs point at products created later: add them once all exist
        catalog.create_product(db, tenant_id, {**spec, "related_skus": []})
    for spec in products:
        related = [s for s in spec.get("related_skus", []) if s in known]
        if related:
            found = catalog.get_product_by_sku(db, tenant_id, spec["sku"])
            assert found is not None
            catalog.update_product(db, tenant_id, found.id, {"related_skus": related})
    services = {s["code"]: catalog.create_service(db, tenant_id, dict(s)) for s in catalog_data.SERVICES}

    scope = TenantScope(db, tenant_id)
    now = utcnow()
    today = now.astimezone(ZoneInfo(ZONE)).date()
    for spec in customers_data.CUSTOMERS:
        customer = scope.add(Customer(phone=spec["phone"], name=spec["name"], opted_in=spec["opted_in"]))
        assert customer.id is not None
        for order in spec["orders"]:
            lines, total = order_lines(order["items"])
            scope.add(
                Order(
                    customer_id=customer.id,
                    order_number=order["order_number"],
                    status=order["status"],
                    items=lines,
                    total=Decimal(total),
                    created_at=now - timedelta(days=order["days_ago"], hours=3),
                    updated_at=now - timedelta(days=order["updated_days_ago"], hours=1),
                )
            )
        for booking in spec["appointments"]:
            service = services.get(booking["service"])
            if service is None:
                continue
            hour, minute = (int(part) for part in booking["local_time"].split(":"))
            day = today + timedelta(days=booking["in_days"])
            starts = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(ZONE))
            scope.add(
                Appointment(
                    customer_id=customer.id,
                    service_id=service.id,
                    starts_at=starts,
                    status=booking["status"],
                    notes=booking.get("notes"),
                )
            )
    return tenant_id
