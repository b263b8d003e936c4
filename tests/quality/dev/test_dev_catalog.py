"""Catalogue matching on the development shops: the figures issue #13 asks of the held-out shop (top-1 and
"not sold" answered as not sold), measured the same way — spelling correction, then the agent's catalogue
look-up at MATCH_THRESHOLD — on shops the rules may be developed against. Three shops of different trades
(pets: catalog.py, hardware: catalog_hardware.py, beauty: catalog_beauty.py), so a rule that only fits one
shop's words shows up in the others. Run with -s to see the figures per kind and every miss (unlike the
held-out set, misses here are meant to be read)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest

from engine import catalog
from engine.accounts.tenants import create_tenant
from engine.agent.read import catalog_lookup
from engine.catalog import invalidate_catalog_index
from engine.db import TenantScope, session_scope
from engine.models import Product, Service, utcnow
from tests.quality.dev import catalog as pets
from tests.quality.dev import catalog_beauty as beauty
from tests.quality.dev import catalog_hardware as hardware

BARS = {"top1": 0.97, "not_sold": 0.95}  # issue #13's, reported beside the figures


@dataclass(frozen=True)
class DevShop:
    """A development shop and the figures it reached: a drop below a floor fails."""

    name: str
    slug: str
    module: ModuleType
    floors: dict[str, float]

    @property
    def products(self) -> list[dict[str, Any]]:
        return self.module.PRODUCTS  # type: ignore[no-any-return]

    @property
    def services(self) -> list[dict[str, Any]]:
        return self.module.SERVICES  # type: ignore[no-any-return]

    @property
    def queries(self) -> list[tuple[str, str | None, str]]:
        return self.module.QUERIES  # type: ignore[no-any-return]


# The figures each shop reached (issue #13 work, 2026-12): a drop below fails.
SHOPS = [
    DevShop("Whiskers & Wags", "whiskers-wags", pets, {"top1": 1.0, "not_sold": 1.0}),
    DevShop(hardware.SHOP_NAME, hardware.SHOP_SLUG, hardware, {"top1": 0.976, "not_sold": 1.0}),
    DevShop(beauty.SHOP_NAME, beauty.SHOP_SLUG, beauty, {"top1": 0.956, "not_sold": 0.953}),
]


def _shop(shop: DevShop) -> int:
    now = utcnow()
    with session_scope() as s:
        tenant_id = int(create_tenant(s, name=shop.name, slug=shop.slug).id)
        scope = TenantScope(s, tenant_id)
        for spec in shop.products:
            scope.add(Product(**{**spec, "price": Decimal(spec["price"])}, created_at=now, updated_at=now))
        for spec in shop.services:
            scope.add(Service(**{**spec, "price": Decimal(spec["price"])}, created_at=now, updated_at=now))
        invalidate_catalog_index(tenant_id, s)
    return tenant_id


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_the_set_points_at_real_items(shop: DevShop) -> None:
    keys = {p["sku"] for p in shop.products} | {s["code"] for s in shop.services}
    assert {key for _, key, _ in shop.queries if key} <= keys
    assert sum(1 for _, key, _ in shop.queries if key is None) >= 15
    assert len({q for q, _, _ in shop.queries}) == len(shop.queries)


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_catalogue_matching_on_the_development_shop(shop: DevShop) -> None:
    tenant_id = _shop(shop)
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter(kind for *_, kind in shop.queries)
    misses: list[str] = []
    with session_scope() as s:
        for text, key, kind in shop.queries:
            fixed = catalog.correct_spelling(s, tenant_id, text).text
            found = [
                m for m in catalog_lookup(s, tenant_id, fixed) if m.confidence >= catalog.MATCH_THRESHOLD
            ]
            ok = (not found) if key is None else bool(found) and found[0].key == key
            hits[kind] += ok
            if not ok:
                got = [(m.key, m.confidence) for m in found[:3]]
                misses.append(f"[{kind}] {text!r} ({fixed!r}): want {key}, got {got}")
    sold = sum(n for k, n in totals.items() if k != "not_sold")
    top1 = sum(n for k, n in hits.items() if k != "not_sold") / sold
    not_sold = hits["not_sold"] / totals["not_sold"]
    print(
        f"\n[development shop: {shop.name}] catalogue top-1 {top1:.3f} ({sold} sold) · not sold answered as "
        f"not sold {not_sold:.3f} ({totals['not_sold']}) · "
        + ", ".join(f"{k} {hits[k]}/{n}" for k, n in sorted(totals.items()))
    )
    for miss in misses:
        print("  miss", miss)
    figures = {"top1": top1, "not_sold": not_sold}
    print(
        "  bars: "
        + ", ".join(f"{k} {figures[k]:.3f} {'>=' if figures[k] >= b else '<'} {b}" for k, b in BARS.items())
    )
    assert all(figures[k] >= floor for k, floor in shop.floors.items()), figures
