"""What the Knowledge page shows about the search index and about an entry being written.

Two questions a shop owner asks of the knowledge page, answered here rather than in the console so the
console never reaches into the LanceDB index or the offline provider (DESIGN.md §2):

- `index_status`: does the search box match meaning and words (hybrid) or words only, and why;
- `preview_entry`: what the index will read for a draft entry, and what a customer is quoted from it when no
  AI model is available (the offline provider's answer). No database, no writes: it runs on every keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from engine.knowledge import index as kindex
from engine.knowledge.embeddings import NO_EMBEDDER
from engine.knowledge.types import EntryDTO
from engine.llm import offline


@dataclass(frozen=True, slots=True)
class SearchMode:
    """How the tenant's search runs right now."""

    mode: str  # "hybrid" (meaning and words) | "lexical" (words only)
    model: str  # the configured embedding model; "" when none is set up
    note: str  # one sentence for the search box's badge


@dataclass(frozen=True, slots=True)
class EntryPreview:
    index_text: str  # what the embedder reads
    offline_reply: str  # what the offline provider answers from this entry alone; "" without content


def index_status(session: Session, tenant_id: int) -> SearchMode:
    """Hybrid once the index holds vectors of the configured model; words only without a model or while the
    index is rebuilt for a new one (the agent's search falls back the same way)."""
    status = kindex.status(session, tenant_id)
    configured = status.configured_model
    if configured == NO_EMBEDDER:
        note = "No embedding model is set up, so search matches words, not meaning."
        return SearchMode("lexical", "", note)
    if status.rebuilding or status.embedding_model != configured:
        note = f"The index is being rebuilt for {configured}: words only until it is done."
        return SearchMode("lexical", configured, note)
    return SearchMode(
        "hybrid", configured, f"Search matches meaning ({configured}) and words, like the agent does."
    )


def preview_entry(
    *,
    title: str,
    content: str,
    entry_type: str,
    keywords: Sequence[str] = (),
    category: str | None = None,
    entry_id: int = 0,
    is_active: bool = True,
    version: int = 1,
) -> EntryPreview:
    """The index text and the offline answer of a draft entry (blank title: "Untitled entry")."""
    title = " ".join(title.split()) or "Untitled entry"
    content = content.strip()
    now = datetime.now(UTC)
    dto = EntryDTO(
        id=entry_id, entry_type=entry_type, title=title, content=content, keywords=[k for k in keywords if k],
        category=category or None, priority=0, is_active=is_active, version=version or 1,
        source=None, source_position=None, created_at=now, updated_at=now, deleted_at=None,
    )  # fmt: skip
    if not content:
        return EntryPreview(kindex.embed_text(dto), "")
    hit = offline.KnowledgeHit(kind=entry_type, id=str(entry_id), title=title, content=content, score=1.0)
    reply = offline.answer(offline.OfflineContext(query=title, hits=[hit])).reply
    return EntryPreview(kindex.embed_text(dto), reply)


__all__ = ["EntryPreview", "SearchMode", "index_status", "preview_entry"]
