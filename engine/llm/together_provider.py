"""Together AI through the together SDK: open-weight Llama, Mistral and Qwen models.

The base URL is configurable (TOGETHER_BASE_URL, or the tenant's) so tests and private gateways can stand in
for the public endpoint. Models without structured-output support get JSON mode plus the schema in the prompt
(the `json_schema` flags in pricing.json say which). Together ends a normal answer with `eos`; the shared
code maps it to `stop`.
"""

from __future__ import annotations

from typing import Any

import together

from engine.llm.chat import DEFAULT_TIMEOUT, ChatCompletionsProvider, SDKErrors
from engine.llm.pricing import load_pricing

TOGETHER_ERRORS = SDKErrors(
    timeout=together.APITimeoutError,
    connection=together.APIConnectionError,
    status=together.APIStatusError,
    response_validation=together.APIResponseValidationError,
)


def together_client(api_key: str, base_url: str | None, timeout: float) -> together.Together:
    return together.Together(api_key=api_key, base_url=base_url or None, max_retries=0, timeout=timeout)


class TogetherAIProvider(ChatCompletionsProvider):
    name = "together"
    pricing_provider = "together"
    sdk_errors = TOGETHER_ERRORS

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        client: Any | None = None,
    ) -> None:
        super().__init__(client or together_client(api_key, base_url, timeout))
        self.base_url = base_url

    def available_models(self) -> list[str]:
        # Together's model listing is per project in SDK 3.x; the priced catalog is what we can cost anyway.
        return [info.model for info in load_pricing().models(self.pricing_provider)]


__all__ = ["TOGETHER_ERRORS", "TogetherAIProvider"]
