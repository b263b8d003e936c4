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


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase without accents or apostrophes: 'Zapatillas Niño's' -> 'zapatillas ninos'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", stripped.casefold())


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


def tokens(text: str) -> list[str]:
    """Folded alphanumeric runs: 'Cloudstep-90 (UK 9.5)' -> ['cloudstep', '90', 'uk', '9', '5']."""
    return _TOKEN_RE.findall(fold(text))


def stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text)]


def compact(text: str) -> str:
    """Letters and digits only, lowercased: how SKUs and codes compare ('str-run-cs90' == 'STR RUN CS90')."""
    return "".join(tokens(text))


def has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)
