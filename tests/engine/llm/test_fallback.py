"""Each resilience path of the fallback chain, through real HTTP: the attempts made, the pauses taken, the
model that finally answered and what it cost."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from engine.llm import errors
from engine.llm.fallback import ChainLink, FallbackChain, RetryPolicy
from engine.llm.offline import KnowledgeHit, OfflineContext, OfflineProvider
from engine.llm.openai_provider import OpenAIProvider
from engine.llm.schemas import AgentTurn
from engine.llm.together_provider import TogetherAIProvider
from tests.engine.llm.helpers import MESSAGES, TURN, Sleeps
from tests.fakes.openai_server import (
    FakeOpenAIServer,
    bad_request,
    hangup,
    malformed,
    ok,
    rate_limited,
    server_error,
    slow,
    unauthorized,
)

POLICY = RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=8.0, max_retry_after=20.0)
CONTEXT = OfflineContext(
    query="When do you open?",
    hits=[KnowledgeHit(kind="faq", id="kb-1", title="Opening hours", content="9am to 6pm.", score=0.9)],
)
# Usage of every scripted answer, and what it costs per model
USAGE = {"prompt_tokens": 1000, "completion_tokens": 200}
COST_4O = Decimal("0.004500")  # 1000 × 2.50 + 200 × 10.00 per million
COST_MINI = Decimal("0.000270")  # 1000 × 0.15 + 200 × 0.60 per million


def chain(
    server: FakeOpenAIServer,
    sleeps: Sleeps,
    models: tuple[str, ...] = ("gpt-4o", "gpt-4o-mini"),
    policy: RetryPolicy = POLICY,
    **kwargs: object,
) -> FallbackChain:
    provider = OpenAIProvider("sk-test", base_url=server.openai_base_url, timeout=2.0)
    return FallbackChain(
        [ChainLink(provider, m) for m in models],
        offline=OfflineProvider(),
        policy=policy,
        sleep=sleeps,
        rng=random.Random(3),
        **kwargs,  # type: ignore[arg-type]
    )


def trail(response_or_error: object) -> list[tuple[str, str]]:
    return [(a.model, a.status) for a in response_or_error.attempts]  # type: ignore[attr-defined]


def test_429_waits_for_retry_after_then_answers(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    fake_openai.script(rate_limited(retry_after=2), ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn)

    assert trail(response) == [("gpt-4o", "retry"), ("gpt-4o", "ok")]
    assert response.attempts[0].http_status == 429
    assert len(sleeps.pauses) == 1 and 2.0 <= sleeps.pauses[0] <= 2.2  # Retry-After, plus ≤10% jitter
    assert response.model == "gpt-4o"
    assert response.cost == COST_4O
    assert response.degraded is None
    assert len(fake_openai.chat_requests) == 2 and fake_openai.pending == 0


def test_5xx_backs_off_exponentially_with_jitter(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    fake_openai.script(server_error(500), server_error(502), ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn)

    assert trail(response) == [("gpt-4o", "retry"), ("gpt-4o", "retry"), ("gpt-4o", "ok")]
    first, second = sleeps.pauses
    assert 0.25 <= first <= 0.5  # base 0.5 s, equal jitter: [cap/2, cap]
    assert 0.5 <= second <= 1.0  # doubled
    assert response.model == "gpt-4o" and response.cost == COST_4O


def test_backoff_is_capped_and_never_zero() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    rng = random.Random(1)
    pauses = [policy.backoff(n, rng) for n in range(1, 10) for _ in range(20)]
    assert min(pauses) >= 0.25
    assert max(pauses) <= 4.0


def test_exhausted_retries_fall_back_to_the_next_model(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    fake_openai.script(server_error(), server_error(), server_error(), ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn)

    assert trail(response) == [
        ("gpt-4o", "retry"),
        ("gpt-4o", "retry"),
        ("gpt-4o", "error"),
        ("gpt-4o-mini", "ok"),
    ]
    assert len(sleeps.pauses) == 2  # no pause before switching model
    assert response.model == "gpt-4o-mini"
    assert response.cost == COST_MINI
    assert response.degraded == "fallback"
    assert [r.model for r in fake_openai.chat_requests] == ["gpt-4o"] * 3 + ["gpt-4o-mini"]


def test_a_long_retry_after_moves_on_instead_of_waiting(
    fake_openai: FakeOpenAIServer, sleeps: Sleeps
) -> None:
    fake_openai.script(rate_limited(retry_after=60), ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn)

    assert trail(response) == [("gpt-4o", "error"), ("gpt-4o-mini", "ok")]
    assert sleeps.pauses == []
    assert response.model == "gpt-4o-mini" and response.cost == COST_MINI


def test_timeouts_are_retried(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    # The timeout leaves the answering call room on a loaded CI machine (at 0.05 s it timed out too).
    fake_openai.script(slow(3.0), ok(TURN, **USAGE))
    policy = RetryPolicy(request_timeout=0.75)
    response = chain(fake_openai, sleeps, policy=policy).generate(MESSAGES, response_schema=AgentTurn)

    assert trail(response) == [("gpt-4o", "retry"), ("gpt-4o", "ok")]
    assert response.attempts[0].error_kind == "timeout"
    assert response.cost == COST_4O


def test_dropped_connections_and_unreadable_bodies_are_retried(
    fake_openai: FakeOpenAIServer, sleeps: Sleeps
) -> None:
    fake_openai.script(hangup(), malformed(), ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn)

    assert trail(response) == [("gpt-4o", "retry"), ("gpt-4o", "retry"), ("gpt-4o", "ok")]
    assert [a.error_kind for a in response.attempts[:2]] == ["unavailable", "unavailable"]
    assert response.model == "gpt-4o" and response.cost == COST_4O


def test_fallback_crosses_providers(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    fake_openai.script(server_error(), ok(TURN, finish_reason="eos", **USAGE))
    openai_provider = OpenAIProvider("sk-test", base_url=fake_openai.openai_base_url)
    together_provider = TogetherAIProvider("tg-test", base_url=fake_openai.base_url)
    llama = "meta-llama/Llama-3.3-70B-Instruct-Turbo"
    response = FallbackChain(
        [ChainLink(openai_provider, "gpt-4o"), ChainLink(together_provider, llama)],
        policy=RetryPolicy(max_attempts=1),
        sleep=sleeps,
    ).generate(MESSAGES, response_schema=AgentTurn)

    assert [(a.provider, a.status) for a in response.attempts] == [("openai", "error"), ("together", "ok")]
    assert (response.provider, response.model) == ("together", llama)
    assert response.cost == Decimal("0.001056")  # 1200 tokens at 0.88 per million


def test_every_model_failing_ends_with_the_offline_answer(
    fake_openai: FakeOpenAIServer, sleeps: Sleeps
) -> None:
    fake_openai.default = server_error(503)
    response = chain(fake_openai, sleeps).generate(
        MESSAGES, response_schema=AgentTurn, offline_context=CONTEXT
    )

    assert trail(response) == [
        ("gpt-4o", "retry"),
        ("gpt-4o", "retry"),
        ("gpt-4o", "error"),
        ("gpt-4o-mini", "retry"),
        ("gpt-4o-mini", "retry"),
        ("gpt-4o-mini", "error"),
        ("offline-templates", "ok"),
    ]
    assert response.provider == "offline"
    assert response.degraded == "offline:unavailable"
    assert response.cost == Decimal("0")
    assert isinstance(response.output, AgentTurn)
    assert "9am to 6pm." in response.output.reply


def test_every_model_failing_without_an_offline_answer_raises_typed(
    fake_openai: FakeOpenAIServer, sleeps: Sleeps
) -> None:
    fake_openai.default = server_error(500)
    with pytest.raises(errors.ProviderUnavailable) as caught:
        chain(fake_openai, sleeps).generate(MESSAGES)  # plain text: offline cannot stand in
    assert len(caught.value.attempts) == 6
    assert caught.value.attempts[-1].status == "error"


@pytest.mark.parametrize(
    ("step", "error_type"),
    [(unauthorized(), errors.AuthenticationError), (bad_request(), errors.BadRequestError)],
)
def test_auth_and_bad_request_are_neither_retried_nor_hidden(
    fake_openai: FakeOpenAIServer, sleeps: Sleeps, step: object, error_type: type[errors.LLMError]
) -> None:
    fake_openai.script(step)  # type: ignore[arg-type]
    with pytest.raises(error_type) as caught:
        chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn, offline_context=CONTEXT)

    assert trail(caught.value) == [("gpt-4o", "error")]
    assert len(fake_openai.chat_requests) == 1  # no retry, no fallback model
    assert sleeps.pauses == []


def test_on_fatal_offline_answers_the_customer_and_keeps_the_error(
    fake_openai: FakeOpenAIServer, sleeps: Sleeps
) -> None:
    fake_openai.script(unauthorized())
    response = chain(fake_openai, sleeps).generate(
        MESSAGES, response_schema=AgentTurn, offline_context=CONTEXT, on_fatal="offline"
    )
    assert trail(response) == [("gpt-4o", "error"), ("offline-templates", "ok")]
    assert response.degraded == "offline:auth_error"
    assert isinstance(response.error, errors.AuthenticationError)
    assert len(fake_openai.chat_requests) == 1


def test_invalid_output_is_repaired_once_with_the_validation_error(
    fake_openai: FakeOpenAIServer, sleeps: Sleeps
) -> None:
    fake_openai.script(ok({"reply": "We open at 9.", "confidence": "very"}, **USAGE), ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn)

    assert trail(response) == [("gpt-4o", "discarded"), ("gpt-4o", "ok")]
    repair = fake_openai.chat_requests[1].messages
    assert repair[:2] == MESSAGES
    assert repair[2]["role"] == "assistant" and "very" in repair[2]["content"]
    assert repair[3]["role"] == "user" and "confidence" in repair[3]["content"]
    assert response.model == "gpt-4o"
    assert response.cost == COST_4O * 2  # the discarded answer was billed too
    assert response.tokens_in == 2000


def test_non_json_output_is_repaired(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    fake_openai.script(ok("Sure! We open at 9am.", **USAGE), ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn)
    assert trail(response) == [("gpt-4o", "discarded"), ("gpt-4o", "ok")]
    assert "not valid JSON" in fake_openai.chat_requests[1].messages[-1]["content"]


def test_a_failed_repair_falls_back_to_the_next_model(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    fake_openai.script(ok("nope", **USAGE), ok("still nope", **USAGE), ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps).generate(MESSAGES, response_schema=AgentTurn)

    assert trail(response) == [("gpt-4o", "discarded"), ("gpt-4o", "discarded"), ("gpt-4o-mini", "ok")]
    assert fake_openai.chat_requests[2].messages == MESSAGES  # the next model starts from the real turn
    assert response.model == "gpt-4o-mini"
    assert response.cost == COST_4O * 2 + COST_MINI
    assert response.degraded == "fallback"


def test_the_deadline_stops_retrying_and_answers_offline(fake_openai: FakeOpenAIServer) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    fake_openai.default = server_error(500)
    policy = RetryPolicy(max_attempts=10, base_delay=4.0, max_delay=4.0, deadline=10.0)
    provider = OpenAIProvider("sk-test", base_url=fake_openai.openai_base_url)
    response = FallbackChain(
        [ChainLink(provider, "gpt-4o")],
        offline=OfflineProvider(),
        policy=policy,
        sleep=sleep,
        clock=lambda: now[0],
        rng=random.Random(1),
    ).generate(MESSAGES, response_schema=AgentTurn, offline_context=CONTEXT)

    assert response.degraded == "offline:unavailable"
    assert now[0] < 10.0  # no pause was taken that would end past the deadline
    assert 2 <= len(fake_openai.chat_requests) <= 4


def test_the_budget_gate_skips_models_whose_estimate_does_not_fit(
    fake_openai: FakeOpenAIServer, sleeps: Sleeps
) -> None:
    fake_openai.script(ok(TURN, **USAGE))
    seen: list[tuple[str, Decimal]] = []

    def admit(link: ChainLink, estimate: Decimal) -> bool:
        seen.append((link.model, estimate))
        return link.model != "gpt-4o"

    response = chain(fake_openai, sleeps, admit=admit).generate(
        MESSAGES, response_schema=AgentTurn, max_tokens=300
    )
    assert [m for m, _ in seen] == ["gpt-4o", "gpt-4o-mini"]
    assert seen[0][1] > seen[1][1] > 0
    assert trail(response) == [("gpt-4o-mini", "ok")]
    assert [r.model for r in fake_openai.chat_requests] == ["gpt-4o-mini"]


def test_no_model_fitting_the_budget_answers_offline(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    response = chain(fake_openai, sleeps, admit=lambda link, estimate: False).generate(
        MESSAGES, response_schema=AgentTurn, offline_context=CONTEXT
    )
    assert response.degraded == "offline:budget"
    assert fake_openai.chat_requests == []


def test_every_attempt_reaches_the_sink(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    fake_openai.script(rate_limited(retry_after=0), ok(TURN, **USAGE))
    recorded = []
    chain(fake_openai, sleeps, on_attempt=recorded.append).generate(MESSAGES, response_schema=AgentTurn)
    assert [(a.status, a.http_status) for a in recorded] == [("retry", 429), ("ok", 200)]


def test_a_failing_sink_does_not_lose_the_answer(fake_openai: FakeOpenAIServer, sleeps: Sleeps) -> None:
    def broken(attempt: object) -> None:
        raise RuntimeError("database down")

    fake_openai.script(ok(TURN, **USAGE))
    response = chain(fake_openai, sleeps, on_attempt=broken).generate(MESSAGES, response_schema=AgentTurn)
    assert response.output is not None
