"""Retries, the fallback chain and the last resort, in one place.

For each model of the chain, in order:
  * transient failures (429, 5xx, timeouts, dropped connections, unreadable bodies) are retried up to
    `max_attempts` times, pausing with exponential backoff and jitter, or for exactly what Retry-After asks
    when the provider says (a provider asking for longer than `max_retry_after` is left for the next model:
    a customer on WhatsApp should not wait a minute for one model);
  * an answer that does not validate against the schema is sent back once with the validation error
    (the repair attempt); failing again moves on to the next model;
  * configuration errors (bad key, bad request) are never retried: the same request fails the same way.
    They stop the chain and are raised typed, or, with on_fatal="offline", answered offline with the error
    attached.
When every model failed, or the whole chain ran past its deadline, the offline provider answers customer
turns (AgentTurn requests); other requests get the last error, typed.

Every attempt goes to `on_attempt` (an LLMCall row, through the ledger) and to the log. Sleeping and the clock
are injectable so tests exercise real backoff arithmetic without waiting.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from engine.llm import errors
from engine.llm.base import LLMProvider
from engine.llm.offline import OfflineContext, OfflineProvider
from engine.llm.pricing import estimate_cost
from engine.llm.schemas import AgentTurn, repair_message, schema_text
from engine.llm.types import ZERO, Attempt, LLMResponse, Message

logger = logging.getLogger("engine.llm")

OnAttempt = Callable[[Attempt], None]
OnFatal = Literal["raise", "offline"]
ESTIMATE_OUTPUT_TOKENS = 1024  # assumed output when a call sets no max_tokens, for the budget estimate
_RNG = (
    random.Random()
)  # shared: seeding a Random per call costs more than the rest of the chain's bookkeeping


@dataclass(frozen=True, slots=True)
class ChainLink:
    provider: LLMProvider
    model: str

    @property
    def label(self) -> str:
        return f"{self.provider.name}:{self.model}"


Admit = Callable[[ChainLink, Decimal], bool]
"""Budget gate: may this link be called, given the estimated cost of the call?"""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3  # per model, counting the first
    base_delay: float = 0.5  # seconds before the 2nd attempt (then doubling)
    max_delay: float = 8.0
    max_retry_after: float = 20.0  # longer Retry-After: skip to the next model instead of waiting
    deadline: float = 45.0  # the whole chain; past it, the offline answer (a customer is waiting)
    request_timeout: float | None = 20.0  # per attempt, capped by what is left of the deadline

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Exponential backoff with equal jitter: in [cap/2, cap], so never zero and never above the cap."""
        cap = min(self.max_delay, self.base_delay * (2 ** max(failures - 1, 0)))
        return cap / 2 + rng.uniform(0, cap / 2)

    def pause_after(self, error: errors.LLMError, failures: int, rng: random.Random) -> float | None:
        """Seconds to wait before trying the same model again, or None to move on to the next model."""
        if failures >= self.max_attempts:
            return None
        if error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            # What the provider asked, plus up to 10% so clients it throttled together do not return together.
            return error.retry_after + rng.uniform(0, error.retry_after * 0.1)
        return self.backoff(failures, rng)


class FallbackChain:
    """Models to try in order, with the policy, the offline last resort and the attempt sink."""

    def __init__(
        self,
        links: Sequence[ChainLink],
        *,
        offline: OfflineProvider | None = None,
        policy: RetryPolicy | None = None,
        on_attempt: OnAttempt | None = None,
        admit: Admit | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        log_label: str = "",
    ) -> None:
        self.links = list(links)
        self.log_label = log_label  # e.g. "tenant=3 task=faq", appended to each attempt's log line
        self.offline = offline
        self.policy = policy or RetryPolicy()
        self.on_attempt = on_attempt
        self.admit = admit
        self.sleep = sleep
        self.rng = rng or _RNG
        self.clock = clock

    def generate(
        self,
        messages: Sequence[Message],
        *,
        response_schema: type[BaseModel] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        offline_context: OfflineContext | None = None,
        on_fatal: OnFatal = "raise",
    ) -> LLMResponse:
        started = self.clock()
        policy = self.policy
        attempts: list[Attempt] = []
        last_error: errors.LLMError | None = None
        skipped_for_budget = 0
        out_of_time = False

        for index, link in enumerate(self.links):
            if self.admit is not None:
                estimate = self._estimate(link, messages, response_schema, max_tokens)
                if not self.admit(link, estimate):
                    skipped_for_budget += 1
                    logger.info("llm skip %s: estimated %s exceeds the budget left", link.label, estimate)
                    continue
            conversation = list(messages)
            failures = 0
            repaired = False
            while True:
                left = policy.deadline - (self.clock() - started)
                if left <= 0:
                    out_of_time = True
                    break
                timeout = min(policy.request_timeout, left) if policy.request_timeout else None
                try:
                    response = link.provider.generate(
                        conversation,
                        link.model,
                        response_schema=response_schema,
                        temperature=temperature,
                        max_tokens=max_tokens,
                        timeout=timeout,
                    )
                except errors.LLMConfigurationError as exc:
                    self._record(attempts, _failed(link, exc, "error"))
                    exc.attempts = attempts
                    if on_fatal == "offline" and self._can_answer_offline(response_schema):
                        return self._offline(messages, offline_context, attempts, started, exc.kind, exc)
                    raise
                except errors.TransientError as exc:
                    failures += 1
                    last_error = exc
                    pause = policy.pause_after(exc, failures, self.rng)
                    if pause is not None and (self.clock() - started) + pause >= policy.deadline:
                        pause = None
                    attempt = _failed(link, exc, "retry" if pause is not None else "error")
                    attempt.pause_s = pause or 0.0
                    self._record(attempts, attempt)
                    if pause is None:
                        break
                    self.sleep(pause)
                    continue

                attempt = response.attempts[0]
                self._record(attempts, attempt)
                if response.validation_error is None:
                    return self._finish(response, attempts, started, "fallback" if index else None)
                last_error = errors.InvalidOutput(
                    response.validation_error, provider=link.provider.name, model=link.model
                )
                if repaired:
                    break
                repaired = True
                conversation = [
                    *messages,
                    {"role": "assistant", "content": response.text},
                    repair_message(response.validation_error),
                ]
            if out_of_time:
                break

        if out_of_time:
            reason = "deadline"
        elif skipped_for_budget == len(self.links) and self.links:
            reason = "budget"
            last_error = errors.BudgetExceeded("no model fits in the budget left this month")
        else:
            reason = "unavailable"
        if self._can_answer_offline(response_schema):
            return self._offline(messages, offline_context, attempts, started, reason, None)
        final = last_error or errors.ProviderUnavailable(f"no model answered ({reason})")
        final.attempts = attempts
        raise final

    # helpers -------------------------------------------------------------------------------------------

    def _can_answer_offline(self, response_schema: type[BaseModel] | None) -> bool:
        """Offline templates produce customer turns only: a summary or other schema cannot be faked."""
        return (
            self.offline is not None
            and response_schema is not None
            and issubclass(AgentTurn, response_schema)
        )

    def _estimate(
        self,
        link: ChainLink,
        messages: Sequence[Message],
        response_schema: type[BaseModel] | None,
        max_tokens: int | None,
    ) -> Decimal:
        pricing_provider = getattr(link.provider, "pricing_provider", link.provider.name)
        extra = len(schema_text(response_schema)) if response_schema is not None else 0
        return estimate_cost(
            pricing_provider, link.model, messages, max_tokens or ESTIMATE_OUTPUT_TOKENS, extra_chars=extra
        )

    def _record(self, attempts: list[Attempt], attempt: Attempt) -> None:
        attempts.append(attempt)
        log_attempt(attempt, self.log_label)
        if self.on_attempt is not None:
            try:
                self.on_attempt(attempt)
            except Exception:  # the answer matters more than its bookkeeping
                logger.exception("llm attempt could not be recorded")

    def _offline(
        self,
        messages: Sequence[Message],
        context: OfflineContext | None,
        attempts: list[Attempt],
        started: float,
        reason: str,
        error: errors.LLMError | None,
    ) -> LLMResponse:
        assert self.offline is not None
        response = self.offline.generate(messages, response_schema=AgentTurn, context=context)
        self._record(attempts, response.attempts[0])
        response.error = error
        return self._finish(response, attempts, started, f"offline:{reason}")

    def _finish(
        self, response: LLMResponse, attempts: list[Attempt], started: float, degraded: str | None
    ) -> LLMResponse:
        """The answer, with totals over every attempt it took (what it cost, how long the customer waited)."""
        response.attempts = attempts
        if len(attempts) > 1:
            response.tokens_in = sum(a.tokens_in for a in attempts)
            response.tokens_out = sum(a.tokens_out for a in attempts)
            response.cost = sum((a.cost for a in attempts), ZERO)
        response.latency_ms = int((self.clock() - started) * 1000)
        response.degraded = degraded
        return response


def _failed(link: ChainLink, exc: errors.LLMError, status: str) -> Attempt:
    return Attempt(
        provider=link.provider.name,
        model=link.model,
        status=status,
        http_status=exc.http_status,
        latency_ms=exc.latency_ms,
        error=exc.message[:500],
        error_kind=exc.kind,
    )


def log_attempt(attempt: Attempt, label: str = "") -> None:
    """One line per attempt: INFO when answered, WARNING otherwise."""
    level = logging.INFO if attempt.status == "ok" else logging.WARNING
    if not logger.isEnabledFor(level):
        return
    logger.log(
        level,
        "llm %s %s/%s http=%s %dms tokens=%d/%d cost=%s%s%s%s",
        attempt.status,
        attempt.provider,
        attempt.model,
        attempt.http_status,
        attempt.latency_ms,
        attempt.tokens_in,
        attempt.tokens_out,
        attempt.cost,
        f" pause={attempt.pause_s:.2f}s" if attempt.pause_s else "",
        f" error={attempt.error_kind}: {attempt.error}" if attempt.error else "",
        f" {label}" if label else "",
    )


__all__ = ["Admit", "ChainLink", "FallbackChain", "OnAttempt", "RetryPolicy", "log_attempt"]
