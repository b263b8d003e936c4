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
   item explains, so "cloudstep 90 wide" prefers the Wide Fit over the plain Cloudstep 90; damped when the
   words around the mention say it only qualifies something else ("nail gun", "horse treats").

One module a phase: step 1 is engine/catalog/reading.py, the rules about the words around a mention are
engine/catalog/qualifiers.py, and the scoring and ranking (steps 2 and 3) are here.

An optional semantic scorer (embeddings, when the tenant has them) can only raise a confidence, never lower
it, and nothing here depends on it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlmodel import Session

from engine.catalog.index import FIELD_FACTOR, NEGATIONS, Kind, MatchIndex, get_index
from engine.catalog.qualifiers import (
    DESCRIBED_CONFIDENCE,
    PAIR_CONFIDENCE,
    SAYS_WITHOUT,
    described_for,
    done_on_unknown_thing,
    function_word,
    in_name,
    measure,
    names_category,
    names_only_this_item,
    names_other_thing,
    purpose_positions,
    qualifies,
    refused_words,
    said_not_to_be,
    size_wanted,
    tokens_had,
    unknown_modifier,
)
from engine.catalog.reading import SYNONYM_SIMILARITY, QueryToken, analyse, query_tokens
from engine.catalog.text import STOPWORDS, compact, has_digit, stem
from engine.db import TenantScope

MATCH_THRESHOLD = 0.5  # below this a "match" is noise: treat the message as not naming that item
CONFIDENT = 0.8  # at or above this the agent may act on the match without asking
DEFAULT_MIN_CONFIDENCE = 0.35
CANDIDATES = 40  # phrases ranked before per-item refinement
QUERY_COVERAGE_WEIGHT = 0.4
QUERY_WINDOW = 2
SEMANTIC_WEIGHT = 0.5
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{2,}")
# A one-word mention right after a word the catalogue does not know ("horse treats", "guinea pig cage") is
# most likely something else of that kind: the shop sells treats, not horse treats.
MODIFIER_PENALTY = 0.65  # a head-noun match (0.72) so qualified falls under MATCH_THRESHOLD

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

    qtokens, per_position, tasks = analyse(index, qtokens, elsewhere)
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
        stop_only = {i for i, hits, _ in active if all(function_word(tok) for tok, _ in hits)}
        # A word of one or two letters read as a shop word ("wide eg": leg) is a content word all the same.
        bent = {i for i, hits, _ in active if i not in stop_only and len(qtokens[i].text) <= 2}
        purpose = purpose_positions(qtokens)
        refused = refused_words(text, qtokens, per_position)
        exact = {tok for tok, sim in vocab_sim.items() if sim >= 1.0}
        # What the message asks for, for what an item's description says it is not: not what the thing is
        # for ("a cafetière for coffee" beside "coffee not included"), and nothing when the message itself
        # says what it wants without ("the french kind without handles").
        asked = [i for i in range(len(qtokens)) if i not in purpose]
        said = {stem(qtokens[i].text) for i in asked}
        said |= {tok for i in asked for tok, sim in per_position[i] if sim >= SYNONYM_SIMILARITY}
        said = set() if said & NEGATIONS else said
        for position, (cov, pid) in ranked:
            item_tokens = index.items[position].tokens
            category = index.category_phrase.get(position)
            # "running shoes" where running is the item's category: a kind of thing, answered by the category
            # (a listing), not by the one item whose name ends in "shoe" — when the category word qualifies
            # the head noun; in "nail varnish remover" the nail qualifies the varnish, not the remover.
            if (
                index.phrase_field[pid] == "head"
                and category is not None
                and names_category(index.phrase_tokens[category], exact)
                and qualifies(per_position, index.phrase_tokens[category][-1], index.phrase_tokens[pid][0])
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
            content = [i for i in found if i not in stop_only and not function_word(qtokens[i].text)]
            content += [i for i in found if i in bent]
            if not content:
                content = found
            if _task_alone(found, tasks, qtokens, per_position, elsewhere):
                pass  # named by what the customer wants done: the qualifier rules read no task's words
            elif done_on_unknown_thing(index, text, qtokens, per_position, content, elsewhere):
                # A service named in full is surer than a head noun: it takes the penalty on the head noun's
                # confidence, so it falls under MATCH_THRESHOLD as a qualified head noun does.
                confidence = min(confidence, FIELD_FACTOR["head"]) * MODIFIER_PENALTY
            elif (
                len(content) == 1
                and unknown_modifier(
                    qtokens, per_position, content[0], elsewhere, index.items[position].described
                )
            ) or names_other_thing(
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
                and names_only_this_item(index, position, qtokens, per_position, content, elsewhere)
            ):
                confidence = PAIR_CONFIDENCE * qcov
            if (
                said
                and index.items[position].excluded
                and said_not_to_be(index.items[position], said, vocab_sim.keys())
            ):
                confidence = min(confidence, FIELD_FACTOR["head"]) * MODIFIER_PENALTY
            elif refused and refused & item_tokens and not item_tokens & SAYS_WITHOUT:
                confidence *= MODIFIER_PENALTY  # "the pudding that isn't the black one"
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

    if not any(c >= DESCRIBED_CONFIDENCE for c, _, _ in scores.values()):
        found_by = described_for(index, text, qtokens)
        if found_by is not None:
            scores[found_by] = (DESCRIBED_CONFIDENCE, -3, 1.0)

    # Rank on plain tuples (as _order, plus query coverage) and build dataclasses for the winners only.
    # On equal confidence, the item that accounts for more of the message's words comes first: "cat tree"
    # answered by the "cat" category puts the Sisal Cat Tree before the Scratching Post. Then the item whose
    # name has the words: "cat litter" is the Clumping Cat Litter, not the Litter Tray of the "cat" section.
    # Query coverage looks only near the item's words; the count of message words the item has looks at the
    # whole message: "need a charger for my car" is the Car Charger, not the Watch Charger that ties with it.
    # Then the item with more of the catalogue words read into the message: "aceite de oliva", read as "olive
    # oil" on every word, is the Olive Oil (both words), not the Olives (one). Then, when the customer asks
    # for a big or a small one, the item whose name measures more or less ("big frying pan": the 28cm); then
    # the item whose description has more of the message's words ("jars for making jam").
    keyed: list[tuple[tuple[float, bool, float, int, int, float, float, int, int, bool, int], int]] = []
    tied = Counter(round(min(1.0, confidence), 4) for confidence, _, _ in scores.values())
    wanted = size_wanted(qtokens)
    words = {stem(q.text) for q in qtokens if len(q.text) >= 3} - STOPWORDS
    for position, (confidence, pid, qcov) in scores.items():
        item = index.items[position]
        if confidence < min_confidence or (not item.active and not include_inactive):
            continue
        span = mentions.get(position)
        field_name = index.phrase_field[pid] if pid >= 0 else ""
        shown = round(min(1.0, confidence), 4)
        content = content_of.get(position, [])
        key = (
            -shown,
            field_name == "category",
            -round(qcov, 3),
            -len(set(content)),
            -tokens_had(index, position, content, per_position) if tied[shown] > 1 else 0,
            -in_name(index, position, content, per_position) if tied[shown] > 1 else 0.0,
            -wanted * measure(item.name) if wanted and tied[shown] > 1 else 0.0,
            -len(item.about & words) if tied[shown] > 1 else 0,
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
        elif pid == -3:
            field_name, phrase = "description", item.name
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


def _task_alone(
    found: list[int],
    tasks: set[int],
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    elsewhere: MatchIndex | None,
) -> bool:
    """Was the item named by a task's words alone ("weigh sugar", "my back wheel wobbles"), with no word of
    the shop's beside them? Then no qualifier rule applies: the task says what is done, not a noun phrase.
    A word of the shop's beside it ("weigh flour" at a shop with a Flour Sifter, "engraved pet" beside an
    Engraved Pet Tag) leaves the rules to decide."""
    if not found or not set(found) <= tasks:
        return False
    beside = [j for j in (min(found) - 1, max(found) + 1) if 0 <= j < len(qtokens)]
    return not any(
        qtokens[j].text not in STOPWORDS
        and (per_position[j] or (elsewhere is not None and _near_word(elsewhere, qtokens[j].text)))
        for j in beside
    )


def _near_word(index: MatchIndex, word: str) -> bool:
    """Is the word one of the index's, or one edit from one ("pset" beside an Engraved Pet Tag)?"""
    if stem(word) in index.postings:
        return True
    return len(word) >= 3 and (
        process.extractOne(word, index.postings.keys(), scorer=OSA.distance, score_cutoff=1) is not None
    )


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
