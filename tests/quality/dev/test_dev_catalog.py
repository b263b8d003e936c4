"""Catalogue matching on the development shops: the figures issue #13 asks of the held-out shop (top-1 and
"not sold" answered as not sold), measured the same way — spelling correction, then the agent's catalogue
look-up at MATCH_THRESHOLD — on shops the rules may be developed against. Fourteen shops of different trades
(pets: catalog.py, hardware: catalog_hardware.py, beauty: catalog_beauty.py, clothing: catalog_boutique.py,
phone accessories: catalog_phones.py, bakery and deli: catalog_bakery.py, bicycles: catalog_bikes.py,
pharmacy: catalog_pharmacy.py, camping and outdoor: catalog_outdoor.py, cookware: catalog_cookshop.py, garden
centre: catalog_gardenshop.py, a US kitchen store: catalog_kitchenstore.py, a UK home store:
catalog_homestore.py, an Irish pantry and homewares shop: catalog_pantry.py), so a rule that only fits one
shop's words shows up in the others. Run with -s to see the figures per kind and every miss (unlike the
held-out set, misses here are meant to be read)."""

from __future__ import annotations

from collections import Counter

import pytest

from engine.db import session_scope
from tests.quality.dev.shops import SHOPS, DevShop, load_shop, look_up

BARS = {"top1": 0.97, "not_sold": 0.95}  # issue #13's, reported beside the figures


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_the_set_points_at_real_items(shop: DevShop) -> None:
    keys = {p["sku"] for p in shop.products} | {s["code"] for s in shop.services}
    assert {key for _, key, _ in shop.queries if key} <= keys
    assert sum(1 for _, key, _ in shop.queries if key is None) >= 15
    assert len({q for q, _, _ in shop.queries}) == len(shop.queries)


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_catalogue_matching_on_the_development_shop(shop: DevShop) -> None:
    tenant_id = load_shop(shop)
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter(kind for *_, kind in shop.queries)
    misses: list[str] = []
    with session_scope() as s:
        for text, key, kind in shop.queries:
            fixed, found = look_up(s, tenant_id, text)
            ok = (not found) if key is None else bool(found) and found[0][0] == key
            hits[kind] += ok
            if not ok:
                misses.append(f"[{kind}] {text!r} ({fixed!r}): want {key}, got {found[:3]}")
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
    assert all(figures[k] >= shop.floors[k] for k in figures), figures
