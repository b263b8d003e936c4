"""The message classifier's cost and determinism (issue #13): one embedding per turn, shared with knowledge
search through the embedding cache, and a vote that is always waited for — a slow or loaded machine answers
the customer exactly as a quiet one does."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from engine.agent import classify
from engine.agent.pipeline import process_message
from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.knowledge import index as kindex
from engine.knowledge.embeddings import CachedEmbedder, HashingEmbedder, build_embedder
from engine.knowledge.search import normalize_query, search
from tests.engine.agent.conftest import Shop


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
    index = classify.fit_index(vectors, labels, np.array([""] * 8), SlowModel.name)
    monkeypatch.setattr(classify, "_index", index)
    CachedEmbedder.clear()
    classify.forget_verdicts()
    yield
    CachedEmbedder.clear()
    classify.forget_verdicts()


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
    pending = classify.start(["can I speak with someone?"], ["en"], requests=[query])
    assert "wants_person" in pending.result()[0].classes
    assert model.texts == [normalize_query(query)]  # one embedding for the turn: the search's


def test_a_search_embedding_the_same_query_at_once_shares_the_one_embedding(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vote does not wait for the knowledge search's look-up, only for the vector: when the search and
    the classifier ask for the same query at once, it is embedded once and both get it."""
    model = SlowModel(0.2)
    embedder = _use(monkeypatch, model)
    query = "hello   there,\nanyone"
    search = threading.Thread(target=lambda: embedder.embed([normalize_query(query)]))
    search.start()
    pending = classify.start(["hello there, anyone?"], ["en"], requests=[query])
    verdict = pending.result()[0]
    search.join()
    assert "wants_person" in verdict.classes and model.texts == [normalize_query(query)]


def test_a_slow_embedder_is_waited_for_so_the_verdict_does_not_depend_on_load(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vote of a message embedded slowly (a starved CPU) is the vote of the same message embedded fast."""
    verdicts = []
    for delay in (0.0, 0.3):
        CachedEmbedder.clear()
        _use(monkeypatch, SlowModel(delay))
        verdicts.append(classify.start(["is anybody there at all"], ["en"]).result()[0])
    assert verdicts[0] == verdicts[1] and "wants_person" in verdicts[1].classes


def test_earlier_messages_are_judged_on_their_own_text_whatever_the_cache_holds(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = SlowModel(0.0)
    _use(monkeypatch, model)
    first = classify.classify_messages(["hello there"], ["en"])
    CachedEmbedder.clear()  # another worker process, or an evicted cache entry
    classify.forget_verdicts()
    again = classify.classify_messages(["hello there"], ["en"])
    assert first == again and model.texts == [classify.embed_text("hello there")] * 2


def test_an_earlier_message_keeps_the_verdict_of_its_own_turn_without_a_second_embedding(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each turn judges the session's earlier messages again; the one whose turn embedded the knowledge
    search's query (not its raw text) is not embedded again on the next turn's reply path."""
    model = SlowModel(0.0)
    _use(monkeypatch, model)
    query = "Hello  there,\nanyone"
    this_turn = classify.start(["hello there, anyone?"], ["en"], requests=[query]).result()
    next_turn = classify.classify_messages(["hello there, anyone?", "ok thanks"], ["en", "en"])
    assert next_turn[0] == this_turn[0] and "wants_person" in next_turn[0].classes
    assert model.texts == [normalize_query(query), classify.embed_text("ok thanks")]


def test_a_broken_embedder_leaves_the_lexicons(fake_index: None, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(SlowModel):
        def embed(self, texts: Sequence[str]) -> list[list[float]]:
            raise RuntimeError("model file is corrupt")

    _use(monkeypatch, Broken(0.0))
    assert classify.start(["is this thing on"], ["en"]).result() == [
        classify.lexicon_signals("is this thing on")
    ]


def test_lexicon_decided_messages_start_no_embedding(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = SlowModel(0.0)
    _use(monkeypatch, model)
    pending = classify.start(["I want to talk to a human"], ["en"])
    assert pending.future is None and "wants_person" in pending.result()[0].classes and model.texts == []


def test_messages_answered_in_english_that_are_not_english_start_no_embedding(
    fake_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hinglish, and a message the detector was unsure of, are answered in English (the stored or default
    language) but are not English: the English exemplars do not vote on them; an English one is voted on."""
    model = SlowModel(0.0)
    _use(monkeypatch, model)
    others = ["aapka staff bahut accha hai", "qual o prazo de entrega pra Curitiba?"]
    pending = classify.start(others, ["en", "en"])
    assert pending.future is None and pending.result() == [classify.lexicon_signals(t) for t in others]
    assert classify.classify_messages(others, ["en", "en"]) == pending.result() and model.texts == []
    assert "wants_person" in classify.classify_messages(["is your staff around today"], ["en"])[0].classes


@pytest.mark.parametrize(
    "question",
    [
        "how long do refunds take to reach my card?",  # a knowledge question: searched at once
        "and do you do gift wrapping",  # reads like a product question: searched when the catalogue is unsure
    ],
)
def test_a_turn_embeds_its_one_request_once_for_the_search_and_the_vote(
    shop: Shop, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    """Through the whole pipeline: the knowledge search matches the request's informative words but embeds the
    request as the intents read it, and the classifier votes on that same vector — one embedding a turn (the
    search once embedded its term list and the classifier the message: two)."""
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "hashing:64")
    reset_settings_cache()
    monkeypatch.setattr(kindex, "BACKGROUND_REBUILDS", False)
    kindex.reset_embedders()
    with session_scope() as session:
        search(session, shop.tenant_id, "warm up")  # the index, built with vectors
    kindex.run_pending_rebuilds()
    embedder = build_embedder("hashing:64")
    assert embedder is not None
    person = ["can I talk to a person", "a human please", "get me someone real", "I want a real agent"]
    ordinary = ["do you have boots", "what time do you open", "how much is delivery", "thanks a lot"]
    vectors = np.asarray(embedder.embed(person + ordinary), dtype=np.float32)
    labels = np.array(["wants_person"] * 4 + ["none"] * 4)
    monkeypatch.setattr(
        classify, "_index", classify.fit_index(vectors, labels, np.array([""] * 8), embedder.name)
    )
    monkeypatch.setattr(classify, "semantic_embedder", lambda: embedder)
    embedded: list[str] = []  # what the model computed
    asked: list[tuple[str, str]] = []  # (thread, text) of every request for a vector, cached or not
    model_embed, cache_embed = HashingEmbedder.embed, CachedEmbedder.embed

    def computed(self: HashingEmbedder, texts: Sequence[str]) -> list[list[float]]:
        embedded.extend(texts)
        return model_embed(self, texts)

    def requested(self: CachedEmbedder, texts: Sequence[str]) -> list[list[float]]:
        asked.extend((threading.current_thread().name.split("_")[0], t) for t in texts)
        return cache_embed(self, texts)

    monkeypatch.setattr(HashingEmbedder, "embed", computed)
    monkeypatch.setattr(CachedEmbedder, "embed", requested)
    CachedEmbedder.clear()
    classify.forget_verdicts()
    process_message(shop.tenant_id, shop.conversation_id, question)
    kindex.reset_embedders()
    request = normalize_query(question.removeprefix("and "))
    assert sorted(asked) == [("agent-classify", request), ("agent-kb", request)]  # both want the vector…
    assert embedded == [request]  # …and it is computed once
