"""The shipped word lists: common English words, a larger English dictionary, chat shorthand, other
languages' everyday words, and names of one thing (synonyms).

Plain text files in engine/catalog/data (one word a line, '#' comments), loaded once per process. The
English list is what the spelling corrector treats as already right; the other-language list keeps "tienen
zapatillas" from being "corrected" into English; shorthand ("u", "pls", "thx") is left alone on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

from engine.catalog.text import fold, stem, stems


def _read(name: str) -> frozenset[str]:
    text = resources.files("engine.catalog").joinpath("data", name).read_text(encoding="utf-8")
    words: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        for word in line.split():
            words.add(fold(word))
    return frozenset(words)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Common English words and chat shorthand (folded): never corrected, never bent into catalogue words."""
    return _read("common_words.txt") | _read("chat_words.txt")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Some 21,000 English words (and the common ones): real words, so a customer's "stain" or "flap" is taken
    as meant rather than "corrected" into a shop's "stair" or an English "flat"."""
    return _read("english_words.txt") | common_words()


def is_english(word: str) -> bool:
    """Is the folded word English as written, or the plural of an English word ("plates")? Not by the other
    inflection rules the spelling corrector uses: "hamer" is a typo of hammer, not ham + -er."""
    words = english_words()
    return word in words or stem(word) in words


@lru_cache(maxsize=1)
def foreign_words() -> frozenset[str]:
    """Everyday Spanish, Portuguese, French, Italian and German words: a sign the message is not English."""
    return _read("foreign_words.txt")


@lru_cache(maxsize=1)
def common_misspellings() -> dict[str, str]:
    """Frequent English misspellings ('teh' -> 'the'): unambiguous, so corrected without a search."""
    text = resources.files("engine.catalog").joinpath("data", "misspellings.txt").read_text(encoding="utf-8")
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2 and parts[0] != parts[1]:
            pairs[fold(parts[0])] = fold(parts[1])
    return pairs


Term = tuple[str, ...]  # a name's stems: "Flip Flops" -> ("flip", "flop")


@lru_cache(maxsize=1)
def synonyms() -> dict[Term, tuple[Term, ...]]:
    """Each name of a thing (stemmed) -> the other names of it: British and American English ("trainers",
    "sneakers"), everyday and trade names ("rucksack", "backpack") and the Spanish and Portuguese words
    customers mix in ("cinto", "belt"). A term in several groups gets all of their other names; a term of
    several words is also looked up written as one word ("frypan")."""
    text = resources.files("engine.catalog").joinpath("data", "synonyms.txt").read_text(encoding="utf-8")
    table: dict[Term, list[Term]] = {}
    for line in text.splitlines():
        written = [t for t in line.split("#", 1)[0].split(",") if t.strip()]
        terms = list(dict.fromkeys(tuple(stems(t)) for t in written))
        for term in terms:
            table.setdefault(term, []).extend(t for t in terms if t != term)
        # A term of several words written as one ("frypan", "ovenmitts") is each name of the group.
        for t in written:
            joined = (stem("".join(fold(t).replace("-", " ").split())),)
            if len(stems(t)) > 1 and joined[0].isalpha() and joined not in terms:
                table.setdefault(joined, []).extend(terms)
    return {term: tuple(dict.fromkeys(others)) for term, others in table.items()}


@lru_cache(maxsize=1)
def synonym_starts() -> frozenset[str]:
    """The first words of the synonym list's terms: a message word that is none of them starts no term."""
    return frozenset(term[0] for term in synonyms())


@lru_cache(maxsize=1)
def synonym_words() -> frozenset[str]:
    """Every word of the synonym list, as written (folded): real words, not typos to correct."""
    text = resources.files("engine.catalog").joinpath("data", "synonyms.txt").read_text(encoding="utf-8")
    return frozenset(
        w for line in text.splitlines() for w in fold(line.split("#", 1)[0]).replace(",", " ").split()
    )


@lru_cache(maxsize=1)
def synonym_words_by_length() -> dict[int, list[str]]:
    """The synonym list's one-word terms of five letters or more as written (folded, letters only), by
    length: what a typo of an other name ("rucksak", "trakies") is compared with."""
    out: dict[int, list[str]] = {}
    for word in sorted(w for w in synonym_words() if w.isalpha() and len(w) >= 5):
        out.setdefault(len(word), []).append(word)
    return out


@lru_cache(maxsize=1 << 16)
def near_synonym_word(word: str) -> str | None:
    """The synonym list's word of five letters or more `word` is a typo of (one edit up to seven letters, two
    above, the first letter kept), when exactly one is that close; else None. Shorter words and wider
    budgets reach other languages' words and suffixed words ("guina" is not guia, "scentid" not scent)."""
    budget = 1 if len(word) <= 7 else 2
    found: set[str] = set()
    by_length = synonym_words_by_length()
    for length in range(len(word) - budget, len(word) + budget + 1):
        for choice, _, _ in process.extract(
            word, by_length.get(length, []), scorer=OSA.distance, score_cutoff=budget, limit=3
        ):
            if choice != word and choice[0] == word[0]:
                found.add(choice)
    return found.pop() if len({stem(w) for w in found}) == 1 else None


_IRREGULAR_PASTS = {
    "break": ("broke", "broken"),
    "tear": ("tore", "torn"),
    "wear": ("wore", "worn"),
    "lose": ("lost",),
    "bite": ("bit", "bitten"),
    "sting": ("stung",),
    "burn": ("burnt",),
    "freeze": ("froze", "frozen"),
    "fall": ("fell", "fallen"),
    "split": ("split",),
    "cut": ("cut",),
    "stick": ("stuck",),
    "shrink": ("shrank", "shrunk"),
    "run": ("ran",),
    "leak": ("leaked", "leaky"),
    "swell": ("swollen",),
    "sleep": ("slept",),
    "feel": ("felt",),
}


def word_forms(base: str) -> set[str]:
    """The forms a customer writes a cue word in: plurals and third persons, -ed, -ing, a doubled last
    consonant ("stopping"), -y to -ied, and a few irregular pasts ("broken", "torn", "stung")."""
    forms = {base, base + "s", base + "ed", base + "ing"}
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(base + "es")
    if base.endswith("e"):
        forms.update({base + "d", base[:-1] + "ing"})
    if len(base) >= 3 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms.update({base + base[-1] + "ing", base + base[-1] + "ed"})  # stop -> stopping, stopped
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms.update({base[:-1] + "ies", base[:-1] + "ied"})
    forms.update(_IRREGULAR_PASTS.get(base, ()))
    return forms


Cue = tuple[str, ...]  # a use's words as written in uses.txt (folded base forms): ("drain", "pasta")


@dataclass(frozen=True)
class Uses:
    """uses.txt read: each cue (by its first word) with the stemmed names of the thing it calls for, and every
    form of every cue word -> that word."""

    by_first: dict[str, tuple[tuple[Cue, tuple[Term, ...]], ...]]
    forms: dict[str, str]


def parse_uses(text: str) -> Uses:
    """`cue words : thing name, thing name` lines ('#' comments) as a Uses table; a cue on several lines gets
    every line's names, in order."""
    table: dict[Cue, list[Term]] = {}
    for line in text.splitlines():
        cue_text, sep, names_text = line.split("#", 1)[0].partition(":")
        cue = tuple(stem(word) for word in fold(cue_text).split())
        names = [tuple(stems(n)) for n in names_text.split(",") if stems(n)]
        if sep and cue and names:
            table.setdefault(cue, []).extend(n for n in names if n not in table.get(cue, []))
    by_first: dict[str, list[tuple[Cue, tuple[Term, ...]]]] = {}
    forms: dict[str, str] = {}
    for cue, names in table.items():
        by_first.setdefault(cue[0], []).append((cue, tuple(names)))
        forms.update((word, word) for word in cue)  # a cue word is itself: "card" is not car + d
    for cue in table:
        for word in cue:
            for form in word_forms(word):
                forms.setdefault(form, word)
    return Uses({k: tuple(v) for k, v in by_first.items()}, forms)


@lru_cache(maxsize=1)
def uses() -> Uses:
    """What customers say they want to do, or the trouble they have, and the names of the thing that does it
    (engine/catalog/data/uses.txt): "something to drain the pasta" is a colander, "my gears keep slipping"
    a gear service — the sentences no word of the thing's name is in."""
    return parse_uses(
        resources.files("engine.catalog").joinpath("data", "uses.txt").read_text(encoding="utf-8")
    )
