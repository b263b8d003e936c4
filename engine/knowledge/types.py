"""What the knowledge service hands out: plain dataclasses, never ORM rows.

The console keeps these in page state and the REST API serialises them with `asdict`, so neither ever holds
a live SQLModel object (whose lazy loads would run outside any session, and whose content is decrypted).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

ENTRY_TYPES: tuple[str, ...] = ("faq", "policy", "procedure", "document", "info")
MAX_TITLE = 200
MAX_CONTENT = 20_000
MAX_CATEGORY = 80
MAX_KEYWORDS = 30
MAX_KEYWORD_LENGTH = 60
MAX_SOURCE = 500
MAX_IMPORT_ROWS = 10_000


class KnowledgeError(Exception):
    """Refused input for one entry (a bad field, an unknown version): shown to the user as it is.

    `errors` lists every bad field (row 0), so a form can mark all of them at once.
    """

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class KnowledgeIndexError(RuntimeError):
    """The search index could not be written; the SQL change is rolled back with it."""


@dataclass(frozen=True)
class EntryData:
    """The editable fields of an entry, validated (see `validate_entry_fields`)."""

    title: str
    content: str
    entry_type: str = "faq"
    category: str | None = None
    keywords: list[str] = field(default_factory=list)
    priority: int = 0
    is_active: bool = True
    internal: bool = False  # used for reasoning, never quoted to customers


@dataclass(frozen=True)
class EntryDTO:
    id: int
    entry_type: str
    title: str
    content: str
    keywords: list[str]
    category: str | None
    priority: int
    is_active: bool
    version: int
    source: str | None
    source_position: int | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    internal: bool = False

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["deleted"] = self.deleted
        return data


@dataclass(frozen=True)
class VersionDTO:
    entry_id: int
    version: int
    entry_type: str
    title: str
    content: str
    keywords: list[str]
    category: str | None
    priority: int
    is_active: bool
    created_by_user_id: int | None
    created_at: datetime
    is_current: bool
    internal: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FieldDiff:
    """One field that differs between two versions; `lines` is a unified diff for multi-line text."""

    field: str
    old: Any
    new: Any
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EntryPage:
    items: list[EntryDTO]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [item.to_dict() for item in self.items],
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "pages": self.pages,
        }


@dataclass(frozen=True)
class Match:
    """Why a hit was returned: its rank in each retriever and the query words found in each field."""

    semantic_rank: int | None = None
    semantic_similarity: float | None = None
    keyword_rank: int | None = None
    keyword_score: float | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)
    reason: str = ""  # in a shop owner's words, from ranking.py: "matched 'delivery' and 'how long'"

    @property
    def summary(self) -> str:
        """One line for people: the ranking's reason, else "meaning (rank 1, …) · words in title: return"."""
        if self.reason:
            return self.reason
        parts: list[str] = []
        if self.semantic_rank is not None:
            sim = (
                f", similarity {self.semantic_similarity:.2f}" if self.semantic_similarity is not None else ""
            )
            parts.append(f"meaning (rank {self.semantic_rank}{sim})")
        if self.keyword_rank is not None:
            parts.append(f"keywords (rank {self.keyword_rank})")
        for where, words in self.terms.items():
            if words:
                parts.append(f"words in {where}: {', '.join(words)}")
        return " · ".join(parts) or "no direct match"


@dataclass(frozen=True)
class SearchHit:
    entry: EntryDTO
    score: float
    match: Match

    def to_dict(self) -> dict[str, Any]:
        match = asdict(self.match)
        match["summary"] = self.match.summary
        return {"entry": self.entry.to_dict(), "score": self.score, "match": match}


@dataclass(frozen=True)
class SearchResult:
    """Hits best first, and which retrieval ran: "hybrid", or "lexical" with the reason in `note`."""

    query: str
    mode: str
    hits: list[SearchHit]
    embedding_model: str | None = None
    note: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "mode": self.mode,
            "embedding_model": self.embedding_model,
            "note": self.note,
            "hits": [hit.to_dict() for hit in self.hits],
        }


@dataclass(frozen=True)
class RowError:
    """One problem in an import file: `row` counts data rows from 1 (the CSV header is not a row)."""

    row: int
    field: str
    error: str


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import. Nothing is written unless `errors` is empty (all-or-nothing)."""

    rows: int
    created: int = 0
    replaced: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    preview: list[EntryData] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "replaced": self.replaced,
            "dry_run": self.dry_run,
            "errors": [asdict(e) for e in self.errors],
            "preview": [asdict(p) for p in self.preview],
        }


@dataclass(frozen=True)
class IndexStatus:
    """What the tenant's search index holds compared with SQL (for the console and the repair job)."""

    tenant_id: int
    table: str | None
    embedding_model: str
    configured_model: str
    rows: int
    missing: int = 0
    stale: int = 0
    extra: int = 0
    rebuilding: bool = False
    failed_model: str | None = None  # a new index for this model could not be built; the live one serves
    failure: str | None = None  # why, in one line

    @property
    def consistent(self) -> bool:
        return (
            not (self.missing or self.stale or self.extra) and self.embedding_model == self.configured_model
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["consistent"] = self.consistent
        return data
