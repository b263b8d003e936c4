"""The message classifier's cost (issue #13: ≤ 5 ms p95 per turn): one embedding per turn, shared with
knowledge search through the embedding cache, and a bounded wait after which the lexicon verdict stands."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from engine.agent import classify
from engine.knowledge.embeddings import CachedEmbedder, content_hash
from engine.knowledge.search import normalize_query


class SlowModel:
    """An embedder that takes `delay` seconds and counts what it was asked to embed."""

    name = "slow-test-model"
    dimension = 4

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.texts += list(texts)
        time.sleep(self.delay)
        return [[0.0, 1.0, 0.0, 0.0] for _ in texts]


@pytest.fixture
def fake_index(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Eight exemplars: "wants a person" near (0, 1, 0, 0), ordinary messages near (1, 0, 0, 0)."""
    vectors = np.array([[0.0, 1.0, 0.0, 0.0]] * 4 + [[1.0, 0.0, 0.0, 0.0]] * 4, dtype=np.float32)
    labels = np.array(["wants_person"] * 4 + ["none"] * 4)
    index = classify.ExemplarIndex(vectors, labels, np.array([""] * 8), SlowModel.name)
    monkeypatch.setattr(classify, "_index", index)
    CachedEmbedder.clear()
    yield
    CachedEmbedder.clear()


def _use(monkeypatch: pytest.MonkeyPatch, model: SlowModel) -> CachedEmbedder:
    embedder = CachedEmbedder(model, shared=False)
    monkeypatch.setattr(classify, "semantic_embedder", lambda: embedder)
    return embedder


def test_one_text_embedded_once_when_two_threads_ask_at_once() -> None:
    CachedEmbedder.clear()
    model = SlowModel(0.2)
    embedder = CachedEmbedder(model, shared=False)
    got: list[list[list[float]]] = []
    threads = [threading.Thread(target=lambda: got.append(embedder.embed(["same text"]))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert model.texts == ["same text"] and len(got) == 3 and all(g == got[0] for g in got)
    CachedEmbedder.clear()


def test_the_classifier_embeds_the_search_query_and_reuses_its_vector(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = SlowModel(0.0)
    embedder = _use(monkeypatch, model)
    query = "can  I speak with\nsomeone"
    embedder.embed([normalize_query(query)])  # what knowledge search embedded for this turn
    pending = classify.start(["can I speak with someone?"], ["en"], search_text=query, budget=5.0)
    assert "wants_person" in pending.result()[0].classes
    assert model.texts == [normalize_query(query)]  # one embedding for the turn: the search's
    # The session's next turns find it by the message's own text (no model call).
    found = classify.classify_messages(["can I speak with someone?"], ["en"], cached_only=True)
    assert "wants_person" in found[0].classes and len(model.texts) == 1


def test_past_the_budget_the_lexicons_decide_and_the_wait_is_bounded(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = SlowModel(0.5)
    _use(monkeypatch, model)
    pending = classify.start(["is this thing on"], ["en"], budget=0.03)
    started = time.perf_counter()
    signals = pending.result(timeout=5)
    waited = time.perf_counter() - started
    assert waited < 0.2 and not signals[0].classes and pending.abandoned
    # A vector the cache already holds still votes past the budget (a dot product, no model call).
    embedder = classify.semantic_embedder()
    embedder.seed(content_hash(embedder.name, classify.embed_text("hello there")), [0.0, 1.0, 0.0, 0.0])
    late = classify.start(["hello there"], ["en"], budget=0.0)
    assert "wants_person" in late.result()[0].classes


def test_lexicon_decided_messages_start_no_embedding(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = SlowModel(0.0)
    _use(monkeypatch, model)
    pending = classify.start(["I want to talk to a human"], ["en"])
    assert pending.future is None and "wants_person" in pending.result()[0].classes and model.texts == []
