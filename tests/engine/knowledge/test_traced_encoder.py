"""The local model's one-text path (engine/knowledge/traced_encoder.py): the vector `encode` gives,
computed as one call that does not hold Python's GIL, so a message embedded beside a busy request thread
is not starved."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from engine.knowledge import traced_encoder
from engine.knowledge.embeddings import LocalEmbedder, local_model_available

needs_model = pytest.mark.skipif(not local_model_available(), reason="the `local` extra is not installed")

TEXTS = [
    "",
    "  spaces around  ",
    "¿Tienen zapatillas azules en la talla 42?",
    "😡😡 WHY IS NOBODY ANSWERING",
    "where is my order\nit was due on monday",
    "word " * 400,  # beyond the model's 256 tokens: truncated as encode() truncates
]


@pytest.fixture(scope="module")
def local() -> LocalEmbedder:
    embedder = LocalEmbedder()
    embedder._load()
    return embedder


@needs_model
def test_one_text_gives_the_vector_encode_gives(local: LocalEmbedder) -> None:
    model = local._load()
    assert local._single is not None  # the shipped model is Transformer -> mean pooling -> normalize
    for text in TEXTS:
        expected = model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0]
        got = local.embed([text])[0]
        assert max(abs(float(a) - b) for a, b in zip(expected, got, strict=True)) < 1e-5, text


@needs_model
def test_a_batch_and_one_text_agree(local: LocalEmbedder) -> None:
    batch = local.embed(TEXTS[2:4])  # padded together through encode()
    for text, vector in zip(TEXTS[2:4], batch, strict=True):
        assert max(abs(a - b) for a, b in zip(local.embed([text])[0], vector, strict=True)) < 1e-5


@needs_model
def test_a_busy_python_thread_does_not_starve_the_embedding(local: LocalEmbedder) -> None:
    """Eager PyTorch takes the GIL back at every operation: beside a thread busy in Python, one embedding
    took ~40x its time alone. The traced call does not; the bound here is loose (a loaded CI machine)."""
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


class _Module:
    def __init__(self, name: str, **attrs: Any) -> None:
        self.__class__ = type(name, (), {})
        self.__dict__.update(attrs)


def test_a_pipeline_it_cannot_reproduce_keeps_encode() -> None:
    cls_pooling = [_Module("Transformer"), _Module("Pooling", pooling_mode="cls"), _Module("Normalize")]
    no_normalize = [_Module("Transformer"), _Module("Pooling", pooling_mode="mean")]
    assert traced_encoder.trace(cls_pooling) is None
    assert traced_encoder.trace(no_normalize) is None
