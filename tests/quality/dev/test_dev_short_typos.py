"""Synthetic one-edit typos of short name words on the development shops (issue #13): the weakness the
hand-written sets under-sample. For every name word of three to five letters (not a stopword) of every item,
one variant per edit kind — a letter substituted, deleted, inserted, or two neighbours swapped — from a
fixed seed, skipping a variant that is an English word as written (the customer wrote a real word; matching
it is a different question) or another of the shop's name words. Each variant is asked twice, as a customer
would: "do you have the <name>" and the bare name, and scored exactly as test_dev_catalog.py scores (spelling
correction, then the agent's catalogue look-up at MATCH_THRESHOLD; right when the item is first). Run with -s
to see the figures per shop and per edit kind, and the misses."""

from __future__ import annotations

import random
import re
import string
from collections import Counter
from collections.abc import Callable

import pytest

from engine.catalog.text import STOPWORDS, fold
from engine.catalog.words import is_english
from tests.quality.dev.shops import SHOPS, DevShop, load_shop, score

SEED = 13
TRIES = 20  # attempts per edit kind before the word goes without that variant
_NAME_WORD = re.compile(r"[a-z]+")

# The figures each shop reached on this set (issue #13 work, 2026-12-03; 0.980, 0.977 and 0.986 before the
# short-word rules of that day): a drop below fails. Hardware's 0.992 (two-letter remnants: "sa" for saw,
# "bx" for box) became 1.000 with the rule that two words only one item has together name it (2026-12-04).
# Clothing's 0.994 ("silk ie", "mide leg") became 1.000 with the short leftovers rule (2026-12-04).
FLOORS = {
    "whiskers-wags": 1.0,
    "bolt-bench": 1.0,
    "glow-up-beauty": 1.0,
    "thread-sole": 1.0,
    "plug-play": 1.0,
    "crumb-co": 0.989,
}


def _substitute(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    return word[:i] + rng.choice(string.ascii_lowercase.replace(word[i], "")) + word[i + 1 :]


def _delete(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    return word[:i] + word[i + 1 :]


def _insert(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word) + 1)
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]


def _transpose(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


EDITS: dict[str, Callable[[str, random.Random], str]] = {
    "substitution": _substitute,
    "deletion": _delete,
    "insertion": _insert,
    "transposition": _transpose,
}


def _items(shop: DevShop) -> list[tuple[str, str]]:
    """(key, lower-cased name) of every product and service."""
    return [(p["sku"], p["name"].lower()) for p in shop.products] + [
        (s["code"], s["name"].lower()) for s in shop.services
    ]


def typo_queries(shop: DevShop) -> list[tuple[str, str, str]]:
    """(message, expected key, edit kind), the same on every run."""
    items = _items(shop)
    shop_words = {fold(w) for _, name in items for w in _NAME_WORD.findall(name)}
    queries: list[tuple[str, str, str]] = []
    for key, name in items:
        for match in _NAME_WORD.finditer(name):
            word = match.group()
            if not 3 <= len(word) <= 5 or word in STOPWORDS:
                continue
            rng = random.Random(f"{SEED}:{shop.slug}:{key}:{word}")
            for kind, edit in EDITS.items():
                for _ in range(TRIES):
                    typo = edit(word, rng)
                    if typo != word and not is_english(typo) and typo not in shop_words:
                        break
                else:
                    continue
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
    assert top1 >= FLOORS[shop.slug], top1
