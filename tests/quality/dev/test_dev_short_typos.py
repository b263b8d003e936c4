"""Synthetic one-edit typos of short name words on the development shops (issue #13): the weakness the
hand-written sets under-sample. For every name word of three to five letters (not a stopword) of every item,
one variant per edit kind — a letter substituted, deleted, inserted, or two neighbours swapped — from a
fixed seed, skipping a variant that is an English word as written (the customer wrote a real word; matching
it is a different question) or another of the shop's name words. Each variant is asked twice, as a customer
would: "do you have the <name>" and the bare name, and scored exactly as test_dev_catalog.py scores (spelling
correction, then the agent's catalogue look-up at MATCH_THRESHOLD; right when the item is first). Run with -s
to see the figures per shop and per edit kind, and the misses. Floors: shops.SHOPS ("short_typos")."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from engine.catalog.text import STOPWORDS, fold
from tests.quality.dev.shops import EDITS, SEED, SHOPS, DevShop, items_of, load_shop, one_edit, score

_NAME_WORD = re.compile(r"[a-z]+")


def typo_queries(shop: DevShop) -> list[tuple[str, str, str]]:
    """(message, expected key, edit kind), the same on every run."""
    items = items_of(shop)
    shop_words = frozenset(fold(w) for _, name in items for w in _NAME_WORD.findall(name))
    queries: list[tuple[str, str, str]] = []
    for key, name in items:
        for match in _NAME_WORD.finditer(name):
            word = match.group()
            if not 3 <= len(word) <= 5 or word in STOPWORDS:
                continue
            rng = random.Random(f"{SEED}:{shop.slug}:{key}:{word}")
            for kind in EDITS:
                typo = one_edit(word, kind, rng, shop_words)
                if typo is not None:
                    typed = name[: match.start()] + typo + name[match.end() :]
                    queries += [(f"do you have the {typed}", key, kind), (typed, key, kind)]
    return queries


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_the_set_is_fixed_and_large_enough(shop: DevShop) -> None:
    queries = typo_queries(shop)
    assert queries == typo_queries(shop)
    assert len(queries) >= 200
    assert set(Counter(kind for *_, kind in queries)) == set(EDITS)


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_short_word_typos_on_the_development_shop(shop: DevShop) -> None:
    queries = typo_queries(shop)
    scored = score(load_shop(shop), queries)
    top1 = scored.top1
    print(f"\n[short-word typos: {shop.name}] top-1 {top1:.3f} ({len(queries)}) · {scored.summary()}")
    for miss in scored.misses:
        print("  miss", miss)
    assert top1 >= shop.floors["short_typos"], top1
