"""Hybrid search: vector similarity and BM25 (LanceDB's own FTS) fused with reciprocal rank fusion.

Why fuse ourselves instead of LanceDB's built-in hybrid query: the two ranked lists are what explains a hit
("meaning rank 1, keywords rank 3"), the keyword side needs a per-word fuzzy query so typos still match,
and with no embedder the same code is simply lexical. Results are re-read from SQL, the source of truth, so
an index row that is momentarily stale can never surface a deleted or inactive entry.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from lancedb.query import BooleanQuery, MatchQuery, Occur
from rapidfuzz import fuzz
from sqlmodel import Session

from engine.db import TenantScope
from engine.knowledge import index as kindex
from engine.knowledge import ranking
from engine.knowledge.embeddings import NO_EMBEDDER, EmbeddingError
from engine.knowledge.records import to_dto
from engine.knowledge.types import Match, SearchHit, SearchResult
from engine.models import KnowledgeEntry

log = logging.getLogger(__name__)

RRF_K = 60
# A word in the title or the keywords says more about what an entry is *about* than one in its body.
COLUMN_BOOSTS = {kindex.TEXT_COLUMN: 1.0}
MAX_QUERY_TERMS = 12
MAX_LIMIT = 50
# HNSW query settings: recall@10 0.99 against the exact scan at 10k and 100k rows
# (benchmarks/knowledge_search.py). Every IVF partition is probed (index.ann_partitions caps them at 64):
# at 100k rows (40 partitions) probing 16 gave recall 0.84, probing all 0.99 for +2 ms p50.
ANN_EF = 64
ANN_NPROBES = 64
ANN_REFINE = 2
VOCABULARY_TTL = 60.0

# The keyword query runs beside the vector query: LanceDB releases the GIL, so the two overlap.
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kb-search")

_STOP_TEXT = """
    a an and are as at be by can could do does did for from how i if in is it its me my of on or our please so
    that the their there this to us was we what when where which who why will with you your yours i'm im hi
    hello hey thanks thank would should have has had any about get got just
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z0-9£€$]+(?:'[a-z]+)?")


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, stop words out, duplicates out, order kept."""
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word.replace("'", "")
        if word in STOP_WORDS or len(word) < 2 or word in seen:
            continue
        seen.append(word)
    return seen[:MAX_QUERY_TERMS]


FUZZY_MAX_CHARS = 24


def _fuzziness(term: str, vocabulary: frozenset[str] = frozenset()) -> int:
    # Edit distance allowed per word: none for words the index knows (the common case, and fuzzy expansion
    # costs 2-3x), none for short words (too many neighbours), 1 for medium, 2 for long ones; none past
    # FUZZY_MAX_CHARS: no word that long is a typo, and its automaton breaks Lance's 10,000-state limit (a
    # base64 blob in a message failed the whole search).
    if term in vocabulary or len(term) <= 3 or term.isdigit() or len(term) > FUZZY_MAX_CHARS:
        return 0
    return 1 if len(term) <= 6 else 2


_vocabularies: dict[str, tuple[int, float, frozenset[str]]] = {}
_vocabulary_lock = threading.Lock()


def vocabulary(tt: kindex.TenantTable) -> frozenset[str]:
    """Words present in the tenant's index, refreshed when the table changed and the copy is a minute old.

    A stale copy only costs speed (an unknown word gets a fuzzy query, which also matches it exactly).
    """
    now = time.monotonic()
    with _vocabulary_lock:
        cached = _vocabularies.get(tt.name)
    if cached is not None and now - cached[1] < VOCABULARY_TTL:
        return cached[2]
    version = tt.table.version
    if cached is not None and cached[0] == version:
        with _vocabulary_lock:
            _vocabularies[tt.name] = (version, now, cached[2])
        return cached[2]
    words: set[str] = set()
    for batch in (
        tt.table.search().select([kindex.TEXT_COLUMN]).limit(tt.table.count_rows() or 1).to_batches()
    ):
        for text in batch.column(0).to_pylist():
            words.update(w.replace("'", "") for w in _WORD.findall((text or "").lower()))
    result = frozenset(words)
    with _vocabulary_lock:
        _vocabularies[tt.name] = (version, now, result)
    return result


def _escape(value: str) -> str:
    return value.replace("'", "''")


def _where(entry_type: str | None, category: str | None, include_inactive: bool) -> str:
    clauses = ["deleted = false"]
    if not include_inactive:
        clauses.append("is_active = true")
    if entry_type:
        clauses.append(f"entry_type = '{_escape(entry_type.strip().lower())}'")
    if category:
        clauses.append(f"category = '{_escape(' '.join(category.split()).lower())}'")
    return " AND ".join(clauses)


@dataclass
class _Ranked:
    ids: list[int]
    scores: dict[int, float]


def _keyword_search(tt: kindex.TenantTable, terms: Sequence[str], where: str, k: int) -> _Ranked:
    if not terms:
        return _Ranked([], {})
    known = vocabulary(tt)
    queries = [
        (
            Occur.SHOULD,
            MatchQuery(term, column, fuzziness=_fuzziness(term, known), boost=boost, max_expansions=20),
        )
        for term in terms
        for column, boost in COLUMN_BOOSTS.items()
    ]
    rows = (
        tt.table.search(BooleanQuery(queries), query_type="fts")
        .where(where, prefilter=True)
        .select(["id", "_score"])
        .limit(k)
        .to_list()
    )
    return _Ranked([r["id"] for r in rows], {r["id"]: float(r["_score"]) for r in rows})


def _vector_search(tt: kindex.TenantTable, vector: list[float], where: str, k: int) -> _Ranked:
    rows = (
        tt.table.search(vector, vector_column_name=kindex.VECTOR)
        .distance_type("cosine")
        .where(where, prefilter=True)
        .ef(ANN_EF)
        .nprobes(ANN_NPROBES)
        .refine_factor(ANN_REFINE)
        .select(["id"])
        .limit(k)
        .to_list()
    )
    # cosine distance of unit vectors: similarity = 1 - distance
    return _Ranked([r["id"] for r in rows], {r["id"]: 1.0 - float(r["_distance"]) for r in rows})


def _retrieve(
    tt: kindex.TenantTable, vector: list[float] | None, terms: Sequence[str], where: str, k: int
) -> tuple[_Ranked, _Ranked]:
    keyword_future = _pool.submit(_keyword_search, tt, terms, where, k)
    semantic = _vector_search(tt, vector, where, k) if vector is not None else _Ranked([], {})
    return semantic, keyword_future.result()


def _same_word(term: str, word: str) -> bool:
    if term == word:
        return True
    if len(term) >= 4 and len(word) >= 4 and (word.startswith(term[:-1]) or term.startswith(word[:-1])):
        return True  # plural and verb endings: return/returns/returned
    return len(term) >= 5 and len(word) >= 5 and fuzz.ratio(term, word) >= 80


def matched_terms(
    terms: Sequence[str], title: str, keywords: Sequence[str], content: str
) -> dict[str, list[str]]:
    """Which query words (typos allowed) appear in each field: the "why" shown beside a hit."""
    fields = {
        "title": set(_WORD.findall(title.lower())),
        "keywords": {w for k in keywords for w in _WORD.findall(k.lower())},
        "content": set(_WORD.findall(content.lower())),
    }
    found: dict[str, list[str]] = {}
    for name, words in fields.items():
        hits = [t for t in terms if any(_same_word(t, w) for w in words)]
        if hits:
            found[name] = hits
    return found


def normalize_query(query: str | None) -> str:
    """The exact string a search embeds for `query` (the message classifier embeds the same string, so the
    embedding cache gives both one vector per turn)."""
    return " ".join((query or "").split())[:500]


def search(
    session: Session,
    tenant_id: int,
    query: str,
    *,
    limit: int = 5,
    entry_type: str | None = None,
    category: str | None = None,
    include_inactive: bool = False,
    mode: str = "auto",
    vector_text: str | None = None,
) -> SearchResult:
    """Best entries for `query`, best first, each with its fused score and what matched.

    `mode` "lexical" forces BM25 only (the quality test compares both); "auto" is hybrid whenever the live
    index has vectors and its model can embed the query (while a new model's index is built, the previous one
    still serves by meaning), lexical otherwise, and the result says which ran and why.
    `vector_text`: what the vector half embeds, when it is not `query` — the agent searches words with the
    informative terms of a message but embeds the message as written, which the model reads better (and
    which the message classifier embeds too: one vector for both).
    """
    started = time.perf_counter()
    query = normalize_query(query)
    to_embed = (normalize_query(vector_text) or query) if vector_text is not None else query
    limit = max(1, min(int(limit), MAX_LIMIT))
    if not query:
        return SearchResult(query=query, mode="lexical", hits=[], note="empty query")
    tt = kindex.ensure_index(session, tenant_id)
    choice = kindex.resolve_embedder(session, tenant_id)
    timings: dict[str, float] = {}
    note: str | None = choice.problem
    vector: list[float] | None = None
    if mode != "lexical" and choice.name != tt.model and choice.name != NO_EMBEDDER:
        # A new model's index is built beside this one; meanwhile queries use this table's own model.
        kindex.schedule_rebuild(tenant_id)
        failure = kindex.rebuild_failure(tenant_id)
        if failure is not None and failure.model == choice.name:
            note = "the new search index could not be built; the previous one still answers"
        else:
            note = "a new search index is being built; the previous one answers until it is ready"
    if mode != "lexical" and tt.has_vectors:
        embedder = kindex.query_embedder(session, tenant_id, tt)
        if embedder is not None:
            t0 = time.perf_counter()
            try:
                vector = embedder.embed([to_embed])[0]
            except EmbeddingError as exc:
                note = f"query embedding failed ({exc}); words only"
            timings["embed_ms"] = (time.perf_counter() - t0) * 1000
    elif mode != "lexical" and note is None and choice.name == NO_EMBEDDER:
        note = "no search model is set up: search matches words only"

    where = _where(entry_type, category, include_inactive)
    candidates = max(limit * 4, 20)
    terms = query_terms(query)
    t0 = time.perf_counter()
    try:
        semantic, keyword = _retrieve(tt, vector, terms, where, candidates)
    except Exception:
        # The kept table handle may be of a generation another process's rebuild has just dropped.
        log.info("knowledge search of tenant %s retried on a fresh table handle", tenant_id, exc_info=True)
        kindex.forget_table(tenant_id)
        fresh = kindex.ensure_index(session, tenant_id)
        semantic, keyword = _retrieve(
            fresh, vector if fresh.model == tt.model else None, terms, where, candidates
        )
    timings["retrieval_ms"] = (time.perf_counter() - t0) * 1000

    fused: dict[int, float] = {}
    for ranked in (semantic, keyword):
        for rank, entry_id in enumerate(ranked.ids, start=1):
            fused[entry_id] = fused.get(entry_id, 0.0) + 1.0 / (RRF_K + rank)

    # Read back from SQL (truth), a few extra in case the index is momentarily ahead of it.
    ordered = sorted(fused, key=lambda i: -fused[i])[: limit + ranking.EXTRA_CANDIDATES]
    scope = TenantScope(session, tenant_id)
    where_sql = [KnowledgeEntry.id.in_(ordered), KnowledgeEntry.deleted_at.is_(None)]  # type: ignore[union-attr]
    if not include_inactive:
        where_sql.append(KnowledgeEntry.is_active.is_(True))  # type: ignore[attr-defined]
    rows = {r.id: r for r in scope.all(KnowledgeEntry, *where_sql)} if ordered else {}
    dtos = {i: to_dto(r) for i, r in rows.items()}
    # Re-ranked for the question's specificity, the owner's priority and near-duplicates (ranking.py).
    ranked = {
        r.entry_id: r
        for r in ranking.order(
            query,
            terms,
            ordered,
            dtos,
            fused,
            semantic.ids,
            limit,
        )
    }
    ordered = list(ranked)

    sem_rank = {i: r for r, i in enumerate(semantic.ids, start=1)}
    key_rank = {i: r for r, i in enumerate(keyword.ids, start=1)}
    hits = []
    for entry_id in ordered:
        dto = dtos[entry_id]
        match = Match(
            semantic_rank=sem_rank.get(entry_id),
            semantic_similarity=round(semantic.scores[entry_id], 4) if entry_id in semantic.scores else None,
            keyword_rank=key_rank.get(entry_id),
            keyword_score=round(keyword.scores[entry_id], 4) if entry_id in keyword.scores else None,
            terms=ranked[entry_id].terms,
            reason=ranked[entry_id].reason,
        )
        hits.append(SearchHit(entry=dto, score=ranked[entry_id].score, match=match))
    timings["total_ms"] = (time.perf_counter() - started) * 1000
    return SearchResult(
        query=query,
        mode="hybrid" if vector is not None else "lexical",
        hits=hits,
        embedding_model=tt.model if vector is not None else None,
        note=note,
        timings_ms={k: round(v, 2) for k, v in timings.items()},
    )
