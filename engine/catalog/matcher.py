"""Fuzzy product and service matching over whole customer sentences.

A customer rarely types a product name on its own: "do u have the cloudstpe 90s in size 9?" has one mention
among extra words, a typo, a plural and a size. Comparing the whole sentence to each name (plain
`fuzz.ratio`) drowns the mention; comparing each word to each name forgets multi-word names. So:

1. Every query word is looked up in the index vocabulary: exactly (after folding and plural stemming), else by
   Damerau-style edit distance (rapidfuzz OSA, 1 edit up to 6 letters, 2 above), also joining two adjacent
   words ("cloud step") and splitting one ("cloudstep90"). Numbers, SKUs and words shorter than four letters
   must match exactly (but for a swap or a missing letter: "bga", "glu"); a word cut short is the one name
   word it starts ("deo", "mani"). Common English words are never bent into catalogue words, and other
   English words only when a neighbouring word shares a catalogue phrase with the shop word ("duck tape",
   not "wood" for food). A word may sound like a name word ("kaserole" → casserole: `phonetic_key`), which
   also makes a typo that sounds right likelier than one that does not. A plural the stemmer misses is
   tried as its singular ("scarves", a typo'd "coaus"); a short leftover ("wide eg", "ribbed vop") only as
   the word its neighbour goes with. A name the catalogue does not use is read as another name of the same
   thing that it does ("trainers" → sneakers, "cinto" → belt: engine/catalog/data/synonyms.txt).
2. Each catalogue phrase (name, alias, SKU, category) scores the IDF-weighted share of its tokens that the
   message contains, times how well each was spelled: extra words in the sentence cost nothing and word order
   does not matter. Rare tokens ("cloudstep") weigh more than common ones ("shoe"). An item's head noun (the
   last word of its name, engine.catalog.index.head_noun) is a phrase of its own when few items use that
   word, so "leashes" finds the Reflective Dog Leash; when the message also names the item's category
   ("running shoes") the category answers instead.
3. An item's confidence is its best phrase's coverage, nudged by how much of the message's catalogue words the
   item explains, so "cloudstep 90 wide" prefers the Wide Fit over the plain Cloudstep 90.

An optional semantic scorer (embeddings, when the tenant has them) can only raise a confidence, never lower
it, and nothing here depends on it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice, takewhile

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlmodel import Session

from engine.catalog.index import FIELD_FACTOR, Kind, MatchIndex, get_index
from engine.catalog.text import (
    ADJECTIVE_ENDINGS,
    STOPWORDS,
    compact,
    dropped_letters,
    fold,
    has_digit,
    singular_forms,
    stem,
    stems,
    typo_cost,
)
from engine.catalog.words import (
    common_words,
    foreign_words,
    is_english,
    near_synonym_word,
    synonym_starts,
    synonym_words,
    synonyms,
)
from engine.db import TenantScope

MATCH_THRESHOLD = 0.5  # below this a "match" is noise: treat the message as not naming that item
CONFIDENT = 0.8  # at or above this the agent may act on the match without asking
DEFAULT_MIN_CONFIDENCE = 0.35
CANDIDATES = 40  # phrases ranked before per-item refinement
QUERY_COVERAGE_WEIGHT = 0.4
QUERY_WINDOW = 2
SEMANTIC_WEIGHT = 0.5
_LOOKUP_CACHE_LIMIT = 20_000
_WORD_SPAN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ALNUM = re.compile(r"[a-z0-9]+")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{2,}")
_DECIMAL = re.compile(r"\d+[.,]\d+")
_SIZE_WORDS_TEXT = "size sizes sz uk eu us talla tallas numero taille pointure grosse groesse tamanho taglia"
SIZE_WORDS = frozenset(_SIZE_WORDS_TEXT.split())
ALIAS_ONLY_PENALTY = 0.03
FUZZY_KEEP_MARGIN = 0.06
# A one-word mention right after a word the catalogue does not know ("horse treats", "guinea pig cage") is
# most likely something else of that kind: the shop sells treats, not horse treats.
MODIFIER_PENALTY = 0.65  # a head-noun match (0.72) so qualified falls under MATCH_THRESHOLD
_NEUTRAL_MODIFIERS_TEXT = """
    new big small large little cheap cheaper cheapest good nice best better another other spare extra
    replacement same different similar cute warm soft light heavy strong long short tall wide narrow
    black white red blue green grey gray brown pink purple yellow orange navy beige cream gold silver
    kids kid childrens mens womens ladies adult adults baby junior senior
    whole half dozen couple pair few fresh freshly hot cold mild spicy sweet plain ripe sliced unsliced
    homemade organic frozen next last first
    spanish french italian greek english british irish scottish welsh german dutch portuguese swiss belgian
    american mexican japanese chinese indian thai turkish local imported"""
_NEUTRAL_MODIFIERS = frozenset(_NEUTRAL_MODIFIERS_TEXT.split())
# A word used by at least this many items, and this share of them, is generic: "dog collars" still names
# the collar, where "nail gun" does not name the nails.
GENERIC_MIN_ITEMS = 3
GENERIC_SHARE = 0.08
PHONETIC_SIMILARITY = 0.8  # a sound-alike spelling ("kaserole"): as sure as a two-edit typo of a long word

# (text, kind, limit) -> [(item id, similarity in [0, 1])]: nearest items by embedding, when available.
SemanticScorer = Callable[[str, Kind, int], Sequence[tuple[int, float]]]


@dataclass(frozen=True)
class CatalogMatch:
    """One ranked candidate. `mention` is the customer's own words that matched, for "Did you mean …?"."""

    kind: Kind
    id: int
    key: str  # SKU or service code
    name: str
    confidence: float
    matched_field: str  # name | alias | sku | category | semantic
    matched_text: str  # the catalogue phrase that matched
    mention: str
    mention_start: int  # offset of `mention` in the message, -1 when there is none (semantic-only match)
    available: bool  # product in stock / service bookable
    active: bool
    price: str
    category: str | None

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "key": self.key,
            "name": self.name,
            "confidence": self.confidence,
            "matched_field": self.matched_field,
            "matched_text": self.matched_text,
            "mention": self.mention,
            "mention_start": self.mention_start,
            "available": self.available,
            "active": self.active,
            "price": self.price,
            "category": self.category,
        }


@dataclass(frozen=True)
class _QueryToken:
    text: str  # folded
    start: int
    end: int


def query_tokens(text: str) -> list[_QueryToken]:
    """Folded alphanumeric tokens with their character span in the original text, sizes left out.

    "size 10", "talla 42", "UK 9" and "8.5" are sizes, not model numbers: left in, "voyager 1 in size 10"
    would match the Voyager 10 as well as the Voyager 1.
    """
    decimals = [m.span() for m in _DECIMAL.finditer(text)]
    out: list[_QueryToken] = []
    after_size = 0
    for match in _WORD_SPAN.finditer(text):
        start, end = match.span()
        if any(s <= start and end <= e for s, e in decimals):
            after_size = 0
            continue
        for part in _ALNUM.findall(fold(match.group())):
            if part in SIZE_WORDS:
                after_size = 2
                continue
            if after_size and part.isdigit():
                after_size = 0
                continue
            after_size = max(0, after_size - 1)
            out.append(_QueryToken(part, start, end))
    return out


def _fuzzy(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """Vocabulary tokens within the edit budget of `token`, as (token, similarity); cached per index.

    rapidfuzz finds everything within the budget fast; a weighted typo cost then ranks those (a swapped or
    doubled letter or a neighbouring key is likelier than any edit), and name words beat alias-only words,
    which are often misspellings themselves.
    """
    cached = index.lookup_cache.get(token)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found: list[tuple[str, float]] = []
    n = len(token)
    budget = 1 if n <= 5 else 2
    for length in range(n - budget, n + budget + 1):
        bucket = index.fuzzy_by_length.get(length)
        if not bucket:
            continue
        for choice, _, _ in process.extract(
            token, bucket, scorer=OSA.distance, score_cutoff=budget, limit=12
        ):
            if choice == token:
                continue
            similarity = 1.0 - typo_cost(token, choice) / max(n, len(choice))
            if choice[0] != token[0]:
                similarity -= 0.05  # first letters are rarely mistyped: prefer candidates that keep it
            if choice not in index.name_tokens:
                similarity -= ALIAS_ONLY_PENALTY
            found.append((choice, similarity))
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    if found:
        best = found[0][1]
        close = [pair for pair in found if pair[1] >= best - FUZZY_KEEP_MARGIN]
        kept = close[:3]
        # Other products' typo aliases must not crowd out the real word they misspell.
        named = next((pair for pair in close if pair[0] in index.name_tokens), None)
        if named is not None and named not in kept:
            kept.append(named)
        found = kept
    if len(index.lookup_cache) < _LOOKUP_CACHE_LIMIT:
        index.lookup_cache[token] = found
    return found


_PHONETIC_RULES = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"(?:sh|[cst])i(?=[aou])"), "sh"),  # facial / fashial, lotion / loshun
    (re.compile(r"ck|q|c(?=[aoulr])|c$"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"z"), "s"),
    (re.compile(r"(?<=[aeiouy])r(?![aeiouy])"), ""),  # a silent r: jumper / jumpa, slippers / slipas
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"(?<=.)[aeiouy]+"), ""),
)
_PHONETIC_KEY = "\x00phonetic"


def phonetic_key(word: str) -> str:
    """A sound-alike key: "kaserole" and "casserole" → "ksrl", "colinder" and "colander" → "klndr", "fashial"
    and "facial" → "fshl".

    The first letter's vowel stays (so "apron" is not "prn"); later vowels, doubled letters, the c/k/s,
    ph/f spellings of one sound and an r after a vowel go (many speakers do not sound it: "jumpa" for
    jumper, "slipas" for slippers). Used only when the edit-distance lookup found nothing."""
    key = word
    for pattern, repl in _PHONETIC_RULES:
        key = pattern.sub(repl, key)
    return key


def _phonetic(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """Vocabulary name words that sound like `token` (same phonetic key, similar length), or []."""
    keys: dict[str, list[str]] | None = index.lookup_cache.get(_PHONETIC_KEY)  # type: ignore[assignment]
    if keys is None:
        keys = {}
        for word in index.name_tokens:
            if len(word) >= 5 and not has_digit(word):
                keys.setdefault(phonetic_key(word), []).append(word)
        index.lookup_cache[_PHONETIC_KEY] = keys  # type: ignore[assignment]
    key = phonetic_key(token)
    if len(key) < 3:
        return []
    found = [w for w in keys.get(key, []) if abs(len(w) - len(token)) <= 3]
    return [(w, PHONETIC_SIMILARITY) for w in sorted(found)[:2]]


def _matches_for(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    token = stem(raw)
    exact = token if token in index.postings else raw if raw in index.postings else None
    if exact is None:
        exact = next((form for form in singular_forms(raw) if form in index.postings), None)
    if exact is not None:
        if exact in index.name_tokens or has_digit(exact) or len(exact) < 5:
            return [(exact, 1.0)]
        # An alias-only word ("cloudstpe", or another product's typo alias): also what it may misspell.
        return [(exact, 1.0)] + _fuzzy(index, exact)
    if has_digit(token) or raw in STOPWORDS or raw in foreign_words():
        return []
    family = _word_family(index, raw)
    if family or raw in common_words():
        return family
    if is_english(raw):
        # A real word is meant as written ("wood" is not food, "plates" not palette), unless it is a shop word
        # with a letter or two left out ("cuting"), as the spelling corrector rules; or a neighbouring word
        # says otherwise (see _bends_in_context).
        fuzzy = _fuzzy(index, token) if len(token) >= 4 else []
        return [(w, sim) for w, sim in fuzzy if dropped_letters(token, w)]
    found = _bends(index, raw)
    if not found and (padded := _padded_plural(index, raw)):
        return padded
    sounds = _phonetic(index, token) or (_phonetic(index, raw) if raw != token else [])  # "nekles"
    if not found and not sounds:
        return _typod_plural(index, raw)
    if not found:
        return sounds
    # A typo that also sounds like the word ("fashial") is likelier than its edit distance says; a word it
    # only sounds like is another reading ("slipas": slip by its letters, slippers by its sound).
    alike = {w for w, _ in sounds}
    bent = [(w, max(sim, PHONETIC_SIMILARITY) if w in alike else sim) for w, sim in found]
    return bent + [(w, sim) for w, sim in sounds if w not in {b for b, _ in bent}]


def _typod_plural(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    """A plural typed wrong, read as its singular typed wrong: "coaus" (coats), "hoodeis", "makss", "bruhes"
    (brushes), "wsahes". The stemmer keeps an -s after u or i ("campus", "axis"), and a typo near the end can
    hide the plural, so the word without its ending is looked up again, once, when the word as typed reached
    nothing."""
    found: list[tuple[str, float]] = []
    for singular in _typod_singulars(raw):
        if singular in index.postings and singular.isalpha():  # "oilse", "mixse": the ending swapped
            found.append((singular, SWAP_SIMILARITY))
        elif len(singular) >= 3 and singular not in common_words():
            found += [pair for pair in _bends(index, singular) if pair not in found]
    return found


def _padded_plural(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    """A plural with one letter too many at its ending, read as the plural: after it ("blushesg", "hoodiesb")
    or before its -s ("hoodiebs", "gelus"). The stemmer does not see the plural through the extra letter, and
    the edit budget is spent between the letter and the ending (hoodieb is three edits from hoody), so the
    word without that letter is looked up as typed, and counts only when it is a plural of a shop word."""
    if len(raw) < 5 or not raw.isalpha():
        return []
    candidates = [raw[:-1]] if raw[-2] == "s" else []
    if raw.endswith("s"):
        candidates.append(raw[:-2] + "s")
    found: list[tuple[str, float]] = []
    for plural in candidates:
        token = stem(plural)
        if (
            token != plural
            and token in index.postings
            and token.isalpha()
            and (token, SWAP_SIMILARITY) not in found
        ):
            found.append((token, SWAP_SIMILARITY))
    return found


def _typod_singulars(raw: str) -> list[str]:
    """The word without what may be its plural ending, typed right or swapped: -s, -es, -se ("oilse")."""
    if not raw.isalpha() or len(raw) < 3:
        return []
    out = [raw[:-1]] if raw.endswith("s") else []
    if raw.endswith(("es", "se")) and len(raw) >= 4:
        out.append(raw[:-2])
    return out


def _bends(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    """The vocabulary words `raw` may be a typo of: one swap or one missing letter for three letters, else
    within the edit budget (_fuzzy)."""
    token = stem(raw)
    if len(token) == 3:
        found = _swapped(index, token) or _abbreviation(index, raw)
        if not found and len(raw) >= 4 and raw not in common_words():
            found = _fuzzy(index, raw)  # a short word's plural typed wrong: "leas", "tufs" as typed
        return found
    if len(raw) < 4 or len(token) < 3:
        return []
    return _fuzzy(index, token) + _abbreviation(index, raw)


ABBREVIATION_SIMILARITY = 0.85
_PREFIXES_KEY = "\x00prefixes"
_VOWEL = re.compile(r"[aeiouy]")


def _abbreviation(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    """The one name word `raw` is the start of, two letters or more short of it: "deo" for deodorant, "mani"
    for manicure, "vit" for vitamin. Chat shortens long words this way; a start several words share says
    nothing."""
    if not _VOWEL.search(raw):
        return []  # "str", "pkg": a code's letters, not the start of a word
    words: list[str] | None = index.lookup_cache.get(_PREFIXES_KEY)  # type: ignore[assignment]
    if words is None:
        words = sorted(w for w in index.name_tokens if w.isalpha() and len(w) >= 5)
        index.lookup_cache[_PREFIXES_KEY] = words  # type: ignore[assignment]
    at = bisect_left(words, raw)
    found = list(islice(takewhile(lambda w: w.startswith(raw), words[at:]), 2))
    if len(found) != 1 or len(found[0]) < len(raw) + 2 or found[0][len(raw) :] in _INFLECTIONS:
        return []
    return [(found[0], ABBREVIATION_SIMILARITY)]


# Endings that make another form of the same word ("tint" -> "tinted"), which is not an abbreviation of it.
_INFLECTIONS = frozenset(["ed", "er", "ers", "es", "est", "ing", "ings", "ly", "ment", "ness", "able"])


def _bendable(raw: str) -> bool:
    """A real word that may still be a typo when its neighbour says so: not a stopword, common word or
    another language's word, nor a number."""
    return (
        len(raw) >= 3
        and raw.isalpha()
        and raw not in STOPWORDS
        and raw not in common_words()
        and raw not in foreign_words()
        and is_english(raw)
    )


def _bends_in_context(
    index: MatchIndex, qtokens: list[_QueryToken], per_position: list[list[tuple[str, float]]]
) -> None:
    """A real word its neighbour proves a typo: "duck tape" is the Duct Tape, "hadn saw" the Hand Saw, "lip
    bam" the Lip Balm — a shop word within the edit budget that shares a catalogue phrase with a word next to
    it. Alone ("wood", "lean") or beside words of other things ("ceramic plates"), it stays as written.

    Likewise a compound word whose last part is a shop word the neighbour goes with: "eyelash glue" is the
    Lash Glue, where "eyelash" alone is the False Eyelashes."""
    found = [list(hits) for hits in per_position]
    for i, q in enumerate(qtokens):
        # A short typo read as a shop word its neighbours do not go with ("tool bol": bolt) may be one they
        # do (box): a reading of three or four letters is a guess, and the neighbour picks between guesses.
        unsure = bool(per_position[i]) and all(sim < 1.0 for _, sim in per_position[i])
        short = (not per_position[i] or unsure) and _short_typo(q.text)
        bend = not per_position[i] and (short or _bendable(q.text))
        if not bend and not short and (len(q.text) < 7 or not q.text.isalpha()):
            continue
        near = {
            tok
            for j in (i - 1, i + 1)
            if 0 <= j < len(qtokens)
            for tok, _ in per_position[j]
            if tok not in STOPWORDS
        }
        if not near:
            continue
        if bend:
            candidates = _bends(index, q.text) if _bendable(q.text) else []
            if short and not candidates:
                candidates = _short_bends(index, stem(q.text)) + _short_plural_bends(index, q.text)
            found[i] = [(tok, sim) for tok, sim in candidates if _share_phrase(index, tok, near)]
        elif short:
            if not any(_share_phrase(index, tok, near) for tok, _ in per_position[i]):
                readings = _short_bends(index, stem(q.text)) + _short_plural_bends(index, q.text)
                fits = [(t, sim) for t, sim in readings if _share_phrase(index, t, near)]
                found[i] = fits or found[i]
        else:
            found[i] += [(tail, COMPOUND_SIMILARITY) for tail in _tails(index, q.text, near, per_position[i])]
    per_position[:] = found


COMPOUND_SIMILARITY = 0.9
_SHORT_KEY = "\x00three-letter words"


def _short_typo(raw: str) -> bool:
    """A word of two to four letters (after the plural) that may be a typo only its neighbours can tell:
    not a stopword, common word, plain qualifier or another language's word."""
    return (
        2 <= len(stem(raw)) <= 4
        and raw.isalpha()
        and raw not in STOPWORDS
        and raw not in common_words()
        and raw not in _NEUTRAL_MODIFIERS
        and raw not in foreign_words()
    )


def _short_bends(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """Shop words one substitution or swap from a three-letter word ("cqt", "dig", and "vop" for top: a first
    letter is mistyped less often, but one edit from three letters is a guess whichever letter it is), or
    four-letter ones it misses a letter of ("try"), keeping the first letter; four-letter ones a four-letter
    word mistypes the first letter of ("mide" for wide); three-letter ones a two-letter
    word misses a letter of ("eg" for leg, "zp" for zip); shop words of four or five letters it misses the
    first letter of ("ags" for bags, "oots" for boots); and three-letter ones a four-letter word has one
    letter too many of ("tagy", "ckey"). Too many for the word alone ("dig" may be dog or dug), so only what
    a neighbour confirms is kept (_bends_in_context)."""
    three: list[str] | None = index.lookup_cache.get(_SHORT_KEY)  # type: ignore[assignment]
    if three is None:
        three = sorted(t for t in index.postings if len(t) == 3 and t.isalpha())
        index.lookup_cache[_SHORT_KEY] = three  # type: ignore[assignment]
    if len(token) not in (2, 3, 4):
        return []
    key = "\x00short-bends:" + token
    cached = index.lookup_cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    near: list[str] = []
    if len(token) == 2:  # a three-letter word missing a letter: "eg" (leg), "zp" (zip), "ol" (oil)
        near += [w for w in three if w[1:] == token or _drops_one(w, token)]
    elif len(token) == 3:
        near += [w for w in three if w[0] == token[0] and OSA.distance(w, token, score_cutoff=1) == 1]
        near += [w for w in three if w[1:] == token[1:] and w != token]  # the first letter mistyped: "vop"
        near += [w for w in index.fuzzy_by_length.get(4, ()) if w[0] == token[0] and _drops_one(w, token)]
    else:
        near += [w for w in three if _drops_one(token, w) or token[1:] == w]
        near += [w for w in index.fuzzy_by_length.get(4, ()) if w[1:] == token[1:] and w != token]  # "mide"
    longer = index.fuzzy_by_length.get(len(token) + 1, ())
    near += [w for w in longer if w[1:] == token and w.isalpha() and w not in near]
    if token.endswith("s"):  # "ags": bags, indexed as its stem
        same = three if len(token) == 3 else index.fuzzy_by_length.get(len(token), ())
        near += [w for w in same if w[1:] + "s" == token and w not in near]
    out = [(w, SWAP_SIMILARITY) for w in near]
    if len(index.lookup_cache) < _LOOKUP_CACHE_LIMIT:
        index.lookup_cache[key] = out
    return out


def _short_plural_bends(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    """_short_bends of a short word's plural typed wrong, without its -s: "tps" (tops), "hts" (hats), "teis"
    (ties), "olis" (oils). The stemmer leaves three letters and an -is alone, so the plural is not seen."""
    return [pair for singular in _typod_singulars(raw) for pair in _short_bends(index, singular)]


def _tails(index: MatchIndex, word: str, near: set[str], hits: list[tuple[str, float]]) -> list[str]:
    """The shop words of four letters or more that end `word` after three letters or more ("eyelash" ->
    lash) and share a catalogue phrase with a neighbouring word."""
    have = {tok for tok, _ in hits}
    for cut in range(3, len(word) - 3):
        tail = stem(word[cut:])
        if tail in index.postings and tail not in have and _share_phrase(index, tail, near):
            return [tail]
    return []


def _share_phrase(index: MatchIndex, token: str, others: set[str]) -> bool:
    phrases = index.postings[token][0]
    return any(np.intersect1d(phrases, index.postings[o][0]).size for o in others if o in index.postings)


DERIVED_SIMILARITY = 0.9


def _word_family(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    """The catalogue's -ing form of the customer's verb, or its verb for their -ing form: "sharpen" for Blade
    Sharpening, "caulk" beside "caulking", "threaded" for Eyebrow Threading; or the noun of the verb ("alter"
    for Dress Alterations, "assemble" for Furniture Assembly). Not a typo but the same word, so
    common words qualify ("match" for Colour Matching); four letters or more, since "run" -> "running" would
    reach a whole category."""
    if len(raw) < 4:
        return []
    if raw.endswith("ing"):
        base = raw[:-3]
        forms = [base, base + "e"] + ([base[:-1]] if len(base) > 2 and base[-1] == base[-2] else [])
    elif raw.endswith("ed"):  # "threaded", "waxed", "shaved": the -ing form of the same verb
        forms = [raw[:-2] + "ing"]
    else:
        forms = [raw + "ing", raw + raw[-1] + "ing"] + ([raw[:-1] + "ing"] if raw.endswith("e") else [])
        forms += _nouns_of(raw)
    return [(form, DERIVED_SIMILARITY) for form in forms if form in index.name_tokens][:1]


def _nouns_of(verb: str) -> list[str]:
    """The nouns English makes of a verb, which services are named by: alter -> alteration, install ->
    installation, assemble -> assembly, deliver -> delivery, adjust -> adjustment."""
    stem_e = verb[:-1] if verb.endswith("e") else verb
    forms = [stem_e + "ation", verb + "ment", verb + "y"]
    if verb.endswith("le"):
        forms.append(verb[:-1] + "y")  # assemble -> assembly
    return forms


SWAP_SIMILARITY = 0.85


def _swapped(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """A three-letter word with two neighbouring letters swapped ("bga" for bag, "tga" for tag), or a
    four-letter name word missing one letter after the first ("tre" for tree, "gte" for gate, "plg(s)" for
    plug; or an alias word that is plain English, "glu" for an alias's glue, where an alias-only word may be
    a misspelling itself): the edits short words get, since any substitution in three letters reaches too
    many words."""
    key = "\x00short:" + token
    cached = index.lookup_cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found = {token[1] + token[0] + token[2], token[0] + token[2] + token[1]} - {token}
    out = [(w, SWAP_SIMILARITY) for w in sorted(found) if w in index.name_tokens and w.isalpha()]
    if not out:
        missing = [
            w
            for w in index.fuzzy_by_length.get(4, ())
            if w[0] == token[0] and (w in index.name_tokens or is_english(w)) and _drops_one(w, token)
        ]
        out = [(w, SWAP_SIMILARITY) for w in missing] if len(missing) == 1 else []
    if len(index.lookup_cache) < _LOOKUP_CACHE_LIMIT:
        index.lookup_cache[key] = out
    return out


def _drops_one(word: str, short: str) -> bool:
    """Is `short` `word` with one letter (not the first) left out?"""
    return any(word[:i] + word[i + 1 :] == short for i in range(1, len(word)))


def _split(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    """'cloudstep90' -> cloudstep + 90: both halves must be exact vocabulary tokens."""
    best: tuple[int, str, str] | None = None
    for cut in range(2, len(raw)):
        left, right = raw[:cut], stem(raw[cut:])
        if len(right) < 2 and not right.isdigit():
            continue
        if left in index.postings and right in index.postings and not {left, right} & STOPWORDS:
            score = min(len(left), len(right))
            if best is None or score > best[0]:
                best = (score, left, right)
    if best is None:
        return []
    return [(best[1], 0.95), (best[2], 0.95)]


def _chat_plural(index: MatchIndex, q: _QueryToken) -> _QueryToken:
    """A plural written with a z, as chat writes it ("powerbankz", "cakez"), read as the -s plural: the
    stemmer and the typo budget would otherwise spend themselves on the ending. Only when that plural's
    singular is a catalogue word (or two, written together), and not for a word the catalogue or English has
    as written ("quiz", "topaz") nor a typo of another word ending in z ("quaroz")."""
    word = q.text
    if (
        len(word) < 4
        or not word.endswith("z")
        or word.endswith("zz")
        or not word.isalpha()
        or word in index.postings
        or is_english(word)
    ):
        return q
    plural = word[:-1] + "s"
    singular = stem(plural)
    if singular == plural or (singular not in index.postings and not _split(index, plural)):
        return q
    return _QueryToken(plural, q.start, q.end)


def _analyse(
    index: MatchIndex, qtokens: list[_QueryToken]
) -> tuple[list[_QueryToken], list[list[tuple[str, float]]]]:
    """Per query position, the vocabulary tokens it stands for, with similarity.

    A word split in two ("grip11" -> grip + 11) becomes two positions over the same characters, so each half
    counts on its own when the message's words are weighed against a candidate."""
    split_tokens: list[_QueryToken] = []
    per_position: list[list[tuple[str, float]]] = []
    for q in qtokens:
        q = _chat_plural(index, q)
        hits = _matches_for(index, q.text)
        if not hits and len(q.text) >= (4 if has_digit(q.text) else 5):
            halves = _split(index, q.text)
            if halves:
                for tok, sim in halves:
                    split_tokens.append(_QueryToken(tok, q.start, q.end))
                    per_position.append([(tok, sim)])
                continue
        split_tokens.append(q)
        per_position.append(hits)
    qtokens = split_tokens
    _bends_in_context(index, qtokens, per_position)
    _other_names(index, qtokens, per_position)
    for i in range(len(qtokens) - 1):
        a, b = qtokens[i].text, qtokens[i + 1].text
        exact_a = any(s == 1.0 for _, s in per_position[i])
        exact_b = any(s == 1.0 for _, s in per_position[i + 1])
        joined = stem(a + b)
        if exact_a and exact_b and joined not in index.postings:
            continue  # two known words; joined they are one only when the catalogue says so ("wd 40": wd40)
        if joined in index.postings:
            hits = [(joined, 0.97)]
        elif len(joined) >= 7 and not has_digit(joined) and not (exact_a or exact_b):
            hits = [(tok, sim * 0.97) for tok, sim in _fuzzy(index, joined)]
        else:
            continue
        per_position[i] = per_position[i] + hits
        per_position[i + 1] = per_position[i + 1] + hits
    return qtokens, per_position


SYNONYM_SIMILARITY = 0.9  # another name of the thing: as sure as a compound's part, surer than most typos
SYNONYM_SPAN = 4  # words of the longest term looked up ("camisa de manga corta")
SYNONYM_TERMS = 2  # other names of a term used at most, the first the catalogue has


def _other_names(
    index: MatchIndex, qtokens: list[_QueryToken], per_position: list[list[tuple[str, float]]]
) -> None:
    """A name of a thing the catalogue does not use, read as another name of it that the catalogue does
    (engine/catalog/words.synonyms): "trainers" for the White Leather Sneakers, "rucksack" for the Roll Top
    Backpack, "cinto" for the Leather Belt. Longer terms first ("hooded sweatshirt" is a hoodie, not a
    sweatshirt). A term some one phrase of the catalogue has is the catalogue's own, and is left as it is
    ("curling iron" is not, beside a Curling Wand and a flat iron); another name counts only when one phrase
    has all its words, so "tennis shoes" does not become every shoe."""
    table = synonyms()
    words = [stem(q.text) for q in qtokens]
    for i, q in enumerate(qtokens):
        if not per_position[i] and words[i] not in table and _may_misspell_a_name(q.text):
            near = near_synonym_word(q.text)  # "rucksak", "wellys": another name typed wrong
            words[i] = stem(near) if near else words[i]
    starts = [i for i, word in enumerate(words) if word in synonym_starts()]
    taken: set[int] = set()
    for size in range(min(SYNONYM_SPAN, len(qtokens)), 0, -1):
        for i in starts:
            span = range(i, i + size)
            if i + size > len(words) or taken.intersection(span):
                continue
            if size == 1 and any(s >= 1.0 for _, s in per_position[i]):
                continue
            key = tuple(words[i : i + size])
            others = table.get(key)
            if not others or _in_one_phrase(index, key):
                continue
            hits = [
                (tok, SYNONYM_SIMILARITY)
                for term in [t for t in others if _in_one_phrase(index, t)][:SYNONYM_TERMS]
                for tok in term
            ]
            if hits:
                taken.update(span)
                for j in span:
                    per_position[j] = per_position[j] + hits


def _may_misspell_a_name(word: str) -> bool:
    """A word of five letters or more that is no English, other-language or common word, nor one of the
    synonym list's own."""
    return (
        len(word) >= 5
        and word.isalpha()
        and word not in common_words()
        and word not in foreign_words()
        and word not in synonym_words()
        and not is_english(word)
    )


def _in_one_phrase(index: MatchIndex, term: tuple[str, ...]) -> bool:
    """Do all the term's words occur together in one catalogue phrase?"""
    if any(tok not in index.postings for tok in term):
        return False
    shared = index.postings[term[0]][0]
    for tok in term[1:]:
        shared = np.intersect1d(shared, index.postings[tok][0])
    return bool(shared.size)


_PURPOSE_AFTER = frozenset({"my", "our", "a", "an", "the", "your", "his", "her", "their"})


# Verbs "for" follows to say what is sought, not whom or what it is for: "looking for a belt".
_SEEKING_TEXT = "look looking looked search searching shop shopping hunt hunting ask asking"
_SEEKING = frozenset(_SEEKING_TEXT.split())


def _purpose_positions(qtokens: list[_QueryToken]) -> set[int]:
    """Positions of the words right after "for" (and a determiner): "for my puppy", "for the car". Not
    after a verb of seeking: in "looking for a belt for my husband" the belt is what is sought."""
    out: set[int] = set()
    for i, q in enumerate(qtokens):
        if q.text != "for" or (i > 0 and qtokens[i - 1].text in _SEEKING):
            continue
        j = i + 1
        if j < len(qtokens) and qtokens[j].text in _PURPOSE_AFTER:
            j += 1
        if j < len(qtokens):
            out.add(j)
    return out


_PARTICLES = frozenset({"on", "off", "in", "up"})


def _unknown_modifier(
    qtokens: list[_QueryToken],
    per_position: list[list[tuple[str, float]]],
    at: int,
    elsewhere: MatchIndex | None = None,
) -> bool:
    """Is the word just before position `at` one the catalogue does not know and that is not a plain
    qualifier (size, colour, "new", a stopword, another language's word)? A verb and its particle written
    apart count as one such word: "press on nails", "clip on earrings" (press-on, clip-on). An adverb or a
    participle only says how the thing is, unless the shop's other kind has it (`elsewhere`: "tempered
    screen" is the tempered glass, not a screen repair)."""
    if at >= 2 and qtokens[at - 1].text in _PARTICLES and not per_position[at - 1]:
        at -= 1
    if at == 0 or per_position[at - 1] or qtokens[at].text in foreign_words():
        return False  # Spanish and Portuguese put the qualifier after the noun: "fazem entrega?"
    word = qtokens[at - 1].text
    return (
        len(word) >= 3
        and word.isalpha()
        and word not in STOPWORDS
        and word not in SIZE_WORDS
        and word not in _NEUTRAL_MODIFIERS
        and word not in foreign_words()
        and not (_describes_a_state(word) and (elsewhere is None or stem(word) not in elsewhere.postings))
        and qtokens[at - 1].end < qtokens[at].start  # two words, not the halves of one split word
    )


def _describes_a_state(word: str) -> bool:
    """An adverb or a past participle ("freshly", "sliced", "squeezed"): it says how the thing is, never
    which other thing is meant, as the noun in "horse treats" does."""
    return len(word) >= 5 and (word.endswith("ly") or (word.endswith("ed") and not word.endswith("eed")))


def _done_on_unknown_thing(
    index: MatchIndex,
    text: str,
    qtokens: list[_QueryToken],
    per_position: list[list[tuple[str, float]]],
    content: list[int],
    elsewhere: MatchIndex | None,
) -> bool:
    """Is the service named in full after a thing the shop knows nothing of ("laptop screen repair" at a
    phone shop)? The word before a service's name is what the work is done on: one the shop's products
    have ("iphone screen repair") is served, an unknown one is not, however fully the service was named.
    (With one word of the service, the rule for a single qualified word already applies.)"""
    if index.kind != "service" or len(content) < 2:
        return False
    first, last = min(content), max(content)
    if last - first != len(set(content)) - 1 or first == 0:
        return False
    if not all(_compound(text, qtokens[i - 1], qtokens[i]) for i in range(first, last + 1)):
        return False  # the name written as one phrase, right after the thing: "laptop screen repair"
    if not _unknown_modifier(qtokens, per_position, first, elsewhere):
        return False
    return elsewhere is None or stem(qtokens[first - 1].text) not in elsewhere.postings


def _names_category(category: tuple[str, ...], exact: set[str]) -> bool:
    """Does the message name the whole category ("running shoes" for "running"), not just share a word of it
    ("door hinges" against the category "door hardware")?"""
    words = [t for t in category if t not in STOPWORDS]
    return bool(words) and all(t in exact for t in words)


def _qualifies(per_position: list[list[tuple[str, float]]], modifier: str, head: str) -> bool:
    """Does the message put `modifier` right before `head` ("running shoes")?"""
    return any(
        any(tok == modifier for tok, _ in per_position[i - 1])
        and any(tok == head for tok, _ in per_position[i])
        for i in range(1, len(per_position))
    )


def _compound(text: str, left: _QueryToken, right: _QueryToken) -> bool:
    """Are two neighbouring query words one noun phrase ("nail gun"), not two list items ("nails, gun")?"""
    return left.end < right.start and not text[left.end : right.start].strip(" -")


def _generic(index: MatchIndex, token: str) -> bool:
    """A word a good share of the catalogue uses ("dog" in a pet shop): it says little about which item."""
    return index.df.get(token, 0) >= max(GENERIC_MIN_ITEMS, GENERIC_SHARE * index.size)


def _distinctive(index: MatchIndex, token: str, elsewhere: MatchIndex | None) -> bool:
    """A name word at most two items use that is not plain English ("ridgeline", "cloudstep"): a brand or
    model word, which names the item on its own even when a word the catalogue does not know follows it.
    `elsewhere` is the shop's other index: "paint" is in one service of three, but in many products."""
    return (
        token in index.name_tokens
        and index.df.get(token, 0) + (elsewhere.df.get(token, 0) if elsewhere is not None else 0) <= 2
        and token not in common_words()
    )


def _plural(index: MatchIndex, position: int, raw: str) -> bool:
    """Did the customer pluralise the word ("doors", or with a letter too many: "puppiesi")? The stemmer also
    trims "canvas"; a word the item's own phrases spell the same way is the catalogue's word, not a plural."""
    if not raw.isalpha():
        return False
    if stem(raw) == raw:
        return raw not in index.postings and bool(_padded_plural(index, raw))
    return raw not in index.item_words[position]


def _other_items_word(index: MatchIndex, tokens: frozenset[str], hits: list[tuple[str, float]]) -> bool:
    """Is the word the catalogue's, but specifically another item's (not this item's, not generic)?"""
    return bool(hits) and not any(
        tok in tokens or _function_word(tok) or tok in _NEUTRAL_MODIFIERS or _generic(index, tok)
        for tok, _ in hits
    )


def _ends_in_open_words(
    text: str,
    qtokens: list[_QueryToken],
    per_position: list[list[tuple[str, float]]],
    at: int,
    item_tokens: frozenset[str],
) -> bool:
    """Do the item's words end a noun phrase that goes on, to the end of the message, in words the catalogue
    does not know ("nail drill", "makeup bag", "spray tan appointment")? English puts the head noun last: the
    customer wants that, and the item's words only say which one. The last word may be one the catalogue
    knows from another item only, after an unknown one ("cake decorating class": a class, not the cake), or
    a word of work done ("watch battery replacement": the replacing, not the watch)."""
    end = len(qtokens) - 1
    for j in range(at, len(qtokens)):
        word = qtokens[j].text
        if (
            not (
                _open_word(qtokens[j], per_position[j])
                or (j == end and word in _WORK_NOUNS)
                or (j == end and j > at and _only_others_word(per_position[j], item_tokens))
            )
            or not _compound(text, qtokens[j - 1], qtokens[j])
            or word in _SHOP_TALK
            or word.endswith(ADJECTIVE_ENDINGS)
            or any(OSA.distance(word, tok, score_cutoff=1) <= 1 for tok in item_tokens)  # "brow gell"
        ):
            return False
    return not text[qtokens[-1].end :].strip(" .!?")


# Nouns of work done on a thing: after its name they are what is asked for ("watch battery replacement"),
# where before a name they only qualify it ("replacement strap", so they are plain qualifiers there).
_WORK_NOUNS = frozenset({"replacement", "replacements"})


def _only_others_word(hits: list[tuple[str, float]], item_tokens: frozenset[str]) -> bool:
    """Is the word the catalogue's, but none of this item's, and no function word or plain qualifier?"""
    return bool(hits) and not any(
        tok in item_tokens or _function_word(tok) or tok in _NEUTRAL_MODIFIERS for tok, _ in hits
    )


# Words that follow a thing's name without being a thing: asking about it ("mascara price"), when ("race
# day"), where, and prepositions ("cone after surgery"); adjectives by their ending ("washable").
_SHOP_TALK_TEXT = """
    price prices cost costs stock available availability delivery deliver shipping sale offer offers deal
    discount review reviews colour colours color colors shade shades option options today tomorrow now
    tonight asap here there again too aswell day days week weekend morning afternoon evening night month
    year after before under over without during near into onto off out
    up down inside outside behind above below between through across around"""
_SHOP_TALK = frozenset(_SHOP_TALK_TEXT.split())


def _other_section_word(
    index: MatchIndex, position: int, tokens: frozenset[str], hits: list[tuple[str, float]]
) -> bool:
    """Does the word name the sections every item using it is in, and not this item's ("lip" for the lips
    section, next to a Face Scrub)? Then "lip scrub" is a scrub of that section, which the shop
    does not sell. A word used across sections ("dog" in a pet shop) says nothing about which one."""
    for tok, _ in hits:
        if tok in tokens or _function_word(tok) or tok in _NEUTRAL_MODIFIERS:
            return False  # the item's own word, or a colour or size ("black trainers")
    for tok, _ in hits:
        key = "\x00section:" + tok
        section = index.lookup_cache.get(key)
        if section is None:
            owners = {int(p) for p in index.phrase_item[index.postings[tok][0]]}
            categories = {index.items[p].category or "" for p in owners}
            # Every item using it is in a section it names ("hair" for hair and hair tools); "glass" in one
            # section's names is a material, not the section's name.
            section = len(owners) >= 2 and all(tok in stems(c) for c in categories)
            if len(index.lookup_cache) < _LOOKUP_CACHE_LIMIT:
                index.lookup_cache[key] = section
        if section:  # and not this item's section: its own words were ruled out above
            return True
    return False


_COPULAS = frozenset({"is", "are", "was", "were", "isnt", "arent", "its"})


def _after_copula(qtokens: list[_QueryToken], first: int) -> bool:
    """Is the mention the subject of "is (the) …" — "is the knife sharp", where what follows describes it?"""
    return any(qtokens[j].text in _COPULAS for j in range(max(0, first - 2), first))


def _function_word(token: str) -> bool:
    """A stopword, or a word of one or two letters ("de", "la", "el"): "tienen mascara de pestañas" is not
    about the Eau *de* Parfum. It counts for an item whose phrase has it, never against another."""
    return token in STOPWORDS or (len(token) <= 2 and token.isalpha())


def _elsewhere_word(elsewhere: MatchIndex | None, word: str, *, head: bool = False) -> bool:
    """Is the word one of the shop's other kind, specific to a few of those items? "nail glue" next to a Gel
    Manicure: the glue is a product, so the nails qualify it (and the message asks for no service). Before
    the item's words (`head`), only a word that is such an item's head noun: in "iphone screen repair" the
    iPhone (of an iPhone 15 Case) is what the repair is done on, and the repair is asked for."""
    if elsewhere is None:
        return False
    token = stem(word)
    return (
        token in elsewhere.postings
        and token not in STOPWORDS
        and token not in _NEUTRAL_MODIFIERS
        and not _generic(elsewhere, token)
        and (not head or any(token in elsewhere.items[p].heads for p in _items_using(elsewhere, token)))
    )


def _open_word(token: _QueryToken, hits: list[tuple[str, float]]) -> bool:
    """A content word the catalogue does not know (not a stopword, size, plain qualifier or foreign word)."""
    word = token.text
    return (
        not hits
        and len(word) >= 3
        and word.isalpha()
        and word not in STOPWORDS
        and word not in SIZE_WORDS
        and word not in _NEUTRAL_MODIFIERS
        and word not in foreign_words()
    )


def _names_other_thing(
    index: MatchIndex,
    position: int,
    by_category: bool,
    text: str,
    qtokens: list[_QueryToken],
    per_position: list[list[tuple[str, float]]],
    found: list[int],
    purpose: set[int],
    elsewhere: MatchIndex | None,
) -> bool:
    """Does the message use this item's words to qualify something else? English puts the head noun last:

    - "nail gun", "glue gun", "bird cage": a word right before or after the item's words, in the same noun
      phrase, that the catalogue knows as another item's (not a word many items share, like "dog"), or
      for a service, as a product's ("nail glue" beside a Gel Manicure);
    - "paint sprayer", "safety boots", "light switch": the item matched only on words that qualify it (none
      of its head nouns, or its category), followed by a word the catalogue does not know: that word is
      what the customer wants (unless the qualifier is a brand or model word: "harbour canvas sneakers");
    - "AA batteries", "puppies for sale": the item matched only on qualifiers, and the customer wrote one in
      the plural: a plural names the thing itself ("batteries"), where a brand or model word alone
      ("cordless", "ridgeline") names the item. Not after "for (the)": "a gate for the stairs" says where;
      not a plural of the item's own head noun ("running shoes" is a category of shoes) nor of a trade word
      only it uses ("gimbals": the Phone Gimbal Stabiliser).
    """
    item = index.items[position]
    tokens = item.tokens
    first, last = found[0], found[-1]
    before = first - 1 if first > 0 and _compound(text, qtokens[first - 1], qtokens[first]) else None
    after = (
        last + 1 if last + 1 < len(qtokens) and _compound(text, qtokens[last], qtokens[last + 1]) else None
    )
    if _of_another_thing(text, qtokens, per_position, first, tokens):
        return True
    for at in (before, after):
        if at is not None and (
            (
                _other_items_word(index, tokens, per_position[at])
                and not (at == after and _kind_of_its_section(index, position, found, per_position, at))
            )
            or _other_section_word(index, position, tokens, per_position[at])
            or (not per_position[at] and _elsewhere_word(elsewhere, qtokens[at].text, head=at == before))
        ):
            return True
    if (
        after is not None
        and last not in purpose
        and not _after_copula(qtokens, first)
        and _ends_in_open_words(text, qtokens, per_position, after, tokens)
    ):
        return True
    if _describes_other_kind(text, qtokens, per_position, found, item.heads, elsewhere):
        return True
    matched = {tok for i in found for tok, _ in per_position[i] if tok in tokens}
    qualifiers_only = by_category or not matched & item.heads
    if not qualifiers_only:
        return False
    if (
        after is not None
        and _open_word(qtokens[after], per_position[after])
        and (by_category or not any(_distinctive(index, tok, elsewhere) for tok in matched))
    ):
        return True
    if not matched & item.heads and _common_compound(index, text, qtokens, found, matched, elsewhere):
        return True
    return any(
        _plural(index, position, qtokens[i].text)
        and not any(
            tok in item.heads or _own_word(index, position, tok)
            for tok, _ in per_position[i]
            if tok in tokens
        )
        for i in found
        if i not in purpose
    )


# "de" and its kin join a head noun to what qualifies it in Spanish, Portuguese, French and Italian.
_OF_WORDS = frozenset({"de", "del", "da", "das", "dos", "di", "du", "des"})


def _of_another_thing(
    text: str,
    qtokens: list[_QueryToken],
    per_position: list[list[tuple[str, float]]],
    first: int,
    tokens: frozenset[str],
) -> bool:
    """Do the item's words follow "de" after another item's word ("pão de queijo": a cheese bread, not the
    cheese; "aceite de oliva": the oil, not the olives)? Romance languages put the head noun first, so what
    follows "de" only qualifies it, as the words before the head do in English."""
    if first < 2 or qtokens[first - 1].text not in _OF_WORDS:
        return False
    head, of = qtokens[first - 2], qtokens[first - 1]
    if not (_compound(text, head, of) and _compound(text, of, qtokens[first])):
        return False
    return _only_others_word(per_position[first - 2], tokens)


def _common_compound(
    index: MatchIndex,
    text: str,
    qtokens: list[_QueryToken],
    found: list[int],
    matched: set[str],
    elsewhere: MatchIndex | None,
) -> bool:
    """Is the message's mention a noun phrase of two everyday words or more, ending the message, that the item
    only has as a qualifier of its head, and other items too ("smart watch" for a Smart Watch Charger beside
    a Smart Watch Strap)? The phrase names its own thing, which the shop does not sell. Not for a brand,
    model or trade word ("red velvet", "micro usb"), an -ing form or an adjective at its end ("wireless
    charging"), nor words only this item has together ("tennis ball" for the Tennis Ball Launcher)."""
    if len(matched) < 2 or any(has_digit(tok) or _distinctive(index, tok, elsewhere) for tok in matched):
        return False
    sharing = frozenset.intersection(*(_items_using(index, tok) for tok in matched))
    if sum(matched <= _name_words(index, p) for p in sharing) < 2:
        return False
    last = qtokens[found[-1]]
    if text[last.end :].strip(" .!?") or last.text.endswith(("ing", *ADJECTIVE_ENDINGS)):
        return False
    return all(_compound(text, qtokens[i], qtokens[i + 1]) for i in range(found[0], found[-1]))


def _kind_of_its_section(
    index: MatchIndex,
    position: int,
    found: list[int],
    per_position: list[list[tuple[str, float]]],
    at: int,
) -> bool:
    """Is the word after the item's a head noun of other items, all of them in this item's section and none
    with the item's words before it ("feta cheese" beside a Manchego Cheese at the deli counter, "rye loaf"
    beside the Sourdough Loaf)? It says what kind of thing the item is, as a customer who does not know the
    name's word for it would. Not "nail gun" (the nails and the caulking gun are in different sections), nor
    "litter tray" beside a Litter Tray (that item has both words: it is named)."""
    item = index.items[position]
    kinds = [tok for tok, _ in per_position[at] if item.category and _section_of(index, tok) == item.category]
    if not kinds:
        return False
    said = {tok for i in found for tok, _ in per_position[i] if tok in item.tokens}
    if not any(_names_the_item(index, position, tok) for tok in said - _NEUTRAL_MODIFIERS):
        return False  # "spanish cheese": the Spanish Chorizo's qualifier, not what it is
    for tok in kinds:
        owners = _items_using(index, tok) - {position}
        if any(tok in index.items[p].heads for p in owners) and not any(
            said & index.items[p].tokens for p in owners
        ):
            return True
    return False


def _section_of(index: MatchIndex, token: str) -> str | None:
    """The one section every item using the token is in, or None (cached on the index)."""
    key = "\x00one-section:" + token
    if key in index.lookup_cache:
        return index.lookup_cache[key]  # type: ignore[return-value]
    categories = {index.items[p].category for p in _items_using(index, token)}
    section = next(iter(categories)) if len(categories) == 1 else None
    if len(index.lookup_cache) < _LOOKUP_CACHE_LIMIT:
        index.lookup_cache[key] = section  # type: ignore[assignment]
    return section


def _names_the_item(index: MatchIndex, position: int, token: str) -> bool:
    """Is the token one of the item's head phrases (its head noun, or a word only its name has: "feta" in
    Greek Feta, "rye" in Dark Rye Bread)? A word many items use is no word only one name has."""
    if token in index.items[position].heads:
        return True
    posting = index.postings[token][0]
    return len(posting) <= 4 and any(
        index.phrase_field[p] == "head" and int(index.phrase_item[p]) == position for p in posting.tolist()
    )


def _own_word(index: MatchIndex, position: int, token: str) -> bool:
    """Is the token a name word only this item uses and no English word — a trade, brand or model word
    ("gimbal" in Phone Gimbal Stabiliser, a head phrase of its own: engine.catalog.index._own_words)? Its
    plural names the item as the head noun's would ("gimbals"), where an English qualifier's names the thing
    itself ("puppies" for sale, "AA batteries")."""
    if is_english(token):
        return False
    ids = index.postings[token][0]
    return any(
        index.phrase_field[p] == "head" and int(index.phrase_item[p]) == position for p in ids.tolist()
    )


def _describes_other_kind(
    text: str,
    qtokens: list[_QueryToken],
    per_position: list[list[tuple[str, float]]],
    found: list[int],
    heads: frozenset[str],
    elsewhere: MatchIndex | None,
) -> bool:
    """Is the item's head noun reached only through a past participle ("engraved" for Tag Engraving) right
    before, in one noun phrase, a head noun of the shop's other kind ("engraved tag": the Engraved Pet ID
    Tag)? The participle describes that thing, which the message asks for, not the work done on it."""
    if elsewhere is None:
        return False
    for i in found:
        word = qtokens[i].text
        if not word.endswith("ed") or i + 1 == len(qtokens):
            continue
        if not _compound(text, qtokens[i], qtokens[i + 1]):
            continue
        if stem(word) in heads or not any(tok in heads for tok, _ in per_position[i]):
            continue
        following = {stem(qtokens[i + 1].text)} | {tok for tok, _ in per_position[i + 1]}
        if any(
            any(tok in elsewhere.items[p].heads for p in _items_using(elsewhere, tok)) for tok in following
        ):
            return True
    return False


# Two or more of an item's words that no other item has together ("free food" for the Grain-Free Dog Food):
# the customer named that item, however much of its name they left out.
PAIR_CONFIDENCE = 0.6


def _items_using(index: MatchIndex, token: str) -> frozenset[int]:
    """The positions of the items any of whose phrases has the token (cached on the index)."""
    key = "\x00items:" + token
    owners = index.lookup_cache.get(key)
    if owners is None:
        posting = index.postings.get(token)
        owners = frozenset(index.phrase_item[posting[0]].tolist()) if posting is not None else frozenset()
        if len(index.lookup_cache) < _LOOKUP_CACHE_LIMIT:
            index.lookup_cache[key] = owners
    return owners  # type: ignore[no-any-return]


def _name_words(index: MatchIndex, position: int) -> frozenset[str]:
    """The tokens of the item's name (not its aliases or category), as the index stems them; cached."""
    key = "\x00name:" + str(position)
    words = index.lookup_cache.get(key)
    if words is None:
        words = frozenset(stems(index.items[position].name))
        if len(index.lookup_cache) < _LOOKUP_CACHE_LIMIT:
            index.lookup_cache[key] = words
    return words  # type: ignore[no-any-return]


def _in_name(
    index: MatchIndex, position: int, content: list[int], per_position: list[list[tuple[str, float]]]
) -> float:
    """The share of the item's words the message used that are in its name, not only in an alias or its
    category."""
    tokens = index.items[position].tokens
    used = {tok for i in content for tok, _ in per_position[i] if tok in tokens}
    return len(used & _name_words(index, position)) / (len(used) or 1)


def _specification(token: str) -> bool:
    """A number with its unit run together ("10000mah", "20w", "128gb"): a measure, not a count or a model."""
    return len(token) >= 3 and has_digit(token) and not token.isdigit() and token[0].isdigit()


def _tokens_had(
    index: MatchIndex, position: int, content: list[int], per_position: list[list[tuple[str, float]]]
) -> int:
    """How many distinct catalogue words read into the message's content words the item has."""
    tokens = index.items[position].tokens
    return len({tok for i in content for tok, _ in per_position[i] if tok in tokens})


def _names_only_this_item(
    index: MatchIndex,
    position: int,
    qtokens: list[_QueryToken],
    per_position: list[list[tuple[str, float]]],
    content: list[int],
    elsewhere: MatchIndex | None,
) -> bool:
    """Does the message name this item by two or more of its words that no other item of the shop has
    together, and nothing else (no word the catalogue does not know)? "free food" names the Grain-Free
    Dog Food; "dog food" names no one item of a shop with a puppy food too; "nail drill" is not this."""
    tokens = index.items[position].tokens
    words = {tok for i in content for tok, _ in per_position[i] if tok in tokens and not _function_word(tok)}
    # A plain qualifier ("warm", "black") counts beside a word that is not one: "led warm" is the LED Bulb
    # Warm White, where "warm black" names nothing.
    # One specification only this item has ("10000mah", "20w") names it as two such words would.
    spec = len(words) == 1 and _specification(next(iter(words)))
    if (len(words) < 2 and not spec) or words <= _NEUTRAL_MODIFIERS:
        return False
    if any(_open_word(q, hits) for q, hits in zip(qtokens, per_position, strict=True)):
        return False
    others = frozenset.intersection(*(_items_using(index, tok) for tok in words)) - {position}
    if others:
        return False
    return elsewhere is None or not frozenset.intersection(*(_items_using(elsewhere, tok) for tok in words))


def _rank(
    index: MatchIndex,
    text: str,
    *,
    limit: int,
    min_confidence: float,
    include_inactive: bool,
    semantic: SemanticScorer | None,
    elsewhere: MatchIndex | None = None,
) -> list[CatalogMatch]:
    qtokens = query_tokens(text)
    scores: dict[int, tuple[float, int, float]] = {}  # item -> (confidence, phrase id or -1, query coverage)
    content_of: dict[int, list[int]] = {}  # item -> the query positions of its content words
    mentions: dict[int, tuple[int, int]] = {}

    # A SKU or code typed as is ("STR-RUN-TP2", "str run tp2") wins outright.
    for chunk in _CODE.finditer(text):
        word = chunk.group()
        position = index.keys.get(compact(word))
        if position is not None and (has_digit(word) or "-" in word):
            scores[position] = (1.0, -1, 1.0)
            mentions[position] = chunk.span()
    for size in (2, 3):
        for i in range(len(qtokens) - size + 1):
            window = qtokens[i : i + size]
            joined = "".join(q.text for q in window)
            position = index.keys.get(joined)
            if position is not None and position not in scores and has_digit(joined):
                scores[position] = (1.0, -1, 1.0)
                mentions[position] = (window[0].start, window[-1].end)

    qtokens, per_position = _analyse(index, qtokens)
    vocab_sim: dict[str, float] = {}
    for hits in per_position:
        for tok, sim in hits:
            if sim > vocab_sim.get(tok, 0.0):
                vocab_sim[tok] = sim

    if vocab_sim:
        id_parts = []
        weight_parts = []
        for tok, sim in vocab_sim.items():
            ids, ws = index.postings[tok]
            id_parts.append(ids)
            weight_parts.append(ws * sim)
        ids = np.concatenate(id_parts)
        coverage = np.bincount(ids, weights=np.concatenate(weight_parts), minlength=len(index.phrase_field))
        # The best phrases among those touched, without sorting or deduplicating the whole posting union
        # (np.unique over thousands of ids costs more than the rest of the match).
        touched_cov = coverage[ids]
        keep = CANDIDATES * 8
        if len(ids) > keep:
            ids = ids[np.argpartition(-touched_cov, keep)[:keep]]
        # Best phrase per item, vectorised over the few hundred candidates. On equal coverage the phrase
        # bonus (a hair per token, a hair less for being the name) prefers the longer phrase, then the name.
        candidates = np.unique(ids)
        cov = np.minimum(coverage[candidates], 1.0)
        rank = cov + index.phrase_bonus[candidates]
        owners = index.phrase_item[candidates]
        order = np.lexsort((-rank, owners))
        owners = owners[order]
        first = np.ones(len(owners), dtype=bool)
        first[1:] = owners[1:] != owners[:-1]
        best_pids, best_cov, best_items = candidates[order][first], cov[order][first], owners[first]
        top = np.argsort(-rank[order][first], kind="stable")[:CANDIDATES]
        ranked = list(
            zip(
                best_items[top].tolist(),
                zip(best_cov[top].tolist(), best_pids[top].tolist(), strict=True),
                strict=True,
            )
        )

        # Query coverage: of the catalogue words near this item's words (QUERY_WINDOW positions either side
        # of each), how much does the item account for? Near, not in the whole message: "cloudstep 90 wide"
        # must cost the plain Cloudstep 90 something, "the cloudstep junior or the pebble" must not cost the
        # Cloudstep Junior for the Pebble named further on.
        # A stopword ("for", "on") counts for an item whose phrase has it, never against another one; a word
        # after "for (my)" says who the thing is for ("a collar for my puppy"), so it counts for an item
        # only beside another word of it.
        active = [
            (i, hits, max(index.weights.get(tok, 0.0) for tok, _ in hits))
            for i, hits in enumerate(per_position)
            if hits
        ]
        stop_only = {i for i, hits, _ in active if all(_function_word(tok) for tok, _ in hits)}
        # A word of one or two letters read as a shop word ("wide eg": leg) is a content word all the same.
        bent = {i for i, hits, _ in active if i not in stop_only and len(qtokens[i].text) <= 2}
        purpose = _purpose_positions(qtokens)
        exact = {tok for tok, sim in vocab_sim.items() if sim >= 1.0}
        for position, (cov, pid) in ranked:
            item_tokens = index.items[position].tokens
            category = index.category_phrase.get(position)
            # "running shoes" where running is the item's category: a kind of thing, answered by the category
            # (a listing), not by the one item whose name ends in "shoe" — when the category word qualifies
            # the head noun; in "nail varnish remover" the nail qualifies the varnish, not the remover.
            if (
                index.phrase_field[pid] == "head"
                and category is not None
                and _names_category(index.phrase_tokens[category], exact)
                and _qualifies(per_position, index.phrase_tokens[category][-1], index.phrase_tokens[pid][0])
            ):
                pid, cov = category, min(float(coverage[category]), 1.0)
            matched: list[tuple[int, float, float]] = []  # (position, weight, similarity)
            for i, hits, weight in active:
                sim = 0.0
                for tok, s in hits:
                    if s > sim and tok in item_tokens:
                        sim = s
                matched.append((i, weight, sim))
            matched = [(i, w, sim) for i, w, sim in matched if sim or i not in stop_only]
            found = [i for i, _, sim in matched if sim]
            if not found:
                continue
            if all(i in purpose for i in found):
                cov *= MODIFIER_PENALTY
            first, last = found[0], found[-1]
            window = [(w, sim) for i, w, sim in matched if any(abs(i - f) <= QUERY_WINDOW for f in found)]
            total_weight = sum(w for w, _ in window) or 1.0
            qcov = sum(w * sim for w, sim in window) / total_weight
            confidence = cov * (1.0 - QUERY_COVERAGE_WEIGHT + QUERY_COVERAGE_WEIGHT * qcov)
            content = [i for i in found if i not in stop_only and not _function_word(qtokens[i].text)]
            content += [i for i in found if i in bent]
            if not content:
                content = found
            if _done_on_unknown_thing(index, text, qtokens, per_position, content, elsewhere):
                # A service named in full is surer than a head noun: it takes the penalty on the head noun's
                # confidence, so it falls under MATCH_THRESHOLD as a qualified head noun does.
                confidence = min(confidence, FIELD_FACTOR["head"]) * MODIFIER_PENALTY
            elif (
                len(content) == 1 and _unknown_modifier(qtokens, per_position, content[0], elsewhere)
            ) or _names_other_thing(
                index,
                position,
                index.phrase_field[pid] == "category",
                text,
                qtokens,
                per_position,
                content,
                purpose,
                elsewhere,
            ):
                confidence *= MODIFIER_PENALTY
            elif (
                confidence < PAIR_CONFIDENCE * qcov
                and all(sim for _, sim in window)
                and _names_only_this_item(index, position, qtokens, per_position, content, elsewhere)
            ):
                confidence = PAIR_CONFIDENCE * qcov
            if confidence > scores.get(position, (0.0, -1, 0.0))[0]:
                scores[position] = (confidence, pid, qcov)
                mentions[position] = (qtokens[first].start, qtokens[last].end)
                content_of[position] = content

    if semantic is not None:
        by_id = {item.id: pos for pos, item in enumerate(index.items)}
        for item_id, similarity in semantic(text, index.kind, max(limit, 10)):
            position = by_id.get(item_id)
            if position is None:
                continue
            similarity = min(1.0, max(0.0, float(similarity)))
            current, pid, qcov = scores.get(position, (0.0, -2, 0.0))
            raised = current + (1.0 - current) * SEMANTIC_WEIGHT * similarity
            scores[position] = (raised, pid, qcov)

    # Rank on plain tuples (as _order, plus query coverage) and build dataclasses for the winners only.
    # On equal confidence, the item that accounts for more of the message's words comes first: "cat tree"
    # answered by the "cat" category puts the Sisal Cat Tree before the Scratching Post. Then the item whose
    # name has the words: "cat litter" is the Clumping Cat Litter, not the Litter Tray of the "cat" section.
    # Query coverage looks only near the item's words; the count of message words the item has looks at the
    # whole message: "need a charger for my car" is the Car Charger, not the Watch Charger that ties with it.
    # Then the item with more of the catalogue words read into the message: "aceite de oliva", read as "olive
    # oil" on every word, is the Olive Oil (both words), not the Olives (one).
    keyed: list[tuple[tuple[float, bool, float, int, int, float, int, bool, int], int]] = []
    tied = Counter(round(min(1.0, confidence), 4) for confidence, _, _ in scores.values())
    for position, (confidence, pid, qcov) in scores.items():
        item = index.items[position]
        if confidence < min_confidence or (not item.active and not include_inactive):
            continue
        span = mentions.get(position)
        field_name = index.phrase_field[pid] if pid >= 0 else ""
        key = (
            -round(min(1.0, confidence), 4),
            field_name == "category",
            -round(qcov, 3),
            -len(set(content_of.get(position, []))),
            -_tokens_had(index, position, content_of.get(position, []), per_position)
            if tied[round(min(1.0, confidence), 4)] > 1
            else 0,
            -_in_name(index, position, content_of.get(position, []), per_position)
            if tied[round(min(1.0, confidence), 4)] > 1
            else 0.0,
            span[0] if span else 1 << 30,
            not item.available,
            len(item.name),
        )
        keyed.append((key, position))
    keyed.sort()
    results: list[CatalogMatch] = []
    for _, position in keyed[:limit]:
        confidence, pid, _ = scores[position]
        item = index.items[position]
        if pid >= 0:
            field_name, phrase = index.phrase_field[pid], index.phrase_text[pid]
        elif pid == -1:
            field_name, phrase = "sku", item.key
        else:
            field_name, phrase = "semantic", item.name
        span = mentions.get(position)
        results.append(
            CatalogMatch(
                kind=index.kind,
                id=item.id,
                key=item.key,
                name=item.name,
                confidence=round(min(1.0, confidence), 4),
                matched_field=field_name,
                matched_text=phrase,
                mention=text[span[0] : span[1]] if span else "",
                mention_start=span[0] if span else -1,
                available=item.available,
                active=item.active,
                price=item.price,
                category=item.category,
            )
        )
    return results


def _order(m: CatalogMatch) -> tuple[float, bool, int, bool, int]:
    """Best first; on a tie, the item the customer named first, then one they can actually buy."""
    start = m.mention_start if m.mention_start >= 0 else 1 << 30
    return (-m.confidence, m.matched_field == "category", start, not m.available, len(m.name))


def match_in_index(
    index: MatchIndex,
    text: str,
    limit: int = 5,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    include_inactive: bool = False,
    semantic: SemanticScorer | None = None,
    elsewhere: MatchIndex | None = None,
) -> list[CatalogMatch]:
    """Rank an already-built index against `text` (benchmarks and tests use it without a database).

    `elsewhere` is the shop's index of the other kind, when at hand: a word is only a brand word if the
    whole shop uses it sparingly (see _distinctive)."""
    if not text or not text.strip() or limit <= 0:
        return []
    return _rank(
        index,
        text[:2000],
        limit=limit,
        min_confidence=min_confidence,
        include_inactive=include_inactive,
        semantic=semantic,
        elsewhere=elsewhere,
    )


def _check(session: Session, tenant_id: int) -> None:
    TenantScope(session, tenant_id)  # validates the tenant id the same way every service does


def match_product(
    session: Session,
    tenant_id: int,
    text: str,
    limit: int = 5,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    include_inactive: bool = False,
    semantic: SemanticScorer | None = None,
) -> list[CatalogMatch]:
    """The tenant's products named (perhaps badly) in `text`, best first, each with a confidence in [0, 1].

    Inactive products are left out unless asked for; out-of-stock ones stay in, flagged `available=False`,
    because "it's sold out, here is an alternative" is a better answer than "we don't have that".
    """
    _check(session, tenant_id)
    index = get_index(session, tenant_id, "product")
    return match_in_index(
        index,
        text,
        limit,
        min_confidence=min_confidence,
        include_inactive=include_inactive,
        semantic=semantic,
    )


def match_service(
    session: Session,
    tenant_id: int,
    text: str,
    limit: int = 5,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    include_inactive: bool = False,
    semantic: SemanticScorer | None = None,
) -> list[CatalogMatch]:
    """The tenant's services named in `text`, best first (see match_product).

    A shop has few services, so a word can look rare among them ("paint" in Paint Colour Matching) while
    many products use it: the product index (already built for the same message) says how rare it is."""
    _check(session, tenant_id)
    index = get_index(session, tenant_id, "service")
    return match_in_index(
        index,
        text,
        limit,
        min_confidence=min_confidence,
        include_inactive=include_inactive,
        semantic=semantic,
        elsewhere=get_index(session, tenant_id, "product"),
    )


def match_catalog(
    session: Session,
    tenant_id: int,
    text: str,
    limit: int = 5,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    semantic: SemanticScorer | None = None,
) -> list[CatalogMatch]:
    """Products and services together, best first: what the agent's context builder asks for."""
    found = match_product(
        session, tenant_id, text, limit, min_confidence=min_confidence, semantic=semantic
    ) + match_service(session, tenant_id, text, limit, min_confidence=min_confidence, semantic=semantic)
    found.sort(key=_order)
    return found[:limit]
