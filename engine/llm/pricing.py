"""Prices and capabilities per model, from the dated table in pricing.json.

One data file, so a price change is a one-line diff with its date, and the console can show the date next to
every price. Money is Decimal end to end: costs are sums of tiny amounts and floats would drift.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

PRICING_FILE = Path(__file__).with_name("pricing.json")
MILLION = Decimal(1_000_000)
COST_QUANTUM = Decimal("0.000001")  # the precision of the cost columns (numeric(14, 6))

# Tokens a chat message costs beyond its text (role, separators), and characters per token for English-ish
# text: only used to estimate a call's cost before making it, where over-estimating is the safe side.
MESSAGE_OVERHEAD_TOKENS = 4
CHARS_PER_TOKEN = 3.5
_DATED_SUFFIX = re.compile(r"-\d{4}-?\d{2}-?\d{2}$|-\d{4}$|-latest$")


@dataclass(frozen=True, slots=True)
class ModelInfo:
    provider: str
    model: str
    input_per_million: Decimal
    output_per_million: Decimal
    cached_input_per_million: Decimal | None
    tier: int
    json_schema: bool
    reasoning: bool
    system_role: str  # "system" | "developer" | "none"
    priced: bool  # False: not in the table, charged at the provider's unknown-model price

    def cost(self, tokens_in: int, tokens_out: int, cached_tokens: int = 0) -> Decimal:
        """What a call with this usage costs; cached prompt tokens at their discounted price when known."""
        cached = min(max(cached_tokens, 0), tokens_in) if self.cached_input_per_million is not None else 0
        total = (
            (tokens_in - cached) * self.input_per_million
            + cached * (self.cached_input_per_million or self.input_per_million)
            + tokens_out * self.output_per_million
        ) / MILLION
        return total.quantize(COST_QUANTUM, rounding=ROUND_HALF_UP)

    @property
    def typical_turn_cost(self) -> Decimal:
        """Cost of a typical agent turn (1,000 tokens in, 200 out): how models are ranked by price."""
        return self.cost(1000, 200)


class PriceTable:
    """The parsed pricing.json; lookups are memoized because they run on every call."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.as_of = date.fromisoformat(data["as_of"])
        self.currency: str = data.get("currency", "USD")
        self._providers: dict[str, dict[str, Any]] = data["providers"]
        self._cache: dict[tuple[str, str], ModelInfo] = {}
        self._lock = threading.Lock()

    @property
    def providers(self) -> list[str]:
        return list(self._providers)

    def models(self, provider: str) -> list[ModelInfo]:
        """Every priced model of a provider, in the file's order."""
        table = self._providers.get(provider, {}).get("models", {})
        return [self.lookup(provider, name) for name in table]

    def lookup(self, provider: str, model: str) -> ModelInfo:
        key = (provider, model)
        info = self._cache.get(key)
        if info is None:
            info = self._resolve(provider, model)
            with self._lock:
                self._cache[key] = info
        return info

    def _resolve(self, provider: str, model: str) -> ModelInfo:
        section = self._providers.get(provider) or self._providers["openai_compatible"]
        table: dict[str, Any] = section.get("models", {})
        entry = table.get(model)
        if entry is None:
            # Dated snapshots ("gpt-4o-2024-08-06", "o3-mini-2025-01-31") cost what their family costs.
            entry = table.get(_DATED_SUFFIX.sub("", model))
        priced = entry is not None
        if entry is None:
            entry = section["unknown_model"]
        cached = entry.get("cached_input")
        reasoning = bool(entry.get("reasoning", False))
        return ModelInfo(
            provider=provider,
            model=model,
            input_per_million=Decimal(entry["input"]),
            output_per_million=Decimal(entry["output"]),
            cached_input_per_million=Decimal(cached) if cached is not None else None,
            tier=int(entry.get("tier", 2)),
            json_schema=bool(entry.get("json_schema", False)),
            reasoning=reasoning,
            system_role=entry.get("system_role", "developer" if reasoning else "system"),
            priced=priced,
        )


@lru_cache(maxsize=4)
def load_pricing(path: str | None = None) -> PriceTable:
    with open(path or PRICING_FILE, encoding="utf-8") as handle:
        return PriceTable(json.load(handle))


def model_info(provider: str, model: str) -> ModelInfo:
    return load_pricing().lookup(provider, model)


def cost_of(provider: str, model: str, tokens_in: int, tokens_out: int, cached_tokens: int = 0) -> Decimal:
    return model_info(provider, model).cost(tokens_in, tokens_out, cached_tokens)


def estimate_tokens(messages: Iterable[dict[str, str]], extra_chars: int = 0) -> int:
    """A deliberately generous token count for messages we have not sent yet (no tokenizer dependency)."""
    chars = extra_chars
    count = 0
    for message in messages:
        chars += len(message.get("content") or "")
        count += 1
    return int(chars / CHARS_PER_TOKEN) + 1 + count * MESSAGE_OVERHEAD_TOKENS


def estimate_cost(
    provider: str,
    model: str,
    messages: Iterable[dict[str, str]],
    max_tokens: int,
    *,
    extra_chars: int = 0,
) -> Decimal:
    """Upper-bound cost of a call: the whole prompt, and the output at its max_tokens cap."""
    return model_info(provider, model).cost(estimate_tokens(messages, extra_chars), max_tokens)


__all__ = [
    "ModelInfo",
    "PriceTable",
    "cost_of",
    "estimate_cost",
    "estimate_tokens",
    "load_pricing",
    "model_info",
]
