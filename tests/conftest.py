"""Every test runs against a real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set.

The schema is built once per run; each test starts from empty tables, its own LanceDB folder and a fixed
encryption key, so tests never see each other's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, make_url, text
from sqlmodel import Session, SQLModel

import engine.models  # noqa: F401 - registers every table
from engine.cache import reset_cache
from engine.config import reset_settings_cache
from engine.db import get_engine, reset_engine_cache, session_scope
from engine.llm.budget import forget_alerts
from engine.llm.factory import clear_provider_cache
from engine.llm.ledger import CallLedger, set_default_ledger
from engine.security import passwords
from engine.security.crypto import reset_keyring
from engine.security.rate_limits import reset_storage

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of this run's own. On PostgreSQL, a fresh database beside TEST_DATABASE_URL's, dropped at
    the end: two runs against one server (CI and a developer, say) never drop each other's tables."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'parley-test.db'}"
        return
    if not url.startswith("postgresql"):
        yield url
        return
    base = make_url(url)
    name = f"{base.database}_run_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        reset_engine_cache()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


REDIS_PREFIX = f"parley-test-{uuid.uuid4().hex[:8]}:"  # this run's keys only: never FLUSHDB a shared Redis


@pytest.fixture(scope="session")
def redis_url() -> str | None:
    """Set only when TEST_REDIS_URL is: tests that need Redis skip themselves otherwise."""
    return os.environ.get("TEST_REDIS_URL") or None


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> None:
    """argon2's production cost (64 MiB, 3 passes) is the point in production and pure waiting in tests."""
    passwords._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)


@pytest.fixture(scope="session", autouse=True)
def _schema(database_url: str) -> Iterator[None]:
    os.environ["DATABASE_URL"] = database_url
    os.environ["PARLEY_SECRET_KEYS"] = TEST_KEY
    reset_settings_cache()
    reset_keyring()
    reset_engine_cache()
    engine = get_engine(database_url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield
    reset_engine_cache()


@pytest.fixture(autouse=True)
def _isolated(
    database_url: str, redis_url: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PARLEY_SECRET_KEYS", TEST_KEY)
    monkeypatch.setenv("LANCEDB_URI", str(tmp_path / "lancedb"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "none")  # knowledge tests choose their own embedder
    if redis_url:  # the services run on Redis in this run, as in production
        monkeypatch.setenv("REDIS_URL", redis_url)
        monkeypatch.setenv("REDIS_KEY_PREFIX", REDIS_PREFIX)
        import redis

        client = redis.Redis.from_url(redis_url)
        stale = list(client.scan_iter(match=f"{REDIS_PREFIX}*", count=1000))
        if stale:
            client.delete(*stale)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    reset_keyring()
    reset_cache()
    reset_storage()  # rate-limit counters: each test starts with none
    yield
    _empty_tables(database_url)
    reset_settings_cache()
    reset_keyring()


@pytest.fixture(autouse=True)
def _llm_isolation(_isolated: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[CallLedger]:
    """No provider keys from the developer's shell; a fresh LLM call ledger, flushed before tables empty.

    The ledger writes LLMCall rows from its own thread, so it must drain before `_isolated` cleans up.
    """
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TOGETHER_API_KEY", "TOGETHER_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    reset_settings_cache()
    ledger = CallLedger(flush_interval=0.01, spend_ttl=0)
    previous = set_default_ledger(ledger)
    forget_alerts()
    yield ledger
    ledger.flush()
    ledger.close()
    set_default_ledger(previous)
    clear_provider_cache()


def _empty_tables(database_url: str) -> None:
    engine = get_engine(database_url)
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    # DELETE beats TRUNCATE here: a test leaves a handful of rows, and TRUNCATE pays file work per table.
    with engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())


@pytest.fixture
def session() -> Iterator[Session]:
    """A unit of work committed at the end of the test body (like a request would)."""
    with session_scope() as s:
        yield s
