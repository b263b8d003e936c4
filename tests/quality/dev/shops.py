"""The development shops, the figures each reached, and how a catalogue query is scored on them: shared by
the hand-written set (test_dev_catalog.py) and the synthetic sets (short-word typos, typo'd plurals, two name
words, typo'd things not sold), so all measure the same way — spelling correction, then the agent's
catalogue look-up at MATCH_THRESHOLD — and the synthetic sets make their typos the same way (`one_edit`)."""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

from sqlmodel import Session

from engine import catalog
from engine.accounts.tenants import create_tenant
from engine.agent.read import catalog_lookup
from engine.catalog import invalidate_catalog_index
from engine.catalog.words import is_english
from engine.db import TenantScope, session_scope
from engine.models import Product, Service, utcnow
from tests.quality.dev import catalog as pets
from tests.quality.dev import catalog_bakery as bakery
from tests.quality.dev import catalog_beauty as beauty
from tests.quality.dev import catalog_bikes as bikes
from tests.quality.dev import catalog_boutique as boutique
from tests.quality.dev import catalog_cookshop as cookshop
from tests.quality.dev import catalog_gardenshop as gardenshop
from tests.quality.dev import catalog_hardware as hardware
from tests.quality.dev import catalog_homestore as homestore
from tests.quality.dev import catalog_kitchenstore as kitchenstore
from tests.quality.dev import catalog_outdoor as outdoor
from tests.quality.dev import catalog_pantry as pantry
from tests.quality.dev import catalog_pharmacy as pharmacy
from tests.quality.dev import catalog_phones as phones


@dataclass(frozen=True)
class DevShop:
    """A development shop and the figures it reached on each set (FLOOR_KEYS): a drop below a floor fails."""

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


# The sets a shop's floors cover: the hand-written set's top-1 and "not sold" (test_dev_catalog.py),
# short-word typos (test_dev_short_typos.py), typo'd plurals (test_dev_short_plurals.py), two name words
# spelled right and typo'd (test_dev_name_pairs.py) and typo'd things not sold (test_dev_typod_not_sold.py).
FLOOR_KEYS = ("top1", "not_sold", "short_typos", "plurals", "pairs_right", "pairs_typo", "typod_not_sold")


def _floors(*figures: float) -> dict[str, float]:
    return dict(zip(FLOOR_KEYS, figures, strict=True))


# The figures each shop reached (issue #13 work, 2026-12), in FLOOR_KEYS order: a drop below fails. A new
# shop's first figures, taken before any rule was changed for it, estimate how the matcher does on a shop
# nobody here has seen: clothing 0.833 top-1, phones 0.864 top-1 and 0.861 not sold, bakery 0.793 top-1 and
# 0.897 not sold (2026-12-04); bikes, written after the bakery's rules, 0.752 top-1 and 0.941 not sold (the
# same day); pharmacy 0.634 top-1 and 0.977 not sold, camping and outdoor 0.599 and 0.957, both written by
# someone who had not seen the word lists (2026-12-04); cookware 0.682 and 0.917, garden centre 0.620 and
# 0.953, by a third who had not either (the same day). Session 11 (2026-12-04), each change measured on all
# eleven: a head noun other items use only as a qualifier, sound-alike rules, descriptions, the synonym
# list's Spanish, Portuguese, French and Italian names and the uses table (engine/catalog/data/uses.txt),
# both written by helpers who had seen none of these shops — so their gains estimate a new shop's: pharmacy
# 0.710 -> 0.770, camping 0.765 -> 0.797, cookware 0.852 -> 0.894, garden centre 0.817 -> 0.857, bikes
# 0.909 -> 0.917, sentence queries 46/139 -> 75/139 over the four newest shops. A US kitchen store written
# the same day by a fourth helper who had seen no shop nor word list: first 0.808 top-1, not sold 0.929
# (alias 30/52, sentence 22/41); 0.828 after the head noun before a comma, the silent r of -re and a name of
# several words read as a whole ("oven gloves"); then its own misses' other names went into the synonym
# list, so from there its alias figure is a development figure (0.881). A description read only for the
# last word of each clause (what it says the item is) rather than all its words: 0.877 and not sold 0.929
# -> 0.946 ("rice settings" no longer makes a pressure cooker a rice cooker; "pancake turner" lost), camping
# 0.797 -> 0.791 ("ice box": a cool box that "holds ice"). A UK home store by a fifth such helper: first
# 0.745 top-1, not sold 0.860 (sentence 19/44, alias 30/46); 0.757 with a decimal measure ending a name
# ("Duvet 10.5 Tog": a duvet, not a tog). History of the synthetic sets' floors:
# - short-word typos: pets 0.980, hardware 0.977, beauty 0.986 before the short-word rules of 2026-12-03;
#   hardware 0.992 ("sa" for saw) -> 1.000 with two words only one item has together; clothing 0.994
#   ("silk ie", "mide leg") -> 1.000 with the short leftovers rule.
# - typo'd plurals: pets 0.951, hardware 0.988, beauty 0.920, clothing 0.946 before the typo'd plural rules;
#   beauty 0.982 and clothing 0.993 ("blushesg", "hoodiebs") -> 1.000 with a letter too many at the ending.
# - two name words: before the rule that two words only one item has together name it, pets 0.961/0.917,
#   hardware 0.929/0.806, beauty 0.975/0.921 (right/typo'd); later pets and hardware right -> 1.000 (the name
#   tie-break, participles, plain qualifiers beside another word) and typo'd pets 0.962 -> 1.000, hardware
#   0.888 -> 0.986, beauty 0.966 -> 1.000, clothing 0.936 -> 0.976 with short leftovers read beside their
#   neighbour.
# - typo'd not sold: clothing 0.974 ("watch battery replacement" typo'd) -> 1.000, phones 0.871 -> 0.928,
#   bakery 0.910 -> 0.935 with the sixth shop's rules.
# - not sold: pharmacy 0.977 -> 0.954 when "vende", "venden", "hacen" and their kin became known as other
#   languages' words (2026-12-04): "vende fralda?" is now read as "fralda?" alone, which the Nappy Rash Cream
#   answers as "nappies" does (a word only one item has names it), where "vende" had by accident made
#   "fralda" qualify something unknown; the same change found "vende camisinha?", "hacen clases de cocina?"
#   and "hacen diseño de jardines?".
# - Session 12 (2026-12-04): what a description says an item is not or comes without ("we don't sell vacuum
#   cleaners themselves", "pump not included", "no car keys") took home store not sold 0.860 -> 0.940 and
#   camping 0.956 -> 0.978; two words side by side in one name ("bird seed"), a word one letter from the
#   shop word its neighbour is written with ("hose real", "tee towel", "cloths airer") and sound-alikes
#   (x said ks, a dropped g, the nearest of several) took home store 0.760 -> 0.784, kitchen store 0.880 ->
#   0.885, garden centre 0.856 -> 0.871. Cookware top-1 0.897 -> 0.894 and not sold 0.937 -> 0.958: "food
#   wrap" is no other name of cling film (beeswax food wraps are not cling film), so "cling film" is not
#   sold there and "reusable cling film" no longer finds the wraps. An Irish pantry and homewares shop
#   (Larder & Linen) written that session by a sixth helper who had seen no shop, no word list and no code:
#   first 0.738 top-1, not sold 0.873 (short 39/45, plural 40/40, typo 40/42, alias 20/46, sentence 17/48),
#   measured on 5dd84da before any rule was changed for it; 0.799 after that session's rules, several found on
#   its misses (a three-letter slip reaching one word, light verbs, big and small, amounts of a thing,
#   descriptions as tie-breaks and as a last resort for a thing asked for by its use, refused words), then
#   0.823 and not sold 0.905 with a seventh helper's regional English, German and Polish names of kitchen,
#   pantry and home goods, written without seeing any shop (home store 0.804 -> 0.820, kitchen store 0.893
#   -> 0.897, cookware 0.902 -> 0.905, camping 0.791 -> 0.797 from those names alone). A thing of several
#   words the shop has under no name ("ice cream maker") took not sold to 1.000 on beauty and the kitchen
#   store, bikes 0.941 -> 0.971, cookware 0.958 -> 0.979.
SHOPS = [
    DevShop("Whiskers & Wags", "whiskers-wags", pets, _floors(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)),
    DevShop(hardware.SHOP_NAME, hardware.SHOP_SLUG, hardware, _floors(1.0, 1.0, 1.0, 1.0, 1.0, 0.986, 1.0)),
    DevShop(beauty.SHOP_NAME, beauty.SHOP_SLUG, beauty, _floors(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.994)),
    DevShop(boutique.SHOP_NAME, boutique.SHOP_SLUG, boutique, _floors(0.981, 1.0, 1.0, 1.0, 1.0, 0.983, 1.0)),
    DevShop(phones.SHOP_NAME, phones.SHOP_SLUG, phones, _floors(0.951, 0.916, 1.0, 1.0, 0.985, 0.948, 0.928)),
    DevShop(
        bakery.SHOP_NAME, bakery.SHOP_SLUG, bakery, _floors(0.983, 0.923, 0.989, 0.970, 1.0, 0.939, 0.935)
    ),
    DevShop(bikes.SHOP_NAME, bikes.SHOP_SLUG, bikes, _floors(0.925, 0.970, 0.996, 1.0, 0.982, 0.979, 0.948)),
    DevShop(
        pharmacy.SHOP_NAME, pharmacy.SHOP_SLUG, pharmacy, _floors(0.770, 0.954, 1.0, 1.0, 1.0, 0.988, 0.988)
    ),
    DevShop(
        outdoor.SHOP_NAME, outdoor.SHOP_SLUG, outdoor, _floors(0.796, 0.978, 0.996, 1.0, 1.0, 0.990, 0.977)
    ),
    DevShop(
        cookshop.SHOP_NAME,
        cookshop.SHOP_SLUG,
        cookshop,
        _floors(0.904, 0.978, 1.0, 0.971, 1.0, 0.980, 0.994),
    ),
    DevShop(
        gardenshop.SHOP_NAME,
        gardenshop.SHOP_SLUG,
        gardenshop,
        _floors(0.877, 0.953, 1.0, 1.0, 0.993, 0.950, 0.950),
    ),
    DevShop(
        kitchenstore.SHOP_NAME,
        kitchenstore.SHOP_SLUG,
        kitchenstore,
        _floors(0.896, 1.0, 1.0, 1.0, 0.970, 0.955, 0.995),
    ),
    DevShop(
        homestore.SHOP_NAME,
        homestore.SHOP_SLUG,
        homestore,
        _floors(0.819, 0.940, 1.0, 0.991, 0.981, 0.971, 0.947),
    ),
    DevShop(pantry.SHOP_NAME, pantry.SHOP_SLUG, pantry, _floors(0.822, 0.904, 1.0, 1.0, 0.993, 0.972, 0.886)),
]

SEED = 13  # the synthetic sets' typos are drawn from it: the same sets on every run
TRIES = 20  # attempts per edit kind before a word goes without that variant


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


def one_edit(word: str, kind: str, rng: random.Random, avoid: frozenset[str] = frozenset()) -> str | None:
    """`word` with one edit of `kind`, drawn from `rng`: the first of TRIES draws that is not the word, not an
    English word as written (the customer wrote a real word; matching it is another question) and not one of
    `avoid` (the shop's other name words); None when every draw was one of those."""
    for _ in range(TRIES):
        typo = EDITS[kind](word, rng)
        if typo != word and not is_english(typo) and typo not in avoid:
            return typo
    return None


def items_of(shop: DevShop) -> list[tuple[str, str]]:
    """(key, lower-cased name) of every product and service."""
    return [(p["sku"], p["name"].lower()) for p in shop.products] + [
        (s["code"], s["name"].lower()) for s in shop.services
    ]


def load_shop(shop: DevShop) -> int:
    """The shop as a tenant with its products and services; returns the tenant id."""
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


def look_up(session: Session, tenant_id: int, text: str) -> tuple[str, list[tuple[str, float]]]:
    """The message as the agent reads it (spelling corrected) and the items it names at MATCH_THRESHOLD or
    above, best first."""
    fixed = catalog.correct_spelling(session, tenant_id, text).text
    found = catalog_lookup(session, tenant_id, fixed)
    return fixed, [(m.key, m.confidence) for m in found if m.confidence >= catalog.MATCH_THRESHOLD]


@dataclass
class Scored:
    """Top-1 per kind of query over a generated set, and the misses to read."""

    hits: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return sum(self.hits.values()) / max(1, sum(self.totals.values()))

    def by_kind(self) -> dict[str, float]:
        return {kind: self.hits[kind] / n for kind, n in self.totals.items()}

    def summary(self) -> str:
        return ", ".join(
            f"{k} {self.hits[k]}/{n} {self.hits[k] / n:.3f}" for k, n in sorted(self.totals.items())
        )


def score(tenant_id: int, queries: Sequence[tuple[str, str, str]]) -> Scored:
    """Each (message, expected key, kind) through `look_up`: right when the expected item comes first."""
    scored = Scored()
    with session_scope() as s:
        for text, key, kind in queries:
            fixed, found = look_up(s, tenant_id, text)
            ok = bool(found) and found[0][0] == key
            scored.totals[kind] += 1
            scored.hits[kind] += ok
            if not ok:
                scored.misses.append(f"[{kind}] {text!r} ({fixed!r}): want {key}, got {found[:3]}")
    return scored
