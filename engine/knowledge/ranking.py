"""Re-ranking of knowledge hits: the general answer to a general question, and a reason in plain words.

Fusion (search.py) ranks by how well each retriever matched, and both retrievers love a specific entry:
"Delivery to Northern Ireland, the Highlands and islands" says "delivery" as loudly as the standard policy
does, so "how long does delivery take?" could be answered with the remote-areas entry. A person reading
the question knows better: an entry that is about a named place, a named product or an exception (sale
items, non-returnable things) answers only customers who named that place, product or exception. So the
fused candidates are re-scored here:

- **scope**: an entry is *scoped* when its title or keywords name something the question does not — a
  proper name rare among the candidates ("Northern Ireland", "Klarna", "Last Pairs") or an exception word
  ("sale", "international", "exceptions"). A scoped entry is pushed down when another candidate covers the
  question's matched words at least as well without such a restriction; when the customer did name its
  scope, it is pulled up instead.
- **priority**: the owner's priority (0-10 counts; higher is clipped) adds a little, enough to order two
  entries that match alike, never enough to lift an entry that matched nothing.
- **coverage**: an entry whose title or keywords hold more of the question's words says more surely what
  the question asks; a keyword *phrase* found whole in the question ("how long", "click and collect") counts
  most.
- **duplicates**: near-identical live entries (same title or almost the same text) keep only the best one.

Scores stay relative (fusion's are ~0.016 and mean nothing alone), and `reason` turns a hit's match into
the words a shop owner reads: "matched 'delivery' and 'how long'".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from engine.knowledge.types import EntryDTO

# Words that mark an entry as being about a special case rather than the general rule.
_EXCEPTION_TEXT = """
    sale sales clearance outlet exception exceptions excluded exclusions exclusion
    non-returnable nonreturnable international overseas abroad remote wholesale trade corporate bulk faulty
    defective
"""
EXCEPTION_WORDS = frozenset(_EXCEPTION_TEXT.split())
ENABLED = True  # off: fusion order with priority as tie-break (benchmarks/retrieval_quality.py "before")
W_FUSED = 1.0
W_PRIORITY = 0.1
W_PHRASE = 0.1
W_COVERAGE = 0.15
SCOPE_PENALTY = 0.45
SCOPE_NAMED_BONUS = 0.2
DUPLICATE_RATIO = 92
MAX_PRIORITY = 10
EXTRA_CANDIDATES = 6  # fused hits read beyond `limit`: the general entry may sit a few places down

_WORD = re.compile(r"[a-z0-9£€$]+(?:'[a-z]+)?")
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][a-zA-Z]+")


@dataclass(frozen=True)
class Candidate:
    """One fused hit before re-ranking: the entry, its fused score and the query words found per field."""

    entry: EntryDTO
    fused: float
    terms: dict[str, list[str]]
    semantic_rank: int | None = None


@dataclass(frozen=True)
class Ranked:
    """A re-ranked hit: its final score, and why it ranks where it does, in words."""

    entry_id: int
    score: float
    reason: str
    terms: dict[str, list[str]] = field(default_factory=dict)  # the query words found per field


def _same_any(term: str, words: set[str], long_words: list[str]) -> bool:
    """search.matched_terms' rule (same word, a plural or verb ending, or a typo within 80% similarity) with
    the typo scan in rapidfuzz's C loop: the ranking reads every candidate's words, not only the 3 shown."""
    if term in words:
        return True
    if len(term) >= 4:
        stem = term[:-1]
        if any(len(w) >= 4 and (w.startswith(stem) or term.startswith(w[:-1])) for w in words):
            return True
    return (
        len(term) >= 5
        and process.extractOne(term, long_words, scorer=fuzz.ratio, score_cutoff=80) is not None
    )


def found_terms(terms: Sequence[str], entry: EntryDTO) -> dict[str, list[str]]:
    """Which query words (typos allowed) each field of `entry` holds — search.matched_terms, faster."""
    fields = {
        "title": set(_WORD.findall(entry.title.lower())),
        "keywords": {w for k in entry.keywords for w in _WORD.findall(k.lower())},
        "content": set(_WORD.findall(entry.content.lower())),
    }
    found: dict[str, list[str]] = {}
    for name, words in fields.items():
        long_words = [w for w in words if len(w) >= 5]
        hits = [t for t in terms if _same_any(t, words, long_words)]
        if hits:
            found[name] = hits
    return found


def _words(text: str) -> list[str]:
    return [w.replace("'", "") for w in _WORD.findall(text.lower())]


def _named_words(entry: EntryDTO) -> set[str]:
    """Lower-cased words written with a capital inside the title (not first) or the content (mid-sentence)."""
    found: set[str] = set()
    title_words = entry.title.split()
    for word in title_words[1:]:
        if word[:1].isupper():
            found.update(_words(word))
    for match in _CAPITALISED.finditer(entry.content):
        found.update(_words(match.group(0)))
    return found


def scope_words(entry: EntryDTO, rare: set[str]) -> set[str]:
    """What restricts an entry to a special case: exception words, and proper names rare among candidates,
    as far as its title or keywords name them (the body may mention anything in passing)."""
    about = set(_words(entry.title)) | {w for k in entry.keywords for w in _words(k)}
    named = _named_words(entry) & rare
    return {w for w in about if w in EXCEPTION_WORDS or w in named}


def _phrases_in(query: str, keywords: Sequence[str]) -> list[str]:
    """Multi-word keywords written whole in the question ("how long", "click and collect")."""
    text = " ".join(_words(query))
    found = []
    for keyword in keywords:
        phrase = " ".join(_words(keyword))
        if " " in phrase and re.search(rf"\b{re.escape(phrase)}\b", text):
            found.append(phrase)
    return found


def _matched(candidate: Candidate) -> set[str]:
    return {w for words in candidate.terms.values() for w in words}


def _duplicate(a: EntryDTO, b: EntryDTO) -> bool:
    """Same title, or almost the same text. Only live entries hide each other: an owner searching with
    inactive entries included is looking for them."""
    if not (a.is_active and b.is_active):
        return False
    if " ".join(_words(a.title)) == " ".join(_words(b.title)):
        return True
    return fuzz.token_set_ratio(a.content, b.content) >= DUPLICATE_RATIO and len(a.content) > 40


def rerank(
    query: str, terms: Sequence[str], candidates: Sequence[Candidate], limit: int | None = None
) -> list[Ranked]:
    """The candidates best first (the first `limit`), near-duplicates out, each with its reason (see the
    module docstring)."""
    if not candidates:
        return []
    best = max(c.fused for c in candidates) or 1.0
    query_words = set(_words(query)) | set(terms)
    # A proper name is distinctive when few candidates mention it: "UK" is in every delivery entry.
    counts: dict[str, int] = {}
    for c in candidates:
        text = f"{c.entry.title} {' '.join(c.entry.keywords)} {c.entry.content}"
        for word in set(_words(text)):
            counts[word] = counts.get(word, 0) + 1
    rare = {w for w, n in counts.items() if n == 1}
    scopes = {c.entry.id: scope_words(c.entry, rare) for c in candidates}
    unnamed = {i: {w for w in s if not _named_in(w, query_words)} for i, s in scopes.items()}
    named_scope = {i: bool(s) and len(unnamed[i]) < len(s) for i, s in scopes.items()}

    # Coverage: the share of the question's words an entry holds, each weighted by how few candidates hold
    # it ("shoes" is in every entry of a shoe shop; "damaged" in one).
    holders: dict[str, int] = {}
    for c in candidates:
        for word in _matched(c):
            holders[word] = holders.get(word, 0) + 1
    weight = {w: math.log(1 + len(candidates) / n) for w, n in holders.items()}
    total = sum(weight.values()) or 1.0

    scored: list[tuple[float, Candidate, list[str]]] = []
    for c in candidates:
        matched = _matched(c)
        phrases = _phrases_in(query, c.entry.keywords)
        score = W_FUSED * c.fused / best
        score += W_COVERAGE * sum(weight[w] for w in matched) / total
        score += W_PRIORITY * max(0, min(c.entry.priority, MAX_PRIORITY)) / MAX_PRIORITY
        score += W_PHRASE * min(1, len(phrases))
        if named_scope[c.entry.id]:
            score += SCOPE_NAMED_BONUS
        elif unnamed[c.entry.id] and matched and _covered_by_general(c, candidates, unnamed):
            score -= SCOPE_PENALTY
        scored.append((score, c, phrases))

    scored.sort(key=lambda s: (-round(s[0], 9), -s[1].entry.priority, s[1].entry.id))
    kept: list[Ranked] = []
    kept_entries: list[EntryDTO] = []
    for score, c, phrases in scored:
        if limit is not None and len(kept) >= limit:
            break
        if any(_duplicate(c.entry, other) for other in kept_entries):
            continue
        kept_entries.append(c.entry)
        kept.append(Ranked(c.entry.id, round(score, 6), reason(c.terms, phrases, c.semantic_rank), c.terms))
    return kept


def order(
    query: str,
    terms: Sequence[str],
    ids: Sequence[int],
    entries: Mapping[int, EntryDTO],
    fused: Mapping[int, float],
    semantic_ids: Sequence[int],
    limit: int,
) -> list[Ranked]:
    """The hits to return, best first (at most `limit`), each with its score and reason: search.py's call."""
    sem_rank = {i: r for r, i in enumerate(semantic_ids, start=1)}
    present = [i for i in ids if i in entries]
    if not ENABLED:
        present.sort(key=lambda i: (-round(fused[i], 9), -entries[i].priority, i))
        chosen = [(i, found_terms(terms, entries[i])) for i in present[:limit]]
        return [
            Ranked(i, round(fused[i], 6), reason(found, (), sem_rank.get(i)), found) for i, found in chosen
        ]
    candidates = [
        Candidate(entries[i], fused[i], found_terms(terms, entries[i]), sem_rank.get(i)) for i in present
    ]
    return rerank(query, terms, candidates, limit)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _named_in(word: str, query_words: set[str]) -> bool:
    """The question names `word` itself or a form of it ("islands" → "island"), typos not included: a scope
    is named on purpose."""
    stem = _stem(word)
    return any(q == word or _stem(q) == stem for q in query_words)


def _covered_by_general(c: Candidate, candidates: Sequence[Candidate], unnamed: dict[int, set[str]]) -> bool:
    """Whether an unrestricted candidate matched every question word this scoped one matched."""
    mine = _matched(c)
    return any(
        other.entry.id != c.entry.id and not unnamed[other.entry.id] and mine <= _matched(other)
        for other in candidates
    )


def _quoted(words: Sequence[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def reason(terms: dict[str, list[str]], phrases: Sequence[str] = (), semantic_rank: int | None = None) -> str:
    """Why an entry matched, as a shop owner would say it: "matched 'delivery' and 'how long'"."""
    shown: list[str] = list(phrases)
    for part in ("title", "keywords", "content"):
        for word in terms.get(part, []):
            if word not in shown and not any(word in p.split() for p in shown):
                shown.append(word)
    if shown:
        text = f"matched {_quoted(shown[:5])}"
        if semantic_rank is not None and semantic_rank <= 3:
            text += ", close in meaning"
        return text
    if semantic_rank is not None:
        return "close in meaning to the question" if semantic_rank <= 3 else "somewhat related in meaning"
    return "no words in common"


__all__ = ["Candidate", "Ranked", "found_terms", "order", "rerank", "reason", "scope_words"]
