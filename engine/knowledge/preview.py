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
    model: str  # the embedding model the live index answers with; "" when none (a code: the console words it)
    note: str  # one sentence for the search box's badge
    warning: str = ""  # a new index could not be built: why, in words, and that the previous one serves
    can_retry: bool = False  # the Knowledge page offers "Retry"
    building: bool = False  # a new index is being built right now (in this process)


@dataclass(frozen=True, slots=True)
class EntryPreview:
    index_text: str  # what the embedder reads
    offline_reply: str  # what the offline provider answers from this entry alone; "" without content


def index_status(session: Session, tenant_id: int) -> SearchMode:
    """Hybrid whenever the live index holds vectors, also while an index for a new model is built beside it
    (queries are embedded with the live index's model meanwhile); words only without a model. A build that
    failed is a warning with a Retry, never a silent fall to words only."""
    status = kindex.status(session, tenant_id)
    live = status.embedding_model if status.table else NO_EMBEDDER
    mode = "hybrid" if live != NO_EMBEDDER else "lexical"
    model = live if live != NO_EMBEDDER else ""
    if status.failure and status.failed_model:
        keeps = (
            "Search keeps using the previous index, by meaning and words."
            if mode == "hybrid"
            else "Search keeps matching words until it is built."
        )
        warning = f"The new search index could not be built: {failure_words(status.failure)}. {keeps}"
        return SearchMode(mode, model, warning, warning=warning, can_retry=True)
    if status.configured_model == NO_EMBEDDER and live == NO_EMBEDDER:
        return SearchMode("lexical", "", "No search model is set up, so search matches words, not meaning.")
    if status.rebuilding or live != status.configured_model:
        note = "A new search index is being built; the current one answers until it is ready."
        return SearchMode(mode, model, note, building=status.rebuilding)
    return SearchMode(mode, model, "Search matches meaning and words, like the agent does.")


def failure_words(reason: str) -> str:
    """A failed build's reason (the provider's own text, kept in the log) as a shop owner reads it."""
    text = reason.lower()
    if "401" in text or "api key" in text or "unauthorized" in text:
        return "the AI provider refused the API key"
    if "403" in text:
        return "the API key may not use the search model"
    if "429" in text or "rate limit" in text or "quota" in text:
        return "the AI provider is limiting requests right now"
    if "timed out" in text or "timeout" in text:
        return "the AI provider did not answer in time"
    if "no openai api key" in text or "no together api key" in text:
        return "no API key is saved for the search model's provider"
    return "the search model could not be reached"


def retry_index_build(tenant_id: int) -> None:
    """The Knowledge page's Retry: build the index for the configured model again, in the background."""
    kindex.retry_rebuild(tenant_id)


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


__all__ = [
    "EntryPreview",
    "SearchMode",
    "failure_words",
    "index_status",
    "preview_entry",
    "retry_index_build",
]
