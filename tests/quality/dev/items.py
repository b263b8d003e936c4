"""Product and service rows for the development shops, in the shape `shops.load_shop` saves: one place, so
a field the models gain is added once rather than in every shop's module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def product(
    shop: str,
    sku: str,
    name: str,
    category: str,
    price: str,
    aliases: list[str] | None = None,
    *,
    description: str | None = None,
    stock: int = 5,
) -> dict[str, Any]:
    """A product row; without a description, "<name> from <shop>." (the matcher does not read it)."""
    return {
        "sku": sku,
        "name": name,
        "aliases": aliases or [],
        "description": description or f"{name} from {shop}.",
        "category": category,
        "price": price,
        "stock": stock,
        "sizes": [],
        "colors": [],
        "related_skus": [],
        "is_active": True,
    }


def service(
    sku: str,
    name: str,
    category: str,
    price: str,
    minutes: int,
    aliases: list[str] | None = None,
    *,
    description: str,
) -> dict[str, Any]:
    """A bookable service row."""
    return {
        "code": sku,
        "name": name,
        "aliases": aliases or [],
        "description": description,
        "category": category,
        "price": price,
        "duration_minutes": minutes,
        "is_active": True,
    }


ProductMaker = Callable[[str, str, str, str, list[str], str], dict[str, Any]]
ServiceMaker = Callable[[str, str, str, int, list[str], str], dict[str, Any]]


def row_makers(shop: str, *, stock: int, service_category: str) -> tuple[ProductMaker, ServiceMaker]:
    """A shop's two row makers, positional so a catalogue reads as a table: (sku, name, category, price,
    aliases, description) for a product in stock `stock`, (code, name, price, minutes, aliases, description)
    for a service filed under `service_category`."""

    def make_product(
        sku: str, name: str, category: str, price: str, aliases: list[str], description: str
    ) -> dict[str, Any]:
        return product(shop, sku, name, category, price, aliases, description=description, stock=stock)

    def make_service(
        code: str, name: str, price: str, minutes: int, aliases: list[str], description: str
    ) -> dict[str, Any]:
        return service(code, name, service_category, price, minutes, aliases, description=description)

    return make_product, make_service
