"""Embedders: the real OpenAI and Together SDKs against a scripted server, the cache, and spec resolution."""

from __future__ import annotations

import json

import httpx
import openai
import pytest
import together

from engine.db import session_scope
from engine.knowledge import embeddings as emb
from engine.knowledge import index as kindex
from engine.knowledge.embeddings import CachedEmbedder, EmbeddingError, OpenAIEmbedder, TogetherEmbedder
from tests.factories import new_tenant


class ScriptedEmbeddings:
    """An OpenAI-compatible /embeddings endpoint: vector i is [i+1, 1, 0, ...] so order is checkable."""

    def __init__(self, status: int = 200) -> None:
        self.requests: list[dict] = []
        self.urls: list[str] = []
        self.status = status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        self.urls.append(str(request.url))
        if self.status != 200:
            return httpx.Response(self.status, json={"error": {"message": "rate limited"}})
        data = [
            {"object": "embedding", "index": i, "embedding": [float(i + 1), 1.0, 0.0, 0.0]}
            for i, _ in enumerate(body["input"])
        ]
        data.reverse()  # servers may answer out of order; `index` says where each belongs
        return httpx.Response(
            200,
            json={
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            },
        )


def _openai(server: ScriptedEmbeddings, base_url: str = "http://llm.internal/v1") -> OpenAIEmbedder:
    client = openai.OpenAI(
        api_key="sk-test",
        base_url=base_url,
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )
    return OpenAIEmbedder("sk-test", client=client)


def test_openai_embedder_batches_keeps_order_normalises_and_honours_base_url() -> None:
    server = ScriptedEmbeddings()
    embedder = _openai(server)
    texts = [f"text {i}" for i in range(emb.BATCH + 2)]
    vectors = embedder.embed(texts)
    assert len(vectors) == len(texts) and len(server.requests) == 2
    assert server.requests[0]["model"] == "text-embedding-3-small"
    assert server.urls[0] == "http://llm.internal/v1/embeddings"
    assert vectors[1][0] > vectors[0][0]  # index 1 -> [2, 1, 0, 0], normalised
    assert abs(sum(x * x for x in vectors[0]) - 1.0) < 1e-5
    assert embedder.name == "openai:text-embedding-3-small" and embedder.dimension == 4


def test_provider_errors_become_embedding_errors() -> None:
    with pytest.raises(EmbeddingError, match="openai:text-embedding-3-small"):
        _openai(ScriptedEmbeddings(status=429)).embed(["x"])


def test_together_embedder_uses_the_together_sdk() -> None:
    server = ScriptedEmbeddings()
    client = together.Together(
        api_key="t-test", base_url="http://together.internal/v1", max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )  # fmt: skip
    embedder = TogetherEmbedder("t-test", client=client)
    assert len(embedder.embed(["a", "b"])) == 2
    assert server.requests[0]["model"] == "BAAI/bge-base-en-v1.5" and embedder.name.startswith("together:")


def test_the_cache_embeds_each_distinct_text_once_per_model() -> None:
    server = ScriptedEmbeddings()
    cached = CachedEmbedder(_openai(server))
    first = cached.embed(["a", "b", "a"])
    assert first[0] == first[2] and cached.calls == 2
    again = CachedEmbedder(_openai(server))  # another instance, same process: shared memory and cache
    assert again.embed(["b", "a"]) == [first[1], first[0]] and again.calls == 0
    CachedEmbedder.clear()
    assert CachedEmbedder(_openai(server)).embed(["a"]) == [
        first[0]
    ]  # from the shared (Redis or memory) cache
    assert len(server.requests) == 1


def test_specs_resolve_to_names_without_loading_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emb, "local_model_available", lambda: False)
    assert emb.embedder_name("none") == "none" and emb.build_embedder("none") is None
    assert emb.embedder_name("openai") == "openai:text-embedding-3-small"
    assert emb.embedder_name("together:m2") == "together:m2"
    assert emb.embedder_name("auto", {"together_api_key": "t"}) == "together:BAAI/bge-base-en-v1.5"
    assert emb.embedder_name("auto", {"openai_api_key": "k", "together_api_key": "t"}).startswith("openai:")
    assert emb.embedder_name("auto", {}) == "none"
    with pytest.raises(EmbeddingError, match="unknown embedder"):
        emb.build_embedder("word2vec")
    with pytest.raises(EmbeddingError, match="no OpenAI API key"):
        emb.build_embedder("openai", {})


def test_a_tenant_key_selects_openai_and_a_missing_key_leaves_nothing_to_embed_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from engine.accounts.secrets import set_secret

    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "openai")
    kindex.reset_embedders()
    with session_scope() as s:
        tenant = new_tenant(s)
        choice = kindex.resolve_embedder(s, tenant)
        # The wanted model is kept (a live index of it keeps serving); nothing can embed until a key exists.
        assert choice.name == "openai:text-embedding-3-small" and choice.embedder is None
        assert "no OpenAI API key" in (choice.problem or "")
        set_secret(s, tenant, "openai_api_key", "sk-tenant-key")
        kindex.reset_embedders()
        choice = kindex.resolve_embedder(s, tenant)
    assert choice.name == "openai:text-embedding-3-small" and isinstance(choice.embedder, CachedEmbedder)


def test_local_embedder_refuses_a_missing_model_folder(tmp_path: object) -> None:
    with pytest.raises(EmbeddingError, match="no local embedding model"):
        emb.LocalEmbedder(f"{tmp_path}/nowhere")


def test_hashing_embedder_is_deterministic_and_typo_tolerant() -> None:
    h = emb.HashingEmbedder(128)
    a, b, c = h.embed(["returns policy", "retruns policy", "gift cards"])
    sim = lambda x, y: sum(p * q for p, q in zip(x, y, strict=True))  # noqa: E731
    assert h.embed(["returns policy"])[0] == a and sim(a, b) > sim(a, c)
