"""A text through the local sentence-transformers model as one ONNX Runtime call.

Why: a customer message is embedded on every turn the knowledge search does not embed it (the message
classifier, engine.agent.classify), in a background thread beside the turn's own Python work, on a machine
with two cores. What it costs in CPU is what the turn loses. Measured on this project's 2-core machine, one
13-token message:
- eager PyTorch (`encode`): ~21 ms, and it takes Python's GIL back at each of its few hundred operations, so
  beside a thread busy in Python it took ~600 ms;
- the same graph traced and frozen in TorchScript (this module's predecessor): ~14 ms, without the GIL;
- exported once to ONNX and run by ONNX Runtime on one thread: ~8.6 ms, without the GIL, and the same vector
  (within 2e-7).

The export reproduces the pipeline only for what it was exported from, so it is used only where that holds:
- the pipeline is exactly Transformer → mean Pooling → Normalize (all-MiniLM-L6-v2, the shipped model);
- the model's own tokenizer prepares the text (truncation and casing are the model's) and the attention
  mask goes in with it, so padding in a batch does not change a text's vector;
- the exported graph reproduces `encode` on probe texts, alone and padded together, when it is loaded.
Anything else — onnxruntime or onnx not installed, an export that fails or differs — keeps `encode`.

The exported graph is kept on disk under the data folder (cache/onnx/), named by the model's files and the
libraries' versions, so a process exports it once (~2 s) and later processes load it (~0.1 s).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Encoder = Callable[[Sequence[str]], list[list[float]]]

_PROBES = ("hello there, how are you?", "hi", "do you have the blue running shoes in size 42 please " * 3)
_TOLERANCE = 1e-5


def _plain_mean_pipeline(model: Any) -> bool:
    modules = list(model)
    if len(modules) != 3:
        return False
    kinds = [type(m).__name__ for m in modules]
    pooling = (
        getattr(modules[1], "pooling_mode", None) or getattr(modules[1], "get_pooling_mode_str", lambda: "")()
    )
    return kinds == ["Transformer", "Pooling", "Normalize"] and pooling in ("mean", "mean_tokens")


def graph_name(model_dir: Path) -> str:
    """The exported graph's file name: changes with the model's files and the exporting libraries."""
    import onnx
    import onnxruntime
    import torch

    digest = hashlib.sha256(f"{torch.__version__}|{onnx.__version__}|{onnxruntime.__version__}".encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(model_dir)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return f"{model_dir.name}-{digest.hexdigest()[:16]}.onnx"


def _export(model: Any, target: Path) -> None:
    """Write the Transformer + mean pooling + normalisation graph to `target` (atomically: another process
    exporting at the same time leaves one whole file)."""
    import torch

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: Any, mask: Any) -> Any:
            tokens = self.inner(input_ids=ids, attention_mask=mask)[0]
            weights = mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    features = _prepare(model)(list(_PROBES[:2]))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Encoder(model[0].auto_model).eval(),
                (features["input_ids"], features["attention_mask"]),
                tmp,
                input_names=["input_ids", "attention_mask"],
                output_names=["embedding"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask")},
                opset_version=17,
                dynamo=False,  # the TorchScript exporter: needs onnx alone, not onnxscript
            )
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _prepare(model: Any) -> Callable[[list[str]], Any]:
    return getattr(model, "preprocess", None) or model.tokenize  # `tokenize` before sentence-transformers 6


def compile_encoder(model: Any, model_dir: Path, cache_dir: Path) -> Encoder | None:
    """A function texts -> unit vectors through ONNX Runtime, or None where it does not apply."""
    if not _plain_mean_pipeline(model) or getattr(model[0], "auto_model", None) is None:
        return None
    try:
        import onnxruntime
    except ImportError:
        return None
    try:
        path = cache_dir / graph_name(model_dir)
        if not path.is_file():
            _export(model, path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one short text: a second thread only spins (see embeddings.py)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        prepare = _prepare(model)

        def encode(texts: Sequence[str]) -> list[list[float]]:
            features = prepare(list(texts))
            feeds = {name: features[name].numpy() for name in ("input_ids", "attention_mask")}
            return session.run(None, feeds)[0].tolist()  # type: ignore[no-any-return]

        expected = model.encode(list(_PROBES), normalize_embeddings=True, show_progress_bar=False)
        got = [encode([probe])[0] for probe in _PROBES] + encode(list(_PROBES))
        for want, vector in zip([*expected, *expected], got, strict=True):
            if max(abs(float(a) - b) for a, b in zip(want, vector, strict=True)) > _TOLERANCE:
                log.info("the ONNX graph differs from encode(): keeping encode()")
                return None
    except Exception as exc:  # an unusual model, a read-only data folder, an odd build: encode() still works
        log.info("no ONNX encoder for the local model: %s", exc)
        return None
    return encode


__all__ = ["Encoder", "compile_encoder", "graph_name"]
