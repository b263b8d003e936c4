"""Spelling correction against the tenant's own vocabulary, cautious by design.

Why cautious: a wrong "correction" is worse than none. The model reads typos fine; what it cannot undo is a
size, an order number, a customer's name or a link changed under it. So the corrector never touches anything
with a digit in it ("9.5", "UK9", "STR-10457"), URLs, emails, @handles, emoji, capitalised words it does not
know (names: "Amelia", "Bristol"), short acronyms ("NHS"), chat shorthand ("u", "pls") or words of other
languages; and it only replaces a word that is not already a known word.

Where the vocabulary comes from: the tenant's catalogue (names, aliases, categories), its knowledge keywords,
and a compact list of common English words shipped in engine/catalog/data. Aliases that are near-copies of a
name word ("cloudstpe" beside "Cloudstep", "gate analysis" beside "Gait Analysis") are the tenant telling us
how customers misspell it: those become direct corrections rather than "known words".

Confidence comes from a weighted edit distance (transpositions, doubled letters, neighbouring keys and vowel
swaps are cheaper, because they are the typos people make) and from how clearly the best candidate beats the
next. Catalogue and knowledge corrections under CONFIRM_BELOW carry needs_confirmation, so the agent asks
"Did you mean …?"; uncertain common-word corrections are simply not made. Customers' answers are recorded with
`record_correction_feedback` and feed back into the vocabulary: a rejected correction is never proposed
again, an accepted one is applied without asking.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from cachetools import LRUCache
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import event, func
from sqlmodel import Session, col, select

from engine.accounts import audit
from engine.cache import get_cache
from engine.catalog import index as catalog_index
from engine.catalog.reading import phonetic_key
from engine.catalog.text import dropped_letters, fold, stem, typo_cost
from engine.catalog.words import (
    common_misspellings,
    common_words,
    english_words,
    foreign_words,
    near_synonym_word,
    synonym_words,
    uses,
)
from engine.db import TenantScope
from engine.models import AuditLog, KnowledgeEntry, Product, Service

Source = Literal["catalog", "knowledge", "common", "learned"]

CONFIRM_BELOW = 0.82  # catalogue/knowledge corrections under this confidence need the customer's "yes"
APPLY_COMMON_FROM = 0.7  # common-word corrections under this confidence are not made at all
SOUNDS_FROM = 5  # shorter words share sound keys with too many others ("hte" and hat) to be left as heard
MAX_AGE_SECONDS = 15 * 60
FEEDBACK_ACCEPTED = "spelling.correction_accepted"
FEEDBACK_REJECTED = "spelling.correction_rejected"
FEEDBACK_LIMIT = 2000
MAX_TEXT = 4000

_PROTECTED = re.compile(
    r"(?:https?://|www\.)\S+"  # links
    r"|\S+@\S+"  # emails and @handles inside words
    r"|[@#][\w.-]+"  # @handles, #hashtags
    r"|\b[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,6}(?:/\S*)?(?=\s|$|[,;!?)])"  # bare domains: stride.co.uk/returns
    r"|\S*\d\S*",  # anything with a digit: sizes, prices, order numbers, "UK9", "9.5", "cs90"
    re.UNICODE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?\n]\s*$")


@dataclass(frozen=True)
class Correction:
    """One word (or phrase) replaced or proposed. Offsets are into the original text."""

    original: str
    corrected: str
    confidence: float
    needs_confirmation: bool
    source: Source
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {
            "original": self.original,
            "corrected": self.corrected,
            "confidence": self.confidence,
            "needs_confirmation": self.needs_confirmation,
            "source": self.source,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class SpellingResult:
    """`text` has the confident corrections applied; `suggested_text` also the ones awaiting confirmation."""

    original: str
    text: str
    suggested_text: str
    corrections: tuple[Correction, ...]

    @property
    def needs_confirmation(self) -> tuple[Correction, ...]:
        return tuple(c for c in self.corrections if c.needs_confirmation)

    def confirmation_question(self) -> str | None:
        """'Did you mean "Ridgeline"?' for the corrections awaiting a yes, or None."""
        pending = self.needs_confirmation
        if not pending:
            return None
        quoted = " and ".join(f'"{c.corrected}"' for c in pending)
        return f"Did you mean {quoted}?"

    def to_dict(self) -> dict[str, object]:
        return {
            "original": self.original,
            "text": self.text,
            "suggested_text": self.suggested_text,
            "corrections": [c.to_dict() for c in self.corrections],
        }


@dataclass
class Vocabulary:
    """A tenant's words: what counts as right, what may be a target, and known misspellings."""

    known: set[str]
    targets: dict[str, Source]  # word -> where it comes from (catalog beats knowledge beats common)
    by_length: dict[int, list[str]]
    misspellings: dict[str, str]  # alias typo -> the name word it stands for
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # alias phrase typo -> name phrase
    learned: dict[str, str]  # accepted by customers
    rejected: set[tuple[str, str]]
    items: int = 0
    shop: set[str] = field(default_factory=set)  # the catalogue's and knowledge base's own words
    shop_sounds: frozenset[str] = frozenset()  # phonetic keys of the shop's words (see _sounds_like_the_shop)
    catalog_token: str | None = None
    spelling_token: str | None = None
    built_at: float = field(default_factory=time.monotonic)


def _words(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text)]


def _is_affix(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a)


def _typo_pair(alias_word: str, name_word: str) -> bool:
    """Is alias_word a misspelling of name_word (one edit, not a plural, not a prefixed or suffixed word)?"""
    if min(len(alias_word), len(name_word)) < 4 or alias_word == name_word:
        return False
    if stem(alias_word) == stem(name_word) or _is_affix(alias_word, name_word):
        return False
    return OSA.distance(alias_word, name_word, score_cutoff=1) <= 1


def build_vocabulary(
    names: list[list[str]],
    aliases: list[list[str]],
    knowledge: list[str],
    feedback: list[tuple[str, str, bool]] | None = None,
) -> Vocabulary:
    """names/aliases: per catalogue item, its name (+category) phrases and its alias phrases."""
    common = common_words()
    name_words: set[str] = set()
    for phrases in names:
        for phrase in phrases:
            name_words.update(w for w in _words(phrase) if len(w) > 1)
    knowledge_words = {w for phrase in knowledge for w in _words(phrase) if len(w) > 1}
    misspellings: dict[str, str] = {}
    phrase_map: dict[tuple[str, ...], tuple[str, ...]] = {}
    alias_words: set[str] = set()
    for item_names, item_aliases in zip(names, aliases, strict=True):
        item_name_words = {w for p in item_names for w in _words(p)}
        canon = [tuple(_words(p)) for p in item_names]
        for alias in item_aliases:
            words = _words(alias)
            for w in words:
                if len(w) < 2:
                    continue
                if w in name_words or w in knowledge_words or w in common:
                    continue
                # A misspelling of the item's own name ("cort" beside "Court 78"). Near another name word
                # it is a word of its own: "dog cage" on a crate is not a typo of the Cat *Cave*.
                target = next((n for n in sorted(item_name_words) if _typo_pair(w, n)), None)
                if target:
                    misspellings[w] = target
                else:
                    alias_words.add(w)
            # "gate analysis" beside "Gait Analysis": a phrase-level misspelling of a real word.
            for name_phrase in canon:
                if len(name_phrase) == len(words) > 1 and tuple(words) != name_phrase:
                    pairs = [(a, b) for a, b in zip(words, name_phrase, strict=True) if a != b]
                    if len(pairs) < len(words) and all(
                        OSA.distance(a, b) <= 2 and stem(a) != stem(b) and min(len(a), len(b)) >= 3
                        for a, b in pairs
                    ):
                        phrase_map[tuple(words)] = name_phrase
    # A word that is plain English counts as "common" even when the catalogue uses it too: nobody needs to be
    # asked "Did you mean 'white'?". Confirmation is for the shop's own terms (Ridgeline, Chelsea, brogue).
    targets: dict[str, Source] = {}
    for w in knowledge_words:
        targets[w] = "knowledge"
    for w in name_words | alias_words:
        targets[w] = "catalog"
    for w in name_words:  # "hangr" is one letter from the Coat Hangers' hanger, two from their "hangers"
        if (one := stem(w)) != w and len(one) >= 3 and one.isalpha():
            targets.setdefault(one, "catalog")
    for w in common:
        targets[w] = "common"
    by_length: dict[int, list[str]] = {}
    for w in sorted(targets):
        if len(w) >= 3:
            by_length.setdefault(len(w), []).append(w)
    learned: dict[str, str] = {}
    rejected: set[tuple[str, str]] = set()
    net: Counter[tuple[str, str]] = Counter()
    for original, corrected, accepted in feedback or []:
        net[(fold(original), fold(corrected))] += 1 if accepted else -1
    for (original, corrected), score in net.items():
        if score > 0:
            learned[original] = corrected
        elif score < 0:
            rejected.add((original, corrected))
    return Vocabulary(
        known=set(targets) | foreign_words() | synonym_words() | uses().forms.keys(),
        targets=targets,
        by_length=by_length,
        misspellings=misspellings,
        phrases=phrase_map,
        learned=learned,
        rejected=rejected,
        items=len(names),
        shop=name_words | alias_words | knowledge_words,
        shop_sounds=frozenset(phonetic_key(w) for w in name_words | alias_words if len(w) >= SOUNDS_FROM),
    )


# --- Loading and caching per tenant -------------------------------------------------------------------------

MAX_VOCABULARIES = 512  # per process, least recently used first out
_vocabularies: LRUCache[int, Vocabulary] = LRUCache(maxsize=MAX_VOCABULARIES)
_guard = threading.Lock()


def _spelling_key(tenant_id: int) -> str:
    return f"catalog:spelling-token:{tenant_id}"


def invalidate_vocabulary(tenant_id: int) -> None:
    """Make the tenant's vocabulary stale in every process: call after knowledge keywords change.

    Catalogue writes do this already (the vocabulary is keyed on the catalogue's token too)."""
    get_cache().set(_spelling_key(tenant_id), uuid.uuid4().hex, catalog_index.TOKEN_TTL_SECONDS)


def _load_vocabulary(session: Session, tenant_id: int) -> Vocabulary:
    names: list[list[str]] = []
    aliases: list[list[str]] = []
    for model in (Product, Service):
        rows = session.exec(
            select(model.name, model.aliases, model.category).where(model.tenant_id == tenant_id)  # type: ignore[attr-defined]
        ).all()
        for name, item_aliases, category in rows:
            names.append([name] + ([category] if category else []))
            aliases.append(list(item_aliases or []))
    knowledge: list[str] = []
    entries = session.exec(
        select(KnowledgeEntry.keywords).where(
            KnowledgeEntry.tenant_id == tenant_id,
            KnowledgeEntry.is_active == True,  # noqa: E712 - SQL expression
            col(KnowledgeEntry.deleted_at).is_(None),
        )
    ).all()
    for keywords in entries:
        knowledge.extend(str(k) for k in keywords or [])
    feedback: list[tuple[str, str, bool]] = []
    rows = session.exec(
        select(AuditLog.action, AuditLog.details)
        .where(
            AuditLog.tenant_id == tenant_id,
            col(AuditLog.action).in_([FEEDBACK_ACCEPTED, FEEDBACK_REJECTED]),
        )
        .order_by(col(AuditLog.id).desc())
        .limit(FEEDBACK_LIMIT)
    ).all()
    for action, details in rows:
        details = details or {}
        if details.get("original") and details.get("corrected"):
            feedback.append((details["original"], details["corrected"], action == FEEDBACK_ACCEPTED))
    return build_vocabulary(names, aliases, knowledge, feedback)


def get_vocabulary(session: Session, tenant_id: int) -> Vocabulary:
    cache = get_cache()
    catalog_token = catalog_index.current_token(tenant_id)
    raw = cache.get(_spelling_key(tenant_id))
    spelling_token = None if raw is None else str(raw)
    with _guard:
        vocabulary = _vocabularies.get(tenant_id)
    if (
        vocabulary is not None
        and vocabulary.catalog_token == catalog_token
        and vocabulary.spelling_token == spelling_token
        and time.monotonic() - vocabulary.built_at < MAX_AGE_SECONDS
    ):
        return vocabulary

    def build(own: Session) -> Vocabulary:
        fresh = _load_vocabulary(own, tenant_id)
        fresh.catalog_token, fresh.spelling_token = catalog_token, spelling_token
        with _guard:
            _vocabularies[tenant_id] = fresh  # past MAX_VOCABULARIES, the least recently used goes
        return fresh

    # A big catalogue's vocabulary takes a moment to build: the previous one answers meanwhile (same cache
    # generation only, see catalog.index.current_token).
    same_generation = (
        vocabulary is not None
        and (vocabulary.catalog_token or "").split(":")[0] == (catalog_token.split(":")[0])
    )
    if (
        vocabulary is not None
        and same_generation
        and catalog_index.BACKGROUND_REBUILDS
        and vocabulary.items >= catalog_index.BACKGROUND_FROM
    ):
        catalog_index.in_background((tenant_id, "spelling"), session, build)
        return vocabulary
    return build(session)


# --- Correcting ---------------------------------------------------------------------------------------------


_SUFFIXES = (
    ("ies", "y"),
    ("ves", "f"),  # scarves, shelves
    ("ves", "fe"),  # knives
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("est", ""),
    ("ly", ""),
    ("d", ""),
)


def _known(word: str, known: set[str] | frozenset[str]) -> bool:
    """Is the word, or the word it inflects, known? Also the singular of a known plural: a shop that lists
    "Galvanised Nails" knows "nail"."""
    if word in known or (not word.endswith("s") and (word + "s" in known or word + "es" in known)):
        return True  # not "harnes" for harness
    for suffix, replacement in _SUFFIXES:
        if suffix == "s" and word.endswith("ss"):
            continue  # "atlass" is a typo, not the plural of "atlas"
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            base = word[: -len(suffix)] + replacement
            if base in known:
                return True
            doubled = suffix in ("ed", "ing", "er", "est") and len(base) > 2 and base[-1] == base[-2]
            if doubled and base[:-1] in known:  # "stopped" -> "stop"
                return True
    return False


def _recase(original: str, corrected: str) -> str:
    if original.isupper() and len(original) > 1:
        return corrected.upper()
    if original[:1].isupper():
        return corrected[:1].upper() + corrected[1:]
    return corrected


_PRIORITY: dict[str, int] = {"learned": 0, "catalog": 1, "knowledge": 2, "common": 3}


def _candidates(word: str, vocabulary: Vocabulary, allowed: set[str]) -> list[tuple[float, int, str, str]]:
    """(cost, source priority, candidate, source), cheapest first, from the length buckets around `word`."""
    n = len(word)
    budget = 1 if n <= 5 else 2
    found: list[tuple[float, int, str, str]] = []
    for length in range(max(3, n - budget), n + budget + 1):
        bucket = vocabulary.by_length.get(length)
        if not bucket:
            continue
        for choice, _, _ in process.extract(word, bucket, scorer=OSA.distance, score_cutoff=budget, limit=8):
            source = vocabulary.targets[choice]
            if (word, choice) in vocabulary.rejected:
                continue
            found.append((typo_cost(word, choice), _PRIORITY[source], choice, source))
    found.sort()
    return found


def _best(
    word: str, vocabulary: Vocabulary, allowed: set[str], real: bool = False
) -> tuple[str, float, Source] | None:
    """The correction for `word`, or None. A `real` word (an English word, not one of the shop's registered
    misspellings) is only ever a shop word with a letter or two left out ("harbor" -> Harbour): a real word
    one substitution from another ("stain" / stair, "locks" / socks) is a different word, not a typo."""
    if word in vocabulary.learned and (word, vocabulary.learned[word]) not in vocabulary.rejected:
        return vocabulary.learned[word], 0.97, "learned"
    if word in vocabulary.misspellings and "catalog" in allowed:
        target = vocabulary.misspellings[word]
        if (word, target) not in vocabulary.rejected:
            return target, 0.95, "catalog"
    if "common" in allowed and word in common_misspellings():
        target = common_misspellings()[word]
        if (word, target) not in vocabulary.rejected:
            return target, 0.95, "common"
    found = _candidates(word, vocabulary, allowed)
    if real:
        found = [c for c in found if c[2] in vocabulary.shop and dropped_letters(word, c[2])]
    if not found:
        return None
    cost, _, choice, source = found[0]
    if source not in allowed:
        return None  # closest to a word we may not use here (an English word in a name or foreign text)
    if len(word) <= 3 and cost >= 1.0:
        return None  # three letters with a full edit: too many words are that close
    confidence = max(0.0, 1.0 - cost / max(4, len(word)))
    if choice[0] != word[0]:
        confidence -= 0.1  # first letters are rarely mistyped
    # Another candidate almost as close: the word is ambiguous, unless the two are one word ("olive",
    # "olives" for "olivs").
    rivals = [c for c in found[1:] if stem(c[2]) != stem(choice) and c[0] - cost < 0.35]
    if rivals:
        confidence *= 0.75
    return choice, round(max(0.0, min(1.0, confidence)), 3), source  # type: ignore[return-value]


def _sounds_like_the_shop(word: str, common: str, vocabulary: Vocabulary) -> bool:
    """Does a word spelled as heard sound like one of the shop's ("festune" for festoon), and not like the
    nearest common word ("feature")? Then it is not bent into that word: the matcher, which reads
    sound-alikes, gets it as written. "gaden" still becomes "garden", which sounds the same; a known
    misspelling of a common word is still corrected."""
    key = phonetic_key(word)
    return (
        len(word) >= SOUNDS_FROM
        and word not in common_misspellings()
        and key in vocabulary.shop_sounds
        and phonetic_key(common) != key
    )


def _with_suffix(
    word: str, vocabulary: Vocabulary, allowed: set[str], real: bool = False
) -> tuple[str, float, Source] | None:
    best = _best(word, vocabulary, allowed, real)
    if len(word) > 4 and word.endswith("s") and best is None:
        inner = _best(word[:-1], vocabulary, allowed, real)
        if inner is not None:
            best = inner[0] + "s", inner[1], inner[2]
    elif best is not None and best[2] == "common" and _plural_of_shop_word(word, vocabulary, allowed):
        return None  # "serms": as likely serums as "terms"; left for the matcher, which knows the shop
    if best is not None and _as_close_to_another_name(word, best[0]):
        return None  # "trakies": trackies as much as trails; the matcher reads other names of things
    return best


def _as_close_to_another_name(word: str, choice: str) -> bool:
    """Is `word` as close to a word of the synonym list (another name of a thing) as to `choice`?"""
    if word in synonym_words():
        return False
    other = near_synonym_word(word)
    return (
        other is not None
        and stem(other) != stem(choice)
        and typo_cost(word, other) <= typo_cost(word, choice)
    )


def _plural_of_shop_word(word: str, vocabulary: Vocabulary, allowed: set[str]) -> bool:
    """Is `word` a plural whose singular, without -s or -es, is one edit from a shop word ("serms", "gaes"
    for gates, "tixes" for mixes)?"""
    if len(word) < 4 or not word.endswith("s"):
        return False
    singulars = [word[:-1]] + ([word[:-2]] if word.endswith("es") and len(word) > 4 else [])
    return any(_near_shop_word(singular, vocabulary, allowed) for singular in singulars)


def _near_shop_word(word: str, vocabulary: Vocabulary, allowed: set[str]) -> bool:
    """Is a word of the catalogue or knowledge base one edit from `word`? Any of its own words, plain English
    ones too ("wallet": "walets" is the shop's wallets, not Wales)."""
    found = _candidates(word, vocabulary, allowed)
    return any(cost <= 1.0 and choice in vocabulary.shop for cost, _, choice, _ in found)


def correct_text(text: str, vocabulary: Vocabulary) -> SpellingResult:
    """Correct `text` against a built vocabulary (pure; `correct_spelling` adds the tenant lookup)."""
    text = text[:MAX_TEXT]
    protected = [m.span() for m in _PROTECTED.finditer(text)]

    def is_protected(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in protected)

    spans = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    spans = [s for s in spans if not is_protected(s[1], s[2])]
    folded = [fold(w) for w, _, _ in spans]

    # Other languages: only catalogue and knowledge words are fair targets, never English ones.
    foreign = sum(1 for w in folded if w in foreign_words() and w not in common_words())
    english = sum(1 for w in folded if w in common_words() and w not in foreign_words())
    non_english = foreign >= 2 and foreign > english

    corrections: list[Correction] = []
    taken: set[int] = set()
    for key, target in vocabulary.phrases.items():
        size = len(key)
        for i in range(len(folded) - size + 1):
            if tuple(folded[i : i + size]) == key and not taken & set(range(i, i + size)):
                for j, (word, new) in enumerate(zip(key, target, strict=True)):
                    if word != new and (word, new) not in vocabulary.rejected:
                        original, start, end = spans[i + j]
                        corrected = _recase(original, new)
                        corrections.append(Correction(original, corrected, 0.9, False, "catalog", start, end))
                taken.update(range(i, i + size))

    for i, (original, start, end) in enumerate(spans):
        if i in taken:
            continue
        word = folded[i]
        if len(word) < 3:
            continue
        if word not in vocabulary.learned and _known(word, vocabulary.known):
            continue
        sentence_start = i == 0 or bool(_SENTENCE_END.search(text[:start]))
        if original.isupper() and len(original) <= 5 and len(original) > 1:
            continue  # acronyms: NHS, GDPR, ASAP
        if any(ch.isupper() for ch in original[1:]) and not original.isupper():
            continue  # iPhone, McDonald
        capitalised = original[:1].isupper() and not original.isupper()
        known_typo = word in vocabulary.misspellings or word in vocabulary.learned
        if capitalised and not sentence_start and not known_typo:
            continue  # a name: Amelia, Bristol
        allowed = (
            {"catalog", "knowledge"} if (non_english or capitalised) else {"catalog", "knowledge", "common"}
        )
        real = not known_typo and _known(word, english_words())
        best = _with_suffix(word, vocabulary, allowed, real)
        if best is None:
            continue
        new, confidence, source = best
        if source == "common":
            if confidence < APPLY_COMMON_FROM or _sounds_like_the_shop(word, new, vocabulary):
                continue
            needs = False
        else:
            needs = confidence < CONFIRM_BELOW
            if confidence < 0.5:
                continue
        corrections.append(
            Correction(original, _recase(original, new), confidence, needs, source, start, end)  # type: ignore[arg-type]
        )

    corrections.sort(key=lambda c: c.start)
    return SpellingResult(
        original=text,
        text=_apply(text, [c for c in corrections if not c.needs_confirmation]),
        suggested_text=_apply(text, corrections),
        corrections=tuple(corrections),
    )


def _apply(text: str, corrections: list[Correction]) -> str:
    out: list[str] = []
    last = 0
    for c in sorted(corrections, key=lambda c: c.start):
        out.append(text[last : c.start])
        out.append(c.corrected)
        last = c.end
    out.append(text[last:])
    return "".join(out)


def correct_spelling(session: Session, tenant_id: int, text: str) -> SpellingResult:
    """Correct a customer message against the tenant's vocabulary (see the module docstring for the rules)."""
    TenantScope(session, tenant_id)
    if not text or not text.strip():
        return SpellingResult(text or "", text or "", text or "", ())
    return correct_text(text, get_vocabulary(session, tenant_id))


def record_correction_feedback(
    session: Session,
    tenant_id: int,
    original: str,
    corrected: str,
    accepted: bool,
    *,
    conversation_id: int | None = None,
    actor_label: str = "customer",
) -> None:
    """Record the customer's answer to "Did you mean …?" in the audit log, and learn from it at once."""
    original, corrected = original.strip()[:80], corrected.strip()[:80]
    if not original or not corrected:
        raise ValueError("original and corrected must not be empty")
    audit.record(
        session,
        tenant_id,
        FEEDBACK_ACCEPTED if accepted else FEEDBACK_REJECTED,
        actor_label=actor_label,
        target_type="conversation" if conversation_id is not None else "spelling",
        target_id=conversation_id,
        details={"original": original, "corrected": corrected},
    )
    invalidate_vocabulary(tenant_id)
    # Again once the row is committed: a process that rebuilt in between would not have seen it.
    event.listen(session, "after_commit", lambda _s: invalidate_vocabulary(tenant_id), once=True)


def correction_stats(session: Session, tenant_id: int) -> dict[str, int]:
    """How often customers accepted or rejected proposed corrections (for the console's quality view)."""
    TenantScope(session, tenant_id)
    rows = session.exec(
        select(AuditLog.action, func.count())
        .where(
            AuditLog.tenant_id == tenant_id,
            col(AuditLog.action).in_([FEEDBACK_ACCEPTED, FEEDBACK_REJECTED]),
        )
        .group_by(AuditLog.action)
    ).all()
    counts = dict(rows)
    return {
        "accepted": int(counts.get(FEEDBACK_ACCEPTED, 0)),
        "rejected": int(counts.get(FEEDBACK_REJECTED, 0)),
    }
