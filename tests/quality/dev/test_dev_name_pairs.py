"""Two words of an item's name, the harder variant of the short-word typos (issue #13): "free food" or "dog
ood" for the Grain Free Dog Food. For every item, every pair of its name words (three letters or more, not
stopwords) in name order, at least one of them the name's head noun (its last word) or a word no other item's
name uses; a pair that another item's name also has both words of is skipped (the right answer there is not
one item), and so is one the item's description says it is not ("vacuum cleaner" for the Vacuum Cleaner Bags
of a shop that says it does not sell vacuum cleaners). Each pair is asked spelled right, and — when one of its
words has three to five letters — once more with the shorter such word one-edit typo'd (edit kind and position
from a fixed seed; a variant that is English or another of the shop's name words is skipped, as in
test_dev_short_typos.py). Scored as test_dev_catalog.py scores: spelling correction, then the agent's
catalogue look-up at MATCH_THRESHOLD; right when the item is first. Run with -s to see the figures per shop
and the misses. Floors: shops.SHOPS ("pairs_right", "pairs_typo")."""

from __future__ import annotations

import random
import re
from collections import Counter
from itertools import combinations

import pytest

from engine.catalog.index import excluded
from engine.catalog.text import STOPWORDS, fold, stem
from tests.quality.dev.shops import EDITS, SEED, SHOPS, DevShop, items_of, load_shop, one_edit, score

_NAME_WORD = re.compile(r"[a-z]+")


def _words(name: str) -> list[str]:
    return [w for w in _NAME_WORD.findall(name) if len(w) >= 3 and w not in STOPWORDS]


def pair_queries(shop: DevShop) -> list[tuple[str, str, str]]:
    """(message, expected key, "right" or "typo"), the same on every run."""
    names = {key: _words(name) for key, name in items_of(shop)}
    shop_words = frozenset(fold(w) for words in names.values() for w in words)
    users = Counter(w for words in names.values() for w in set(words))
    said_not = {
        spec.get("sku") or spec["code"]: excluded(spec.get("description"))
        for spec in [*shop.products, *shop.services]
    }
    queries: list[tuple[str, str, str]] = []
    for key, words in names.items():
        if not words:
            continue
        head = words[-1]
        for a, b in combinations(range(len(words)), 2):
            pair = (words[a], words[b])
            if pair[0] == pair[1] or not any(w == head or users[w] == 1 for w in pair):
                continue
            if any(other != key and set(pair) <= set(ws) for other, ws in names.items()):
                continue
            if any({stem(w) for w in pair} <= words for words in said_not[key]):
                continue
            queries.append((" ".join(pair), key, "right"))
            short = [i for i, w in enumerate(pair) if 3 <= len(w) <= 5]
            if not short:
                continue
            at = min(short, key=lambda i: (len(pair[i]), i))
            rng = random.Random(f"{SEED}:pairs:{shop.slug}:{key}:{' '.join(pair)}")
            kinds = list(EDITS)
            rng.shuffle(kinds)
            typo = next(filter(None, (one_edit(pair[at], kind, rng, shop_words) for kind in kinds)), None)
            if typo:
                typed = [typo if i == at else w for i, w in enumerate(pair)]
                queries.append((" ".join(typed), key, "typo"))
    return queries


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_the_pair_set_is_fixed_and_large_enough(shop: DevShop) -> None:
    queries = pair_queries(shop)
    assert queries == pair_queries(shop)
    assert len(queries) >= 100
    assert {kind for *_, kind in queries} == {"right", "typo"}


@pytest.mark.parametrize("shop", SHOPS, ids=lambda shop: shop.slug)
def test_two_name_words_on_the_development_shop(shop: DevShop) -> None:
    queries = pair_queries(shop)
    scored = score(load_shop(shop), queries)
    figures = scored.by_kind()
    print(f"\n[two name words: {shop.name}] top-1 {scored.top1:.3f} ({len(queries)}) · {scored.summary()}")
    for miss in scored.misses:
        print("  miss", miss)
    assert all(figures[k] >= shop.floors[f"pairs_{k}"] for k in ("right", "typo")), figures
