"""Knowledge tests run with a deterministic embedder (no model, no network) and inline rebuilds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.knowledge import index as kindex
from engine.knowledge.embeddings import CachedEmbedder


@pytest.fixture(autouse=True)
def _knowledge_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "hashing:64")
    monkeypatch.setattr(kindex, "BACKGROUND_REBUILDS", False)
    kindex.reset_embedders()
    CachedEmbedder.clear()
    yield
    kindex.run_pending_rebuilds()
    kindex.reset_embedders()


@pytest.fixture
def lexical(monkeypatch: pytest.MonkeyPatch) -> None:
    """No embedder configured: the index is words only."""
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "none")
    kindex.reset_embedders()
