"""What the OpenAI, Together and OpenAI-compatible providers share: the chat-completions wire format.

Both SDKs are generated from OpenAI-shaped specs, so requests, responses and error classes line up; the
differences (o-series parameters, Together's `eos`, cached-token details as object or dict) are handled
here and in the subclasses, never in callers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from pydantic import BaseModel

from engine.llm import errors
from engine.llm.base import LLMProvider
from engine.llm.pricing import ModelInfo, estimate_tokens, model_info
from engine.llm.schemas import response_format, schema_instruction, validate_output
from engine.llm.types import Attempt, LLMResponse, Message

DEFAULT_TIMEOUT = 30.0
_FINISH_REASONS = {"eos": "stop", "stop_sequence": "stop", "end_turn": "stop", "max_tokens": "length"}


@dataclass(frozen=True)
class SDKErrors:
    """The exception classes of one SDK (both are Stainless-generated and share names, not classes)."""

    timeout: type[Exception]
    connection: type[Exception]
    status: type[Exception]
    response_validation: type[Exception]


def parse_retry_after(headers: Any) -> float | None:
    """Seconds the provider asked us to wait: `retry-after-ms`, or `retry-after` in seconds or as a date."""
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(float(raw_ms) / 1000.0, 0.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _error_body(exc: Exception) -> dict[str, Any]:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return inner
        if isinstance(inner, str):
            return {"message": inner}
    return {}


def _provider_message(exc: Exception) -> str:
    detail = _error_body(exc).get("message")
    if detail:
        return str(detail)[:400]
    return (getattr(exc, "message", None) or str(exc) or type(exc).__name__)[:400]


class ChatCompletionsProvider(LLMProvider):
    """One chat-completions request per `generate`, through an SDK client built with max_retries=0."""

    sdk_errors: SDKErrors
    pricing_provider: str = "openai"

    def __init__(self, client: Any, *, structured: str | None = None) -> None:
        self.client = client
        self._create: Callable[..., Any] = client.chat.completions.create
        self._structured = structured  # force a structured-output mode (OpenAI-compatible servers)

    # capabilities ---------------------------------------------------------------------------------------

    def info(self, model: str) -> ModelInfo:
        return model_info(self.pricing_provider, model)

    def structured_mode(self, model: str) -> str:
        if self._structured:
            return self._structured
        return "json_schema" if self.info(model).json_schema else "json_object"

    # request -------------------------------------------------------------------------------------------

    def build_request(
        self,
        messages: Sequence[Message],
        model: str,
        *,
        response_schema: type[BaseModel] | None,
        temperature: float | None,
        max_tokens: int | None,
    ) -> dict[str, Any]:
        """The keyword arguments of `chat.completions.create` for this model (subclasses adjust them)."""
        msgs: list[Message] = list(messages)
        request: dict[str, Any] = {"model": model, "messages": msgs}
        if response_schema is not None:
            mode = self.structured_mode(model)
            fmt = response_format(response_schema, mode)
            if fmt is not None:
                request["response_format"] = fmt
            if mode != "json_schema":
                request["messages"] = [
                    {"role": "system", "content": schema_instruction(response_schema)},
                    *msgs,
                ]
        if temperature is not None:
            request["temperature"] = temperature
        if max_tokens is not None:
            request["max_tokens"] = max_tokens
        return request

    # call ----------------------------------------------------------------------------------------------

    def generate(
        self,
        messages: Sequence[Message],
        model: str,
        *,
        response_schema: type[BaseModel] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        timeout: float | None = None,
    ) -> LLMResponse:
        request = self.build_request(
            messages, model, response_schema=response_schema, temperature=temperature, max_tokens=max_tokens
        )
        if timeout is not None:
            request["timeout"] = timeout
        started = time.perf_counter()
        try:
            completion = self._create(**request)
        except Exception as exc:
            mapped = self.map_error(exc, model)
            if mapped is None:
                raise
            mapped.latency_ms = int((time.perf_counter() - started) * 1000)
            raise mapped from exc
        latency_ms = int((time.perf_counter() - started) * 1000)
        return self.normalize(completion, model, latency_ms, request, response_schema)

    def normalize(
        self,
        completion: Any,
        model: str,
        latency_ms: int,
        request: dict[str, Any],
        response_schema: type[BaseModel] | None,
    ) -> LLMResponse:
        choices = getattr(completion, "choices", None) or []
        if not choices or choices[0].message is None:
            error = errors.ProviderUnavailable("the response has no message", provider=self.name, model=model)
            error.latency_ms = latency_ms
            raise error
        choice = choices[0]
        message = choice.message
        text = message.content
        if text is None:
            text = getattr(message, "refusal", None) or ""
        finish = choice.finish_reason
        finish = _FINISH_REASONS.get(finish, finish) if finish else None

        usage = getattr(completion, "usage", None)
        if usage is not None:
            tokens_in = int(usage.prompt_tokens or 0)
            tokens_out = int(usage.completion_tokens or 0)
            details = getattr(usage, "prompt_tokens_details", None)
            if isinstance(details, dict):
                cached = int(details.get("cached_tokens") or 0)
            else:
                cached = int(getattr(details, "cached_tokens", 0) or 0)
        else:
            # No usage reported (some self-hosted servers): estimate rather than pretend the call was free.
            tokens_in = estimate_tokens(request["messages"])
            tokens_out = estimate_tokens([{"content": text}])
            cached = 0
        cost = self.info(model).cost(tokens_in, tokens_out, cached)

        parsed = output = validation_error = None
        if response_schema is not None:
            parsed, output, validation_error = validate_output(response_schema, text)
        attempt = Attempt(
            provider=self.name,
            model=model,
            status="ok" if validation_error is None else "discarded",
            http_status=200,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            cost=cost,
            latency_ms=latency_ms,
            error=validation_error,
            error_kind=None if validation_error is None else "invalid_output",
        )
        return LLMResponse(
            text=text,
            provider=self.name,
            model=model,  # the name we asked for: what pricing, fallback and the console know it by
            parsed=parsed,
            output=output,
            validation_error=validation_error,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            cached_tokens=cached,
            cost=cost,
            latency_ms=latency_ms,
            finish_reason=finish,
            attempts=[attempt],
        )

    # errors --------------------------------------------------------------------------------------------

    def map_error(self, exc: Exception, model: str) -> errors.LLMError | None:
        """The typed error for an SDK exception; None for exceptions that are bugs, not provider trouble."""
        sdk = self.sdk_errors
        where = {"provider": self.name, "model": model}
        if isinstance(exc, sdk.timeout):
            return errors.ProviderTimeout("the provider did not answer in time", **where)
        if isinstance(exc, sdk.connection):
            return errors.ProviderUnavailable(f"cannot reach the provider: {_provider_message(exc)}", **where)
        if isinstance(exc, sdk.status):
            status = int(getattr(exc, "status_code", 0) or 0)
            response = getattr(exc, "response", None)
            retry_after = parse_retry_after(getattr(response, "headers", None))
            message = _provider_message(exc)
            body = _error_body(exc)
            kwargs = {**where, "http_status": status, "retry_after": retry_after}
            if status == 429:
                if "insufficient_quota" in (body.get("code"), body.get("type")):
                    # Out of credit with the provider: waiting will not help, the owner must act.
                    return errors.AuthenticationError(f"provider quota exhausted: {message}", **kwargs)
                return errors.RateLimited(message, **kwargs)
            if status in (401, 403):
                return errors.AuthenticationError(message, **kwargs)
            if status == 408 or status >= 500:
                return errors.ProviderUnavailable(message, **kwargs)
            return errors.BadRequestError(message, **kwargs)
        if isinstance(exc, (sdk.response_validation, json.JSONDecodeError)):
            return errors.ProviderUnavailable("the provider sent an unreadable response", **where)
        return None


__all__ = ["DEFAULT_TIMEOUT", "ChatCompletionsProvider", "SDKErrors", "parse_retry_after"]
