"""Things the development shops do not sell, typed wrong (issue #13: a wrong confident match is worse than
"not sold", and the rules that read typos generously must not read one into a shop word): each hand-written
not-sold query with its longest word (four letters or more) given one edit of each kind from a fixed seed,
skipping a variant that is an English word as written. Right when nothing is named at MATCH_THRESHOLD,
scored as test_dev_catalog.py scores. Run with -s to see the figures and the misses. Floors: shops.SHOPS
("typod_not_sold")."""

from __future__ import annotations

import random

import pytest

from engine.db import session_scope
from tests.quality.dev.shops import EDITS, SEED, SHOPS, DevShop, load_shop, look_up, one_edit


def typod_not_sold(shop: DevShop) -> list[str]:
    """The typo'd messages, the same on every run."""
    out: list[str] = []
    for text, key, _ in shop.queries:
        words = text.split()
        at = max(range(len(words)), key=lambda i: len(words[i]))
        if key is not None or len(words[at]) < 4:
            continue
        for kind in EDITS:
            typo = one_edit(words[at], kind, random.Random(f"{SEED}:not-sold:{text}:{kind}"))
            if typo is not None:
                out.append(" ".join([*words[:at], typo, *words[at + 1 :]]))
    return out


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_typod_things_the_shop_does_not_sell_are_answered_not_sold(shop: DevShop) -> None:
    messages = typod_not_sold(shop)
    assert len(messages) >= 60 and messages == typod_not_sold(shop)
    tenant_id = load_shop(shop)
    misses: list[str] = []
    with session_scope() as s:
        for text in messages:
            fixed, found = look_up(s, tenant_id, text)
            if found:
                misses.append(f"{text!r} ({fixed!r}): got {found[:2]}")
    figure = 1 - len(misses) / len(messages)
    print(f"\n[typo'd not sold: {shop.name}] answered not sold {figure:.3f} ({len(messages)})")
    for miss in misses:
        print("  miss", miss)
    assert figure >= shop.floors["typod_not_sold"], figure
