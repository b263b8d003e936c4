"""Reading a customer's words as the catalogue's: the first phase of matching (engine/catalog/matcher.py).

Every query word is looked up in the index vocabulary: exactly (after folding and plural stemming), else by
Damerau-style edit distance, also joining two adjacent words and splitting one; by sound; as an
abbreviation, a word family, a typo'd plural or a chat plural; a real English word only when a neighbouring
word confirms the typo; a name the catalogue does not use as another name of the same thing (synonyms.txt).
The result is, per position of the message, the catalogue words it may stand for with a similarity each
(`analyse`): what the qualifier rules (engine/catalog/qualifiers.py) and the ranking read.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from itertools import islice, pairwise, takewhile
from typing import TypeVar

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from engine.catalog.index import MatchIndex
from engine.catalog.text import (
    NEAR_KEYS,
    STOPWORDS,
    VOWELS,
    dropped_letters,
    fold,
    has_digit,
    singular_forms,
    stem,
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
    uses,
)

T = TypeVar("T")
LOOKUP_CACHE_LIMIT = 20_000
_WORD_SPAN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ALNUM = re.compile(r"[a-z0-9]+")
_DECIMAL = re.compile(r"\d+[.,]\d+")
_SIZE_WORDS_TEXT = "size sizes sz uk eu us talla tallas numero taille pointure grosse groesse tamanho taglia"
SIZE_WORDS = frozenset(_SIZE_WORDS_TEXT.split())
ALIAS_ONLY_PENALTY = 0.03
FUZZY_KEEP_MARGIN = 0.06
_NEUTRAL_MODIFIERS_TEXT = """
    new big small large little cheap cheaper cheapest good nice best better another other spare extra
    replacement same different similar cute warm soft light heavy strong long short tall wide narrow
    black white red blue green grey gray brown pink purple yellow orange navy beige cream gold silver
    kids kid childrens mens womens ladies adult adults baby junior senior
    whole half dozen couple pair few fresh freshly hot cold mild spicy sweet plain ripe sliced unsliced
    homemade organic frozen next last first
    spanish french italian greek english british irish scottish welsh german dutch portuguese swiss belgian
    american mexican japanese chinese indian thai turkish local imported"""
# Units of measure spelt out ("a 9 litre watering can", "the 1.7 litre kettle") say which size, never which
# other thing; after a number they are the catalogue's short form when it has it ("9l" in "Watering Can 9L").
MEASURE_UNITS = {
    **dict.fromkeys(("litre", "litres", "liter", "liters", "ltr", "lt", "litro", "litros"), "l"),
    **dict.fromkeys(("millilitre", "millilitres", "milliliter", "milliliters", "mls"), "ml"),
    **dict.fromkeys(("kilo", "kilos", "kilogram", "kilograms", "kgs", "quilo", "quilos"), "kg"),
    **dict.fromkeys(("gram", "grams", "gramme", "grammes", "gramos", "gramas", "grs"), "g"),
    **dict.fromkeys(("metre", "metres", "meter", "meters", "metro", "metros"), "m"),
    **dict.fromkeys(("centimetre", "centimetres", "centimeter", "centimeters", "cms"), "cm"),
    **dict.fromkeys(("millimetre", "millimetres", "millimeter", "millimeters"), "mm"),
    **dict.fromkeys(("inch", "inches", "pulgadas", "polegadas"), "in"),
    **dict.fromkeys(("ounce", "ounces"), "oz"),
    **dict.fromkeys(("watt", "watts"), "w"),
    **dict.fromkeys(("volt", "volts"), "v"),
}
NEUTRAL_MODIFIERS = frozenset(_NEUTRAL_MODIFIERS_TEXT.split()) | frozenset(MEASURE_UNITS)
PHONETIC_SIMILARITY = 0.8  # a sound-alike spelling ("kaserole"): as sure as a two-edit typo of a long word


def cached(index: MatchIndex, key: str, compute: Callable[[], T], *, always: bool = False) -> T:
    """The value kept under `key` on the index (per-index look-ups: a word's typo readings, the items using a
    token), computed on first use; kept while the cache has room, or `always` (a few index-wide tables).
    Every such value follows from the index alone, so keeping it or not never changes an answer."""
    cache = index.lookup_cache
    if key in cache:
        return cache[key]  # type: ignore[no-any-return]
    value = compute()
    if always or len(cache) < LOOKUP_CACHE_LIMIT:
        cache[key] = value
    return value


def per_word(prefix: str) -> Callable[[Callable[[MatchIndex, str], T]], Callable[[MatchIndex, str], T]]:
    """Keep a function's answer for (index, word) on the index (see `cached`), under prefix + word."""

    def wrap(fn: Callable[[MatchIndex, str], T]) -> Callable[[MatchIndex, str], T]:
        @wraps(fn)
        def kept(index: MatchIndex, word: str) -> T:
            return cached(index, prefix + word, lambda: fn(index, word))

        return kept

    return wrap


@dataclass(frozen=True)
class QueryToken:
    text: str  # folded
    start: int
    end: int


def query_tokens(text: str) -> list[QueryToken]:
    """Folded alphanumeric tokens with their character span in the original text, sizes left out.

    "size 10", "talla 42", "UK 9" and "8.5" are sizes, not model numbers: left in, "voyager 1 in size 10"
    would match the Voyager 10 as well as the Voyager 1.
    """
    decimals = [m.span() for m in _DECIMAL.finditer(text)]
    out: list[QueryToken] = []
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
            out.append(QueryToken(part, start, end))
    return out


@per_word("")
def _fuzzy(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """Vocabulary tokens within the edit budget of `token`, as (token, similarity); cached per index.

    rapidfuzz finds everything within the budget fast; a weighted typo cost then ranks those (a swapped or
    doubled letter or a neighbouring key is likelier than any edit), and name words beat alias-only words,
    which are often misspellings themselves.
    """
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
        # One shop word alone within a swap or a slipped key of a word of four letters or more: as sure as a
        # spelling the customer would confirm ("hsoe" is the hose).
        if len(found) == 1 and n >= 4 and typo_cost(token, found[0][0]) <= SURE_TYPO_COST:
            found = [(found[0][0], max(found[0][1], SURE_TYPO_SIMILARITY))]
    return found


_PHONETIC_RULES = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"tch"), "ch"),  # kitchen / kichen, fokatcha
    (re.compile(r"^ci(?=[aou])|cci(?=[aou])"), "ch"),  # Italian: ciabatta / chabatta, focaccia / focacha
    (re.compile(r"ch(?=e$)"), "sh"),  # French: quiche / keesh, brioche / brioshe
    (re.compile(r"(?:sh|[cst])i(?=[aou])"), "sh"),  # facial / fashial, lotion / loshun
    (re.compile(r"igh"), "i"),  # a silent gh: light / lite, night / nite
    (re.compile(r"(?<=[aeiou])s?sure"), "shur"),  # pressure / presher, measure / measher
    (re.compile(r"dge|dj"), "j"),  # midge / midje, fudge / fuj
    (re.compile(r"g(?=es?$)"), "j"),  # a soft g at the end: sausages / sosejes, sponge / sponj
    (re.compile(r"ew"), "u"),  # flew / flu, stew / stu
    (re.compile(r"x"), "ks"),  # extension / ekstenshun, wax / waks
    (re.compile(r"(?<=[aeiou]n)g$"), ""),  # a dropped g: whistling / whistlin, oscillating / osilatin
    (re.compile(r"ck|q|c(?=[aoulrst])|c$"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"z"), "s"),
    (re.compile(r"(?<=[aeiouy])r(?=e?$|[^aeiouy])"), ""),  # a silent r: jumpa, slipas, flatwear / flatware
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"(?<=.)[aeiouy]+"), ""),
)
_PHONETIC_KEY = "\x00phonetic"


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """A sound-alike key: "kaserole" and "casserole" → "ksrl", "colinder" and "colander" → "klndr", "fashial"
    and "facial" → "fshl".

    The first letter's vowel stays (so "apron" is not "prn"); later vowels, doubled letters, the c/k/s,
    ph/f spellings of one sound and an r after a vowel go (many speakers do not sound it: "jumpa" for
    jumper, "slipas" for slippers); the loan words of food spelled as heard read as they sound (Italian
    "cci", French "-che"). Used only when the edit-distance lookup found nothing."""
    key = word
    for pattern, repl in _PHONETIC_RULES:
        key = pattern.sub(repl, key)
    return key


def _sound_table(index: MatchIndex) -> dict[str, list[str]]:
    """The index's name words of five letters or more by phonetic key."""
    keys: dict[str, list[str]] = {}
    for word in index.name_tokens:
        if len(word) >= 5 and not has_digit(word):
            keys.setdefault(phonetic_key(word), []).append(word)
    return keys


def _phonetic(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """Vocabulary name words that sound like `token` (same phonetic key, similar length), or []."""
    keys = cached(index, _PHONETIC_KEY, lambda: _sound_table(index), always=True)
    key = phonetic_key(token)
    if len(key) < 3 or (token.endswith("in") and is_english(token + "g")):
        return []  # "lookin" is looking, not the Locking Tongs
    found = [w for w in keys.get(key, []) if abs(len(w) - len(token)) <= 3]
    if not found:
        return []
    # Of several words that sound alike, those closest in letters: "kilna" is the Kilner jar, not "clean".
    apart = {w: OSA.distance(token, w) for w in found}
    nearest = min(apart.values())
    return [(w, PHONETIC_SIMILARITY) for w in sorted(w for w in found if apart[w] == nearest)[:2]]


# Numbers customers spell out ("a two person tent", "three pack") against the catalogue's digits, and back.
# Not "one": it is mostly a pronoun ("the blue one").
_SPELT = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_NUMBER_WORDS = {word: str(n) for n, word in enumerate(_SPELT, start=2)}
_NUMBERS = {digits: word for word, digits in _NUMBER_WORDS.items()}


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
    if not found and (padded := padded_plural(index, raw)):
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
        elif len(singular) == 2 and not is_english(raw):  # "ots": oats with a letter left out
            three = [w for w in _three_letter_words(index) if w[0] == singular[0] and _drops_one(w, singular)]
            found += [(three[0], SWAP_SIMILARITY)] if len(three) == 1 else []
    return found


def padded_plural(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
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
        found = _swapped(index, token) or _abbreviation(index, raw) or _vowel_slipped(index, token)
        if not found and len(raw) >= 4 and raw not in common_words():
            found = _fuzzy(index, raw)  # a short word's plural typed wrong: "leas", "tufs" as typed
        return found
    if len(raw) < 4 or len(token) < 3:
        return []
    return _fuzzy(index, token) + _abbreviation(index, raw)


def _vowel_slipped(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """A three-letter word with no vowel, its vowel typed as the key beside it ("jsm" for jam, "cyp" for
    cup): the one shop word that makes, or nothing. A word with a vowel is left to the neighbours."""
    if _VOWEL.search(token) or not token.isalpha():
        return []
    three = set(_three_letter_words(index))
    found = {
        token[:i] + vowel + token[i + 1 :]
        for i, ch in enumerate(token)
        for vowel in NEAR_KEYS.get(ch, set()) & VOWELS
    } & three
    return [(found.pop(), SWAP_SIMILARITY)] if len(found) == 1 else []


def _three_letter_words(index: MatchIndex) -> list[str]:
    """The index's words of three letters, alphabetical (cached on the index)."""
    return cached(
        index,
        _SHORT_KEY,
        lambda: sorted(t for t in index.postings if len(t) == 3 and t.isalpha()),
        always=True,
    )


ABBREVIATION_SIMILARITY = 0.85
SURE_TYPO_COST = 0.8  # a swap (0.7) or a neighbouring key (0.8): the typos fingers make
SURE_TYPO_SIMILARITY = 0.9
_PREFIXES_KEY = "\x00prefixes"
_VOWEL = re.compile(r"[aeiouy]")


def _abbreviation(index: MatchIndex, raw: str) -> list[tuple[str, float]]:
    """The one name word `raw` is the start of, two letters or more short of it: "deo" for deodorant, "mani"
    for manicure, "vit" for vitamin. Chat shortens long words this way; a start several words share says
    nothing."""
    if not _VOWEL.search(raw):
        return []  # "str", "pkg": a code's letters, not the start of a word
    words = cached(
        index,
        _PREFIXES_KEY,
        lambda: sorted(w for w in index.name_tokens if w.isalpha() and len(w) >= 5),
        always=True,
    )
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
    index: MatchIndex, qtokens: list[QueryToken], per_position: list[list[tuple[str, float]]]
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
    for i, q in enumerate(qtokens):
        if len(q.text) >= 3 and q.text.isalpha() and q.text not in STOPWORDS:
            found[i] += _sound_alike_in_pair(index, qtokens, per_position, i)
    per_position[:] = found


def _sound_alike_in_pair(
    index: MatchIndex, qtokens: list[QueryToken], per_position: list[list[tuple[str, float]]], i: int
) -> list[tuple[str, float]]:
    """A word written for a shop word one letter away (two in words of five letters or more) that the next or
    previous word makes a pair with, in that order, in a phrase of the catalogue, when nothing the word was
    read as does: "hose real" is the Hose Reel, "pairing knife" the Paring Knife, "tee towel" the Tea Towel,
    "cloths airer" (beside Microfibre Cloths) the Clothes Airer, "wholemeal flower" the Wholemeal Flour. The
    word alone, or beside a word it is not written with, stays as written ("real leather", "a tee for
    golf")."""
    word = qtokens[i].text
    before = {t for t, sim in per_position[i - 1] if sim >= 0.9} if i > 0 else set()
    after = {t for t, sim in per_position[i + 1] if sim >= 0.9} if i + 1 < len(qtokens) else set()
    if not before and not after:
        return []
    after_word, before_word = cached(index, _PAIRS_KEY, lambda: _side_by_side(index), always=True)
    read = {t for t, _ in per_position[i]}
    if any(after_word.get(t, set()) & read for t in before) or any(
        before_word.get(t, set()) & read for t in after
    ):
        return []
    token = stem(word)
    shop_words = {b for t in before for b in after_word.get(t, ())} | {
        a for t in after for a in before_word.get(t, ())
    }
    return [
        (shop_word, BENT_PAIR_SIMILARITY)
        for shop_word in sorted(shop_words)
        if shop_word != token
        and shop_word[0] == token[0]
        and shop_word.isalpha()
        and OSA.distance(shop_word, token) <= (2 if min(len(shop_word), len(token)) >= 5 else 1)
    ]


_PAIRS_KEY = "\x00side by side"


def _side_by_side(index: MatchIndex) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The catalogue's words that come right after each word in one of its phrases, and right before."""
    after: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for toks in index.phrase_tokens:
        for a, b in pairwise(toks):
            after.setdefault(a, set()).add(b)
            before.setdefault(b, set()).add(a)
    return after, before


BENT_PAIR_SIMILARITY = 0.85


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
        and raw not in NEUTRAL_MODIFIERS
        and raw not in foreign_words()
    )


@per_word("\x00short-bends:")
def _short_bends(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """Shop words one substitution or swap from a three-letter word ("cqt", "dig", and "vop" for top: a first
    letter is mistyped less often, but one edit from three letters is a guess whichever letter it is), or
    four-letter ones it misses a letter of ("try"), keeping the first letter; four-letter ones a four-letter
    word mistypes the first letter of ("mide" for wide); three-letter ones a two-letter
    word misses a letter of ("eg" for leg, "zp" for zip); shop words of four or five letters it misses the
    first letter of ("ags" for bags, "oots" for boots); and three-letter ones a four-letter word has one
    letter too many of ("tagy", "ckey"). Too many for the word alone ("dig" may be dog or dug), so only what
    a neighbour confirms is kept (_bends_in_context)."""
    three = _three_letter_words(index)
    if len(token) not in (2, 3, 4):
        return []
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
    return [(w, SWAP_SIMILARITY) for w in near]


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
    for Dress Alterations, "assemble" for Furniture Assembly; "shelf" or "shelves" for Shelving). Not a typo
    but the same word, so common words qualify ("match" for Colour Matching); four letters or more, since
    "run" -> "running" would reach a whole category."""
    if len(raw) < 4 or raw in _LIGHT_VERBS:
        return []
    if raw.endswith("ing"):
        base = raw[:-3]
        forms = [base, base + "e"] + ([base[:-1]] if len(base) > 2 and base[-1] == base[-2] else [])
    elif raw.endswith("ed"):  # "threaded", "waxed", "shaved": the -ing form of the same verb
        forms = [raw[:-2] + "ing"]
    else:
        forms = [raw + "ing", raw + raw[-1] + "ing"] + ([raw[:-1] + "ing"] if raw.endswith("e") else [])
        forms += _nouns_of(raw)
        forms += [raw[: -len(end)] + "ving" for end in ("ves", "fe", "f") if raw.endswith(end)][
            :1
        ]  # shelving
    return [(form, DERIVED_SIMILARITY) for form in forms if form in index.name_tokens][:1]


# What a thing comes in or how much of it: "a jar of honey" asks for honey, whatever jars the shop sells.
_AMOUNTS_TEXT = """jar jars bag bags box boxes bottle bottles tin tins can cans pack packs packet packets tub
    tubs carton cartons sack sacks bunch bunches slice slices piece pieces bar bars block blocks tube tubes
    punnet punnets pot pots loaf loaves roll rolls sachet sachets"""
_AMOUNTS = frozenset(_AMOUNTS_TEXT.split())


def _amounts_of(
    index: MatchIndex, qtokens: list[QueryToken], per_position: list[list[tuple[str, float]]]
) -> None:
    """An amount before "of" and a thing the shop has ("a big jar of honey", "two bags of flour") is how
    much of the thing, not another item: its own readings go, unless a phrase of the catalogue has both
    ("a box of butlers chocolates": the Butlers Chocolate Box; "10 pack of tent pegs")."""
    for i in range(len(qtokens) - 2):
        thing = {tok for tok, _ in per_position[i + 2] if not has_digit(tok)}
        if (
            qtokens[i].text in _AMOUNTS
            and qtokens[i + 1].text == "of"
            and thing
            and not any(_share_phrase(index, tok, thing) for tok, _ in per_position[i])
        ):
            per_position[i] = []


# Verbs that say little of the work by themselves: "make a pot of tea" asks for no Hamper Making.
_LIGHT_VERBS = frozenset(
    {"make", "makes", "made", "making", "doing", "getting", "having", "taking", "giving"}
)


def _nouns_after_nouns(
    index: MatchIndex, qtokens: list[QueryToken], per_position: list[list[tuple[str, float]]]
) -> None:
    """A word after a shop word is a noun of a compound ("kitchen roll", "bread roll"), not the verb whose
    -ing form qualifies an item (the Rolling Pin): that reading goes. A verb after other words keeps it ("my
    phone wont charge": the Charging Port Repair)."""
    heads = cached(index, _HEADS_KEY, lambda: frozenset().union(*(i.heads for i in index.items)), always=True)
    for i in range(1, len(qtokens)):
        before = [tok for tok, sim in per_position[i - 1] if sim >= 1.0 and tok not in STOPWORDS]
        if before and not qtokens[i].text.endswith("ing"):
            per_position[i] = [
                (tok, sim)
                for tok, sim in per_position[i]
                if not (sim == DERIVED_SIMILARITY and tok.endswith("ing") and tok not in heads)
            ]


_HEADS_KEY = "\x00heads"


def _nouns_of(verb: str) -> list[str]:
    """The nouns English makes of a verb, which services are named by: alter -> alteration, install ->
    installation, assemble -> assembly, deliver -> delivery, adjust -> adjustment."""
    stem_e = verb[:-1] if verb.endswith("e") else verb
    forms = [stem_e + "ation", verb + "ment", verb + "y"]
    if verb.endswith("le"):
        forms.append(verb[:-1] + "y")  # assemble -> assembly
    return forms


SWAP_SIMILARITY = 0.85


@per_word("\x00short:")
def _swapped(index: MatchIndex, token: str) -> list[tuple[str, float]]:
    """A three-letter word with two neighbouring letters swapped ("bga" for bag, "tga" for tag), or a
    four-letter name word missing one letter after the first ("tre" for tree, "gte" for gate, "plg(s)" for
    plug; or an alias word that is plain English, "glu" for an alias's glue, where an alias-only word may be
    a misspelling itself): the edits short words get, since any substitution in three letters reaches too
    many words."""
    found = {token[1] + token[0] + token[2], token[0] + token[2] + token[1]} - {token}
    out = [(w, SWAP_SIMILARITY) for w in sorted(found) if w in index.name_tokens and w.isalpha()]
    if not out:
        missing = [
            w
            for w in index.fuzzy_by_length.get(4, ())
            if w[0] == token[0] and (w in index.name_tokens or is_english(w)) and _drops_one(w, token)
        ]
        out = [(w, SWAP_SIMILARITY) for w in missing] if len(missing) == 1 else []
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


def _chat_plural(index: MatchIndex, q: QueryToken) -> QueryToken:
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
    return QueryToken(plural, q.start, q.end)


def analyse(
    index: MatchIndex, qtokens: list[QueryToken], elsewhere: MatchIndex | None = None
) -> tuple[list[QueryToken], list[list[tuple[str, float]]], set[int]]:
    """Per query position, the vocabulary tokens it stands for, with similarity.

    A word split in two ("grip11" -> grip + 11) becomes two positions over the same characters, so each half
    counts on its own when the message's words are weighed against a candidate."""
    split_tokens: list[QueryToken] = []
    per_position: list[list[tuple[str, float]]] = []
    for q in qtokens:
        q = _chat_plural(index, q)
        hits = _matches_for(index, q.text)
        if not hits and len(q.text) >= (4 if has_digit(q.text) else 5):
            halves = _split(index, q.text)
            if halves:
                for tok, sim in halves:
                    split_tokens.append(QueryToken(tok, q.start, q.end))
                    per_position.append([(tok, sim)])
                continue
        split_tokens.append(q)
        per_position.append(hits)
    qtokens = split_tokens
    _amounts_of(index, qtokens, per_position)
    _nouns_after_nouns(index, qtokens, per_position)
    _bends_in_context(index, qtokens, per_position)
    _numbers(index, qtokens, per_position)
    _other_names(index, qtokens, per_position, elsewhere)
    tasks = _uses(index, qtokens, per_position)
    for i in range(len(qtokens) - 1):
        a, b = qtokens[i].text, qtokens[i + 1].text
        exact_a = any(s == 1.0 for _, s in per_position[i])
        exact_b = any(s == 1.0 for _, s in per_position[i + 1])
        joined = a + MEASURE_UNITS[b] if a.isdigit() and b in MEASURE_UNITS else stem(a + b)
        if exact_a and exact_b and joined not in index.postings:
            continue  # two known words; joined they are one only when the catalogue says so ("wd 40": wd40)
        if joined in index.postings:
            hits = [(joined, 0.97)]
        elif len(joined) >= 7 and not has_digit(joined) and not (exact_a or exact_b):
            hits = [(tok, sim * 0.97) for tok, sim in _fuzzy(index, joined)]
        else:
            hits = []
        if not hits and _parts_of_a_word(a, b):
            hits = _phonetic(index, joined)  # one word written apart as heard: "cassa roll", "tea lites"
        if not hits:
            continue
        per_position[i] = per_position[i] + hits
        per_position[i + 1] = per_position[i + 1] + hits
    for i in range(len(qtokens) - 2):  # three syllables written apart: "bal sam ick" (balsamic)
        parts = [q.text for q in qtokens[i : i + 3]]
        unread = sum(1 for hits in per_position[i : i + 3] if not any(sim >= 1.0 for _, sim in hits))
        if (
            unread >= 2
            and all(len(p) >= 2 for p in parts)
            and _parts_of_a_word(parts[0], parts[1] + parts[2])
        ):
            for j, hit in ((j, h) for h in _phonetic(index, "".join(parts)) for j in range(i, i + 3)):
                per_position[j] = per_position[j] + [hit]
    return qtokens, per_position, tasks


def _parts_of_a_word(a: str, b: str) -> bool:
    """May two words be one written apart: letters only, three or more each, neither a stopword?"""
    return min(len(a), len(b)) >= 3 and (a + b).isalpha() and not {a, b} & STOPWORDS


def _numbers(
    index: MatchIndex, qtokens: list[QueryToken], per_position: list[list[tuple[str, float]]]
) -> None:
    """A number written the other way ("two" for a name's "2", or back) where nothing else reads the word and
    it counts the next word as a catalogue phrase does ("two person tent": the 2 Person Tent). After the
    neighbours have had their say, so "festival ten" stays the tent with a letter left out."""
    for i, q in enumerate(qtokens[:-1]):
        number = _NUMBER_WORDS.get(q.text) or _NUMBERS.get(q.text)
        if not per_position[i] and number in index.postings:
            following = {tok for tok, _ in per_position[i + 1]}
            if _share_phrase(index, number, following):  # type: ignore[arg-type]
                per_position[i] = [(number, 1.0)]  # type: ignore[list-item]


def _is_number(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS or word in _NUMBERS


SYNONYM_SIMILARITY = 0.9  # another name of the thing: as sure as a compound's part, surer than most typos
SYNONYM_SPAN = 4  # words of the longest term looked up ("camisa de manga corta")
SYNONYM_TERMS = 2  # other names of a term used at most, the first the catalogue has


def _other_names(
    index: MatchIndex,
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    elsewhere: MatchIndex | None = None,
) -> None:
    """A name of a thing the catalogue does not use, read as another name of it that the catalogue does
    (engine/catalog/words.synonyms): "trainers" for the White Leather Sneakers, "rucksack" for the Roll Top
    Backpack, "cinto" for the Leather Belt. Longer terms first ("hooded sweatshirt" is a hoodie, not a
    sweatshirt). A term some one phrase of the catalogue has is the catalogue's own, and is left as it is
    ("curling iron" is not, beside a Curling Wand and a flat iron), and so is one of the shop's other kind
    (`elsewhere`: the Tempered Glass a phone shop sells is not its screen protector fitting); another name
    counts only when one phrase has all its words, so "tennis shoes" does not become every shoe."""
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
            if not others or _in_one_phrase(index, key) or (elsewhere and _in_one_phrase(elsewhere, key)):
                continue
            hits = [
                (tok, SYNONYM_SIMILARITY)
                for term in [t for t in others if _in_one_phrase(index, t)][:SYNONYM_TERMS]
                for tok in term
            ]
            # A name of several words is read as a whole ("oven gloves" is no oven); one with a number in it
            # ("two person") keeps the number's own reading beside it.
            whole = size > 1 and not any(_is_number(qtokens[j].text) for j in span)
            if hits:
                taken.update(span)
                for j in span:
                    per_position[j] = hits if whole else per_position[j] + hits
            elif whole and not any(set(key) <= item.tokens for item in index.items):
                # A thing of several words the shop has under no name, nor any item all its words ("ice
                # cream maker" at a shop with a Waffle Maker): its words name nothing the shop sells.
                taken.update(span)
                for j in span:
                    per_position[j] = []


USE_SIMILARITY = 0.85  # the thing a task or a trouble calls for: less sure than another name of it
USE_GAP = 2  # other words allowed between two words of a cue: "drain the pasta", "drain my pasta"


def _uses(
    index: MatchIndex, qtokens: list[QueryToken], per_position: list[list[tuple[str, float]]]
) -> set[int]:
    """A task or a trouble read as the thing that does it (engine/catalog/words.uses): "something to drain the
    pasta" as the shop's colander, "my gears keep slipping" as its gear service. Only a thing the shop has
    counts (`_things`), so a shop without a colander still answers "not sold". A cue of several words is
    read as a whole: the pasta drained is not the shop's Pasta Machine. Cue words one of the shop's names
    has are the shop's own words, read as they are ("puncture repair" is the Puncture Repair service, not
    the Puncture Repair Kit the cue "puncture" calls for). Returns the positions read so: a task's words
    say what is done, they are no noun phrase for the qualifier rules ("weigh sugar" is no scale of sugar)."""
    tasks: set[int] = set()
    table = uses()
    bases = [table.forms.get(q.text) or table.forms.get(stem(q.text)) for q in qtokens]
    for i, base in enumerate(bases):
        for cue, things in table.by_first.get(base, ()) if base else ():
            span = _cue_span(bases, i, cue)
            if span is None:
                continue
            found = _things(index, things)
            if not found or _items_with(index, tuple(stem(qtokens[j].text) for j in span)):
                continue
            hits = [(tok, USE_SIMILARITY) for thing in found[:SYNONYM_TERMS] for tok in thing]
            for j in span:
                per_position[j] = hits if len(span) > 1 else per_position[j] + hits
            tasks.update(span)
    return tasks


def _things(index: MatchIndex, things: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """The cue's things the shop has, in the cue's order: an item's phrase
    has all the thing's words, and the thing's last word is what the item is (one of its head nouns, or a
    word only it has: the Antacid Chewable Tablets are antacid). A Mower Service has "mower", but mowing the
    lawn does not call for it; a Lawn Mower, or a service named for the work ("engraving", "tent hire"),
    is the thing."""
    out: list[tuple[str, ...]] = []
    for thing in things:
        items = _items_with(index, thing)
        if not items:
            continue
        phrases = index.postings[thing[-1]][0].tolist()
        headed = {int(index.phrase_item[p]) for p in phrases if index.phrase_field[p] == "head"}
        if any(item in headed or thing[-1] in index.items[item].heads for item in items):
            out.append(thing)
    return out


def _items_with(index: MatchIndex, term: tuple[str, ...]) -> set[int]:
    """The items one of whose phrases has all the term's words."""
    return {int(index.phrase_item[p]) for p in _phrases_with(index, term).tolist()}


def _cue_span(bases: list[str | None], start: int, cue: tuple[str, ...]) -> list[int] | None:
    """The positions of the cue's words from `start`, in order, at most USE_GAP other words apart."""
    span = [start]
    for word in cue[1:]:
        ahead = bases[span[-1] + 1 : span[-1] + 2 + USE_GAP]
        if word not in ahead:
            return None
        span.append(span[-1] + 1 + ahead.index(word))
    return span


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
    return bool(_phrases_with(index, term).size)


def _phrases_with(index: MatchIndex, term: tuple[str, ...]) -> np.ndarray:
    """The ids of the catalogue phrases that have all the term's words."""
    if any(tok not in index.postings for tok in term):
        return np.empty(0, dtype=np.int32)
    shared = index.postings[term[0]][0]
    for tok in term[1:]:
        shared = np.intersect1d(shared, index.postings[tok][0])
    return shared
