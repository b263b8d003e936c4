"""Typed errors of the LLM layer, independent of which SDK raised them.

Callers branch on two questions only: is it worth trying again (`retryable`), and is it the tenant's
configuration that is wrong (`LLMConfigurationError`: a bad key or a bad request will fail the same way on
every retry, so it is surfaced at once instead of being hidden behind retries).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.llm.types import Attempt


class LLMError(Exception):
    """Base of every error the LLM layer raises."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        model: str | None = None,
        http_status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.model = model
        self.http_status = http_status
        self.retry_after = retry_after
        self.latency_ms = 0  # how long the failed request took, for the attempt log
        self.attempts: list[Attempt] = []  # filled by the fallback chain: every attempt before giving up

    @property
    def kind(self) -> str:
        """Short status word stored on LLMCall rows and shown in the console."""
        return _KINDS.get(type(self), "error")

    def __str__(self) -> str:
        where = "/".join(p for p in (self.provider, self.model) if p)
        status = f" HTTP {self.http_status}" if self.http_status else ""
        return f"{self.message} ({where}{status})" if where or status else self.message


# -- not retried: the same request fails the same way -------------------------------------------------------


class LLMConfigurationError(LLMError):
    """The tenant's settings are wrong (key, model name, parameters): retrying cannot help."""


class AuthenticationError(LLMConfigurationError):
    """The provider refused the API key (401/403)."""


class BadRequestError(LLMConfigurationError):
    """The provider refused the request itself (400, 404 unknown model, 422)."""


class MissingCredentials(LLMConfigurationError):
    """No API key for this provider, neither the tenant's nor the environment's."""


# -- retried with backoff, then the next model ---------------------------------------------------------------


class TransientError(LLMError):
    """Worth another attempt after a pause."""

    retryable = True


class RateLimited(TransientError):
    """HTTP 429: the provider asked us to slow down, often saying for how long (Retry-After)."""


class ProviderUnavailable(TransientError):
    """5xx, a timeout, a dropped connection or an unreadable body."""


class ProviderTimeout(ProviderUnavailable):
    """The provider did not answer within the client timeout."""


# -- answered, but not usable --------------------------------------------------------------------------------


class InvalidOutput(LLMError):
    """The model answered, but not with JSON matching the requested schema (after the repair attempt)."""


class BudgetExceeded(LLMError):
    """The monthly budget does not cover this call (raised only when no offline answer is possible)."""


_KINDS: dict[type[LLMError], str] = {
    AuthenticationError: "auth_error",
    BadRequestError: "bad_request",
    MissingCredentials: "no_credentials",
    RateLimited: "rate_limited",
    ProviderUnavailable: "unavailable",
    ProviderTimeout: "timeout",
    InvalidOutput: "invalid_output",
    BudgetExceeded: "budget",
}

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "BudgetExceeded",
    "InvalidOutput",
    "LLMConfigurationError",
    "LLMError",
    "MissingCredentials",
    "ProviderTimeout",
    "ProviderUnavailable",
    "RateLimited",
    "TransientError",
]
