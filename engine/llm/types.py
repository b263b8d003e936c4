"""The normalized result of every LLM call, whichever provider answered.

Plain dataclasses (not pydantic) because one is built per attempt on the hot path, and nothing here needs
validation: the values come from our own code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from engine.llm.errors import LLMError
    from engine.llm.selection import ModelChoice

Message = dict[str, str]
"""One chat message: {"role": "system" | "user" | "assistant", "content": "..."}."""

ZERO = Decimal("0")


@dataclass(slots=True)
class Attempt:
    """One request to one provider (or one offline answer): what became an LLMCall row.

    status: ok (answer used) · retry (failed, tried again) · error (failed, given up on this model) ·
    discarded (answered and billed, but the output did not validate).
    """

    provider: str
    model: str
    status: str
    http_status: int | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost: Decimal = ZERO
    latency_ms: int = 0
    error: str | None = None
    error_kind: str | None = None
    pause_s: float = 0.0  # the backoff slept after this attempt


@dataclass(slots=True)
class LLMResponse:
    """What a provider, or the fallback chain, answered.

    From the fallback chain, tokens, cost and attempts add up every attempt the answer took (a retried 429
    costs nothing, a discarded invalid answer is billed): the cost is what this answer cost the tenant.
    `latency_ms` is then the wall time of the whole chain, pauses included.
    """

    text: str
    provider: str
    model: str
    parsed: dict[str, Any] | None = None  # the JSON object, when a schema was asked for and the text parsed
    output: BaseModel | None = None  # `parsed` validated against the requested schema
    validation_error: str | None = None  # why `output` is None although a schema was asked for
    tokens_in: int = 0
    tokens_out: int = 0
    cached_tokens: int = 0
    cost: Decimal = ZERO
    latency_ms: int = 0
    finish_reason: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    selection: ModelChoice | None = None
    degraded: str | None = None  # None · "fallback" · "offline:<reason>"
    error: LLMError | None = None  # the configuration error an offline answer stands in for

    @property
    def is_offline(self) -> bool:
        return self.provider == "offline"

    @property
    def attempt_count(self) -> int:
        return len(self.attempts)


__all__ = ["Attempt", "LLMResponse", "Message", "ZERO"]
