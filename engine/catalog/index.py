"""The per-tenant in-memory match index, and its invalidation.

Why in memory: matching runs on every inbound message, and scanning a 10k-row catalogue in SQL (or even in
Python) per message is far over the 5 ms budget. The index turns every name, alias, SKU and category into
weighted token postings (numpy arrays), so a message is scored with a handful of dictionary lookups, a couple
of rapidfuzz calls for the words that are not spelled like the catalogue, and one `numpy.bincount`.

Why a token in the shared cache: the index lives in each process, but a write can happen in any process (a
console worker, the API, a CSV import). Each write stores a fresh random token under the tenant's key in
`engine.cache` (Redis when set); an index built under another token is rebuilt on its next use. The token is
written again after the transaction commits, so an index rebuilt from not-yet-committed data in between is
thrown away too. Writes that bypass this module (seed scripts, migrations) are caught by a maximum age.
Big catalogues are rebuilt in a background thread while the previous index keeps answering.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from cachetools import LRUCache
from sqlalchemy import event
from sqlmodel import Session, select

from engine.cache import get_cache
from engine.catalog.text import ADJECTIVE_ENDINGS, STOPWORDS, compact, fold, has_digit, stem, stems
from engine.catalog.words import common_words
from engine.models import Product, Service

logger = logging.getLogger(__name__)

Kind = Literal["product", "service"]
KINDS: tuple[Kind, ...] = ("product", "service")

MAX_AGE_SECONDS = 15 * 60  # a safety net for writes that do not go through the catalog services
TOKEN_TTL_SECONDS = 7 * 24 * 3600
STOP_FACTOR = 0.25  # weight of a stopword inside a catalogue phrase ("slip ON", "NO show socks")
FIELD_FACTOR: dict[str, float] = {"name": 1.0, "alias": 1.0, "category": 0.6, "head": 0.72}
# An item's head noun (the last word of its name: the Reflective Dog *Leash*, the Folding Wire *Crate*) is a
# phrase of its own when at most this many items use that word anywhere (names, aliases, categories):
# "leashes" or "a crte for the car" names the item even though it covers one word of three. A word many
# items use ("running shoes") names a kind of thing, which the category answers.
MAX_HEAD_SHARE = 2
# A head noun more items use, but only as a word qualifying theirs (the Garden *Hose* beside a Hose Reel, a
# Hose Connector, a Hose Nozzle), still names the one item it is the head of ("hose"), less surely: another
# item that explains more of the message ("chain oil": the Chain Lube, not the Chain) wins.
SHARED_HEAD_FACTOR = 0.62
# What an item is called: its name and aliases. A section it is filed under ("socks & underwear") says where
# the shop keeps it, not what it is, so the tights under that section do not make "socks" a common word.
NAMING_FIELDS = frozenset({"name", "alias"})
MIN_FUZZY_LENGTH = 4
# Specifications and pack sizes in a name ("18V", "600mm", "(6 piece)", "3-tread", "(10 sheets)") are what
# the owner needs to tell variants apart, not what a customer types: "cordless drill" names the Cordless Drill
# Driver 18V. They keep this share of their weight inside the phrase, so a short query still covers it.
DESCRIPTOR_FACTOR = 0.25
_PARENTHESISED = re.compile(r"\(([^)]*)\)")
_NUMBERED_WORD = re.compile(r"\b(\d+)\s*-\s*([a-z]+)\b")  # 3-tread, 4-way, 5-inch, 3-pack
_MEASURE = re.compile(r"\b\d+(?:x\d+)?[a-z]{1,3}\b")  # 18v, 16oz, 600mm, 4x40mm, 250ml, 5l, 12kg
_TRAILING_MEASURE = re.compile(r"(?<=[a-z] )(\d+(?:[.,]\d+)?) ([a-z]+)$")  # Tights 60 Denier, Duvet 10.5 Tog
_LEADING_MEASURE = re.compile(r"^(\d+) ([a-z]+) (?=[a-z])")  # 11 Speed Chain, 800 Lumen Light, 29 inch Tube
# The last word of "Screwdriver Set", "Paint Roller Kit", "Wild Bird Seed Mix" says how the thing comes, not
# what it is: the word before it is the head noun.
_COLLECTIVE_TEXT = "set kit pack pair bundle mix assortment selection combo multipack"
COLLECTIVE_WORDS = frozenset(_COLLECTIVE_TEXT.split())


@dataclass(frozen=True)
class IndexedItem:
    """What a match needs to say about an item without another query."""

    id: int
    key: str  # SKU or service code
    name: str
    category: str | None
    price: str
    available: bool  # products: in stock; services: bookable
    active: bool
    tokens: frozenset[str]
    heads: frozenset[str] = frozenset()  # item_heads: what the item is, as opposed to what qualifies it
    # What its description says it is: the last word of each clause, stemmed ("100ml spray", "clipped
    # topiary"), so a customer's word beside the item's name that is one of them qualifies the item instead
    # of naming something else ("midge spray", "boxwood topiary"); a word from inside a clause ("two bars of
    # dark chocolate", "rice settings") still names another thing ("chocolate bar", "rice cooker").
    described: frozenset[str] = frozenset()
    # What its description says it is not, or does not come with, one set of stemmed words per clause
    # ("We don't sell vacuum cleaners themselves", "Iron not included", "No car keys"): a message naming
    # one of these is not asking for this item (see qualifiers.said_not_to_be).
    excluded: tuple[frozenset[str], ...] = ()
    # Every word its description says it is or does (not of the negated clauses), stemmed: between items that
    # otherwise tie, the one whose description has more of the message's other words ("jars for making jam":
    # the Preserve Jars, "for jam and chutney making", before the Clip Top Jar).
    about: frozenset[str] = frozenset()


@dataclass
class MatchIndex:
    """Token postings over every phrase (name, alias, SKU, category) of one tenant's products or services."""

    kind: Kind
    items: list[IndexedItem]
    phrase_item: np.ndarray  # phrase id -> item position
    phrase_field: list[str]
    phrase_text: list[str]
    phrase_tokens: list[tuple[str, ...]]
    phrase_bonus: np.ndarray  # tie-breaker added to coverage: longer phrases, then names, win ties
    postings: dict[str, tuple[np.ndarray, np.ndarray]]  # token -> (phrase ids, weight of token in phrase)
    weights: dict[str, float]  # token -> idf weight (stopwords already damped)
    fuzzy_by_length: dict[int, list[str]]  # alphabetic name/alias/category tokens, for typo lookups
    keys: dict[str, int]  # compact SKU/code -> item position
    name_tokens: frozenset[str]  # tokens of names (alias-only tokens are often typos themselves)
    token: str | None
    built_at: float
    lookup_cache: dict[str, Any] = field(default_factory=dict)
    category_phrase: dict[int, int] = field(default_factory=dict)  # item position -> its category phrase id
    df: dict[str, int] = field(default_factory=dict)  # token -> number of items using it
    item_words: list[frozenset[str]] = field(default_factory=list)  # per item, its phrases' folded words

    @property
    def size(self) -> int:
        return len(self.items)


PhraseSource = tuple[str, str]  # (field, text)


# An index build reads every phrase four times (head share, head nouns, postings, heads): parse it once.
_PARSE_CACHE = 1 << 16


@lru_cache(maxsize=_PARSE_CACHE)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(stems(text))


@lru_cache(maxsize=_PARSE_CACHE)
def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


@lru_cache(maxsize=_PARSE_CACHE)
def descriptors(text: str) -> frozenset[str]:
    """The stems of a phrase that only specify it: words in parentheses, a word tied to a number by a hyphen
    ("3-tread", "4-way") and the number itself, measures ("18v", "600mm", "500g"), and a number and one
    word ending a name after its words ("Opaque Tights 60 Denier": the tights, in 60 denier) or starting it
    before them ("11 Speed Chain": a chain, of 11 speeds)."""
    if "(" not in text and not has_digit(text):
        return frozenset()
    folded = fold(text)
    out: set[str] = set()
    for inner in _PARENTHESISED.findall(folded):
        out.update(stems(inner))
    for number, word in _NUMBERED_WORD.findall(folded):
        out.update((number, stem(word)))
    out.update(_MEASURE.findall(folded))
    for number, word in [
        *_TRAILING_MEASURE.findall(folded.strip()),
        *_LEADING_MEASURE.findall(folded.strip()),
    ]:
        out.update((number, stem(word)))
    return frozenset(out)


@lru_cache(maxsize=_PARSE_CACHE)
def _content(text: str) -> tuple[str, ...]:
    """A phrase's stems without specifications, numbers, stopwords and words under three letters."""
    skip = descriptors(text)
    return tuple(
        t for t in _stems(text) if len(t) >= 3 and t.isalpha() and t not in STOPWORDS and t not in skip
    )


def _participle(word: str) -> bool:
    """'assorted', 'galvanised' (not 'bed', 'seed', 'shed'): a qualifier even when it comes last."""
    return len(word) >= 6 and word.endswith("ed") and not word.endswith("eed")


def _phrase_head(words: tuple[str, ...]) -> str | None:
    """The head noun of content words: the last one, skipping a trailing participle ("Sandpaper Assorted",
    "Nails Galvanised") and a collective word ("Screwdriver Set" -> screwdriver)."""
    while len(words) > 1 and _participle(words[-1]):
        words = words[:-1]
    if len(words) > 1 and words[-1] in COLLECTIVE_WORDS:
        return words[-2]
    return words[-1] if words else None


_COMPLEMENT = re.compile(r"\s+(?:with|for)\s+.*$|\s*,.*$", re.IGNORECASE)


def _head_part(text: str) -> str:
    """The phrase without a complement after "with" or "for", or what follows a comma: the head noun comes
    before it ("Floor Pump with Gauge" is a pump, "Chain Lock with Padlock" a lock, "Garlic Press, Stainless"
    a press and "Stoneware Mugs, Set of 4" mugs)."""
    return _COMPLEMENT.sub("", text) or text


def head_noun(phrases: list[PhraseSource]) -> str | None:
    """The stem of the name's head noun (see _phrase_head), or None for a one-word name. A name of one word
    and a specification ("11-32T Cassette") has that word for its head: the name is more than the word."""
    name = next((text for field_name, text in phrases if field_name == "name"), "")
    words = _content(_head_part(name))
    if len(words) == 1 and len(_stems(name)) > 1:
        return words[0]
    return _phrase_head(words) if len(words) >= 2 else None


def item_heads(phrases: list[PhraseSource]) -> frozenset[str]:
    """What the item is, in every way its name and aliases say it: each phrase's head noun, a collective word
    it comes in and the counted words of its pack size ("10 sheets"). A message that matches an item on none
    of these names it only through a modifier ("AA batteries" against the alias "battery drill")."""
    out: frozenset[str] = frozenset()
    for field_name, text in phrases:
        if field_name in ("name", "alias"):
            out = out | _phrase_heads(field_name == "alias", text)
    return out


@lru_cache(maxsize=_PARSE_CACHE)
def _phrase_heads(alias: bool, text: str) -> frozenset[str]:
    words = _content(_head_part(text))
    out = {t for t in descriptors(text) if t.isalpha() and len(t) >= 3 and t not in STOPWORDS}
    head = _phrase_head(words)
    if head:
        out.add(head)
    elif alias:  # a code or model number standing for the item ("TP2", "CS 90")
        out.update(t for t in _stems(text)[-1:] if t not in STOPWORDS)
    if words and words[-1] in COLLECTIVE_WORDS:
        out.add(words[-1])
    return frozenset(out)


def _joined_aliases(phrases: list[PhraseSource]) -> list[str]:
    """A two-word alias that is a word of the name written apart ("eye liner" beside the Waterproof *Eyeliner*
    Pencil): the alias says that word is what the item is, so the word alone is an alias of its own. (A
    customer's "eyeliner" then names the item, as "eye liner" does; other joined words are split at query
    time.)"""
    name = next((text for field_name, text in phrases if field_name == "name"), "")
    out = []
    for field_name, text in phrases:
        if field_name == "alias":
            words = _words(text)
            if len(words) == 2 and "".join(words) in _stems(name):
                out.append("".join(words))
    return out + _letter_compounds(name) + _stopword_head(name)


_NOUN_STOPWORDS = frozenset({"can", "show", "look"})  # stopwords that end names as nouns


def _stopword_head(name: str) -> list[str]:
    """A name ending in a word that is elsewhere a stopword ("Watering Can", "Billy Can"), its last two words
    joined: the stopword weighs next to nothing in the name, but "watering can" joined at query time meets
    the joined alias, so the can is found for "watering can" and not only the shop's watering section."""
    words = [w for w in _words(name) if not has_digit(w)]
    if len(words) >= 2 and words[-1] in _NOUN_STOPWORDS and words[-2] not in STOPWORDS:
        return [words[-2] + words[-1]]
    return []


_LETTER_COMPOUND = re.compile(r"(?<![a-z0-9])([a-z])[-‐–]([a-z]{2,})")


def _letter_compounds(name: str) -> list[str]:
    """A name word made of a letter and a word ("T-Shirt", "V-Neck", "U-Lock"), joined: customers write it as
    one word ("tshirts", "vneck"), and the letter alone is too short to match on. The joined word is an alias
    of the item; "t shirt" and "t-shirts" reach it too, since neighbouring query words are also tried
    joined."""
    return [letter + word for letter, word in _LETTER_COMPOUND.findall(fold(name))]


def _own_words(phrases: list[PhraseSource], head: str | None, usage: Counter[str]) -> list[str]:
    """Name words no other item uses and that are neither common words nor adjectives by their ending
    ("deodorant" in Natural Deodorant Stick, "sunscreen" in Sunscreen SPF 50, "rye" in Dark Rye Bread; not
    "tinted", "waterproof"): on its own, such a word names the item as its head noun would.
    It is not a head noun (item_heads): followed by a word the shop does not know ("deodorant spray"), it
    still qualifies something else."""
    name = next((text for field_name, text in phrases if field_name == "name"), "")
    words = _content(name)
    if len(words) < 2:
        return []
    common = common_words()
    return [
        w
        for w in dict.fromkeys(words)
        if w != head and len(w) >= 3 and usage[w] == 1 and w not in common
        if not w.endswith(ADJECTIVE_ENDINGS)
    ]


def build_index(
    kind: Kind, rows: list[tuple[IndexedItem, list[PhraseSource]]], token: str | None = None
) -> MatchIndex:
    """Build postings from items and their phrases. Pure: no database, so benchmarks can feed it directly."""
    items: list[IndexedItem] = []
    phrase_item: list[int] = []
    phrase_field: list[str] = []
    phrase_text: list[str] = []
    phrase_tokens: list[tuple[str, ...]] = []
    phrase_specs: list[frozenset[str]] = []  # per phrase, its descriptors (damped inside it)
    keys: dict[str, int] = {}
    df: dict[str, int] = {}
    name_tokens: set[str] = set()
    category_phrase: dict[int, int] = {}
    item_words: list[frozenset[str]] = []

    heads = {item.key: head_noun(phrases) for item, phrases in rows}
    usage: Counter[str] = Counter()  # token -> number of items whose names or aliases use it
    for _item, phrases in rows:
        usage.update({t for field_name, text in phrases if field_name in NAMING_FIELDS for t in _stems(text)})
    headed = Counter(heads.values())  # head noun -> number of items it is the head noun of
    shared_heads: set[tuple[int, str]] = set()  # (item position, head noun) under SHARED_HEAD_FACTOR
    for item, phrases in rows:
        head = heads[item.key]
        extra: list[PhraseSource] = [("alias", joined) for joined in _joined_aliases(phrases)]
        if head and usage[head] <= MAX_HEAD_SHARE:
            extra.append(("head", head))
        elif head and headed[head] == 1:
            extra.append(("head", head))
            shared_heads.add((len(items), head))
        if kind == "product":  # among a handful of services every word is rare: rarity says nothing there
            extra += [("head", word) for word in _own_words(phrases, head, usage)]
        phrases = [*phrases, *extra]
        position = len(items)
        seen: set[tuple[str, ...]] = set()
        item_tokens: set[str] = set()
        for field_name, text in phrases:
            if field_name == "sku":
                # SKUs are matched whole through `keys`: their segments ("STR", "GEN") are shared by every
                # item and would only bloat the postings.
                continue
            toks = tuple(dict.fromkeys(_stems(text)))
            if not toks or toks in seen:
                continue
            seen.add(toks)
            if field_name == "category":
                category_phrase[position] = len(phrase_item)
            phrase_item.append(position)
            phrase_field.append(field_name)
            phrase_text.append(text)
            phrase_tokens.append(toks)
            phrase_specs.append(descriptors(text) if field_name in ("name", "alias") else frozenset())
            item_tokens.update(toks)
            if field_name == "name":
                name_tokens.update(toks)
        keys.setdefault(compact(item.key), position)
        item_words.append(frozenset(w for f, text in phrases if f != "sku" for w in _words(text)))
        for tok in item_tokens:
            df[tok] = df.get(tok, 0) + 1
        # The name's head noun among its tokens.
        items.append(replace(item, tokens=frozenset(item_tokens), heads=item_heads(phrases)))

    # Numbers and short tokens must match exactly; the rest may be reached through a typo.
    fuzzy = {tok for tok in df if len(tok) >= MIN_FUZZY_LENGTH and not has_digit(tok)}
    n = max(1, len(items))
    weights = {
        tok: math.log(1.0 + n / count) * (STOP_FACTOR if tok in STOPWORDS else 1.0)
        for tok, count in df.items()
    }
    lists: dict[str, tuple[list[int], list[float]]] = {}
    for pid, (field_name, toks, specs) in enumerate(
        zip(phrase_field, phrase_tokens, phrase_specs, strict=True)
    ):
        own = {t: weights[t] * (DESCRIPTOR_FACTOR if t in specs else 1.0) for t in toks}
        total = sum(own.values()) or 1.0
        factor = FIELD_FACTOR.get(field_name, 1.0)
        if field_name == "head" and (int(phrase_item[pid]), toks[0]) in shared_heads:
            factor = SHARED_HEAD_FACTOR
        for tok in toks:
            ids, ws = lists.setdefault(tok, ([], []))
            ids.append(pid)
            ws.append(own[tok] / total * factor)
    postings = {
        tok: (np.asarray(ids, dtype=np.int32), np.asarray(ws, dtype=np.float64))
        for tok, (ids, ws) in lists.items()
    }
    by_length: dict[int, list[str]] = {}
    for tok in sorted(fuzzy):
        by_length.setdefault(len(tok), []).append(tok)
    return MatchIndex(
        kind=kind,
        items=items,
        phrase_item=np.asarray(phrase_item, dtype=np.int32),
        phrase_field=phrase_field,
        phrase_text=phrase_text,
        phrase_tokens=phrase_tokens,
        phrase_bonus=np.asarray(
            [
                1e-4 * min(len(t), 9) + (1e-5 if f == "name" else 0.0)
                for t, f in zip(phrase_tokens, phrase_field, strict=True)
            ],
            dtype=np.float64,
        ),
        postings=postings,
        weights=weights,
        fuzzy_by_length=by_length,
        keys=keys,
        name_tokens=frozenset(name_tokens),
        token=token,
        built_at=time.monotonic(),
        category_phrase=category_phrase,
        df=df,
        item_words=item_words,
    )


# --- Loading from the database ------------------------------------------------------------------------------


_CLAUSES = re.compile(r"[.,;:!?()\n]|\bbut\b")
NEGATIONS = frozenset(
    {"not", "no", "without", "except", "excluding", "excludes", "excluded", "separately", "dont", "doesnt"}
)
# The words of a negated clause that say how it is not had, not what: "sold separately", "not included",
# "we don't sell them themselves".
_NOT_HAD = frozenset(
    {"include", "included", "includes", "sold", "sell", "supplied", "provided", "come", "comes", "themselve"}
)


def _clauses(description: str | None) -> list[list[str]]:
    """A description's clauses, each as its stemmed words: what `described`, `about` and `excluded` read."""
    return [stems(clause) for clause in _CLAUSES.split(fold(description or ""))]


def described(description: str | None) -> frozenset[str]:
    """The last word of each of a description's clauses, stemmed (IndexedItem.described): not a stopword,
    not of a clause that says what the item is not or does not come with ("base sold separately", "not for
    children")."""
    ends: set[str] = set()
    for said in _clauses(description):
        words = [w for w in said if w not in STOPWORDS]
        if words and NEGATIONS.isdisjoint(said):
            ends.add(words[-1])
    return frozenset(ends)


_FOR_A_SETTING = re.compile(r"([a-z]{3,}?)(?:wares?|wear)\b")


def _setting(category: str | None) -> frozenset[str]:
    """Where or what the things of a "-ware" or "-wear" section are for (kitchenware: kitchen, glassware:
    glass, footwear: foot): a customer's "kitchen knife" is one of the section's knives, though other items
    are named for the kitchen."""
    return frozenset(stem(m) for m in _FOR_A_SETTING.findall(fold(category or ""))) - {"hard", "soft"}


def about(description: str | None) -> frozenset[str]:
    """IndexedItem.about: the words of a description's clauses that say what the item is or does."""
    words: set[str] = set()
    for said in _clauses(description):
        # "to crush garlic without a press": what comes before "without" is still said of it.
        cut = next((i for i, w in enumerate(said) if w in NEGATIONS), len(said))
        if cut == len(said) or said[cut] in _WITHOUT:
            words.update(w for w in said[:cut] if w not in STOPWORDS and not has_digit(w))
    return frozenset(words)


_WITHOUT = frozenset({"without", "except", "excluding"})


def excluded(description: str | None) -> tuple[frozenset[str], ...]:
    """The things a description's negated clauses name (IndexedItem.excluded), stemmed, without the words
    that say they are not had; a clause of a pronoun alone ("but don't sell them") names nothing."""
    out = []
    for said in _clauses(description):
        if NEGATIONS.isdisjoint(said):
            continue
        words = frozenset(w for w in said if w not in STOPWORDS and w not in NEGATIONS and w not in _NOT_HAD)
        if words:
            out.append(words)
    return tuple(out)


def product_phrases(sku: str, name: str, aliases: list[str], category: str | None) -> list[PhraseSource]:
    phrases: list[PhraseSource] = [("name", name)]
    phrases += [("alias", a) for a in aliases or []]
    phrases.append(("sku", sku))
    if category:
        phrases.append(("category", category))
    return phrases


def indexed_item(
    item_id: int,
    key: str,
    name: str,
    category: str | None,
    price: Any,
    available: bool,
    active: bool,
    description: str | None,
) -> IndexedItem:
    """An item as the index holds it, with what its description says it is and is not (the loader's, and
    the pure tests' that have no database)."""
    price_text = f"{price:.2f}"
    return IndexedItem(
        item_id,
        key,
        name,
        category,
        price_text,
        available,
        active,
        frozenset(),
        described=described(description) | _setting(category),
        excluded=excluded(description),
        about=about(description),
    )


def _load_rows(session: Session, tenant_id: int, kind: Kind) -> list[tuple[IndexedItem, list[PhraseSource]]]:
    rows: list[tuple[IndexedItem, list[PhraseSource]]] = []
    if kind == "product":
        statement = select(
            Product.id,
            Product.sku,
            Product.name,
            Product.aliases,
            Product.category,
            Product.price,
            Product.stock,
            Product.is_active,
            Product.description,
        ).where(Product.tenant_id == tenant_id)
        for pid, sku, name, aliases, category, price, stock, active, about in session.exec(statement).all():
            item = indexed_item(pid, sku, name, category, price, stock > 0, active, about)
            rows.append((item, product_phrases(sku, name, aliases, category)))
    else:
        statement = select(
            Service.id,
            Service.code,
            Service.name,
            Service.aliases,
            Service.category,
            Service.price,
            Service.is_bookable,
            Service.is_active,
            Service.description,
        ).where(Service.tenant_id == tenant_id)
        for sid, code, name, aliases, category, price, bookable, active, about in session.exec(
            statement
        ).all():
            item = indexed_item(sid, code, name, category, price, bookable, active, about)
            rows.append((item, product_phrases(code, name, aliases, category)))
    return rows


# --- The per-process registry and cross-process invalidation ------------------------------------------------

MAX_INDEXES = 512  # per process; the least recently used tenant's index goes first
_indexes: LRUCache[tuple[int, Kind], MatchIndex] = LRUCache(maxsize=MAX_INDEXES)
_guard = threading.Lock()
_listeners: list[Callable[[int], None]] = []


def _token_key(tenant_id: int) -> str:
    return f"catalog:index-token:{tenant_id}"


def current_token(tenant_id: int) -> str | None:
    """The tenant's catalogue version token, prefixed with the cache's generation.

    The generation changes when the process gets a new cache (REDIS_URL changed, or tests resetting it
    between cases): tokens from the old cache mean nothing then, and tenant ids may even have been reused
    by a fresh database, so every index built before is out of date.
    """
    cache = get_cache()
    generation = getattr(cache, "_parley_catalog_generation", None)
    if generation is None:
        generation = uuid.uuid4().hex[:12]
        cache._parley_catalog_generation = generation  # type: ignore[attr-defined]
    value = cache.get(_token_key(tenant_id))
    return f"{generation}:{value}"


def get_index(session: Session, tenant_id: int, kind: Kind) -> MatchIndex:
    """The tenant's index, rebuilt when a write anywhere changed the token or it is older than MAX_AGE.

    Small catalogues are rebuilt on the spot (milliseconds). A catalogue of BACKGROUND_FROM items or more
    takes about a second to rebuild, which no customer should wait for: the previous index keeps answering
    while a background thread builds the new one (stale for about one rebuild after a write).
    """
    key = (tenant_id, kind)
    token = current_token(tenant_id)
    with _guard:
        index = _indexes.get(key)  # a hit makes it the most recently used
    if index is not None and index.token == token and time.monotonic() - index.built_at < MAX_AGE_SECONDS:
        return index
    same_generation = index is not None and (index.token or "").split(":")[0] == token.split(":")[0]
    if index is not None and same_generation and BACKGROUND_REBUILDS and index.size >= BACKGROUND_FROM:
        _rebuild_in_background(session, tenant_id, kind, token)
        return index
    index = build_index(kind, _load_rows(session, tenant_id, kind), token)
    _store(key, index)
    return index


def _store(key: tuple[int, Kind], index: MatchIndex) -> None:
    with _guard:
        _indexes[key] = index  # past MAX_INDEXES, the least recently used goes


BACKGROUND_REBUILDS = True
BACKGROUND_FROM = 2000
_building: dict[tuple[int, str], threading.Thread] = {}


def in_background(key: tuple[int, str], session: Session, job: Callable[[Session], None]) -> None:
    """Run `job` once per key in a daemon thread with its own session on the same database.

    Used for the rebuilds of big indexes and vocabularies; a key already being rebuilt is left alone.
    """
    bind = session.get_bind()
    with _guard:
        if key in _building:
            return

        def run() -> None:
            try:
                with Session(bind) as own:
                    job(own)
            except Exception:  # the stale copy keeps serving; the next call tries again
                logger.exception("catalog background rebuild %s failed", key)
            finally:
                with _guard:
                    _building.pop(key, None)

        thread = threading.Thread(target=run, name=f"catalog-rebuild-{key[0]}-{key[1]}", daemon=True)
        _building[key] = thread
    thread.start()


def _rebuild_in_background(session: Session, tenant_id: int, kind: Kind, token: str) -> None:
    def job(own: Session) -> None:
        _store((tenant_id, kind), build_index(kind, _load_rows(own, tenant_id, kind), token))

    in_background((tenant_id, kind), session, job)


def wait_for_rebuilds(timeout: float = 30.0) -> None:
    """Block until background rebuilds finish (tests, benchmarks, orderly shutdown)."""
    deadline = time.monotonic() + timeout
    while True:
        with _guard:
            threads = list(_building.values())
        if not threads:
            return
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if time.monotonic() >= deadline:
            return


def on_invalidate(listener: Callable[[int], None]) -> None:
    """Register a callback run with the tenant id when its catalogue changes in this process (other
    processes notice through the token: use `current_token` for anything cached across processes)."""
    _listeners.append(listener)


def _bump(tenant_id: int) -> None:
    # The new token makes every index of the tenant stale, here and in other processes; the index object
    # itself is kept so a big catalogue can go on answering while its replacement is built.
    get_cache().set(_token_key(tenant_id), uuid.uuid4().hex, TOKEN_TTL_SECONDS)
    for listener in _listeners:
        listener(tenant_id)


_PENDING = "parley_catalog_dirty_tenants"


def _after_transaction(session: Session) -> None:
    pending: set[int] = session.info.pop(_PENDING, set())
    for tenant_id in pending:
        _bump(tenant_id)


def invalidate(tenant_id: int, session: Session | None = None) -> None:
    """Forget the tenant's indexes now, everywhere, and once more when `session`'s transaction ends."""
    _bump(tenant_id)
    if session is None:
        return
    pending = session.info.get(_PENDING)
    if pending is None:
        session.info[_PENDING] = {tenant_id}
        event.listen(session, "after_commit", _after_transaction, once=True)
        event.listen(session, "after_soft_rollback", lambda s, _t: _after_transaction(s), once=True)
    else:
        pending.add(tenant_id)


def clear_all() -> None:
    """Drop every in-process index (tests, or a process that must free memory)."""
    with _guard:
        _indexes.clear()
