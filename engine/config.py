"""Settings from the environment, with embedded defaults so a fresh clone runs with no configuration."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


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
    burst_window_seconds: float = 5.0
    knowledge_embedder: str = Field(
        default="auto",
        description="none | hashing | openai | together | local | auto (the best one available)",
    )
    knowledge_local_model_path: str | None = None
    session_ttl_hours: int = 12
    data_dir: Path = DATA_DIR

    @field_validator("redis_url", "public_base_url", "twilio_api_base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value or None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """Tests change the environment between cases; this makes the next read see it."""
    get_settings.cache_clear()
