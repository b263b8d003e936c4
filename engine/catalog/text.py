"""Text normalisation shared by the matcher and the spelling corrector.

Both sides of every comparison (the catalogue and the customer's words) go through the same folding and
plural stemming, so "Hoodies", "hoody" and "HOODIE" meet on one key and the fuzzy scores only have to absorb
real typos.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´]")

# Words that carry no product information; they still count when the catalogue itself uses them ("slip on",
# "no show socks"), but with a small weight so "is it on sale" does not half-match "Slip On".
_STOPWORDS_TEXT = """
    a an and are as at be been but by can could do does did for from get got have has had hi hello hey
    how i if im in is it its just like me my need of on or our please pls plz show so some than that the
    their them then there these they this those to u ur us want was we what when where which who will with
    would you your yours any anything all got gonna wanna much many more one ones thanks thank thx ok okay
    yes no not know tell looking look see pair pairs still also very really too"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())


# Letters Unicode does not decompose into a base letter and an accent: "łyżka" is written "lyzka" too.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase without accents or apostrophes: 'Zapatillas Niño's' -> 'zapatillas ninos', 'łyżka' ->
    'lyzka'."""
    if text.isascii():
        return _APOSTROPHES.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", stripped)


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A light English plural stemmer: enough for 'shoes', 'hoodies', 'boxes', '90s' without a dictionary.

    It must be deterministic rather than linguistically right: index and query share it, so 'hoodie' and
    'hoody' both land on 'hoody', and 'shorts' and 'short' on 'short'.
    """
    n = len(token)
    if token.isdigit():
        return token
    if n > 2 and token[-1] == "s" and token[:-1].isdigit():
        return token[:-1]  # "90s" -> "90"
    if n <= 3:
        return token
    if token.endswith("ies") and n > 4:
        return token[:-3] + "y"
    if token.endswith("ie") and n > 4:
        return token[:-2] + "y"
    if token.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return token[:-2]
    if token.endswith(("ss", "us", "is", "ous")):
        return token
    if token.endswith("s"):
        return token[:-1]
    return token


def singular_forms(word: str) -> tuple[str, ...]:
    """The singulars `stem` does not reach, for a plural in -ves: "scarves" -> scarf, "knives" -> knife,
    "shelves" -> shelf. (Not in `stem` itself, which must map "gloves" and "glove" to one key.)"""
    if len(word) < 5 or not word.endswith("ves"):
        return ()
    base = word[:-3]
    return (base + "f", base + "fe")


# Endings of adjectives and participles ("washable", "waterproof", "tinted"): words that describe a thing
# rather than name it.
ADJECTIVE_ENDINGS = ("able", "ible", "ful", "less", "ous", "ive", "proof", "ed")


def dropped_letters(word: str, target: str) -> bool:
    """Is `word` `target` with one or two letters left out ("harbor" for harbour, "rivera" for riviera)?"""
    if not 0 < len(target) - len(word) <= 2:
        return False
    letters = iter(target)
    return all(ch in letters for ch in word)


def tokens(text: str) -> list[str]:
    """Folded alphanumeric runs: 'Cloudstep-90 (UK 9.5)' -> ['cloudstep', '90', 'uk', '9', '5']."""
    return _TOKEN_RE.findall(fold(text))


def stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text)]


def compact(text: str) -> str:
    """Letters and digits only, lowercased: how SKUs and codes compare ('str-run-cs90' == 'STR RUN CS90')."""
    return "".join(tokens(text))


_DIGIT = re.compile(r"\d")


def has_digit(token: str) -> bool:
    return _DIGIT.search(token) is not None


_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
VOWELS = frozenset("aeiouy")


def _neighbours() -> dict[str, set[str]]:
    near: dict[str, set[str]] = {}
    for r, row in enumerate(_KEYBOARD_ROWS):
        for c, ch in enumerate(row):
            keys = near.setdefault(ch, set())
            for dr in (-1, 0, 1):
                rr = r + dr
                if 0 <= rr < len(_KEYBOARD_ROWS):
                    for dc in (-1, 0, 1):
                        cc = c + dc
                        if 0 <= cc < len(_KEYBOARD_ROWS[rr]) and (dr, dc) != (0, 0):
                            keys.add(_KEYBOARD_ROWS[rr][cc])
    return near


NEAR_KEYS = _neighbours()  # each letter's neighbours on a QWERTY keyboard


def typo_cost(a: str, b: str) -> float:
    """Weighted optimal-string-alignment distance: the typos people make cost less than arbitrary edits."""
    n, m = len(a), len(b)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + (0.6 if i > 1 and a[i - 1] == a[i - 2] else 1.0)
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + (0.6 if j > 1 and b[j - 1] == b[j - 2] else 1.0)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            ca, cb = a[i - 1], b[j - 1]
            if ca == cb:
                sub = 0.0
            elif cb in NEAR_KEYS.get(ca, ()) or (ca in VOWELS and cb in VOWELS):
                sub = 0.8
            else:
                sub = 1.0
            delete = 0.6 if i > 1 and ca == a[i - 2] else 1.0  # typed a letter twice
            insert = 0.6 if j > 1 and cb == b[j - 2] else 1.0  # missed a doubled letter
            best = min(d[i - 1][j] + delete, d[i][j - 1] + insert, d[i - 1][j - 1] + sub)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, d[i - 2][j - 2] + 0.7)
            d[i][j] = best
    return d[n][m]
