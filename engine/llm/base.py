"""The provider contract (DESIGN.md §4): one attempt per `generate`, a normalized LLMResponse, typed errors.

A provider never retries: retries, fallback and budget belong to the fallback chain, so there is exactly one
place that decides how long a customer waits and how much a turn may cost.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from pydantic import BaseModel

from engine.llm.types import LLMResponse, Message


class LLMProvider(ABC):
    """A source of chat completions: OpenAI, Together, any OpenAI-compatible server, or offline templates."""

    name: str = "provider"

    @abstractmethod
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
        """Make one request and return the normalized answer, or raise an `engine.llm.errors.LLMError`.

        With `response_schema`, the schema is requested the best way the model supports (JSON schema, else
        JSON mode), and the answer comes back parsed (`parsed`) and validated (`output`, else
        `validation_error`).
        """

    @abstractmethod
    def available_models(self) -> list[str]:
        """Models this provider can be asked for (the console offers them; the catalog is no network call)."""

    def structured_mode(self, model: str) -> str:
        """How a schema travels for this model: json_schema, json_object (JSON mode) or none (prompt only)."""
        return "json_schema"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


__all__ = ["LLMProvider"]
