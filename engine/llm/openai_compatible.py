"""Any server speaking the OpenAI chat-completions API at a base URL: vLLM, Ollama, llama.cpp server, LiteLLM.

Self-hosted servers often need no key, name models freely ("llama3.1:8b") and differ in what structured
output they accept, so: the key is optional, prices default to zero (the unknown-model price of the
`openai_compatible` table), the model list comes from the server itself, and the structured-output mode is a
setting (json_schema by default: vLLM, Ollama and llama.cpp all take it).
"""

from __future__ import annotations

from typing import Any

from engine.llm.chat import DEFAULT_TIMEOUT, ChatCompletionsProvider
from engine.llm.errors import BadRequestError, LLMError
from engine.llm.openai_provider import OPENAI_ERRORS, openai_client

NO_KEY = "not-needed"  # the SDK refuses an empty key; self-hosted servers ignore this one


class OpenAICompatibleProvider(ChatCompletionsProvider):
    name = "openai_compatible"
    pricing_provider = "openai_compatible"
    sdk_errors = OPENAI_ERRORS

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        structured: str = "json_schema",
        client: Any | None = None,
    ) -> None:
        if not base_url:
            raise BadRequestError("an OpenAI-compatible provider needs a base URL", provider=self.name)
        super().__init__(client or openai_client(api_key or NO_KEY, base_url, timeout), structured=structured)
        self.base_url = base_url

    def available_models(self) -> list[str]:
        """What the server serves right now (GET /models); an unreachable server raises a typed error."""
        try:
            return [model.id for model in self.client.models.list()]
        except Exception as exc:
            mapped: LLMError | None = self.map_error(exc, "")
            if mapped is None:
                raise
            raise mapped from exc


__all__ = ["OpenAICompatibleProvider"]
