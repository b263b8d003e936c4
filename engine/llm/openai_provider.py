"""OpenAI through the official SDK: GPT-4o, GPT-4o-mini, GPT-4.1 and the o-series reasoning models.

The o-series take different parameters, and sending the usual ones is a 400, not a warning:
no `temperature` (only the default is allowed), `max_completion_tokens` instead of `max_tokens` (the budget
covers the hidden reasoning tokens too), and instructions in a `developer` message instead of `system`
(o1-mini takes neither, so its instructions go in front of the first user message).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import openai
from pydantic import BaseModel

from engine.llm.chat import DEFAULT_TIMEOUT, ChatCompletionsProvider, SDKErrors
from engine.llm.pricing import load_pricing
from engine.llm.types import Message

OPENAI_ERRORS = SDKErrors(
    timeout=openai.APITimeoutError,
    connection=openai.APIConnectionError,
    status=openai.APIStatusError,
    response_validation=openai.APIResponseValidationError,
)


def openai_client(api_key: str, base_url: str | None, timeout: float) -> openai.OpenAI:
    """An SDK client with its own retries off: the fallback chain owns retries and their pauses."""
    return openai.OpenAI(api_key=api_key, base_url=base_url or None, max_retries=0, timeout=timeout)


class OpenAIProvider(ChatCompletionsProvider):
    name = "openai"
    pricing_provider = "openai"
    sdk_errors = OPENAI_ERRORS

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        client: Any | None = None,
        structured: str | None = None,
    ) -> None:
        super().__init__(client or openai_client(api_key, base_url, timeout), structured=structured)
        self.base_url = base_url

    def is_reasoning_model(self, model: str) -> bool:
        return self.info(model).reasoning

    def build_request(
        self,
        messages: Sequence[Message],
        model: str,
        *,
        response_schema: type[BaseModel] | None,
        temperature: float | None,
        max_tokens: int | None,
    ) -> dict[str, Any]:
        request = super().build_request(
            messages, model, response_schema=response_schema, temperature=temperature, max_tokens=max_tokens
        )
        info = self.info(model)
        if not info.reasoning:
            return request
        request.pop("temperature", None)
        if "max_tokens" in request:
            request["max_completion_tokens"] = request.pop("max_tokens")
        request["messages"] = _reasoning_messages(request["messages"], info.system_role)
        return request

    def available_models(self) -> list[str]:
        return [info.model for info in load_pricing().models(self.pricing_provider)]


def _reasoning_messages(messages: list[Message], system_role: str) -> list[Message]:
    """System instructions as o-series models want them: `developer` messages, or in the first user turn."""
    if system_role != "none":
        return [
            {**m, "role": "developer"} if m.get("role") == "system" else m  # type: ignore[dict-item]
            for m in messages
        ]
    instructions = [m.get("content") or "" for m in messages if m.get("role") == "system"]
    rest = [m for m in messages if m.get("role") != "system"]
    if not instructions:
        return rest
    preamble = "Instructions:\n" + "\n\n".join(instructions)
    for index, message in enumerate(rest):
        if message.get("role") == "user":
            merged = {**message, "content": f"{preamble}\n\n{message.get('content') or ''}"}
            return [*rest[:index], merged, *rest[index + 1 :]]  # type: ignore[list-item]
    return [{"role": "user", "content": preamble}, *rest]


__all__ = ["OPENAI_ERRORS", "OpenAIProvider", "openai_client"]
