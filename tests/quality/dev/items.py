"""Product and service rows for the development shops, in the shape `shops.load_shop` saves: one place, so
a field the models gain is added once rather than in every shop's module."""

from __future__ import annotations

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
