"""Fixtures for the LLM layer: the scripted OpenAI-compatible server, a fresh ledger per test, a tenant.

Backoff pauses go to a recorder instead of time.sleep, so resilience tests assert the real pause arithmetic
(Retry-After, exponential backoff with jitter) without waiting for it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from engine.accounts.tenants import TenantInfo, create_tenant
from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.llm.budget import forget_alerts
from engine.llm.factory import clear_provider_cache
from engine.llm.ledger import CallLedger, set_default_ledger
from tests.engine.llm.helpers import Sleeps
from tests.fakes.openai_server import fake_openai  # noqa: F401 - the server fixture


@pytest.fixture(autouse=True)
def _llm_isolation(monkeypatch: pytest.MonkeyPatch) -> Iterator[CallLedger]:
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


@pytest.fixture
def ledger(_llm_isolation: CallLedger) -> CallLedger:
    return _llm_isolation


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(7)


@pytest.fixture
def tenant() -> TenantInfo:
    """A committed tenant: the ledger writes LLMCall rows from its own connection, which must see it."""
    with session_scope() as s:
        return create_tenant(s, name="Acme Shoes", slug="acme")
