"""One text through the local sentence-transformers model as a single frozen TorchScript call.

Why: a message's embedding runs in a background thread beside the turn's own Python work
(engine.agent.classify). In eager PyTorch each of the model's few hundred operations takes Python's GIL back,
and a busy request thread holds it for up to the interpreter's switch interval (5 ms) each time. Measured on
this project's 2-core machine, one 13-token embedding took 14 ms alone and ~600 ms beside a thread busy in
Python. Traced and frozen, the forward pass and its pooling are one call that runs without the GIL: 7 ms
alone, ~32 ms beside the same busy thread, and the same vector (within 2e-7).

The trace reproduces the pipeline only for what it was traced on, so it is used only where that holds:
- the pipeline is exactly Transformer → mean Pooling → Normalize (all-MiniLM-L6-v2, the shipped model);
- one text at a time: no padding, so the attention mask is all ones as when tracing (batches keep `encode`);
- the model's own `tokenize` prepares the text, so truncation and casing are the model's.
Anything else, or a trace that fails or does not reproduce `encode` on a probe, keeps `encode`.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

log = logging.getLogger(__name__)

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


def trace(model: Any) -> Any | None:
    """A function text -> unit vector (list of floats), or None where the trace does not apply."""
    try:
        import torch
    except ImportError:
        return None
    if not _plain_mean_pipeline(model):
        return None
    backbone = getattr(model[0], "auto_model", None)
    if backbone is None:
        return None

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: Any, mask: Any) -> Any:
            tokens = self.inner(input_ids=ids, attention_mask=mask)[0]
            weights = mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    prepare = (
        getattr(model, "preprocess", None) or model.tokenize
    )  # `tokenize` before sentence-transformers 6

    def features(text: str) -> tuple[Any, Any]:
        f = prepare([text])
        return f["input_ids"], f["attention_mask"]

    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            traced = torch.jit.trace(_Encoder(backbone).eval(), features(_PROBES[0]), check_trace=False)
            compiled = torch.jit.optimize_for_inference(torch.jit.freeze(traced))

        def embed_one(text: str) -> list[float]:
            with torch.inference_mode():
                return compiled(*features(text))[0].tolist()

        for probe in _PROBES:
            expected = model.encode([probe], normalize_embeddings=True, show_progress_bar=False)[0]
            got = embed_one(probe)
            if max(abs(float(a) - b) for a, b in zip(expected, got, strict=True)) > _TOLERANCE:
                log.info("traced encoder differs from encode(): keeping encode()")
                return None
    except Exception as exc:  # an unusual model or torch build: encode() still works
        log.info("no traced encoder for the local model: %s", exc)
        return None
    return embed_one


__all__ = ["trace"]
