"""Providers through real HTTP: the openai and together SDKs talk to the scripted server."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from engine.llm import errors
from engine.llm.openai_compatible import NO_KEY, OpenAICompatibleProvider
from engine.llm.openai_provider import OpenAIProvider
from engine.llm.schemas import AgentTurn
from engine.llm.together_provider import TogetherAIProvider
from tests.engine.llm.helpers import MESSAGES, TURN
from tests.fakes.openai_server import (
    ErrorReply,
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


def openai_provider(server: FakeOpenAIServer, timeout: float = 5.0) -> OpenAIProvider:
    return OpenAIProvider("sk-test-1234", base_url=server.openai_base_url, timeout=timeout)


def test_openai_answer_is_normalized_and_priced(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(ok("We open at 9am.", prompt_tokens=1000, completion_tokens=200))
    response = openai_provider(fake_openai).generate(MESSAGES, "gpt-4o", temperature=0.3, max_tokens=300)

    assert response.text == "We open at 9am."
    assert (response.provider, response.model, response.finish_reason) == ("openai", "gpt-4o", "stop")
    assert (response.tokens_in, response.tokens_out) == (1000, 200)
    # gpt-4o: 2.50 in / 10.00 out per million → 0.0025 + 0.0020
    assert response.cost == Decimal("0.004500")
    assert response.latency_ms >= 0
    assert [a.status for a in response.attempts] == ["ok"]
    sent = fake_openai.chat_requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.authorization == "Bearer sk-test-1234"
    assert sent.json["temperature"] == 0.3
    assert sent.json["max_tokens"] == 300
    assert "max_completion_tokens" not in sent.json
    assert sent.messages[0]["role"] == "system"


def test_cached_prompt_tokens_are_billed_at_the_cached_price(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(ok("hi", prompt_tokens=1000, completion_tokens=0, cached_tokens=800))
    response = openai_provider(fake_openai).generate(MESSAGES, "gpt-4o")
    # 200 fresh tokens at 2.50 + 800 cached at 1.25 per million
    assert response.cost == Decimal("0.001500")
    assert response.cached_tokens == 800


def test_o_series_requests_drop_temperature_use_developer_role_and_max_completion_tokens(
    fake_openai: FakeOpenAIServer,
) -> None:
    fake_openai.script(ok("fine", prompt_tokens=100, completion_tokens=500, reasoning_tokens=400))
    response = openai_provider(fake_openai).generate(MESSAGES, "o3-mini", temperature=0.3, max_tokens=600)

    sent = fake_openai.chat_requests[0].json
    assert "temperature" not in sent
    assert "max_tokens" not in sent
    assert sent["max_completion_tokens"] == 600
    assert [m["role"] for m in sent["messages"]] == ["developer", "user"]
    # reasoning tokens are part of completion_tokens and billed as output: 100 × 1.10 + 500 × 4.40
    assert response.cost == Decimal("0.002310")


def test_o1_mini_gets_its_instructions_in_the_first_user_message(fake_openai: FakeOpenAIServer) -> None:
    openai_provider(fake_openai).generate(MESSAGES, "o1-mini", temperature=0.5, max_tokens=100)
    sent = fake_openai.chat_requests[0].json
    assert [m["role"] for m in sent["messages"]] == ["user"]
    assert sent["messages"][0]["content"].startswith("Instructions:\nYou are the assistant of Acme Shoes.")
    assert sent["messages"][0]["content"].endswith("When do you open?")


def test_dated_snapshots_are_treated_like_their_family(fake_openai: FakeOpenAIServer) -> None:
    openai_provider(fake_openai).generate(MESSAGES, "o3-mini-2025-01-31", temperature=0.2)
    assert "temperature" not in fake_openai.chat_requests[0].json


def test_structured_output_is_requested_as_json_schema_and_validated(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(ok(TURN))
    response = openai_provider(fake_openai).generate(MESSAGES, "gpt-4o-mini", response_schema=AgentTurn)

    fmt = fake_openai.chat_requests[0].json["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "AgentTurn"
    assert set(fmt["json_schema"]["schema"]["required"]) == {"reply", "confidence"}
    assert isinstance(response.output, AgentTurn)
    assert response.output.reply == TURN["reply"]
    assert response.parsed == TURN
    assert response.validation_error is None


def test_invalid_structured_output_is_reported_not_raised(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(ok({"reply": "hi", "confidence": 7}))
    response = openai_provider(fake_openai).generate(MESSAGES, "gpt-4o-mini", response_schema=AgentTurn)
    assert response.output is None
    assert "confidence" in (response.validation_error or "")
    assert response.attempts[0].status == "discarded"
    assert response.cost > 0  # billed all the same


def test_together_talks_to_its_base_url_and_maps_eos(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(ok(TURN, finish_reason="eos", prompt_tokens=1000, completion_tokens=1000))
    provider = TogetherAIProvider("tg-key-5678", base_url=fake_openai.base_url)
    model = "meta-llama/Llama-3.3-70B-Instruct-Turbo"
    response = provider.generate(MESSAGES, model, response_schema=AgentTurn, temperature=0.2, max_tokens=100)

    sent = fake_openai.chat_requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.authorization == "Bearer tg-key-5678"
    assert sent.json["response_format"]["type"] == "json_schema"
    assert response.finish_reason == "stop"
    assert response.provider == "together"
    assert response.cost == Decimal("0.001760")  # 2,000 tokens at 0.88 per million
    assert isinstance(response.output, AgentTurn)


def test_together_models_without_structured_outputs_get_json_mode_and_the_schema_in_the_prompt(
    fake_openai: FakeOpenAIServer,
) -> None:
    fake_openai.script(ok("```json\n" + json.dumps(TURN) + "\n```"))
    provider = TogetherAIProvider("tg-key-5678", base_url=fake_openai.base_url)
    response = provider.generate(MESSAGES, "mistralai/Mixtral-8x7B-Instruct-v0.1", response_schema=AgentTurn)

    sent = fake_openai.chat_requests[0].json
    assert sent["response_format"] == {"type": "json_object"}
    assert sent["messages"][0]["role"] == "system"
    assert "JSON schema" in sent["messages"][0]["content"]
    assert isinstance(response.output, AgentTurn)  # the code fence is tolerated


def test_openai_compatible_needs_no_key_and_costs_nothing(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.models = ["llama3.1:8b", "qwen2.5:7b"]
    fake_openai.script(ok(TURN, prompt_tokens=5000, completion_tokens=500))
    provider = OpenAICompatibleProvider(fake_openai.openai_base_url)
    response = provider.generate(MESSAGES, "llama3.1:8b", response_schema=AgentTurn)

    assert fake_openai.chat_requests[0].authorization == f"Bearer {NO_KEY}"
    assert fake_openai.chat_requests[0].json["response_format"]["type"] == "json_schema"
    assert response.provider == "openai_compatible"
    assert response.cost == Decimal("0")
    assert provider.available_models() == ["llama3.1:8b", "qwen2.5:7b"]


def test_usage_missing_is_estimated_not_free(fake_openai: FakeOpenAIServer) -> None:
    def no_usage(request):  # a server that reports no usage at all
        body = fake_openai.completion_body(ok("x" * 400), request)
        del body["usage"]
        from tests.fakes.openai_server import RawReply

        return RawReply(body=json.dumps(body))

    fake_openai.default = no_usage
    response = openai_provider(fake_openai).generate(MESSAGES, "gpt-4o")
    assert response.tokens_in > 0 and response.tokens_out > 0
    assert response.cost > 0


@pytest.mark.parametrize(
    ("step", "error_type", "status"),
    [
        (unauthorized(), errors.AuthenticationError, 401),
        (ErrorReply(status=403, message="forbidden"), errors.AuthenticationError, 403),
        (bad_request("max_tokens is too large"), errors.BadRequestError, 400),
        (ErrorReply(status=404, message="The model `gpt-9` does not exist"), errors.BadRequestError, 404),
        (rate_limited(), errors.RateLimited, 429),
        (
            ErrorReply(status=429, message="You exceeded your quota", code="insufficient_quota"),
            errors.AuthenticationError,
            429,
        ),
        (server_error(500), errors.ProviderUnavailable, 500),
        (server_error(503), errors.ProviderUnavailable, 503),
        (malformed(), errors.ProviderUnavailable, None),
        (hangup(), errors.ProviderUnavailable, None),
    ],
)
def test_provider_errors_are_typed(
    fake_openai: FakeOpenAIServer, step: object, error_type: type[errors.LLMError], status: int | None
) -> None:
    fake_openai.script(step)  # type: ignore[arg-type]
    with pytest.raises(error_type) as caught:
        openai_provider(fake_openai).generate(MESSAGES, "gpt-4o")
    assert caught.value.http_status == status
    assert caught.value.provider == "openai" and caught.value.model == "gpt-4o"
    assert len(fake_openai.chat_requests) == 1  # the SDK's own retries are off


def test_provider_error_message_is_the_providers_own(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(unauthorized())
    with pytest.raises(errors.AuthenticationError) as caught:
        openai_provider(fake_openai).generate(MESSAGES, "gpt-4o")
    assert caught.value.message == "Incorrect API key provided"
    assert caught.value.kind == "auth_error"


def test_retry_after_is_read_from_the_429(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(
        rate_limited(retry_after=1.5), ErrorReply(status=429, headers={"retry-after-ms": "250"})
    )
    provider = openai_provider(fake_openai)
    with pytest.raises(errors.RateLimited) as first:
        provider.generate(MESSAGES, "gpt-4o")
    with pytest.raises(errors.RateLimited) as second:
        provider.generate(MESSAGES, "gpt-4o")
    assert first.value.retry_after == 1.5
    assert second.value.retry_after == 0.25


def test_a_slow_answer_past_the_timeout_is_a_timeout(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(slow(2.0))
    with pytest.raises(errors.ProviderTimeout):
        openai_provider(fake_openai).generate(MESSAGES, "gpt-4o", timeout=0.05)


def test_together_errors_are_typed_the_same_way(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script(unauthorized(), rate_limited(retry_after=2), malformed())
    provider = TogetherAIProvider("tg-key-5678", base_url=fake_openai.base_url)
    model = "Qwen/Qwen2.5-7B-Instruct-Turbo"
    with pytest.raises(errors.AuthenticationError):
        provider.generate(MESSAGES, model)
    with pytest.raises(errors.RateLimited) as limited:
        provider.generate(MESSAGES, model)
    assert limited.value.retry_after == 2
    with pytest.raises(errors.ProviderUnavailable):
        provider.generate(MESSAGES, model)


def test_catalog_models_are_listed_without_a_network_call(fake_openai: FakeOpenAIServer) -> None:
    assert "gpt-4o-mini" in openai_provider(fake_openai).available_models()
    together_models = TogetherAIProvider("k" * 10, base_url=fake_openai.base_url).available_models()
    assert "meta-llama/Llama-3.3-70B-Instruct-Turbo" in together_models
    assert fake_openai.requests == []
