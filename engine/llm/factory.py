"""Providers by name, with the tenant's own keys taking precedence over the environment's (DESIGN.md §4).

SDK clients are cached per (provider, key, base URL, timeout): building one costs milliseconds and each holds
a connection pool that later calls reuse. A new key gives a new cache entry, so rotation needs no restart;
keys are cached by digest, never as dictionary keys in clear.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from cachetools import LRUCache
from sqlmodel import Session

from engine.accounts.secrets import get_secret
from engine.config import Settings, get_settings
from engine.db import TenantScope
from engine.llm.base import LLMProvider
from engine.llm.chat import DEFAULT_TIMEOUT
from engine.llm.errors import BadRequestError, MissingCredentials
from engine.llm.offline import OfflineProvider
from engine.llm.openai_compatible import OpenAICompatibleProvider
from engine.llm.openai_provider import OpenAIProvider
from engine.llm.together_provider import TogetherAIProvider
from engine.models import AgentConfiguration

PROVIDER_NAMES = ("offline", "openai", "together", "openai_compatible")
REMOTE_PROVIDERS = ("openai", "together", "openai_compatible")
KEY_KINDS = {
    "openai": "openai_api_key",
    "together": "together_api_key",
    "openai_compatible": "openai_compatible_api_key",
}
KEY_REQUIRED = frozenset({"openai", "together"})
CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class Credentials:
    provider: str
    api_key: str | None
    base_url: str | None
    key_source: str | None  # "tenant" | "environment" | None

    @property
    def usable(self) -> bool:
        if self.provider in KEY_REQUIRED:
            return bool(self.api_key)
        if self.provider == "openai_compatible":
            return bool(self.base_url)
        return True


def environment_credentials(provider: str, settings: Settings | None = None) -> tuple[str | None, str | None]:
    """(api key, base URL) from the environment for a provider."""
    settings = settings or get_settings()
    if provider == "openai":
        return settings.openai_api_key or None, settings.openai_base_url or None
    if provider == "together":
        return settings.together_api_key or None, settings.together_base_url or None
    return None, None


def resolve_credentials(
    session: Session,
    tenant_id: int,
    provider: str,
    *,
    base_url: str | None = None,
    settings: Settings | None = None,
) -> Credentials:
    """The key and base URL to use: the tenant's stored key over the environment's; an explicit base URL (the
    tenant's `llm_base_url`) over the environment's."""
    env_key, env_url = environment_credentials(provider, settings)
    kind = KEY_KINDS.get(provider)
    tenant_key = get_secret(session, tenant_id, kind) if kind else None
    if tenant_key:
        key, source = tenant_key, "tenant"
    elif env_key:
        key, source = env_key, "environment"
    else:
        key, source = None, None
    return Credentials(provider=provider, api_key=key, base_url=base_url or env_url, key_source=source)


_cache: LRUCache[tuple[str, str, str, float, str], LLMProvider] = LRUCache(maxsize=CACHE_SIZE)
_cache_lock = threading.Lock()


def _digest(value: str | None) -> str:
    return hashlib.sha256(value.encode()).hexdigest() if value else ""


def create_provider(
    name: str,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    structured: str | None = None,
) -> LLMProvider:
    """A provider by name (cached). Missing keys raise MissingCredentials, unknown names BadRequestError."""
    if name not in PROVIDER_NAMES:
        raise BadRequestError(f"unknown LLM provider {name!r}; expected one of {', '.join(PROVIDER_NAMES)}")
    if name == "offline":
        return OfflineProvider()
    if name in KEY_REQUIRED and not api_key:
        raise MissingCredentials(f"no API key for {name}: add one in Settings → AI providers", provider=name)
    if name == "openai_compatible" and not base_url:
        raise MissingCredentials("the OpenAI-compatible provider needs a base URL", provider=name)
    key = (name, _digest(api_key), base_url or "", float(timeout), structured or "")
    with _cache_lock:
        provider = _cache.get(key)
    if provider is not None:
        return provider
    provider = _build(name, api_key=api_key, base_url=base_url, timeout=timeout, structured=structured)
    with _cache_lock:
        return _cache.setdefault(key, provider)


def _build(
    name: str, *, api_key: str | None, base_url: str | None, timeout: float, structured: str | None
) -> LLMProvider:
    if name == "openai":
        assert api_key
        return OpenAIProvider(api_key, base_url=base_url, timeout=timeout)
    if name == "together":
        assert api_key
        return TogetherAIProvider(api_key, base_url=base_url, timeout=timeout)
    assert base_url
    return OpenAICompatibleProvider(
        base_url, api_key=api_key, timeout=timeout, structured=structured or "json_schema"
    )


def clear_provider_cache() -> None:
    with _cache_lock:
        _cache.clear()


def provider_for_tenant(
    session: Session,
    tenant_id: int,
    name: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    settings: Settings | None = None,
) -> LLMProvider:
    """The tenant's provider (its configured one unless `name` says otherwise), with the tenant's key."""
    config = TenantScope(session, tenant_id).first(AgentConfiguration)
    configured = config.llm_provider if config else "offline"
    name = name or configured
    base_url = config.llm_base_url if config is not None and name == configured else None
    if name == "offline":
        return OfflineProvider()
    creds = resolve_credentials(session, tenant_id, name, base_url=base_url, settings=settings)
    return create_provider(name, api_key=creds.api_key, base_url=creds.base_url, timeout=timeout)


def split_model_ref(ref: str, default_provider: str) -> tuple[str, str]:
    """Split "together:meta-llama/..." into ("together", "meta-llama/..."); a bare name is the default
    provider's.

    Only a known provider name counts as a prefix, so Ollama names such as "llama3.1:8b" stay whole.
    """
    head, sep, tail = ref.partition(":")
    if sep and head in REMOTE_PROVIDERS and tail:
        return head, tail
    return default_provider, ref


__all__ = [
    "Credentials",
    "KEY_KINDS",
    "PROVIDER_NAMES",
    "REMOTE_PROVIDERS",
    "clear_provider_cache",
    "create_provider",
    "environment_credentials",
    "provider_for_tenant",
    "resolve_credentials",
    "split_model_ref",
]
