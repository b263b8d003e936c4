"""The LanceDB search index of each tenant's knowledge: an exact, rebuildable mirror of the SQL rows.

One table per tenant and generation, `kb_<tenant>_g<n>`; the newest generation is the live one. A rebuild
(new embedding model, `engine reindex`) fills generation n+1 beside the live one, catches up with writes that
landed meanwhile, then drops the older ones: searches never see a half-built index.

A new embedding model never costs search its meaning: until the new generation is complete, queries are
embedded with the live table's own model (`query_embedder`), so search stays hybrid. A build that fails (a
key the provider refuses, a model that will not load) leaves the live table in place, is logged as one line
and remembered (`rebuild_failure`) for the Knowledge page's warning and its Retry (`retry_rebuild`); it is
not tried again on every search, only after RETRY_AFTER or when the keys change.

Consistency with SQL, which is the source of truth:
- every service write mirrors its rows *inside* the SQL transaction, after the flush and before the commit. A
  LanceDB failure raises, so the SQL change rolls back; a later SQL rollback (or a failed commit) runs the
  registered undo, which puts the previous index rows back;
- each index row carries a fingerprint of the SQL row it mirrors, so `repair` finds missing, stale and extra
  rows (and rows whose vector could not be computed when written) and fixes exactly those.

The index stores the text of customer-facing entries in clear (BM25 needs it): protect LANCEDB_URI like the
database. Entries marked internal ("used for reasoning, never quoted to customers") are mirrored without any
text: blank title, keywords, content and search text, only their vector (found by meaning, not by words) and
their flags. The SQL row, encrypted, stays the only copy of their words (docs/security.md).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import lancedb
import pyarrow as pa
from lancedb.index import FTS, HnswSq
from sqlalchemy import event
from sqlmodel import Session, select

from engine.accounts.secrets import get_secret
from engine.cache import get_cache
from engine.catalog import invalidate_vocabulary
from engine.config import get_settings, reset_settings_cache
from engine.db import session_scope
from engine.knowledge.embeddings import (
    NO_EMBEDDER,
    CachedEmbedder,
    Embedder,
    EmbeddingError,
    build_embedder,
    content_hash,
    embedder_name,
)
from engine.knowledge.records import all_entries, fingerprint
from engine.knowledge.types import EntryDTO, IndexStatus, KnowledgeIndexError
from engine.models import AgentConfiguration, Tenant

log = logging.getLogger(__name__)

VECTOR = "vector"
# One full-text column: title and keywords repeated ahead of the content weigh more in BM25 than body words,
# at the cost of one index and one posting list per query word (three columns tripled the query cost).
TEXT_COLUMN = "search_text"
TEXT_COLUMNS = (TEXT_COLUMN,)
# Past this many rows a flat vector scan costs more than the p95 budget: build an ANN index (see benchmarks/).
ANN_MIN_ROWS = 5_000
LOCK_TTL = 300.0
LOCK_WAIT = 120.0

# Rebuilds after a model change run in a thread; tests flip this to run them inline.
BACKGROUND_REBUILDS = True


# --- the embedder a tenant is configured with ---------------------------------------------------------------


@dataclass(frozen=True)
class EmbedderChoice:
    """What the tenant's configuration asks for, and what could actually be built."""

    spec: str
    name: str  # the model name recorded on the index ("none" for lexical)
    embedder: Embedder | None
    problem: str | None = None


_embedder_cache: dict[tuple[str, str], Embedder | None] = {}
_embedder_lock = threading.Lock()


def configured_spec(session: Session, tenant_id: int) -> str:
    """The tenant's own choice (agent configuration), else KNOWLEDGE_EMBEDDER, else "auto"."""
    config = session.exec(select(AgentConfiguration).where(AgentConfiguration.tenant_id == tenant_id)).first()
    tenant_spec = getattr(config, "embedding_model", None) if config is not None else None
    if tenant_spec:
        return str(tenant_spec)
    return get_settings().knowledge_embedder or "auto"


def tenant_credentials(session: Session, tenant_id: int) -> dict[str, str | None]:
    """Keys stored in the console override the environment's (DESIGN.md §4)."""
    settings = get_settings()
    return {
        "openai_api_key": get_secret(session, tenant_id, "openai_api_key") or settings.openai_api_key,
        "openai_base_url": settings.openai_base_url,
        "together_api_key": get_secret(session, tenant_id, "together_api_key") or settings.together_api_key,
        "together_base_url": settings.together_base_url,
    }


_choices: dict[int, tuple[float, EmbedderChoice]] = {}
CHOICE_TTL = 15.0


def resolve_embedder(session: Session, tenant_id: int, *, fresh: bool = False) -> EmbedderChoice:
    """The tenant's embedder; remembered for CHOICE_TTL seconds (reading it costs three queries and a
    decryption, on every search), re-read when `fresh` (rebuilds and repairs)."""
    now = time.monotonic()
    cached = _choices.get(tenant_id)
    if cached is not None and not fresh and now - cached[0] < CHOICE_TTL:
        return cached[1]
    choice = _resolve(session, tenant_id)
    _choices[tenant_id] = (now, choice)
    return choice


def _resolve(session: Session, tenant_id: int) -> EmbedderChoice:
    spec = configured_spec(session, tenant_id)
    creds = tenant_credentials(session, tenant_id)
    name = embedder_name(spec, creds)
    if name == NO_EMBEDDER:
        return EmbedderChoice(spec, NO_EMBEDDER, None)
    fingerprint_of_keys = hashlib.sha256(repr(sorted(creds.items())).encode()).hexdigest()
    key = (name, fingerprint_of_keys)
    with _embedder_lock:
        if key not in _embedder_cache:
            try:
                _embedder_cache[key] = build_embedder(spec, creds)
            except EmbeddingError as exc:
                # The wanted model's name is kept: the live table keeps serving, no words-only rebuild.
                log.warning("tenant %s: embedder %s unavailable: %s", tenant_id, spec, exc)
                return EmbedderChoice(spec, name, None, problem=f"{name} unavailable: {exc}")
        embedder = _embedder_cache[key]
    return EmbedderChoice(spec, name, embedder)


def spec_for_model(model: str) -> str | None:
    """The spec that builds the embedder an index records as its model (`local:<name>` → "local"), or None."""
    kind = model.partition(":")[0]
    if model == NO_EMBEDDER or not model:
        return None
    if kind == "local":
        return "local" if embedder_name("local") == model else None
    return model if kind in ("openai", "together", "hashing") else None


def query_embedder(session: Session, tenant_id: int, tt: TenantTable) -> Embedder | None:
    """The embedder that turns a query into a vector comparable with `tt`'s: the configured one when the
    table was built with it, else the table's own model while a new one is built (None if that cannot be had
    either: then, and only then, search is words only)."""
    if not tt.has_vectors:
        return None
    choice = resolve_embedder(session, tenant_id)
    if choice.embedder is not None and choice.name == tt.model:
        return choice.embedder
    spec = spec_for_model(tt.model)
    if spec is None:
        return None
    creds = tenant_credentials(session, tenant_id)
    key = (tt.model, hashlib.sha256(repr(sorted(creds.items())).encode()).hexdigest())
    with _embedder_lock:
        if key not in _embedder_cache:
            try:
                _embedder_cache[key] = build_embedder(spec, creds)
            except EmbeddingError as exc:
                log.warning("tenant %s: live index model %s unavailable: %s", tenant_id, tt.model, exc)
                return None
        return _embedder_cache[key]


def keys_fingerprint(session: Session, tenant_id: int) -> str:
    return hashlib.sha256(repr(sorted(tenant_credentials(session, tenant_id).items())).encode()).hexdigest()


def reset_embedders() -> None:
    """Forget built embedders and re-read the settings they were built from (tests, or after keys change)."""
    reset_settings_cache()
    with _embedder_lock:
        _embedder_cache.clear()
    _choices.clear()
    _tables.clear()


# --- tables -------------------------------------------------------------------------------------------------

_connections: dict[str, Any] = {}
_conn_lock = threading.Lock()


def connect() -> Any:
    """One LanceDB connection per URI; reads always see the latest version written by any process."""
    uri = get_settings().lancedb_uri
    with _conn_lock:
        if uri not in _connections:
            _connections[uri] = lancedb.connect(uri, read_consistency_interval=timedelta(0))
        return _connections[uri]


def _table_names(db: Any) -> list[str]:
    names: list[str] = []
    token: str | None = None
    while True:
        response = db.list_tables(page_token=token, limit=1000)
        names.extend(response.tables)
        token = response.page_token
        if not token:
            return names


def table_prefix(tenant_id: int) -> str:
    return f"kb_{tenant_id}_g"


def _generations(db: Any, tenant_id: int) -> list[int]:
    pattern = re.compile(rf"^{re.escape(table_prefix(tenant_id))}(\d+)$")
    return sorted((int(m.group(1)) for n in _table_names(db) if (m := pattern.match(n))), reverse=True)


@dataclass
class TenantTable:
    tenant_id: int
    generation: int
    table: Any
    model: str
    dimension: int | None

    @property
    def name(self) -> str:
        return f"{table_prefix(self.tenant_id)}{self.generation}"

    @property
    def has_vectors(self) -> bool:
        return self.dimension is not None


def _wrap(tenant_id: int, generation: int, table: Any) -> TenantTable:
    meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    dim = meta.get("dimension")
    return TenantTable(
        tenant_id, generation, table, meta.get("embedding_model", NO_EMBEDDER), int(dim) if dim else None
    )


_tables: dict[tuple[str, int], TenantTable] = {}


def open_table(tenant_id: int) -> TenantTable | None:
    """The tenant's live table (newest generation that opens), or None before the first build.

    Handles are kept per process (listing tables on every search cost more than the search); a kept handle
    is checked for a newer generation, which another process's rebuild may have created, with one open.
    """
    db = connect()
    key = (get_settings().lancedb_uri, tenant_id)
    cached = _tables.get(key)
    if cached is not None:
        try:
            db.open_table(f"{table_prefix(tenant_id)}{cached.generation + 1}")
        except Exception:
            return cached  # no newer generation: the usual case
    for generation in _generations(db, tenant_id):
        try:
            tt = _wrap(tenant_id, generation, db.open_table(f"{table_prefix(tenant_id)}{generation}"))
        except Exception as exc:  # being created by another process right now: use the previous one
            log.info("knowledge table %s%s not readable yet: %s", table_prefix(tenant_id), generation, exc)
            continue
        _tables[key] = tt
        return tt
    _tables.pop(key, None)
    return None


def forget_table(tenant_id: int) -> None:
    """Drop the kept handle (its table was dropped by a rebuild elsewhere, or this process dropped it)."""
    _tables.pop((get_settings().lancedb_uri, tenant_id), None)


def _schema(model: str, dimension: int | None) -> pa.Schema:
    fields = [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("version", pa.int32()),
        pa.field("title", pa.string()),
        pa.field("keywords", pa.string()),
        pa.field("content", pa.string()),
        pa.field(TEXT_COLUMN, pa.string()),
        pa.field("entry_type", pa.string()),
        pa.field("category", pa.string()),
        pa.field("priority", pa.int32()),
        pa.field("is_active", pa.bool_()),
        pa.field("deleted", pa.bool_()),
        pa.field("source", pa.string()),
        pa.field("fingerprint", pa.string()),
        pa.field("text_hash", pa.string()),
    ]
    if dimension is not None:
        fields.append(pa.field(VECTOR, pa.list_(pa.float32(), dimension), nullable=True))
    metadata = {"embedding_model": model, "dimension": str(dimension) if dimension else ""}
    return pa.schema(fields, metadata=metadata)


def embed_text(entry: EntryDTO) -> str:
    """What the embedder sees: title first (short models truncate), then keywords, then the content."""
    keywords = ", ".join(entry.keywords)
    return f"{entry.title}\n{keywords}\n{entry.content}" if keywords else f"{entry.title}\n{entry.content}"


def search_text(entry: EntryDTO) -> str:
    """What BM25 indexes: title and keywords three times (they say what the entry is about), then the body.

    Repeating them was measured on the demo set: recall@3 words-only 0.88 once, 0.90 twice, 0.91 three times
    (the same as three separately boosted columns, at a third of the query cost).
    """
    head = f"{entry.title}\n{' ; '.join(entry.keywords)}"
    return f"{head}\n{head}\n{head}\n{entry.content}"


def _rows(
    entries: Sequence[EntryDTO], model: str, embedder: Embedder | None, with_vectors: bool
) -> list[dict]:
    texts = [embed_text(e) for e in entries]
    vectors: list[list[float] | None] = [None] * len(entries)
    if with_vectors and embedder is not None and entries:
        try:
            vectors = list(embedder.embed(texts))
        except EmbeddingError as exc:
            # The row is still written (searchable by words); `repair` fills the vector in later.
            log.warning("embedding failed, rows indexed without vectors until the next repair: %s", exc)
    rows = []
    for entry, text, vector in zip(entries, texts, vectors, strict=True):
        clear = not entry.internal  # an internal entry's words never reach the index files
        row = {
            "id": entry.id,
            "version": entry.version,
            "title": entry.title if clear else "",
            "keywords": " ; ".join(entry.keywords) if clear else "",
            "content": entry.content if clear else "",
            TEXT_COLUMN: search_text(entry) if clear else "",
            "entry_type": entry.entry_type,
            "category": entry.category or "",
            "priority": entry.priority,
            "is_active": entry.is_active,
            "deleted": entry.deleted_at is not None,
            "source": entry.source or "",
            "fingerprint": fingerprint(entry),
            "text_hash": content_hash(model, text),
        }
        if with_vectors:
            row[VECTOR] = vector or None
        rows.append(row)
    return rows


def _arrow(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def _id_list(ids: Sequence[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def _read(tt: TenantTable, columns: list[str], ids: Sequence[int] | None = None) -> pa.Table:
    total = tt.table.count_rows()
    if total == 0:
        return _schema(tt.model, tt.dimension).empty_table().select(columns)
    query = tt.table.search().select(columns).limit(total)
    if ids is not None:
        if not ids:
            return _schema(tt.model, tt.dimension).empty_table().select(columns)
        query = query.where(f"id IN ({_id_list(ids)})")
    return query.to_arrow().select(columns)


def _sql_text(value: str) -> str:
    """A string literal for a LanceDB (DataFusion) filter: quotes doubled, nothing else is special."""
    return "'" + value.replace("'", "''") + "'"


def substring_matches(tenant_id: int, needle: str) -> dict[int, tuple[int, bool]] | None:
    """For every row of the tenant's index: its entry version, and whether `needle` occurs in the title,
    content or keywords (case-insensitively) or in the category. `needle` comes lower-cased.

    The index keeps these fields in clear, so the test is one columnar scan instead of decrypting every SQL
    row. Keywords are stored joined by " ; ": a needle without ";" cannot span two of them, so the test equals
    "in some keyword"; with ";" it may over-match, and the caller checks those rows itself.
    None when the tenant has no index table yet.
    """
    tt = open_table(tenant_id)
    if tt is None:
        return None
    literal = _sql_text(needle)
    hit = " OR ".join(
        [
            f"strpos(lower(title), {literal}) > 0",
            f"strpos(lower(content), {literal}) > 0",
            f"strpos(lower(keywords), {literal}) > 0",
            f"strpos(category, {literal}) > 0",  # stored lower-cased, compared as stored (as the SQL path)
        ]
    )
    # Internal entries are indexed without text (blank title): left out, so the caller tests their SQL rows.
    query = tt.table.search().where("title <> ''").select({"id": "id", "version": "version", "hit": hit})
    query = query.limit(None)
    data = query.to_arrow()
    ids, versions, hits = (data[c].to_pylist() for c in ("id", "version", "hit"))
    return {i: (v, bool(h)) for i, v, h in zip(ids, versions, hits, strict=True)}


def _all_columns(tt: TenantTable) -> list[str]:
    return list(_schema(tt.model, tt.dimension).names)


def _seed_vectors(tt: TenantTable, embedder: Embedder | None, ids: Sequence[int] | None = None) -> None:
    """Hand the vectors the table already holds to the cache, so unchanged texts are not embedded again."""
    if not tt.has_vectors or not isinstance(embedder, CachedEmbedder) or tt.model != embedder.name:
        return
    data = _read(tt, ["text_hash", VECTOR], ids).to_pylist()
    for row in data:
        if row[VECTOR] is not None:
            embedder.seed(row["text_hash"], row[VECTOR])


def _ensure_text_indexes(tt: TenantTable) -> None:
    existing = {tuple(ix.columns) for ix in tt.table.list_indices()}
    for column in TEXT_COLUMNS:
        if (column,) not in existing:
            tt.table.create_index(column, config=FTS(with_position=False), replace=True)


def ann_partitions(rows: int) -> int:
    """IVF partitions of the HNSW index: one graph per ~2,500 rows keeps builds quick and recall high."""
    return max(1, min(64, round(rows / 2_500)))


def _ensure_vector_index(tt: TenantTable) -> None:
    """Past ANN_MIN_ROWS, an IVF-HNSW-SQ index (measured on 2 cores at 10k rows: flat scan p50 ~30 ms, this
    index ~8-10 ms with recall@10 0.99 at ef 64 and refine 2; see benchmarks/knowledge_search.py)."""
    if not tt.has_vectors:
        return
    rows = tt.table.count_rows("vector IS NOT NULL")
    if rows < ANN_MIN_ROWS:
        return
    existing = {tuple(ix.columns) for ix in tt.table.list_indices()}
    if (VECTOR,) not in existing:
        config = HnswSq(distance_type="cosine", num_partitions=ann_partitions(rows))
        tt.table.create_index(VECTOR, config=config, replace=True)


def _create(
    tenant_id: int, generation: int, rows: list[dict], model: str, dimension: int | None
) -> TenantTable:
    db = connect()
    schema = _schema(model, dimension)
    name = f"{table_prefix(tenant_id)}{generation}"
    table = db.create_table(
        name, data=_arrow(rows, schema), schema=schema, mode="overwrite", on_bad_vectors="null"
    )
    tt = _wrap(tenant_id, generation, table)
    _ensure_text_indexes(tt)
    _ensure_vector_index(tt)
    return tt


@contextmanager
def tenant_lock(tenant_id: int) -> Iterator[None]:
    """Serialises index writes and table swaps of one tenant, across processes when Redis is configured."""
    with get_cache().lock(f"kb-index:{tenant_id}", ttl=LOCK_TTL, wait=LOCK_WAIT):
        yield


# --- undo on SQL rollback -----------------------------------------------------------------------------------

_UNDO = "knowledge_index_undo"
_LISTENING = "knowledge_index_listening"


def _after_commit(session: Session) -> None:
    session.info.pop(_UNDO, None)


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is not None:
        return
    undo: list[Callable[[], None]] = session.info.pop(_UNDO, [])
    for action in reversed(undo):
        try:
            action()
        except Exception:  # the repair job will find what this could not put back
            log.exception("could not undo a knowledge index write after a rollback")


def register_undo(session: Session, action: Callable[[], None]) -> None:
    """Run `action` if the session's transaction ends without a commit (rollback, failed commit, close)."""
    if not session.info.get(_LISTENING):
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_transaction_end", _after_transaction_end)
        session.info[_LISTENING] = True
    session.info.setdefault(_UNDO, []).append(action)


def _restore_rows(tenant_id: int, generation: int, ids: list[int], previous: pa.Table) -> None:
    with tenant_lock(tenant_id):
        tt = open_table(tenant_id)
        if tt is None or tt.generation != generation:
            return  # rebuilt meanwhile from committed SQL: nothing of ours to undo
        tt.table.delete(f"id IN ({_id_list(ids)})")
        if previous.num_rows:
            tt.table.add(previous, on_bad_vectors="null")


def _drop_generation(tenant_id: int, generation: int) -> None:
    with tenant_lock(tenant_id):
        try:
            connect().drop_table(f"{table_prefix(tenant_id)}{generation}")
            forget_table(tenant_id)
        except Exception:
            log.exception("could not drop knowledge table of tenant %s", tenant_id)


# --- writes from the service --------------------------------------------------------------------------------


def write_entries(session: Session, tenant_id: int, entries: Sequence[EntryDTO]) -> None:
    """Mirror these (flushed, not yet committed) entries into the index; undone if the transaction fails."""
    if not entries:
        return
    invalidate_vocabulary(tenant_id)  # knowledge keywords feed the spelling corrector's vocabulary
    choice = resolve_embedder(session, tenant_id)
    try:
        with tenant_lock(tenant_id):
            tt = open_table(tenant_id)
            if tt is None:
                # First write for this tenant: build the whole index from what this session sees.
                tt = _build_from(tenant_id, 1, all_entries(session, tenant_id), choice)
                generation = tt.generation
                register_undo(session, lambda: _drop_generation(tenant_id, generation))
                return
            embedder = choice.embedder
            if tt.model != choice.name:
                schedule_rebuild(tenant_id)  # the new model fills a new generation, beside this one
                embedder = query_embedder(session, tenant_id, tt)  # meanwhile: this table's own vectors
            ids = [e.id for e in entries]
            previous = _read(tt, _all_columns(tt), ids)
            _seed_vectors(tt, embedder, ids)
            rows = _rows(entries, tt.model, embedder, tt.has_vectors)
            schema = _schema(tt.model, tt.dimension)
            tt.table.merge_insert("id").when_matched_update_all().when_not_matched_insert_all().execute(
                _arrow(rows, schema), on_bad_vectors="null"
            )
            generation = tt.generation
            register_undo(session, lambda: _restore_rows(tenant_id, generation, ids, previous))
    except (KnowledgeIndexError, EmbeddingError):
        raise
    except Exception as exc:
        raise KnowledgeIndexError(f"the search index could not be updated: {exc}") from exc


def _build_rows(entries: Sequence[EntryDTO], choice: EmbedderChoice) -> tuple[list[dict], str, int | None]:
    """Rows, model name and dimension for a complete table (slow with a model: call it outside the lock)."""
    if choice.embedder is None:
        return _rows(entries, NO_EMBEDDER, None, False), NO_EMBEDDER, None
    try:
        vectors = choice.embedder.embed([embed_text(e) for e in entries]) if entries else []
    except EmbeddingError as exc:
        raise KnowledgeIndexError(f"could not embed the knowledge base with {choice.name}: {exc}") from exc
    dimension = len(vectors[0]) if vectors else choice.embedder.dimension
    rows = _rows(entries, choice.name, None, True)
    for row, vector in zip(rows, vectors, strict=True):
        row[VECTOR] = vector
    return rows, choice.name, dimension


def _build_from(
    tenant_id: int, generation: int, entries: list[EntryDTO], choice: EmbedderChoice
) -> TenantTable:
    """A complete table for these entries (caller holds the tenant lock)."""
    rows, model, dimension = _build_rows(entries, choice)
    return _create(tenant_id, generation, rows, model, dimension)


# --- rebuild and repair -------------------------------------------------------------------------------------

_rebuilding: set[int] = set()
_threads: list[threading.Thread] = []
_rebuild_guard = threading.Lock()


def rebuild(tenant_id: int) -> IndexStatus:
    """Rebuild the tenant's index exactly from committed SQL, into a new generation, then swap.

    Raises KnowledgeIndexError when the configured model cannot embed (the failure is remembered and the
    live table left as it is): a model that does not answer never turns the index into words only.
    """
    with session_scope() as session:
        choice = resolve_embedder(session, tenant_id, fresh=True)
        entries = all_entries(session, tenant_id)
        keys = keys_fingerprint(session, tenant_id)
    current = open_table(tenant_id)
    try:
        if choice.embedder is None and choice.name != NO_EMBEDDER:
            raise KnowledgeIndexError(choice.problem or f"{choice.name} is unavailable")
        if current is not None:
            _seed_vectors(current, choice.embedder)  # unchanged texts under the same model cost nothing
        # Embed outside the lock (slow); the table is created and caught up under it (fast).
        rows, model, dimension = _build_rows(entries, choice)
    except KnowledgeIndexError as exc:
        _remember_failure(tenant_id, choice.name, str(exc), keys)
        raise
    with tenant_lock(tenant_id):
        generations = _generations(connect(), tenant_id)
        generation = (generations[0] + 1) if generations else 1
        tt = _create(tenant_id, generation, rows, model, dimension)
        with session_scope() as session:
            fresh = all_entries(session, tenant_id)
        status = _repair_table(tt, fresh, choice)
        db = connect()
        for old in _generations(db, tenant_id):
            if old < generation:
                db.drop_table(f"{table_prefix(tenant_id)}{old}")
        forget_table(tenant_id)
    forget_failure(tenant_id)
    return status


# --- failed builds: remembered for the Knowledge page, retried on request -----------------------------------

RETRY_AFTER = 15 * 60.0
FAILURE_TTL = 7 * 24 * 3600.0


@dataclass(frozen=True)
class RebuildFailure:
    model: str  # the model the new index was for
    reason: str  # one line, the provider's own words
    at: float  # epoch seconds
    keys: str  # fingerprint of the keys it was tried with: new keys are worth a new try


def _failure_key(tenant_id: int) -> str:
    return f"kb-rebuild-failed:{tenant_id}"


def _remember_failure(tenant_id: int, model: str, reason: str, keys: str) -> None:
    line = " ".join(reason.split())[:300]
    log.warning(
        "knowledge index of tenant %s not rebuilt for %s: %s (the previous index keeps serving)",
        tenant_id,
        model,
        line,
    )
    record = {"model": model, "reason": line, "at": time.time(), "keys": keys}
    get_cache().set(_failure_key(tenant_id), record, ttl=FAILURE_TTL)


def rebuild_failure(tenant_id: int) -> RebuildFailure | None:
    """The last failed build for the configured model, while the live index is still the older one."""
    raw = get_cache().get(_failure_key(tenant_id))
    if not isinstance(raw, dict):
        return None
    try:
        return RebuildFailure(str(raw["model"]), str(raw["reason"]), float(raw["at"]), str(raw["keys"]))
    except (KeyError, TypeError, ValueError):
        return None


def forget_failure(tenant_id: int) -> None:
    get_cache().delete(_failure_key(tenant_id))


def _worth_trying(tenant_id: int) -> bool:
    """After a failure, an automatic rebuild waits RETRY_AFTER, unless the keys or the model changed."""
    failure = rebuild_failure(tenant_id)
    if failure is None:
        return True
    if time.time() - failure.at >= RETRY_AFTER:
        return True
    with session_scope() as session:
        choice = resolve_embedder(session, tenant_id)
        return choice.name != failure.model or keys_fingerprint(session, tenant_id) != failure.keys


def retry_rebuild(tenant_id: int) -> None:
    """The Knowledge page's Retry: forget the failure and build again in the background."""
    forget_failure(tenant_id)
    reset_embedders()
    schedule_rebuild(tenant_id, force=True)


def schedule_rebuild(tenant_id: int, *, force: bool = False) -> None:
    """Rebuild in the background (a changed embedding model); one at a time per tenant in this process, and
    not again right after a failure (see `_worth_trying`) unless `force`."""
    with _rebuild_guard:
        if tenant_id in _rebuilding:
            return
    if not force and not _worth_trying(tenant_id):
        return
    with _rebuild_guard:
        if tenant_id in _rebuilding:
            return
        _rebuilding.add(tenant_id)

    def run() -> None:
        try:
            rebuild(tenant_id)
        except KnowledgeIndexError:
            pass  # logged in one line and remembered by rebuild(); the live index keeps serving
        except Exception as exc:
            with session_scope() as session:
                keys = keys_fingerprint(session, tenant_id)
                model = resolve_embedder(session, tenant_id).name
            _remember_failure(tenant_id, model, f"{type(exc).__name__}: {exc}", keys)
        finally:
            with _rebuild_guard:
                _rebuilding.discard(tenant_id)

    if not BACKGROUND_REBUILDS:
        # Inline, but never inside the caller's tenant lock: the caller releases it first.
        _pending_inline.append(run)
        return
    thread = threading.Thread(target=run, name=f"kb-rebuild-{tenant_id}", daemon=True)
    _threads.append(thread)
    thread.start()


_pending_inline: list[Callable[[], None]] = []


def run_pending_rebuilds() -> None:
    """Tests: run the rebuilds that `schedule_rebuild` queued while BACKGROUND_REBUILDS is off."""
    while _pending_inline:
        _pending_inline.pop(0)()


def wait_for_rebuilds(timeout: float = 120.0) -> None:
    run_pending_rebuilds()
    for thread in list(_threads):
        thread.join(timeout)
        _threads.remove(thread)


def is_rebuilding(tenant_id: int) -> bool:
    with _rebuild_guard:
        return tenant_id in _rebuilding


def _repair_table(tt: TenantTable, entries: list[EntryDTO], choice: EmbedderChoice) -> IndexStatus:
    """Make the table match `entries` exactly (caller holds the lock); returns what had to be fixed."""
    columns = ["id", "fingerprint"] + ([VECTOR] if tt.has_vectors else [])
    indexed = {
        row["id"]: (row["fingerprint"], row.get(VECTOR) is not None or not tt.has_vectors)
        for row in _read(tt, columns).to_pylist()
    }
    wanted = {e.id: e for e in entries}
    missing = [e for i, e in wanted.items() if i not in indexed]
    stale = [
        e
        for i, e in wanted.items()
        if i in indexed and (indexed[i][0] != fingerprint(e) or not indexed[i][1])
    ]
    extra = [i for i in indexed if i not in wanted]
    embedder = choice.embedder if choice.name == tt.model else None
    todo = missing + stale
    if todo:
        _seed_vectors(tt, embedder, [e.id for e in stale])
        rows = _rows(todo, tt.model, embedder, tt.has_vectors)
        tt.table.merge_insert("id").when_matched_update_all().when_not_matched_insert_all().execute(
            _arrow(rows, _schema(tt.model, tt.dimension)), on_bad_vectors="null"
        )
    if extra:
        tt.table.delete(f"id IN ({_id_list(extra)})")
    return IndexStatus(
        tenant_id=tt.tenant_id,
        table=tt.name,
        embedding_model=tt.model,
        configured_model=choice.name,
        rows=tt.table.count_rows(),
        missing=len(missing),
        stale=len(stale),
        extra=len(extra),
    )


def repair(tenant_id: int) -> IndexStatus:
    """Fix drift between SQL and the index (the scheduled job); a changed model means a full rebuild."""
    with session_scope() as session:
        choice = resolve_embedder(session, tenant_id, fresh=True)
    tt = open_table(tenant_id)
    if tt is None or tt.model != choice.name:
        if tt is None or _worth_trying(tenant_id):
            return rebuild(tenant_id)
        choice = EmbedderChoice(tt.model, tt.model, None)  # keep the live table true to SQL meanwhile
    with tenant_lock(tenant_id):
        with session_scope() as session:
            entries = all_entries(session, tenant_id)
        status = _repair_table(tt, entries, choice)
        optimize(tt)
    return status


def optimize(tt: TenantTable) -> None:
    """Fold unindexed rows into the FTS/ANN indexes and compact; after bulk writes and in the repair job."""
    tt.table.optimize()
    _ensure_text_indexes(tt)
    _ensure_vector_index(tt)


def optimize_tenant(tenant_id: int) -> None:
    with tenant_lock(tenant_id):
        tt = open_table(tenant_id)
        if tt is not None:
            optimize(tt)


def status(session: Session, tenant_id: int) -> IndexStatus:
    """How the index compares with SQL right now (read-only)."""
    choice = resolve_embedder(session, tenant_id)
    tt = open_table(tenant_id)
    entries = all_entries(session, tenant_id)
    if tt is None:
        return IndexStatus(tenant_id, None, NO_EMBEDDER, choice.name, 0, missing=len(entries))
    columns = ["id", "fingerprint"]
    indexed = {r["id"]: r["fingerprint"] for r in _read(tt, columns).to_pylist()}
    failure = rebuild_failure(tenant_id)
    wanted = {e.id: fingerprint(e) for e in entries}
    return IndexStatus(
        tenant_id=tenant_id,
        table=tt.name,
        embedding_model=tt.model,
        configured_model=choice.name,
        rows=len(indexed),
        missing=sum(1 for i in wanted if i not in indexed),
        stale=sum(1 for i, f in wanted.items() if i in indexed and indexed[i] != f),
        extra=sum(1 for i in indexed if i not in wanted),
        rebuilding=is_rebuilding(tenant_id),
        failed_model=failure.model if failure and failure.model != tt.model else None,
        failure=failure.reason if failure and failure.model != tt.model else None,
    )


def ensure_index(session: Session, tenant_id: int) -> TenantTable:
    """The live table, built now when the tenant has none yet (e.g. rows written by the demo seed)."""
    tt = open_table(tenant_id)
    if tt is not None:
        return tt
    choice = resolve_embedder(session, tenant_id)
    with tenant_lock(tenant_id):
        tt = open_table(tenant_id)
        if tt is None:
            with session_scope() as fresh:
                entries = all_entries(fresh, tenant_id)
            tt = _build_from(tenant_id, 1, entries, choice)
    return tt


def tenant_ids() -> list[int]:
    with session_scope() as session:
        return [t for t in session.exec(select(Tenant.id)).all() if t is not None]


def reindex(tenant_id: int | None = None) -> list[IndexStatus]:
    """`python -m engine reindex [--tenant ID]`: rebuild exactly from SQL, one tenant or all."""
    targets = [tenant_id] if tenant_id is not None else tenant_ids()
    return [rebuild(t) for t in targets]


def repair_all() -> list[IndexStatus]:
    """The scheduled repair job: every tenant, one failure never stops the others."""
    results = []
    for tenant in tenant_ids():
        try:
            results.append(repair(tenant))
        except KnowledgeIndexError as exc:
            log.warning("knowledge index repair of tenant %s stopped: %s", tenant, " ".join(str(exc).split()))
        except Exception:
            log.exception("knowledge index repair failed for tenant %s", tenant)
    return results


def drop_tenant(tenant_id: int) -> None:
    """Remove every generation of a tenant's index (tenant deletion)."""
    with tenant_lock(tenant_id):
        db = connect()
        for generation in _generations(db, tenant_id):
            db.drop_table(f"{table_prefix(tenant_id)}{generation}")
        forget_table(tenant_id)
