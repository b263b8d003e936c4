"""The local model through ONNX Runtime (engine/knowledge/onnx_encoder.py): the vectors `encode` gives, alone
or padded in a batch, computed without holding Python's GIL; exported once and kept on disk; and `encode`
wherever the export does not apply."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from engine.knowledge import onnx_encoder
from engine.knowledge.embeddings import CHUNK, LocalEmbedder, local_model_available

needs_model = pytest.mark.skipif(not local_model_available(), reason="the `local` extra is not installed")

TEXTS = [
    "",
    "  spaces around  ",
    "¿Tienen zapatillas azules en la talla 42?",
    "😡😡 WHY IS NOBODY ANSWERING",
    "where is my order\nit was due on monday",
    "word " * 400,  # beyond the model's 256 tokens: truncated as encode() truncates
]


def _close(a: list[float], b: Any) -> bool:
    return max(abs(float(x) - float(y)) for x, y in zip(a, b, strict=True)) < 1e-5


@pytest.fixture(scope="module")
def local() -> LocalEmbedder:
    embedder = LocalEmbedder()
    embedder._load()
    return embedder


@needs_model
def test_one_text_gives_the_vector_encode_gives(local: LocalEmbedder) -> None:
    model = local._load()
    assert local._onnx is not None  # the shipped model is Transformer -> mean pooling -> normalize
    for text in TEXTS:
        expected = model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0]
        assert _close(local.embed([text])[0], expected), text


@needs_model
def test_a_big_batch_comes_back_in_order_with_each_texts_own_vector(local: LocalEmbedder) -> None:
    """Padded together in chunks sorted by length, each text still gets the vector it gets alone."""
    texts = [f"{'very ' * (i % 7)}question number {i} about the blue shoes" for i in range(CHUNK + 9)]
    texts += TEXTS
    batch = local.embed(texts)
    assert len(batch) == len(texts)
    for text, vector in zip(texts, batch, strict=True):
        assert _close(vector, local.embed([text])[0]), text


@needs_model
def test_a_busy_python_thread_does_not_starve_the_embedding(local: LocalEmbedder) -> None:
    """Eager PyTorch takes the GIL back at every operation: beside a thread busy in Python, one embedding
    took ~40x its time alone. ONNX Runtime's call does not; the bound here is loose (a loaded CI machine)."""
    text = "do you have these running shoes in blue, size 42?"
    local.embed([text])
    started = time.perf_counter()
    for _ in range(5):
        local.embed([text])
    alone = (time.perf_counter() - started) / 5
    stop = threading.Event()

    def busy() -> None:
        n = 0
        while not stop.is_set():
            for i in range(2000):
                n += i

    thread = threading.Thread(target=busy)
    thread.start()
    try:
        started = time.perf_counter()
        for _ in range(5):
            local.embed([text])
        beside = (time.perf_counter() - started) / 5
    finally:
        stop.set()
        thread.join()
    assert beside < max(20 * alone, 0.15)


@needs_model
def test_the_graph_is_exported_once_and_loaded_after(
    local: LocalEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = local._load()
    assert onnx_encoder.compile_encoder(model, local.path, tmp_path) is not None
    assert [p.name for p in tmp_path.iterdir()] == [onnx_encoder.graph_name(local.path)]

    def no_export(*_: Any) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_encoder, "_export", no_export)
    encoder = onnx_encoder.compile_encoder(model, local.path, tmp_path)
    assert encoder is not None
    assert _close(encoder(["hi"])[0], model.encode(["hi"], normalize_embeddings=True)[0])


@needs_model
def test_a_graph_that_fails_or_differs_keeps_encode(
    local: LocalEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = local._load()

    def broken(_model: Any, target: Path) -> None:
        raise RuntimeError("no exporter here")

    monkeypatch.setattr(onnx_encoder, "_export", broken)
    assert onnx_encoder.compile_encoder(model, local.path, tmp_path) is None
    monkeypatch.undo()

    class Shifted:  # a model whose encode() disagrees with its own graph: the probes catch it
        def __init__(self) -> None:
            self.inner = model

        def __iter__(self) -> Any:
            return iter(model)

        def __getitem__(self, i: int) -> Any:
            return model[i]

        def preprocess(self, texts: list[str]) -> Any:
            return model.preprocess(texts) if hasattr(model, "preprocess") else model.tokenize(texts)

        def encode(self, texts: list[str], **kwargs: Any) -> Any:
            return model.encode(texts, **kwargs) * 0.5

    assert onnx_encoder.compile_encoder(Shifted(), local.path, tmp_path) is None


class _Module:
    def __init__(self, name: str, **attrs: Any) -> None:
        self.__class__ = type(name, (), {})
        self.__dict__.update(attrs)


def test_a_pipeline_it_cannot_reproduce_keeps_encode(tmp_path: Path) -> None:
    cls_pooling = [_Module("Transformer"), _Module("Pooling", pooling_mode="cls"), _Module("Normalize")]
    no_normalize = [_Module("Transformer"), _Module("Pooling", pooling_mode="mean")]
    assert onnx_encoder.compile_encoder(cls_pooling, tmp_path, tmp_path) is None
    assert onnx_encoder.compile_encoder(no_normalize, tmp_path, tmp_path) is None
