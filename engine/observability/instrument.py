"""The one call each instrumented place makes: a metric, a log event and a span together.

Why together: an agent step, an LLM call or a handoff is one fact; recording it three times at the call site
would spread three small contracts over the engine (and one of them would be forgotten). The call sites stay a
line each: `with instrument.step("context"):`, `instrument.llm_attempt(...)`, `instrument.handoff(...)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from engine.observability import logs, metrics, tracing

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class TurnRecord:
    """Filled by the turn before it returns; read when the turn's span and event close."""

    responder: str = "agent"
    fields: dict[str, Any] = field(default_factory=dict)

    def done(self, responder: str, **fields: Any) -> None:
        self.responder = responder
        self.fields.update(fields)


@contextmanager
def turn(tenant_id: int, conversation_id: int, mode: str) -> Iterator[TurnRecord]:
    """One agent turn: its ids bound for every log line inside, a span around its steps, the latency
    histogram and one `agent.turn` event at the end (a failed turn too, as responder "error")."""
    record = TurnRecord()
    started = time.perf_counter()
    with (
        logs.bound(tenant_id=tenant_id, conversation_id=conversation_id),
        tracing.span("agent.turn", tenant_id=tenant_id, conversation_id=conversation_id, mode=mode) as span,
    ):
        try:
            yield record
        except BaseException:
            record.responder = "error"
            raise
        finally:
            seconds = time.perf_counter() - started
            metrics.observe_turn(mode, record.responder, seconds)
            if span is not None:
                span.set_attribute("responder", record.responder)
                for key, value in record.fields.items():
                    if isinstance(value, bool | int | float | str):
                        span.set_attribute(key, value)
            if "handoff" in record.fields:
                logs.event(
                    "agent.handoff_decision",
                    needed=bool(record.fields.get("handoff")),
                    category=record.fields.get("handoff_category"),
                    confidence=record.fields.get("confidence"),
                )
            logs.event(
                "agent.turn",
                mode=mode,
                responder=record.responder,
                ms=round(seconds * 1000, 1),
                **record.fields,
            )


@contextmanager
def step(name: str) -> Iterator[None]:
    """One pipeline step (the Playground's trace names): a child span, the step histogram, an event."""
    started = time.perf_counter()
    with tracing.span(f"agent.step.{name}", step=name):
        try:
            yield
        finally:
            seconds = time.perf_counter() - started
            metrics.observe_step(name, seconds)
            logs.event("agent.step", step=name, ms=round(seconds * 1000, 2))


def llm_attempt(
    *,
    tenant_id: int,
    conversation_id: int | None,
    purpose: str,
    provider: str,
    model: str,
    status: str,
    http_status: int | None,
    tokens_in: int,
    tokens_out: int,
    cost: Decimal,
    latency_ms: int,
    error_kind: str | None,
) -> None:
    """One request to a model provider (what became an llm_call row)."""
    metrics.count_llm_attempt(
        provider=provider,
        model=model,
        status=status,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        cost=cost,
        error_kind=error_kind,
    )
    logs.event(
        "llm.call",
        tenant_id=tenant_id,
        conversation_id=conversation_id,
        purpose=purpose,
        provider=provider,
        model=model,
        status=status,
        http_status=http_status,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        cost=str(cost),
        latency_ms=latency_ms,
        error_kind=error_kind,
    )


def handoff(tenant_id: int, conversation_id: int, category: str | None, actor: str | None) -> None:
    """A conversation handed to a person (engine/conversations/lifecycle.hand_off). The reason's free text
    may quote the customer, so only its category is recorded."""
    metrics.count_handoff(category)
    logs.event(
        "handoff", tenant_id=tenant_id, conversation_id=conversation_id, category=category, actor=actor
    )


def observed_job(job_id: str, func: Callable[P, T], *, quiet: bool = False) -> Callable[P, T]:
    """A scheduled job run: duration and outcome counted, one `job.run` event and a span (for the jobs that
    tick every second or so: the event at DEBUG when they succeed and no span, so neither the log nor the
    traces become a metronome)."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        started = time.perf_counter()
        outcome = "ok"
        try:
            if quiet:  # a span every second would bury the traces that matter
                return func(*args, **kwargs)
            with tracing.span(f"job.{job_id}", job=job_id):
                return func(*args, **kwargs)
        except BaseException:
            outcome = "error"
            raise
        finally:
            seconds = time.perf_counter() - started
            metrics.count_job_run(job_id, outcome, seconds)
            fields = {"job": job_id, "outcome": outcome, "ms": round(seconds * 1000, 1)}
            if quiet and outcome == "ok":
                logs.debug_event("job.run", **fields)
            else:
                logs.event("job.run", **fields)

    return run


__all__ = ["TurnRecord", "handoff", "llm_attempt", "observed_job", "step", "turn"]
