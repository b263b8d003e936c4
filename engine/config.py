"""Settings from the environment, with embedded defaults so a fresh clone runs with no configuration."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
# The model a new tenant starts on for each provider when DEFAULT_LLM_MODEL does not say (in
# engine/llm/pricing.json; both handle several requests per message and JSON replies).
PROVIDER_DEFAULT_MODELS: dict[str, str] = {
    "openai": "gpt-4o-mini",
    "together": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "offline": "gpt-4o-mini",
}
LLM_PROVIDERS = frozenset({"offline", "openai", "together", "openai_compatible"})


class Settings(BaseSettings):
    """Every setting of DESIGN.md §4. Production switches stores through URLs, never code."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DATA_DIR / 'parley.db'}")
    database_pool_size: int = Field(
        default=20,
        ge=1,
        description="Connections kept open per process (as many again may open under a burst).",
    )
    lancedb_uri: str = Field(default=str(DATA_DIR / "lancedb"))
    redis_url: str | None = None
    redis_key_prefix: str = Field(
        default="parley:",
        description="Prepended to every Redis key: several deployments (or test runs) can share one Redis.",
    )
    parley_secret_keys: str | None = Field(
        default=None,
        description="Comma-separated Fernet keys, newest first. Dev default: generated into data/.",
    )
    public_base_url: str | None = None
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    together_api_key: str | None = None
    together_base_url: str | None = None
    twilio_api_base_url: str | None = None
    default_llm_provider: str | None = Field(
        default=None,
        description="What a new tenant starts on: offline | openai | together | openai_compatible. "
        "Unset: the provider whose key the environment has (OpenAI first, then Together), else offline.",
    )
    default_llm_model: str | None = Field(
        default=None, description="The model a new tenant starts on (unset: the provider's default model)."
    )
    burst_window_seconds: float = 5.0
    webhooks_allow_private_urls: bool = Field(
        default=False,
        description="Let outgoing webhooks reach private addresses (a receiver on this machine in tests or a "
        "closed network). Off: only public addresses, as for every URL a tenant types.",
    )
    knowledge_embedder: str = Field(
        default="auto",
        description="none | hashing | openai | together | local | auto (the best one available)",
    )
    knowledge_local_model_path: str | None = None
    session_ttl_hours: int = 12
    data_dir: Path = DATA_DIR
    # Operations (docs/operations.md): logs, /metrics, traces.
    log_format: Literal["text", "json"] = Field(
        default="text", description="text for a person at a terminal, json for a log shipper (a line each)."
    )
    log_level: str = Field(default="INFO", description="The root log level (DEBUG, INFO, WARNING, ERROR).")
    metrics_token: str | None = Field(
        default=None,
        description="When set, GET /metrics asks for `Authorization: Bearer <token>`; unset, /metrics is "
        "open (keep it on a private network then).",
    )
    prometheus_multiproc_dir: str | None = Field(
        default=None,
        description="Set when several worker processes serve /metrics: prometheus_client's multiprocess mode "
        "keeps each process's samples there and a scrape adds them up.",
    )
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None, description="OTLP/HTTP collector for traces (unset: no tracing, and no cost)."
    )
    otel_service_name: str = Field(default="parley", description="service.name on every span.")

    @field_validator(
        "redis_url",
        "metrics_token",
        "prometheus_multiproc_dir",
        "otel_exporter_otlp_endpoint",
        "public_base_url",
        "twilio_api_base_url",
        "default_llm_provider",
        "default_llm_model",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() if isinstance(value, str) and value.strip() else None

    @field_validator("log_format", mode="before")
    @classmethod
    def _known_log_format(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() not in ("text", "json"):
            raise ValueError("LOG_FORMAT must be text or json")
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("default_llm_provider")
    @classmethod
    def _known_provider(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in LLM_PROVIDERS:
            raise ValueError(f"DEFAULT_LLM_PROVIDER must be one of {', '.join(sorted(LLM_PROVIDERS))}")
        return value.lower() if value else None

    def initial_llm(self) -> tuple[str, str]:
        """(provider, model) a new tenant starts on: DEFAULT_LLM_PROVIDER, else the provider whose key the
        environment has (OPENAI_API_KEY, then TOGETHER_API_KEY), else offline; DEFAULT_LLM_MODEL, else that
        provider's default model. Why: an operator who sets a key expects the shops to use it."""
        provider = self.default_llm_provider
        if provider is None:
            provider = "openai" if self.openai_api_key else "together" if self.together_api_key else "offline"
        fallback = PROVIDER_DEFAULT_MODELS["openai"]
        model = self.default_llm_model or PROVIDER_DEFAULT_MODELS.get(provider, fallback)
        return provider, model

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """Tests change the environment between cases; this makes the next read see it."""
    get_settings.cache_clear()
