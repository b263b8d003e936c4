"""Catalogue matching on the development shop (catalog.py): the figures issue #13 asks of the held-out shop
(top-1 and "not sold" answered as not sold), measured the same way — spelling correction, then the agent's
catalogue look-up at MATCH_THRESHOLD — on a shop the rules may be developed against. Run with -s to see the
figures per kind and every miss (unlike the held-out set, misses here are meant to be read)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from engine import catalog
from engine.accounts.tenants import create_tenant
from engine.agent.read import catalog_lookup
from engine.catalog import invalidate_catalog_index
from engine.db import TenantScope, session_scope
from engine.models import Product, Service, utcnow
from tests.quality.dev.catalog import PRODUCTS, QUERIES, SERVICES

BARS = {"top1": 0.97, "not_sold": 0.95}  # issue #13's, reported beside the figures
FLOORS = {"top1": 0.98, "not_sold": 0.78}  # today's figures: a drop below fails


def _shop() -> int:
    now = utcnow()
    with session_scope() as s:
        tenant_id = int(create_tenant(s, name="Whiskers & Wags", slug="whiskers-wags").id)
        scope = TenantScope(s, tenant_id)
        for spec in PRODUCTS:
            scope.add(Product(**{**spec, "price": Decimal(spec["price"])}, created_at=now, updated_at=now))
        for spec in SERVICES:
            scope.add(Service(**{**spec, "price": Decimal(spec["price"])}, created_at=now, updated_at=now))
        invalidate_catalog_index(tenant_id, s)
    return tenant_id


def test_the_set_points_at_real_items() -> None:
    keys = {p["sku"] for p in PRODUCTS} | {s["code"] for s in SERVICES}
    assert {key for _, key, _ in QUERIES if key} <= keys
    assert sum(1 for _, key, _ in QUERIES if key is None) >= 15
    assert len({q for q, _, _ in QUERIES}) == len(QUERIES)


def test_catalogue_matching_on_the_development_shop() -> None:
    tenant_id = _shop()
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter(kind for *_, kind in QUERIES)
    misses: list[str] = []
    with session_scope() as s:
        for text, key, kind in QUERIES:
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
        f"\n[development shop] catalogue top-1 {top1:.3f} ({sold} sold) · not sold answered as not sold "
        f"{not_sold:.3f} ({totals['not_sold']}) · "
        + ", ".join(f"{k} {hits[k]}/{n}" for k, n in sorted(totals.items()))
    )
    for miss in misses:
        print("  miss", miss)
    figures = {"top1": top1, "not_sold": not_sold}
    print(
        "  bars: "
        + ", ".join(f"{k} {figures[k]:.3f} {'>=' if figures[k] >= b else '<'} {b}" for k, b in BARS.items())
    )
    assert all(figures[k] >= floor for k, floor in FLOORS.items()), figures
