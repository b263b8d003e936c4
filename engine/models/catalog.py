"""What the tenant sells (products, services) and what customers bought or booked (orders, appointments)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column

from engine.models.base import (
    Field,
    TenantOwned,
    UniqueConstraint,
    UTCDateTime,
    created_at_field,
    json_list,
    tenant_keys,
)
from engine.security.crypto import EncryptedText


def _no_variants() -> list[dict[str, Any]]:
    return []


class Product(TenantOwned, table=True):
    __table_args__ = tenant_keys("product", UniqueConstraint("tenant_id", "sku"))

    sku: str = Field(max_length=64)
    name: str = Field(max_length=160)
    aliases: list[str] = json_list()
    description: str = Field(default="", max_length=4000)
    category: str | None = Field(default=None, max_length=80, index=True)
    price: Decimal = Field(max_digits=12, decimal_places=2)
    stock: int = Field(default=0)
    sizes: list[str] = json_list()
    colors: list[str] = json_list()
    # Stock per size × colour: [{"size": "UK 8", "color": "Black", "stock": 3}, ...]. Empty for a product
    # sold in one form, whose `stock` is the one figure; with variants, `stock` is their sum (kept by
    # engine.catalog.products) so lists, badges and "in stock" filters keep working unchanged.
    # The Column's own default too, so bulk Core inserts that predate the column (benchmarks, fixtures) work.
    variants: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=_no_variants)
    )
    image_url: str | None = Field(default=None, max_length=500)
    related_skus: list[str] = json_list()
    is_active: bool = Field(default=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class Service(TenantOwned, table=True):
    __table_args__ = tenant_keys("service", UniqueConstraint("tenant_id", "code"))

    code: str = Field(max_length=64)
    name: str = Field(max_length=160)
    aliases: list[str] = json_list()
    description: str = Field(default="", max_length=4000)
    category: str | None = Field(default=None, max_length=80)
    price: Decimal = Field(max_digits=12, decimal_places=2)
    duration_minutes: int = Field(default=30)
    is_bookable: bool = Field(default=True)
    image_url: str | None = Field(default=None, max_length=500)
    is_active: bool = Field(default=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class Order(TenantOwned, table=True):
    __tablename__ = "customer_order"
    __table_args__ = tenant_keys(
        "customer_order",
        UniqueConstraint("tenant_id", "order_number"),
        refs={"customer_id": "customer"},
    )

    customer_id: int = Field(index=True)
    order_number: str = Field(max_length=32)
    status: str = Field(default="pending", max_length=24)
    items: list[dict[str, Any]] = json_list()
    total: Decimal = Field(max_digits=12, decimal_places=2)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class Appointment(TenantOwned, table=True):
    __table_args__ = tenant_keys("appointment", refs={"customer_id": "customer", "service_id": "service"})

    customer_id: int = Field(index=True)
    service_id: int = Field(index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status: str = Field(default="booked", max_length=24)
    notes: str | None = Field(default=None, sa_column=Column(EncryptedText))  # may hold the customer's words
    created_at: datetime = created_at_field()
